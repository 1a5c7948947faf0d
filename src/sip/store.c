/* sip/store: extensions and registrations in the database.
 *
 * Extensions are read once at start into memory (the registrar must not
 * wait on the disk per REGISTER) and changed through ext.c, which
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
bool sipx_store_ext_valid(const char *ext)
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
		       const char *realm, const char *display_name,
		       bool enabled)
{
	struct sipx_ext *e;

	if (!sx || !sipx_store_ext_valid(ext) || !ha1_valid(ha1) ||
	    (realm && (!*realm || strlen(realm) >= SIPX_REALM_SZ)))
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
	strcpy(e->realm, realm ? realm : sx->realm);
	(void)util_strlcpy(e->display_name, display_name ? display_name : "",
			   sizeof(e->display_name));
	e->enabled = enabled;
	return 0;
}

const char *sipx_store_realm_for(const struct sipx *sx,
				 const struct sip_msg *msg)
{
	const struct pl *user = !pl_strcmp(&msg->met, "REGISTER") ?
		&msg->to.uri.user : &msg->from.uri.user;
	char ext[SIPX_EXT_SZ];
	const struct sipx_ext *e;

	if (!pl_isset(user) || user->l >= sizeof(ext))
		return sx->realm;
	pl_strcpy(user, ext, sizeof(ext));
	e = sipx_store_ext(sx, ext);
	return e ? e->realm : sx->realm;
}

struct load {
	struct sipx *sx;
	unsigned kept;      /* extensions whose realm is not the endpoint's */
	unsigned adopted;   /* rows older than realms, given the endpoint's */
};

/* A row without a realm predates them (020_ext_realm): its HA1 was made
 * for the realm configured then, taken to be today's. */
static int ext_row(const struct db_row *row, void *arg)
{
	struct load *ld = arg;
	const char *ext = db_row_text(row, 0), *realm = db_row_text(row, 3);
	bool adopt = !realm || !*realm;

	if (sipx_store_put_ext(ld->sx, ext, db_row_text(row, 1),
			       adopt ? NULL : realm, db_row_text(row, 4),
			       db_row_int(row, 2) != 0)) {
		log_warn("sip.ext_skipped", "ext=%s reason=\"bad name, ha1 or "
			 "realm\"", ext ? ext : "");
		return 0;
	}
	if (adopt)
		ld->adopted++;
	else if (strcmp(realm, ld->sx->realm))
		ld->kept++;
	return 0;
}

int sipx_store_load_exts(struct sipx *sx)
{
	struct load ld = {.sx = sx};
	int err = db_query(sx->db, ext_row, &ld, "SELECT ext, ha1, enabled, "
			   "realm, display_name FROM extensions", "");

	if (!err && ld.adopted)
		err = db_write(sx->db, "UPDATE extensions SET realm = ? "
			       "WHERE realm = ''", "t", sx->realm);
	/* Their phones keep working: each is challenged with its own realm
	 * until its password is set again (docs/operations.md). */
	if (ld.kept)
		log_warn("sip.realm_kept", "extensions=%u realm=%s action=\""
			 "challenged with the realm of their HA1 until their "
			 "password is set again\"", ld.kept, sx->realm);
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

/* A restored row whose phone is reached only over the connection it
 * registered on (RFC 5626 flows: TCP or TLS from behind NAT, or asking
 * outbound): that connection died with the old process and nothing can
 * open it again from our side, so the row is dropped and told as
 * "agent.unregistered" (reason flow_lost) with the restored ones; the
 * phone registers again when it sees its flow gone. A UDP binding has no
 * connection to lose: it is kept, and its keep-alives (keepalive.c) go
 * out at once to prove the NAT's binding still open. */
struct lost {
	struct le le;
	char ext[SIPX_EXT_SZ];
	struct sipx_contact c;
};

static bool flow_lost(const struct sipx_contact *c)
{
	return c->tp != SIP_TRANSP_UDP && sipx_ka_wanted(c);
}

static void lose(struct sipx *sx, const char *ext, const struct sipx_contact *c)
{
	struct lost *l = mem_zalloc(sizeof(*l), NULL);
	char src[64];

	re_snprintf(src, sizeof(src), "%J", &c->source);
	log_info("sip.unregistered", "ext=%s contact=%s source=%s transport=%s "
		 "reason=flow_lost contacts=%zu", ext, c->uri, src,
		 tp_name(c->tp), sipx_loc_count(sx->loc, ext));
	sipx_store_delete(sx, ext, c->uri);
	if (!l)
		return;
	strcpy(l->ext, ext);
	l->c = *c;
	list_append(&sx->lost, &l->le, l);
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
	if (flow_lost(&c)) {
		lose(sx, ext, &c);
		return 0;
	}
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
	struct le *le;

	sipx_loc_apply(sx->loc, publish_one, sx);
	while ((le = list_head(&sx->lost)) != NULL) {
		struct lost *l = le->data;
		char src[64];

		re_snprintf(src, sizeof(src), "%J", &l->c.source);
		(void)bus_publish(sx->bus, BUS_AGENT_UNREGISTERED, l->ext,
				  util_now_ms(),
				  json_pack("{s:s, s:s, s:s, s:s, s:s, s:i}",
					    "ext", l->ext, "contact", l->c.uri,
					    "source", src, "transport",
					    tp_name(l->c.tp), "reason",
					    "flow_lost", "contacts", (json_int_t)
					    sipx_loc_count(sx->loc, l->ext)));
		list_unlink(le);
		mem_deref(l);
	}
}

/* Keep-alives to restored NATed bindings start at once: the process was
 * down, and the NAT may have dropped them meanwhile. */
static void track_restored(const char *ext, const struct sipx_contact *c,
			   enum sipx_loc_why why, uint32_t left, void *arg)
{
	struct sipx *sx = arg;
	(void)why;
	(void)left;

	sipx_ka_track(sx->ka, ext, c, util_now_ms());
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
	sipx_loc_apply(sx->loc, track_restored, sx);
	if (bus)
		tmr_start(&sx->restored_tmr, 0, publish_restored, sx);
	return 0;
}

/* For register.c: the stored name of a transport. */
const char *sipx_store_tp_name(enum sip_transp tp)
{
	return tp_name(tp);
}
