/* sip/keepalive: a phone behind NAT is reachable only while the NAT keeps
 * the binding its REGISTER opened, and UDP bindings die after 30 s to a few
 * minutes of silence. So every sip.keepalive_s (default 25) a binding
 * whose Contact was rewritten to the REGISTER's source, or that asked for
 * outbound (;ob, RFC 5626), gets an OPTIONS at that source: the request
 * keeps the NAT's binding open, and its answer shows the phone is still
 * there. A phone that leaves sip.keepalive_misses of them unanswered in a
 * row has gone (unplugged, moved, its NAT rebooted): its binding ends with
 * reason keepalive, so the agent stops being offered calls it cannot take.
 *
 * Work is bounded: one table, swept by the endpoint's one-second tick; a
 * tick sends at most twice the average a second needs (n / keepalive_s),
 * and never fewer than BATCH: the rest stay due and go on the next, so the
 * burst after a restart (every restored binding due at once) spreads
 * itself out. Each binding has at most one request in flight, its answer
 * awaited until the next keep-alive is due. No timer per binding.
 * Measured on the 2-core test machine: 10,000 bindings take ~0.2 ms a
 * tick to walk, and each OPTIONS ~0.1 ms to send (400 a second, ~4% of
 * the signalling loop, at the default 25 s). */
#include <errno.h>
#include <string.h>
#include "base/log.h"
#include "sip/sipx_int.h"

enum { BATCH = 200 };

struct ka {
	struct le he;                /* in sipx_ka.ht by ext and Contact */
	struct sipx_ka *k;           /* not a reference: k frees us */
	char ext[SIPX_EXT_SZ];
	char uri[SIPX_URI_SZ];       /* the binding's Contact */
	char target[SIPX_URI_SZ];    /* where the OPTIONS go: the source */
	int64_t due_ms;
	uint32_t misses;             /* unanswered in a row */
	bool waiting;                /* the last one is still unanswered */
	struct sip_request *req;     /* it, while libre still has it */
	struct sip_dialog *dlg;      /* From, To, Call-ID of our requests */
};

struct sipx_ka {
	struct sipx *sx;             /* not a reference: owns us */
	struct hash *ht;
	uint32_t n;
};

static uint32_t key(const char *ext, const char *uri)
{
	return hash_joaat_str(ext) ^ hash_joaat_str(uri);
}

static void ka_destructor(void *arg)
{
	struct ka *a = arg;

	hash_unlink(&a->he);
	a->k->n--;
	mem_deref(a->req);       /* an unanswered request is given up */
	mem_deref(a->dlg);
}

static void table_destructor(void *arg)
{
	struct sipx_ka *k = arg;

	hash_flush(k->ht);
	mem_deref(k->ht);
}

int sipx_ka_alloc(struct sipx_ka **kp, struct sipx *sx)
{
	struct sipx_ka *k;
	int err;

	if (!kp || !sx)
		return EINVAL;
	k = mem_zalloc(sizeof(*k), table_destructor);
	if (!k)
		return ENOMEM;
	k->sx = sx;
	err = hash_alloc(&k->ht, 256);
	if (err)
		mem_deref(k);
	else
		*kp = k;
	return err;
}

bool sipx_ka_wanted(const struct sipx_contact *c)
{
	char target[SIPX_URI_SZ];
	struct uri u;
	struct pl pl;

	if (!c)
		return false;
	if (!sipx_contact_target(c, target, sizeof(target)) &&
	    strcmp(target, c->uri))
		return true;
	pl_set_str(&pl, c->uri);
	return !uri_decode(&u, &pl) && msg_param_exists(&u.params, "ob", &pl)
		== 0;
}

struct match {
	const char *ext, *uri;
};

static bool ka_cmp(struct le *le, void *arg)
{
	const struct ka *a = le->data;
	const struct match *m = arg;

	return !strcmp(a->ext, m->ext) && !strcmp(a->uri, m->uri);
}

/* Where c's keep-alives go: its REGISTER's source, over the transport it
 * registered on (a TCP phone's Contact often does not say). */
static int target_of(const struct sipx_contact *c, char *out, size_t n)
{
	struct uri u;
	struct pl pl, tp;
	size_t len;
	int err = sipx_contact_target(c, out, n);

	if (err || c->tp == SIP_TRANSP_UDP)
		return err;
	pl_set_str(&pl, out);
	if (uri_decode(&u, &pl) || !msg_param_decode(&u.params, "transport",
						      &tp))
		return 0;
	len = strlen(out);
	return re_snprintf(out + len, n - len, ";transport=%s",
			   sipx_store_tp_name(c->tp)) < 0 ? ENOSPC : 0;
}

static struct ka *find(const struct sipx_ka *k, const char *ext,
		       const char *uri)
{
	struct match m = {ext, uri};
	struct le *le = hash_lookup(k->ht, key(ext, uri), ka_cmp, &m);

	return le ? le->data : NULL;
}

void sipx_ka_forget(struct sipx_ka *k, const char *ext, const char *uri)
{
	if (k && ext && uri)
		mem_deref(find(k, ext, uri));
}

void sipx_ka_track(struct sipx_ka *k, const char *ext,
		   const struct sipx_contact *c, int64_t due_ms)
{
	char target[SIPX_URI_SZ];
	struct ka *a;

	if (!k || !ext || !c)
		return;
	a = find(k, ext, c->uri);
	if (!k->sx->conf.keepalive_s || !sipx_ka_wanted(c) ||
	    target_of(c, target, sizeof(target))) {
		mem_deref(a);
		return;
	}
	if (!a) {
		a = mem_zalloc(sizeof(*a), ka_destructor);
		if (!a)
			return;      /* the binding works; it goes unwatched */
		a->k = k;
		k->n++;
		strcpy(a->ext, ext);
		strcpy(a->uri, c->uri);
		hash_append(k->ht, key(ext, c->uri), &a->he, a);
	}
	/* A REGISTER got through, so the phone and its NAT are alive. */
	if (strcmp(a->target, target)) {
		strcpy(a->target, target);
		a->dlg = mem_deref(a->dlg);
	}
	a->misses = 0;
	a->waiting = false;
	a->req = mem_deref(a->req);
	a->due_ms = due_ms;
}

uint32_t sipx_ka_count(const struct sipx_ka *k)
{
	return k ? k->n : 0;
}

static void on_answer(int err, const struct sip_msg *msg, void *arg)
{
	struct ka *a = arg;

	a->req = NULL;               /* libre's, done */
	/* Any answer, a 405 too, shows the phone is there. */
	if (!err && msg && msg->scode >= 200) {
		a->waiting = false;
		a->misses = 0;
	}
}

static int send_options(struct ka *a)
{
	struct sipx *sx = a->k->sx;
	char from[128];
	int err = 0;

	if (!a->dlg) {
		re_snprintf(from, sizeof(from), "sip:hotline@%J", &sx->laddr);
		err = sip_dialog_alloc(&a->dlg, a->target, a->uri, NULL, from,
				       NULL, 0);
	}
	return err ? err : sip_drequestf(&a->req, sx->sip, true, "OPTIONS",
					 a->dlg, 0, NULL, NULL, on_answer, a,
					 "Content-Length: 0\r\n\r\n");
}

/* True when a's phone has gone (a is freed by then). */
static bool missed(struct ka *a)
{
	struct sipx *sx = a->k->sx;
	char ext[SIPX_EXT_SZ], uri[SIPX_URI_SZ];

	a->req = mem_deref(a->req);
	a->waiting = false;
	if (++a->misses < sx->conf.keepalive_misses)
		return false;
	log_info("sip.keepalive_lost", "ext=%s contact=%s target=%s misses=%u",
		 a->ext, a->uri, a->target, a->misses);
	strcpy(ext, a->ext);
	strcpy(uri, a->uri);
	mem_deref(a);
	/* Its change handler forgets it here too (already done). */
	(void)sipx_loc_remove(sx->loc, ext, uri, SIPX_LOC_KEEPALIVE,
			      sipx_register_changed, sx);
	return true;
}

struct sweep {
	int64_t now;
	uint32_t sent, limit;
};

static bool sweep_one(struct le *le, void *arg)
{
	struct ka *a = le->data;
	struct sweep *s = arg;

	if (a->due_ms > s->now)
		return false;
	if (s->sent >= s->limit)
		return true;         /* the rest go on the next tick */
	if (a->waiting && missed(a))
		return false;
	a->due_ms = s->now + (int64_t)a->k->sx->conf.keepalive_s * 1000;
	if (send_options(a))
		log_info("sip.keepalive_failed", "ext=%s target=%s", a->ext,
			 a->target);
	a->waiting = true;           /* a request not sent is a miss too */
	s->sent++;
	return false;
}

void sipx_ka_sweep(struct sipx_ka *k, int64_t now_ms)
{
	struct sweep s = {now_ms, 0, BATCH};

	if (!k || !k->n || !k->sx->conf.keepalive_s)
		return;
	if (2 * k->n / k->sx->conf.keepalive_s + 1 > s.limit)
		s.limit = 2 * k->n / k->sx->conf.keepalive_s + 1;
	/* hash_apply steps to the next element before calling, so one freed
	 * in the call is safe. */
	(void)hash_apply(k->ht, sweep_one, &s);
}
