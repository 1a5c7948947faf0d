/* audio/store: the call_audio table (migrations 032 and 045), which this
 * module alone writes: one row per call, replaced when the call is
 * measured again; its timeline column is the player's lanes as JSON text
 * (timeline.c), NULL for a call measured before migration 045 until it is
 * measured again (service.c fact 5). */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>
#include <jansson.h>
#include "audio/audio_int.h"
#include "base/util.h"
#include "db/db.h"

int audio_store(struct db *db, const char *call_id, int err, const char *why,
		const struct audio_measures *m, const char *timeline,
		int64_t now_ms)
{
	const char *status = !err ? "ok" : err == ENOENT ? "missing" :
		"unreadable";

	return db_write(db,
		"INSERT INTO call_audio (call_id, status, error, measured_at, "
		"duration_ms, customer_talk_ms, agent_talk_ms, overtalk_ms, "
		"longest_silence_ms, silences_over_10s, hold_ms, "
		"agent_words_per_min, timeline) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
		"?, ?, ?, ?) "
		"ON CONFLICT (call_id) DO UPDATE SET status = excluded.status, "
		"error = excluded.error, measured_at = excluded.measured_at, "
		"duration_ms = excluded.duration_ms, "
		"customer_talk_ms = excluded.customer_talk_ms, "
		"agent_talk_ms = excluded.agent_talk_ms, "
		"overtalk_ms = excluded.overtalk_ms, "
		"longest_silence_ms = excluded.longest_silence_ms, "
		"silences_over_10s = excluded.silences_over_10s, "
		"hold_ms = excluded.hold_ms, "
		"agent_words_per_min = excluded.agent_words_per_min, "
		"timeline = excluded.timeline",
		"tttiiiiiiiidt", call_id, status, err ? why : NULL, now_ms,
		(int64_t)m->duration_ms, (int64_t)m->customer_talk_ms,
		(int64_t)m->agent_talk_ms, (int64_t)m->overtalk_ms,
		(int64_t)m->longest_silence_ms, (int64_t)m->silences_over_10s,
		(int64_t)m->hold_ms, m->agent_words_per_min,
		err ? NULL : timeline);
}

/* Milliseconds as seconds with one decimal. */
static json_t *secs(int64_t ms)
{
	return json_real((double)((ms + 50) / 100) / 10.0);
}

static int row_json(const struct db_row *row, void *arg)
{
	json_t **out = arg;
	char at[UTIL_TIME_LEN];
	bool ok = !strcmp(db_row_text(row, 0), "ok");
	json_t *o;

	util_rfc3339_ms(at, db_row_int(row, 2));
	o = json_pack("{s:s, s:s?, s:s}", "status", db_row_text(row, 0),
		      "error", db_row_text(row, 1), "measured_at", at);
	if (!o)
		return ENOMEM;
	if (json_object_set_new(o, "duration_s",
				ok ? secs(db_row_int(row, 3)) : json_null()) ||
	    json_object_set_new(o, "customer_talk_s",
				ok ? secs(db_row_int(row, 4)) : json_null()) ||
	    json_object_set_new(o, "agent_talk_s",
				ok ? secs(db_row_int(row, 5)) : json_null()) ||
	    json_object_set_new(o, "overtalk_s",
				ok ? secs(db_row_int(row, 6)) : json_null()) ||
	    json_object_set_new(o, "longest_silence_s",
				ok ? secs(db_row_int(row, 7)) : json_null()) ||
	    json_object_set_new(o, "silences_over_10s",
				ok ? json_integer(db_row_int(row, 8)) :
				json_null()) ||
	    json_object_set_new(o, "hold_s",
				ok ? secs(db_row_int(row, 9)) : json_null()) ||
	    json_object_set_new(o, "agent_words_per_min",
				ok ? json_real(round(db_row_double(row, 10))) :
				json_null()) ||
	    /* words are 1.5 syllables in both languages (measure.c): for
	     * Mandarin this is characters a minute, 字/分钟 */
	    json_object_set_new(o, "agent_syllables_per_min",
				ok ? json_real(round(db_row_double(row, 10) *
						     1.5)) : json_null())) {
		json_decref(o);
		return ENOMEM;
	}
	*out = o;
	return 0;
}

int audio_call_json(struct db *db, const char *call_id, json_t **out)
{
	json_t *o = NULL;
	int err = db_query(db, row_json, &o,
			   "SELECT status, error, measured_at, duration_ms, "
			   "customer_talk_ms, agent_talk_ms, overtalk_ms, "
			   "longest_silence_ms, silences_over_10s, hold_ms, "
			   "agent_words_per_min FROM call_audio WHERE call_id = ?",
			   "t", call_id);

	if (err) {
		json_decref(o);
		return err;
	}
	*out = o ? o : json_null();
	return 0;
}
