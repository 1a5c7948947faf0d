/* base/zip: a ZIP writer of stored entries (see zip.h).
 *
 * Layout written, per APPNOTE 6.3: for each entry a local header, then its
 * bytes; then one central directory record per entry and the end record.
 * The local header goes out before the CRC and size are known (an entry is
 * streamed) and is patched in place afterwards, so no data descriptor is
 * needed and every reader sees sizes up front.
 *
 * Facts that always hold:
 *  (1) Every offset and size written fits 32 bits: a write that would
 *      pass UINT32_MAX fails with EFBIG before it happens.
 *  (2) After any error z->err is set, and zip_close() removes the file:
 *      nobody is handed half an archive. */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "base/zip.h"

enum {
	LOCAL_SIG   = 0x04034b50, CENTRAL_SIG = 0x02014b50, END_SIG = 0x06054b50,
	LOCAL_LEN   = 30, CENTRAL_LEN = 46, END_LEN = 22,
	FLAG_UTF8   = 1u << 11,
	VERSION     = 20,             /* 2.0: what a stored entry needs */
	MADE_BY     = (3 << 8) | 30,  /* Unix, spec 3.0: attributes below */
	ATTR_FILE   = 0100644,        /* a regular file, rw-r--r-- */
	CHUNK       = 64 * 1024,
	MAX_ENTRIES = 0xffff,
	NAME_MAX_LEN = 0xffff,
};

struct entry {
	char *name;
	uint32_t crc, size, offset;
	uint16_t dtime, ddate;
};

struct zip {
	FILE *f;
	char *path;
	struct entry *v;
	size_t n, cap;
	uint64_t pos;                 /* bytes written so far */
	int err;
};

static uint32_t crc_table[256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

uint32_t zip_crc32(uint32_t crc, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	pthread_once(&crc_once, crc_init);
	crc = ~crc;
	while (len--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static unsigned char *put16(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	return p + 2;
}

static unsigned char *put32(unsigned char *p, uint32_t v)
{
	return put16(put16(p, v & 0xffff), v >> 16);
}

/* MS-DOS date and time (2-second resolution, years 1980..2107). */
static void dos_time(int64_t s, uint16_t *dtime, uint16_t *ddate)
{
	time_t t = (time_t)s;
	struct tm tm;

	if (s < 315532800 || !gmtime_r(&t, &tm)) {    /* before 1980: 1980 */
		*dtime = 0;
		*ddate = (1 << 5) | 1;
		return;
	}
	if (tm.tm_year > 207)
		tm.tm_year = 207;
	*dtime = (uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
	*ddate = (uint16_t)(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) |
			    tm.tm_mday);
}

static int out(struct zip *z, const void *buf, size_t len)
{
	if (z->pos + len > UINT32_MAX)
		return z->err = EFBIG;
	if (len && fwrite(buf, 1, len, z->f) != len)
		return z->err = errno ? errno : EIO;
	z->pos += len;
	return 0;
}

static bool name_ok(const char *name)
{
	size_t len = strlen(name);
	const char *p = name;

	if (!len || len >= NAME_MAX_LEN || name[0] == '/')
		return false;
	for (;;) {          /* no ".." segment: unzip would write outside */
		const char *slash = strchr(p, '/');
		size_t seg = slash ? (size_t)(slash - p) : strlen(p);

		if (seg == 2 && !memcmp(p, "..", 2))
			return false;
		if (!slash)
			return true;
		p = slash + 1;
	}
}

static void local_header(unsigned char *h, const struct entry *e,
			 size_t name_len)
{
	unsigned char *p = put32(h, LOCAL_SIG);

	p = put16(p, VERSION);
	p = put16(p, FLAG_UTF8);
	p = put16(p, 0);                 /* method: stored */
	p = put16(p, e->dtime);
	p = put16(p, e->ddate);
	p = put32(p, e->crc);
	p = put32(p, e->size);           /* compressed = uncompressed */
	p = put32(p, e->size);
	p = put16(p, (uint32_t)name_len);
	put16(p, 0);                     /* no extra field */
}

/* Starts an entry: checks, records it, writes its provisional header. */
static int begin(struct zip *z, const char *name, int64_t mtime_s,
		 struct entry **ep)
{
	unsigned char h[LOCAL_LEN];
	struct entry *e;

	if (z->err)
		return z->err;
	if (!name_ok(name))
		return EINVAL;
	if (z->n == MAX_ENTRIES)
		return z->err = EFBIG;
	if (z->n == z->cap) {
		size_t cap = z->cap ? z->cap * 2 : 16;
		struct entry *v = realloc(z->v, cap * sizeof(*v));

		if (!v)
			return z->err = ENOMEM;
		z->v = v;
		z->cap = cap;
	}
	e = &z->v[z->n];
	memset(e, 0, sizeof(*e));
	e->name = strdup(name);
	if (!e->name)
		return z->err = ENOMEM;
	z->n++;
	if (z->pos > UINT32_MAX)
		return z->err = EFBIG;
	e->offset = (uint32_t)z->pos;
	dos_time(mtime_s, &e->dtime, &e->ddate);
	local_header(h, e, strlen(name));
	if (out(z, h, sizeof(h)) || out(z, name, strlen(name)))
		return z->err;
	*ep = e;
	return 0;
}

/* Ends an entry: patches CRC and sizes into its local header. */
static int finish(struct zip *z, struct entry *e)
{
	unsigned char h[LOCAL_LEN];

	local_header(h, e, strlen(e->name));
	if (fseeko(z->f, (off_t)e->offset, SEEK_SET) ||
	    fwrite(h, 1, sizeof(h), z->f) != sizeof(h) ||
	    fseeko(z->f, (off_t)z->pos, SEEK_SET))
		return z->err = errno ? errno : EIO;
	return 0;
}

int zip_open(struct zip **zp, const char *path)
{
	struct zip *z = calloc(1, sizeof(*z));

	if (!z || !(z->path = strdup(path))) {
		free(z);
		return ENOMEM;
	}
	z->f = fopen(path, "wbe");
	if (!z->f) {
		int err = errno;

		free(z->path);
		free(z);
		return err;
	}
	*zp = z;
	return 0;
}

int zip_add_buf(struct zip *z, const char *name, const void *buf, size_t len,
		int64_t mtime_s)
{
	struct entry *e;
	int err = begin(z, name, mtime_s, &e);

	if (err)
		return err;
	if (out(z, buf, len))
		return z->err;
	e->size = (uint32_t)len;
	e->crc = zip_crc32(0, buf, len);
	return finish(z, e);
}

int zip_add_file(struct zip *z, const char *name, const char *src,
		 int64_t mtime_s)
{
	struct entry *e;
	unsigned char *buf;
	uint64_t size = 0;
	FILE *in;
	size_t got;
	int err = begin(z, name, mtime_s, &e);

	if (err)
		return err;
	in = fopen(src, "rbe");
	buf = malloc(CHUNK);
	if (!in || !buf) {
		z->err = !buf ? ENOMEM : errno;
		goto out;
	}
	while ((got = fread(buf, 1, CHUNK, in)) > 0) {
		e->crc = zip_crc32(e->crc, buf, got);
		size += got;
		if (out(z, buf, got))
			goto out;
	}
	if (ferror(in))
		z->err = EIO;
	e->size = (uint32_t)size;     /* out() kept every size under 4 GiB */
 out:
	free(buf);
	if (in)
		fclose(in);
	return z->err ? z->err : finish(z, e);
}

static int central(struct zip *z)
{
	uint64_t start = z->pos;
	unsigned char h[CENTRAL_LEN], *p;

	for (size_t i = 0; i < z->n; i++) {
		const struct entry *e = &z->v[i];
		size_t nl = strlen(e->name);

		p = put32(h, CENTRAL_SIG);
		p = put16(p, MADE_BY);
		p = put16(p, VERSION);
		p = put16(p, FLAG_UTF8);
		p = put16(p, 0);
		p = put16(p, e->dtime);
		p = put16(p, e->ddate);
		p = put32(p, e->crc);
		p = put32(p, e->size);
		p = put32(p, e->size);
		p = put16(p, (uint32_t)nl);
		p = put16(p, 0);             /* extra */
		p = put16(p, 0);             /* comment */
		p = put16(p, 0);             /* disk */
		p = put16(p, 0);             /* internal attributes */
		p = put32(p, (uint32_t)ATTR_FILE << 16);
		put32(p, e->offset);
		if (out(z, h, sizeof(h)) || out(z, e->name, nl))
			return z->err;
	}
	p = put32(h, END_SIG);
	p = put16(p, 0);
	p = put16(p, 0);
	p = put16(p, (uint32_t)z->n);
	p = put16(p, (uint32_t)z->n);
	p = put32(p, (uint32_t)(z->pos - start));
	p = put32(p, (uint32_t)start);
	put16(p, 0);
	return out(z, h, END_LEN);
}

static void zip_free(struct zip *z)
{
	for (size_t i = 0; i < z->n; i++)
		free(z->v[i].name);
	free(z->v);
	free(z->path);
	free(z);
}

int zip_close(struct zip *z, uint64_t *size)
{
	int err = z->err ? z->err : central(z);

	if (fclose(z->f) && !err)
		err = errno ? errno : EIO;
	if (err)
		remove(z->path);
	else if (size)
		*size = z->pos;
	zip_free(z);
	return err;
}

void zip_abort(struct zip *z)
{
	if (!z)
		return;
	fclose(z->f);
	remove(z->path);
	zip_free(z);
}
