/* trunk internals shared by the files of src/trunk/ (and their unit
 * tests). Include <re_types.h> and <re_list.h> first (libre's headers have
 * no include guards, so this one cannot include them itself). cidr.c, pattern.c, pick.c and health.c are pure: no I/O, no
 * clock (time comes in as an argument). */
#ifndef HL_TRUNK_INT_H
#define HL_TRUNK_INT_H

#include <regex.h>
#include <jansson.h>
#include "trunk/trunk.h"

enum {
	TRUNK_CIDR_MAX    = 16,     /* inbound_from entries of one trunk */
	TRUNK_ADDR_SZ     = 64,     /* "HOST:PORT", "[v6]:PORT" */
	TRUNK_USER_SZ     = 64,
	TRUNK_IN_USER_MAX = 32,     /* an inbound digest name (sip/'s size) */
	TRUNK_PASS_SZ     = 128,
	TRUNK_CID_SZ      = 33,     /* a DID of the center */
	TRUNK_CODECS_MAX  = 4,
	TRUNK_PATTERN_SZ  = 256,
	TRUNK_DOWN_AFTER  = 3,      /* unanswered pings in a row: down */
	TRUNK_BACKOFF_MIN_MS = 5000,
	TRUNK_BACKOFF_MAX_MS = 300000,
};

/* ---- cidr.c: networks a trunk's calls come from ---- */

struct trunk_cidr {
	int af;                     /* AF_INET or AF_INET6 */
	uint8_t addr[16];           /* the network, host bits cleared */
	uint8_t bits;               /* prefix length */
};

/* "192.0.2.0/24", "2001:db8::/32", or one address ("192.0.2.7" is /32).
 * EINVAL: not an address, or a prefix past the family's length. */
int  trunk_cidr_parse(const char *s, struct trunk_cidr *c);
/* True when the address (af, 4 or 16 bytes) is in c; an IPv4-mapped IPv6
 * address (::ffff:a.b.c.d) counts as its IPv4 address. */
bool trunk_cidr_match(const struct trunk_cidr *c, int af, const uint8_t *addr);
/* Writes c as text ("192.0.2.0/24") into out. */
void trunk_cidr_print(const struct trunk_cidr *c, char *out, size_t n);

/* ---- pattern.c: dial plan patterns (POSIX extended regexes) ---- */

/* 0 when pattern compiles (regcomp, REG_EXTENDED) and can match some
 * non-empty string of digits as a whole; EINVAL with why otherwise. A
 * construct the check does not know counts as able to match: only a
 * pattern proven never to match is refused. */
int  trunk_pattern_check(const char *pattern, char *why, size_t n);
/* True when re (compiled from a checked pattern) matches number whole. */
bool trunk_pattern_match(const regex_t *re, const char *number);

/* ---- health.c: pings, and when to try again ---- */

/* What pings say of a trunk: up until TRUNK_DOWN_AFTER pings in a row go
 * unanswered, up again at the first answer. */
struct trunk_health {
	bool down;
	unsigned misses;            /* unanswered in a row */
};
/* Notes one ping's fate; true when it changed up/down. */
bool trunk_health_note(struct trunk_health *h, bool answered);
/* How long to wait before retry number `failures` (1, 2, …) of a failed
 * registration: 5 s doubling up to 300 s, never 0. */
uint32_t trunk_backoff_ms(unsigned failures);

/* ---- pick.c: which trunk a call tries next ---- */

/* One trunk of a plan as the choice sees it. */
struct trunk_cand {
	bool exists;                /* the name is a configured outbound trunk */
	bool down;                  /* pings say down */
	uint32_t in_use, max;       /* channels; max 0: no limit */
};
/* The first index >= from of a candidate that exists, is up and has a free
 * channel, or n when none. */
size_t trunk_pick(const struct trunk_cand *v, size_t n, size_t from);

/* ---- conf.c: one trunk's configuration, as the API and the db hold it */

struct trunk_conf {
	char name[TRUNK_NAME_SZ];
	struct trunk_cidr from[TRUNK_CIDR_MAX];
	size_t nfrom;
	char in_user[TRUNK_USER_SZ];     /* inbound by digest: the name and */
	char in_password[TRUNK_PASS_SZ]; /* password the carrier proves */
	bool outbound;              /* the outbound part is set */
	char address[TRUNK_ADDR_SZ];
	char transport[8];          /* udp, tcp, tls */
	bool srtp;                  /* calls out offer SRTP (tls only) */
	char username[TRUNK_USER_SZ];
	char password[TRUNK_PASS_SZ];
	bool reg;                   /* register to the carrier */
	uint32_t reg_expires_s;
	char codecs[TRUNK_CODECS_MAX][8];
	size_t ncodecs;
	uint32_t max_channels;      /* both ways together; 0: no limit */
	char caller_id[TRUNK_CID_SZ];
	bool privacy;               /* Privacy: id, From anonymous */
	uint32_t ping_interval_s;   /* OPTIONS; 0: no pings */
	uint32_t invite_timeout_s;  /* no answer to the INVITE: next trunk */
};

/* Reads a trunk's JSON (the API's body shape) into *c, name given apart
 * (the path's, or the body's). 0, or EINVAL with why naming the field. */
int  trunk_conf_parse(struct trunk_conf *c, const char *name,
		      const json_t *j, char *why, size_t n);
/* c as JSON: the stored form (with the password) when secret, else the
 * API's (password_set instead). A new reference, or NULL. */
json_t *trunk_conf_json(const struct trunk_conf *c, bool secret);

#endif

/* ---- the live host (store.c, link.c, route.c, http.c) ---- */

struct db;
struct sipx;
struct trunk_link;

struct trunk {
	struct le le;               /* in the host's trunks, by name */
	struct trunk_host *th;      /* not a reference; NULL once deleted */
	struct trunk_conf conf;
	struct trunk_health health;
	uint32_t in_use;            /* channels, both ways */
	uint64_t calls_in, calls_out, failures, refused;
	struct trunk_link *link;    /* pings and registration, or NULL */
};

struct trunk_plan {
	struct le le;               /* in the host's plans, in order */
	uint32_t id;
	int64_t position;
	char pattern[TRUNK_PATTERN_SZ];
	regex_t re;
	bool compiled;              /* re holds a compiled pattern */
	char trunks[TRUNK_PLAN_MAX][TRUNK_NAME_SZ];
	size_t n;
};

struct trunk_host {
	struct list trunks;         /* struct trunk, by name */
	struct list plans;          /* struct trunk_plan, by position, id */
	struct db *db;              /* not a reference */
	struct sipx *sx;            /* not a reference; NULL: no links */
	uint32_t last_id;           /* the highest plan id given */
};

/* store.c */
struct trunk *trunk_find(const struct trunk_host *th, const char *name);
/* Creates (create) or replaces c->name's trunk: memory at once, row
 * queued. EEXIST / ENOENT as create says; EBUSY: a plan needs its
 * outbound part (why says which). */
int  trunk_put(struct trunk_host *th, const struct trunk_conf *c,
	       bool create, char *why, size_t n);
/* ENOENT; EBUSY with why: a plan names it. */
int  trunk_delete(struct trunk_host *th, const char *name, char *why,
		  size_t n);
/* The plan as the API gives it: pattern, trunk names, position. */
struct trunk_plan_in {
	const char *pattern;
	const char *trunks[TRUNK_PLAN_MAX];
	size_t n;
	bool has_position;
	int64_t position;
};
/* Creates (id 0: *id set to the new one) or replaces plan *id. EINVAL
 * with why: a bad pattern or trunk; ENOENT: no plan *id. */
int  trunk_plan_put(struct trunk_host *th, const struct trunk_plan_in *in,
		    uint32_t *id, char *why, size_t n);
int  trunk_plan_delete(struct trunk_host *th, uint32_t id);
struct trunk_plan *trunk_plan_find(const struct trunk_host *th, uint32_t id);

/* link.c: (re)starts t's pings and registration by its conf; stops them
 * when it has none. */
void trunk_link_update(struct trunk *t);
/* Stops them (deletion, shutdown). */
void trunk_link_stop(struct trunk *t);
/* The registration's state for the API: "off", "registering",
 * "registered" or "failed", with its last status and next retry. */
struct trunk_reg_state {
	const char *state;
	uint16_t last_code;
	unsigned failures;
	int64_t retry_in_ms;        /* -1 when none is due */
};
void trunk_link_reg_state(const struct trunk *t, struct trunk_reg_state *s);
