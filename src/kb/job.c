/* kb/job: the one job every kb handler runs. The handler checks what it
 * can on the loop (path, query, the body's shape), then its work function
 * runs on an api worker, reads and writes the database, and leaves either
 * a reply (out) or a reason (why); done answers with it on the loop. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "base/mod.h"
#include "kb/kb_int.h"

static void job_work(struct api_job *j)
{
	struct kb_job *k = (struct kb_job *)j;

	k->status = 200;
	k->work(k);
}

static void job_done(struct api_job *j)
{
	struct kb_job *k = (struct kb_job *)j;

	if (k->out && k->status < 400) {
		api_reply_json(j->req.conn, k->status, NULL, k->out);
		k->out = NULL;
		return;
	}
	api_reply_error(j->req.conn, k->status < 400 ? 500 : k->status, "%s",
			k->why[0] ? k->why : "cannot read the knowledge base");
}

static void job_clean(struct api_job *j)
{
	struct kb_job *k = (struct kb_job *)j;

	json_decref(k->in);
	json_decref(k->out);
}

bool kb_is_editor(const struct api_req *req)
{
	return (req->user.role_bit & KB_EDITORS) != 0;
}

struct kb_job *kb_job_new(struct api_req *req, kb_work_h *work, json_t *in,
			  int64_t num)
{
	struct kb_job *k = api_job_alloc(req, sizeof(*k), job_work, job_done,
					 job_clean);

	if (!k) {
		json_decref(in);
		return NULL;
	}
	k->work = work;
	k->db = api_house(req)->db;
	k->in = in;
	k->num = num;
	k->editor = kb_is_editor(req);
	return k;
}

void kb_job_queue(struct kb_job *k)
{
	api_job_queue(k);
}

void kb_job_run(struct api_req *req, kb_work_h *work, json_t *in,
		int64_t num)
{
	kb_job_queue(kb_job_new(req, work, in, num));
}

void kb_job_body(struct api_req *req, kb_check_h *check, bool create,
		 kb_work_h *work)
{
	json_t *body = NULL;
	char why[256];

	if (api_req_body(req, &body, why, sizeof(why)) ||
	    check(body, create, why, sizeof(why))) {
		json_decref(body);
		api_reply_error(req->conn, 400, "%s", why);
		return;
	}
	kb_job_run(req, work, body, 0);
}

void kb_fail(struct kb_job *k, uint16_t status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(k->why, sizeof(k->why), fmt, ap);
	va_end(ap);
	k->status = status;
	json_decref(k->out);
	k->out = NULL;
}

static json_t *tag_array(const char *s)
{
	json_t *a = json_array();

	while (a && s && *s) {
		const char *e = strchr(s, ',');
		size_t len = e ? (size_t)(e - s) : strlen(s);

		if (len)
			json_array_append_new(a, json_stringn(s, len));
		s = e ? e + 1 : NULL;
	}
	return a;
}

int kb_row_json(const struct db_row *row, void *arg)
{
	struct kb_rows *r = arg;
	json_t *o = json_object();

	if (!o)
		return ENOMEM;
	for (int i = 0; r->keys[i]; i++) {
		const char *k = r->keys[i];
		char kind = k[1] == ':' ? k[0] : 's';
		const char *text = db_row_text(row, i);
		json_t *v;

		if (k[1] == ':')
			k += 2;
		if (kind == 'i')
			v = json_integer(db_row_int(row, i));
		else if (kind == 'n')
			v = db_row_isnull(row, i) ? json_null() :
			    json_integer(db_row_int(row, i));
		else if (kind == 'b')
			v = json_boolean(db_row_int(row, i));
		else if (kind == 'l')
			v = tag_array(text);
		else
			v = text ? json_string(text) : json_null();
		json_object_set_new(o, k, v);
	}
	return json_array_append_new(r->arr, o) ? ENOMEM : 0;
}

int kb_query_limit(struct api_req *req, int64_t dflt, int64_t *limit)
{
	char v[32];
	uint64_t lim;
	int err = api_query_get(req->query, "limit", v, sizeof(v));

	*limit = dflt;
	if (err == ENOENT)
		return 0;
	if (err || util_parse_u64(v, 1, KB_LIMIT_MAX, &lim)) {
		api_reply_error(req->conn, 400, "limit: want 1..%d",
				KB_LIMIT_MAX);
		return EINVAL;
	}
	*limit = (int64_t)lim;
	return 0;
}

int kb_tags_parse(const json_t *body, char *out, size_t n, char *why,
		  size_t wn)
{
	const json_t *tags = json_object_get(body, "tags"), *t;
	size_t i, len = 0;

	out[0] = '\0';
	if (!tags)
		return ENOENT;
	if (!json_is_array(tags) || json_array_size(tags) > KB_TAGS_MAX) {
		snprintf(why, wn, "tags: want an array of at most %d tags",
			 KB_TAGS_MAX);
		return EINVAL;
	}
	json_array_foreach(tags, i, t) {
		const char *s = json_string_value(t);
		size_t sl = s ? strlen(s) : 0;

		if (!s || !sl || sl > KB_TAG_MAX || strchr(s, ',')) {
			snprintf(why, wn, "tags: each tag is 1..%d bytes of "
				 "text without ','", KB_TAG_MAX);
			return EINVAL;
		}
		/* A tag given twice is kept once. */
		for (const char *p = out; *p; ) {
			const char *e = strchr(p, ',');
			size_t pl = e ? (size_t)(e - p) : strlen(p);

			if (pl == sl && !memcmp(p, s, sl))
				goto next;
			p += pl + (e ? 1 : 0);
		}
		if (len + sl + 2 > n)
			return EINVAL;
		len += (size_t)snprintf(out + len, n - len, "%s%s",
					len ? "," : "", s);
	next:;
	}
	return 0;
}

static int one_row(const struct db_row *row, void *arg)
{
	(void)row;
	*(bool *)arg = true;
	return 0;
}

int kb_exists(struct db *db, bool *found, const char *sql, const char *id)
{
	*found = false;
	return db_query(db, one_row, found, sql, "t", id);
}

int kb_opt_id(const json_t *body, const char *field, bool *given,
	      const char **id, char *why, size_t n)
{
	const json_t *v = json_object_get(body, field);

	*given = v != NULL;
	*id = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v) || !json_string_length(v) ||
	    json_string_length(v) >= UTIL_ID_LEN) {
		snprintf(why, n, "%s: want an id or null", field);
		return EINVAL;
	}
	*id = json_string_value(v);
	return 0;
}

int kb_exists2(struct db *db, bool *found, const char *sql, const char *a,
	       const char *b)
{
	*found = false;
	return db_query(db, one_row, found, sql, "tt", a, b);
}
