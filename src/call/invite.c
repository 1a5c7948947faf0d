/* call/invite: a new call — an INVITE admitted (a trunk by its address or
 * its digest, an extension by its digest, anyone else refused), made a
 * call record, routed by the dial plan (route/, from memory) and handed to
 * the application of the target's kind. The B2BUA's legs are in b2bua.c,
 * the customer's dialog in customer.c. */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"
#include "region/region.h"
#include "route/route.h"
#include "sip/sipx.h"
#include "trunk/trunk.h"

/* ---- a new call ---- */

void call_reply(struct call_mgr *m, const struct sip_msg *msg,
		uint16_t code, const char *reason)
{
	char src[64], to[64];

	(void)sipx_reply(m->o.sipx, msg, code, reason);
	re_snprintf(src, sizeof(src), "%J", &msg->src);
	pl_strcpy(&msg->uri.user, to, sizeof(to));
	log_info("call.refused", "from=%s to=%s code=%u reason=%s", src, to,
		 code, reason);
}

void call_refuse(struct call *c, const struct sip_msg *msg, uint16_t code,
		 const char *reason)
{
	call_reply(c->mgr, msg, code, reason);
	mem_deref(c);
}

struct call *call_find(struct call_mgr *m, uint64_t key)
{
	for (struct le *le = list_head(&m->calls); le; le = le->next) {
		struct call *c = le->data;
		if (c->key == key)
			return c;
	}
	return NULL;
}

static void call_region(struct call *c)
{
	struct region r;

	if (region_lookup(c->rec.from, &r))
		return;
	util_strlcpy(c->rec.province, r.province, sizeof(c->rec.province));
	util_strlcpy(c->rec.city, r.city, sizeof(c->rec.city));
}

static struct call *call_alloc(struct call_mgr *m, const struct sip_msg *msg,
			       const char *auth_ext)
{
	struct call *c = call_new(m);

	if (!c)
		return NULL;
	c->rec.direction = auth_ext[0] ? "internal" : "inbound";
	pl_strcpy(&msg->uri.user, c->rec.to, sizeof(c->rec.to));
	if (auth_ext[0])
		util_strlcpy(c->rec.from, auth_ext, sizeof(c->rec.from));
	else
		pl_strcpy(&msg->from.uri.user, c->rec.from, sizeof(c->rec.from));
	/* Before any app starts: the IVR branches on it, the record keeps it.
	 * A lookup is ~20 µs with no I/O (bench/region), cheap enough for the
	 * loop; an extension's number has no region to look up. */
	if (!auth_ext[0])
		call_region(c);
	return c;
}

/* Neither from a trunk nor naming an extension, and no credentials to
 * try: no one Hotline knows (a scanner, a misrouted carrier), told so at
 * once rather than challenged — unless some trunk proves itself by
 * digest, whose first INVITE carries no credentials either. */
static bool stranger(const struct call_mgr *m, const struct sip_msg *msg)
{
	char from[SIPX_EXT_SZ];

	if (sip_msg_hdr(msg, SIP_HDR_AUTHORIZATION) ||
	    sip_msg_hdr(msg, SIP_HDR_PROXY_AUTHORIZATION) ||
	    trunk_has_digest(m->o.trunks))
		return false;
	if (!msg->from.uri.user.l || msg->from.uri.user.l >= sizeof(from))
		return true;
	pl_strcpy(&msg->from.uri.user, from, sizeof(from));
	return !sipx_ext_exists(m->o.sipx, from);
}

/* A trunk's call takes one of its channels (over its limit: 503). 0, or
 * EBUSY with the caller refused. */
static int inbound_trunk(struct call *c, const struct sip_msg *msg,
			 const char *user)
{
	struct trunk *t = user[0] ? trunk_by_user(c->mgr->o.trunks, user) :
		trunk_by_source(c->mgr->o.trunks, &msg->src);

	if (!t)
		return 0;     /* the demo's loopback: no trunk configured */
	if (trunk_channel_take(t, TRUNK_IN)) {
		mem_deref(t);
		return EBUSY;
	}
	c->trunk = t;
	util_strlcpy(c->rec.trunk, trunk_name(t), sizeof(c->rec.trunk));
	return 0;
}

void call_on_invite(const struct sip_msg *msg, void *arg)
{
	struct call_mgr *m = arg;
	char auth_ext[SIPX_EXT_SZ] = "", auth_trunk[SIPX_EXT_SZ] = "";
	const struct call_app *app;
	struct route_target rt;
	struct call *c;

	if (m->stopping) {
		call_reply(m, msg, 503, "Shutting Down");
		return;
	}
	/* Trunks known by address (in the demo: loopback) call in freely;
	 * anyone else must prove to be one of our extensions or a trunk known
	 * by digest (sipx_is_trunk says no when the From names an
	 * extension). A feature code ("*21") is an extension's
	 * own request, so it is always authenticated. */
	if (!sipx_is_trunk(m->o.sipx, msg) ||
	    (msg->uri.user.l && msg->uri.user.p[0] == '*')) {
		if (stranger(m, msg)) {
			call_reply(m, msg, 403, "Forbidden (not from a trunk or "
				   "an extension)");
			return;
		}
		if (sipx_authenticate(m->o.sipx, msg, auth_ext, auth_trunk))
			return;
	}
	c = call_alloc(m, msg, auth_ext);
	if (!c) {
		call_reply(m, msg, 500, "Out of Memory");
		return;
	}
	if (auth_ext[0] && c->rec.to[0] == '*') {
		call_app_enter(c, &call_app_feature);
		c->app->start(c, msg, c->rec.to);
		return;
	}
	if (!auth_ext[0] && inbound_trunk(c, msg, auth_trunk)) {
		call_refuse(c, msg, 503, "Service Unavailable (the trunk's "
			    "channels are all in use)");
		return;
	}
	/* The dial plan answers from memory: no disk on the INVITE path. */
	app = route_lookup(m->o.route, c->rec.to, &rt) ? NULL :
		call_app_find(route_kind_name(rt.kind));
	/* An extension dialling what is no DID and no extension goes out
	 * through the trunks (outbound.c answers 404 when no plan covers
	 * it). */
	if (!app && auth_ext[0] && m->o.trunks)
		app = &call_app_outbound;
	if (!app || !app->start) {
		call_refuse(c, msg, 404, "Not Found");
		return;
	}
	call_app_enter(c, app);
	/* Every line is taken: the caller hears busy, and a queue counts a
	 * blocked call (忙音: it never reached the ACD). */
	if (m->o.max_calls && list_count(&m->calls) >= m->o.max_calls) {
		call_reply(m, msg, 486, "Busy Here (all lines busy)");
		if (app->refused)
			app->refused(c, rt.target, "lines");
		mem_deref(c);
		return;
	}
	/* The customer records say no (blacklist) before any app starts. */
	if (!auth_ext[0] && call_screen_refused(c, msg))
		return;
	c->priority = rt.priority;
	util_strlcpy(c->consent_text, rt.consent_text, sizeof(c->consent_text));
	util_strlcpy(c->consent_file, rt.consent_file, sizeof(c->consent_file));
	app->start(c, msg, app == &call_app_outbound ? c->rec.to : rt.target);
}
