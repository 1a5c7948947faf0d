/* wfm internals shared by the files of this folder only. */
#ifndef HL_WFM_INT_H
#define HL_WFM_INT_H

#include "base/util.h"
#include "wfm/wfm.h"

/* ln(1 / B(n, a)) for a > 0: the Erlang B recursion in logarithms. */
double wfm_log_inv_b(unsigned n, double a);

/* 0 when t, agents and sl_time_s are usable, else EINVAL. */
int wfm_check(const struct wfm_traffic *t, unsigned agents, double sl_time_s);

#endif
