/* sip/ext: extensions (SIP credentials) created, changed, removed and
 * listed while the server runs. Memory is the registrar's truth and is
 * changed first; the row is queued for the writer in the same call, so the
 * next REGISTER sees the change and a restart keeps it.
 *
 * An HA1 is made for one realm: an extension keeps the realm its HA1 was
 * made for, is challenged with it, and moves to the configured realm only
 * when its password is set again. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "base/util.h"
#include "db/db.h"
#include "sip/sipx_int.h"

bool sipx_ext_name_ok(const char *ext)
{
	size_t n = ext ? strlen(ext) : 0;

	return n >= 2 && n <= 16 && strspn(ext, "0123456789") == n;
}

/* Writes the row as e holds it now. */
static int save(struct sipx *sx, const struct sipx_ext *e)
{
	return db_write(sx->db,
		"INSERT INTO extensions(ext, display_name, ha1, realm, enabled, "
		"created_at) VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(ext) DO UPDATE "
		"SET display_name = excluded.display_name, ha1 = excluded.ha1, "
		"realm = excluded.realm, enabled = excluded.enabled", "ttttii",
		e->ext, e->display_name, e->ha1, e->realm, (int64_t)e->enabled,
		util_now_ms());
}

static int put(struct sipx *sx, const char *ext, const char *display_name,
	       const char *password, bool enabled)
{
	const struct sipx_ext *e = sipx_store_ext(sx, ext);
	char ha1[SIPX_HA1_SZ], realm[SIPX_REALM_SZ] = "", name[SIPX_NAME_SZ];
	int err = 0;

	/* What is kept is copied out first: the row is rewritten in place. */
	if (password)
		err = sipx_ha1(ext, sx->realm, password, ha1);
	else {
		strcpy(ha1, e->ha1);
		strcpy(realm, e->realm);
	}
	(void)util_strlcpy(name, display_name ? display_name :
			   e ? e->display_name : "", sizeof(name));
	err = err ? err : sipx_store_put_ext(sx, ext, ha1, realm[0] ? realm :
					     NULL, name, enabled);
	err = err ? err : save(sx, sipx_store_ext(sx, ext));
	if (!err && !enabled)
		sipx_loc_unbind_all(sx->loc, ext, sipx_register_changed, sx);
	return err;
}

int sipx_ext_set(struct sipx *sx, const char *ext, const char *display_name,
		 const char *password, bool enabled)
{
	if (!sx || !sx->db || !sipx_store_ext_valid(ext) || !password)
		return EINVAL;
	return put(sx, ext, display_name ? display_name : "", password,
		   enabled);
}

int sipx_ext_update(struct sipx *sx, const char *ext,
		    const char *display_name, const char *password,
		    bool enabled)
{
	if (!sx || !sx->db || !ext)
		return EINVAL;
	if (!sipx_store_ext(sx, ext))
		return ENOENT;
	return put(sx, ext, display_name, password, enabled);
}

int sipx_ext_delete(struct sipx *sx, const char *ext)
{
	const struct sipx_ext *e = sx && ext ? sipx_store_ext(sx, ext) : NULL;
	char name[SIPX_EXT_SZ];

	if (!e)
		return ENOENT;
	strcpy(name, e->ext);
	/* Gone from memory first, so whoever hears of the dropped bindings
	 * ("agent.unregistered") already finds no such extension. Each
	 * binding's row goes as it is dropped (register.c); the
	 * extension's row after them, which they reference. */
	mem_deref((struct sipx_ext *)e);
	sipx_loc_unbind_all(sx->loc, name, sipx_register_changed, sx);
	(void)db_write(sx->db, "DELETE FROM registrations WHERE ext = ?", "t",
		       name);
	return db_write(sx->db, "DELETE FROM extensions WHERE ext = ?", "t",
			name);
}

static void info_of(const struct sipx *sx, const struct sipx_ext *e,
		    struct sipx_ext_info *out)
{
	memset(out, 0, sizeof(*out));
	strcpy(out->ext, e->ext);
	strcpy(out->display_name, e->display_name);
	strcpy(out->realm, e->realm);
	out->enabled = e->enabled;
	out->contacts = sipx_loc_count(sx->loc, e->ext);
}

int sipx_ext_get(const struct sipx *sx, const char *ext,
		 struct sipx_ext_info *out)
{
	const struct sipx_ext *e = sipx_store_ext(sx, ext);

	if (!e)
		return ENOENT;
	info_of(sx, e, out);
	return 0;
}

static bool collect(struct le *le, void *arg)
{
	const struct sipx_ext ***pp = arg;

	*(*pp)++ = le->data;
	return false;
}

static bool count(struct le *le, void *arg)
{
	(void)le;
	(*(size_t *)arg)++;
	return false;
}

static int by_name(const void *a, const void *b)
{
	const struct sipx_ext *const *x = a, *const *y = b;

	return strcmp((*x)->ext, (*y)->ext);
}

int sipx_ext_list(const struct sipx *sx,
		  int (*h)(const struct sipx_ext_info *e, void *arg),
		  void *arg)
{
	size_t n = 0;
	const struct sipx_ext **v, **p;
	struct sipx_ext_info info;
	int err = 0;

	(void)hash_apply(sx->exts, count, &n);
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return ENOMEM;
	p = v;
	(void)hash_apply(sx->exts, collect, &p);
	qsort(v, n, sizeof(*v), by_name);
	for (size_t i = 0; !err && i < n; i++) {
		info_of(sx, v[i], &info);
		err = h(&info, arg);
	}
	free(v);
	return err;
}
