/* bench/rec: the recorder alone (issue 18: recording cost +47 % of a
 * bridged call's CPU). CALLS recordings (400) in a temporary directory,
 * each fed SECONDS (20) of stereo audio as a media thread feeds it, one
 * 20 ms frame per call per tick, as fast as the writer lets it; prints the
 * process's CPU (feeding thread and writer, getrusage) per recorded
 * call-second, and the bytes written. No pacing: the CPU per call-second,
 * not the wall time, is the figure.
 *
 *   bench/rec [CALLS] [SECONDS] [DIR]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include "base/log.h"
#include "media/media_int.h"

enum { FRAME = 160, TICKS_PER_S = 50 };

static double cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	unsigned calls = argc > 1 ? (unsigned)atoi(argv[1]) : 400;
	unsigned seconds = argc > 2 ? (unsigned)atoi(argv[2]) : 20;
	char tmpl[] = "/tmp/bench-rec.XXXXXX";
	const char *dir = argc > 3 ? argv[3] : mkdtemp(tmpl);
	struct media_recorder *w;
	struct media_rec **r = calloc(calls, sizeof(*r));
	int16_t left[FRAME], right[FRAME];
	double c0, t0, cpu, wall;
	char path[512];

	if (!dir || !r || calls == 0 || seconds == 0) {
		fprintf(stderr, "usage: bench/rec [CALLS] [SECONDS] [DIR]\n");
		return 2;
	}
	for (int i = 0; i < FRAME; i++) {
		left[i] = (int16_t)(i * 97);
		right[i] = (int16_t)(-i * 89);
	}
	/* A refused frame is offered again once the writer caught up: the
	 * files are whole, the warnings about it are not wanted. */
	log_set_level(LOG_ERROR);
	if (media_recorder_alloc(&w, 0))
		return 1;
	c0 = cpu_ms();
	t0 = now_s();
	for (unsigned i = 0; i < calls; i++) {
		snprintf(path, sizeof(path), "%s/2026/12/07/call-%u.wav", dir, i);
		if (media_rec_open(&r[i], w, path, 2, NULL, NULL))
			return 1;
	}
	for (unsigned t = 0; t < seconds * TICKS_PER_S; t++)
		for (unsigned i = 0; i < calls; i++)
			while (media_rec_write(r[i], left, right, FRAME) == ENOBUFS)
				usleep(1000);   /* the writer is behind: wait */
	for (unsigned i = 0; i < calls; i++)
		media_rec_close(r[i]);
	media_recorder_free(w);
	cpu = cpu_ms() - c0;
	wall = now_s() - t0;
	printf("recorder: %u calls x %u s: cpu %.0f ms (wall %.2f s), "
	       "%.4f ms per recorded call-second\n", calls, seconds, cpu, wall,
	       cpu / ((double)calls * seconds));
	for (unsigned i = 0; i < calls; i++) {
		snprintf(path, sizeof(path), "%s/2026/12/07/call-%u.wav", dir, i);
		unlink(path);
	}
	if (argc <= 3) {
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", dir);
	}
	free(r);
	return 0;
}
