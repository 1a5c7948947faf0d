/* The OpenAPI document: what each kind of route row becomes (paths,
 * parameters, security, roles, responses), on a small table of the test's
 * own; then that the server's real table is described row for row. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "api/api_int.h"
#include "app/app.h"
#include "base/mod.h"

static void h_dummy(struct api_req *req) { (void)req; }

static const struct api_route tab[] = {
	{"GET",  "/healthz",                       h_dummy, API_PUBLIC, 0, "alive"},
	{"GET",  "/api/v1/things",                 h_dummy, API_ANYONE, 0, "list"},
	{"POST", "/api/v1/things",                 h_dummy, API_R_ADMIN, 0, "make"},
	{"PUT",  "/api/v1/q/{queue}/agents/{ext}", h_dummy,
	 API_R_ADMIN | API_R_AGENT, 0, "seat"},
	{"GET",  "/api/v1/live",                   h_dummy, API_ANYONE,
	 API_F_QUERY_TOKEN, "watch"},
	{"PUT",  "/api/v1/files/{name}",           h_dummy, API_R_ADMIN,
	 API_F_UPLOAD, "upload"},
	{"GET",  "/api/v1/events",                 h_dummy, API_ANYONE,
	 API_F_QUERY_TOKEN, "socket"},
};

static json_t *doc;

static int make_doc(void **state)
{
	(void)state;
	return api_openapi_doc(tab, ARRAY_LEN(tab), "9.8.7", &doc);
}

static int free_doc(void **state)
{
	(void)state;
	json_decref(doc);
	return 0;
}

/* paths[pattern][method], failing the test when absent. */
static json_t *op(json_t *d, const char *pattern, const char *method)
{
	json_t *o = json_object_get(json_object_get(json_object_get(d, "paths"),
						    pattern), method);

	if (!o)
		fail_msg("no operation %s %s", method, pattern);
	return o;
}

static json_t *response(json_t *o, const char *status)
{
	return json_object_get(json_object_get(o, "responses"), status);
}

/* The operation's x-roles joined with commas ("" when absent). */
static const char *roles_of(json_t *o, char *out, size_t n)
{
	json_t *r = json_object_get(o, "x-roles");
	size_t i, len = 0;
	json_t *v;

	out[0] = '\0';
	json_array_foreach(r, i, v)
		len += (size_t)snprintf(out + len, n - len, "%s%s", i ? "," : "",
					json_string_value(v));
	return out;
}

static void the_head_is_openapi_3(void **state)
{
	json_t *info = json_object_get(doc, "info");
	json_t *schemes = json_object_get(json_object_get(doc, "components"),
					  "securitySchemes");
	json_t *err = json_object_get(json_object_get(json_object_get(doc,
		"components"), "schemas"), "Error");
	(void)state;

	assert_string_equal("3.0.3", json_string_value(
		json_object_get(doc, "openapi")));
	assert_string_equal("Hotline", json_string_value(
		json_object_get(info, "title")));
	assert_string_equal("9.8.7", json_string_value(
		json_object_get(info, "version")));
	assert_string_equal("/", json_string_value(json_object_get(
		json_array_get(json_object_get(doc, "servers"), 0), "url")));
	assert_string_equal("http", json_string_value(json_object_get(
		json_object_get(schemes, "bearerAuth"), "type")));
	assert_string_equal("bearer", json_string_value(json_object_get(
		json_object_get(schemes, "bearerAuth"), "scheme")));
	assert_string_equal("token", json_string_value(json_object_get(
		json_object_get(schemes, "queryToken"), "name")));
	assert_string_equal("error", json_string_value(json_array_get(
		json_object_get(err, "required"), 0)));
	assert_string_equal("string", json_string_value(json_object_get(
		json_object_get(json_object_get(err, "properties"), "error"),
		"type")));
}

/* One path item per pattern; two methods on one pattern share it. */
static void every_row_is_one_operation_under_its_path(void **state)
{
	json_t *paths = json_object_get(doc, "paths");
	(void)state;

	assert_int_equal(6, json_object_size(paths));
	assert_int_equal(2, json_object_size(json_object_get(paths,
							     "/api/v1/things")));
	for (size_t i = 0; i < ARRAY_LEN(tab); i++) {
		char m[8];
		size_t k;

		for (k = 0; tab[i].method[k]; k++)
			m[k] = (char)(tab[i].method[k] | 0x20);
		m[k] = '\0';
		assert_string_equal(tab[i].doc, json_string_value(
			json_object_get(op(doc, tab[i].pattern, m), "summary")));
	}
	assert_string_equal("put_api_v1_q_queue_agents_ext", json_string_value(
		json_object_get(op(doc, "/api/v1/q/{queue}/agents/{ext}", "put"),
				"operationId")));
	assert_string_equal("get_healthz", json_string_value(json_object_get(
		op(doc, "/healthz", "get"), "operationId")));
}

static void each_name_segment_is_a_required_path_parameter(void **state)
{
	json_t *o = op(doc, "/api/v1/q/{queue}/agents/{ext}", "put");
	json_t *ps = json_object_get(o, "parameters");
	const char *want[] = {"queue", "ext"};
	(void)state;

	assert_int_equal(2, json_array_size(ps));
	for (size_t i = 0; i < 2; i++) {
		json_t *p = json_array_get(ps, i);

		assert_string_equal(want[i], json_string_value(
			json_object_get(p, "name")));
		assert_string_equal("path", json_string_value(
			json_object_get(p, "in")));
		assert_true(json_is_true(json_object_get(p, "required")));
		assert_string_equal("string", json_string_value(json_object_get(
			json_object_get(p, "schema"), "type")));
	}
	assert_null(json_object_get(op(doc, "/api/v1/things", "get"),
				    "parameters"));
}

static void public_routes_need_no_token_and_others_bearer(void **state)
{
	json_t *pub = op(doc, "/healthz", "get");
	json_t *priv = op(doc, "/api/v1/things", "post");
	json_t *live = op(doc, "/api/v1/live", "get");
	char roles[128];
	(void)state;

	assert_true(json_is_array(json_object_get(pub, "security")));
	assert_int_equal(0, json_array_size(json_object_get(pub, "security")));
	assert_null(json_object_get(pub, "x-roles"));
	assert_null(response(pub, "401"));

	assert_int_equal(1, json_array_size(json_object_get(priv, "security")));
	assert_non_null(json_object_get(json_array_get(
		json_object_get(priv, "security"), 0), "bearerAuth"));
	assert_null(json_object_get(priv, "x-query-token"));

	/* ?token= is an alternative to the header, not a second need. */
	assert_int_equal(2, json_array_size(json_object_get(live, "security")));
	assert_non_null(json_object_get(json_array_get(
		json_object_get(live, "security"), 1), "queryToken"));
	assert_true(json_is_true(json_object_get(live, "x-query-token")));
	assert_string_equal("admin,supervisor,agent,qa,backoffice,executive",
			    roles_of(live, roles, sizeof(roles)));
}

static void x_roles_names_exactly_the_roles_allowed(void **state)
{
	char roles[128];
	(void)state;

	assert_string_equal("admin", roles_of(op(doc, "/api/v1/things", "post"),
					      roles, sizeof(roles)));
	assert_string_equal("admin,agent", roles_of(op(doc,
		"/api/v1/q/{queue}/agents/{ext}", "put"), roles, sizeof(roles)));
	assert_string_equal("agent", api_role_name(API_R_AGENT));
	assert_null(api_role_name(API_R_ADMIN | API_R_AGENT));
	assert_null(api_role_name(0));
}

/* 400 with a body, 401 unless public, 403 unless anyone may, 404 with a
 * name in the path; each error is the shared Error schema. */
static void errors_are_listed_where_they_apply(void **state)
{
	static const struct {
		const char *pattern, *method, *present, *absent;
	} cases[] = {
		{"/healthz", "get", "200", "400 401 403 404"},
		{"/api/v1/things", "get", "200 401", "400 403 404"},
		{"/api/v1/things", "post", "2XX 400 401 403", "404"},
		{"/api/v1/q/{queue}/agents/{ext}", "put", "2XX 400 401 403 404",
		 ""},
		{"/api/v1/events", "get", "101 400 401", "200 403 404"},
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		json_t *o = op(doc, cases[i].pattern, cases[i].method);
		char list[64], *save = NULL;

		snprintf(list, sizeof(list), "%s", cases[i].present);
		for (char *s = strtok_r(list, " ", &save); s;
		     s = strtok_r(NULL, " ", &save)) {
			json_t *r = response(o, s);

			if (!r)
				fail_msg("%s %s lacks %s", cases[i].method,
					 cases[i].pattern, s);
			assert_non_null(json_object_get(r, "description"));
			if (s[0] == '4')
				assert_string_equal("#/components/schemas/Error",
					json_string_value(json_object_get(
					json_object_get(json_object_get(
					json_object_get(r, "content"),
					"application/json"), "schema"), "$ref")));
		}
		snprintf(list, sizeof(list), "%s", cases[i].absent);
		for (char *s = strtok_r(list, " ", &save); s;
		     s = strtok_r(NULL, " ", &save)) {
			if (response(o, s))
				fail_msg("%s %s has %s", cases[i].method,
					 cases[i].pattern, s);
		}
	}
}

static void bodies_are_json_or_an_uploaded_file(void **state)
{
	json_t *post = json_object_get(op(doc, "/api/v1/things", "post"),
				       "requestBody");
	json_t *up = json_object_get(op(doc, "/api/v1/files/{name}", "put"),
				     "requestBody");
	(void)state;

	assert_non_null(json_object_get(json_object_get(post, "content"),
					"application/json"));
	assert_non_null(json_object_get(json_object_get(up, "content"),
					"*/*"));
	assert_null(json_object_get(op(doc, "/api/v1/things", "get"),
				    "requestBody"));
}

/* The server's own table: every row is there with its doc line, nothing
 * else is, and operation ids are unique (tools key on them). */
static void the_server_table_is_described_row_for_row(void **state)
{
	struct api_route *rows = NULL;
	json_t *d = NULL, *ids = json_object(), *paths, *item, *o;
	const char *pattern, *m;
	char why[200];
	size_t n = 0, ops = 0;
	(void)state;

	assert_int_equal(0, api_routes_join(app_modules, app_nmodules, &rows,
					    &n, why, sizeof(why)));
	assert_int_equal(0, api_openapi_doc(rows, n, "1", &d));
	assert_true(n > 50);
	for (size_t i = 0; i < n; i++) {
		char lower[8];
		size_t k;

		for (k = 0; rows[i].method[k]; k++)
			lower[k] = (char)(rows[i].method[k] | 0x20);
		lower[k] = '\0';
		assert_string_equal(rows[i].doc, json_string_value(
			json_object_get(op(d, rows[i].pattern, lower), "summary")));
	}
	paths = json_object_get(d, "paths");
	json_object_foreach(paths, pattern, item) {
		json_object_foreach(item, m, o) {
			const char *id = json_string_value(
				json_object_get(o, "operationId"));

			assert_non_null(id);
			if (json_object_get(ids, id))
				fail_msg("operationId %s twice", id);
			json_object_set_new(ids, id, json_true());
			ops++;
		}
	}
	assert_int_equal(n, ops);
	/* The special rows still name served routes. */
	assert_non_null(response(op(d, "/api/v1/events", "get"), "101"));
	assert_null(response(op(d, "/api/v1/events", "get"), "200"));
	assert_non_null(response(op(d, "/api/v1/calls/{id}/recording", "get"),
				 "206"));
	assert_non_null(response(op(d, "/api/v1/voicemails/{id}/audio", "get"),
				 "206"));
	assert_non_null(op(d, "/api/v1/openapi.json", "get"));
	json_decref(ids);
	json_decref(d);
	free(rows);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_head_is_openapi_3),
		cmocka_unit_test(every_row_is_one_operation_under_its_path),
		cmocka_unit_test(each_name_segment_is_a_required_path_parameter),
		cmocka_unit_test(public_routes_need_no_token_and_others_bearer),
		cmocka_unit_test(x_roles_names_exactly_the_roles_allowed),
		cmocka_unit_test(errors_are_listed_where_they_apply),
		cmocka_unit_test(bodies_are_json_or_an_uploaded_file),
		cmocka_unit_test(the_server_table_is_described_row_for_row),
	};
	return cmocka_run_group_tests(tests, make_doc, free_doc);
}
