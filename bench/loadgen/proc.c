/* proc: what a process costs, from /proc and getrusage, so each figure can
 * be read per call-second and the generator's own share is visible. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <re.h>
#include "loadgen.h"

/* /proc/PID/stat: utime and stime are fields 14 and 15, counted after the
 * command name, which may itself hold spaces and parentheses. */
static int read_cpu(int pid, double *cpu_ms)
{
	char path[64], buf[1024];
	unsigned long long ut, st;
	const char *p;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return ENOENT;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
			 "%llu %llu", &ut, &st) != 2)
		return EPROTO;
	*cpu_ms = (double)(ut + st) * 1000.0 / (double)sysconf(_SC_CLK_TCK);
	return 0;
}

static int read_rss(int pid, uint64_t *rss_kb)
{
	char path[64], line[256];
	unsigned long long kb;
	int err = EPROTO;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return ENOENT;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "VmRSS: %llu kB", &kb) == 1) {
			*rss_kb = kb;
			err = 0;
			break;
		}
	}
	fclose(f);
	return err;
}

int lg_proc_sample(int pid, double *cpu_ms, uint64_t *rss_kb)
{
	int err;

	if (pid <= 0)
		return EINVAL;
	err = read_cpu(pid, cpu_ms);
	if (!err)
		err = read_rss(pid, rss_kb);
	return err;
}

double lg_self_cpu_ms(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return 0.0;
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000.0 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000.0;
}

uint64_t lg_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* A line of /proc/net/udp: "sl local rem st tx:rx tr:when retr uid timeout
 * inode ref pointer drops"; local is HEXADDR:HEXPORT. */
int lg_udp_drops(uint16_t port, uint64_t *drops)
{
	char line[512];
	unsigned lport;
	unsigned long long d;
	int err = ENOENT;
	FILE *f = fopen("/proc/net/udp", "r");

	if (!f)
		return ENOENT;
	*drops = 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " %*u: %*x:%x %*x:%*x %*x %*x:%*x %*x:%*x %*x "
			   "%*u %*u %*u %*u %*x %llu", &lport, &d) != 2 ||
		    lport != port)
			continue;
		*drops += d;
		err = 0;
	}
	fclose(f);
	return err;
}
