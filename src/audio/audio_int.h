/* audio's internals, shared by its files and its unit tests. */
#ifndef HL_AUDIO_INT_H
#define HL_AUDIO_INT_H

#include "audio/audio.h"

enum {
	AUDIO_FRAME_MS = 10,          /* one VAD decision per 10 ms */
	/* The bits of one frame's flags: */
	AUDIO_F_CUSTOMER = 1u << 0,   /* the VAD heard voice on the left */
	AUDIO_F_AGENT    = 1u << 1,   /* … on the right */
	AUDIO_F_NO_AGENT = 1u << 2,   /* the right channel is all zeros */
};

/* What the meter keeps per 10 ms frame: the VAD's raw decisions and the
 * agent channel's energy; everything else is worked out from these. */
struct audio_frames {
	const uint8_t *flags;         /* AUDIO_F_* per frame */
	const float   *agent_db;      /* the agent's frame energy, dB */
	size_t         n;
	enum audio_lang lang;         /* the agent's, for the speaking rate */
};

/* The measures of n frames (measure.c: trims the VAD's hangover, bridges
 * short pauses, finds silences and hold, counts syllables). Pure. ENOMEM. */
int audio_measure_frames(const struct audio_frames *f,
			 struct audio_measures *out);

/* The lanes of n frames (measure.c), in one malloc'd block *lanesp of 3n
 * bytes (yours): customer talk, agent talk, hold, 1 per frame where it
 * is so (the spurts trimmed and bridged, the holds long enough). ENOMEM. */
int audio_lanes(const struct audio_frames *f, uint8_t **lanesp);

/* The timeline of n frames (timeline.c). Pure. ENOMEM. */
int audio_timeline_frames(const struct audio_frames *f,
			  struct audio_timeline *out);

/* Stores call_id's row (store.c): the measures and the timeline's JSON
 * text (NULL: none) when err is 0, else
 * status missing (ENOENT) or unreadable (anything else) with why. Queued
 * on db's writer; 0 or db_write's error. */
int audio_store(struct db *db, const char *call_id, int err, const char *why,
		const struct audio_measures *m, const char *timeline,
		int64_t now_ms);

/* The module's HTTP route, GET /api/v1/calls/{id}/audio-timeline (http.c). */
struct mod_routes;
extern const struct mod_routes audio_routes;

/* The module's settings (settings.c), named by its export row, and their
 * values, read once by the start hook (mod.c). */
struct mod_settings;
extern const struct mod_settings audio_settings;
struct audio_values {
	char language[3];   /* audio.language: "zh" or "en" */
};

#endif
