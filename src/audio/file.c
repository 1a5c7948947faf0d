/* audio/file: recordings on disk through the meter, read a chunk at a
 * time so an hour's file costs the meter's frames, not the file's size.
 * A call's parts (a transferred call has one file per conversation) go
 * through one meter, one after the other, as if they were one recording.
 * A teaching clip (qa/'s coaching) is cut from a recording here too. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sndfile.h>
#include "audio/audio.h"

enum { CHUNK = 8000 };               /* frames read at a time */

/* The file's name alone: why is shown through the API, which has no
 * business with the server's directories. */
static const char *name_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Opens path for reading: ENOENT (none), EIO, EBADMSG (not audio). */
static int open_file(const char *path, SNDFILE **sfp, SF_INFO *info,
		     char *why, size_t n)
{
	struct stat st;
	int err;

	if (stat(path, &st)) {
		err = errno;
		snprintf(why, n, "%s: %s", name_of(path), strerror(err));
		return err == ENOENT || err == ENOTDIR ? ENOENT : EIO;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, n, "%s: not a file", name_of(path));
		return EBADMSG;
	}
	*info = (SF_INFO){0};
	*sfp = sf_open(path, SFM_READ, info);
	if (!*sfp) {
		snprintf(why, n, "%s: not audio: %s", name_of(path),
			 sf_strerror(NULL));
		return EBADMSG;
	}
	return 0;
}

/* Feeds one open file to *mp, making the meter at the first file's rate
 * (a later file must have it too). */
static int feed_file(SNDFILE *sf, const SF_INFO *info, const char *path,
		     enum audio_lang lang, struct audio_meter **mp, int *rate,
		     char *why, size_t n)
{
	int16_t pcm[2 * CHUNK];          /* 32 kB */
	sf_count_t got;
	int err = 0;

	if (info->channels != 2 ||
	    (info->samplerate != 8000 && info->samplerate != 16000) ||
	    (*rate && info->samplerate != *rate)) {
		snprintf(why, n, "%s: not a stereo 8 or 16 kHz recording "
			 "(%d channels, %d Hz)", name_of(path), info->channels,
			 info->samplerate);
		return EBADMSG;
	}
	if (!*mp) {
		err = audio_meter_alloc(mp, (unsigned)info->samplerate, lang);
		*rate = info->samplerate;
	}
	while (!err && (got = sf_readf_short(sf, pcm, CHUNK)) > 0)
		err = audio_meter_feed(*mp, pcm, (size_t)got);
	if (err) {
		snprintf(why, n, "%s", strerror(err));
	} else if (sf_error(sf)) {
		snprintf(why, n, "%s: read failed: %s", name_of(path),
			 sf_strerror(sf));
		err = EIO;
	}
	return err;
}

int audio_measure_files(const char *const *paths, size_t count,
			enum audio_lang lang, struct audio_measures *out,
			struct audio_timeline *tl, char *why, size_t n)
{
	struct audio_meter *m = NULL;
	int err = count ? 0 : EINVAL, rate = 0;

	if (tl)
		*tl = (struct audio_timeline){0};

	snprintf(why, n, "%s", count ? "" : "no file");
	for (size_t i = 0; i < count && !err; i++) {
		SF_INFO info;
		SNDFILE *sf;

		err = open_file(paths[i], &sf, &info, why, n);
		if (err)
			break;
		err = feed_file(sf, &info, paths[i], lang, &m, &rate, why, n);
		sf_close(sf);
	}
	if (!err) {
		err = audio_meter_result(m, out);
		if (!err && tl)
			err = audio_meter_timeline(m, tl);
		if (err)
			snprintf(why, n, "%s", strerror(err));
	}
	audio_meter_free(m);
	return err;
}

int audio_measure_file(const char *path, enum audio_lang lang,
		       struct audio_measures *out, char *why, size_t n)
{
	return audio_measure_files(&path, 1, lang, out, NULL, why, n);
}

/* The canonical 44-byte header of a 16-bit PCM WAV, little-endian. */
static void wav_header(uint8_t *h, unsigned rate, unsigned channels,
		       uint32_t data_len)
{
	const uint32_t v[] = {36 + data_len, 16, rate, rate * channels * 2,
			      data_len};
	uint8_t *p = h;

	memcpy(p, "RIFF", 4), p += 4;
	for (int i = 0; i < 4; i++)
		*p++ = (uint8_t)(v[0] >> (8 * i));
	memcpy(p, "WAVEfmt ", 8), p += 8;
	for (int i = 0; i < 4; i++)
		*p++ = (uint8_t)(v[1] >> (8 * i));
	*p++ = 1, *p++ = 0;                              /* PCM */
	*p++ = (uint8_t)channels, *p++ = 0;
	for (int k = 2; k <= 3; k++)
		for (int i = 0; i < 4; i++)
			*p++ = (uint8_t)(v[k] >> (8 * i));
	*p++ = (uint8_t)(channels * 2), *p++ = 0;        /* block align */
	*p++ = 16, *p++ = 0;                             /* bits */
	memcpy(p, "data", 4), p += 4;
	for (int i = 0; i < 4; i++)
		*p++ = (uint8_t)(v[4] >> (8 * i));
}

int audio_clip_wav(const char *path, uint64_t from_ms, uint64_t to_ms,
		   char **bufp, size_t *lenp, char *why, size_t n)
{
	SF_INFO info;
	SNDFILE *sf;
	sf_count_t first, last, frames;
	size_t len;
	char *buf;
	int err;

	snprintf(why, n, "%s", "");
	if (from_ms >= to_ms || to_ms - from_ms > AUDIO_CLIP_MAX_MS) {
		snprintf(why, n, "want 0 <= from < to, at most %d s",
			 AUDIO_CLIP_MAX_MS / 1000);
		return EINVAL;
	}
	err = open_file(path, &sf, &info, why, n);
	if (err)
		return err;
	first = (sf_count_t)(from_ms * (uint64_t)info.samplerate / 1000);
	last = (sf_count_t)(to_ms * (uint64_t)info.samplerate / 1000);
	if (last > info.frames)
		last = info.frames;
	if (info.channels < 1 || info.channels > 2 || first >= last ||
	    sf_seek(sf, first, SEEK_SET) != first) {
		snprintf(why, n, "%s: %s", name_of(path), first >= last ?
			 "the clip starts past the end of the recording" :
			 "cannot seek to the clip");
		sf_close(sf);
		return EBADMSG;
	}
	frames = last - first;
	len = 44 + (size_t)frames * (size_t)info.channels * 2;
	buf = malloc(len);
	if (!buf) {
		sf_close(sf);
		return ENOMEM;
	}
	/* 16-bit little-endian samples, as the hosts here store them */
	if (sf_readf_short(sf, (short *)(buf + 44), frames) != frames) {
		snprintf(why, n, "%s: read failed: %s", name_of(path),
			 sf_strerror(sf));
		free(buf);
		sf_close(sf);
		return EIO;
	}
	sf_close(sf);
	wav_header((uint8_t *)buf, (unsigned)info.samplerate,
		   (unsigned)info.channels, (uint32_t)(len - 44));
	*bufp = buf;
	*lenp = len;
	return 0;
}
