/* sip/location: the location service, the bindings of each extension
 * (RFC 3261 10.3). A binding is keyed by (extension, Contact URI); each
 * extension holds at most max_contacts of them, kept latest-expiry first.
 * When a new contact arrives at a full extension, the binding expiring
 * soonest gives way: a phone that rebooted onto a new address must get in,
 * and its stale binding is the one that would have expired first anyway.
 * Pure: time comes in as now_ms; every change is told to the caller's
 * handler, which persists and publishes it. */
#include <errno.h>
#include <string.h>
#include "sip/sipx_int.h"

struct aor {
	struct le he;
	struct list bindings;     /* struct binding, latest expiry first */
	uint32_t n;
	char ext[SIPX_EXT_SZ];
};

struct binding {
	struct le le;
	struct sipx_contact c;
};

struct sipx_loc {
	struct hash *ht;          /* struct aor by extension */
	uint32_t max_contacts;
};

static void aor_destructor(void *arg)
{
	struct aor *a = arg;

	hash_unlink(&a->he);
	list_flush(&a->bindings);
}

static void binding_destructor(void *arg)
{
	struct binding *b = arg;

	list_unlink(&b->le);
}

static void loc_destructor(void *arg)
{
	struct sipx_loc *l = arg;

	hash_flush(l->ht);
	mem_deref(l->ht);
}

int sipx_loc_alloc(struct sipx_loc **lp, uint32_t max_contacts)
{
	struct sipx_loc *l;
	int err;

	if (!lp || !max_contacts)
		return EINVAL;
	l = mem_zalloc(sizeof(*l), loc_destructor);
	if (!l)
		return ENOMEM;
	l->max_contacts = max_contacts;
	err = hash_alloc(&l->ht, 1024);
	if (err) {
		mem_deref(l);
		return err;
	}
	*lp = l;
	return 0;
}

static bool ext_cmp(struct le *le, void *arg)
{
	const struct aor *a = le->data;

	return 0 == strcmp(a->ext, arg);
}

static struct aor *aor_find(const struct sipx_loc *l, const char *ext)
{
	struct le *le = hash_lookup(l->ht, hash_joaat_str(ext), ext_cmp,
				    (void *)ext);

	return le ? le->data : NULL;
}

static struct binding *binding_find(const struct aor *a, const char *uri)
{
	for (struct le *le = list_head(&a->bindings); le; le = le->next) {
		struct binding *b = le->data;

		if (!strcmp(b->c.uri, uri))
			return b;
	}
	return NULL;
}

/* Inserts b before the first binding that expires earlier. */
static void insert_sorted(struct aor *a, struct binding *b)
{
	for (struct le *le = list_head(&a->bindings); le; le = le->next) {
		const struct binding *o = le->data;

		if (o->c.expires_at_ms < b->c.expires_at_ms) {
			list_insert_before(&a->bindings, le, &b->le, b);
			return;
		}
	}
	list_append(&a->bindings, &b->le, b);
}

/* Unlinks and frees b, telling h why; frees a when it became empty unless
 * keep (a binding is about to take b's place). */
static void drop(struct aor *a, struct binding *b, enum sipx_loc_why why,
		 bool keep, sipx_loc_h *h, void *arg)
{
	char ext[SIPX_EXT_SZ];
	uint32_t left;

	list_unlink(&b->le);
	left = --a->n;
	memcpy(ext, a->ext, sizeof(ext));
	if (!left && !keep)
		mem_deref(a);
	if (h)
		h(ext, &b->c, why, left, arg);
	mem_deref(b);
}

int sipx_loc_bind(struct sipx_loc *l, const char *ext,
		  const struct sipx_contact *c, sipx_loc_h *h, void *arg)
{
	struct aor *a;
	struct binding *b;

	if (!l || !ext || !c || !*ext || strlen(ext) >= SIPX_EXT_SZ ||
	    !c->uri[0])
		return EINVAL;
	a = aor_find(l, ext);
	if (!a) {
		a = mem_zalloc(sizeof(*a), aor_destructor);
		if (!a)
			return ENOMEM;
		strcpy(a->ext, ext);
		hash_append(l->ht, hash_joaat_str(ext), &a->he, a);
	}
	b = binding_find(a, c->uri);
	if (b) {
		list_unlink(&b->le);
		b->c = *c;
		insert_sorted(a, b);
		if (h)
			h(ext, &b->c, SIPX_LOC_REFRESH, a->n, arg);
		return 0;
	}
	b = mem_zalloc(sizeof(*b), binding_destructor);
	if (!b) {
		if (!a->n)
			mem_deref(a);
		return ENOMEM;
	}
	b->c = *c;
	if (a->n >= l->max_contacts) {
		struct binding *victim = list_ledata(list_tail(&a->bindings));

		drop(a, victim, SIPX_LOC_REPLACED, true, h, arg);
	}
	insert_sorted(a, b);
	a->n++;
	if (h)
		h(ext, &b->c, SIPX_LOC_NEW, a->n, arg);
	return 0;
}

int sipx_loc_remove(struct sipx_loc *l, const char *ext, const char *uri,
		    enum sipx_loc_why why, sipx_loc_h *h, void *arg)
{
	struct aor *a;
	struct binding *b;

	if (!l || !ext || !uri)
		return EINVAL;
	a = aor_find(l, ext);
	b = a ? binding_find(a, uri) : NULL;
	if (!b)
		return ENOENT;
	drop(a, b, why, false, h, arg);
	return 0;
}

int sipx_loc_unbind(struct sipx_loc *l, const char *ext, const char *uri,
		    sipx_loc_h *h, void *arg)
{
	return sipx_loc_remove(l, ext, uri, SIPX_LOC_UNREGISTER, h, arg);
}

void sipx_loc_unbind_all(struct sipx_loc *l, const char *ext,
			 sipx_loc_h *h, void *arg)
{
	struct aor *a = (l && ext) ? aor_find(l, ext) : NULL;

	while (a) {
		struct binding *b = list_ledata(list_head(&a->bindings));
		bool last = a->n == 1;

		drop(a, b, SIPX_LOC_UNREGISTER, false, h, arg);
		if (last)
			break;
	}
}

void sipx_loc_expire(struct sipx_loc *l, int64_t now_ms,
		     sipx_loc_h *h, void *arg)
{
	if (!l)
		return;
	for (uint32_t i = 0; i < hash_bsize(l->ht); i++) {
		struct le *le = list_head(hash_list(l->ht, i));

		while (le) {
			struct aor *a = le->data;

			le = le->next;
			/* Soonest expiry is at the tail. */
			for (;;) {
				struct binding *b =
					list_ledata(list_tail(&a->bindings));
				bool last = a->n == 1;

				if (!b || b->c.expires_at_ms > now_ms)
					break;
				drop(a, b, SIPX_LOC_EXPIRED, false, h, arg);
				if (last)
					break;
			}
		}
	}
}

const struct sipx_contact *sipx_loc_find(const struct sipx_loc *l,
					 const char *ext, const char *uri)
{
	const struct aor *a = (l && ext && uri) ? aor_find(l, ext) : NULL;
	const struct binding *b = a ? binding_find(a, uri) : NULL;

	return b ? &b->c : NULL;
}

size_t sipx_loc_get(const struct sipx_loc *l, const char *ext,
		    struct sipx_contact *v, size_t max)
{
	const struct aor *a = (l && ext) ? aor_find(l, ext) : NULL;
	size_t n = 0;

	if (!a)
		return 0;
	for (struct le *le = list_head(&a->bindings); le && n < max;
	     le = le->next) {
		const struct binding *b = le->data;

		v[n++] = b->c;
	}
	return n;
}

size_t sipx_loc_count(const struct sipx_loc *l, const char *ext)
{
	const struct aor *a = (l && ext) ? aor_find(l, ext) : NULL;

	return a ? list_count(&a->bindings) : 0;
}

void sipx_loc_apply(const struct sipx_loc *l, sipx_loc_h *h, void *arg)
{
	if (!l || !h)
		return;
	for (uint32_t i = 0; i < hash_bsize(l->ht); i++) {
		for (struct le *le = list_head(hash_list(l->ht, i)); le;
		     le = le->next) {
			const struct aor *a = le->data;

			for (struct le *bl = list_head(&a->bindings); bl;
			     bl = bl->next) {
				const struct binding *b = bl->data;

				h(a->ext, &b->c, SIPX_LOC_NEW, a->n, arg);
			}
		}
	}
}
