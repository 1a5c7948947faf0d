/* sched/query: the query parameters every wfm route reads, refused with a
 * 400 that names the parameter and what it wants. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include "sched/sched_int.h"

int sched_query_text(struct api_req *req, const char *key, char *out,
		     size_t n)
{
	int e = api_query_get(req->query, key, out, n);

	if (e == ENOENT) {
		out[0] = '\0';
		return 0;
	}
	if (e)
		api_reply_error(req->conn, 400, "%s: too long or badly escaped",
				key);
	return e;
}

int sched_query_num(struct api_req *req, const char *key, double lo,
		    double hi, double dflt, double *v)
{
	char buf[64], *end;
	double d;
	int e = api_query_get(req->query, key, buf, sizeof(buf));

	if (e == ENOENT) {
		*v = dflt;
		return 0;
	}
	d = e ? NAN : strtod(buf, &end);
	if (e || end == buf || *end || !isfinite(d) || d < lo || d > hi) {
		api_reply_error(req->conn, 400, "%s: want a number from %g to "
				"%g", key, lo, hi);
		return EINVAL;
	}
	*v = d;
	return 0;
}
