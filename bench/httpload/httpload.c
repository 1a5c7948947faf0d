/* bench/httpload: see httpload.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "httpload.h"

int httpload_addr(const char *s, struct sockaddr_in *a)
{
	char host[64];
	unsigned port;

	if (sscanf(s, "%63[^:]:%u", host, &port) != 2 || !port || port > 65535)
		return EINVAL;
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, host, &a->sin_addr) == 1 ? 0 : EINVAL;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

void httpload_sort(double *v, size_t n)
{
	if (n)              /* qsort must not be given a null array */
		qsort(v, n, sizeof(*v), cmp_d);
}

double httpload_pct(const double *v, size_t n, double q)
{
	size_t i = (size_t)ceil(q * (double)n);
	return n ? v[i ? i - 1 : 0] : 0;
}
