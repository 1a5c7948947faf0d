/* trunk/route: what calls ask of trunks on the loop, from memory: is a
 * source a trunk's, which trunks an outbound number goes through, the
 * channels, and how an INVITE through a trunk is addressed. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <re_types.h>
#include <re_fmt.h>
#include <re_mem.h>
#include <re_list.h>
#include <re_sa.h>
#include "base/log.h"
#include "base/util.h"
#include "region/region.h"
#include "trunk/trunk_int.h"

static bool source_of(const struct trunk *t, const struct sa *src)
{
	const uint8_t *addr;
	int af = sa_af(src);

	if (af == AF_INET)
		addr = (const uint8_t *)&src->u.in.sin_addr;
	else if (af == AF_INET6)
		addr = src->u.in6.sin6_addr.s6_addr;
	else
		return false;
	for (size_t i = 0; i < t->conf.nfrom; i++) {
		if (trunk_cidr_match(&t->conf.from[i], af, addr))
			return true;
	}
	return false;
}

static struct trunk *find_source(const struct trunk_host *th,
				 const struct sa *src)
{
	for (struct le *le = th && src ? list_head(&th->trunks) : NULL; le;
	     le = le->next) {
		struct trunk *t = le->data;
		if (source_of(t, src))
			return t;
	}
	return NULL;
}

bool trunk_is_source(const struct trunk_host *th, const struct sa *src)
{
	return find_source(th, src) != NULL;
}

static struct trunk *find_user(const struct trunk_host *th, const char *user)
{
	for (struct le *le = th && user ? list_head(&th->trunks) : NULL; le;
	     le = le->next) {
		struct trunk *t = le->data;
		if (t->conf.in_user[0] && !strcmp(t->conf.in_user, user))
			return t;
	}
	return NULL;
}

struct trunk *trunk_by_user(const struct trunk_host *th, const char *user)
{
	return mem_ref(find_user(th, user));
}

bool trunk_secret(const struct trunk_host *th, const char *user,
		  char *password, size_t n)
{
	const struct trunk *t = find_user(th, user);

	return t && !util_strlcpy(password, t->conf.in_password, n);
}

bool trunk_has_digest(const struct trunk_host *th)
{
	for (struct le *le = th ? list_head(&th->trunks) : NULL; le;
	     le = le->next) {
		const struct trunk *t = le->data;
		if (t->conf.in_user[0])
			return true;
	}
	return false;
}

struct trunk *trunk_by_source(const struct trunk_host *th,
			      const struct sa *src)
{
	return mem_ref(find_source(th, src));
}

int trunk_channel_take(struct trunk *t, enum trunk_dir dir)
{
	if (!t)
		return EINVAL;
	if (t->conf.max_channels && t->in_use >= t->conf.max_channels) {
		t->refused++;
		return EBUSY;
	}
	t->in_use++;
	if (dir == TRUNK_IN)
		t->calls_in++;
	else
		t->calls_out++;
	return 0;
}

void trunk_channel_give(struct trunk *t)
{
	if (t && t->in_use)
		t->in_use--;
}

void trunk_failed(struct trunk *t)
{
	if (t)
		t->failures++;
}

const char *trunk_name(const struct trunk *t)
{
	return t ? t->conf.name : "";
}

int trunk_route_find(const struct trunk_host *th, const char *dialled,
		     struct trunk_route *r)
{
	const struct trunk_plan *p = NULL;
	int err;

	if (!th || !dialled || !r)
		return EINVAL;
	memset(r, 0, sizeof(*r));
	err = region_normalise(dialled, r->number, sizeof(r->number));
	if (err)
		return err == ENOMEM ? err : EINVAL;
	for (struct le *le = list_head(&th->plans); le; le = le->next) {
		const struct trunk_plan *q = le->data;
		if (trunk_pattern_match(&q->re, r->number)) {
			p = q;
			break;
		}
	}
	if (!p)
		return ENOENT;
	r->plan_id = p->id;
	for (size_t i = 0; i < p->n; i++) {
		struct trunk *t = trunk_find(th, p->trunks[i]);
		if (t && t->conf.outbound)
			r->v[r->n++] = mem_ref(t);
	}
	return 0;
}

void trunk_route_release(struct trunk_route *r)
{
	for (size_t i = 0; r && i < r->n; i++)
		r->v[i] = mem_deref(r->v[i]);
	if (r)
		r->n = 0;
}

size_t trunk_route_next(const struct trunk_route *r, size_t from)
{
	struct trunk_cand c[TRUNK_PLAN_MAX];

	for (size_t i = 0; i < r->n; i++) {
		const struct trunk *t = r->v[i];

		c[i] = (struct trunk_cand){
			.exists = t->th && t->conf.outbound,
			.down = t->health.down, .in_use = t->in_use,
			.max = t->conf.max_channels,
		};
	}
	return trunk_pick(c, r->n, from);
}

int trunk_dial_get(const struct trunk *t, const char *number,
		   const char *caller, struct trunk_dial *d)
{
	const struct trunk_conf *c = t ? &t->conf : NULL;
	const char *id;

	if (!c || !c->outbound || !number || !d)
		return EINVAL;
	memset(d, 0, sizeof(*d));
	snprintf(d->uri, sizeof(d->uri), "sip:%s@%s;transport=%s", number,
		 c->address, c->transport);
	id = c->caller_id[0] ? c->caller_id : caller ? caller : "";
	/* RFC 3325: the carrier learns who calls from P-Asserted-Identity;
	 * with privacy (RFC 3323) the From says nothing and the carrier is
	 * asked to keep the identity from the callee. */
	if (c->privacy) {
		util_strlcpy(d->from_user, "anonymous", sizeof(d->from_user));
		if (*id)
			snprintf(d->headers, sizeof(d->headers),
				 "P-Asserted-Identity: <sip:%s@%s>\r\n"
				 "Privacy: id\r\n", id, c->address);
		else
			snprintf(d->headers, sizeof(d->headers),
				 "Privacy: id\r\n");
	}
	else {
		util_strlcpy(d->from_user, id, sizeof(d->from_user));
		if (*id)
			snprintf(d->headers, sizeof(d->headers),
				 "P-Asserted-Identity: <sip:%s@%s>\r\n", id,
				 c->address);
	}
	for (size_t i = 0, len = 0; i < c->ncodecs && len < sizeof(d->codecs);
	     i++)
		len += (size_t)snprintf(d->codecs + len, sizeof(d->codecs) - len,
					"%s%s", i ? "," : "", c->codecs[i]);
	d->username = c->username;
	d->password = c->password;
	d->invite_timeout_ms = c->invite_timeout_s * 1000;
	d->srtp = c->srtp;
	return 0;
}
