/* tz: time zones read from the system zone database, without touching the
 * process's TZ or calling localtime (which reads TZ and files behind the
 * caller's back). tz_load() reads one file: call it when a setting or a flow
 * is loaded, never per call on the signalling loop. Everything after it is
 * pure: tz_offset_s() is a binary search and some arithmetic. */
#ifndef HL_BASE_TZ_H
#define HL_BASE_TZ_H

#include <stdint.h>

enum { TZ_NAME_LEN = 128 };

struct tz;   /* opaque: the zone's transitions and its rule past them */

/* Reads zone name from the system zone database (TZif files under $TZDIR or
 * /usr/share/zoneinfo; the 64-bit section of v2+, the 32-bit one of v1).
 * Also takes "UTC" and fixed offsets "+08:00"/"-05:30" (east positive).
 * EINVAL: a name with "..", a leading "/", or not [A-Za-z0-9_+/-]; ENOENT:
 * no such zone; EBADMSG: not a TZif file. *zp is the caller's (tz_free). */
int     tz_load(struct tz **zp, const char *name);

/* 0 when name could be loaded as far as its spelling goes (tz_load's EINVAL
 * rules, no file read): for pure code that checks a setting. */
int     tz_name_check(const char *name);

/* Offset from UTC in seconds at utc_s: local time = utc_s + offset. Past
 * the file's last transition, the POSIX TZ rule of its footer. */
int32_t tz_offset_s(const struct tz *z, int64_t utc_s);

/* The name as given to tz_load(). */
const char *tz_name(const struct tz *z);

/* NULL is a no-op. */
void    tz_free(struct tz *z);

#endif
