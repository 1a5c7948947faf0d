/* bench/api_ws: how long a screen pop takes to reach a room of consoles.
 * Opens --clients WebSocket connections to /api/v1/events (the RFC 6455
 * handshake over plain sockets, one epoll set), waits until every one has
 * its snapshot, says so (the --ready file, then calls can start), and then
 * times each call.answered event: from the event's own server timestamp
 * (milliseconds) to its arrival at each client, and from the first client
 * to the last. It ends once --events calls were seen by every client, or
 * after --duration seconds.
 *
 *   build/rel/bench/api_ws --target 127.0.0.1:8080 --token TOKEN
 *       [--clients 500] [--events 5] [--duration 60] [--ready FILE] [--json]
 *
 * The server's clock and ours are the same one (loopback), so ts → arrival
 * is a real latency, with the millisecond of ts as its resolution. */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "httpload/httpload.h"

enum { MAX_CLIENTS = 4096, MAX_EVENTS = 256, RX_MAX = 256 << 10, ID_MAX = 64 };

static const char answered[] = "{\"type\":\"call.answered\",\"subject\":\"";

struct client {
	int fd, upgraded, snapshot;
	unsigned char *rx;
	size_t rx_n;
};

struct event {
	char id[ID_MAX];
	double ts_ms, first_ms, last_ms;   /* real time */
	size_t seen;
	double *lat;                       /* per client, ms after ts */
};

struct bench {
	struct client *cl;
	size_t n_cl, live, snapshots;
	struct event ev[MAX_EVENTS];
	size_t n_ev;
	unsigned long frames, bytes;
};

static double real_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* "2026-01-01T08:00:00.123Z" → Unix ms; -1 when it is not that form. */
static double rfc3339_ms(const char *s)
{
	struct tm tm = {0};
	int ms = 0;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &tm.tm_year, &tm.tm_mon,
		   &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) != 7)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (double)timegm(&tm) * 1e3 + ms;
}

static void on_text(struct bench *b, const char *p, size_t n, double now)
{
	char id[ID_MAX], ts[40];
	struct event *e = NULL;

	if (n <= sizeof(answered) || memcmp(p, answered, sizeof(answered) - 1))
		return;
	if (sscanf(p + sizeof(answered) - 1, "%63[^\"]\",\"ts\":\"%39[^\"]",
		   id, ts) != 2)
		return;
	for (size_t i = 0; i < b->n_ev && !e; i++)
		if (!strcmp(b->ev[i].id, id))
			e = &b->ev[i];
	if (!e) {
		if (b->n_ev == MAX_EVENTS)
			return;
		e = &b->ev[b->n_ev++];
		snprintf(e->id, sizeof(e->id), "%s", id);
		e->ts_ms = rfc3339_ms(ts);
		e->first_ms = now;
		e->lat = calloc(b->n_cl, sizeof(*e->lat));
	}
	if (e->lat && e->seen < b->n_cl)
		e->lat[e->seen] = now - e->ts_ms;
	e->seen++;
	e->last_ms = now;
}

/* Sends a masked frame (clients must mask): a pong or a close. */
static void send_frame(struct client *c, int opcode, const unsigned char *p,
		       size_t n)
{
	unsigned char f[2 + 4 + 125];

	if (n > 125)
		n = 125;
	f[0] = (unsigned char)(0x80 | opcode);
	f[1] = (unsigned char)(0x80 | n);
	memset(f + 2, 0x5a, 4);
	for (size_t i = 0; i < n; i++)
		f[6 + i] = p[i] ^ 0x5a;
	(void)!send(c->fd, f, 6 + n, MSG_NOSIGNAL);
}

/* Consumes whole frames from the buffer; EPROTO on what we cannot read. */
static int frames(struct bench *b, struct client *c, double now)
{
	size_t off = 0;

	while (c->rx_n - off >= 2) {
		unsigned char *f = c->rx + off;
		uint64_t len = f[1] & 0x7f;
		size_t hl = 2;

		if (len == 126) {
			if (c->rx_n - off < 4)
				break;
			len = (uint64_t)f[2] << 8 | f[3];
			hl = 4;
		} else if (len == 127) {
			if (c->rx_n - off < 10)
				break;
			len = 0;
			for (int i = 0; i < 8; i++)
				len = len << 8 | f[2 + i];
			hl = 10;
		}
		if (len > RX_MAX - 10)
			return EPROTO;
		if (c->rx_n - off < hl + len)
			break;
		b->frames++;
		switch (f[0] & 0x0f) {
		case 1:
			if (!c->snapshot) {
				c->snapshot = 1;
				b->snapshots++;
			} else
				on_text(b, (const char *)f + hl, (size_t)len, now);
			break;
		case 8:
			return ECONNRESET;
		case 9:
			send_frame(c, 10, f + hl, (size_t)len);
			break;
		}
		off += hl + (size_t)len;
	}
	memmove(c->rx, c->rx + off, c->rx_n - off);
	c->rx_n -= off;
	return 0;
}

static int client_read(struct bench *b, struct client *c, double now)
{
	ssize_t n = recv(c->fd, c->rx + c->rx_n, RX_MAX - c->rx_n, MSG_DONTWAIT);
	unsigned char *end;

	if (n == 0)
		return ECONNRESET;
	if (n < 0)
		return errno == EAGAIN ? 0 : errno;
	b->bytes += (unsigned long)n;
	c->rx_n += (size_t)n;
	if (!c->upgraded) {
		end = memmem(c->rx, c->rx_n, "\r\n\r\n", 4);
		if (!end)
			return c->rx_n < 8192 ? 0 : EPROTO;
		if (c->rx_n < 12 || memcmp(c->rx + 9, "101", 3))
			return EACCES;
		c->upgraded = 1;
		end += 4;
		c->rx_n -= (size_t)(end - c->rx);
		memmove(c->rx, end, c->rx_n);
	}
	return frames(b, c, now);
}

static int client_open(struct client *c, const struct sockaddr_in *a,
		       const char *host, const char *token, int ep)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
	char req[2048];
	int n;

	c->rx = malloc(RX_MAX);
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (!c->rx || c->fd < 0)
		return ENOMEM;
	n = snprintf(req, sizeof(req), "GET /api/v1/events?token=%s HTTP/1.1\r\n"
		     "Host: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		     "Sec-WebSocket-Key: YmVuY2gvYXBpX3dzIGtleQ==\r\n"
		     "Sec-WebSocket-Version: 13\r\n\r\n", token, host);
	if (n < 0 || (size_t)n >= sizeof(req))
		return EMSGSIZE;
	if (connect(c->fd, (const struct sockaddr *)a, sizeof(*a)) ||
	    send(c->fd, req, (size_t)n, MSG_NOSIGNAL) != n ||
	    epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev))
		return errno;
	return 0;
}

/* Per call: ts → last client; over every delivery: p50/p99 of ts → client. */
static void report(struct bench *b, double connect_s, int json)
{
	double all_max = 0, spread_max = 0, *all = NULL, *last = NULL;
	size_t n_all = 0, complete = 0;

	all = calloc(b->n_ev * b->n_cl + 1, sizeof(*all));
	last = calloc(b->n_ev + 1, sizeof(*last));
	for (size_t i = 0; all && last && i < b->n_ev; i++) {
		struct event *e = &b->ev[i];
		size_t k = e->seen < b->n_cl ? e->seen : b->n_cl;

		complete += e->seen >= b->n_cl;
		last[i] = e->last_ms - e->ts_ms;
		all_max = fmax(all_max, last[i]);
		spread_max = fmax(spread_max, e->last_ms - e->first_ms);
		memcpy(all + n_all, e->lat, k * sizeof(*all));
		n_all += k;
		if (!json)
			printf("call %s: answered → first client %.1f ms, → "
			       "last of %zu clients %.1f ms\n", e->id,
			       e->first_ms - e->ts_ms, e->seen, last[i]);
	}
	if (all && last) {
		httpload_sort(all, n_all);
		httpload_sort(last, b->n_ev);
	}
	if (json)
		printf("{\"clients\":%zu,\"connected\":%zu,\"connect_s\":%.3f,"
		       "\"events\":%zu,\"events_complete\":%zu,"
		       "\"last_client_ms_max\":%.1f,\"last_client_ms_p99\":%.1f,"
		       "\"delivery_ms_p50\":%.1f,\"delivery_ms_p99\":%.1f,"
		       "\"spread_ms_max\":%.2f,\"frames\":%lu,\"bytes\":%lu}\n",
		       b->n_cl, b->snapshots, connect_s, b->n_ev, complete,
		       all_max, last ? httpload_pct(last, b->n_ev, 0.99) : 0,
		       all ? httpload_pct(all, n_all, 0.50) : 0,
		       all ? httpload_pct(all, n_all, 0.99) : 0, spread_max, b->frames,
		       b->bytes);
	else
		printf("%zu clients (snapshot in %.2f s): %zu calls answered, %zu "
		       "reached every client; answered → last client max %.1f ms, "
		       "p99 %.1f ms; per delivery p50 %.1f ms p99 %.1f ms; first "
		       "→ last client max %.2f ms\n", b->n_cl, connect_s, b->n_ev,
		       complete, all_max, last ? httpload_pct(last, b->n_ev, 0.99) : 0,
		       all ? httpload_pct(all, n_all, 0.50) : 0,
		       all ? httpload_pct(all, n_all, 0.99) : 0, spread_max);
	free(all);
	free(last);
}

static int usage(const char *why)
{
	fprintf(stderr, "bench/api_ws: %s\nusage: bench/api_ws --target IP:PORT "
		"--token TOKEN [--clients N] [--events N] [--duration S] "
		"[--ready FILE] [--json]\n", why);
	return 2;
}

static int all_seen(const struct bench *b, size_t want)
{
	size_t done = 0;

	for (size_t i = 0; i < b->n_ev; i++)
		done += b->ev[i].seen >= b->live;
	return done >= want;
}

int main(int argc, char **argv)
{
	struct bench b = {0};
	struct sockaddr_in addr;
	struct epoll_event evs[64];
	const char *target = NULL, *token = NULL, *ready = NULL;
	unsigned long clients = 500, want = 5;
	double duration = 60, t0, t_ready = 0;
	struct rlimit rl;
	int json = 0, ep;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *end = NULL;

		if (!strcmp(a, "--json")) {
			json = 1;
			continue;
		}
		if (!v)
			return usage(a);
		i++;
		if (!strcmp(a, "--target"))
			target = v;
		else if (!strcmp(a, "--token"))
			token = v;
		else if (!strcmp(a, "--ready"))
			ready = v;
		else if (!strcmp(a, "--clients"))
			clients = strtoul(v, &end, 10);
		else if (!strcmp(a, "--events"))
			want = strtoul(v, &end, 10);
		else if (!strcmp(a, "--duration"))
			duration = strtod(v, &end);
		else
			return usage(a);
		if (end && *end)
			return usage(a);
	}
	if (!target || !token || httpload_addr(target, &addr))
		return usage("--target IPv4:PORT and --token are required");
	if (!clients || clients > MAX_CLIENTS || !want || want > MAX_EVENTS ||
	    duration <= 0 || duration > 3600)
		return usage("--clients 1..4096, --events 1..256, --duration 0..3600");
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < clients + 64) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	b.cl = calloc(clients, sizeof(*b.cl));
	ep = epoll_create1(0);
	if (!b.cl || ep < 0)
		return 1;
	b.n_cl = clients;
	t0 = real_ms();
	for (size_t i = 0; i < b.n_cl; i++) {
		int err = client_open(&b.cl[i], &addr, target, token, ep);
		if (err) {
			fprintf(stderr, "bench/api_ws: client %zu: %s\n", i, strerror(err));
			return 1;
		}
	}
	b.live = b.n_cl;
	while (real_ms() - t0 < duration * 1e3 && b.live &&
	       !(t_ready && all_seen(&b, want))) {
		int n = epoll_wait(ep, evs, 64, 50);
		double now = real_ms();

		for (int i = 0; i < n; i++) {
			struct client *c = evs[i].data.ptr;
			int err = client_read(&b, c, now);

			if (!err)
				continue;
			fprintf(stderr, "bench/api_ws: a client ended: %s\n", strerror(err));
			epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
			close(c->fd);
			c->fd = -1;
			b.live--;
		}
		if (!t_ready && b.snapshots == b.n_cl) {
			FILE *f = ready ? fopen(ready, "w") : NULL;
			t_ready = real_ms();
			if (f)
				fclose(f);
			fprintf(stderr, "bench/api_ws: %zu clients have their snapshot\n",
				b.n_cl);
		}
	}
	report(&b, t_ready ? (t_ready - t0) / 1e3 : -1, json);
	for (size_t i = 0; i < b.n_cl; i++) {
		if (b.cl[i].fd >= 0) {
			send_frame(&b.cl[i], 8, (const unsigned char *)"\x03\xe8", 2);
			close(b.cl[i].fd);
		}
		free(b.cl[i].rx);
	}
	for (size_t i = 0; i < b.n_ev; i++)
		free(b.ev[i].lat);
	free(b.cl);
	close(ep);
	return t_ready && all_seen(&b, want) ? 0 : 1;
}
