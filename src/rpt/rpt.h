/* rpt: the report list — the platform manual's 业务报表 and 话务报表
 * (来电分类统计 … 中继呼叫明细) and AOFAX's traffic analysis — as API
 * endpoints with CSV and XLSX export (routes only; docs/reports.md says
 * what each report counts). Reads run on api's workers, through the
 * user's data scope. */
#ifndef HL_RPT_H
#define HL_RPT_H

#include "api/http.h"

/* Who reads the reports: administrators, supervisors, executives. */
#define RPT_READERS (API_R_ADMIN | API_R_SUPERVISOR | API_R_EXECUTIVE)

/* rpt's row in app/modules.c: the routes, no state. */
extern const struct mod_export rpt_module;

#endif
