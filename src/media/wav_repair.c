/* Recordings a crash cut short. The recorder rewrites a WAV's header every
 * few seconds (rec.c), so a process killed between two rewrites leaves a
 * header that covers less than the file holds, and players stop where the
 * header says. The samples are all there: this puts the file's true length
 * into the RIFF and data chunk sizes, dropping a last frame written only
 * in part. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "media/media.h"

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static int write_at(FILE *f, long off, uint32_t v)
{
	unsigned char b[4];

	put_le32(b, v);
	return fseek(f, off, SEEK_SET) || fwrite(b, 1, 4, f) != 4 ? EIO : 0;
}

int media_wav_repair(const char *path, struct media_wav_fix *fix)
{
	unsigned char h[12], ck[8], fmt[16];
	uint32_t align = 0, rate = 0;
	struct stat st;
	long pos = 12;
	FILE *f;
	int err = EBADMSG;

	if (!path || !fix)
		return EINVAL;
	memset(fix, 0, sizeof(*fix));
	f = fopen(path, "r+b");
	if (!f)
		return errno;
	if (fstat(fileno(f), &st) || st.st_size > UINT32_MAX ||
	    fread(h, 1, 12, f) != 12 || memcmp(h, "RIFF", 4) ||
	    memcmp(h + 8, "WAVE", 4))
		goto out;
	while (fseek(f, pos, SEEK_SET) == 0 && fread(ck, 1, 8, f) == 8) {
		uint32_t size = le32(ck + 4);
		long data = pos + 8;

		if (!memcmp(ck, "fmt ", 4) && size >= 16 &&
		    fread(fmt, 1, 16, f) == 16) {
			rate = le32(fmt + 4);
			align = (uint32_t)fmt[12] | (uint32_t)fmt[13] << 8;
		}
		if (memcmp(ck, "data", 4)) {
			pos = data + (long)size + (long)(size & 1);
			continue;
		}
		if (!align || !rate)
			goto out;
		uint64_t held = (uint64_t)(st.st_size - data) / align * align;

		fix->frames = held / align;
		fix->ms = fix->frames * 1000 / rate;
		fix->was_ms = (uint64_t)size / align * 1000 / rate;
		err = 0;
		if (size == held && le32(h + 4) == data + held - 8)
			goto out;
		fix->repaired = true;
		err = write_at(f, pos + 4, (uint32_t)held);
		err = err ? err : write_at(f, 4, (uint32_t)(data + held - 8));
		if (!err && fflush(f))
			err = EIO;
		if (!err && (uint64_t)st.st_size != data + held &&
		    ftruncate(fileno(f), (off_t)(data + held)))
			err = errno;
		goto out;
	}
out:
	if (fclose(f) && !err)
		err = EIO;
	return err;
}
