/* sip/settings: the settings the SIP endpoint reads (base/mod.h), keys
 * sip.*: where it listens, the realm, registration and session-timer
 * limits, NAT keep-alives. The listening addresses and the realm are read
 * as text; the numbers go into struct sipx_values. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "base/field.h"
#include "base/mod.h"
#include "base/util.h"
#include "sip/sipx_int.h"

#define V(m) FIELD_AT(struct sipx_values, m)

/* A registration range the registrar cannot grant: the rows run in
 * order, so min_expires is already in base. */
static int max_not_below_min(const char *name, const char *text,
			     const void *base, char *why, size_t n)
{
	const struct sipx_values *v = base;

	if (strtoull(text, NULL, 10) >= v->min_expires)
		return 0;
	snprintf(why, n, "bad %s '%s' (want sip.min_expires..86400)", name,
		 text);
	return EINVAL;
}

static const struct field rows[] = {
	{.name = "sip.listen", .flag = "--sip", .kind = FIELD_HOSTPORT,
	 .def = "0.0.0.0:5060", .help = "SIP address, UDP and TCP",
	 .doc = "SIP, UDP and TCP"},
	{.name = "sip.tls_listen", .flag = "--sip-tls", .kind = FIELD_HOSTPORT,
	 .help = "SIP over TLS address (e.g. 0.0.0.0:5061; needs --sip-tls-cert)",
	 .doc = "SIP over TLS, for phones and trunks (needs `sip.tls_cert`)",
	 .def_doc = "off"},
	{.name = "sip.tls_cert", .flag = "--sip-tls-cert", .kind = FIELD_STR,
	 .help = "PEM file holding the TLS certificate (chain) and its private key",
	 .doc = "PEM file with the TLS certificate, its chain and its private key, in one file",
	 .def_doc = "none"},
	{.name = "sip.realm", .kind = FIELD_STR, .def = "hotline",
	 .help = "digest realm for extensions",
	 .doc = "digest realm of the extensions"},
	{.name = "sip.min_expires", .kind = FIELD_INT, V(min_expires),
	 .lo = 1, .hi = 86400, .def = "60", .unit = "s",
	 .help = "shortest registration granted, seconds (shorter gets 423)",
	 .doc = "shortest registration lifetime granted, seconds (shorter gets `423`)"},
	{.name = "sip.max_expires", .kind = FIELD_INT, V(max_expires),
	 .lo = 1, .hi = 86400, .def = "3600", .unit = "s",
	 .check = max_not_below_min,
	 .help = "longest registration granted, seconds",
	 .doc = "longest registration lifetime granted, seconds (at least `sip.min_expires`)"},
	{.name = "sip.session_expires_s", .kind = FIELD_INT,
	 V(session_expires_s), .lo = 0, .hi = 86400, .def = "1800", .unit = "s",
	 .help = "session timer (RFC 4028) interval offered and granted, seconds (0: off)",
	 .doc = "session timer (RFC 4028) interval Hotline offers and grants, seconds; a call whose peer stops refreshing ends with cause `session_expired`; `0`: no session timers"},
	{.name = "sip.min_se_s", .kind = FIELD_INT, V(min_se_s), .lo = 1,
	 .hi = 86400, .def = "90", .unit = "s",
	 .help = "shortest session timer interval accepted, seconds (shorter gets 422)",
	 .doc = "shortest session timer interval accepted (`Min-SE`), seconds; a shorter `Session-Expires` gets `422`. RFC 4028 says 90; lower only for tests"},
	{.name = "sip.keepalive_s", .kind = FIELD_INT, V(keepalive_s), .lo = 0,
	 .hi = 3600, .def = "25", .unit = "s",
	 .help = "OPTIONS keep-alive to phones behind NAT or asking outbound, seconds (0: none)",
	 .doc = "how often a registered phone behind NAT (or one whose Contact has `;ob`) gets an OPTIONS keep-alive at its REGISTER's source, seconds; `0`: never"},
	{.name = "sip.keepalive_misses", .kind = FIELD_INT,
	 V(keepalive_misses), .lo = 1, .hi = 100, .def = "3",
	 .help = "keep-alives unanswered in a row before the phone is unregistered",
	 .doc = "keep-alives left unanswered in a row before the phone's binding ends (reason `keepalive`)"},
	{.name = "sip.udp_rcvbuf", .kind = FIELD_INT, V(udp_rcvbuf), .lo = 0,
	 .hi = 1073741824, .def = "8388608", .unit = "bytes",
	 .help = "receive queue of each SIP UDP socket, bytes (0: the kernel's default)",
	 .doc = "receive queue of each SIP UDP socket, bytes; `0`: the kernel's default. A mass hang-up queues a BYE per call at once; Linux cuts the size to `net.core.rmem_max` (212992 on a stock kernel) unless the server has CAP_NET_ADMIN, and logs `sip.udp_rcvbuf_capped` then: `sysctl -w net.core.rmem_max=8388608`"},
};

const struct mod_settings sipx_settings = {
	rows, ARRAY_LEN(rows), sizeof(struct sipx_values),
};
