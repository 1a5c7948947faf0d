/* bench/region: what a caller's region costs. Prints region_init's time
 * (the geocoder and its +86 table, paid once at start) and the time per
 * lookup for each kind of number a trunk sends, mean and p99 over batches.
 * The lookup runs on the signalling loop for every inbound call, so it
 * must stay well under 50 µs; above that it belongs on the worker pool. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "region/region.h"

enum { BATCH = 1000, BATCHES = 200 };

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static const struct {
	const char *what, *number;
} kinds[] = {
	{"mobile, national", "13800138000"},
	{"mobile, +86", "+8613912345678"},
	{"mobile, 0086", "008615012345678"},
	{"fixed line, 3-digit area code", "02087654321"},
	{"fixed line, 4-digit area code", "0755-12345678"},
	{"virtual operator (ENOENT)", "17012345678"},
	{"not a number (ENOENT)", "anonymous"},
};

int main(void)
{
	static double per[BATCHES];
	struct region r;
	double t0 = now_us();

	if (region_init()) {
		fprintf(stderr, "region_init failed\n");
		return 1;
	}
	printf("region_init: %.1f ms\n", (now_us() - t0) / 1e3);
	for (size_t k = 0; k < sizeof(kinds) / sizeof(*kinds); k++) {
		double sum = 0;
		unsigned found = 0;

		for (unsigned b = 0; b < BATCHES; b++) {
			double s = now_us();
			for (unsigned i = 0; i < BATCH; i++)
				found += !region_lookup(kinds[k].number, &r);
			per[b] = (now_us() - s) / BATCH;
			sum += per[b];
		}
		qsort(per, BATCHES, sizeof(*per), by_value);
		printf("%-32s %6.2f µs mean, %6.2f µs p99 batch (%s)\n",
		       kinds[k].what, sum / BATCHES, per[BATCHES * 99 / 100],
		       found ? "found" : "ENOENT");
	}
	return 0;
}
