/* qa/inspectors: who a sample's calls may go to — the users named (role
 * qa or admin) or every qa user, each with their open load (drawn calls
 * not yet scored) and the agents their data scope lets them see, which
 * sample.c holds each assignment to. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "db/db.h"
#include "qa/qa_int.h"

static int insp_row(const struct db_row *row, void *arg)
{
	struct qa_insp_set *d = arg;

	if (d->n == QA_INSPECTORS_MAX) {
		d->overflow = true;
		return 0;
	}
	util_strlcpy(d->ids[d->n], db_row_text(row, 0) ?: "", UTIL_ID_LEN);
	util_strlcpy(d->exts[d->n], db_row_text(row, 1) ?: "",
		     API_EXT_MAX + 1);
	util_strlcpy(d->names[d->n], db_row_text(row, 2) ?: "",
		     API_NAME_MAX + 1);
	util_strlcpy(d->scope[d->n], db_row_text(row, 4) ?: "", 16);
	util_strlcpy(d->dept[d->n], db_row_text(row, 5) ?: "", API_DEPT_LEN);
	if (!d->scope[d->n][0]) {
		unsigned bit = 0;

		api_role_parse(db_row_text(row, 6) ?: "", &bit);
		util_strlcpy(d->scope[d->n], api_scope_name(
			api_scope_default(bit)) ?: "own", 16);
	}
	d->insp[d->n] = (struct qa_inspector){d->exts[d->n],
					       (size_t)db_row_int(row, 3), NULL};
	d->n++;
	return 0;
}

static int ext_row(const struct db_row *row, void *arg)
{
	return json_array_append_new(arg, json_string(db_row_text(row, 0) ?: ""))
		? ENOMEM : 0;
}

/* Who may inspect which agents' calls: their data scope, as for reading
 * calls (all; their departments' agents; own: nobody else's). */
static int scope_lists(struct db *db, struct qa_insp_set *d)
{
	for (size_t i = 0; i < d->n; i++) {
		json_t *a = json_array(), *v;
		size_t k;

		if (!strcmp(d->scope[i], "all")) {
			json_decref(a);
			continue;
		}
		d->agents_json[i] = a;
		if (!a || (!strcmp(d->scope[i], "departments") &&
			   db_query(db, ext_row, a, "SELECT extension FROM "
				    "users WHERE extension IN "
				    API_DEPT_EXTENSIONS, "t", d->dept[i])))
			return EIO;
		d->agents[i] = calloc(json_array_size(a) + 1, sizeof(char *));
		if (!d->agents[i])
			return ENOMEM;
		json_array_foreach(a, k, v)
			d->agents[i][k] = json_string_value(v);
		d->insp[i].agents = d->agents[i];
	}
	return 0;
}

#define INSP_SQL "SELECT u.id, COALESCE(u.extension, ''), u.username, " \
	"(SELECT COUNT(*) FROM qa_sample_calls s WHERE s.inspector = u.id " \
	"AND s.evaluation_id IS NULL), u.scope, u.department_id, u.role " \
	"FROM users u "

/* The inspectors named (users of role qa or admin), else every qa user. */
static int read_inspectors(struct db *db, const json_t *names,
			   struct qa_insp_set *d, struct qa_problems *p)
{
	const json_t *v;
	size_t i;

	if (!names)
		return db_query(db, insp_row, d, INSP_SQL "WHERE u.role = 'qa' "
				"ORDER BY u.username", "");
	if (!json_is_array(names) || !json_array_size(names) ||
	    json_array_size(names) > QA_INSPECTORS_MAX) {
		qa_problem(p, "inspectors: want usernames (1..%d)",
			   QA_INSPECTORS_MAX);
		return 0;
	}
	json_array_foreach(names, i, v) {
		size_t before = d->n;
		const char *s = json_string_value(v);

		for (size_t k = 0; s && k < i; k++)
			if (!strcmp(s, json_string_value(json_array_get(names, k)) ?: ""))
				s = NULL;
		if (s && db_query(db, insp_row, d, INSP_SQL "WHERE u.username "
				  "= ? AND u.role IN ('qa', 'admin')", "t", s))
			return EIO;
		if (d->n == before)
			qa_problem(p, "inspectors[%zu]: no QA inspector named "
				   "%s (once each)", i, s ? s : "so");
	}
	return 0;
}

int qa_insp_read(struct db *db, const json_t *names, struct qa_insp_set *s,
		 struct qa_problems *p)
{
	memset(s, 0, sizeof(*s));
	if (read_inspectors(db, names, s, p))
		return EIO;
	if (s->overflow)
		qa_problem(p, "inspectors: more than %d QA users; name them",
			   QA_INSPECTORS_MAX);
	return scope_lists(db, s);
}

void qa_insp_free(struct qa_insp_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		json_decref(s->agents_json[i]);
		free(s->agents[i]);
	}
}
