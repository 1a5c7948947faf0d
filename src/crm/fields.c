/* crm/fields: the center's custom customer fields (自定义字段): their
 * definitions over the API, and the check of a customer's values against
 * them. A field has a name (the key in a customer's "fields"), a label, a
 * type (text, number, date YYYY-MM-DD, or choice among options), whether
 * it is required and a position. Its type never changes (values stored
 * under it would no longer fit); deleting it deletes its values. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/mod.h"
#include "crm/crm_int.h"

enum { NAME_MAX_LEN = 32, LABEL_MAX = 64, OPTION_MAX = 64, OPTIONS_MAX = 50,
       VALUE_MAX = 500, DEFS_MAX = 100 };

static const char *const types[] = {"text", "number", "date", "choice", NULL};

struct def {
	char name[NAME_MAX_LEN + 1];
	char type[8];
	json_t *options;
	bool required;
};

struct crm_defs {
	struct def d[DEFS_MAX];
	size_t n;
	json_t *items;     /* the API's list, when asked for */
};

static int def_row(const struct db_row *row, void *arg)
{
	struct crm_defs *ds = arg;
	struct def *d;

	if (ds->n >= DEFS_MAX)
		return 0;
	d = &ds->d[ds->n++];
	util_strlcpy(d->name, db_row_text(row, 0), sizeof(d->name));
	util_strlcpy(d->type, db_row_text(row, 2), sizeof(d->type));
	d->options = json_loads(db_row_text(row, 3), 0, NULL);
	if (!json_is_array(d->options)) {
		json_decref(d->options);
		d->options = json_array();
	}
	d->required = db_row_int(row, 4) != 0;
	if (ds->items)
		json_array_append_new(ds->items, json_pack("{s:s, s:s, s:s, "
			"s:O, s:b, s:I}", "name", d->name, "label",
			db_row_text(row, 1), "type", d->type, "options",
			d->options, "required", d->required, "position",
			(json_int_t)db_row_int(row, 5)));
	return 0;
}

static int defs_read(struct db *db, struct crm_defs *ds)
{
	return db_query(db, def_row, ds, "SELECT name, label, type, options, "
			"required, pos FROM customer_fields ORDER BY pos, name",
			"");
}

static void defs_free(struct crm_defs *ds)
{
	for (size_t i = 0; i < ds->n; i++)
		json_decref(ds->d[i].options);
	json_decref(ds->items);
}

static bool date_ok(const char *s)
{
	int y, m, d;
	char end;

	return strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d,
					 &end) == 3 && s[4] == '-' &&
		s[7] == '-' && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static bool number_ok(const json_t *v)
{
	const char *s = json_string_value(v);
	char *end;

	if (json_is_number(v))
		return true;
	if (!s || !*s)
		return false;
	(void)strtod(s, &end);
	return !*end;
}

/* v fits d; why names the field when not. */
static int value_check(const struct def *d, const json_t *v, char *why,
		       size_t n)
{
	const char *s = json_string_value(v);
	size_t i;
	json_t *o;

	if (json_is_null(v)) {
		if (!d->required)
			return 0;
		snprintf(why, n, "fields.%s: required", d->name);
		return EINVAL;
	}
	if (!strcmp(d->type, "number")) {
		if (number_ok(v))
			return 0;
		snprintf(why, n, "fields.%s: want a number", d->name);
		return EINVAL;
	}
	if (!s || strlen(s) > VALUE_MAX) {
		snprintf(why, n, "fields.%s: want text of at most %d bytes",
			 d->name, VALUE_MAX);
		return EINVAL;
	}
	if (!strcmp(d->type, "date") && !date_ok(s)) {
		snprintf(why, n, "fields.%s: want a date YYYY-MM-DD", d->name);
		return EINVAL;
	}
	if (!strcmp(d->type, "choice")) {
		json_array_foreach(d->options, i, o)
			if (!strcmp(json_string_value(o), s))
				return 0;
		snprintf(why, n, "fields.%s: want one of its options", d->name);
		return EINVAL;
	}
	return 0;
}

int crm_defs_read(struct db *db, struct crm_defs **out)
{
	struct crm_defs *ds = calloc(1, sizeof(*ds));
	int err;

	if (!ds)
		return ENOMEM;
	err = defs_read(db, ds);
	if (err) {
		crm_defs_free(ds);
		return err;
	}
	*out = ds;
	return 0;
}

void crm_defs_free(struct crm_defs *ds)
{
	if (!ds)
		return;
	defs_free(ds);
	free(ds);
}

int crm_fields_check_defs(const struct crm_defs *ds, const json_t *obj,
			  bool creating, char *why, size_t n)
{
	const char *key;
	json_t *v;
	int err = 0;

	json_object_foreach((json_t *)obj, key, v) {
		size_t i;

		if (err)
			break;
		for (i = 0; i < ds->n && strcmp(ds->d[i].name, key); i++)
			;
		if (i == ds->n) {
			snprintf(why, n, "fields.%.40s: no such custom field",
				 key);
			err = EINVAL;
		}
		else
			err = value_check(&ds->d[i], v, why, n);
	}
	for (size_t i = 0; creating && !err && i < ds->n; i++) {
		v = json_object_get(obj, ds->d[i].name);
		if (ds->d[i].required && (!v || json_is_null(v))) {
			snprintf(why, n, "fields.%s: required", ds->d[i].name);
			err = EINVAL;
		}
	}
	return err;
}

int crm_fields_check(struct db *db, const json_t *obj, bool creating,
		     char *why, size_t n)
{
	struct crm_defs *ds;
	int err = crm_defs_read(db, &ds);

	if (err)
		return err;
	err = crm_fields_check_defs(ds, obj, creating, why, n);
	crm_defs_free(ds);
	return err;
}

/* ---- the API ---- */

static bool name_ok(const char *s)
{
	size_t len = s ? strlen(s) : 0;

	return len >= 1 && len <= NAME_MAX_LEN && s[0] >= 'a' && s[0] <= 'z' &&
		strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == len;
}

/* A definition's body; creating: name, label and type required. 0, or
 * EINVAL with why naming the field. */
static int def_body(const json_t *b, bool creating, char *why, size_t n)
{
	static const char *const keys[] = {"name", "label", "type", "options",
					   "required", "position", NULL};
	const char *key, *type = json_string_value(json_object_get(b, "type"));
	const json_t *opts = json_object_get(b, "options");
	json_t *v;
	size_t i;

	json_object_foreach((json_t *)b, key, v) {
		for (i = 0; keys[i] && strcmp(keys[i], key); i++)
			;
		if (!keys[i] || (!creating && (!strcmp(key, "name") ||
					      !strcmp(key, "type")))) {
			snprintf(why, n, "%.40s: %s", key, keys[i] ?
				 "cannot be changed" : "no such field");
			return EINVAL;
		}
	}
	if (creating && !name_ok(json_string_value(json_object_get(b,
								   "name")))) {
		snprintf(why, n, "name: want 1..%d of a-z, 0-9, _ (a letter "
			 "first)", NAME_MAX_LEN);
		return EINVAL;
	}
	v = json_object_get(b, "label");
	if ((creating || v) && (!json_string_value(v) ||
	    !*json_string_value(v) || strlen(json_string_value(v)) > LABEL_MAX)) {
		snprintf(why, n, "label: want text of 1..%d bytes", LABEL_MAX);
		return EINVAL;
	}
	for (i = 0; creating && types[i] && (!type || strcmp(types[i], type));
	     i++)
		;
	if (creating && !types[i]) {
		snprintf(why, n, "type: want text, number, date or choice");
		return EINVAL;
	}
	if (opts && (!json_is_array(opts) ||
		     json_array_size(opts) > OPTIONS_MAX)) {
		snprintf(why, n, "options: want a list of at most %d choices",
			 OPTIONS_MAX);
		return EINVAL;
	}
	json_array_foreach(opts, i, v)
		if (!json_string_value(v) || !*json_string_value(v) ||
		    strlen(json_string_value(v)) > OPTION_MAX) {
			snprintf(why, n, "options[%zu]: want text of 1..%d "
				 "bytes", i, OPTION_MAX);
			return EINVAL;
		}
	if (creating && !strcmp(type, "choice") && json_array_size(opts) == 0) {
		snprintf(why, n, "options: a choice needs at least one");
		return EINVAL;
	}
	v = json_object_get(b, "required");
	if (v && !json_is_boolean(v)) {
		snprintf(why, n, "required: want true or false");
		return EINVAL;
	}
	v = json_object_get(b, "position");
	if (v && (!json_is_integer(v) || json_integer_value(v) < 0 ||
		  json_integer_value(v) > 1000)) {
		snprintf(why, n, "position: want 0..1000");
		return EINVAL;
	}
	return 0;
}

enum fop { F_LIST, F_CREATE, F_UPDATE, F_DELETE };

struct field_job {
	struct api_job j;
	enum fop op;
	json_t *body;
	char name[NAME_MAX_LEN + 1];
	json_t *out;
	struct crm_defs ds;
};

static bool exists(struct field_job *f)
{
	for (size_t i = 0; i < f->ds.n; i++)
		if (!strcmp(f->ds.d[i].name, f->name))
			return true;
	return false;
}

static int field_write(struct field_job *f, struct db *db)
{
	const json_t *b = f->body;
	char *opts;
	int err = 0;

	if (f->op == F_DELETE) {
		err = db_exec(db, "DELETE FROM customer_field_values WHERE "
			      "field = ?", "t", f->name);
		return err ? err : db_exec(db, "DELETE FROM customer_fields "
					   "WHERE name = ?", "t", f->name);
	}
	if (f->op == F_CREATE)
		err = db_exec(db, "INSERT INTO customer_fields (name, label, "
			      "type, created_at) VALUES (?, ?, ?, ?)", "ttti",
			      f->name, json_string_value(json_object_get(b,
				"label")), json_string_value(json_object_get(b,
				"type")), util_now_ms());
	if (!err && json_object_get(b, "label"))
		err = db_exec(db, "UPDATE customer_fields SET label = ? WHERE "
			      "name = ?", "tt", json_string_value(
				      json_object_get(b, "label")), f->name);
	if (!err && json_object_get(b, "options")) {
		opts = json_dumps(json_object_get(b, "options"), JSON_COMPACT);
		err = opts ? db_exec(db, "UPDATE customer_fields SET options = "
				     "? WHERE name = ?", "tt", opts, f->name) :
			ENOMEM;
		free(opts);
	}
	if (!err && json_object_get(b, "required"))
		err = db_exec(db, "UPDATE customer_fields SET required = ? "
			      "WHERE name = ?", "it", (int64_t)json_is_true(
				      json_object_get(b, "required")), f->name);
	if (!err && json_object_get(b, "position"))
		err = db_exec(db, "UPDATE customer_fields SET pos = ? WHERE "
			      "name = ?", "it", (int64_t)json_integer_value(
				      json_object_get(b, "position")), f->name);
	return err;
}

static void field_work(struct api_job *j)
{
	struct field_job *f = (struct field_job *)j;
	struct db *db = api_house(&j->req)->db;

	f->ds.items = json_array();
	j->err = f->ds.items ? defs_read(db, &f->ds) : ENOMEM;
	if (j->err || f->op == F_LIST)
		return;
	if (exists(f) != (f->op != F_CREATE)) {
		j->err = f->op == F_CREATE ? EEXIST : ENOENT;
		return;
	}
	j->err = field_write(f, db);
	if (j->err)
		return;
	defs_free(&f->ds);
	memset(&f->ds, 0, sizeof(f->ds));
	f->ds.items = json_array();
	j->err = f->ds.items ? defs_read(db, &f->ds) : ENOMEM;
}

static void field_done(struct api_job *j)
{
	struct field_job *f = (struct field_job *)j;
	size_t i;
	json_t *it;

	if (j->err == EEXIST) {
		api_reply_error(j->req.conn, 409, "name: a field %s exists",
				f->name);
		return;
	}
	if (j->err == ENOENT) {
		api_reply_error(j->req.conn, 404, "no such custom field");
		return;
	}
	if (j->err) {
		api_reply_error(j->req.conn, 500, "cannot store custom fields");
		return;
	}
	if (f->op == F_LIST || f->op == F_DELETE) {
		api_reply_json(j->req.conn, 200, NULL, f->op == F_LIST ?
			       json_pack("{s:O}", "items", f->ds.items) :
			       json_pack("{s:s, s:b}", "name", f->name,
					 "deleted", 1));
		return;
	}
	json_array_foreach(f->ds.items, i, it)
		if (!strcmp(json_string_value(json_object_get(it, "name")),
			    f->name)) {
			api_reply_json(j->req.conn, f->op == F_CREATE ? 201 :
				       200, NULL, json_incref(it));
			return;
		}
	api_reply_error(j->req.conn, 500, "cannot store custom fields");
}

static void field_clean(struct api_job *j)
{
	struct field_job *f = (struct field_job *)j;

	json_decref(f->body);
	defs_free(&f->ds);
}

static void start_field(struct api_req *req, enum fop op)
{
	const char *name = api_param(&req->params, "name");
	json_t *body = NULL;
	struct field_job *f;
	char why[256];

	if ((op == F_CREATE || op == F_UPDATE) &&
	    (api_req_body(req, &body, why, sizeof(why)) ||
	     def_body(body, op == F_CREATE, why, sizeof(why)))) {
		json_decref(body);
		api_reply_error(req->conn, 400, "%s", why);
		return;
	}
	f = api_job_alloc(req, sizeof(*f), field_work, field_done, field_clean);
	if (!f) {
		json_decref(body);
		return;
	}
	f->op = op;
	f->body = body;
	util_strlcpy(f->name, op == F_CREATE ? json_string_value(
		json_object_get(body, "name")) : name ? name : "",
		sizeof(f->name));
	api_job_queue(f);
}

void crm_h_fields(struct api_req *req)
{
	start_field(req, F_LIST);
}

void crm_h_field_create(struct api_req *req)
{
	start_field(req, F_CREATE);
}

void crm_h_field_update(struct api_req *req)
{
	start_field(req, F_UPDATE);
}

void crm_h_field_delete(struct api_req *req)
{
	start_field(req, F_DELETE);
}
