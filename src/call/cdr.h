/* call/cdr: the call record row and the call.* events (internal to call/).
 * Kept apart from libre's types on purpose: this file uses jansson, whose
 * names clash with re_json.h. */
#ifndef HL_CALL_CDR_H
#define HL_CALL_CDR_H

#include <stdbool.h>
#include <stdint.h>
#include "base/events.h"
#include "base/util.h"
#include "region/region.h"

struct db;
struct bus;
struct json_t;   /* jansson's, named without its header (see above) */

/* The call-associated data one call may hold in all (names and values,
 * bytes): the reference puts no limit on count, names or lengths; this
 * bound only keeps one call from taking the server's memory. */
enum { CDR_DATA_MAX = 1 << 20 };

/* What the record says about a call; the B2BUA fills it in as it goes. */
struct cdr {
	struct db  *db;
	struct bus *bus;
	char id[UTIL_ID_LEN];
	const char *direction;        /* inbound, internal */
	char from[128], to[128];      /* caller's user part, dialled number */
	/* where from is (region.h), "" when not known; set before created */
	char province[REGION_PROVINCE_SZ], city[REGION_CITY_SZ];
	char agent[32];               /* the extension rung */
	char queue[32];               /* the queue it reached, or "" */
	char trunk[64];               /* the carrier's trunk it came in or
				       * went out on, or "" */
	char recording[128];          /* relative path, or "" */
	const char *codec_customer, *codec_agent;
	int64_t started_ms, answered_ms, ended_ms;
	int64_t hold_ms;              /* the agent's holds, summed */
	/* Call-associated data (随路数据): {section: {key: value}} in the
	 * order first set, or NULL; owned by the record (cdr_release). A
	 * copy of the struct only borrows it. */
	struct json_t *data;
	size_t data_bytes;
};

/* Inserts the record and publishes call.created (with province and city,
 * null when not known). */
void cdr_created(const struct cdr *r);
/* Sets the record's trunk (an outbound call's, as each is tried). */
void cdr_trunk(const struct cdr *r);
/* Sets the record's queue; publishes call.queued. */
void cdr_queued(const struct cdr *r);
/* Publishes call.ringing (the agent's phone rings). */
void cdr_ringing(const struct cdr *r);
/* Updates answered_at, agent and recording; publishes call.answered. */
void cdr_answered(const struct cdr *r);
/* Publishes call.dtmf; leg is "customer" or "agent", method "rfc4733" or
 * "inband". */
void cdr_dtmf(const struct cdr *r, char digit, const char *leg,
	      const char *method);
/* Publishes call.hold (on) or call.resume with dur_ms, the hold's length;
 * by is "agent" or "customer". */
void cdr_hold(const struct cdr *r, const char *by, bool on, int64_t dur_ms);
/* Notes on the record that agent (may be "") passed the call to `to`
 * (via "refer" or "api"); publishes call.transfer. */
void cdr_transfer(const struct cdr *r, const char *agent, const char *to,
		  const char *via);
/* Publishes ev — "call.consult", "call.conference" or "call.monitor" —
 * for party who (the consulted extension, the conference's third party,
 * the supervisor: data "target", or "supervisor" for call.monitor) beside
 * the call's agent, in state (ringing, answered or joined, mode, or how
 * it ended: cancelled, refused N, hung up, unreachable, blind); mode, when
 * not NULL, is a supervisor's (listen, whisper, barge). */
void cdr_party(const struct cdr *r, enum bus_ev ev, const char *who,
	       const char *mode, const char *state);
/* Stores pause seq of the call's recording file (relative path) and
 * publishes call.recording: paused (on) at offset from_ms of the file by
 * by, or resumed (the pause's row closed) at offset to_ms. */
void cdr_rec_pause(const struct cdr *r, unsigned seq, const char *file,
		   bool on, int64_t from_ms, int64_t to_ms, const char *by);
/* Finalises the record and publishes call.ended; hangup_by is caller, agent
 * or system, cause a SIP status or reason. */
void cdr_ended(const struct cdr *r, const char *hangup_by, const char *cause);

/* Sets section/key to value in the call's data (a new entry goes last,
 * a known one keeps its place) and writes it with the call; the queue,
 * ringing and answered events carry the data from then on. EINVAL: an
 * empty section or key; ENOSPC: past CDR_DATA_MAX (nothing changed). */
int  cdr_data_set(struct cdr *r, const char *section, const char *key,
		  const char *value);
/* The value at section/key of the call's data ("" when unset) into
 * out[0..n). (cdr.c) */
void cdr_data_get(const struct cdr *r, const char *section, const char *key,
		  char *out, size_t n);
/* Appends the live call's object for the CTI snapshot to arr (a JSON
 * array): the record's fields, state (live.c's word) and the extensions
 * rung now (docs/api.md, "Snapshot"). ENOMEM. (live_json.c) */
int  cdr_live_json(const struct cdr *r, const char *state,
		   const char *const *rung, size_t nrung, struct json_t *arr);
/* Frees what the record owns (its data). */
void cdr_release(struct cdr *r);

/* Inserts the voicemail row of message id (box, queue, path relative to
 * the data directory) as its recording starts at ms. */
void cdr_voicemail_started(const struct cdr *r, const char *id,
			   const char *box, const char *queue,
			   const char *path, int64_t ms);
/* Stores the message's length and publishes voicemail.new. */
void cdr_voicemail_ended(const struct cdr *r, const char *id, const char *box,
			 const char *queue, int64_t started_ms,
			 int64_t ended_ms);

#endif
