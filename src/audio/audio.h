/* audio: what a call's stereo recording says about the conversation
 * (customer on the left channel, agent on the right): talk per side,
 * overtalk, silences, hold and the agent's speaking rate, measured by
 * WebRTC's voice-activity detector on 10 ms frames (docs/qa.md, "Audio
 * measures", defines each measure and the tolerance the tests prove).
 *
 * Two layers. The meter is pure: PCM in, measures out, no I/O and no
 * clock, so tests and the benchmark run exactly the server's code. The
 * service (mod.c) measures each call's recording when its file is
 * finished, on its own thread, and keeps the result in the call_audio
 * table (migration 032), which it alone writes, with the recording
 * player's timeline (migration 045: where each thing happened), which
 * GET /api/v1/calls/{id}/audio-timeline serves (http.c).
 *
 * Facts that always hold:
 *  (1) Measures depend on the samples alone: the same PCM fed in any
 *      chunking gives the same measures.
 *  (2) customer_talk_ms, agent_talk_ms >= overtalk_ms; talk, silence and
 *      hold are whole 10 ms frames, so every time is a multiple of 10.
 *  (3) One recording that cannot be measured is stored as missing or
 *      unreadable with the reason; the next one is measured as usual. */
#ifndef HL_AUDIO_H
#define HL_AUDIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct mod_export;
struct json_t;

/* The language the agent speaks, which turns what the meter hears (the
 * loudness peaks of syllable nuclei) into syllables: measured on
 * espeak-ng (docs/qa.md, "Speaking rate"), a Mandarin syllable shows about
 * two peaks (its initial's release and its tone's contour as well as its
 * vowel), an English one about one. */
enum audio_lang { AUDIO_LANG_ZH, AUDIO_LANG_EN };

/* The languages' names by enum audio_lang ("zh", "en"), NULL-ended: the
 * words the audio.language setting takes. */
extern const char *const audio_lang_names[];

/* The language named s (one of audio_lang_names): 0, or EINVAL. */
int  audio_lang_parse(const char *s, enum audio_lang *l);

struct audio_measures {
	uint64_t duration_ms;         /* whole 10 ms frames in the recording */
	uint64_t customer_talk_ms;    /* left channel speaking */
	uint64_t agent_talk_ms;       /* right channel speaking */
	uint64_t overtalk_ms;         /* both at once */
	uint64_t longest_silence_ms;  /* neither speaking, outside hold */
	uint64_t silences_over_10s;   /* such silences longer than 10 s */
	uint64_t hold_ms;             /* the agent's line carried no audio */
	double   agent_nuclei_per_min;/* loudness peaks heard per talk minute */
	double   agent_words_per_min; /* syllables / 1.5 per talk minute, the
				       * syllables of the meter's language */
};

/* ---- the meter (meter.c, measure.c): pure ---- */

struct audio_meter;

/* A meter for stereo 16-bit PCM at rate 8000 or 16000 (else EINVAL), the
 * agent speaking lang. *mp is yours: audio_meter_free. ENOMEM. */
int  audio_meter_alloc(struct audio_meter **mp, unsigned rate,
		       enum audio_lang lang);
/* Frees the meter; NULL is fine. */
void audio_meter_free(struct audio_meter *m);
/* Feeds n stereo frames (interleaved left, right). ENOMEM (the meter then
 * refuses further feeds with ENOMEM). */
int  audio_meter_feed(struct audio_meter *m, const int16_t *pcm, size_t n);
/* The measures of everything fed so far (a trailing partial 10 ms frame
 * is left out). The meter may be fed further and asked again. ENOMEM. */
int  audio_meter_result(const struct audio_meter *m,
			struct audio_measures *out);

/* ---- the timeline (timeline.c): where each thing happened, pure ----
 *
 * The recording player's two lanes: per kind, the runs of frames the
 * measures count, as [from_ms, to_ms) spans in order. Bounded: runs less
 * than merge_ms apart are joined (AUDIO_SPAN_MERGE_MS, which the talk
 * spurts are already bridged by, so talk lanes add up to the talk
 * measures), and when a kind still has more than AUDIO_SPANS_MAX runs
 * merge_ms is doubled, for every kind, until none has: an hour's call is
 * at most AUDIO_SPANS_MAX spans a kind, however it was spoken. */
enum audio_span_kind {
	AUDIO_SPAN_CUSTOMER,          /* the customer speaking */
	AUDIO_SPAN_AGENT,             /* the agent speaking */
	AUDIO_SPAN_OVERTALK,          /* both at once */
	AUDIO_SPAN_SILENCE,           /* neither, outside hold, at least
				       * AUDIO_SILENCE_MARK_MS long */
	AUDIO_SPAN_HOLD,              /* the agent's line carried no audio */
	AUDIO_SPAN_KINDS
};

enum { AUDIO_SPANS_MAX = 1000, AUDIO_SPAN_MERGE_MS = 200,
       AUDIO_SILENCE_MARK_MS = 5000 };

struct audio_span {
	uint64_t from_ms, to_ms;
};

struct audio_timeline {
	uint64_t duration_ms;
	uint64_t merge_ms;            /* runs closer than this were joined */
	struct audio_span *spans[AUDIO_SPAN_KINDS];  /* yours: _free */
	size_t n[AUDIO_SPAN_KINDS];
};

/* The name of kind in the JSON ("customer", "agent", "overtalk",
 * "silence", "hold"). */
const char *audio_span_name(enum audio_span_kind kind);
/* Frees t's spans (not t) and zeroes it; NULL is fine. */
void audio_timeline_free(struct audio_timeline *t);
/* The timeline of everything fed so far into *out (audio_timeline_free),
 * the frames audio_meter_result measures. ENOMEM. */
int  audio_meter_timeline(const struct audio_meter *m,
			  struct audio_timeline *out);
/* t as compact JSON text, *textp malloc'd (yours): {"duration_ms",
 * "merge_ms", "silence_min_ms", and per kind an array of [from_ms,
 * to_ms]} (docs/api.md, audio-timeline). ENOMEM. */
int  audio_timeline_encode(const struct audio_timeline *t, char **textp);

/* Measures n stereo frames at rate in one go (audio_meter_*). */
int  audio_measure_pcm(const int16_t *pcm, size_t n, unsigned rate,
		       enum audio_lang lang, struct audio_measures *out);

/* ---- recordings on disk (file.c): blocks, off the loops ---- */

/* Measures the WAV (or any stereo file libsndfile reads, 8 or 16 kHz) at
 * path. ENOENT: there is no file (missing). EBADMSG: it cannot be read as
 * a stereo 8/16 kHz recording, why says how (unreadable). EIO: reading
 * failed part way (unreadable). ENOMEM. why (n bytes) is always set. */
int  audio_measure_file(const char *path, enum audio_lang lang,
			struct audio_measures *out, char *why, size_t n);
/* audio_measure_file over count files fed one after the other as one
 * recording (a transferred call's conversations), all at one rate; the
 * first that fails decides, why names it. With tl, its timeline too
 * (audio_timeline_free; left empty on error). EINVAL for count 0. */
int  audio_measure_files(const char *const *paths, size_t count,
			 enum audio_lang lang, struct audio_measures *out,
			 struct audio_timeline *tl, char *why, size_t n);

enum { AUDIO_CLIP_MAX_MS = 600000 };   /* a clip: at most 10 minutes */

/* Cuts from_ms..to_ms (cut short at the recording's end) out of the
 * recording at path (mono or stereo, any rate libsndfile reads) as a
 * 16-bit PCM WAV in memory at the file's rate and channels, for a
 * teaching clip: 0 with *bufp (malloc'd, yours) of *lenp bytes. EINVAL:
 * from_ms >= to_ms or longer than AUDIO_CLIP_MAX_MS. ENOENT: no file.
 * EBADMSG: not audio, or the clip starts past its end. EIO, ENOMEM. why
 * (n bytes) says which, without the server's directories. Blocks: off
 * the loops. */
int  audio_clip_wav(const char *path, uint64_t from_ms, uint64_t to_ms,
		    char **bufp, size_t *lenp, char *why, size_t n);

/* ---- the service (service.c, store.c, mod.c) ---- */

struct audio;

enum { AUDIO_QUEUE_MAX = 1024, AUDIO_DRAIN_MS = 2000,
       AUDIO_CATCH_UP_MAX = 500 };

/* The module row for app/modules.c: starts the service (it needs the
 * database) and sets mod_house.audio; stopping it measures what is still
 * queued, for at most AUDIO_DRAIN_MS. */
extern const struct mod_export audio_module;

/* Starts the measuring thread, which stores into db's call_audio, the
 * agents speaking lang (the audio.language setting). *ap is yours:
 * audio_free. ENOMEM or pthread's error. */
int  audio_alloc(struct audio **ap, struct db *db, enum audio_lang lang);
/* Measures what is queued (for at most AUDIO_DRAIN_MS, the rest is
 * logged and left), stops the thread, frees. Its rows are queued on db
 * (db_flush to see them). NULL is fine. */
void audio_free(struct audio *a);

/* Queues the recording at path (…/recordings/DAY/<call-id>.wav, or a
 * transferred call's later conversation <call-id>-<n>.wav) to be measured
 * and stored under its call id: part n is measured with the parts before
 * it, as one recording (service.c fact 4). Thread-safe and never blocks:
 * the media recorder's thread calls it as each file is finished. Other
 * files are ignored (0): mono ones (voicemail), other names. EBUSY when
 * AUDIO_QUEUE_MAX wait, ESHUTDOWN once stopping, ENOMEM. */
int  audio_recorded(struct audio *a, const char *path, unsigned channels);

/* Queues a catch-up: the thread then measures, newest first and at most
 * AUDIO_CATCH_UP_MAX, the ended calls started since since_ms (and
 * before this call: later ones are reported as usual) whose
 * recording (under data_dir) has no row yet: the ones a stop or a crash
 * left unmeasured; after them, measured ones without a timeline (service.c
 * fact 5). Returns at once. EINVAL, EBUSY, ESHUTDOWN, ENOMEM. */
int  audio_catch_up(struct audio *a, const char *data_dir, int64_t since_ms);

/* Conditions on the calls table's id for GET /api/v1/calls' filters, one
 * '?' each, bound as text (the table is this module's; the list is
 * call/'s): a measured call whose overtalk is at least ? percent of its
 * recording, or whose longest silence is at least ? seconds. */
#define AUDIO_SQL_OVERTALK_PCT_MIN "id IN (SELECT call_id FROM call_audio " \
	"WHERE status = 'ok' AND overtalk_ms * 100 >= " \
	"CAST(? AS INTEGER) * duration_ms)"
#define AUDIO_SQL_SILENCE_S_MIN "id IN (SELECT call_id FROM call_audio " \
	"WHERE status = 'ok' AND longest_silence_ms >= " \
	"CAST(? AS INTEGER) * 1000)"

/* The measures of call_id as the API shows them in *out (a new object,
 * yours: status "ok", "missing" or "unreadable", error, measured_at, and
 * duration_s … agent_words_per_min in seconds with one decimal, all null
 * unless ok; docs/api.md), or JSON null when the call has not been
 * measured. Reads the database: on a worker. 0, EIO, ENOMEM. */
int  audio_call_json(struct db *db, const char *call_id,
		     struct json_t **out);

#endif
