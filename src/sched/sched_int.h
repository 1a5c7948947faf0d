/* sched internals shared by the files of this folder only. */
#ifndef HL_SCHED_INT_H
#define HL_SCHED_INT_H

#include <stdbool.h>
#include "api/http.h"
#include "sched/sched.h"

/* The query's number key into *v, dflt when absent: 0, or EINVAL with 400
 * answered saying the range [lo, hi]. */
int  sched_query_num(struct api_req *req, const char *key, double lo,
		     double hi, double dflt, double *v);
/* The query's text key into out ("" when absent): 0, or EINVAL with 400. */
int  sched_query_text(struct api_req *req, const char *key, char *out,
		      size_t n);

/* Handlers (forecast.c, shifts.c, staffing.c). */
void sched_h_forecast(struct api_req *req);
void sched_h_shift_list(struct api_req *req);
void sched_h_shift_get(struct api_req *req);
void sched_h_shift_create(struct api_req *req);
void sched_h_shift_update(struct api_req *req);
void sched_h_shift_delete(struct api_req *req);
void sched_h_staffing(struct api_req *req);
void sched_h_adherence(struct api_req *req);

#endif
