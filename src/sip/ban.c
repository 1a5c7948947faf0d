/* sip/ban: refuses sources that keep failing authentication. A source (an
 * IP address; the port is ignored, a phone changes it), or a username at an
 * address when the caller counts them apart, that fails max_failures times
 * within window_ms is banned for ban_ms; while banned its failures are not
 * counted, so a ban ends on time however hard it knocks.
 * Pure: time comes in as now_ms. */
#include <errno.h>
#include <string.h>
#include "sip/sipx_int.h"

struct source {
	struct le he;
	struct sa ip;
	char user[SIPX_EXT_SZ];   /* "": the whole address */
	int64_t banned_until;     /* 0: not banned */
	uint32_t n;               /* failures in ring, at most max_failures */
	uint32_t next;            /* ring slot the next failure goes to */
	int64_t ring[];           /* times of the latest failures */
};

struct sipx_ban {
	struct sipx_ban_conf conf;
	struct hash *ht;
	uint32_t count;
};

static void source_destructor(void *arg)
{
	struct source *s = arg;

	hash_unlink(&s->he);
}

static void ban_destructor(void *arg)
{
	struct sipx_ban *b = arg;

	hash_flush(b->ht);
	mem_deref(b->ht);
}

int sipx_ban_alloc(struct sipx_ban **bp, const struct sipx_ban_conf *conf)
{
	struct sipx_ban *b;
	int err;

	if (!bp || !conf || !conf->max_failures || conf->window_ms <= 0 ||
	    conf->ban_ms <= 0)
		return EINVAL;
	b = mem_zalloc(sizeof(*b), ban_destructor);
	if (!b)
		return ENOMEM;
	b->conf = *conf;
	err = hash_alloc(&b->ht, 256);
	if (err) {
		mem_deref(b);
		return err;
	}
	*bp = b;
	return 0;
}

struct key {
	const struct sa *ip;
	const char *user;
};

static bool key_cmp(struct le *le, void *arg)
{
	const struct source *s = le->data;
	const struct key *k = arg;

	return sa_cmp(&s->ip, k->ip, SA_ADDR) && !strcmp(s->user, k->user);
}

/* A user name too long to be an extension is counted as the address. */
static const char *user_key(const char *user)
{
	return user && strlen(user) < SIPX_EXT_SZ ? user : "";
}

static struct source *find(const struct sipx_ban *b, const struct sa *ip,
			   const char *user)
{
	struct key k = {ip, user_key(user)};
	struct le *le = hash_lookup(b->ht, sa_hash(ip, SA_ADDR), key_cmp, &k);

	return le ? le->data : NULL;
}

bool sipx_ban_fail(struct sipx_ban *b, const struct sa *ip, const char *user,
		   int64_t now_ms)
{
	struct source *s;
	int64_t oldest;

	if (!b || !ip)
		return false;
	s = find(b, ip, user);
	if (!s) {
		if (b->count >= b->conf.max_sources)
			return false;
		s = mem_zalloc(sizeof(*s) + b->conf.max_failures *
			       sizeof(s->ring[0]), source_destructor);
		if (!s)
			return false;
		s->ip = *ip;
		strcpy(s->user, user_key(user));
		hash_append(b->ht, sa_hash(ip, SA_ADDR), &s->he, s);
		b->count++;
	}
	if (s->banned_until > now_ms)
		return false;
	s->banned_until = 0;
	s->ring[s->next] = now_ms;
	s->next = (s->next + 1) % b->conf.max_failures;
	if (s->n < b->conf.max_failures)
		s->n++;
	if (s->n < b->conf.max_failures)
		return false;
	/* The ring is full: its oldest entry is the slot written next. */
	oldest = s->ring[s->next];
	if (now_ms - oldest >= b->conf.window_ms)
		return false;
	s->banned_until = now_ms + b->conf.ban_ms;
	s->n = 0;
	s->next = 0;
	return true;
}

static bool banned(const struct sipx_ban *b, const struct sa *ip,
		   const char *user, int64_t now_ms)
{
	const struct source *s = find(b, ip, user);

	return s && s->banned_until > now_ms;
}

bool sipx_ban_check(const struct sipx_ban *b, const struct sa *ip,
		    const char *user, int64_t now_ms)
{
	if (!b || !ip)
		return false;
	return banned(b, ip, "", now_ms) ||
	       (user && *user_key(user) && banned(b, ip, user, now_ms));
}

void sipx_ban_sweep(struct sipx_ban *b, int64_t now_ms)
{
	if (!b)
		return;
	for (uint32_t i = 0; i < hash_bsize(b->ht); i++) {
		struct le *le = list_head(hash_list(b->ht, i));

		while (le) {
			struct source *s = le->data;
			int64_t newest = 0;

			le = le->next;
			if (s->banned_until > now_ms)
				continue;
			if (s->n) {
				uint32_t last = (s->next + b->conf.max_failures - 1) %
						b->conf.max_failures;
				newest = s->ring[last];
			}
			if (s->n && now_ms - newest < b->conf.window_ms)
				continue;
			mem_deref(s);
			b->count--;
		}
	}
}

uint32_t sipx_ban_count(const struct sipx_ban *b)
{
	return b ? b->count : 0;
}
