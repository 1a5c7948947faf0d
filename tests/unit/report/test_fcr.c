/* First-contact resolution (report_fcr_fold): an answered call counts as
 * resolved when its caller did not call again within the window and it
 * left no callback or hand-off behind — the reference's "不需要呼叫者再呼、
 * 也不需要业务员回呼". */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "report/report.h"

enum { H = 3600 * 1000 };
static const int64_t DAY = 24LL * H;

#define C(num, h, ans, fu) {num, (int64_t)(h) * H, ans, fu, false}

static void test_resolved_repeated_followed(void **state)
{
	/* Period: day 0 (hours 0..24); window 72 h. */
	static const struct report_contact c[] = {
		C("13800000001",  1, true,  false),  /* called again at 30 h */
		C("13800000001", 30, true,  false),  /* after the period: not counted, */
		                                     /* but it is the repeat */
		C("13800000002",  2, true,  false),  /* resolved */
		C("13800000003",  3, true,  true),   /* left a callback task */
		C("13800000004",  4, false, false),  /* abandoned: not a denominator */
		C("13800000004",  5, true,  false),  /* answered after: resolved */
		C("13800000005",  6, true,  false),  /* called again 80 h later: */
		C("13800000005", 86, true,  false),  /* outside the window */
		C("13800000006",  7, true,  true),   /* both: followed up and */
		C("13800000006",  8, false, false),  /* called again (abandoned) */
	};
	struct report_fcr r;

	(void)state;
	assert_int_equal(report_fcr_fold(c, sizeof(c) / sizeof(c[0]), 0, DAY,
					  72LL * H, &r), 0);
	assert_int_equal(r.answered, 6);    /* 1, 2, 3, 5(04), 6(05), 7(06) */
	assert_int_equal(r.repeated, 2);    /* 01 and 06 */
	assert_int_equal(r.followed_up, 2); /* 03 and 06 */
	assert_int_equal(r.resolved, 3);    /* 02, 04's answered, 05 */
}

static void test_window_edges(void **state)
{
	static const struct report_contact c[] = {
		C("1", 0, true, false), C("1", 24, true, false),  /* exactly 24 h */
		C("2", 0, true, false), C("2", 0, true, false),   /* same instant */
	};
	struct report_fcr r;

	(void)state;
	assert_int_equal(report_fcr_fold(c, 4, 0, 1, 24LL * H, &r), 0);
	/* Only the calls at 0 are in [0, 1 ms): 1@0 (repeat at the edge),
	 * 2@0 (repeat at once) and 2@0 (the last: nothing after it). */
	assert_int_equal(r.answered, 3);
	assert_int_equal(r.repeated, 2);
	assert_int_equal(r.resolved, 1);
	assert_int_equal(report_fcr_fold(c, 4, 0, 1, 24LL * H - 1, &r), 0);
	assert_int_equal(r.repeated, 1);    /* 24 h is past a shorter window */
	assert_int_equal(report_fcr_fold(c, 4, 0, 1, 0, &r), 0);
	assert_int_equal(r.repeated, 1);    /* window 0: the same instant only */
}

/* A wrap-up code saying "not resolved" is not resolved, whatever else. */
static void test_coded_not_resolved(void **state)
{
	static const struct report_contact c[] = {
		{"1", 0, true, false, true},      /* coded not resolved */
		{"2", 0, true, true, true},       /* and followed up */
		{"3", 0, true, false, false},     /* resolved */
	};
	struct report_fcr r;

	(void)state;
	assert_int_equal(report_fcr_fold(c, 3, 0, H, H, &r), 0);
	assert_int_equal(r.answered, 3);
	assert_int_equal(r.unresolved, 2);
	assert_int_equal(r.followed_up, 1);
	assert_int_equal(r.resolved, 1);
}

/* Per hour over hours 1..4 (origin 0, so bin 0 is hour 0 and holds
 * nothing before from = 1 h): a call in each of hours 1, 2 and 3; the
 * one at 2 h is called again at 3 h 30 (in the window of 2 h), which is
 * itself answered and resolved. A call at 4 h is past to. */
static void test_bins(void **state)
{
	static const struct report_contact c[] = {
		C("1", 0, true, false),   /* before from: counted nowhere */
		C("1", 1, true, false),
		C("2", 2, true, false),
		{"2", 2 * H + H * 3 / 2, true, false, false},
		C("3", 4, true, false),
	};
	struct report_fcr r[5];

	(void)state;
	memset(r, 0x55, sizeof(r));
	assert_int_equal(report_fcr_bins(c, 5, H, 4LL * H, 0, H, 4, 2LL * H,
					 r), 0);
	assert_int_equal(r[0].answered, 0);
	assert_int_equal(r[1].answered, 1);
	assert_int_equal(r[1].resolved, 1);
	assert_int_equal(r[2].answered, 1);
	assert_int_equal(r[2].repeated, 1);
	assert_int_equal(r[2].resolved, 0);
	assert_int_equal(r[3].answered, 1);   /* the repeat, at 3.5 h */
	assert_int_equal(r[3].resolved, 1);
	assert_int_equal(r[4].answered, 0x5555555555555555ULL); /* untouched */
	/* The bins must hold [from, to): four from 0 do not reach 5 h. */
	assert_int_equal(report_fcr_bins(c, 5, H, 5LL * H, 0, H, 4, H, r),
			 EINVAL);
	assert_int_equal(report_fcr_bins(c, 5, H, 4LL * H, 2 * H, H, 4, H, r),
			 EINVAL);   /* origin after from */
	assert_int_equal(report_fcr_bins(c, 5, H, 4LL * H, 0, 0, 4, H, r),
			 EINVAL);   /* no step */
}

/* Each call's reasons, as the fold counts them: the marks of the first
 * test's calls. */
static void test_marks(void **state)
{
	static const struct report_contact c[] = {
		C("13800000001",  1, true,  false),
		C("13800000001", 30, true,  false),
		C("13800000002",  2, true,  false),
		C("13800000003",  3, true,  true),
		C("13800000004",  4, false, false),
		{"13800000006", 7 * H, true, true, true},
		C("13800000006",  8, false, false),
	};
	static const int want[] = {
		REPORT_FCR_REPEATED, -1, 0, REPORT_FCR_FOLLOWED_UP, -1,
		REPORT_FCR_REPEATED | REPORT_FCR_FOLLOWED_UP | REPORT_FCR_UNRESOLVED,
		-1,
	};
	int why[7];

	(void)state;
	assert_int_equal(report_fcr_marks(c, 7, 0, DAY, 72LL * H, why), 0);
	for (size_t i = 0; i < 7; i++)
		if (why[i] != want[i])
			fail_msg("call %zu: %d, want %d", i, why[i], want[i]);
	assert_int_equal(report_fcr_marks(c, 7, 0, DAY, -1, why), EINVAL);
}

static void test_refused(void **state)
{
	static const struct report_contact unsorted[] = {
		C("2", 0, true, false), C("1", 0, true, false),
	};
	static const struct report_contact backwards[] = {
		C("1", 5, true, false), C("1", 4, true, false),
	};
	struct report_fcr r = {.answered = 99};

	(void)state;
	assert_int_equal(report_fcr_fold(unsorted, 2, 0, DAY, H, &r), EINVAL);
	assert_int_equal(report_fcr_fold(backwards, 2, 0, DAY, H, &r), EINVAL);
	assert_int_equal(report_fcr_fold(backwards, 1, 0, DAY, -1, &r), EINVAL);
	assert_int_equal(r.answered, 99);   /* untouched */
	assert_int_equal(report_fcr_fold(NULL, 0, 0, DAY, H, &r), 0);
	assert_int_equal(r.answered, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolved_repeated_followed),
		cmocka_unit_test(test_window_edges),
		cmocka_unit_test(test_coded_not_resolved),
		cmocka_unit_test(test_bins),
		cmocka_unit_test(test_marks),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
