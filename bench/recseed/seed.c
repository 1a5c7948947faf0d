/* bench/recseed: see seed.h. Work orders, customers and their numbers are
 * each one INSERT over a recursive CTE (a million rows in seconds; SQLite's
 * printf, which only a benchmark may use); articles are made here, word by
 * word, and go through the writer in batches like the API's writes. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/util.h"
#include "db/db.h"
#include "seed.h"

enum { WORDS_MAX = 8000, WORD_LEN = 16, CATS = 50 };

struct seed_words {
	size_t n;
	char w[WORDS_MAX][WORD_LEN];
	double cum[WORDS_MAX];     /* Zipf: P(rank r) ∝ 1 / (r + 10) */
};

int seed_words_load(const char *path, struct seed_words **wp)
{
	struct seed_words *w;
	char line[128];
	double sum = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return errno;
	w = calloc(1, sizeof(*w));
	if (!w) {
		fclose(f);
		return ENOMEM;
	}
	while (w->n < WORDS_MAX && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || !line[0] || strlen(line) >= WORD_LEN)
			continue;
		strcpy(w->w[w->n], line);
		sum += 1.0 / (double)(w->n + 10);
		w->cum[w->n++] = sum;
	}
	fclose(f);
	if (w->n < 100) {
		free(w);
		return EINVAL;
	}
	for (size_t i = 0; i < w->n; i++)
		w->cum[i] /= sum;
	*wp = w;
	return 0;
}

void seed_words_free(struct seed_words *w)
{
	free(w);
}

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* A word drawn by its weight with the random number r. */
static const char *draw(const struct seed_words *w, uint64_t r)
{
	double u = (double)(r >> 11) / 9007199254740992.0;
	size_t lo = 0, hi = w->n - 1;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (w->cum[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return w->w[lo];
}

static int int_row(const struct db_row *row, void *arg)
{
	*(int64_t *)arg = db_row_int(row, 0);
	return 0;
}

int seed_count(struct db *db, const char *sql, int64_t *out)
{
	return db_query(db, int_row, out, sql, "");
}

/* ---- departments, members, work orders, customers ---- */

static const char *const sql_orders =
	"WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n "
	"WHERE x < $N), "
	/* age: 0 newest .. 999 oldest; o: open when below the age's share */
	"r(x, h, age, o, d) AS MATERIALIZED (SELECT x, "
	"(x * 2654435761) % 4294967296, ($N - x) * 1000 / $N, "
	"(x * 40503) % 1000, 1 + (x * 7919) % $D FROM n), "
	"s(x, h, d, st) AS MATERIALIZED (SELECT x, h, d, "
	"CASE WHEN o < (CASE WHEN age < 20 THEN 700 WHEN age < 100 THEN 100 "
	"ELSE 5 END) THEN (CASE h % 20 WHEN 0 THEN 'submitted' WHEN 1 THEN "
	"'submitted' WHEN 2 THEN 'reopened' WHEN 3 THEN 'waiting_customer' "
	"WHEN 4 THEN 'waiting_customer' WHEN 5 THEN 'in_progress' WHEN 6 THEN "
	"'in_progress' WHEN 7 THEN 'in_progress' WHEN 8 THEN 'in_progress' "
	"WHEN 9 THEN 'in_progress' ELSE 'pending' END) "
	"ELSE (CASE h % 10 WHEN 0 THEN 'done' WHEN 1 THEN 'replied' "
	"ELSE 'closed' END) END FROM r) "
	"INSERT INTO work_orders (id, no, title, category, service, priority, "
	"type, state, customer_phone, customer_id, created_by, creator_dept, "
	"department_id, assignee, reply_needed, created_at, updated_at, "
	"closed_at) SELECT printf('wo-%07d', x), printf('WO%07d', x), "
	"printf('客户来电 %d', x), CASE h % 7 WHEN 0 THEN '故障申报' WHEN 1 "
	"THEN '咨询' WHEN 2 THEN '业务受理' WHEN 3 THEN '投诉' WHEN 4 THEN "
	"'建议' WHEN 5 THEN '退款' ELSE '其它' END, CASE (h / 7) % 4 WHEN 0 "
	"THEN '商城售前' WHEN 1 THEN '商城售后' WHEN 2 THEN '机票' ELSE '酒店' "
	"END, CASE (h / 28) % 4 WHEN 0 THEN 'urgent' WHEN 1 THEN 'high' WHEN "
	"2 THEN 'medium' ELSE 'low' END, 'question', st, "
	"printf('138%08d', 1 + h % $C), printf('cu-%07d', 1 + h % $C), "
	"printf('bench-user-%d-%d', 1 + (h / 112) % $D, (h / 7) % 10), "
	"printf('bench-dept-%d', 1 + (h / 112) % $D), "
	"CASE WHEN st = 'submitted' AND h % 3 = 0 THEN NULL ELSE "
	"printf('bench-dept-%d', d) END, "
	"CASE WHEN st IN ('pending', 'submitted', 'reopened') AND h % 5 > 0 "
	"THEN NULL ELSE printf('bench-user-%d-%d', d, h % 10) END, h % 2, "
	"$T - ($N - x) * (31536000000 / $N), $T - ($N - x) * "
	"(31536000000 / $N), CASE WHEN st = 'closed' THEN $T - ($N - x) * "
	"(31536000000 / $N) + 86400000 END FROM s";

static const char *const sql_customers =
	"WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n "
	"WHERE x < $N) INSERT INTO customers (id, name, company, region, "
	"level, owner, notes, source, created_at, updated_at) SELECT "
	"printf('cu-%07d', x), substr('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗', "
	"1 + x % 20, 1) || substr('伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂', "
	"1 + (x / 20) % 24, 1) || CASE WHEN x % 3 = 0 THEN '' ELSE "
	"substr('华建国文玉春海志红军宇晨佳欣', 1 + (x / 480) % 14, 1) END, "
	"CASE WHEN x % 4 = 0 THEN printf('公司%d', x % 5000) ELSE '' END, "
	"substr('北京上海广州深圳杭州成都武汉南京西安重庆', 1 + 2 * (x % 10), 2), "
	"CASE x % 100 WHEN 0 THEN 'vip' WHEN 1 THEN 'gold' WHEN 2 THEN "
	"'gold' ELSE CASE WHEN x % 10 = 3 THEN 'silver' ELSE 'normal' END END, "
	"CASE WHEN x % 20 = 0 THEN printf('%d', 1001 + x % 10) ELSE '' END, "
	"CASE WHEN x % 7 = 0 THEN '上次来电询问套餐变更' ELSE '' END, 'call', "
	"$T - ($N - x) * (63072000000 / $N), $T - ($N - x) * "
	"(63072000000 / $N) FROM n";

static const char *const sql_phones =
	"WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n "
	"WHERE x < $N) INSERT INTO customer_phones (customer_id, number, "
	"label, pos, live) SELECT printf('cu-%07d', x), printf('138%08d', x), "
	"'mobile', 0, 1 FROM n UNION ALL SELECT printf('cu-%07d', x), "
	"printf('0755%08d', x), 'office', 1, 1 FROM n WHERE x % 5 = 0";

static const char *const sql_tags =
	"WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n "
	"WHERE x < $N) INSERT INTO customer_tags (customer_id, tag) SELECT "
	"printf('cu-%07d', x), CASE x % 3 WHEN 0 THEN '老客户' WHEN 1 THEN "
	"'高价值' ELSE '待回访' END FROM n WHERE x % 4 = 0";

static int people(struct db *db, unsigned depts, int64_t now)
{
	int err = 0;

	err = db_exec(db, "INSERT INTO departments (id, name, parent_id, "
		      "created_at) VALUES ('bench-dept-0', '客服中心', NULL, ?)",
		      "i", now);
	for (unsigned d = 1; !err && d < depts; d++) {
		char id[32], parent[32], name[32];

		snprintf(id, sizeof(id), "bench-dept-%u", d);
		/* 1..4 under the root, the rest under them */
		snprintf(parent, sizeof(parent), "bench-dept-%u",
			 d <= 4 ? 0 : 1 + (d - 5) % 4);
		snprintf(name, sizeof(name), "部门%u", d);
		err = db_exec(db, "INSERT INTO departments (id, name, "
			      "parent_id, created_at) VALUES (?, ?, ?, ?)",
			      "ttti", id, name, parent, now);
		for (unsigned k = 0; !err && k < 10; k++) {
			char uid[40];

			snprintf(uid, sizeof(uid), "bench-user-%u-%u", d, k);
			err = db_exec(db, "INSERT INTO users (id, username, "
				      "role, password_hash, department_id, "
				      "created_at) VALUES (?, ?, 'backoffice', "
				      "'', ?, ?)", "ttti", uid, uid, id, now);
		}
		if (!err)
			err = db_exec(db, "INSERT INTO wo_departments "
				      "(department_id, assign, lead_user) VALUES "
				      "(?, 'manual', ?)", "tt", id,
				      (snprintf(name, sizeof(name),
						"bench-user-%u-0", d), name));
	}
	return err ? err : db_exec(db, "INSERT INTO users (id, username, role, "
				   "password_hash, extension, department_id, "
				   "created_at) VALUES ('bench-agent', "
				   "'bench-agent', 'agent', '', '1001', "
				   "'bench-dept-1', ?)", "i", now);
}

/* ---- articles ---- */

/* A sentence of 3..10 words, now and then a Latin word among them. */
static size_t sentence(const struct seed_words *w, uint64_t *r, char *out,
		       size_t n)
{
	static const char *const latin[] = {"5G", "APP", "VIP", "WiFi", "400"};
	size_t len = 0, words = 3 + (*r = mix(*r)) % 8;

	for (size_t i = 0; i < words && len + 40 < n; i++) {
		*r = mix(*r);
		const char *s = *r % 97 == 0 ? latin[(*r >> 8) % 5] : draw(w, *r);

		len += (size_t)snprintf(out + len, n - len, "%s", s);
		if (i + 1 < words && (*r >> 20) % 4 == 0)
			len += (size_t)snprintf(out + len, n - len, "，");
	}
	len += (size_t)snprintf(out + len, n - len, "。");
	return len;
}

static int articles(struct db *db, const struct seed_words *w, uint64_t count,
		    int64_t now)
{
	enum { BODY_MAX = 8192 };
	char *body = malloc(BODY_MAX), title[128], id[32], cat[32], tags[64];
	int err = 0;

	if (!body)
		return ENOMEM;
	for (unsigned c = 0; !err && c < CATS; c++) {
		char parent[32];

		snprintf(cat, sizeof(cat), "bench-cat-%u", c);
		snprintf(parent, sizeof(parent), "bench-cat-%u", c % 10);
		snprintf(title, sizeof(title), "%s类", w->w[c]);
		err = db_exec(db, "INSERT INTO kb_categories (id, parent_id, "
			      "name, position, created_at) VALUES (?, ?, ?, ?, "
			      "?)", "tttii", cat, c < 10 ? NULL : parent, title,
			      (int64_t)c, now);
	}
	for (uint64_t a = 1; !err && a <= count; a++) {
		uint64_t r = mix(a);
		size_t len = 0, sentences = 8 + r % 25;
		int64_t at = now - (int64_t)(count - a) * 60000;

		snprintf(title, sizeof(title), "%s%s%s", draw(w, mix(r + 1)),
			 draw(w, mix(r + 2)), r % 3 ? "说明" : "处理办法");
		len = (size_t)snprintf(body, BODY_MAX, "## %s\n\n", title);
		for (size_t s = 0; s < sentences && len + 400 < BODY_MAX; s++) {
			len += sentence(w, &r, body + len, BODY_MAX - len);
			if (s % 4 == 3)
				len += (size_t)snprintf(body + len,
							BODY_MAX - len, "\n\n");
		}
		snprintf(id, sizeof(id), "bench-kb-%07llu", (unsigned long long)a);
		snprintf(cat, sizeof(cat), "bench-cat-%u", (unsigned)(r % CATS));
		snprintf(tags, sizeof(tags), "%s,%s", w->w[r % 200],
			 w->w[(r >> 8) % 200]);
		err = db_write(db, "INSERT INTO kb_articles (id, category_id, "
			       "title, body, status, tags, version, reads, "
			       "created_by, created_at, updated_by, updated_at, "
			       "published_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, "
			       "'bench', ?, 'bench', ?, ?)", "ttttttiiii", id,
			       cat, title, body, r % 10 ? "published" : "draft",
			       tags, (int64_t)(r % 1000), at, at, at);
	}
	free(body);
	db_flush(db);
	return err;
}

/* Runs sql with $N (n), $D (departments below the root), $C (customers)
 * and $T (now) written in: the CTE's sizes are no bound parameters, since
 * each stands in several places. */
static int exec_sized(struct db *db, const char *sql, int64_t n,
		      const struct seed_sizes *sz, int64_t now)
{
	size_t cap = strlen(sql) * 2 + 1, len = 0;
	char *out = malloc(cap);
	int err;

	if (!out)
		return ENOMEM;
	for (const char *p = sql; *p; p++) {
		const char *k = p[0] == '$' ? strchr("NDCT", p[1]) : NULL;

		if (!k || !p[1]) {
			out[len++] = *p;
			continue;
		}
		len += (size_t)snprintf(out + len, cap - len, "%lld",
			(long long)(*k == 'N' ? n : *k == 'D' ?
			(int64_t)sz->depts - 1 : *k == 'C' ?
			(int64_t)sz->customers : now));
		p++;
	}
	out[len] = '\0';
	err = db_exec(db, out, "");
	free(out);
	return err;
}

int seed_fill(struct db *db, const struct seed_words *w,
	      const struct seed_sizes *sz)
{
	const int64_t now = util_now_ms();
	const int64_t o = (int64_t)sz->orders, c = (int64_t)sz->customers;
	int err;

	err = people(db, sz->depts, now);
	err = err ? err : exec_sized(db, sql_customers, c, sz, now);
	err = err ? err : exec_sized(db, sql_phones, c, sz, now);
	err = err ? err : exec_sized(db, sql_tags, c, sz, now);
	err = err ? err : exec_sized(db, sql_orders, o, sz, now);
	err = err ? err : articles(db, w, sz->articles, now);
	/* No ANALYZE: the server never runs it, so its plans are made
	 * without statistics, and so are the ones measured here. The WAL the
	 * fill grew (a gigabyte) is written back now, as a running server's
	 * long has been, not by the writer while the queries are timed. */
	return err ? err : db_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", "");
}

/* ---- what is asked ---- */

/* The first character (UTF-8) of s into out. */
static void first_char(const char *s, char *out)
{
	size_t n = 1;

	while (s[n] && ((unsigned char)s[n] & 0xc0) == 0x80)
		n++;
	memcpy(out, s, n);
	out[n] = '\0';
}

void seed_query(const struct seed_words *w, uint64_t i, char *q, size_t n)
{
	uint64_t r = mix(i * 7 + 3);
	const char *a = draw(w, r), *b = draw(w, mix(r));
	char one[8];

	switch (i % 5) {
	case 0:
		snprintf(q, n, "%s", a);
		break;
	case 1:
		first_char(a, one);
		snprintf(q, n, "%s", one);
		break;
	case 2:
		snprintf(q, n, "%s%s", a, b);
		break;
	case 3:
		snprintf(q, n, "%s %s", a, b);
		break;
	default:
		snprintf(q, n, "%s %s", r % 2 ? "5G" : "APP", a);
	}
}

char *seed_csv(uint64_t rows, uint64_t first, size_t *len)
{
	size_t cap = 128 + rows * 96, n;
	char *csv = malloc(cap);

	if (!csv)
		return NULL;
	n = (size_t)snprintf(csv, cap, "姓名,电话,公司,地区,标签\n");
	for (uint64_t i = 1; i <= rows; i++) {
		uint64_t h = mix(i);

		n += (size_t)snprintf(csv + n, cap - n, "%s%s,15%09llu,%s,%s,"
			"%s\n", (const char *[]){"王", "李", "张", "刘"}[h % 4],
			(const char *[]){"伟", "芳", "娜", "敏", "静"}[(h >> 4) % 5],
			(unsigned long long)(first + i),
			h % 3 ? "" : "导入公司", (const char *[]){"北京", "上海",
			"广州"}[(h >> 8) % 3], h % 2 ? "展会" : "展会;老客户");
	}
	*len = n;
	return csv;
}
