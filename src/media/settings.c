/* media/settings: the settings the media engine (rtp.*, media.*) and the
 * text-to-speech worker (tts.*) read, for their export rows (base/mod.h). */
#include "base/field.h"
#include "base/mod.h"
#include "base/util.h"
#include "media/media.h"

_Static_assert(sizeof(((struct media_values *)0)->rtp_ports) ==
	       sizeof(struct field_ports), "rtp_ports is a field_ports");

static const struct field rows[] = {
	{.name = "rtp.ports", .flag = "--rtp-ports", .kind = FIELD_PORTS,
	 FIELD_AT(struct media_values, rtp_ports), .lo = 1024, .hi = 65535,
	 .def = "20000-29999", .help = "RTP port range LO-HI",
	 .doc = "RTP port range (even ports are used)"},
	{.name = "rtp.address", .kind = FIELD_STR,
	 .help = "IPv4 address put in SDP and bound for RTP (default: the --sip host, or the default route's address)",
	 .doc = "IPv4 address written into SDP and bound for RTP",
	 .def_doc = "the `--sip` host, or the default route's address"},
	{.name = "media.threads", .kind = FIELD_INT,
	 FIELD_AT(struct media_values, threads), .lo = 1, .hi = 64, .def = "1",
	 .help = "media threads carrying RTP", .doc = "media threads (1..64)"},
};

const struct mod_settings media_settings = {
	rows, ARRAY_LEN(rows), sizeof(struct media_values),
};

static const struct field tts_rows[] = {
	{.name = "tts.rate_wpm", .kind = FIELD_INT,
	 FIELD_AT(struct media_tts_values, rate_wpm), .lo = 80, .hi = 450,
	 .def = "175",
	 .help = "text-to-speech speaking rate of announcements, words per minute (80..450)",
	 .doc = "speaking rate of spoken announcements, words per minute (80..450)"},
};

const struct mod_settings media_tts_settings = {
	tts_rows, ARRAY_LEN(tts_rows), sizeof(struct media_tts_values),
};
