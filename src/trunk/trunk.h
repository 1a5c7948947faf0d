/* trunk: the carriers' lines (SIP trunks) both ways, and the outbound dial
 * plan. A trunk may be inbound (the networks its calls come from, in
 * CIDR, or a digest username and password its INVITEs prove), outbound (a carrier's gateway: address, transport, digest
 * credentials, registration, caller ID), or both; it has a channel limit
 * shared by both ways. A dial plan is a pattern (a POSIX extended regex
 * matched against the whole normalised number) and the trunks to try, in
 * order. Plans are tried in order (position, then id); the first whose
 * pattern matches decides.
 *
 * trunk/ owns the tables trunks and dial_plans: read whole at start,
 * answered from memory, changed here only; a change is in memory when the
 * call returns and its row queued for the writer (as route/ does).
 *
 * Each outbound trunk with ping_interval_s is pinged (OPTIONS): after
 * TRUNK_DOWN_AFTER unanswered pings in a row it is down and dial plans
 * pass over it, until a ping is answered. A trunk with register:true
 * registers to its carrier, re-registers before expiry, and after a
 * failure waits 5 s, 10 s, 20 s … up to 300 s before trying again.
 *
 * Facts that always hold:
 *  (1) trunk_by_source and trunk_route never touch the disk.
 *  (2) A dial plan names only trunks that exist with an outbound part: a
 *      trunk a plan names cannot be deleted or lose its outbound part.
 *  (3) channels in use = calls holding a channel (trunk_channel_take not
 *      yet given back), both ways; never more than max_channels when that
 *      is set.
 *  (4) A struct trunk outlives its deletion while a call holds it: calls
 *      give their channel back to the trunk they took it from. */
#ifndef HL_TRUNK_H
#define HL_TRUNK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct trunk_host;
struct trunk;
struct db;
struct sipx;
struct sa;
struct mod_export;

enum {
	TRUNK_NAME_SZ   = 64,       /* a trunk's name, NUL included */
	TRUNK_PLAN_MAX  = 8,        /* trunks one dial plan names */
	TRUNK_NUMBER_SZ = 64,       /* a normalised number, NUL included */
};

enum trunk_dir { TRUNK_IN, TRUNK_OUT };

/* The module's row for `hotline serve` (base/mod.h): starts after sip/
 * and route/, sets h->trunks, tells sip/ which sources are trunks, serves
 * /api/v1/trunks and /api/v1/dial-plans. */
extern const struct mod_export trunk_module;

/* Loads trunks and dial plans from db (start-up: a synchronous read) and
 * starts pinging and registering through sx (which may be NULL: no
 * pings, no registrations, as in unit tests). db and sx must outlive the
 * host. *thp is the caller's (mem_deref). */
int  trunk_host_alloc(struct trunk_host **thp, struct db *db,
		      struct sipx *sx);

/* True when src is in some trunk's inbound_from. From memory. */
bool trunk_is_source(const struct trunk_host *th, const struct sa *src);

/* The trunk (first by name) whose inbound_from covers src: a new
 * reference (mem_deref), or NULL. */
struct trunk *trunk_by_source(const struct trunk_host *th,
			      const struct sa *src);

/* The trunk whose inbound_auth username is user: a new reference, or
 * NULL. From memory. */
struct trunk *trunk_by_user(const struct trunk_host *th, const char *user);
/* Copies the inbound_auth password of the trunk named user by digest into
 * password; false when no trunk has that username (or it does not fit). */
bool trunk_secret(const struct trunk_host *th, const char *user,
		  char *password, size_t n);
/* True when some trunk proves itself by digest: strangers are then
 * challenged rather than refused. */
bool trunk_has_digest(const struct trunk_host *th);

/* One channel of t for a call in direction dir, counted in calls in or
 * out. EBUSY: max_channels are in use (counted as refused). */
int  trunk_channel_take(struct trunk *t, enum trunk_dir dir);
/* Gives back a channel taken by trunk_channel_take. */
void trunk_channel_give(struct trunk *t);
/* Counts a failed outbound attempt through t (5xx, 408, no answer). */
void trunk_failed(struct trunk *t);
/* t's name (valid while t is held). */
const char *trunk_name(const struct trunk *t);

/* Where an outbound call goes: the number normalised (region_normalise)
 * and the trunks of the first matching plan, in order, each a reference
 * (trunk_route_release). Names the plan lists but which were deleted are
 * left out. */
struct trunk_route {
	char number[TRUNK_NUMBER_SZ];
	uint32_t plan_id;
	struct trunk *v[TRUNK_PLAN_MAX];
	size_t n;
};

/* Fills *r for dialled. ENOENT: no plan's pattern matches (r->number is
 * still the normalised number); EINVAL: dialled is no number. */
int  trunk_route_find(const struct trunk_host *th, const char *dialled,
		      struct trunk_route *r);
/* Drops r's references. */
void trunk_route_release(struct trunk_route *r);
/* The first index >= from in r whose trunk is up and has a free channel,
 * or r->n when none. */
size_t trunk_route_next(const struct trunk_route *r, size_t from);

/* What an INVITE through t needs. The strings are t's, valid until the
 * next change of t on the loop. */
struct trunk_dial {
	char uri[160];              /* "sip:NUMBER@HOST:PORT;transport=udp" */
	char from_user[TRUNK_NUMBER_SZ]; /* caller_id, "anonymous", or "" */
	char headers[256];          /* P-Asserted-Identity, Privacy */
	const char *username, *password;   /* "" when none */
	char codecs[24];            /* the trunk's, in order: "PCMA,PCMU" */
	uint32_t invite_timeout_ms;
	bool srtp;                  /* offer SRTP (RTP/SAVP, SDES) on this leg */
};

/* Fills *d for number through t; caller is the caller's own number, used
 * when t has no caller_id. EINVAL: t has no outbound part. */
int  trunk_dial_get(const struct trunk *t, const char *number,
		    const char *caller, struct trunk_dial *d);

#endif
