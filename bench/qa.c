/* bench/qa: the two figures issue 16 names, in one program —
 *  1. how much stereo call audio one core measures per second of CPU
 *     (target: at least 1,000 times real time, an hour of audio in under
 *     3.6 s of CPU), and
 *  2. how long drawing a QA sample from 1,000,000 calls takes (target:
 *     under 1 s).
 * It is single-threaded: every figure is one core's.
 *
 * Audio.
 * The audio is a synthetic conversation made here, as the unit tests make
 * theirs (tests/unit/audio/test_measure.c): turns of harmonic syllables
 * with noise bursts on each side, some overlapping, over a line's noise,
 * with pauses and a hold. Two rows: the meter on PCM already in memory
 * (the VAD and the measures alone), and audio_measure_files on a WAV
 * written to a temporary directory with the player's timeline encoded
 * (what the server does per call: reading the file through libsndfile
 * included, from the page cache), whose spans and size it prints. Each row
 * runs until it has used BENCH_QA_SECONDS of CPU (default 3) and keeps the
 * process's CPU time (getrusage), so a busy machine slows the wall clock,
 * not the figure.
 *
 * Sampling. The pure core of qa/sample.c over 1,000,000 calls of 2,000
 * agents in 20 queues, shared out among 30 inspectors (ten of them agents
 * who also inspect, so the own-call rule is exercised), per plan: 5 calls
 * per agent, 1 % per queue, and all; CPU and wall milliseconds per draw,
 * the best of SAMPLE_RUNS. Reading the candidates from the database is not
 * in it (that is SQLite's; docs/qa.md).
 *
 * The last two lines are the figures, as the issue words them.
 *
 *   bench/qa [minutes of audio per run, default 10] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <time.h>
#include <sndfile.h>
#include "audio/audio.h"
#include "qa/sample.h"

enum { RATE = 8000 };
enum { CALLS = 1000000, AGENTS = 2000, QUEUES = 20, INSPECTORS = 30,
       SAMPLE_RUNS = 3 };

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static double rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 4503599627370496.0 - 1.0;
}

static double cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* Syllables on channel ch of x (doubles, two per frame) from a to b s. */
static void speak(double *x, int ch, double a, double b)
{
	double s = a;

	while (s < b) {
		double len = 0.12 + 0.06 * (rnd() + 1), f0 = 110 + 30 * (rnd() + 1);
		size_t i0 = (size_t)(s * RATE), i1;

		if (s + len > b)
			len = b - s;
		i1 = (size_t)((s + len) * RATE);
		for (size_t i = i0; i < i1; i++) {
			double u = (double)(i - i0) / (double)(i1 - i0), v = 0;

			for (int h = 1; h < 20; h++)
				v += sin(2 * M_PI * f0 * h * i / RATE) / h;
			if (u < 0.15)
				v += 1.5 * rnd();
			x[2 * i + (size_t)ch] += 2000 * sqrt(sin(M_PI * u)) * v;
		}
		s += len + 0.03 + 0.02 * (rnd() + 1);
	}
}

/* A conversation of n frames: turns of 2-8 s, a third of them overlapping
 * the last by up to a second, pauses of up to 4 s, a 20 s hold every 5
 * minutes. */
static int16_t *conversation(size_t n)
{
	double *x = calloc(2 * n, sizeof(*x)), t = 0.5, end = (double)n / RATE;
	int16_t *pcm = malloc(2 * n * sizeof(*pcm));
	int ch = 0;

	if (!x || !pcm) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	while (t < end - 10) {
		double len = 2 + 3 * (rnd() + 1);

		if (fmod(t, 300) < 10) {      /* a hold: the agent sends nothing */
			for (size_t i = (size_t)(t * RATE);
			     i < (size_t)((t + 20) * RATE); i++)
				x[2 * i + 1] = NAN;
			t += 21;
			continue;
		}
		speak(x, ch, t, t + len);
		t += len + (rnd() < -0.33 ? -0.5 * (rnd() + 1) : 2 * (rnd() + 1));
		ch ^= 1;
	}
	for (size_t i = 0; i < 2 * n; i++)
		pcm[i] = isnan(x[i]) ? 0 : (int16_t)fmax(-32768, fmin(32767,
				lrint(x[i] + 30 * rnd())));
	free(x);
	return pcm;
}

/* Prints a row; returns its hours of audio per CPU second. */
static double report(const char *row, double audio_s, double cpu)
{
	printf("%-28s %8.0f x real time   %6.2f h of audio per CPU s   "
	       "%6.3f CPU s per hour\n", row, audio_s / cpu,
	       audio_s / cpu / 3600, cpu * 3600 / audio_s);
	return audio_s / cpu / 3600;
}

static double clock_s(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Figure 2: the slowest plan's best CPU seconds per draw, or < 0. */
static double sample_bench(void)
{
	static char ids[CALLS][12], agents[AGENTS][12], queues[QUEUES][16],
		    iext[INSPECTORS][12];
	struct qa_cand *c = malloc(CALLS * sizeof(*c));
	struct qa_pick *picks = malloc(CALLS * sizeof(*picks));
	struct qa_inspector insp[INSPECTORS];
	const struct qa_plan plans[] = {
		{.kind = QA_PLAN_PER_AGENT, .n = 5, .seed = 1},
		{.kind = QA_PLAN_PERCENT, .pct = 1, .seed = 1},
		{.kind = QA_PLAN_ALL},
	};
	const char *names[] = {"per-agent n=5", "percent 1%", "all"};
	uint64_t x = 88172645463325252ull;
	double worst = 0;

	if (!c || !picks) {
		free(c);
		free(picks);
		return -1;
	}
	for (int a = 0; a < AGENTS; a++)
		snprintf(agents[a], sizeof(agents[a]), "%d", 1000 + a);
	for (int q = 0; q < QUEUES; q++)
		snprintf(queues[q], sizeof(queues[q]), "q%d", q);
	for (int i = 0; i < INSPECTORS; i++)
		snprintf(iext[i], sizeof(iext[i]), "%s", i < 10 ? agents[i] : "");
	/* Call ids in random order, as util_random_id makes them. */
	for (int i = 0; i < CALLS; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		snprintf(ids[i], sizeof(ids[i]), "%011llx",
			 (unsigned long long)(x & 0xfffffffffffull));
		c[i] = (struct qa_cand){ids[i], agents[x % AGENTS],
					queues[(x >> 20) % QUEUES], i};
	}
	printf("sampling: %d calls, %d agents, %d queues, %d inspectors\n",
	       CALLS, AGENTS, QUEUES, INSPECTORS);
	for (size_t p = 0; p < sizeof(plans) / sizeof(plans[0]); p++) {
		double best_cpu = 1e9, best_wall = 1e9;
		size_t n = 0;

		for (int r = 0; r < SAMPLE_RUNS; r++) {
			double c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
			double w0 = clock_s(CLOCK_MONOTONIC);

			for (int i = 0; i < INSPECTORS; i++)
				insp[i] = (struct qa_inspector){iext[i], 0, NULL};
			if (qa_sample(&plans[p], c, CALLS, insp, INSPECTORS,
				      picks, &n)) {
				worst = -1;
				goto out;
			}
			best_cpu = fmin(best_cpu,
					clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0);
			best_wall = fmin(best_wall,
					 clock_s(CLOCK_MONOTONIC) - w0);
		}
		printf("  %-14s %7zu picked  %7.1f ms CPU  %7.1f ms wall\n",
		       names[p], n, best_cpu * 1e3, best_wall * 1e3);
		worst = fmax(worst, best_cpu);
	}
out:
	free(c);
	free(picks);
	return worst;
}

int main(int argc, char **argv)
{
	double minutes = argc > 1 ? atof(argv[1]) : 10;
	double budget = getenv("BENCH_QA_SECONDS") ?
		atof(getenv("BENCH_QA_SECONDS")) : 3;
	size_t n = (size_t)(minutes * 60 * RATE);
	char dir[] = "/tmp/hotline-bench-qa-XXXXXX", path[64];
	struct audio_measures m;
	struct audio_timeline tl = {0};
	double c0, audio_s = 0, hours, draw_s;
	char why[128], *text = NULL;
	int16_t *pcm;

	if (minutes < 0.5 || minutes > 240 || budget <= 0) {
		fprintf(stderr, "usage: bench/qa [minutes 0.5..240]\n");
		return 2;
	}
	pcm = conversation(n);
	c0 = cpu_s();
	do {
		if (audio_measure_pcm(pcm, n, RATE, AUDIO_LANG_EN, &m)) {
			fprintf(stderr, "measuring failed\n");
			return 1;
		}
		audio_s += (double)n / RATE;
	} while (cpu_s() - c0 < budget);
	printf("one %.0f-minute stereo 8 kHz call: customer %.0f s, agent "
	       "%.0f s, overtalk %.0f s, longest silence %.1f s, hold %.0f s, "
	       "agent %.0f syllables/min\n", minutes,
	       m.customer_talk_ms / 1e3, m.agent_talk_ms / 1e3,
	       m.overtalk_ms / 1e3, m.longest_silence_ms / 1e3,
	       m.hold_ms / 1e3, m.agent_nuclei_per_min);
	report("meter, PCM in memory", audio_s, cpu_s() - c0);

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/call.wav", dir);
	{
		SF_INFO info = {.samplerate = RATE, .channels = 2,
				.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16};
		SNDFILE *sf = sf_open(path, SFM_WRITE, &info);

		if (!sf || sf_writef_short(sf, pcm, (sf_count_t)n) !=
		    (sf_count_t)n || sf_close(sf)) {
			fprintf(stderr, "cannot write %s\n", path);
			return 1;
		}
	}
	audio_s = 0;
	c0 = cpu_s();
	do {
		const char *paths[] = {path};

		audio_timeline_free(&tl);
		free(text);
		text = NULL;
		if (audio_measure_files(paths, 1, AUDIO_LANG_EN, &m, &tl, why,
					sizeof(why)) ||
		    audio_timeline_encode(&tl, &text)) {
			fprintf(stderr, "measuring %s failed: %s\n", path, why);
			return 1;
		}
		audio_s += (double)n / RATE;
	} while (cpu_s() - c0 < budget);
	hours = report("file + timeline (server)", audio_s, cpu_s() - c0);
	printf("its timeline: %zu customer, %zu agent, %zu overtalk, %zu "
	       "silence, %zu hold spans, merge %llu ms, %zu bytes of JSON\n",
	       tl.n[AUDIO_SPAN_CUSTOMER], tl.n[AUDIO_SPAN_AGENT],
	       tl.n[AUDIO_SPAN_OVERTALK], tl.n[AUDIO_SPAN_SILENCE],
	       tl.n[AUDIO_SPAN_HOLD], (unsigned long long)tl.merge_ms,
	       strlen(text));
	audio_timeline_free(&tl);
	free(text);
	unlink(path);
	rmdir(dir);
	free(pcm);
	printf("\n");
	draw_s = sample_bench();
	if (draw_s < 0) {
		fprintf(stderr, "sampling failed\n");
		return 1;
	}
	printf("\nstereo audio measured: %.2f hours per CPU second on one core "
	       "(%.0f x real time; target >= 1000 x)\n", hours, hours * 3600);
	printf("a sample drawn from %d calls: %.0f ms (the slowest plan, one "
	       "core's CPU; target < 1000 ms)\n", CALLS, draw_s * 1e3);
	return 0;
}
