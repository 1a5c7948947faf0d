/* app/cfg: every setting "hotline serve" knows, one row each. The INI file
 * uses the same keys ([sip] listen = …); the flags are CONTRACT.md's. */
#include <stddef.h>
#include "app/app_int.h"

const struct cfg_def app_cfg_defs[] = {
	{"db.url",        "--db",        NULL,
	 false, "database URL (default sqlite:DATA/hotline.db)"},
	{"data.dir",      "--data",      "./hotline-data",
	 false, "directory for the database, recordings and caches"},
	{"sip.listen",    "--sip",       "0.0.0.0:5060",
	 false, "SIP address, UDP and TCP"},
	{"http.listen",   "--http",      "0.0.0.0:8080",
	 false, "HTTP API and web console address"},
	{"rtp.ports",     "--rtp-ports", "20000-29999",
	 false, "RTP port range LO-HI"},
	{"rtp.address",   NULL,          NULL,
	 false, "IPv4 address put in SDP and bound for RTP (default: the --sip host, or the default route's address)"},
	{"media.threads", NULL,          "1",
	 false, "media threads carrying RTP"},
	{"record.enabled", "--record",   "true",
	 false, "record every answered call (true/false)"},
	{"call.ringback", NULL,          "none",
	 false, "early media while an agent's phone rings: none (plain 180), cn (450 Hz, 1 s on 4 s off) or a sound file"},
	{"demo.enabled",  "--demo",      "false",
	 true,  "provision the demo tenant (idempotent)"},
	{"log.level",     "--log-level", "info",
	 false, "debug, info, warn or error"},
	{"sip.realm",     NULL,          "hotline",
	 false, "digest realm for extensions"},
	{"sip.min_expires", NULL,        "60",
	 false, "shortest registration granted, seconds (shorter gets 423)"},
	{"sip.max_expires", NULL,        "3600",
	 false, "longest registration granted, seconds"},
	{"auth.token_ttl_s", NULL,       "43200",
	 false, "lifetime of an API bearer token in seconds"},
	{NULL, NULL, NULL, false, NULL},
};
