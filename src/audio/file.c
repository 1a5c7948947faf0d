/* audio/file: recordings on disk through the meter, read a chunk at a
 * time so an hour's file costs the meter's frames, not the file's size.
 * A call's parts (a transferred call has one file per conversation) go
 * through one meter, one after the other, as if they were one recording. */
#include <errno.h>
#include <stdio.h>
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
		     struct audio_meter **mp, int *rate, char *why, size_t n)
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
		err = audio_meter_alloc(mp, (unsigned)info->samplerate);
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
			struct audio_measures *out, char *why, size_t n)
{
	struct audio_meter *m = NULL;
	int err = count ? 0 : EINVAL, rate = 0;

	snprintf(why, n, "%s", count ? "" : "no file");
	for (size_t i = 0; i < count && !err; i++) {
		SF_INFO info;
		SNDFILE *sf;

		err = open_file(paths[i], &sf, &info, why, n);
		if (err)
			break;
		err = feed_file(sf, &info, paths[i], &m, &rate, why, n);
		sf_close(sf);
	}
	if (!err) {
		err = audio_meter_result(m, out);
		if (err)
			snprintf(why, n, "%s", strerror(err));
	}
	audio_meter_free(m);
	return err;
}

int audio_measure_file(const char *path, struct audio_measures *out,
		       char *why, size_t n)
{
	return audio_measure_files(&path, 1, out, why, n);
}
