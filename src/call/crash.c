/* call/crash: what a crash left open is closed at the next start.
 *
 * A process killed mid-call (kill -9, a power cut) leaves its calls'
 * records without an end, for ever "live" to every report, and the WAV
 * of a recorded call with a header a few seconds short. Before the first
 * new call, each record still open gets an end: the latest moment known
 * of it (its last event, or the end of its recording, or its start),
 * hangup_by "system" and cause "crash"; and its recording's header is made
 * to cover every frame on disk. A pause of the recording still open ends
 * where the first file ends (the recorder wrote silence until the crash),
 * resumed by "system"; in a later file of the call its end stays
 * unknown (to_ms null). Runs at start-up, before the loop serves
 * anything, so the disk work waits on nothing live. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/log.h"
#include "call/call.h"
#include "db/db.h"
#include "media/media.h"

struct open_call {
	char id[40];
	int64_t started, answered, last;
	bool was_answered;
	char recording[256];
};

struct found {
	struct open_call *v;
	size_t n, cap;
};

static int on_row(const struct db_row *row, void *arg)
{
	struct found *f = arg;
	struct open_call *c;
	const char *rec = db_row_text(row, 3);

	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;
		struct open_call *v = realloc(f->v, cap * sizeof(*v));

		if (!v)
			return ENOMEM;
		f->v = v;
		f->cap = cap;
	}
	c = &f->v[f->n++];
	memset(c, 0, sizeof(*c));
	snprintf(c->id, sizeof(c->id), "%s", db_row_text(row, 0));
	c->started = db_row_int(row, 1);
	c->was_answered = !db_row_isnull(row, 2);
	c->answered = db_row_int(row, 2);
	c->last = db_row_int(row, 4);
	if (rec)
		snprintf(c->recording, sizeof(c->recording), "%s", rec);
	return 0;
}

/* Repairs c's recording; the end of its audio, or 0 when unknown. */
static int64_t repair(const struct open_call *c, const char *data_dir)
{
	struct media_wav_fix fix;
	char path[512];
	int err;

	if (!c->recording[0] || !c->was_answered)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", data_dir, c->recording);
	err = media_wav_repair(path, &fix);
	if (err) {
		log_warn("call.crash_recording", "id=%s path=%s err=%s", c->id,
			 c->recording, strerror(err));
		return 0;
	}
	if (fix.repaired)
		log_info("call.crash_recording_repaired",
			 "id=%s path=%s header_ms=%llu file_ms=%llu", c->id,
			 c->recording, (unsigned long long)fix.was_ms,
			 (unsigned long long)fix.ms);
	return c->answered + (int64_t)fix.ms;
}

static int close_call(struct db *db, const struct open_call *c,
		      const char *data_dir)
{
	int64_t end = c->started, rec_end = repair(c, data_dir);
	int err;

	if (c->answered > end)
		end = c->answered;
	if (c->last > end)
		end = c->last;
	if (rec_end > end)
		end = rec_end;
	log_warn("call.crash_closed", "id=%s ended_at=%lld", c->id,
		 (long long)end);
	err = db_exec(db, "UPDATE call_recording_pauses SET to_ms = CASE WHEN "
		      "recording = ? AND ? > 0 THEN ? ELSE to_ms END, "
		      "resumed_at = ?, resumed_by = 'system' WHERE call_id = ? "
		      "AND resumed_at IS NULL", "tiiit", c->recording, rec_end,
		      rec_end - c->answered, end, c->id);
	if (err)
		return err;
	return db_exec(db, "UPDATE calls SET ended_at = ?, duration_s = ?, "
		       "talk_s = ?, hangup_by = 'system', hangup_cause = 'crash' "
		       "WHERE id = ? AND ended_at IS NULL", "iiit", end,
		       (int64_t)((end - c->started) / 1000),
		       (int64_t)(c->was_answered ? (end - c->answered) / 1000 : 0),
		       c->id);
}

int call_crash_recover(struct db *db, const char *data_dir, unsigned *closed)
{
	struct found f = {0};
	int err;

	if (!db || !data_dir)
		return EINVAL;
	if (closed)
		*closed = 0;
	err = db_query(db, on_row, &f,
		       "SELECT c.id, c.started_at, c.answered_at, c.recording, "
		       "(SELECT max(ts) FROM events e WHERE e.subject = c.id) "
		       "FROM calls c WHERE c.ended_at IS NULL", "");
	for (size_t i = 0; !err && i < f.n; i++) {
		err = close_call(db, &f.v[i], data_dir);
		if (!err && closed)
			(*closed)++;
	}
	free(f.v);
	return err;
}
