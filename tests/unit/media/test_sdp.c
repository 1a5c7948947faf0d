/* Audio SDP: what real offers parse into, what we answer them, and which
 * descriptions are refused and why. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "base/util.h"
#include "media/media_int.h"

static const struct media_codec ours[] = {
	{.pt = 0, .name = "PCMU", .rate = 8000, .channels = 1},
	{.pt = 8, .name = "PCMA", .rate = 8000, .channels = 1},
};

/* What sipp's built-in uac scenario sends. */
static const char sipp_offer[] =
	"v=0\r\n"
	"o=user1 53655765 2353687637 IN IP4 127.0.0.1\r\n"
	"s=-\r\n"
	"c=IN IP4 127.0.0.1\r\n"
	"t=0 0\r\n"
	"m=audio 6000 RTP/AVP 0\r\n"
	"a=rtpmap:0 PCMU/8000\r\n";

/* baresip with its usual modules: wideband first, then G.711. */
static const char baresip_offer[] =
	"v=0\r\n"
	"o=- 1837436112 2123651399 IN IP4 127.0.0.1\r\n"
	"s=-\r\n"
	"c=IN IP4 127.0.0.1\r\n"
	"t=0 0\r\n"
	"m=audio 10774 RTP/AVP 96 97 9 0 8 101\r\n"
	"b=AS:128\r\n"
	"a=rtpmap:96 opus/48000/2\r\n"
	"a=fmtp:96 stereo=1;sprop-stereo=1\r\n"
	"a=rtpmap:97 G7221/32000\r\n"
	"a=fmtp:97 bitrate=48000\r\n"
	"a=rtpmap:9 G722/8000\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"a=rtpmap:8 PCMA/8000\r\n"
	"a=rtpmap:101 telephone-event/8000\r\n"
	"a=fmtp:101 0-15\r\n"
	"a=rtcp-mux\r\n"
	"a=ptime:20\r\n"
	"a=sendrecv\r\n"
	"a=label:1\r\n"
	"m=video 10776 RTP/AVP 100\r\n"
	"a=rtpmap:100 H264/90000\r\n";

static int parse(struct media_sdp *sdp, const char *text, char *why)
{
	return media_sdp_parse(sdp, text, strlen(text), why, 128);
}

/* The offer with its first occurrence of `from` replaced by `to`; offer
 * may be an earlier result. */
static const char *edit(const char *offer, const char *from, const char *to)
{
	static char buf[4096], src[4096];
	const char *at;

	util_strlcpy(src, offer, sizeof(src));
	at = strstr(src, from);
	assert_non_null(at);
	snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - src), src, to,
		 at + strlen(from));
	return buf;
}

static void a_sipp_offer_gets_pcmu_without_dtmf(void **state)
{
	struct media_sdp sdp;
	struct media_neg neg;
	char why[128];

	(void)state;
	assert_int_equal(0, parse(&sdp, sipp_offer, why));
	assert_int_equal(53655765, sdp.sess_id);
	assert_int_equal(2353687637u, sdp.sess_ver);
	assert_int_equal(0, sdp.audio);
	assert_string_equal("127.0.0.1", sdp.addr);
	assert_int_equal(AF_INET, sdp.af);
	assert_int_equal(6000, sdp.port);
	assert_int_equal(MEDIA_SENDRECV, sdp.dir);

	assert_int_equal(0, media_sdp_negotiate(&sdp, ours, 2, MEDIA_SENDRECV,
						&neg));
	assert_int_equal(0, neg.codec.pt);
	assert_string_equal("PCMU", neg.codec.name);
	assert_int_equal(-1, neg.dtmf_pt);
	assert_int_equal(MEDIA_SENDRECV, neg.dir);
	assert_string_equal("127.0.0.1", neg.addr);
	assert_int_equal(6000, neg.port);
}

static void a_baresip_offer_gets_its_first_g711_and_its_event_type(void **state)
{
	const struct media_codec alaw_first[] = {ours[1], ours[0]};
	struct media_sdp sdp;
	struct media_neg neg;
	char why[128];

	(void)state;
	assert_int_equal(0, parse(&sdp, baresip_offer, why));
	assert_int_equal(2, sdp.nmedia);
	assert_int_equal(6, sdp.ncodecs);
	assert_string_equal("opus", sdp.codecs[0].name);
	assert_int_equal(48000, sdp.codecs[0].rate);
	assert_int_equal(2, sdp.codecs[0].channels);
	assert_string_equal("stereo=1;sprop-stereo=1", sdp.codecs[0].fmtp);
	assert_int_equal(20, sdp.ptime);

	/* The offerer's order decides, not ours. */
	assert_int_equal(0, media_sdp_negotiate(&sdp, alaw_first, 2,
						MEDIA_SENDRECV, &neg));
	assert_string_equal("PCMU", neg.codec.name);
	assert_int_equal(101, neg.dtmf_pt);
	assert_int_equal(20, neg.ptime);
}

static void the_offerers_payload_types_are_kept(void **state)
{
	struct media_sdp sdp;
	struct media_neg neg;
	char why[128];
	const char *o = edit(sipp_offer, "RTP/AVP 0\r\na=rtpmap:0 PCMU/8000",
			     "RTP/AVP 100 8 118\r\na=rtpmap:100 pcmu/8000\r\n"
			     "a=rtpmap:118 telephone-event/8000");

	(void)state;
	assert_int_equal(0, parse(&sdp, o, why));
	assert_int_equal(0, media_sdp_negotiate(&sdp, ours, 2, MEDIA_SENDRECV,
						&neg));
	assert_int_equal(100, neg.codec.pt);
	assert_int_equal(118, neg.dtmf_pt);

	/* A static type without a=rtpmap is known by its number. */
	o = edit(sipp_offer, "RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n",
		 "RTP/AVP 18 8\r\n");
	assert_int_equal(0, parse(&sdp, o, why));
	assert_int_equal(0, media_sdp_negotiate(&sdp, ours, 2, MEDIA_SENDRECV,
						&neg));
	assert_int_equal(8, neg.codec.pt);
	assert_string_equal("PCMA", neg.codec.name);
	assert_int_equal(8000, neg.codec.rate);
}

static void directions_are_mirrored_in_the_answer(void **state)
{
	static const struct {
		const char *attr;
		enum media_dir theirs, ours, want;
	} cases[] = {
		{"a=sendrecv", MEDIA_SENDRECV, MEDIA_SENDRECV, MEDIA_SENDRECV},
		{"a=sendonly", MEDIA_SENDONLY, MEDIA_RECVONLY, MEDIA_SENDRECV},
		{"a=recvonly", MEDIA_RECVONLY, MEDIA_SENDONLY, MEDIA_SENDRECV},
		{"a=inactive", MEDIA_INACTIVE, MEDIA_INACTIVE, MEDIA_SENDRECV},
		/* and limited by what we want: we hold, they don't */
		{"a=sendrecv", MEDIA_SENDRECV, MEDIA_SENDONLY, MEDIA_SENDONLY},
		{"a=sendonly", MEDIA_SENDONLY, MEDIA_INACTIVE, MEDIA_SENDONLY},
	};
	struct media_sdp sdp;
	struct media_neg neg;
	char why[128];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const char *o = edit(baresip_offer, "a=sendrecv", cases[i].attr);

		assert_int_equal(0, parse(&sdp, o, why));
		assert_int_equal(cases[i].theirs, sdp.dir);
		assert_int_equal(0, media_sdp_negotiate(&sdp, ours, 2,
							cases[i].want, &neg));
		assert_int_equal(cases[i].ours, neg.dir);
	}
}

static void a_session_level_direction_applies_unless_the_stream_says(void **state)
{
	struct media_sdp sdp;
	char why[128];
	const char *o = edit(sipp_offer, "t=0 0\r\n", "t=0 0\r\na=sendonly\r\n");

	(void)state;
	assert_int_equal(0, parse(&sdp, o, why));
	assert_int_equal(MEDIA_SENDONLY, sdp.dir);
	o = edit(o, "PCMU/8000\r\n", "PCMU/8000\r\na=inactive\r\n");
	assert_int_equal(0, parse(&sdp, o, why));
	assert_int_equal(MEDIA_INACTIVE, sdp.dir);
}

static void an_old_style_hold_means_we_send_nothing(void **state)
{
	struct media_sdp sdp;
	struct media_neg neg;
	char why[128];
	const char *o = edit(sipp_offer, "c=IN IP4 127.0.0.1", "c=IN IP4 0.0.0.0");

	(void)state;
	assert_int_equal(0, parse(&sdp, o, why));
	assert_true(sdp.hold_addr);
	assert_int_equal(MEDIA_SENDRECV, sdp.dir);
	assert_int_equal(0, media_sdp_negotiate(&sdp, ours, 2, MEDIA_SENDRECV,
						&neg));
	assert_int_equal(MEDIA_RECVONLY, neg.dir);
}

static void ipv6_and_media_level_addresses(void **state)
{
	struct media_sdp sdp;
	char why[128];
	const char *o = edit(sipp_offer, "IN IP4 127.0.0.1\r\nt=",
			     "IN IP6 2001:db8::1\r\nt=");

	(void)state;
	assert_int_equal(0, parse(&sdp, o, why));
	assert_int_equal(AF_INET6, sdp.af);
	assert_string_equal("2001:db8::1", sdp.addr);

	/* no session c=, one on the stream */
	o = edit(sipp_offer, "c=IN IP4 127.0.0.1\r\n", "");
	o = edit(o, "RTP/AVP 0\r\n", "RTP/AVP 0\r\nc=IN IP6 ::1\r\n");
	assert_int_equal(0, parse(&sdp, o, why));
	assert_string_equal("::1", sdp.addr);

	/* the stream's c= wins over the session's */
	o = edit(sipp_offer, "RTP/AVP 0\r\n",
		 "RTP/AVP 0\r\nc=IN IP4 192.0.2.7\r\n");
	assert_int_equal(0, parse(&sdp, o, why));
	assert_string_equal("192.0.2.7", sdp.addr);
}

static void no_common_codec_is_not_supported(void **state)
{
	struct media_sdp sdp;
	struct media_neg neg;
	char why[128];
	const char *o = edit(baresip_offer, "96 97 9 0 8 101", "96 97 9 101");

	(void)state;
	assert_int_equal(0, parse(&sdp, o, why));
	assert_int_equal(ENOTSUP, media_sdp_negotiate(&sdp, ours, 2,
						      MEDIA_SENDRECV, &neg));
	/* PCMU by name but at 16 kHz is another codec */
	o = edit(sipp_offer, "PCMU/8000", "PCMU/16000");
	assert_int_equal(0, parse(&sdp, o, why));
	assert_int_equal(ENOTSUP, media_sdp_negotiate(&sdp, ours, 2,
						      MEDIA_SENDRECV, &neg));
}

static void a_stream_at_port_zero_or_of_another_profile_is_no_audio(void **state)
{
	struct media_sdp sdp;
	struct media_neg neg;
	char why[128];
	const char *o = edit(sipp_offer, "m=audio 6000", "m=audio 0");

	(void)state;
	assert_int_equal(0, parse(&sdp, o, why));
	assert_int_equal(-1, sdp.audio);
	assert_int_equal(ENOTSUP, media_sdp_negotiate(&sdp, ours, 2,
						      MEDIA_SENDRECV, &neg));
	/* DTLS-SRTP is not ours: the stream is skipped ... */
	o = edit(sipp_offer, "RTP/AVP", "UDP/TLS/RTP/SAVP");
	assert_int_equal(0, parse(&sdp, o, why));
	assert_int_equal(-1, sdp.audio);
	/* ... and a second, usable audio stream is the one used */
	o = edit(o, "a=rtpmap:0 PCMU/8000\r\n",
		 "a=rtpmap:0 PCMU/8000\r\nm=audio 7000 RTP/AVP 8\r\n");
	assert_int_equal(0, parse(&sdp, o, why));
	assert_int_equal(1, sdp.audio);
	assert_int_equal(7000, sdp.port);
	assert_false(sdp.secure);
}

/* RFC 4568's example key (30 bytes: AES-128 key and salt). */
#define KEY "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"

static void an_srtp_offer_takes_its_first_usable_crypto_line(void **state)
{
	struct media_sdp sdp;
	struct media_neg neg;
	char why[128];
	const char *o = edit(sipp_offer, "RTP/AVP", "RTP/SAVP");

	(void)state;
	o = edit(o, "a=rtpmap:0 PCMU/8000\r\n", "a=rtpmap:0 PCMU/8000\r\n"
		 "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" KEY "|2^20\r\n"
		 "a=crypto:2 F8_128_HMAC_SHA1_80 inline:" KEY "\r\n"
		 "a=crypto:3 AES_CM_128_HMAC_SHA1_32 inline:" KEY "\r\n"
		 "a=crypto:4 AES_CM_128_HMAC_SHA1_80 inline:" KEY "\r\n");
	assert_int_equal(0, parse(&sdp, o, why));
	assert_int_equal(0, sdp.audio);
	assert_true(sdp.secure);
	assert_int_equal(2, sdp.ncrypto);
	assert_int_equal(2, sdp.crypto_refused);
	assert_string_equal("a=crypto: key lifetime under 2^31 packets "
			    "(no re-keying)", sdp.crypto_why);
	assert_int_equal(0, media_sdp_negotiate(&sdp, ours, 2, MEDIA_SENDRECV,
						&neg));
	assert_true(neg.secure);
	assert_int_equal(3, neg.crypto.tag);
	assert_int_equal(MEDIA_SRTP_AES_CM_128_HMAC_SHA1_32, neg.crypto.suite);
	assert_memory_equal("YS_", neg.crypto.key, 3);
}

static void an_srtp_offer_without_a_usable_crypto_line_is_refused(void **state)
{
	struct media_sdp sdp;
	struct media_neg neg;
	char why[128];
	const char *o = edit(sipp_offer, "RTP/AVP", "RTP/SAVP");

	(void)state;
	assert_int_equal(0, parse(&sdp, o, why));
	assert_int_equal(EPROTONOSUPPORT, media_sdp_negotiate(
				 &sdp, ours, 2, MEDIA_SENDRECV, &neg));
	o = edit(o, "a=rtpmap:0 PCMU/8000\r\n", "a=rtpmap:0 PCMU/8000\r\n"
		 "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" KEY "|1:4\r\n");
	assert_int_equal(0, parse(&sdp, o, why));
	assert_int_equal(0, sdp.ncrypto);
	assert_string_equal("a=crypto: MKI not supported", sdp.crypto_why);
	assert_int_equal(EPROTONOSUPPORT, media_sdp_negotiate(
				 &sdp, ours, 2, MEDIA_SENDRECV, &neg));
	/* no common codec is said first: the offer fails either way */
	o = edit(o, "RTP/SAVP 0", "RTP/SAVP 18");
	assert_int_equal(0, parse(&sdp, o, why));
	assert_int_equal(ENOTSUP, media_sdp_negotiate(&sdp, ours, 2,
						      MEDIA_SENDRECV, &neg));
	/* a plain offer's crypto lines mean nothing */
	o = edit(sipp_offer, "a=rtpmap:0 PCMU/8000\r\n",
		 "a=rtpmap:0 PCMU/8000\r\n"
		 "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" KEY "\r\n");
	assert_int_equal(0, parse(&sdp, o, why));
	assert_int_equal(0, media_sdp_negotiate(&sdp, ours, 2, MEDIA_SENDRECV,
						&neg));
	assert_false(neg.secure);
}

static void our_srtp_offer_and_answer_carry_our_key(void **state)
{
	struct media_sdes key = {.tag = 5,
				 .suite = MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80,
				 .keylen = 30};
	struct media_sdp_local l = {
		.addr = "127.0.0.1", .port = 20000, .sess_id = 42,
		.sess_ver = 7, .dir = MEDIA_SENDRECV, .codecs = ours,
		.ncodecs = 1, .dtmf_pt = -1, .crypto = &key,
	};
	struct media_sdp sdp;
	char buf[1024], why[128];

	(void)state;
	memcpy(key.key, "YS_", 3);
	assert_int_equal(0, media_sdp_offer(buf, sizeof(buf), &l));
	assert_non_null(strstr(buf, "m=audio 20000 RTP/SAVP 0\r\n"));
	assert_int_equal(0, parse(&sdp, buf, why));
	assert_true(sdp.secure);
	assert_int_equal(1, sdp.ncrypto);
	assert_int_equal(5, sdp.crypto[0].tag);
	assert_memory_equal(key.key, sdp.crypto[0].key, 30);

	/* the answer to a plain offer with a key is SRTP too: the caller
	 * decides whether to give one */
	assert_int_equal(0, parse(&sdp, sipp_offer, why));
	assert_int_equal(0, media_sdp_answer(buf, sizeof(buf), &l, &sdp));
	assert_non_null(strstr(buf, "m=audio 20000 RTP/SAVP 0\r\n"
			       "a=rtpmap:0 PCMU/8000\r\n"
			       "a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:WVNfAAAA"));
}

/* Each row: a change to the sipp offer and the reason it is refused. */
static void malformed_descriptions_are_refused_with_a_reason(void **state)
{
	static const struct {
		const char *from, *to, *why;
	} cases[] = {
		{"v=0", "v=1", "line 1: v=: version must be 0"},
		{"v=0\r\n", "", "line 1: expected v="},
		{"s=-\r\n", "", "line 3: expected s="},
		{"t=0 0\r\n", "", "missing t= line"},
		{"t=0 0", "t=0", "line 5: t=: expected two numbers"},
		{" 53655765 ", " x ", "line 2: o=: session id and version"},
		{"IN IP4 127.0.0.1\r\ns", "IN IP4\r\ns", "line 2: o=: expected 6"},
		{"c=IN IP4 127.0.0.1", "c=IN IP4 127.0.0.256", "line 4: c=: bad IP4"},
		{"c=IN IP4 127.0.0.1", "c=IN IP6 127.0.0.1", "line 4: c=: bad IP6"},
		{"c=IN IP4 127.0.0.1", "c=IN IP4 224.2.1.1/127", "c=: bad IP4"},
		{"c=IN IP4 127.0.0.1", "c=IN IPX 1", "c=: unknown address type"},
		{"c=IN IP4 127.0.0.1\r\n", "", "no c= line for the audio"},
		{"m=audio 6000", "m=audio 65536", "line 6: m=: bad port"},
		{"m=audio 6000", "m=audio 6000/2", "m=: bad port"},
		{"RTP/AVP 0", "RTP/AVP", "m=: expected media, port"},
		{"RTP/AVP 0", "RTP/AVP 0 x", "m=: format x is not"},
		{"RTP/AVP 0", "RTP/AVP 0 128", "m=: format 128 is not"},
		{"RTP/AVP 0", "RTP/AVP 0 0", "payload type 0 repeated"},
		{"PCMU/8000", "PCMU", "line 7: a=rtpmap: expected"},
		{"PCMU/8000", "PCMU/0", "a=rtpmap: bad clock rate"},
		{"PCMU/8000", "PCMU/8000/0", "a=rtpmap: bad clock rate"},
		{"a=rtpmap:0 PCMU/8000", "a=ptime:often", "a=ptime: expected"},
		{"a=rtpmap:0 PCMU/8000", "a=ptime:", "a=ptime: missing value"},
		{"a=rtpmap:0 PCMU/8000", "a=", "a=: empty attribute name"},
		{"a=rtpmap:0 PCMU/8000", "x=1", "unknown line type x="},
		{"a=rtpmap:0 PCMU/8000", "t=0 0", "t= not allowed here"},
		{"a=rtpmap:0 PCMU/8000", "o=- 1 1 IN IP4 ::1", "o= out of place"},
		{"a=rtpmap:0 PCMU/8000", "A=b", "line 7: expected x=value"},
		{"a=rtpmap:0 PCMU/8000", "a=x\tb", "line 7: control character"},
		{"a=rtpmap:0 PCMU/8000", "a=x\rb", "line 7: control character"},
		{"s=-\r\n", "s=-\r\n\r\n", "line 4: expected x=value"},
		{"m=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n", "",
		 "no m= line"},
	};
	struct media_sdp sdp;
	char why[128];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const char *o = edit(sipp_offer, cases[i].from, cases[i].to);

		why[0] = 0;
		assert_int_equal(EBADMSG, parse(&sdp, o, why));
		if (!strstr(why, cases[i].why))
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, why,
				 cases[i].why);
	}
}

static void garbage_and_oversized_input_are_refused(void **state)
{
	static char big[MEDIA_SDP_MAX_LEN + 2];
	char line[MEDIA_SDP_MAX_LINE + 16];
	struct media_sdp sdp;
	char why[128];
	const char *o;

	(void)state;
	assert_int_equal(EBADMSG, parse(&sdp, "hello world", why));
	assert_string_equal("line 1: expected x=value", why);
	assert_int_equal(EBADMSG, parse(&sdp, "", why));
	assert_string_equal("missing v= line", why);
	assert_int_equal(EBADMSG, media_sdp_parse(&sdp, "v=0\0o=", 6, why, 128));

	memset(line, 'x', sizeof(line));
	memcpy(line, "a=", 2);
	line[MEDIA_SDP_MAX_LINE + 1] = 0;
	o = edit(sipp_offer, "a=rtpmap:0 PCMU/8000", line);
	assert_int_equal(EBADMSG, parse(&sdp, o, why));
	assert_string_equal("line 7: longer than 1024 bytes", why);
	line[MEDIA_SDP_MAX_LINE] = 0;                 /* exactly the limit */
	o = edit(sipp_offer, "a=rtpmap:0 PCMU/8000", line);
	assert_int_equal(0, parse(&sdp, o, why));

	memset(big, 'a', sizeof(big) - 1);
	assert_int_equal(EBADMSG, parse(&sdp, big, why));
	assert_string_equal("description longer than 16384 bytes", why);
}

static void bare_newlines_and_a_missing_last_newline_are_accepted(void **state)
{
	struct media_sdp sdp;
	char why[128];

	(void)state;
	assert_int_equal(0, parse(&sdp, "v=0\no=- 1 2 IN IP4 h.example\ns=x\n"
				  "t=0 0\nm=audio 5 RTP/AVP 8\nc=IN IP4 10.0.0.1",
				  why));
	assert_int_equal(5, sdp.port);
	assert_int_equal(8, sdp.codecs[0].pt);
	assert_string_equal("PCMA", sdp.codecs[0].name);
}

/* ---- writing ---- */

static void our_offer_parses_back_into_what_we_meant(void **state)
{
	struct media_sdp_local l = {
		.addr = "127.0.0.1", .port = 20000, .sess_id = 42,
		.sess_ver = 7, .dir = MEDIA_SENDRECV, .ptime = 20,
		.codecs = ours, .ncodecs = 2, .dtmf_pt = 101,
	};
	struct media_sdp sdp;
	char buf[1024], why[128];

	(void)state;
	assert_int_equal(0, media_sdp_offer(buf, sizeof(buf), &l));
	assert_string_equal(
		"v=0\r\n"
		"o=hotline 42 7 IN IP4 127.0.0.1\r\n"
		"s=hotline\r\n"
		"c=IN IP4 127.0.0.1\r\n"
		"t=0 0\r\n"
		"m=audio 20000 RTP/AVP 0 8 101\r\n"
		"a=rtpmap:0 PCMU/8000\r\n"
		"a=rtpmap:8 PCMA/8000\r\n"
		"a=rtpmap:101 telephone-event/8000\r\n"
		"a=fmtp:101 0-16\r\n"
		"a=ptime:20\r\n"
		"a=sendrecv\r\n", buf);
	assert_int_equal(0, parse(&sdp, buf, why));
	assert_int_equal(3, sdp.ncodecs);
	assert_string_equal("0-16", sdp.codecs[2].fmtp);

	l.addr = "::1";
	l.dir = MEDIA_SENDONLY;
	assert_int_equal(0, media_sdp_offer(buf, sizeof(buf), &l));
	assert_int_equal(0, parse(&sdp, buf, why));
	assert_int_equal(AF_INET6, sdp.af);
	assert_int_equal(MEDIA_SENDONLY, sdp.dir);

	assert_int_equal(ENOSPC, media_sdp_offer(buf, 100, &l));
	l.addr = "example.com";
	assert_int_equal(EINVAL, media_sdp_offer(buf, sizeof(buf), &l));
}

static void the_answer_keeps_every_stream_and_refuses_the_others(void **state)
{
	struct media_sdp offer, ans;
	struct media_neg neg;
	struct media_sdp_local l = {
		.addr = "127.0.0.1", .port = 20002, .sess_id = 9, .sess_ver = 1,
		.ptime = 20, .ncodecs = 1,
	};
	char buf[1024], why[128];
	const char *o = edit(baresip_offer, "a=sendrecv", "a=sendonly");

	(void)state;
	assert_int_equal(0, parse(&offer, o, why));
	assert_int_equal(0, media_sdp_negotiate(&offer, ours, 2,
						MEDIA_SENDRECV, &neg));
	l.codecs = &neg.codec;
	l.dtmf_pt = neg.dtmf_pt;
	l.dir = neg.dir;
	assert_int_equal(0, media_sdp_answer(buf, sizeof(buf), &l, &offer));
	assert_non_null(strstr(buf, "m=audio 20002 RTP/AVP 0 101\r\n"));
	assert_non_null(strstr(buf, "a=recvonly\r\n"));
	assert_non_null(strstr(buf, "m=video 0 RTP/AVP 100\r\n"));

	assert_int_equal(0, parse(&ans, buf, why));
	assert_int_equal(2, ans.nmedia);
	assert_int_equal(0, ans.audio);
	assert_int_equal(MEDIA_RECVONLY, ans.dir);
	assert_int_equal(0, ans.media[1].port);

	/* an offer with no usable audio has no answer to write */
	o = edit(sipp_offer, "m=audio 6000", "m=audio 0");
	assert_int_equal(0, parse(&offer, o, why));
	assert_int_equal(EINVAL, media_sdp_answer(buf, sizeof(buf), &l, &offer));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_sipp_offer_gets_pcmu_without_dtmf),
		cmocka_unit_test(a_baresip_offer_gets_its_first_g711_and_its_event_type),
		cmocka_unit_test(the_offerers_payload_types_are_kept),
		cmocka_unit_test(directions_are_mirrored_in_the_answer),
		cmocka_unit_test(a_session_level_direction_applies_unless_the_stream_says),
		cmocka_unit_test(an_old_style_hold_means_we_send_nothing),
		cmocka_unit_test(ipv6_and_media_level_addresses),
		cmocka_unit_test(no_common_codec_is_not_supported),
		cmocka_unit_test(a_stream_at_port_zero_or_of_another_profile_is_no_audio),
		cmocka_unit_test(an_srtp_offer_takes_its_first_usable_crypto_line),
		cmocka_unit_test(an_srtp_offer_without_a_usable_crypto_line_is_refused),
		cmocka_unit_test(our_srtp_offer_and_answer_carry_our_key),
		cmocka_unit_test(malformed_descriptions_are_refused_with_a_reason),
		cmocka_unit_test(garbage_and_oversized_input_are_refused),
		cmocka_unit_test(bare_newlines_and_a_missing_last_newline_are_accepted),
		cmocka_unit_test(our_offer_parses_back_into_what_we_meant),
		cmocka_unit_test(the_answer_keeps_every_stream_and_refuses_the_others),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
