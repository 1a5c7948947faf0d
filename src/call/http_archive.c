/* call/http_archive: a selection of recordings as one ZIP (批量下载).
 *
 * POST /api/v1/recordings/archive {ids} checks every id on the worker pool
 * (unknown: 404; not visible to the user: 403, for the whole request),
 * then writes data_dir/archives/USER/NAME.zip there too, never on the
 * loop: one WAV per call that has one, named CALLID_FROM_TO_YYYYmmdd-
 * HHMMSS.wav (UTC), and manifest.csv listing every call asked for, with
 * those skipped and why. The archive lies under the requesting user's
 * own folder, so GET …/archive/{name} serves only the user's own archives.
 * Archives older than an hour are removed on every new request. Each
 * request is logged (recording.archive) with the user and the ids. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "api/http.h"
#include "base/log.h"
#include "base/mod.h"
#include "base/zip.h"
#include "call/http_int.h"
#include "db/db.h"

enum { IDS_MAX = 200, ID_MAX = 64, KEEP_S = 3600 };

struct arow {
	char id[ID_MAX + 1];
	bool found;
	bool mask;                /* the user sees numbers masked */
	char *csv;                /* the manifest line, without status */
	char *rec;                /* recording path, or NULL */
	char *file;               /* the name in the archive */
};

struct arch_job {
	struct api_job j;
	size_t n;
	struct arow rows[IDS_MAX];
	char bad[ID_MAX + 1];     /* the id that made err 404 or 403 */
	char name[64];
	uint64_t size;
	size_t count;
};

static void arch_clean(struct api_job *j)
{
	struct arch_job *a = (struct arch_job *)j;

	for (size_t i = 0; i < a->n; i++) {
		free(a->rows[i].csv);
		free(a->rows[i].rec);
		free(a->rows[i].file);
	}
}

static void safe(char *s)
{
	for (; *s; s++)
		if (!strchr("0123456789abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ+-.", *s))
			*s = '_';
}

/* One CSV field, quoted when it must be (RFC 4180). */
static void csv_put(char *out, size_t n, const char *v)
{
	size_t len = strlen(out);

	if (!v)
		v = "";
	if (!strpbrk(v, ",\"\r\n")) {
		snprintf(out + len, n - len, "%s,", v);
		return;
	}
	if (len < n - 1)
		out[len++] = '"';
	for (; *v && len < n - 3; v++) {
		if (*v == '"')
			out[len++] = '"';
		out[len++] = *v;
	}
	out[len++] = '"';
	out[len++] = ',';
	out[len] = '\0';
}

static int row_h(const struct db_row *row, void *arg)
{
	struct arow *r = arg;
	char line[1024] = "", t[UTIL_TIME_LEN], from[40], to[40], file[256];
	time_t s = (time_t)(db_row_int(row, 4) / 1000);
	struct tm tm;

	r->found = true;
	/* A masked user's archive masks the numbers in the manifest and in
	 * the file names alike, as the calls API does. */
	if (r->mask) {
		api_mask_number(db_row_text(row, 2), from, sizeof(from));
		api_mask_number(db_row_text(row, 3), to, sizeof(to));
	}
	else {
		util_strlcpy(from, db_row_text(row, 2), sizeof(from));
		util_strlcpy(to, db_row_text(row, 3), sizeof(to));
	}
	for (int i = 0; i < 10; i++) {
		if (i == 4) {
			util_rfc3339(t, db_row_int(row, 4));
			csv_put(line, sizeof(line), t);
		}
		else
			csv_put(line, sizeof(line), i == 2 ? from : i == 3 ? to
				: db_row_text(row, i));
	}
	safe(from);
	safe(to);
	gmtime_r(&s, &tm);
	snprintf(file, sizeof(file), "%s_%s_%s_%04d%02d%02d-%02d%02d%02d.wav",
		 r->id, from, to, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		 tm.tm_hour, tm.tm_min, tm.tm_sec);
	r->csv = strdup(line);
	r->file = strdup(file);
	if (!db_row_isnull(row, 10) && *db_row_text(row, 10))
		r->rec = strdup(db_row_text(row, 10));
	return !r->csv || !r->file ? ENOMEM : 0;
}

static int exists_h(const struct db_row *row, void *arg)
{
	(void)row;
	*(bool *)arg = true;
	return 0;
}

/* Removes the archives of every user older than KEEP_S. */
static void sweep(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[1024];
	struct stat sb;
	time_t now = time(NULL);

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &sb))
			continue;
		if (S_ISDIR(sb.st_mode))
			sweep(path);
		else if (now - sb.st_mtime > KEEP_S)
			unlink(path);
	}
	if (d)
		closedir(d);
}

static int build(struct arch_job *a, const char *data_dir)
{
	char dir[512], path[700], src[1024], id[UTIL_ID_LEN];
	size_t cap = 256 + a->n * 1200, len;
	char *man = malloc(cap);
	struct zip *z;
	struct stat sb;
	int err;

	if (!man)
		return ENOMEM;
	snprintf(dir, sizeof(dir), "%s/archives", data_dir);
	sweep(dir);
	mkdir(dir, 0750);
	snprintf(dir, sizeof(dir), "%s/archives/%s", data_dir, a->j.req.user.id);
	mkdir(dir, 0750);
	util_random_id(id);
	snprintf(a->name, sizeof(a->name), "recordings-%.16s.zip", id);
	snprintf(path, sizeof(path), "%s/%s", dir, a->name);
	err = zip_open(&z, path);
	if (err) {
		free(man);
		return err;
	}
	/* A BOM: Excel opens UTF-8 CSV (Chinese region names) only with it. */
	len = (size_t)snprintf(man, cap, "\xef\xbb\xbfid,direction,from,to,"
			       "started_at,talk_s,agent,queue,province,city,"
			       "file,status\r\n");
	for (size_t i = 0; !err && i < a->n; i++) {
		struct arow *r = &a->rows[i];
		const char *status = "included";

		if (!r->rec)
			status = "no recording";
		else if (r->rec[0] == '/' || strstr(r->rec, "..") ||
			 snprintf(src, sizeof(src), "%s/%s", data_dir, r->rec) >=
			 (int)sizeof(src) || stat(src, &sb) ||
			 !S_ISREG(sb.st_mode))
			status = "file missing";
		else {
			err = zip_add_file(z, r->file, src, sb.st_mtime);
			a->count++;
		}
		len += (size_t)snprintf(man + len, cap - len, "%s%s,%s\r\n",
					r->csv, strcmp(status, "included") ?
					"" : r->file, status);
	}
	err = err ? err : zip_add_buf(z, "manifest.csv", man, len, time(NULL));
	free(man);
	if (err) {
		zip_abort(z);
		return err;
	}
	return zip_close(z, &a->size);
}

static void arch_work(struct api_job *j)
{
	struct arch_job *a = (struct arch_job *)j;
	struct db *db = api_house(&j->req)->db;
	const char *sc[API_SCOPE_NARGS];

	api_scope_args(&j->req.user, sc);
	for (size_t i = 0; i < a->n; i++) {
		struct arow *r = &a->rows[i];
		bool exists = false;

		r->mask = j->req.user.mask_numbers;
		j->err = db_query(db, row_h, r, "SELECT id, direction, caller, "
			"callee, started_at, talk_s, agent, queue, province, city, "
			"recording FROM calls WHERE id = ? AND "
			API_SCOPE_SQL("agent", "transfer_by"), "t" API_SCOPE_TYPES,
			r->id, sc[0], sc[1], sc[2], sc[3], sc[4]);
		if (j->err)
			return;
		if (r->found)
			continue;
		j->err = db_query(db, exists_h, &exists, "SELECT 1 FROM calls "
				  "WHERE id = ?", "t", r->id);
		if (!j->err)
			j->err = exists ? EACCES : ENOENT;
		util_strlcpy(a->bad, r->id, sizeof(a->bad));
		return;
	}
	j->err = build(a, api_house(&j->req)->data_dir);
}

static void arch_done(struct api_job *j)
{
	struct arch_job *a = (struct arch_job *)j;
	char url[128];

	if (j->err == ENOENT) {
		api_reply_error(j->req.conn, 404, "no such call in 'ids': %s", a->bad);
		return;
	}
	if (j->err == EACCES) {
		api_reply_error(j->req.conn, 403, "call %s in 'ids' is outside your data scope",
				a->bad);
		return;
	}
	if (j->err) {
		api_reply_error(j->req.conn, 500, "cannot build the archive");
		return;
	}
	log_info("recording.archive", "user=%s name=%s calls=%zu files=%zu",
		 j->req.user.username, a->name, a->n, a->count);
	snprintf(url, sizeof(url), "/api/v1/recordings/archive/%s", a->name);
	api_reply_json(j->req.conn, 201, NULL, json_pack("{s:s, s:I, s:I, s:s}",
		       "name", a->name, "size", (json_int_t)a->size,
		       "count", (json_int_t)a->count, "url", url));
}

void call_h_archive(struct api_req *req)
{
	json_t *body = NULL, *ids, *v;
	struct arch_job *a;
	char why[128];
	size_t i;

	if (api_req_body(req, &body, why, sizeof(why))) {
		api_reply_error(req->conn, 400, "%s", why);
		return;
	}
	ids = json_object_get(body, "ids");
	if (!json_is_array(ids) || !json_array_size(ids) ||
	    json_array_size(ids) > IDS_MAX) {
		json_decref(body);
		api_reply_error(req->conn, 400, "bad 'ids' (want 1..%d call ids)",
				IDS_MAX);
		return;
	}
	json_array_foreach(ids, i, v) {
		const char *s = json_string_value(v);

		if (!s || !*s || strlen(s) > ID_MAX ||
		    strspn(s, "0123456789abcdefghijklmnopqrstuvwxyz"
			   "ABCDEFGHIJKLMNOPQRSTUVWXYZ_.-") != strlen(s)) {
			json_decref(body);
			api_reply_error(req->conn, 400, "bad 'ids' (item %zu is not "
					"a call id)", i);
			return;
		}
	}
	a = api_job_alloc(req, sizeof(*a), arch_work, arch_done, arch_clean);
	json_array_foreach(ids, i, v) {
		const char *s = json_string_value(v);
		bool dup = false;

		for (size_t k = 0; a && k < a->n; k++)
			dup |= !strcmp(a->rows[k].id, s);
		if (a && !dup)
			util_strlcpy(a->rows[a->n++].id, s, ID_MAX + 1);
	}
	json_decref(body);
	api_job_queue(a);
}

void call_h_archive_get(struct api_req *req)
{
	const char *name = api_param(&req->params, "name");
	char rel[160];
	size_t len = strlen(name);

	if (len < 5 || len > 60 || strcmp(name + len - 4, ".zip") ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-.") != len ||
	    strstr(name, "..")) {
		api_reply_error(req->conn, 404, "no such archive");
		return;
	}
	snprintf(rel, sizeof(rel), "archives/%s/%s", req->user.id, name);
	api_send_attachment(req, rel, "application/zip", name,
			    "no such archive");
}
