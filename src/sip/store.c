/* sip/store: extensions and registrations in the database.
 *
 * Extensions are read once at start into memory (the registrar must not
 * wait on the disk per REGISTER) and changed through sipx_ext_set, which
 * updates memory and queues the row together. Registrations are written
 * through db_write as they change and read back at start. */
#include <errno.h>
#include <string.h>
#include <jansson.h>
#include "base/bus.h"
#include "base/log.h"
#include "base/util.h"
#include "db/db.h"
#include "sip/sipx_int.h"

/* Transport names as stored; one row per transport we listen on. */
static const struct {
	enum sip_transp tp;
	const char *name;
} transports[] = {
	{SIP_TRANSP_UDP, "udp"},
	{SIP_TRANSP_TCP, "tcp"},
	{SIP_TRANSP_TLS, "tls"},
};

static const char *tp_name(enum sip_transp tp)
{
	for (size_t i = 0; i < ARRAY_LEN(transports); i++) {
		if (transports[i].tp == tp)
			return transports[i].name;
	}
	return "udp";
}

static int tp_parse(const char *s, enum sip_transp *tp)
{
	for (size_t i = 0; s && i < ARRAY_LEN(transports); i++) {
		if (!strcmp(transports[i].name, s)) {
			*tp = transports[i].tp;
			return 0;
		}
	}
	return EINVAL;
}

/* Extension names: 1..32 of [0-9A-Za-z._-], what a SIP user part and a
 * URL path segment both carry without escaping. */
static bool ext_valid(const char *ext)
{
	size_t n = ext ? strlen(ext) : 0;

	if (!n || n >= SIPX_EXT_SZ)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = ext[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z') || c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

static bool ha1_valid(const char *ha1)
{
	if (!ha1 || strlen(ha1) != SIPX_HA1_SZ - 1)
		return false;
	for (size_t i = 0; i < SIPX_HA1_SZ - 1; i++) {
		if (!((ha1[i] >= '0' && ha1[i] <= '9') ||
		      (ha1[i] >= 'a' && ha1[i] <= 'f')))
			return false;
	}
	return true;
}

static bool ext_cmp(struct le *le, void *arg)
{
	const struct sipx_ext *e = le->data;

	return 0 == strcmp(e->ext, arg);
}

const struct sipx_ext *sipx_store_ext(const struct sipx *sx, const char *ext)
{
	struct le *le;

	if (!sx || !ext)
		return NULL;
	le = hash_lookup(sx->exts, hash_joaat_str(ext), ext_cmp, (void *)ext);
	return le ? le->data : NULL;
}

static void ext_destructor(void *arg)
{
	struct sipx_ext *e = arg;

	hash_unlink(&e->he);
}

int sipx_store_put_ext(struct sipx *sx, const char *ext, const char *ha1,
		       bool enabled)
{
	struct sipx_ext *e;

	if (!sx || !ext_valid(ext) || !ha1_valid(ha1))
		return EINVAL;
	e = (struct sipx_ext *)sipx_store_ext(sx, ext);
	if (!e) {
		e = mem_zalloc(sizeof(*e), ext_destructor);
		if (!e)
			return ENOMEM;
		strcpy(e->ext, ext);
		hash_append(sx->exts, hash_joaat_str(ext), &e->he, e);
	}
	strcpy(e->ha1, ha1);
	e->enabled = enabled;
	return 0;
}

static int ext_row(const struct db_row *row, void *arg)
{
	struct sipx *sx = arg;
	const char *ext = db_row_text(row, 0);

	if (sipx_store_put_ext(sx, ext, db_row_text(row, 1),
			       db_row_int(row, 2) != 0))
		log_warn("sip.ext_skipped", "ext=%s reason=\"bad name or ha1\"",
			 ext ? ext : "");
	return 0;
}

int sipx_store_load_exts(struct sipx *sx)
{
	return db_query(sx->db, ext_row, sx,
			"SELECT ext, ha1, enabled FROM extensions", "");
}

int sipx_ext_set(struct sipx *sx, const char *ext, const char *display_name,
		 const char *password, bool enabled)
{
	char ha1[SIPX_HA1_SZ];
	int err;

	if (!sx || !sx->db || !ext_valid(ext) || !password)
		return EINVAL;
	err = sipx_ha1(ext, sx->realm, password, ha1);
	err = err ? err : db_write(sx->db,
		"INSERT INTO extensions(ext, display_name, ha1, enabled, "
		"created_at) VALUES(?, ?, ?, ?, ?) ON CONFLICT(ext) DO UPDATE "
		"SET display_name = excluded.display_name, ha1 = excluded.ha1, "
		"enabled = excluded.enabled", "tttii", ext,
		display_name ? display_name : "", ha1, (int64_t)enabled,
		util_now_ms());
	err = err ? err : sipx_store_put_ext(sx, ext, ha1, enabled);
	if (!err && !enabled)
		sipx_loc_unbind_all(sx->loc, ext, sipx_register_changed, sx);
	return err;
}

void sipx_store_save(struct sipx *sx, const char *ext,
		     const struct sipx_contact *c)
{
	char src[64];

	if (!sx->db)
		return;
	re_snprintf(src, sizeof(src), "%J", &c->source);
	(void)db_write(sx->db,
		"INSERT INTO registrations(ext, contact, source, transport, "
		"expires_at, user_agent, call_id, cseq, updated_at) "
		"VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?) "
		"ON CONFLICT(ext, contact) DO UPDATE SET source = excluded.source, "
		"transport = excluded.transport, expires_at = excluded.expires_at, "
		"user_agent = excluded.user_agent, call_id = excluded.call_id, "
		"cseq = excluded.cseq, updated_at = excluded.updated_at",
		"ttttittii", ext, c->uri, src, tp_name(c->tp), c->expires_at_ms,
		c->user_agent, c->call_id, (int64_t)c->cseq, util_now_ms());
}

void sipx_store_delete(struct sipx *sx, const char *ext, const char *uri)
{
	if (!sx->db)
		return;
	(void)db_write(sx->db,
		"DELETE FROM registrations WHERE ext = ? AND contact = ?",
		"tt", ext, uri);
}

/* Restoring more rows than an extension may hold: the extra ones go. */
static void restore_changed(const char *ext, const struct sipx_contact *c,
			    enum sipx_loc_why why, uint32_t left, void *arg)
{
	(void)left;
	if (why == SIPX_LOC_REPLACED)
		sipx_store_delete(arg, ext, c->uri);
}

static int reg_row(const struct db_row *row, void *arg)
{
	struct sipx *sx = arg;
	const char *ext = db_row_text(row, 0);
	const char *src = db_row_text(row, 2);
	const struct sipx_ext *e = sipx_store_ext(sx, ext);
	struct sipx_contact c;

	memset(&c, 0, sizeof(c));
	if (!e || !e->enabled || !src ||
	    util_strlcpy(c.uri, db_row_text(row, 1), sizeof(c.uri)) ||
	    sa_decode(&c.source, src, strlen(src)) ||
	    tp_parse(db_row_text(row, 3), &c.tp)) {
		log_warn("sip.restore_skipped", "ext=%s contact=%s",
			 ext ? ext : "", db_row_text(row, 1));
		return 0;
	}
	c.expires_at_ms = db_row_int(row, 4);
	(void)util_strlcpy(c.user_agent, db_row_text(row, 5) ?
			   db_row_text(row, 5) : "", sizeof(c.user_agent));
	(void)util_strlcpy(c.call_id, db_row_text(row, 6) ?
			   db_row_text(row, 6) : "", sizeof(c.call_id));
	c.cseq = (uint32_t)db_row_int(row, 7);
	(void)sipx_loc_bind(sx->loc, ext, &c, restore_changed, sx);
	return 0;
}

int sipx_store_restore(struct sipx *sx, int64_t now_ms)
{
	int err;

	err = db_query(sx->db, reg_row, sx,
		       "SELECT ext, contact, source, transport, expires_at, "
		       "user_agent, call_id, cseq FROM registrations "
		       "WHERE expires_at > ? ORDER BY expires_at", "i", now_ms);
	if (err)
		return err;
	return db_write(sx->db, "DELETE FROM registrations WHERE expires_at <= ?",
			"i", now_ms);
}

static void publish_one(const char *ext, const struct sipx_contact *c,
			enum sipx_loc_why why, uint32_t left, void *arg)
{
	struct sipx *sx = arg;
	char src[64];

	(void)why;
	re_snprintf(src, sizeof(src), "%J", &c->source);
	(void)bus_publish(sx->bus, BUS_AGENT_REGISTERED, ext, util_now_ms(),
			  json_pack("{s:s, s:s, s:s, s:s, s:s, s:i}",
				    "ext", ext, "contact", c->uri,
				    "source", src, "transport", tp_name(c->tp),
				    "reason", "restored",
				    "contacts", (json_int_t)left));
}

static void publish_restored(void *arg)
{
	struct sipx *sx = arg;

	sipx_loc_apply(sx->loc, publish_one, sx);
}

int sipx_start(struct sipx *sx, struct db *db, struct bus *bus)
{
	int err;

	if (!sx || !db || sx->started)
		return EINVAL;
	sx->db = db;
	sx->bus = bus;
	err = sipx_store_load_exts(sx);
	err = err ? err : sipx_store_restore(sx, util_now_ms());
	if (err) {
		sx->db = NULL;
		return err;
	}
	sx->started = true;
	if (bus)
		tmr_start(&sx->restored_tmr, 0, publish_restored, sx);
	return 0;
}

/* For register.c: the stored name of a transport. */
const char *sipx_store_tp_name(enum sip_transp tp)
{
	return tp_name(tp);
}
