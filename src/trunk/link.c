/* trunk/link: a trunk's own traffic with its carrier, outside calls:
 * OPTIONS pings that mark it down and up (health.c decides), and the
 * registration to the carrier with its back-off (health.c's schedule).
 * The SIP is sip/'s (sipx_ping, sipx_reg_start); the timers are here. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <re_types.h>
#include <re_fmt.h>
#include <re_mem.h>
#include <re_list.h>
#include <re_tmr.h>
#include <re_mbuf.h>
#include <re_msg.h>
#include <re_sa.h>
#include <re_uri.h>
#include <re_sip.h>
#include "base/log.h"
#include "base/util.h"
#include "sip/sipx.h"
#include "trunk/trunk_int.h"

enum { PING_TIMEOUT_MAX_MS = 5000, FIRST_PING_MS = 200 };

struct trunk_link {
	struct trunk *t;            /* not a reference: t owns the link */
	struct sipx *sx;
	struct tmr ping_tmr, reg_tmr;
	struct sipx_ping *ping;
	struct sipx_reg *reg;
	const char *reg_state;      /* off, registering, registered, failed */
	unsigned reg_failures;      /* in a row */
	uint16_t reg_code;
	uint64_t reg_retry_at;      /* tmr_jiffies() of the next try, or 0 */
};

static void link_destroy(void *arg)
{
	struct trunk_link *k = arg;

	tmr_cancel(&k->ping_tmr);
	tmr_cancel(&k->reg_tmr);
	mem_deref(k->ping);
	mem_deref(k->reg);
}

static void registrar_uri(const struct trunk_conf *c, char *out, size_t n)
{
	snprintf(out, n, "sip:%s;transport=%s", c->address, c->transport);
}

/* ---- pings ---- */

static void ping_send(void *arg);

static void ping_done(bool answered, uint16_t scode, void *arg)
{
	struct trunk_link *k = arg;
	struct trunk *t = k->t;

	k->ping = mem_deref(k->ping);
	if (trunk_health_note(&t->health, answered))
		log_info(t->health.down ? "trunk.down" : "trunk.up",
			 "name=%s misses=%u last=%u", t->conf.name,
			 t->health.misses, scode);
	tmr_start(&k->ping_tmr, t->conf.ping_interval_s * 1000ULL, ping_send,
		  k);
}

static void ping_send(void *arg)
{
	struct trunk_link *k = arg;
	const struct trunk_conf *c = &k->t->conf;
	uint32_t timeout = c->ping_interval_s * 1000;
	char uri[128];
	int err;

	if (timeout > PING_TIMEOUT_MAX_MS)
		timeout = PING_TIMEOUT_MAX_MS;
	registrar_uri(c, uri, sizeof(uri));
	err = sipx_ping(&k->ping, k->sx, uri, timeout, ping_done, k);
	if (err) {
		log_warn("trunk.ping", "name=%s err=%s", c->name, strerror(err));
		ping_done(false, 0, k);
	}
}

/* ---- registration ---- */

static void reg_start(void *arg);

/* Runs on the loop's next turn after a failure: the failed registration
 * is dropped (libre's own retry with it), and ours is timed. */
static void reg_wait(void *arg)
{
	struct trunk_link *k = arg;
	uint32_t ms = trunk_backoff_ms(k->reg_failures);

	k->reg = mem_deref(k->reg);
	k->reg_retry_at = tmr_jiffies() + ms;
	tmr_start(&k->reg_tmr, ms, reg_start, k);
}

static void reg_answer(int err, uint16_t scode, void *arg)
{
	struct trunk_link *k = arg;
	const char *name = k->t->conf.name;

	k->reg_code = scode;
	if (!err && scode >= 200 && scode < 300) {
		if (strcmp(k->reg_state, "registered"))
			log_info("trunk.registered", "name=%s", name);
		k->reg_state = "registered";
		k->reg_failures = 0;
		return;
	}
	k->reg_state = "failed";
	k->reg_failures++;
	log_warn("trunk.register_failed", "name=%s status=%u err=%s "
		 "failures=%u retry_ms=%u", name, scode,
		 err ? strerror(err) : "-", k->reg_failures,
		 trunk_backoff_ms(k->reg_failures));
	tmr_start(&k->reg_tmr, 0, reg_wait, k);
}

static void reg_start(void *arg)
{
	struct trunk_link *k = arg;
	const struct trunk_conf *c = &k->t->conf;
	char registrar[128], aor[192];
	struct sipx_reg_conf rc = {
		.registrar = registrar, .aor = aor,
		.contact_user = c->username, .username = c->username,
		.password = c->password, .expires_s = c->reg_expires_s,
	};
	int err;

	registrar_uri(c, registrar, sizeof(registrar));
	snprintf(aor, sizeof(aor), "sip:%s@%s", c->username, c->address);
	k->reg_retry_at = 0;
	k->reg_state = "registering";
	err = sipx_reg_start(&k->reg, k->sx, &rc, reg_answer, k);
	if (err)
		reg_answer(err, 0, k);
}

void trunk_link_stop(struct trunk *t)
{
	if (t)
		t->link = mem_deref(t->link);
}

void trunk_link_update(struct trunk *t)
{
	const struct trunk_conf *c = &t->conf;
	struct trunk_link *k;

	trunk_link_stop(t);
	if (!t->th || !t->th->sx || !c->outbound ||
	    (!c->ping_interval_s && !c->reg)) {
		t->health = (struct trunk_health){0};
		return;
	}
	k = mem_zalloc(sizeof(*k), link_destroy);
	if (!k) {
		log_warn("trunk.link", "name=%s err=%s", c->name,
			 strerror(ENOMEM));
		return;
	}
	k->t = t;
	k->sx = t->th->sx;
	k->reg_state = "off";
	tmr_init(&k->ping_tmr);
	tmr_init(&k->reg_tmr);
	t->link = k;
	if (c->ping_interval_s)
		tmr_start(&k->ping_tmr, FIRST_PING_MS, ping_send, k);
	else
		t->health = (struct trunk_health){0};
	if (c->reg)
		tmr_start(&k->reg_tmr, 0, reg_start, k);
}

void trunk_link_reg_state(const struct trunk *t, struct trunk_reg_state *s)
{
	const struct trunk_link *k = t->link;
	uint64_t now = tmr_jiffies();

	*s = (struct trunk_reg_state){.state = "off", .retry_in_ms = -1};
	if (!k || !t->conf.reg)
		return;
	s->state = k->reg_state;
	s->last_code = k->reg_code;
	s->failures = k->reg_failures;
	if (k->reg_retry_at)
		s->retry_in_ms = k->reg_retry_at > now ?
			(int64_t)(k->reg_retry_at - now) : 0;
}
