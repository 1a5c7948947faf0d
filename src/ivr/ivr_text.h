/* ivr text: the IVR's pure pieces that turn values into speech text and
 * decide opening hours. No I/O, no clock: time comes in as an argument.
 * (To be merged into ivr_int.h.) */
#ifndef HL_IVR_IVR_TEXT_H
#define HL_IVR_IVR_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

/* --- say.c: values read out as text a TTS voice speaks ------------------ */

enum ivr_lang { IVR_LANG_ZH, IVR_LANG_EN };
enum ivr_say_as { IVR_SAY_DIGITS, IVR_SAY_NUMBER, IVR_SAY_MONEY, IVR_SAY_DATE,
		  IVR_SAY_TIME };

/* value read out `as` in lang, written into buf (NUL-terminated). EINVAL:
 * value is not a valid `as` (why no crash on any input); ENOSPC: buf too
 * small. On an error buf holds "" (when size > 0). */
int ivr_say(char *buf, size_t size, const char *value, enum ivr_say_as as,
	    enum ivr_lang lang);

/* "digits", "number", "money", "date" or "time" into *as; EINVAL else. */
int ivr_say_as_parse(const char *word, enum ivr_say_as *as);

/* --- sched.c: opening hours --------------------------------------------- */

struct ivr_sched;   /* opaque, malloc'ed; the caller frees with ivr_sched_free */

/* Parses a schedule object (shape in sched.c); EINVAL with a one-line
 * reason in why (naming the key, e.g. "weekly[1].from: expected HH:MM");
 * ENOMEM. *sp is set only on success. */
int  ivr_sched_parse(struct ivr_sched **sp, const json_t *v, char *why,
		     size_t n);

/* NULL is a no-op. */
void ivr_sched_free(struct ivr_sched *s);

/* The zone name as written, "UTC" when absent (checked for spelling only:
 * loading it is the caller's, with tz_load). */
const char *ivr_sched_tz(const struct ivr_sched *s);

/* True when open at local wall-clock time local_ms (ms since
 * 1970-01-01T00:00 in the schedule's zone, i.e. UTC ms + the zone's
 * offset: the caller applies the offset). */
bool ivr_sched_open(const struct ivr_sched *s, int64_t local_ms);

/* The first local instant after local_ms at which ivr_sched_open may give
 * another answer (a minute boundary: a span's start or end, or midnight):
 * openness is the same all through [local_ms, edge). For code that adds up
 * open time (the work orders' business-hours clock). */
int64_t ivr_sched_next_edge(const struct ivr_sched *s, int64_t local_ms);

#endif
