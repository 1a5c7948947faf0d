/* call/settings: the settings the B2BUA reads, for its export row
 * (base/mod.h): recording, ring and silence limits, the lines the center
 * has, ringback, voicemail, SRTP keys over plain signalling, and whether a
 * conference's phones move to one port. */
#include "base/field.h"
#include "base/mod.h"
#include "base/util.h"
#include "call/call.h"

#define V(m) FIELD_AT(struct call_values, m)

static const struct field rows[] = {
	{.name = "srtp.keys_over_plain", .kind = FIELD_BOOL,
	 V(srtp_keys_over_plain), .def = "false",
	 .help = "take SRTP keys (SDES) in SDP that came over plain UDP or TCP (default: refused with 488)",
	 .doc = "take SRTP keys (SDES, RFC 4568) from SDP that came over plain UDP or TCP signalling; by default such an offer gets `488`, since anyone on the path reads the keys (`true` or `false`)"},
	{.name = "record.enabled", .flag = "--record", .kind = FIELD_BOOL,
	 V(record), .def = "true",
	 .help = "record every answered call (true/false)",
	 .doc = "record every answered call (`true` or `false`)"},
	{.name = "call.ring_timeout_s", .kind = FIELD_INT, V(ring_timeout_s),
	 .lo = 0, .hi = 3600, .def = "60", .unit = "s",
	 .help = "how long a direct call rings an extension before the caller gets 480 (0: no limit)",
	 .doc = "how long a direct call rings an extension before the caller gets 480 (`0`: until the caller gives up; at most 3600); queues have their own ring timeout"},
	{.name = "call.rtp_timeout_s", .kind = FIELD_INT, V(rtp_timeout_s),
	 .lo = 0, .hi = 86400, .def = "60", .unit = "s",
	 .help = "a call whose caller sends no RTP this long ends (cause rtp_timeout; 0: never)",
	 .doc = "an answered call whose customer sends no RTP for this long ends with cause `rtp_timeout` (a leg on hold, sending nothing by design, is not counted); `0`: never"},
	{.name = "call.max_calls", .kind = FIELD_INT, V(max_calls), .lo = 0,
	 .hi = 1000000, .def = "0",
	 .help = "live calls at most (the lines the center has); more get 486 Busy Here and count as blocked in their queue's KPIs (0: no limit)",
	 .doc = "live calls at most (the lines the center has): one more gets 486 Busy Here and, if it dialled a queue, counts as a blocked call in that queue's KPIs (忙音率); `0`: no limit"},
	{.name = "call.conference_one_port", .kind = FIELD_BOOL,
	 V(conference_one_port), .def = "true",
	 .help = "re-INVITE a conference's phones to one RTP port, which costs the media thread a third of the system calls (false: each keeps its own, for peers that refuse a re-INVITE mid-call)",
	 .doc = "re-INVITE a three-way conference's phones (customer, agent, third party) to one RTP port, read and sent to with one system call each a tick for all of them, so that a conference costs no more than as many bridged legs; `false`: each phone keeps its own port (for carriers or phones that refuse a re-INVITE mid-call; a phone that refuses it keeps its port either way). A supervisor listening in never moves anyone"},
	{.name = "call.ringback", .kind = FIELD_STR, .def = "none",
	 .help = "early media while an agent's phone rings: none (plain 180), cn (450 Hz, 1 s on 4 s off) or a sound file",
	 .doc = "early media while the agent's phone rings: `none` (a plain 180), `cn` (China's ringback tone, 450 Hz 1 s on 4 s off), or any sound file"},
	{.name = "voicemail.greeting", .kind = FIELD_STR, .def = "speech",
	 .help = "what a caller hears before leaving a voicemail: speech (\"请在提示音后留言\", spoken, then a beep; the beep alone without text-to-speech), tone (a beep) or a sound file (the beep is added after it)",
	 .doc = "what a caller sent to a mailbox hears before speaking: `speech` (\"请在提示音后留言。\" spoken by the text-to-speech worker, then the beep; until it is synthesised, or without espeak-ng, the beep alone), `tone` (a 1 kHz beep) or a sound file, followed by the beep"},
	{.name = "voicemail.max_s", .kind = FIELD_INT, V(vm_max_s), .lo = 1,
	 .hi = 3600, .def = "120", .unit = "s",
	 .help = "longest voicemail message, seconds (then Hotline hangs up)",
	 .doc = "longest message, seconds (1..3600); then Hotline hangs up (cause `voicemail-limit`)"},
};

const struct mod_settings call_settings = {
	rows, ARRAY_LEN(rows), sizeof(struct call_values),
};
