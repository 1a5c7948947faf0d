/* report internals shared by the files of this folder only. */
#ifndef HL_REPORT_INT_H
#define HL_REPORT_INT_H

#include <stdbool.h>
#include "report/report.h"

/* The interval length, and the start of the one containing ts (>= 0). */
int64_t report_interval(const struct report_set *s);
int64_t report_align(const struct report_set *s, int64_t ts);

/* The id of `name`, interned (created) on first use; ENOMEM. */
int report_name_id(struct report_set *s, const char *name, uint32_t *id);

/* Room for n more buckets, so the next n report_bucket_at calls neither
 * allocate nor move buckets; ENOMEM. */
int report_reserve(struct report_set *s, size_t n);

/* The bucket (created empty if new, within the reserved room) of scope,
 * name id and interval start; dirty says whether to mark it changed. */
struct report_bucket *report_bucket_at(struct report_set *s,
				       enum report_scope scope, uint32_t name,
				       int64_t start, bool dirty);

/* The settings of an interned queue. */
const struct report_queue_cfg *report_cfg_of(const struct report_set *s,
					     uint32_t name);

/* The contacts first-contact resolution judges (fcr_read.c), sorted by
 * number and time; with detail, d[i] names call v[i]. */
struct report_contacts {
	struct report_contact *v;
	struct report_fcr_call *d;
	size_t n, cap;
	bool detail;
};
struct db;
struct report_side_q;
/* Appends q's contacts to cs (zeroed, detail set as wanted); 0, ENOMEM,
 * or the read's error. */
int  report_contacts_read(struct db *db, const struct report_side_q *q,
			  struct report_contacts *cs);
void report_contacts_free(struct report_contacts *cs);

/* GET /api/v1/reports/fcr (http_fcr.c), a row of http.c's table. */
struct api_req;
void report_h_fcr(struct api_req *req);

/* The module's settings (settings.c), named by its export row. */
struct mod_settings;
extern const struct mod_settings report_settings;

#endif
