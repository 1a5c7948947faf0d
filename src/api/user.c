/* api/user: web users in the database, for `hotline user`, the users API
 * and the demo alike. Each change is one statement on the writer's
 * connection, and what must not happen is written into that statement's
 * WHERE, so two requests at once (or the CLI beside a running server)
 * cannot both pass a check that only one of them may pass: the last
 * administrator cannot be deleted nor demoted by anyone, and a name is
 * taken once. The statement is then read back to learn what it did. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sodium.h>
#include "api/api.h"
#include "api/api_int.h"
#include "db/db.h"

_Static_assert(API_PWHASH_LEN == crypto_pwhash_STRBYTES,
	       "API_PWHASH_LEN holds an Argon2id string");

/* Names: 1..64 of [0-9A-Za-z._@-], what a URL path segment carries
 * without escaping. */
static bool name_ok(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;

	return n && n <= max && strspn(s, "0123456789abcdefghijklmnopqrstuvwxyz"
				       "ABCDEFGHIJKLMNOPQRSTUVWXYZ._@-") == n;
}

/* Extensions as the registrar names them (sip/store.c). */
static bool ext_ok(const char *s)
{
	size_t n = strlen(s);

	return n <= API_EXT_MAX && strspn(s, "0123456789abcdefghijklmnopqrstuv"
					  "wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ._-") == n;
}

static int found_row(const struct db_row *row, void *arg)
{
	(void)row;
	*(bool *)arg = true;
	return 0;
}

static int dept_exists(struct db *db, const char *id, bool *found)
{
	*found = false;
	return db_query(db, found_row, found,
			"SELECT 1 FROM departments WHERE id = ?", "t", id);
}

/* A day as "YYYY-MM-DD" that the calendar has (no 2023-02-30), years
 * 1900..9999; the form sorts as the days do, so strcmp orders them. */
static bool day_ok(const char *s)
{
	struct tm tm = {0}, back;
	int y, m, d;
	time_t t;

	if (strlen(s) != 10 || strspn(s, "0123456789-") != 10 ||
	    s[4] != '-' || s[7] != '-' || strchr(s + 8, '-') ||
	    sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 || y < 1900)
		return false;
	/* timegm carries a day past its month's end into the next: a day
	 * that comes back as written is one the calendar has. */
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	t = timegm(&tm);
	return gmtime_r(&t, &back) && back.tm_year == y - 1900 &&
	       back.tm_mon == m - 1 && back.tm_mday == d;
}

static int dates_row(const struct db_row *row, void *arg)
{
	char (*d)[11] = arg;

	util_strlcpy(d[0], db_row_text(row, 0) ? db_row_text(row, 0) : "", 11);
	util_strlcpy(d[1], db_row_text(row, 1) ? db_row_text(row, 1) : "", 11);
	return 0;
}

/* The staff dates as they will be (in over what username has stored):
 * each a real day, and the last day not before the first. */
static int check_dates(struct db *db, const char *username,
		       const struct api_user_in *in, char *why, size_t n)
{
	char d[2][11] = {"", ""};
	const char *hired, *left;

	if ((in->hired_on && *in->hired_on && !day_ok(in->hired_on)) ||
	    (in->left_on && *in->left_on && !day_ok(in->left_on))) {
		snprintf(why, n, "%s: want a date YYYY-MM-DD",
			 in->hired_on && *in->hired_on && !day_ok(in->hired_on) ?
			 "hired_on" : "left_on");
		return EINVAL;
	}
	if (username && (!in->hired_on || !in->left_on) &&
	    db_query(db, dates_row, d, "SELECT hired_on, left_on FROM users "
		     "WHERE username = ?", "t", username))
		return EIO;
	hired = in->hired_on ? in->hired_on : d[0];
	left = in->left_on ? in->left_on : d[1];
	if (*left && !*hired) {
		snprintf(why, n, "left_on: want hired_on too (the first day "
			 "on staff)");
		return EINVAL;
	}
	if (*left && strcmp(left, hired) < 0) {
		snprintf(why, n, "left_on: want a day on or after hired_on "
			 "(%s)", hired);
		return EINVAL;
	}
	return 0;
}

/* Checks every field in is; create: the required ones must be there. */
static int check(struct db *db, const struct api_user_in *in, bool create,
		 char *why, size_t n)
{
	unsigned bit;
	enum api_scope sc;
	bool found;

	if ((create || in->role) && api_role_parse(in->role, &bit)) {
		snprintf(why, n, "role: want %s", api_role_words());
		return EINVAL;
	}
	if ((create || in->password) &&
	    (!in->password || strlen(in->password) < API_PW_MIN ||
	     strlen(in->password) > API_PW_MAX)) {
		snprintf(why, n, "password: want %d..%d characters", API_PW_MIN,
			 API_PW_MAX);
		return EINVAL;
	}
	if (in->display_name && strlen(in->display_name) > API_DISPLAY_MAX) {
		snprintf(why, n, "display_name: want at most %d bytes",
			 API_DISPLAY_MAX);
		return EINVAL;
	}
	if (in->extension && !ext_ok(in->extension)) {
		snprintf(why, n, "extension: want up to %d of 0-9 A-Z a-z . _ -",
			 API_EXT_MAX);
		return EINVAL;
	}
	if (in->scope && *in->scope && api_scope_parse(in->scope, &sc)) {
		snprintf(why, n, "scope: want all, departments or own");
		return EINVAL;
	}
	if (!in->department || !*in->department)
		return 0;
	if (strlen(in->department) > API_DEPT_ID_MAX ||
	    dept_exists(db, in->department, &found) || !found) {
		snprintf(why, n, "department: no department '%.40s'",
			 in->department);
		return EINVAL;
	}
	return 0;
}

static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

struct id_read {
	char *id;
	char role[16];
	bool found;
};

static int id_row(const struct db_row *row, void *arg)
{
	struct id_read *r = arg;

	r->found = true;
	if (r->id)
		util_strlcpy(r->id, db_row_text(row, 0), UTIL_ID_LEN);
	util_strlcpy(r->role, db_row_text(row, 1) ? db_row_text(row, 1) : "",
		     sizeof(r->role));
	return 0;
}

static int read_id(struct db *db, const char *username, struct id_read *r)
{
	return db_query(db, id_row, r, "SELECT id, role FROM users "
			"WHERE username = ?", "t", username);
}

int api_user_add(struct db *db, const char *username,
		 const struct api_user_in *in, char *why, size_t n)
{
	char hash[API_PWHASH_LEN], id[UTIL_ID_LEN], got[UTIL_ID_LEN] = "";
	struct id_read r = {.id = got};
	int err;

	if (!name_ok(username, API_NAME_MAX)) {
		snprintf(why, n, "username: want 1..%d of 0-9 A-Z a-z . _ @ -",
			 API_NAME_MAX);
		return EINVAL;
	}
	err = check(db, in, true, why, n);
	err = err ? err : check_dates(db, NULL, in, why, n);
	if (err)
		return err;
	/* Spares the hash's cost when the name is plainly taken; the
	 * INSERT below decides for two that race. */
	if (read_id(db, username, &r))
		return EIO;
	if (r.found) {
		snprintf(why, n, "user %s exists", username);
		return EEXIST;
	}
	err = api_pw_hash(in->password, hash);
	if (err) {
		snprintf(why, n, "cannot hash the password");
		return err;
	}
	util_random_id(id);
	err = db_exec(db, "INSERT INTO users (id, username, display_name, role, "
		      "password_hash, extension, department_id, scope, "
		      "mask_numbers, created_at, hired_on, left_on) "
		      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT "
		      "(username) DO NOTHING", "ttttttttiitt",
		      id, username, in->display_name ? in->display_name : "",
		      in->role, hash, or_null(in->extension),
		      or_null(in->department), or_null(in->scope),
		      (int64_t)(in->mask_set && in->mask_numbers), util_now_ms(),
		      or_null(in->hired_on), or_null(in->left_on));
	sodium_memzero(hash, sizeof(hash));
	err = err ? err : read_id(db, username, &r);
	if (err) {
		snprintf(why, n, "cannot store the user");
		return EIO;
	}
	if (strcmp(got, id)) {
		snprintf(why, n, "user %s exists", username);
		return EEXIST;
	}
	return 0;
}

/* Demoting the last admin is written out of the UPDATE itself: the row
 * changes only while another admin would remain. */
static const char keep_an_admin[] =
	" AND (? = 'admin' OR role <> 'admin' OR "
	"(SELECT COUNT(*) FROM users WHERE role = 'admin') > 1)";

static int set_one(struct db *db, const char *username, const char *column,
		   const char *value)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "UPDATE users SET %s = ? WHERE username = ?",
		 column);
	return db_exec(db, sql, "tt", value, username);
}

int api_user_update(struct db *db, const char *username,
		    const struct api_user_in *in, char id[UTIL_ID_LEN],
		    char *why, size_t n)
{
	struct id_read r = {.id = id};
	char hash[API_PWHASH_LEN], sql[300];
	int err = read_id(db, username, &r);

	if (err)
		return EIO;
	if (!r.found) {
		snprintf(why, n, "no user %s", username);
		return ENOENT;
	}
	err = check(db, in, false, why, n);
	err = err ? err : check_dates(db, username, in, why, n);
	if (err)
		return err;
	if (in->role) {
		snprintf(sql, sizeof(sql), "UPDATE users SET role = ? WHERE "
			 "username = ?%s", keep_an_admin);
		err = db_exec(db, sql, "ttt", in->role, username, in->role);
		err = err ? err : read_id(db, username, &r);
		if (!err && strcmp(r.role, in->role)) {
			snprintf(why, n, "%s is the last administrator", username);
			return EBUSY;
		}
	}
	if (!err && in->password) {
		err = api_pw_hash(in->password, hash);
		err = err ? err : set_one(db, username, "password_hash", hash);
		sodium_memzero(hash, sizeof(hash));
	}
	if (!err && in->display_name)
		err = set_one(db, username, "display_name", in->display_name);
	if (!err && in->extension)
		err = set_one(db, username, "extension", or_null(in->extension));
	if (!err && in->department)
		err = set_one(db, username, "department_id",
			      or_null(in->department));
	if (!err && in->scope)
		err = set_one(db, username, "scope", or_null(in->scope));
	if (!err && in->mask_set)
		err = set_one(db, username, "mask_numbers",
			      in->mask_numbers ? "1" : "0");
	if (!err && in->hired_on)
		err = set_one(db, username, "hired_on", or_null(in->hired_on));
	if (!err && in->left_on)
		err = set_one(db, username, "left_on", or_null(in->left_on));
	/* A changed role, password, scope or masking ends the user's
	 * sessions: they sign in again as who they now are, and no cached
	 * session keeps the old view. */
	if (!err && (in->role || in->password || in->scope || in->mask_set ||
		     in->department))
		err = db_exec(db, "DELETE FROM auth_tokens WHERE user_id = ?",
			      "t", id);
	if (err) {
		snprintf(why, n, "cannot store the user");
		return EIO;
	}
	return 0;
}

int api_user_delete(struct db *db, const char *username,
		    char id[UTIL_ID_LEN], char *why, size_t n)
{
	struct id_read r = {.id = id};
	char sql[300];
	int err = read_id(db, username, &r);

	if (err)
		return EIO;
	if (!r.found) {
		snprintf(why, n, "no user %s", username);
		return ENOENT;
	}
	/* Its sessions first (they reference it), under the same condition
	 * as the user: the last admin keeps both. */
	err = db_exec(db, "DELETE FROM auth_tokens WHERE user_id = ? AND "
		      "((SELECT role FROM users WHERE id = ?) <> 'admin' OR "
		      "(SELECT COUNT(*) FROM users WHERE role = 'admin') > 1)",
		      "tt", id, id);
	snprintf(sql, sizeof(sql), "DELETE FROM users WHERE username = ?%s",
		 keep_an_admin);
	err = err ? err : db_exec(db, sql, "tt", username, "");
	r.found = false;
	err = err ? err : read_id(db, username, &r);
	if (err) {
		snprintf(why, n, "cannot delete the user");
		return EIO;
	}
	if (r.found) {
		snprintf(why, n, "%s is the last administrator", username);
		return EBUSY;
	}
	return 0;
}

/* The scope a row shows: the stored one, else its role's default. */
static const char *scope_shown(const char *stored, const char *role)
{
	enum api_scope s;
	unsigned bit;

	if (!api_scope_parse(stored, &s))
		return stored;
	if (api_role_parse(role, &bit))
		bit = 0;
	return api_scope_name(api_scope_default(bit));
}

static int list_row(const struct db_row *row, void *arg)
{
	char created[UTIL_TIME_LEN];
	json_t *item;

	util_rfc3339(created, db_row_int(row, 5));
	item = json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s, s:s, s:b, s:s?, "
			 "s:s?}",
			 "username", db_row_text(row, 0),
			 "role", db_row_text(row, 1),
			 "display_name", db_row_text(row, 2) ?
			 db_row_text(row, 2) : "",
			 "extension", db_row_text(row, 3),
			 "department", db_row_text(row, 4),
			 "created_at", created,
			 "scope", scope_shown(db_row_text(row, 6),
					      db_row_text(row, 1)),
			 "mask_numbers", db_row_int(row, 7) != 0,
			 "hired_on", db_row_text(row, 8),
			 "left_on", db_row_text(row, 9));
	return json_array_append_new(arg, item) ? ENOMEM : 0;
}

int api_user_list(struct db *db, json_t **out)
{
	json_t *items = json_array();
	int err = !items ? ENOMEM : db_query(db, list_row, items,
		"SELECT username, role, display_name, extension, department_id, "
		"created_at, scope, mask_numbers, hired_on, left_on FROM users ORDER BY username", "");

	if (err) {
		json_decref(items);
		return err;
	}
	*out = items;
	return 0;
}

static int one_row(const struct db_row *row, void *arg)
{
	json_t *items = json_array();
	int err = !items ? ENOMEM : list_row(row, items);

	if (!err)
		*(json_t **)arg = json_incref(json_array_get(items, 0));
	json_decref(items);
	return err;
}

int api_user_get(struct db *db, const char *username, json_t **out)
{
	json_t *u = NULL;
	int err = db_query(db, one_row, &u,
		"SELECT username, role, display_name, extension, department_id, "
		"created_at, scope, mask_numbers, hired_on, left_on FROM users WHERE username = ?", "t", username);

	if (!err && !u)
		err = ENOENT;
	if (!err)
		*out = u;
	return err;
}

int api_user_exists(struct db *db, const char *username, int *exists)
{
	bool found = false;
	int err = db_query(db, found_row, &found,
			   "SELECT 1 FROM users WHERE username = ?", "t", username);

	if (!err)
		*exists = found;
	return err;
}

int api_user_put_hashed(struct db *db, const char *username,
			const char *hash, const char *role,
			const char *extension)
{
	char id[UTIL_ID_LEN];
	unsigned bit;

	if (!username || !*username || strlen(username) > API_NAME_MAX ||
	    !hash || strncmp(hash, "$argon2id$", 10) ||
	    strlen(hash) >= API_PWHASH_LEN || api_role_parse(role, &bit) ||
	    (extension && strlen(extension) > API_EXT_MAX))
		return EINVAL;
	util_random_id(id);
	return db_exec(db, "INSERT INTO users (id, username, role, "
		       "password_hash, extension, created_at) VALUES (?, ?, ?, "
		       "?, ?, ?) ON CONFLICT (username) DO UPDATE SET "
		       "role = excluded.role, password_hash = "
		       "excluded.password_hash, extension = excluded.extension",
		       "ttttti", id, username, role, hash, extension,
		       util_now_ms());
}

int api_user_put(struct db *db, const char *username, const char *password,
		 const char *role, const char *extension)
{
	char hash[API_PWHASH_LEN];
	int err;

	if (!password || !*password)
		return EINVAL;
	err = api_pw_hash(password, hash);
	if (!err)
		err = api_user_put_hashed(db, username, hash, role, extension);
	sodium_memzero(hash, sizeof(hash));
	return err;
}
