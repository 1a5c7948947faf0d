/* api/settings: the settings the HTTP API reads, for its export row
 * (base/mod.h): where it listens, its connection limits, a token's
 * lifetime, how long the audit log keeps an entry. */
#include "api/api.h"
#include "base/field.h"
#include "base/mod.h"

#define V(m) FIELD_AT(struct api_values, m)

static const struct field rows[] = {
	{.name = "http.listen", .flag = "--http", .kind = FIELD_HOSTPORT,
	 .def = "0.0.0.0:8080", .help = "HTTP API and web console address",
	 .doc = "HTTP API, WebSocket, console"},
	{.name = "auth.token_ttl_s", .kind = FIELD_INT, V(token_ttl_s),
	 .lo = 60, .hi = 366LL * 86400, .def = "43200", .unit = "s",
	 .help = "lifetime of an API bearer token in seconds",
	 .doc = "API token lifetime, seconds (60..31622400)"},
	{.name = "http.header_timeout_ms", .kind = FIELD_INT,
	 V(header_timeout_ms), .lo = 100, .hi = 3600000, .def = "10000",
	 .unit = "ms",
	 .help = "time a client has to send a request's headers (then 408)",
	 .doc = "time a client has, from connecting or from a request's first byte, to send the request line and headers; then `408`"},
	{.name = "http.idle_timeout_ms", .kind = FIELD_INT,
	 V(idle_timeout_ms), .lo = 100, .hi = 86400000, .def = "60000",
	 .unit = "ms",
	 .help = "an idle keep-alive connection, or a stalled body, is closed after this",
	 .doc = "an idle keep-alive connection, or a request body that stops arriving, is closed after this"},
	{.name = "http.max_conns", .kind = FIELD_INT, V(max_conns), .lo = 1,
	 .hi = 100000, .def = "1024",
	 .help = "open HTTP connections at most; more get 503",
	 .doc = "open HTTP connections at most; more get `503` (raise the open-file limit with it)"},
	{.name = "audit.keep_days", .kind = FIELD_INT, V(audit_keep_days),
	 .lo = 0, .hi = 36500, .def = "365",
	 .help = "days the audit log keeps an entry (0: for ever); older ones are deleted hourly",
	 .doc = "days the audit log keeps an entry; older ones are deleted at start and every hour (`0`: kept for ever). China's Cybersecurity Law asks for at least 180 days of such logs"},
};

const struct mod_settings api_settings = {
	rows, ARRAY_LEN(rows), sizeof(struct api_values),
};
