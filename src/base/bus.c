/* bus: an array of subscriptions. Unsubscribing during delivery only clears
 * the handler; the slot is reclaimed once no delivery is running, so an
 * iteration never sees the array move under it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "base/bus.h"

struct sub {
	char   *prefix;
	size_t  plen;
	bus_h  *h;
	void   *arg;
};

struct bus {
	struct sub *subs;
	size_t n, cap;
	unsigned depth;      /* deliveries in progress (handlers may publish) */
	uint64_t seq;
};

int bus_alloc(struct bus **bp)
{
	struct bus *b = calloc(1, sizeof(*b));
	if (!b)
		return ENOMEM;
	*bp = b;
	return 0;
}

void bus_free(struct bus *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++)
		free(b->subs[i].prefix);
	free(b->subs);
	free(b);
}

int bus_subscribe(struct bus *b, const char *prefix, bus_h *h, void *arg)
{
	struct sub *s;

	if (!h || !prefix)
		return EINVAL;
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 8;
		s = realloc(b->subs, cap * sizeof(*s));
		if (!s)
			return ENOMEM;
		b->subs = s;
		b->cap = cap;
	}
	s = &b->subs[b->n];
	s->prefix = strdup(prefix);
	if (!s->prefix)
		return ENOMEM;
	s->plen = strlen(prefix);
	s->h = h;
	s->arg = arg;
	b->n++;
	return 0;
}

static void compact(struct bus *b)
{
	size_t j = 0;
	for (size_t i = 0; i < b->n; i++) {
		if (b->subs[i].h)
			b->subs[j++] = b->subs[i];
		else
			free(b->subs[i].prefix);
	}
	b->n = j;
}

void bus_unsubscribe(struct bus *b, bus_h *h, void *arg)
{
	for (size_t i = 0; i < b->n; i++) {
		if (b->subs[i].h == h && b->subs[i].arg == arg)
			b->subs[i].h = NULL;
	}
	if (!b->depth)
		compact(b);
}

uint64_t bus_last_seq(const struct bus *b)
{
	return b->seq;
}

int bus_publish(struct bus *b, enum bus_ev id, const char *subject,
		int64_t ts_ms, json_t *data)
{
	const char *type = bus_ev_name(id);
	struct bus_event ev;
	size_t n;

	if (!type) {
		json_decref(data);
		return EINVAL;
	}
	if (!data && !(data = json_object()))
		return ENOMEM;
	ev.id = id;
	ev.type = type;
	ev.subject = subject ? subject : "";
	ev.ts_ms = ts_ms;
	ev.seq = ++b->seq;
	ev.data = data;

	/* Subscribers added by a handler see the next event, not this one. */
	n = b->n;
	b->depth++;
	for (size_t i = 0; i < n; i++) {
		struct sub *s = &b->subs[i];
		if (s->h && !strncmp(type, s->prefix, s->plen))
			s->h(&ev, s->arg);
	}
	if (--b->depth == 0)
		compact(b);
	json_decref(data);
	return 0;
}
