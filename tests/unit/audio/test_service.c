/* The measuring service: every finished call recording gets its row in
 * call_audio, ok, missing or unreadable; a bad file does not stop the
 * ones queued after it; a transferred call's parts are measured together;
 * files that are not a call's recording are left alone; the API's
 * "audio" object comes from the row. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>
#include <sndfile.h>
#include <sys/stat.h>
#include "audio/audio_int.h"
#include "base/util.h"
#include "../tmpdb.h"

#define ID_MISSING "00000000000000000000000000000001"
#define ID_GARBAGE "00000000000000000000000000000002"
#define ID_GOOD    "00000000000000000000000000000003"
#define ID_PART    "00000000000000000000000000000004"
#define ID_MONO    "00000000000000000000000000000005"
#define ID_NOFIRST "00000000000000000000000000000006"
#define ID_LEFT    "00000000000000000000000000000007"
#define ID_LIVE    "00000000000000000000000000000008"
#define ID_OLD     "00000000000000000000000000000009"

static int setup(void **state)
{
	static struct tmpdb t;

	*state = &t;
	return tmpdb_open(&t, "audio-service");
}

static int teardown(void **state)
{
	return tmpdb_close(*state);
}

/* Two seconds of a 300 Hz buzz with a 5 Hz beat on the left, line noise
 * on the right. */
static void write_call(const char *path, int channels)
{
	SF_INFO info = {.samplerate = 8000, .channels = channels,
			.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16};
	SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
	int16_t pcm[2 * 16000];

	assert_non_null(sf);
	for (int i = 0; i < 16000; i++) {
		double t = i / 8000.0, v = 0;

		for (int h = 1; h < 12; h++)
			v += sin(2 * M_PI * 300 * h * t) / h;
		pcm[channels * i] = (int16_t)(4000 * v *
					      (0.6 + 0.4 * sin(2 * M_PI * 5 * t)));
		if (channels == 2)
			pcm[2 * i + 1] = (int16_t)(i * 7919 % 41 - 20);
	}
	assert_int_equal(16000, sf_writef_short(sf, pcm, 16000));
	assert_int_equal(0, sf_close(sf));
}

static int count_row(const struct db_row *row, void *arg)
{
	(void)row;
	++*(int *)arg;
	return 0;
}

static int text_row(const struct db_row *row, void *arg)
{
	const char *v = db_row_text(row, 0);

	snprintf(arg, 512, "%s", v ? v : "NULL");
	return 0;
}

/* The stored timeline of id, "NULL" when none, in out (512 bytes). */
static void timeline_of(struct tmpdb *t, const char *id, char *out)
{
	snprintf(out, 512, "no row");
	assert_int_equal(0, db_query(t->db, text_row, out, "SELECT timeline "
				     "FROM call_audio WHERE call_id = ?", "t",
				     id));
}

static void bad_files_are_recorded_and_the_rest_measured(void **state)
{
	struct tmpdb *t = *state;
	char day[128], missing[200], garbage[200], good[200], part1[200],
	     part[200], mono[200], nofirst[200], text[512];
	struct audio *a;
	json_t *o;
	FILE *fp;
	int rows = 0;

	snprintf(day, sizeof(day), "%s/recordings", t->dir);
	assert_int_equal(0, mkdir(day, 0755));
	snprintf(day, sizeof(day), "%s/recordings/2026-12-06", t->dir);
	assert_int_equal(0, mkdir(day, 0755));
	snprintf(missing, sizeof(missing), "%s/%s.wav", day, ID_MISSING);
	snprintf(garbage, sizeof(garbage), "%s/%s.wav", day, ID_GARBAGE);
	snprintf(good, sizeof(good), "%s/%s.wav", day, ID_GOOD);
	snprintf(part1, sizeof(part1), "%s/%s.wav", day, ID_PART);
	snprintf(part, sizeof(part), "%s/%s-2.wav", day, ID_PART);
	snprintf(mono, sizeof(mono), "%s/%s.wav", day, ID_MONO);
	snprintf(nofirst, sizeof(nofirst), "%s/%s-2.wav", day, ID_NOFIRST);
	fp = fopen(garbage, "wb");
	assert_non_null(fp);
	fputs("RIFF, but nothing after it", fp);
	fclose(fp);
	write_call(good, 2);
	write_call(part1, 2);
	write_call(part, 2);
	write_call(mono, 1);
	write_call(nofirst, 2);

	assert_int_equal(0, audio_alloc(&a, t->db, AUDIO_LANG_ZH));
	assert_int_equal(0, audio_recorded(a, missing, 2));
	assert_int_equal(0, audio_recorded(a, garbage, 2));
	assert_int_equal(0, audio_recorded(a, good, 2));
	assert_int_equal(0, audio_recorded(a, mono, 1));      /* ignored */
	assert_int_equal(0, audio_recorded(a, part1, 2));
	assert_int_equal(0, audio_recorded(a, part, 2));      /* with part 1 */
	assert_int_equal(0, audio_recorded(a, nofirst, 2));   /* part 1 gone */
	audio_free(a);   /* measures what is queued */
	db_flush(t->db);

	assert_int_equal(0, db_query(t->db, count_row, &rows,
				     "SELECT 1 FROM call_audio", ""));
	assert_int_equal(5, rows);

	assert_int_equal(0, audio_call_json(t->db, ID_MISSING, &o));
	assert_string_equal("missing", json_string_value(json_object_get(o,
							 "status")));
	assert_non_null(json_string_value(json_object_get(o, "error")));
	assert_true(json_is_null(json_object_get(o, "customer_talk_s")));
	json_decref(o);

	assert_int_equal(0, audio_call_json(t->db, ID_GARBAGE, &o));
	assert_string_equal("unreadable", json_string_value(json_object_get(o,
							    "status")));
	json_decref(o);

	assert_int_equal(0, audio_call_json(t->db, ID_GOOD, &o));
	assert_string_equal("ok", json_string_value(json_object_get(o,
						    "status")));
	assert_true(json_is_null(json_object_get(o, "error")) ||
		    !json_object_get(o, "error"));
	assert_true(fabs(json_real_value(json_object_get(o, "duration_s")) -
			 2.0) < 0.01);
	assert_true(fabs(json_real_value(json_object_get(o,
				"customer_talk_s")) - 2.0) < 0.11);
	assert_true(json_real_value(json_object_get(o, "agent_talk_s")) < 0.1);
	assert_int_equal(0, json_integer_value(json_object_get(o,
				"silences_over_10s")));
	json_decref(o);

	/* The player's lanes are stored with the measures: the customer's
	 * buzz from the first sample to the end; none for a missing file. */
	timeline_of(t, ID_GOOD, text);
	assert_string_equal("{\"duration_ms\":2000,\"merge_ms\":200,"
		"\"silence_min_ms\":5000,\"customer\":[[0,2000]],"
		"\"agent\":[],\"overtalk\":[],\"silence\":[],\"hold\":[]}",
		text);
	timeline_of(t, ID_MISSING, text);
	assert_string_equal("NULL", text);

	/* Two conversations of 2 s: one recording of 4 s, talk in both. */
	assert_int_equal(0, audio_call_json(t->db, ID_PART, &o));
	assert_true(fabs(json_real_value(json_object_get(o, "duration_s")) -
			 4.0) < 0.01);
	assert_true(fabs(json_real_value(json_object_get(o,
				"customer_talk_s")) - 4.0) < 0.21);
	json_decref(o);

	/* A later part without the first: the call's recording is missing. */
	assert_int_equal(0, audio_call_json(t->db, ID_NOFIRST, &o));
	assert_string_equal("missing", json_string_value(json_object_get(o,
							 "status")));
	json_decref(o);

	/* Not measured: null. */
	assert_int_equal(0, audio_call_json(t->db, ID_MONO, &o));
	assert_true(json_is_null(o));
	json_decref(o);
}

/* Measured again, a call keeps one row, the newer. */
static void measuring_again_replaces_the_row(void **state)
{
	struct tmpdb *t = *state;
	struct audio_measures m = {.duration_ms = 1000};
	json_t *o;
	int rows = 0;

	assert_int_equal(0, audio_store(t->db, ID_GOOD, 0, "", &m, NULL, 5));
	db_flush(t->db);
	assert_int_equal(0, db_query(t->db, count_row, &rows,
				     "SELECT 1 FROM call_audio WHERE call_id = ?",
				     "t", ID_GOOD));
	assert_int_equal(1, rows);
	assert_int_equal(0, audio_call_json(t->db, ID_GOOD, &o));
	assert_true(fabs(json_real_value(json_object_get(o, "duration_s")) -
			 1.0) < 0.01);
	json_decref(o);
}

/* Not a call's recording: nothing is queued. */
static void other_files_are_ignored(void **state)
{
	struct tmpdb *t = *state;
	struct audio *a;
	int rows = 0;

	assert_int_equal(0, audio_alloc(&a, t->db, AUDIO_LANG_ZH));
	assert_int_equal(0, audio_recorded(a, "/x/voicemail/abc.wav", 2));
	assert_int_equal(0, audio_recorded(a, "/x/recordings/d/"
					   "0000000000000000000000000000000G.wav",
					   2));
	assert_int_equal(0, audio_recorded(a, "/x/recordings/d/"
					   ID_GOOD ".mp3", 2));
	assert_int_equal(0, audio_recorded(a, "/x/recordings/d/"
					   ID_GOOD "-1.wav", 2));
	assert_int_equal(0, audio_recorded(a, "/x/recordings/d/"
					   ID_GOOD "-02.wav", 2));
	assert_int_equal(0, audio_recorded(a, "/x/recordings/d/"
					   ID_GOOD "-65.wav", 2));
	audio_free(a);
	db_flush(t->db);
	assert_int_equal(0, db_query(t->db, count_row, &rows,
				     "SELECT 1 FROM call_audio WHERE call_id "
				     "NOT IN (?, ?, ?, ?, ?, ?)", "tttttt",
				     ID_MISSING, ID_GARBAGE, ID_GOOD, ID_PART,
				     ID_NOFIRST, ID_MONO));
	assert_int_equal(0, rows);
}

static void add_call(struct tmpdb *t, const char *id, int64_t started,
		     bool ended)
{
	char rec[80];

	snprintf(rec, sizeof(rec), "recordings/2026-12-06/%s.wav", id);
	assert_int_equal(0, db_exec(t->db, "INSERT INTO calls (id, direction, "
		"caller, callee, started_at, ended_at, recording) VALUES "
		"(?, 'inbound', '1', '2', ?, ?, ?)", "tiit", id, started,
		ended ? started + 1000 : (int64_t)-1, rec));
	if (!ended)
		assert_int_equal(0, db_exec(t->db, "UPDATE calls SET ended_at "
					    "= NULL WHERE id = ?", "t", id));
}

/* A start measures the ended calls a stop or a crash left without a row,
 * each with all its parts; not live ones, not those older than asked for;
 * then it measures again a call measured before timelines were stored
 * (ID_GOOD, whose row measuring_again_replaces_the_row left without one),
 * and a call measured with its timeline keeps its row. */
static void a_start_catches_up_on_calls_left_unmeasured(void **state)
{
	struct tmpdb *t = *state;
	const int64_t now = util_now_ms();
	char path[200];
	struct audio_measures kept = {.duration_ms = 1000};
	struct audio *a;
	json_t *o;
	int rows = 0;

	for (int part = 1; part <= 2; part++) {
		snprintf(path, sizeof(path), part == 1 ?
			 "%s/recordings/2026-12-06/%s.wav" :
			 "%s/recordings/2026-12-06/%s-2.wav", t->dir, ID_LEFT);
		write_call(path, 2);
	}
	snprintf(path, sizeof(path), "%s/recordings/2026-12-06/%s.wav", t->dir,
		 ID_LIVE);
	write_call(path, 2);
	snprintf(path, sizeof(path), "%s/recordings/2026-12-06/%s.wav", t->dir,
		 ID_OLD);
	write_call(path, 2);
	add_call(t, ID_LEFT, now - 3600000, true);
	add_call(t, ID_LIVE, now - 60000, false);
	add_call(t, ID_OLD, now - 10 * 86400000LL, true);
	add_call(t, ID_GOOD, now - 7200000, true);   /* 1.0 s, no timeline */
	add_call(t, ID_MONO, now - 7200000, true);
	assert_int_equal(0, audio_store(t->db, ID_MONO, 0, "", &kept,
					"{\"kept\":1}", 5));
	/* On disk before the catch-up reads what is unmeasured: queued on
	 * the writer, the row could lose that race and be measured again. */
	db_flush(t->db);

	assert_int_equal(0, audio_alloc(&a, t->db, AUDIO_LANG_ZH));
	assert_int_equal(EINVAL, audio_catch_up(a, NULL, 0));
	assert_int_equal(0, audio_catch_up(a, t->dir, now - 7 * 86400000LL));
	for (int i = 0; i < 200 && rows < 2; i++) {   /* up to 20 s */
		usleep(100 * 1000);
		db_flush(t->db);
		rows = 0;
		assert_int_equal(0, db_query(t->db, count_row, &rows,
			"SELECT 1 FROM call_audio WHERE call_id IN (?, ?) AND "
			"timeline IS NOT NULL", "tt", ID_LEFT, ID_GOOD));
	}
	audio_free(a);
	db_flush(t->db);
	assert_int_equal(2, rows);

	assert_int_equal(0, audio_call_json(t->db, ID_LEFT, &o));
	assert_string_equal("ok", json_string_value(json_object_get(o,
						    "status")));
	assert_true(fabs(json_real_value(json_object_get(o, "duration_s")) -
			 4.0) < 0.01);
	json_decref(o);
	assert_int_equal(0, audio_call_json(t->db, ID_GOOD, &o));
	assert_true(fabs(json_real_value(json_object_get(o, "duration_s")) -
			 2.0) < 0.01);   /* its file, measured again */
	json_decref(o);
	assert_int_equal(0, audio_call_json(t->db, ID_MONO, &o));
	assert_true(fabs(json_real_value(json_object_get(o, "duration_s")) -
			 1.0) < 0.01);   /* kept */
	json_decref(o);
	assert_int_equal(0, audio_call_json(t->db, ID_LIVE, &o));
	assert_true(json_is_null(o));
	json_decref(o);
	assert_int_equal(0, audio_call_json(t->db, ID_OLD, &o));
	assert_true(json_is_null(o));
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bad_files_are_recorded_and_the_rest_measured),
		cmocka_unit_test(measuring_again_replaces_the_row),
		cmocka_unit_test(other_files_are_ignored),
		cmocka_unit_test(a_start_catches_up_on_calls_left_unmeasured),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
