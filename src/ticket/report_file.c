/* ticket/report_file: the work-order report as a file (format=csv|xlsx):
 * one row per figure, three columns — the group (汇总, 按分类, 按部门,
 * 按状态), the item (a figure's name, a category, a department, a state)
 * and the value — so the file holds exactly the JSON's figures and a
 * manager can pivot it in Excel. CSV through base/csv (BOM, CRLF, formula
 * cells defused), XLSX through base/xlsxw (values as numbers). Rates stay
 * fractions (0.75), times seconds, as in the JSON. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/csv.h"
#include "base/xlsxw.h"
#include "ticket/http_int.h"
#include "ticket/ticket_int.h"

/* The summary's figures, in the order the console shows them. */
static const struct { const char *key, *zh; } summary[] = {
	{"total",                 "工单总数"},
	{"compliance",            "时限达标率"},
	{"mean_first_response_s", "平均首次响应时长(秒)"},
	{"mean_completion_s",     "平均完成时长(秒)"},
	{"reopen_rate",           "重开率"},
};
static const struct { const char *key, *zh; } groups[] = {
	{"by_category",   "按分类"},
	{"by_department", "按部门"},
	{"by_state",      "按状态"},
};
static const char *const head[] = {"分组", "项目", "数值"};

/* One row's cells, whichever the format. */
struct sink {
	FILE *csv;
	struct xlsxw *x;
};

static int put(struct sink *s, const char *group, const char *item,
	       const json_t *v)
{
	char num[64] = "";

	if (json_is_integer(v))
		snprintf(num, sizeof(num), "%lld",
			 (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(num, sizeof(num), "%.6g", json_real_value(v));
	if (s->csv) {
		const char *c[] = {group, item, num};

		return csv_write_row(s->csv, c, ARRAY_LEN(c), CSV_SAFE);
	}
	struct xlsxw_cell c[] = {
		{XLSXW_TEXT, group, 0}, {XLSXW_TEXT, item, 0},
		json_is_number(v) ? (struct xlsxw_cell){XLSXW_NUMBER, NULL,
			json_number_value(v)} : (struct xlsxw_cell){XLSXW_TEXT,
			NULL, 0},
	};
	return xlsxw_row(s->x, c, ARRAY_LEN(c));
}

static int rows(struct sink *s, const json_t *r)
{
	const char *k;
	json_t *v;
	int err = 0;

	for (size_t i = 0; !err && i < ARRAY_LEN(summary); i++)
		err = put(s, "汇总", summary[i].zh,
			  json_object_get(r, summary[i].key));
	for (size_t i = 0; !err && i < ARRAY_LEN(groups); i++) {
		const bool states = !strcmp(groups[i].key, "by_state");

		json_object_foreach((json_t *)json_object_get(r, groups[i].key),
				    k, v) {
			enum ticket_state st;
			const char *item = *k ? k : "未分派";

			if (states && !ticket_state_parse(k, &st))
				item = ticket_state_zh(st);
			err = err ? err : put(s, groups[i].zh, item, v);
		}
	}
	return err;
}

static int csv_bytes(const json_t *r, char **bufp, size_t *lenp)
{
	struct sink s = {.csv = open_memstream(bufp, lenp)};
	int err = s.csv ? csv_write_bom(s.csv) : ENOMEM;

	err = err ? err : csv_write_row(s.csv, head, ARRAY_LEN(head), 0);
	err = err ? err : rows(&s, r);
	if (s.csv && fclose(s.csv))
		err = err ? err : EIO;
	if (err) {
		free(*bufp);
		*bufp = NULL;
	}
	return err;
}

static int xlsx_bytes(const json_t *r, char **bufp, size_t *lenp)
{
	struct sink s = {0};
	int err = xlsxw_open_temp(&s.x, "工单统计", head, ARRAY_LEN(head));

	err = err ? err : rows(&s, r);
	if (!s.x)
		return err;
	if (err) {
		xlsxw_abort(s.x);
		return err;
	}
	return xlsxw_close_bytes(s.x, bufp, lenp);
}

void wo_report_file(struct api_conn *conn, enum wo_report_format f,
		    const json_t *report)
{
	static const char csv_hdrs[] = "Content-Type: text/csv; charset=utf-8"
		"\r\nContent-Disposition: attachment; filename=\"work-orders-"
		"report.csv\"\r\nCache-Control: no-store\r\n";
	static const char xlsx_hdrs[] = "Content-Type: application/vnd."
		"openxmlformats-officedocument.spreadsheetml.sheet\r\n"
		"Content-Disposition: attachment; filename=\"work-orders-"
		"report.xlsx\"\r\nCache-Control: no-store\r\n";
	char *buf = NULL;
	size_t len = 0;
	int err = f == WO_REPORT_XLSX ? xlsx_bytes(report, &buf, &len)
				       : csv_bytes(report, &buf, &len);

	if (err)
		api_reply_error(conn, 500, "cannot write the report");
	else
		api_reply_bytes(conn, 200, f == WO_REPORT_XLSX ? xlsx_hdrs
				: csv_hdrs, buf, len);
	free(buf);
}
