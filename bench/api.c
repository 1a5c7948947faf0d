/* bench/api: an HTTP/1.1 keep-alive load generator for Hotline's JSON API.
 * N connections on one epoll set, each with one request in flight (a
 * console's browser tab does no better), round robin over the --path list;
 * it prints requests per second, latency p50/p99/max and, with
 * --target-pid, the server's CPU time per request from /proc/PID/stat, so
 * the figure still means something when the machine is shared.
 *
 *   build/rel/bench/api --target 127.0.0.1:8080 --token TOKEN
 *       --path /api/v1/queues [--path …] [--conns 16] [--duration 5]
 *       [--warmup 1] [--requests N] [--target-pid PID] [--json]
 *
 * Requests answered during --warmup seconds are not counted. Any status
 * but 200 counts as an error; a response without Content-Length (chunked)
 * is one too, since the server never sends that. bench/api.sh runs it. */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "httpload/httpload.h"

enum { MAX_PATHS = 16, MAX_CONNS = 1024, HDR_MAX = 8192, REQ_MAX = 4096 };

struct conn {
	int fd;
	size_t path;            /* index of the request in flight */
	double sent;            /* when it was sent, monotonic seconds */
	char hdr[HDR_MAX];      /* the response head, until its blank line */
	size_t hdr_n;
	long body_left;         /* -1: still reading the head */
	int status;
};

struct opts {
	struct sockaddr_in addr;
	const char *paths[MAX_PATHS], *token;
	size_t n_paths, conns;
	double duration, warmup;
	unsigned long requests;
	int pid, json;
};

struct stats {
	double *lat;            /* ms, of counted requests */
	size_t n, cap;
	unsigned long errors, reconnects, warm;
	uint64_t bytes;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* utime + stime of a process, all its threads, in seconds; -1 if gone. */
static double proc_cpu_s(int pid)
{
	char path[64], buf[1024], *p;
	unsigned long ut, st;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	p = strrchr(buf, ')');   /* the command name may hold spaces */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
				"%lu %lu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static double self_cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static int conn_open(struct conn *c, const struct opts *o, int ep)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
	int one = 1;

	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (c->fd < 0)
		return errno;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	/* A blocking connect: on loopback it is immediate, and it keeps the
	 * send below simple (the requests are far below the socket buffer). */
	if (connect(c->fd, (const struct sockaddr *)&o->addr, sizeof(o->addr)) ||
	    epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev)) {
		int err = errno;
		close(c->fd);
		c->fd = -1;
		return err;
	}
	return 0;
}

static int conn_send(struct conn *c, const struct opts *o, size_t path)
{
	char req[REQ_MAX];
	int n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: bench\r\n"
			 "Authorization: Bearer %s\r\n\r\n", o->paths[path],
			 o->token);

	if (n < 0 || (size_t)n >= sizeof(req))
		return EMSGSIZE;
	c->path = path;
	c->hdr_n = 0;
	c->body_left = -1;
	c->sent = now_s();
	return send(c->fd, req, (size_t)n, MSG_NOSIGNAL) == n ? 0 : EIO;
}

/* Parses the head once it is complete: 0 and body_left set, or EBADMSG. */
static int head_parse(struct conn *c)
{
	char *p;

	c->hdr[c->hdr_n] = 0;
	if (sscanf(c->hdr, "HTTP/1.%*d %d", &c->status) != 1)
		return EBADMSG;
	for (p = c->hdr; (p = strchr(p, '\n')); p++)
		if (!strncasecmp(p + 1, "content-length:", 15)) {
			c->body_left = strtol(p + 16, NULL, 10);
			return c->body_left >= 0 ? 0 : EBADMSG;
		}
	return EBADMSG;
}

static void record(struct stats *s, double ms, int ok, int warm)
{
	if (warm) {
		s->warm++;
		return;
	}
	if (!ok) {
		s->errors++;
		return;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 65536;
		double *l = realloc(s->lat, cap * sizeof(*l));
		if (!l)
			return;
		s->lat = l;
		s->cap = cap;
	}
	s->lat[s->n++] = ms;
}

/* Reads what arrived; 1 when the response in flight is complete, 0 when
 * more is to come, an errno when the connection is broken. */
static int conn_read(struct conn *c, struct stats *s)
{
	char buf[65536];
	ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
	size_t off = 0;

	if (n == 0)
		return ECONNRESET;
	if (n < 0)
		return errno == EAGAIN ? 0 : errno;
	s->bytes += (uint64_t)n;
	while (c->body_left < 0 && off < (size_t)n) {
		if (c->hdr_n + 1 >= sizeof(c->hdr))
			return EBADMSG;
		c->hdr[c->hdr_n++] = buf[off++];
		if (c->hdr_n >= 4 && !memcmp(c->hdr + c->hdr_n - 4, "\r\n\r\n", 4)
		    && head_parse(c))
			return EBADMSG;
	}
	if (c->body_left < 0)
		return 0;
	c->body_left -= (long)((size_t)n - off);
	if (c->body_left > 0)
		return 0;
	return c->body_left == 0 ? 1 : EBADMSG;   /* we never pipeline */
}

static void report(const struct opts *o, struct stats *s, double wall,
		   double srv_cpu, double gen_cpu)
{
	double rps = wall > 0 ? (double)s->n / wall : 0;
	double cpu_ms = srv_cpu >= 0 && s->n ? srv_cpu * 1000 / (double)s->n : -1;

	httpload_sort(s->lat, s->n);
	if (o->json) {
		printf("{\"path\":\"%s\",\"paths\":%zu,\"conns\":%zu,"
		       "\"requests\":%zu,\"errors\":%lu,\"reconnects\":%lu,"
		       "\"seconds\":%.3f,\"rps\":%.1f,\"p50_ms\":%.3f,"
		       "\"p99_ms\":%.3f,\"max_ms\":%.3f,\"bytes_per_response\":%.0f,"
		       "\"server_cpu_s\":%.2f,\"server_cpu_ms_per_request\":%.4f,"
		       "\"server_cpu_pct\":%.1f,\"generator_cpu_pct\":%.1f}\n",
		       o->paths[0], o->n_paths, o->conns, s->n, s->errors,
		       s->reconnects, wall, rps, httpload_pct(s->lat, s->n, 0.50),
		       httpload_pct(s->lat, s->n, 0.99), s->n ? s->lat[s->n - 1] : 0,
		       s->n + s->warm ? (double)s->bytes / (double)(s->n + s->warm) : 0,
		       srv_cpu, cpu_ms, srv_cpu >= 0 ? srv_cpu * 100 / wall : -1,
		       gen_cpu * 100 / wall);
		return;
	}
	printf("%s (%zu paths, %zu conns): %zu requests in %.2f s = %.0f req/s, "
	       "%lu errors; latency p50 %.2f ms p99 %.2f ms max %.2f ms\n",
	       o->paths[0], o->n_paths, o->conns, s->n, wall, rps, s->errors,
	       httpload_pct(s->lat, s->n, 0.50), httpload_pct(s->lat, s->n, 0.99),
	       s->n ? s->lat[s->n - 1] : 0);
	if (cpu_ms >= 0)
		printf("  server CPU %.3f ms/request (%.0f req/s per core), "
		       "%.0f%% of a core; generator %.0f%%\n", cpu_ms,
		       cpu_ms > 0 ? 1000 / cpu_ms : 0, srv_cpu * 100 / wall,
		       gen_cpu * 100 / wall);
}

static int run(const struct opts *o)
{
	static struct conn cs[MAX_CONNS];
	struct epoll_event evs[64];
	struct stats s = {0};
	double t0 = now_s(), start = t0 + o->warmup, end = start + o->duration;
	double cpu0 = -1, gen0 = 0, t_start = start, t;
	unsigned long issued = 0;
	size_t next = 0, inflight = 0;
	int ep = epoll_create1(0), counting = o->warmup <= 0;

	if (ep < 0)
		return errno;
	if (counting) {
		cpu0 = o->pid ? proc_cpu_s(o->pid) : -1;
		gen0 = self_cpu_s();
	}
	for (size_t i = 0; i < o->conns; i++) {
		int err = conn_open(&cs[i], o, ep);
		if (!err)
			err = conn_send(&cs[i], o, next++ % o->n_paths);
		if (err) {
			fprintf(stderr, "bench/api: connection %zu: %s\n", i, strerror(err));
			return err;
		}
		inflight++;
	}
	while (inflight) {
		int n = epoll_wait(ep, evs, 64, 100);
		t = now_s();
		if (!counting && t >= start) {
			counting = 1;
			t_start = t;
			cpu0 = o->pid ? proc_cpu_s(o->pid) : -1;
			gen0 = self_cpu_s();
		}
		if (t > end + 5)       /* answers stopped coming: give up */
			break;
		for (int i = 0; i < n; i++) {
			struct conn *c = evs[i].data.ptr;
			int r = conn_read(c, &s);
			int more = t < end && (!o->requests || issued < o->requests);

			if (r == 0)
				continue;
			if (r == 1)
				record(&s, (t - c->sent) * 1000, c->status == 200,
				       !counting);
			else {
				s.errors++;
				s.reconnects++;
				close(c->fd);
				c->fd = -1;
				if (more && conn_open(c, o, ep))
					more = 0;
			}
			if (counting && r == 1)
				issued++;
			if (more && !conn_send(c, o, next++ % o->n_paths))
				continue;
			inflight--;
			if (c->fd >= 0)
				close(c->fd);
			c->fd = -1;
		}
	}
	t = now_s();
	report(o, &s, t - t_start, cpu0 >= 0 ? proc_cpu_s(o->pid) - cpu0 : -1,
	       self_cpu_s() - gen0);
	free(s.lat);
	close(ep);
	return s.n ? 0 : EIO;
}

static int usage(const char *why)
{
	fprintf(stderr, "bench/api: %s\nusage: bench/api --target IP:PORT "
		"--token TOKEN --path PATH [--path PATH …] [--conns N] "
		"[--duration S] [--warmup S] [--requests N] [--target-pid PID] "
		"[--json]\n", why);
	return 2;
}

int main(int argc, char **argv)
{
	struct opts o = {.conns = 16, .duration = 5, .warmup = 1};
	int have_target = 0, err;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *end = NULL;

		if (!strcmp(a, "--json")) {
			o.json = 1;
			continue;
		}
		if (!v)
			return usage(a);
		i++;
		if (!strcmp(a, "--target")) {
			if (httpload_addr(v, &o.addr))
				return usage("bad --target (want IPv4:PORT)");
			have_target = 1;
		} else if (!strcmp(a, "--token"))
			o.token = v;
		else if (!strcmp(a, "--path")) {
			if (o.n_paths == MAX_PATHS || v[0] != '/')
				return usage("bad --path (at most 16, each /…)");
			o.paths[o.n_paths++] = v;
		} else if (!strcmp(a, "--conns"))
			o.conns = strtoul(v, &end, 10);
		else if (!strcmp(a, "--duration"))
			o.duration = strtod(v, &end);
		else if (!strcmp(a, "--warmup"))
			o.warmup = strtod(v, &end);
		else if (!strcmp(a, "--requests"))
			o.requests = strtoul(v, &end, 10);
		else if (!strcmp(a, "--target-pid"))
			o.pid = (int)strtol(v, &end, 10);
		else
			return usage(a);
		if (end && *end)
			return usage(a);
	}
	if (!have_target || !o.token || !o.n_paths)
		return usage("--target, --token and --path are required");
	if (!o.conns || o.conns > MAX_CONNS || o.duration <= 0 ||
	    o.duration > 3600 || o.warmup < 0 || o.warmup > 600)
		return usage("--conns 1..1024, --duration 0..3600, --warmup 0..600");
	err = run(&o);
	if (err)
		fprintf(stderr, "bench/api: %s\n", strerror(err));
	return err ? 1 : 0;
}
