/* bench/recseed: what bench/records measures on. A department tree with
 * its back-office members, work orders over a year (the newest mostly
 * open, older ones closed, as in a working center), customers with one or
 * two numbers, knowledge-base articles of Zipf-drawn Chinese words, the
 * queries agents type, and a CSV of new customers to import. Deterministic:
 * the same sizes give the same database. */
#ifndef HL_BENCH_RECSEED_H
#define HL_BENCH_RECSEED_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct seed_words;

/* Loads the word list (one a line, '#' lines skipped), commonest first.
 * *wp is yours (seed_words_free). errno of the file, EINVAL when it has
 * fewer than 100 words, ENOMEM. */
int  seed_words_load(const char *path, struct seed_words **wp);
void seed_words_free(struct seed_words *w);

struct seed_sizes {
	uint64_t orders, customers, articles;
	unsigned depts;   /* departments: bench-dept-0 (the root) and below */
};

/* Fills an empty database (migrated, search index open). Departments
 * bench-dept-1 … each have members bench-user-D-0 … -9 (role
 * backoffice; -0 leads it); customers' numbers are 138 + 8 digits of
 * 1..customers. 0 or the database's error. */
int  seed_fill(struct db *db, const struct seed_words *w,
	       const struct seed_sizes *sz);

/* The integer the one-row query sql gives into *out. */
int  seed_count(struct db *db, const char *sql, int64_t *out);

/* The i-th query an agent types (one character, a word, four characters,
 * two words, a Latin word and a Chinese one) into q. */
void seed_query(const struct seed_words *w, uint64_t i, char *q, size_t n);

/* A CSV (UTF-8, the import's Chinese headings) of rows new customers whose
 * numbers are 15 + 9 digits of first + 1 … first + rows: none is a seeded
 * customer's, and an import that starts where the stored ones end (first:
 * how many are stored) takes none of theirs. Returns it (malloc'd, *len
 * bytes) or NULL. */
char *seed_csv(uint64_t rows, uint64_t first, size_t *len);

#endif
