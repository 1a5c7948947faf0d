/* db/stmt: a statement and its parameters copied into one block.
 *
 * Layout: [struct db_stmt][params][sql\0][text\0]… — one malloc, one free,
 * and nothing in it points at the caller's memory, so db_write() may return
 * before the writer thread gets to it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "db/db_int.h"

size_t db_sql_params(const char *sql)
{
	size_t n = 0;

	/* A '?' inside a string literal, a quoted name or a comment is text,
	 * not a placeholder. */
	for (const char *p = sql; *p; p++) {
		if (*p == '\'' || *p == '"') {
			const char q = *p;
			while (p[1] && p[1] != q)
				p++;
			if (p[1])
				p++;
		}
		else if (p[0] == '-' && p[1] == '-') {
			while (p[1] && p[1] != '\n')
				p++;
		}
		else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			if (!e)
				break;
			p = e + 1;
		}
		else if (*p == '?') {
			n++;
		}
	}
	return n;
}

/* Value of one argument, read from ap according to its letter. */
static int take_arg(char type, va_list *ap, struct db_param *par)
{
	par->type = type;
	switch (type) {
	case 't': par->v.t = va_arg(*ap, const char *); break;
	case 'i': par->v.i = va_arg(*ap, int64_t);      break;
	case 'd': par->v.d = va_arg(*ap, double);       break;
	case 'n': par->v.t = NULL;                      break;
	default:  return EINVAL;
	}
	if (type == 't' && !par->v.t)
		par->type = 'n';
	return 0;
}

int db_stmt_make(struct db_stmt **stp, const char *sql, const char *types,
		 va_list ap)
{
	struct db_param *tmp = NULL;
	struct db_stmt *st;
	size_t n, size, sqllen;
	va_list cp;
	char *w;
	int rc = 0;

	if (!sql)
		return EINVAL;
	if (!types)
		types = "";
	n = strlen(types);
	if (n != db_sql_params(sql))
		return EINVAL;

	/* First pass reads the arguments to size the block. */
	tmp = calloc(n ? n : 1, sizeof(*tmp));
	if (!tmp)
		return ENOMEM;
	sqllen = strlen(sql) + 1;
	size = sizeof(*st) + n * sizeof(*tmp) + sqllen;
	va_copy(cp, ap);
	for (size_t i = 0; i < n && !rc; i++) {
		rc = take_arg(types[i], &cp, &tmp[i]);
		if (!rc && tmp[i].type == 't')
			size += strlen(tmp[i].v.t) + 1;
	}
	va_end(cp);
	if (rc)
		goto out;

	st = malloc(size);
	if (!st) {
		rc = ENOMEM;
		goto out;
	}
	memset(st, 0, sizeof(*st));
	st->n = n;
	st->p = (struct db_param *)(st + 1);
	w = (char *)(st->p + n);
	memcpy(w, sql, sqllen);
	st->sql = w;
	w += sqllen;
	for (size_t i = 0; i < n; i++) {
		st->p[i] = tmp[i];
		if (tmp[i].type == 't') {
			size_t len = strlen(tmp[i].v.t) + 1;
			memcpy(w, tmp[i].v.t, len);
			st->p[i].v.t = w;
			w += len;
		}
	}
	*stp = st;
out:
	free(tmp);
	return rc;
}
