/* ticket/http_int: the handlers http.c's route table names that live in
 * the module's other files. */
#ifndef HL_TICKET_HTTP_INT_H
#define HL_TICKET_HTTP_INT_H

#include <stdint.h>
#include "api/http.h"

struct mod_routes;
extern const struct mod_routes wo_http_routes;

/* list.c */
void wo_h_list(struct api_req *req);
/* config.c: categories and services (by path), routing, limits, depts */
void wo_h_names(struct api_req *req);
void wo_h_names_put(struct api_req *req);
void wo_h_routes(struct api_req *req);
void wo_h_routes_put(struct api_req *req);
void wo_h_limits(struct api_req *req);
void wo_h_limits_put(struct api_req *req);
void wo_h_depts(struct api_req *req);
void wo_h_dept_put(struct api_req *req);
/* attach.c: a work order's files */
void wo_h_attach_list(struct api_req *req);
void wo_h_attach_add(struct api_req *req);
void wo_h_attach_get(struct api_req *req);
void wo_h_attach_del(struct api_req *req);
/* report.c */
void wo_h_report(struct api_req *req);
/* report_file.c: the report (report.c's JSON) as a file, answered on conn:
 * one row per figure (group, item, value), Chinese names as the console
 * shows them; 500 when it cannot be written. */
enum wo_report_format { WO_REPORT_JSON, WO_REPORT_CSV, WO_REPORT_XLSX };
struct json_t;
struct api_conn;
void wo_report_file(struct api_conn *conn, enum wo_report_format f,
		    const struct json_t *report);

/* The module's settings (settings.c), named by its export row, and their
 * values, read once by the start hook into the module's state (mod.c). */
struct mod_settings;
extern const struct mod_settings ticket_settings;
struct ticket_values {
	uint32_t check_ms;           /* ticket.check_ms */
	uint32_t attach_max_bytes;   /* ticket.attach_max_bytes */
	uint32_t attach_max_files;   /* ticket.attach_max_files */
};
/* The values as the start hook read them; from start to stop only, which
 * is while requests are served. */
const struct ticket_values *wo_values(void);

#endif
