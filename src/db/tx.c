/* db/tx: transactions (db.h fact (5)). The statements are made on the
 * caller's thread, exactly as db_write makes one, and chained; the writer
 * thread gets one marker item standing for the chain, runs it as a
 * barrier (writer.c) and wakes the caller, who then frees the chain. */
#include <errno.h>
#include <stdlib.h>
#include "db/db_int.h"

struct db_tx {
	struct db_stmt *head, *tail;
	size_t n;
	int err;                 /* the first failed add's */
};

int db_tx_new(struct db_tx **txp)
{
	struct db_tx *tx = calloc(1, sizeof(*tx));

	if (!tx)
		return ENOMEM;
	*txp = tx;
	return 0;
}

int db_tx_add(struct db_tx *tx, const char *sql, const char *types, ...)
{
	struct db_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = db_stmt_make(&st, sql, types, ap);
	va_end(ap);
	if (rc) {
		if (!tx->err)
			tx->err = rc;
		return rc;
	}
	st->next = NULL;
	if (tx->tail)
		tx->tail->next = st;
	else
		tx->head = st;
	tx->tail = st;
	tx->n++;
	return 0;
}

size_t db_tx_count(const struct db_tx *tx)
{
	return tx->n;
}

void db_tx_free(struct db_tx *tx)
{
	if (!tx)
		return;
	while (tx->head) {
		struct db_stmt *next = tx->head->next;

		free(tx->head);
		tx->head = next;
	}
	free(tx);
}

int db_tx_run(struct db *db, struct db_tx *tx, size_t *failed)
{
	size_t at = 0;
	int rc = tx->err;

	if (!rc && tx->n)
		rc = db_writer_tx(db_writer_of(db), tx->head, tx->n, &at);
	if (rc == EIO && failed)
		*failed = at;
	db_tx_free(tx);
	return rc;
}
