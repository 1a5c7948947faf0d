/* bench/httpload: what bench/api and bench/api_ws (the HTTP and WebSocket
 * load generators) share: reading the target's address and summarising
 * latencies. */
#ifndef HL_BENCH_HTTPLOAD_H
#define HL_BENCH_HTTPLOAD_H

#include <stddef.h>
#include <netinet/in.h>

/* Fills *a from "IPv4:PORT"; 0 or EINVAL (no port, port 0, not IPv4). */
int httpload_addr(const char *s, struct sockaddr_in *a);

/* Sorts v[0..n) ascending, so httpload_pct can read it. */
void httpload_sort(double *v, size_t n);

/* The q-quantile (0.5, 0.99) of sorted v by nearest rank; 0 when n is 0. */
double httpload_pct(const double *v, size_t n, double q);

#endif
