/* The reference's 监控措施 per KPI (spc_checks_find): every KPI the
 * reference lists has its items, word for word and in order; a KPI it
 * does not list has none. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "report/report.h"
#include "spc/spc.h"

static void asa_lists_the_references_five_checks(void **state)
{
	const struct spc_checks *c = spc_checks_find("asa");

	(void)state;
	assert_non_null(c);
	assert_string_equal("平均应答速度", c->name_zh);
	assert_int_equal(5, c->n);
	assert_string_equal("平均应答速度过高", c->items[0]);
	assert_string_equal("计划实际工作率不够。", c->items[4]);
}

/* Each of report/'s KPIs but 平均振铃时长 (Hotline's own) is one of the
 * reference's 22, and so has checks. */
static void every_reference_kpi_has_checks(void **state)
{
	size_t n, found = 0;
	const struct report_kpi_def *k = report_kpis(&n);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		const struct spc_checks *c = spc_checks_find(k[i].id);

		if (!c) {
			assert_string_equal("avg_ring_time", k[i].id);
			continue;
		}
		assert_string_equal(k[i].name_zh, c->name_zh);
		assert_true(c->n >= 1);
		found++;
	}
	assert_int_equal(22, found);
	assert_null(spc_checks_find("nosuch"));
	assert_null(spc_checks_find(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(asa_lists_the_references_five_checks),
		cmocka_unit_test(every_reference_kpi_has_checks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
