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
 *   flags    API_F_QUERY_TOKEN: ?token= is accepted besides the header
 *   doc      one line for the documentation
 *
 * backoffice users are left out of the call routes on purpose: they work
 * on work orders, not on call records. */
#include "api/api_int.h"
#include "base/mod.h"

#define SUPERVISORS (API_R_ADMIN | API_R_SUPERVISOR)
#define VM_USERS (API_R_ADMIN | API_R_SUPERVISOR | API_R_AGENT)
#define CALL_READERS (API_R_ADMIN | API_R_SUPERVISOR | API_R_QA | \
		      API_R_EXECUTIVE | API_R_AGENT)

/* api's own: health, sign-in, users, the event WebSocket. */
static const struct api_route core_rows[] = {
	{"GET",  "/healthz",                        api_h_healthz,   API_PUBLIC,
	 0, "liveness: {\"status\":\"ok\"} once the server is ready"},
	{"POST", "/api/v1/auth/login",              api_h_login,     API_PUBLIC,
	 0, "exchange {username,password} for a bearer token"},
	{"POST", "/api/v1/auth/logout",             api_h_logout,    API_ANYONE,
	 0, "revoke the token used for this request"},
	{"GET",  "/api/v1/auth/me",                 api_h_me,        API_ANYONE,
	 0, "the signed-in user"},
	{"GET",  "/api/v1/users",                   api_h_users,     API_R_ADMIN,
	 0, "every web user (no password hashes)"},
	{"GET",  "/api/v1/events",                  api_h_events,    API_ANYONE,
	 API_F_QUERY_TOKEN, "WebSocket: every bus event as a JSON text frame"},
};
const struct mod_routes api_routes_core = {core_rows, ARRAY_LEN(core_rows)};

/* call's: call records, recordings, live call control, voicemail. */
static const struct api_route calls_rows[] = {
	{"GET",  "/api/v1/calls",                   api_h_calls,     CALL_READERS,
	 0, "call records, newest first; from, to, limit, cursor"},
	{"GET",  "/api/v1/calls/{id}",              api_h_call,      CALL_READERS,
	 0, "one call record with its events in order"},
	{"GET",  "/api/v1/calls/{id}/recording",    api_h_recording, CALL_READERS,
	 0, "the call's WAV recording; Range requests supported"},
	{"POST", "/api/v1/calls/{id}/transfer",     api_h_call_transfer,
	 API_R_ADMIN | API_R_SUPERVISOR | API_R_AGENT,
	 0, "blind transfer of a live call to {to}: extension, queue or DID"},
	{"GET",  "/api/v1/voicemails",              api_h_voicemails, VM_USERS,
	 0, "voicemail messages, newest first; mailbox, limit (agents: their own)"},
	{"GET",  "/api/v1/voicemails/{id}/audio",   api_h_voicemail_audio,
	 VM_USERS, API_F_QUERY_TOKEN,
	 "the message's mono WAV; Range requests supported"},
	{"PATCH", "/api/v1/voicemails/{id}",        api_h_voicemail_patch,
	 VM_USERS, 0, "mark a message heard or not: {\"heard\":true|false}"},
	{"DELETE", "/api/v1/voicemails/{id}",       api_h_voicemail_delete,
	 VM_USERS, 0, "delete a message and its audio"},
};
const struct mod_routes api_routes_calls = {calls_rows, ARRAY_LEN(calls_rows)};
