/* Session timers (RFC 4028) as Hotline agrees them: what an INVITE asks
 * (decoded by libre from the wire), what we answer with our interval of
 * 1800 s and our Min-SE of 90 s, and when a leg is refreshed or ended. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "sip/sipx_int.h"

enum { WANT = 1800, MIN_SE = 90 };

#define INVITE \
	"INVITE sip:4008003000@127.0.0.1 SIP/2.0\r\n" \
	"Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1\r\n" \
	"Max-Forwards: 70\r\n" \
	"From: <sip:13800138000@127.0.0.1>;tag=f\r\n" \
	"To: <sip:4008003000@127.0.0.1>\r\n" \
	"Call-ID: c1\r\n" \
	"CSeq: 1 INVITE\r\n"
#define END "Content-Length: 0\r\n\r\n"

/* sipx_timer_read's result for a request with these header lines. */
static int read_req(const char *hdrs, struct sipx_timer_req *rq)
{
	char text[1024];
	struct mbuf *mb;
	struct sip_msg *msg = NULL;
	int err;

	snprintf(text, sizeof(text), INVITE "%s" END, hdrs);
	mb = mbuf_alloc(strlen(text));
	assert_non_null(mb);
	mbuf_write_str(mb, text);
	mb->pos = 0;
	assert_int_equal(0, sip_msg_decode(&msg, mb));
	err = sipx_timer_read(msg, rq);
	mem_deref(msg);
	mem_deref(mb);
	return err;
}

/* Reads hdrs and negotiates as the UAS: 0 or ERANGE with *min_se. */
static int answer(const char *hdrs, struct sipx_timer *st, uint32_t *min_se)
{
	struct sipx_timer_req rq;

	assert_int_equal(0, read_req(hdrs, &rq));
	return sipx_timer_negotiate(&rq, WANT, MIN_SE, st, min_se);
}

static void the_request_s_headers_are_read(void **state)
{
	struct sipx_timer_req rq;
	(void)state;

	assert_int_equal(0, read_req("Supported: replaces, timer\r\n"
				     "Session-Expires: 600;refresher=uas\r\n"
				     "Min-SE: 120\r\n", &rq));
	assert_true(rq.supported);
	assert_int_equal(600, rq.se_s);
	assert_int_equal(SIPX_BY_UAS, rq.refresher);
	assert_int_equal(120, rq.min_se_s);

	assert_int_equal(0, read_req("x: 300\r\n", &rq));
	assert_false(rq.supported);
	assert_int_equal(300, rq.se_s);
	assert_int_equal(SIPX_BY_NONE, rq.refresher);
}

static void a_broken_session_expires_is_a_bad_request(void **state)
{
	struct sipx_timer_req rq;
	(void)state;

	assert_int_equal(EBADMSG, read_req("Session-Expires: soon\r\n", &rq));
	assert_int_equal(EBADMSG, read_req("Session-Expires: 900;"
					   "refresher=proxy\r\n", &rq));
	assert_int_equal(EBADMSG, read_req("Min-SE: -1\r\n", &rq));
}

static void an_interval_under_our_min_se_gets_422_with_it(void **state)
{
	struct sipx_timer st;
	uint32_t min_se = 0;
	(void)state;

	assert_int_equal(ERANGE, answer("Supported: timer\r\n"
					"Session-Expires: 60\r\n", &st, &min_se));
	assert_int_equal(MIN_SE, min_se);
	/* The caller's own larger Min-SE is the floor we name. */
	assert_int_equal(ERANGE, answer("Session-Expires: 60\r\n"
					"Min-SE: 100\r\n", &st, &min_se));
	assert_int_equal(100, min_se);
	assert_int_equal(0, answer("Session-Expires: 90\r\n", &st, &min_se));
	assert_int_equal(90, st.interval_s);
}

static void the_callers_refresher_is_honoured(void **state)
{
	struct sipx_timer st;
	uint32_t min_se;
	char hdrs[96];
	(void)state;

	assert_int_equal(0, answer("Supported: timer\r\n"
				   "Session-Expires: 90;refresher=uac\r\n",
				   &st, &min_se));
	assert_int_equal(90, st.interval_s);
	assert_false(st.we_refresh);
	assert_true(st.require);
	assert_int_equal(0, sipx_timer_hdrs(&st, hdrs, sizeof(hdrs)));
	assert_string_equal("Session-Expires: 90;refresher=uac\r\n"
			    "Require: timer\r\n", hdrs);

	assert_int_equal(0, answer("Supported: timer\r\n"
				   "Session-Expires: 600;refresher=uas\r\n",
				   &st, &min_se));
	assert_true(st.we_refresh);
	assert_int_equal(0, sipx_timer_hdrs(&st, hdrs, sizeof(hdrs)));
	assert_string_equal("Session-Expires: 600;refresher=uas\r\n"
			    "Require: timer\r\n", hdrs);
}

static void without_a_refresher_named_we_refresh(void **state)
{
	struct sipx_timer st;
	uint32_t min_se;
	(void)state;

	assert_int_equal(0, answer("Supported: timer\r\n"
				   "Session-Expires: 900\r\n", &st, &min_se));
	assert_int_equal(900, st.interval_s);
	assert_true(st.we_refresh);
}

static void a_caller_without_timers_gets_ours_and_no_require(void **state)
{
	struct sipx_timer st;
	uint32_t min_se;
	char hdrs[96];
	(void)state;

	/* RFC 4028 9: it cannot refresh, so we do; it never asked, so the 200
	 * requires nothing of it. */
	assert_int_equal(0, answer("", &st, &min_se));
	assert_int_equal(WANT, st.interval_s);
	assert_true(st.we_refresh);
	assert_false(st.require);
	assert_int_equal(0, sipx_timer_hdrs(&st, hdrs, sizeof(hdrs)));
	assert_string_equal("Session-Expires: 1800;refresher=uas\r\n", hdrs);
	/* Even naming uac, a caller that supports no timers cannot refresh. */
	assert_int_equal(0, answer("Session-Expires: 900;refresher=uac\r\n",
				   &st, &min_se));
	assert_true(st.we_refresh);
}

static void a_longer_interval_is_cut_to_ours_never_under_min_se(void **state)
{
	struct sipx_timer_req rq = {.supported = true, .se_s = 7200,
				    .min_se_s = 3600};
	struct sipx_timer st;
	uint32_t min_se;
	(void)state;

	assert_int_equal(0, answer("Session-Expires: 7200\r\n", &st, &min_se));
	assert_int_equal(WANT, st.interval_s);
	/* Its Min-SE of an hour is above our 1800: the hour it is. */
	assert_int_equal(0, sipx_timer_negotiate(&rq, WANT, MIN_SE, &st,
						 &min_se));
	assert_int_equal(3600, st.interval_s);
}

static void timers_off_grant_none_and_refuse_nothing(void **state)
{
	struct sipx_timer_req rq = {.supported = true, .se_s = 1800};
	struct sipx_timer st;
	uint32_t min_se;
	char hdrs[8] = "x";
	(void)state;

	assert_int_equal(0, sipx_timer_negotiate(&rq, 0, MIN_SE, &st, &min_se));
	assert_int_equal(0, st.interval_s);
	assert_int_equal(0, sipx_timer_hdrs(&st, hdrs, sizeof(hdrs)));
	assert_string_equal("", hdrs);
	rq.se_s = 30;
	assert_int_equal(0, sipx_timer_negotiate(&rq, 0, MIN_SE, &st, &min_se));
	assert_int_equal(0, st.interval_s);
}

static void the_answer_to_our_invite_names_who_refreshes(void **state)
{
	struct sipx_timer_req rs = {.se_s = 600, .refresher = SIPX_BY_UAS};
	struct sipx_timer st;
	(void)state;

	assert_int_equal(0, sipx_timer_answered(&rs, WANT, &st));
	assert_int_equal(600, st.interval_s);
	assert_false(st.we_refresh);
	rs.refresher = SIPX_BY_UAC;
	assert_int_equal(0, sipx_timer_answered(&rs, WANT, &st));
	assert_true(st.we_refresh);
	rs.refresher = SIPX_BY_NONE;
	assert_int_equal(0, sipx_timer_answered(&rs, WANT, &st));
	assert_true(st.we_refresh);
	/* RFC 4028 7.2: no Session-Expires in the 2xx, no timer. */
	rs.se_s = 0;
	assert_int_equal(0, sipx_timer_answered(&rs, WANT, &st));
	assert_int_equal(0, st.interval_s);
}

static void we_refresh_at_half_and_give_up_at_the_whole(void **state)
{
	struct sipx_timer st = {.interval_s = 90, .we_refresh = true};
	(void)state;

	assert_int_equal(SIPX_TIMER_WAIT, sipx_timer_due(&st, 44999, false));
	assert_int_equal(SIPX_TIMER_REFRESH, sipx_timer_due(&st, 45000, false));
	assert_int_equal(SIPX_TIMER_WAIT, sipx_timer_due(&st, 60000, true));
	assert_int_equal(SIPX_TIMER_EXPIRED, sipx_timer_due(&st, 90000, true));
}

static void the_peers_session_ends_a_third_or_32_s_early(void **state)
{
	struct sipx_timer st = {.interval_s = 90};
	(void)state;

	/* 90 s: a third (30 s) is less than 32 s, so BYE at 60 s. */
	assert_int_equal(SIPX_TIMER_WAIT, sipx_timer_due(&st, 59999, false));
	assert_int_equal(SIPX_TIMER_EXPIRED, sipx_timer_due(&st, 60000, false));
	/* 1800 s: 32 s early. */
	st.interval_s = 1800;
	assert_int_equal(SIPX_TIMER_WAIT, sipx_timer_due(&st, 1767999, false));
	assert_int_equal(SIPX_TIMER_EXPIRED,
			 sipx_timer_due(&st, 1768000, false));
	/* No timer, never. */
	st.interval_s = 0;
	assert_int_equal(SIPX_TIMER_WAIT, sipx_timer_due(&st, INT64_MAX, true));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_request_s_headers_are_read),
		cmocka_unit_test(a_broken_session_expires_is_a_bad_request),
		cmocka_unit_test(an_interval_under_our_min_se_gets_422_with_it),
		cmocka_unit_test(the_callers_refresher_is_honoured),
		cmocka_unit_test(without_a_refresher_named_we_refresh),
		cmocka_unit_test(a_caller_without_timers_gets_ours_and_no_require),
		cmocka_unit_test(a_longer_interval_is_cut_to_ours_never_under_min_se),
		cmocka_unit_test(timers_off_grant_none_and_refuse_nothing),
		cmocka_unit_test(the_answer_to_our_invite_names_who_refreshes),
		cmocka_unit_test(we_refresh_at_half_and_give_up_at_the_whole),
		cmocka_unit_test(the_peers_session_ends_a_third_or_32_s_early),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
