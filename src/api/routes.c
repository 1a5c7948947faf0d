/* api/routes: the HTTP surface, one table per module that serves it (each
 * module's export row in app/modules.c names its table; the server joins
 * them at start). docs/api.md is these tables in prose; change both
 * together (tests/unit/api/test_route.c checks every row is there).
 *
 *   method   as in the request line
 *   pattern  the path; {name} matches one segment, read with api_param()
 *   handler  runs only after the route, body size, token and role checks
 *   roles    API_PUBLIC (no token), API_ANYONE (any signed-in user), or the
 *            roles allowed; others get 403
 *   flags    API_F_QUERY_TOKEN: ?token= is accepted besides the header;
 *            API_F_AUDIT: every answer is an audit entry (api/audit.c)
 *   doc      one line for the documentation
 *
 * backoffice users are left out of the call routes on purpose: they work
 * on work orders, not on call records. */
#include "api/api_int.h"
#include "base/mod.h"


/* api's own: health, the OpenAPI document, sign-in, users, departments,
 * the event WebSocket. */
static const struct api_route core_rows[] = {
	{"GET",  "/healthz",                        api_h_healthz,   API_PUBLIC,
	 0, "liveness: {\"status\":\"ok\"} once the server is ready"},
	{"GET",  "/api/v1/openapi.json",            api_h_openapi,   API_PUBLIC,
	 0, "this API as an OpenAPI 3 document, made from the routes served"},
	{"POST", "/api/v1/auth/login",              api_h_login,     API_PUBLIC,
	 API_F_AUDIT, "exchange {username,password} for a bearer token"},
	{"POST", "/api/v1/auth/logout",             api_h_logout,    API_ANYONE,
	 API_F_AUDIT, "revoke the token used for this request"},
	{"GET",  "/api/v1/auth/me",                 api_h_me,        API_ANYONE,
	 0, "the signed-in user"},
	{"POST", "/api/v1/auth/password",           api_h_password,  API_ANYONE,
	 API_F_AUDIT, "change one's own password: {current, new}; every session ends"},
	{"GET",  "/api/v1/users",                   api_h_users,     API_R_ADMIN,
	 0, "every web user (no password hashes)"},
	{"POST", "/api/v1/users",                   api_h_user_post, API_R_ADMIN,
	 0, "create a web user: username, password, role, display_name, extension, department, scope, mask_numbers"},
	{"PUT",  "/api/v1/users/{username}",        api_h_user_put,  API_R_ADMIN,
	 0, "change a user's role, display_name, extension, department, scope, mask_numbers or password"},
	{"DELETE", "/api/v1/users/{username}",      api_h_user_delete, API_R_ADMIN,
	 0, "delete a web user (never the last administrator: 409)"},
	{"GET",  "/api/v1/departments",             api_h_depts,     API_R_ADMIN,
	 0, "every department with its parent, flat and as a tree"},
	{"POST", "/api/v1/departments",             api_h_dept_post, API_R_ADMIN,
	 0, "create a department: name, parent_id"},
	{"PUT",  "/api/v1/departments/{id}",        api_h_dept_put,  API_R_ADMIN,
	 0, "rename or move a department (a cycle: 400)"},
	{"DELETE", "/api/v1/departments/{id}",      api_h_dept_delete, API_R_ADMIN,
	 0, "delete a department without users or children (else 409)"},
	{"GET",  "/api/v1/audit",                   api_h_audit,     API_R_ADMIN,
	 0, "the audit log, newest first; from, to, username, action, limit, cursor"},
	{"GET",  "/api/v1/audit.csv",               api_h_audit_csv, API_R_ADMIN,
	 0, "the audit log as CSV (UTF-8 with BOM); the same filters"},
	{"GET",  "/api/v1/events",                  api_h_events,    API_ANYONE,
	 API_F_QUERY_TOKEN, "CTI WebSocket: a snapshot, then the events and "
	 "queue statistics the user may see"},
};
const struct mod_routes api_routes_core = {core_rows, ARRAY_LEN(core_rows)};
