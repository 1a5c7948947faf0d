/* tz: a TZif reader (RFC 8536); the POSIX TZ rule of its footer is
 * tz_rule.c.
 *
 * What a loaded zone holds, and what always holds of it:
 *   (1) at[] is strictly ascending; off[i] is the offset in force from at[i]
 *       until at[i+1]; before at[0] the offset is off0 (time type 0, as the
 *       RFC says);
 *   (2) after the last transition the footer rule decides when the file has
 *       one, else the last transition's offset stays;
 *   (3) leap seconds are ignored ("right/" zones count them inside their
 *       transition times; nothing here needs that precision).
 * Footers take every form tzdata writes: names alphabetic or <quoted>,
 * offsets [+-]hh[:mm[:ss]], rules Jn, n and Mm.w.d with [+-]hhh[:mm[:ss]]
 * times (RFC 8536 3.3.1 allows hours up to 167). A footer outside that is a
 * bad file (EBADMSG), not a guess. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/tz.h"
#include "base/tz_int.h"

/* Every tzdata file is a few kB; a larger one is not a zone. */
enum { TZ_FILE_MAX = 1 << 20 };
/* RFC 8536: an offset must be in [-2^31 + 1, 2^31 - 1]; real ones are within
 * a day, and refusing more keeps the arithmetic below far from overflow. */
enum { OFF_MAX = 26 * 3600 };

struct tz {
	char name[TZ_NAME_LEN];
	size_t n;
	int64_t *at;       /* owned: n transitions, UTC seconds */
	int32_t *off;      /* owned: n offsets */
	int32_t off0;
	bool has_rule;
	struct tz_rule rule;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* --- the TZif file ------------------------------------------------------ */

struct cur {
	const uint8_t *p;
	size_t left;
};

struct hdr {
	char version;
	uint32_t isut, isstd, leap, time, type, chars;
};

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static int64_t be_time(const uint8_t *p, size_t size)
{
	if (size == 4)
		return (int32_t)be32(p);
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

static int take(struct cur *c, size_t n, const uint8_t **p)
{
	if (n > c->left)
		return EBADMSG;
	*p = c->p;
	c->p += n;
	c->left -= n;
	return 0;
}

static int read_hdr(struct cur *c, struct hdr *h)
{
	const uint8_t *p;
	uint32_t v[6];

	if (take(c, 44, &p) || memcmp(p, "TZif", 4))
		return EBADMSG;
	h->version = (char)p[4];
	for (int i = 0; i < 6; i++)
		v[i] = be32(p + 20 + 4 * i);
	h->isut = v[0], h->isstd = v[1], h->leap = v[2];
	h->time = v[3], h->type = v[4], h->chars = v[5];
	if (h->type == 0 || h->chars == 0 ||
	    (h->isut && h->isut != h->type) || (h->isstd && h->isstd != h->type))
		return EBADMSG;
	return 0;
}

/* The counts are each below 2^32 and the file below TZ_FILE_MAX, so any
 * block that fits in the file has a size that fits in a size_t. */
static size_t block_size(const struct hdr *h, size_t tsize)
{
	return (size_t)h->time * (tsize + 1) + (size_t)h->type * 6 + h->chars +
	       (size_t)h->leap * (tsize + 4) + h->isstd + h->isut;
}

static int read_block(struct tz *z, struct cur *c, const struct hdr *h,
		      size_t tsize)
{
	const size_t size = block_size(h, tsize);

	if (size > c->left)
		return EBADMSG;
	/* The rest of the block (abbreviations, leap seconds, std/ut flags)
	 * is skipped: an offset is all we answer. */
	const uint8_t *times = c->p;
	const uint8_t *idx = times + (size_t)h->time * tsize;
	const uint8_t *types = idx + h->time;
	c->p += size;
	c->left -= size;

	for (uint32_t i = 0; i < h->type; i++) {
		const int32_t off = (int32_t)be32(types + 6 * i);
		if (off > OFF_MAX || off < -OFF_MAX)
			return EBADMSG;
	}
	z->off0 = (int32_t)be32(types);
	z->n = h->time;
	if (!z->n)
		return 0;
	z->at = calloc(z->n, sizeof(*z->at));
	z->off = calloc(z->n, sizeof(*z->off));
	if (!z->at || !z->off)
		return ENOMEM;
	for (size_t i = 0; i < z->n; i++) {
		z->at[i] = be_time(times + i * tsize, tsize);
		if (idx[i] >= h->type || (i && z->at[i] <= z->at[i - 1]))
			return EBADMSG;
		z->off[i] = (int32_t)be32(types + 6 * idx[i]);
	}
	return 0;
}

static int parse_tzif(struct tz *z, const uint8_t *buf, size_t len)
{
	struct cur c = {buf, len};
	struct hdr h;
	int err;

	if ((err = read_hdr(&c, &h)))
		return err;
	if (h.version == 0)
		return read_block(z, &c, &h, 4);
	if (h.version < '2')
		return EBADMSG;

	/* v2+: skip the 32-bit block, read the 64-bit one and the footer. */
	if (block_size(&h, 4) > c.left)
		return EBADMSG;
	c.p += block_size(&h, 4);
	c.left -= block_size(&h, 4);
	if ((err = read_hdr(&c, &h)) || (err = read_block(z, &c, &h, 8)))
		return err;

	if (c.left < 2 || c.p[0] != '\n')
		return EBADMSG;
	const uint8_t *nl = memchr(c.p + 1, '\n', c.left - 1);
	if (!nl)
		return EBADMSG;
	const size_t flen = (size_t)(nl - c.p - 1);
	if (!flen)
		return 0;   /* no rule: the last transition stays */

	char footer[128];
	if (flen >= sizeof(footer))
		return EBADMSG;
	memcpy(footer, c.p + 1, flen);
	footer[flen] = '\0';
	if ((err = tz_rule_parse(footer, &z->rule)))
		return err;
	z->has_rule = true;
	return 0;
}

static int read_file(const char *path, uint8_t **bufp, size_t *lenp)
{
	struct stat st;
	uint8_t *buf;
	size_t len = 0;
	int err = 0;
	const int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return errno == ENOTDIR ? ENOENT : errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return ENOENT;   /* "Asia" is a folder of zones, not a zone */
	}
	if (st.st_size > TZ_FILE_MAX) {
		close(fd);
		return EBADMSG;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return ENOMEM;
	}
	while (len < (size_t)st.st_size) {
		const ssize_t r = read(fd, buf + len, (size_t)st.st_size - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			err = r < 0 ? errno : EBADMSG;
			break;
		}
		len += (size_t)r;
	}
	close(fd);
	if (err) {
		free(buf);
		return err;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

/* "+08:00" / "-05:30" into seconds east; EINVAL if it is not one. */
static int fixed_offset(const char *s, int32_t *off)
{
	if ((s[0] != '+' && s[0] != '-') || !is_digit(s[1]) || !is_digit(s[2]) ||
	    s[3] != ':' || !is_digit(s[4]) || !is_digit(s[5]) || s[6])
		return EINVAL;
	const int h = (s[1] - '0') * 10 + (s[2] - '0');
	const int m = (s[4] - '0') * 10 + (s[5] - '0');
	if (h > 23 || m > 59)
		return EINVAL;
	*off = (s[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
	return 0;
}

int tz_name_check(const char *name)
{
	int32_t off;

	if (!name || !*name || strlen(name) >= TZ_NAME_LEN)
		return EINVAL;
	if (!fixed_offset(name, &off))
		return 0;
	/* The name becomes a path: nothing may climb out of the database. */
	if (name[0] == '/' || strstr(name, ".."))
		return EINVAL;
	for (const char *p = name; *p; p++)
		if (!is_alpha(*p) && !is_digit(*p) && !strchr("_+/-", *p))
			return EINVAL;
	return 0;
}

int tz_load(struct tz **zp, const char *name)
{
	char path[PATH_MAX];
	uint8_t *buf = NULL;
	size_t len = 0;
	struct tz *z;
	int err;

	if (!zp || (err = tz_name_check(name)))
		return EINVAL;
	z = calloc(1, sizeof(*z));
	if (!z)
		return ENOMEM;
	strcpy(z->name, name);   /* tz_name_check: shorter than TZ_NAME_LEN */

	if (!fixed_offset(name, &z->off0) || !strcmp(name, "UTC"))
		goto out;

	const char *dir = getenv("TZDIR");
	if (!dir || !*dir)
		dir = "/usr/share/zoneinfo";
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		err = EINVAL;
	else if (!(err = read_file(path, &buf, &len)))
		err = parse_tzif(z, buf, len);
	free(buf);
 out:
	if (err)
		tz_free(z);
	else
		*zp = z;
	return err;
}

int32_t tz_offset_s(const struct tz *z, int64_t utc_s)
{
	if (!z->n || utc_s > z->at[z->n - 1])
		return z->has_rule ? tz_rule_offset(&z->rule, utc_s) :
		       z->n ? z->off[z->n - 1] : z->off0;
	if (utc_s < z->at[0])
		return z->off0;

	/* The last transition at or before utc_s: at[lo] <= utc_s < at[hi]. */
	size_t lo = 0, hi = z->n - 1;
	if (utc_s >= z->at[hi])
		return z->off[hi];
	while (hi - lo > 1) {
		const size_t mid = lo + (hi - lo) / 2;
		if (z->at[mid] <= utc_s)
			lo = mid;
		else
			hi = mid;
	}
	return z->off[lo];
}

const char *tz_name(const struct tz *z)
{
	return z->name;
}

void tz_free(struct tz *z)
{
	if (!z)
		return;
	free(z->at);
	free(z->off);
	free(z);
}
