/* call/cdr: the call record row and the call.* events, written through the
 * db writer queue (never waiting on disk) and published on the bus (which
 * the event log persists). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "base/bus.h"
#include "base/log.h"
#include "call/cdr.h"
#include "db/db.h"

/* "" → NULL: a region not known is null in the row, the API and events. */
static const char *or_null(const char *s)
{
	return *s ? s : NULL;
}

static json_t *base_fields(const struct cdr *c)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?}", "call_id", c->id,
			 "direction", c->direction, "from", c->from,
			 "to", c->to, "province", or_null(c->province),
			 "city", or_null(c->city));
}

/* The queue and agent events carry the data: the screen pop reads it. */
static json_t *with_data(const struct cdr *c, json_t *d)
{
	if (d && c->data && json_object_size(c->data))
		json_object_set_new(d, "data", json_deep_copy(c->data));
	return d;
}

static void publish(const struct cdr *c, enum bus_ev id, json_t *data,
		    int64_t ts)
{
	if (c->bus)
		bus_publish(c->bus, id, c->id, ts, data);
	else
		json_decref(data);
}


void cdr_created(const struct cdr *c)
{
	json_t *d = base_fields(c);

	db_write(c->db,
		 "INSERT INTO calls (id, direction, caller, callee, started_at,"
		 " province, city, trunk) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		 "ttttittt", c->id, c->direction, c->from, c->to,
		 c->started_ms, or_null(c->province), or_null(c->city),
		 or_null(c->trunk));
	json_object_set_new(d, "province", c->province[0] ?
			    json_string(c->province) : json_null());
	json_object_set_new(d, "city", c->city[0] ?
			    json_string(c->city) : json_null());
	publish(c, BUS_CALL_CREATED, d, c->started_ms);
}

void cdr_trunk(const struct cdr *c)
{
	db_write(c->db, "UPDATE calls SET trunk = ? WHERE id = ?", "tt",
		 or_null(c->trunk), c->id);
}

void cdr_queued(const struct cdr *c)
{
	json_t *d = base_fields(c);

	db_write(c->db, "UPDATE calls SET queue = ? WHERE id = ?", "tt",
		 c->queue, c->id);
	json_object_set_new(d, "queue", json_string(c->queue));
	publish(c, BUS_CALL_QUEUED, with_data(c, d), util_now_ms());
}

void cdr_ringing(const struct cdr *c)
{
	json_t *d = base_fields(c);
	json_object_set_new(d, "agent", json_string(c->agent));
	publish(c, BUS_CALL_RINGING, with_data(c, d), util_now_ms());
}

void cdr_answered(const struct cdr *c)
{
	json_t *d = base_fields(c);

	db_write(c->db,
		 "UPDATE calls SET answered_at = ?, agent = ?, recording = ?"
		 " WHERE id = ?", "ittt",
		 c->answered_ms, c->agent,
		 c->recording[0] ? c->recording : NULL, c->id);
	json_object_set_new(d, "agent", json_string(c->agent));
	json_object_set_new(d, "codec_customer", json_string(c->codec_customer));
	json_object_set_new(d, "codec_agent", json_string(c->codec_agent));
	publish(c, BUS_CALL_ANSWERED, with_data(c, d), c->answered_ms);
}

void cdr_data_get(const struct cdr *r, const char *section, const char *key,
		  char *out, size_t n)
{
	const char *v = json_string_value(json_object_get(
		json_object_get(r->data, section), key));

	util_strlcpy(out, v ? v : "", n);
}

int cdr_data_set(struct cdr *r, const char *section, const char *key,
		 const char *value)
{
	json_t *sec, *old;
	size_t add, drop = 0;

	if (!section || !*section || !key || !*key || !value)
		return EINVAL;
	if (!r->data && !(r->data = json_object()))
		return ENOMEM;
	sec = json_object_get(r->data, section);
	old = sec ? json_object_get(sec, key) : NULL;
	if (old && !strcmp(json_string_value(old), value))
		return 0;
	add = strlen(value) + (old ? 0 : strlen(section) + strlen(key));
	if (old)
		drop = strlen(json_string_value(old));
	if (r->data_bytes - drop + add > CDR_DATA_MAX)
		return ENOSPC;
	if (!sec && json_object_set_new(r->data, section,
					sec = json_object()))
		return ENOMEM;
	if (!json_is_object(sec) ||
	    json_object_set_new(sec, key, json_string(value)))
		return ENOMEM;
	r->data_bytes = r->data_bytes - drop + add;
	/* seq: a new entry after every other; a known one keeps its own. */
	db_write(r->db, "INSERT INTO call_data (call_id, section, key, value, "
		 "seq, set_at) VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(seq), "
		 "0) + 1 FROM call_data WHERE call_id = ?), ?) ON CONFLICT "
		 "(call_id, section, key) DO UPDATE SET value = excluded.value,"
		 " set_at = excluded.set_at", "ttttti", r->id, section, key,
		 value, r->id, util_now_ms());
	return 0;
}

void cdr_release(struct cdr *r)
{
	json_decref(r->data);
	r->data = NULL;
	r->data_bytes = 0;
}

void cdr_dtmf(const struct cdr *c, char digit, const char *leg,
	      const char *method)
{
	json_t *d = base_fields(c);
	char str[2] = {digit, '\0'};

	json_object_set_new(d, "digit", json_string(str));
	json_object_set_new(d, "method", json_string(method));
	json_object_set_new(d, "leg", json_string(leg));
	publish(c, BUS_CALL_DTMF, d, util_now_ms());
}

void cdr_hold(const struct cdr *c, const char *by, bool on, int64_t dur_ms)
{
	json_t *d = base_fields(c);

	json_object_set_new(d, "by", json_string(by));
	json_object_set_new(d, "agent", json_string(c->agent));
	if (!on)
		json_object_set_new(d, "dur_ms", json_integer(dur_ms));
	publish(c, on ? BUS_CALL_HOLD : BUS_CALL_RESUME, d, util_now_ms());
	log_info(on ? "call.hold" : "call.resume", "id=%s by=%s dur=%lldms",
		 c->id, by, (long long)dur_ms);
}

void cdr_transfer(const struct cdr *c, const char *agent, const char *to,
		  const char *via)
{
	json_t *d = base_fields(c);

	db_write(c->db, "UPDATE calls SET transfer_by = ?, transfer_to = ?"
		 " WHERE id = ?", "ttt", agent, to, c->id);
	json_object_set_new(d, "agent", json_string(agent));
	json_object_set_new(d, "target", json_string(to));
	json_object_set_new(d, "via", json_string(via));
	publish(c, BUS_CALL_TRANSFER, d, util_now_ms());
	log_info("call.transfer", "id=%s agent=%s to=%s via=%s", c->id, agent,
		 to, via);
}

void cdr_party(const struct cdr *c, enum bus_ev ev, const char *who,
	       const char *mode, const char *state)
{
	json_t *d = base_fields(c);

	json_object_set_new(d, "agent", json_string(c->agent));
	json_object_set_new(d, ev == BUS_CALL_MONITOR ? "supervisor" :
			    "target", json_string(who));
	if (mode)
		json_object_set_new(d, "mode", json_string(mode));
	json_object_set_new(d, "state", json_string(state));
	publish(c, ev, d, util_now_ms());
}

void cdr_rec_pause(const struct cdr *c, unsigned seq, const char *file,
		   bool on, int64_t from_ms, int64_t to_ms, const char *by)
{
	json_t *d = base_fields(c);
	int64_t now = util_now_ms();

	if (on)
		db_write(c->db, "INSERT INTO call_recording_pauses (call_id, "
			 "seq, recording, from_ms, paused_at, paused_by) "
			 "VALUES (?, ?, ?, ?, ?, ?)", "titiit", c->id,
			 (int64_t)seq, file, from_ms, now, by);
	else
		db_write(c->db, "UPDATE call_recording_pauses SET to_ms = ?, "
			 "resumed_at = ?, resumed_by = ? WHERE call_id = ? "
			 "AND seq = ?", "iitti", to_ms, now, by, c->id,
			 (int64_t)seq);
	json_object_set_new(d, "agent", json_string(c->agent));
	json_object_set_new(d, "state", json_string(on ? "paused" : "resumed"));
	json_object_set_new(d, "by", json_string(by));
	json_object_set_new(d, "recording", json_string(file));
	json_object_set_new(d, "from_ms", json_integer(from_ms));
	if (!on)
		json_object_set_new(d, "to_ms", json_integer(to_ms));
	publish(c, BUS_CALL_RECORDING, d, now);
	log_info("call.recording", "id=%s state=%s by=%s from=%lld to=%lld",
		 c->id, on ? "paused" : "resumed", by, (long long)from_ms,
		 (long long)(on ? -1 : to_ms));
}

/* The survey's answer: call data survey.rating, a whole number 1..5. */
static int64_t rating_of(const struct cdr *c)
{
	const char *v = json_string_value(json_object_get(
		json_object_get(c->data, "survey"), "rating"));
	char *end;
	long r = v && *v ? strtol(v, &end, 10) : 0;

	return v && *v && !*end && r >= 1 && r <= 5 ? r : 0;
}

void cdr_ended(const struct cdr *c, const char *hangup_by, const char *cause)
{
	int64_t rating = rating_of(c);
	int64_t dur = (c->ended_ms - c->started_ms + 500) / 1000;
	int64_t talk = c->answered_ms ?
		(c->ended_ms - c->answered_ms + 500) / 1000 : 0;
	json_t *d = base_fields(c);

	db_write(c->db,
		 "UPDATE calls SET ended_at = ?, duration_s = ?, talk_s = ?,"
		 " hangup_by = ?, hangup_cause = ?, hold_s = ? WHERE id = ?",
		 "iiittit", c->ended_ms, dur, talk, hangup_by, cause,
		 (c->hold_ms + 500) / 1000, c->id);
	if (rating) {
		db_write(c->db, "UPDATE calls SET rating = ? WHERE id = ?", "it",
			 rating, c->id);
		json_object_set_new(d, "rating", json_integer(rating));
	}
	json_object_set_new(d, "hangup_by", json_string(hangup_by));
	json_object_set_new(d, "cause", json_string(cause));
	json_object_set_new(d, "duration_s", json_integer(dur));
	json_object_set_new(d, "talk_s", json_integer(talk));
	publish(c, BUS_CALL_ENDED, d, c->ended_ms);
	log_info("call.ended", "id=%s from=%s to=%s by=%s cause=%s talk=%llds",
		 c->id, c->from, c->to, hangup_by, cause, (long long)talk);
}

void cdr_voicemail_started(const struct cdr *c, const char *id,
			   const char *box, const char *queue,
			   const char *path, int64_t ms)
{
	db_write(c->db,
		 "INSERT INTO voicemails (id, mailbox, call_id, caller, queue,"
		 " created_at, path) VALUES (?, ?, ?, ?, ?, ?, ?)", "tttttit",
		 id, box, c->id, c->from, queue, ms, path);
}

void cdr_voicemail_ended(const struct cdr *c, const char *id, const char *box,
			 const char *queue, int64_t started_ms,
			 int64_t ended_ms)
{
	int64_t dur = ended_ms - started_ms;

	db_write(c->db, "UPDATE voicemails SET duration_ms = ? WHERE id = ?",
		 "it", dur, id);
	publish(c, BUS_VOICEMAIL_NEW,
		json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "id", id,
			  "mailbox", box, "call_id", c->id, "caller", c->from,
			  "queue", queue, "duration_ms", (json_int_t)dur),
		ended_ms);
	log_info("voicemail.saved", "id=%s box=%s call=%s ms=%lld", id, box,
		 c->id, (long long)dur);
}
