/* The router: which row a request line reaches, what the {name} segments
 * capture, and when the answer is 404 or 405. The table here is the test's
 * own, so these cases hold whatever routes the server has. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <stdlib.h>
#include "api/api_int.h"
#include "app/app.h"
#include "base/mod.h"

/* The server's routes: every module's table, joined as api_start does. */
static struct api_route *api_routes;
static size_t api_routes_n;

static int join_server_routes(void **state)
{
	char why[200];

	(void)state;
	return api_routes_join(app_modules, app_nmodules, &api_routes,
			       &api_routes_n, why, sizeof(why));
}

static int free_server_routes(void **state)
{
	(void)state;
	free(api_routes);
	return 0;
}

static void h_dummy(struct api_req *req) { (void)req; }

static const struct api_route tab[] = {
	{"GET",  "/healthz",                      h_dummy, API_PUBLIC, 0, "a"},
	{"GET",  "/api/v1/calls",                 h_dummy, API_ANYONE, 0, "b"},
	{"POST", "/api/v1/calls",                 h_dummy, API_ANYONE, 0, "c"},
	{"GET",  "/api/v1/calls/{id}",            h_dummy, API_ANYONE, 0, "d"},
	{"GET",  "/api/v1/calls/{id}/recording",  h_dummy, API_ANYONE, 0, "e"},
	{"PUT",  "/api/v1/q/{queue}/agents/{ext}", h_dummy, API_ANYONE, 0, "f"},
};

static int route(const char *method, const char *path,
		 const struct api_route **r, struct api_params *pp, char *allow)
{
	return api_route_match(tab, ARRAY_LEN(tab), method, path, r, pp, allow);
}

static void exact_path_and_method_reach_their_row(void **state)
{
	const struct api_route *r = NULL;
	struct api_params pp;
	char allow[API_ALLOW_LEN];
	(void)state;

	assert_int_equal(0, route("GET", "/healthz", &r, &pp, allow));
	assert_string_equal("a", r->doc);
	assert_int_equal(0, pp.n);
	assert_int_equal(0, route("POST", "/api/v1/calls", &r, &pp, allow));
	assert_string_equal("c", r->doc);
}

static void a_param_captures_one_segment(void **state)
{
	const struct api_route *r = NULL;
	struct api_params pp;
	char allow[API_ALLOW_LEN];
	(void)state;

	assert_int_equal(0, route("GET", "/api/v1/calls/abc123", &r, &pp, allow));
	assert_string_equal("d", r->doc);
	assert_string_equal("abc123", api_param(&pp, "id"));
	assert_null(api_param(&pp, "other"));

	assert_int_equal(0, route("GET", "/api/v1/calls/abc123/recording", &r,
				  &pp, allow));
	assert_string_equal("e", r->doc);
	assert_string_equal("abc123", api_param(&pp, "id"));
}

static void several_params_are_captured_in_order(void **state)
{
	const struct api_route *r = NULL;
	struct api_params pp;
	char allow[API_ALLOW_LEN];
	(void)state;

	assert_int_equal(0, route("PUT", "/api/v1/q/sales/agents/1001", &r, &pp,
				  allow));
	assert_int_equal(2, pp.n);
	assert_string_equal("sales", api_param(&pp, "queue"));
	assert_string_equal("1001", api_param(&pp, "ext"));
}

static void unknown_paths_are_enoent(void **state)
{
	const struct api_route *r = NULL;
	struct api_params pp;
	char allow[API_ALLOW_LEN];
	(void)state;

	assert_int_equal(ENOENT, route("GET", "/nope", &r, &pp, allow));
	assert_int_equal(ENOENT, route("GET", "/healthz/", &r, &pp, allow));
	assert_int_equal(ENOENT, route("GET", "/healthzz", &r, &pp, allow));
	assert_int_equal(ENOENT, route("GET", "/api/v1/calls/", &r, &pp, allow));
	assert_int_equal(ENOENT, route("GET", "/api/v1/calls//recording", &r,
				       &pp, allow));
	assert_int_equal(ENOENT, route("GET", "/api/v1/calls/x/y", &r, &pp,
				       allow));
	assert_int_equal(ENOENT, route("GET", "/api/v1", &r, &pp, allow));
	assert_int_equal(ENOENT, route("GET", "", &r, &pp, allow));
}

static void a_param_longer_than_any_id_does_not_match(void **state)
{
	const struct api_route *r = NULL;
	struct api_params pp;
	char allow[API_ALLOW_LEN], path[400] = "/api/v1/calls/";
	(void)state;

	memset(path + strlen(path), 'x', 200);
	path[14 + 200] = '\0';
	assert_int_equal(ENOENT, route("GET", path, &r, &pp, allow));
}

static void known_path_with_another_method_is_eperm_with_allow(void **state)
{
	const struct api_route *r = NULL;
	struct api_params pp;
	char allow[API_ALLOW_LEN];
	(void)state;

	assert_int_equal(EPERM, route("DELETE", "/api/v1/calls", &r, &pp, allow));
	assert_string_equal("GET, POST", allow);
	assert_int_equal(EPERM, route("POST", "/healthz", &r, &pp, allow));
	assert_string_equal("GET", allow);
	assert_int_equal(EPERM, route("get", "/healthz", &r, &pp, allow));
}

static void query_values_are_found_and_decoded(void **state)
{
	char v[64];
	(void)state;

	assert_int_equal(0, api_query_get("?a=1&limit=20", "limit", v, sizeof(v)));
	assert_string_equal("20", v);
	assert_int_equal(0, api_query_get("a=1&limit=20", "a", v, sizeof(v)));
	assert_string_equal("1", v);
	assert_int_equal(0, api_query_get("from=2026-01-01T08:00:00%2B08:00",
					  "from", v, sizeof(v)));
	assert_string_equal("2026-01-01T08:00:00+08:00", v);
	/* '+' is kept as is: this API has no forms, and offsets need it. */
	assert_int_equal(0, api_query_get("from=2026-01-01T08:00:00+08:00",
					  "from", v, sizeof(v)));
	assert_string_equal("2026-01-01T08:00:00+08:00", v);
	assert_int_equal(0, api_query_get("flag&x=1", "flag", v, sizeof(v)));
	assert_string_equal("", v);
}

static void query_misses_and_bad_escapes_are_errors(void **state)
{
	char v[4];
	(void)state;

	assert_int_equal(ENOENT, api_query_get("", "a", v, sizeof(v)));
	assert_int_equal(ENOENT, api_query_get("ab=1", "a", v, sizeof(v)));
	assert_int_equal(ENOENT, api_query_get("b=a=1", "a", v, sizeof(v)));
	assert_int_equal(EINVAL, api_query_get("a=%2", "a", v, sizeof(v)));
	assert_int_equal(EINVAL, api_query_get("a=%zz", "a", v, sizeof(v)));
	assert_int_equal(ENOSPC, api_query_get("a=1234", "a", v, sizeof(v)));
}

static void roles_parse_by_name_only(void **state)
{
	unsigned bit = 0;
	(void)state;

	assert_int_equal(0, api_role_parse("agent", &bit));
	assert_int_equal(API_R_AGENT, bit);
	assert_int_equal(0, api_role_parse("executive", &bit));
	assert_int_equal(API_R_EXECUTIVE, bit);
	assert_int_equal(EINVAL, api_role_parse("Agent", &bit));
	assert_int_equal(EINVAL, api_role_parse("root", &bit));
	assert_int_equal(EINVAL, api_role_parse(NULL, &bit));
}

/* Every row of the real table is reachable: no row hides behind an
 * earlier one with the same method and an overlapping pattern. */
static void every_server_route_reaches_its_own_row(void **state)
{
	(void)state;
	for (size_t i = 0; i < api_routes_n; i++) {
		const struct api_route *row = &api_routes[i], *r = NULL;
		struct api_params pp;
		char allow[API_ALLOW_LEN], path[API_PATH_MAX];
		const char *p = row->pattern;
		size_t o = 0;

		/* Instantiate the pattern: {x} becomes "x1". */
		while (*p) {
			if (*p == '{') {
				const char *close = strchr(p, '}');
				o += (size_t)snprintf(path + o, sizeof(path) - o, "%.*s1",
						      (int)(close - p - 1), p + 1);
				p = close + 1;
			}
			else {
				path[o++] = *p++;
			}
		}
		path[o] = '\0';
		assert_int_equal(0, api_route_match(api_routes, api_routes_n,
						    row->method, path, &r, &pp, allow));
		assert_ptr_equal(row, r);
		assert_non_null(row->doc);
	}
}

/* docs/api.md has a table row "| METHOD | `PATTERN` |" for every route, so
 * the documentation cannot silently fall behind the table. (Run from the
 * top of the tree, as tests/run.sh does.) */
static void every_server_route_is_documented(void **state)
{
	FILE *f = fopen("docs/api.md", "r");
	static char doc[1 << 20];   /* the whole file: it grows with the API */
	size_t n;
	(void)state;

	assert_non_null(f);
	n = fread(doc, 1, sizeof(doc) - 1, f);
	assert_true(feof(f));
	fclose(f);
	doc[n] = '\0';
	for (size_t i = 0; i < api_routes_n; i++) {
		char row[256];

		snprintf(row, sizeof(row), "| %s | `%s` |", api_routes[i].method,
			 api_routes[i].pattern);
		if (!strstr(doc, row))
			fail_msg("docs/api.md lacks the row %s", row);
	}
}

/* Two modules serving the same method and pattern is a start-up error
 * naming the route, not a row that silently hides the other. */
static void a_route_served_twice_is_refused(void **state)
{
	static const struct mod_routes r = {tab, 2};
	static const struct mod_export a = {.name = "a", .routes = &r};
	static const struct mod_export b = {.name = "b", .routes = &r};
	static const struct mod_export none = {.name = "none"};
	const struct mod_export *const two[] = {&a, &none, &b};
	struct api_route *joined = NULL;
	char why[200] = "";
	size_t n = 0;

	(void)state;
	assert_int_equal(EEXIST, api_routes_join(two, 3, &joined, &n, why,
						 sizeof(why)));
	assert_non_null(strstr(why, "GET /healthz"));
	assert_non_null(strstr(why, "module b"));
	assert_int_equal(0, api_routes_join(two, 2, &joined, &n, why,
					    sizeof(why)));
	assert_int_equal(2, n);
	assert_ptr_equal(tab[1].pattern, joined[1].pattern);
	free(joined);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exact_path_and_method_reach_their_row),
		cmocka_unit_test(a_param_captures_one_segment),
		cmocka_unit_test(several_params_are_captured_in_order),
		cmocka_unit_test(unknown_paths_are_enoent),
		cmocka_unit_test(a_param_longer_than_any_id_does_not_match),
		cmocka_unit_test(known_path_with_another_method_is_eperm_with_allow),
		cmocka_unit_test(query_values_are_found_and_decoded),
		cmocka_unit_test(query_misses_and_bad_escapes_are_errors),
		cmocka_unit_test(roles_parse_by_name_only),
		cmocka_unit_test(every_server_route_reaches_its_own_row),
		cmocka_unit_test(every_server_route_is_documented),
		cmocka_unit_test(a_route_served_twice_is_refused),
	};
	return cmocka_run_group_tests(tests, join_server_routes,
				      free_server_routes);
}
