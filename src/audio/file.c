/* audio/file: a recording on disk through the meter, read a chunk at a
 * time so an hour's file costs the meter's frames, not the file's size. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sndfile.h>
#include "audio/audio.h"

enum { CHUNK = 8000 };               /* frames read at a time */

static int measure_open(SNDFILE *sf, const SF_INFO *info,
			struct audio_measures *out, char *why, size_t n)
{
	int16_t pcm[2 * CHUNK];          /* 32 kB */
	struct audio_meter *m;
	sf_count_t got;
	int err;

	if (info->channels != 2 ||
	    (info->samplerate != 8000 && info->samplerate != 16000)) {
		snprintf(why, n, "not a stereo 8 or 16 kHz recording "
			 "(%d channels, %d Hz)", info->channels,
			 info->samplerate);
		return EBADMSG;
	}
	err = audio_meter_alloc(&m, (unsigned)info->samplerate);
	if (err) {
		snprintf(why, n, "%s", strerror(err));
		return err;
	}
	while (!err && (got = sf_readf_short(sf, pcm, CHUNK)) > 0)
		err = audio_meter_feed(m, pcm, (size_t)got);
	if (!err && sf_error(sf)) {
		snprintf(why, n, "read failed: %s", sf_strerror(sf));
		err = EIO;
	} else if (err) {
		snprintf(why, n, "%s", strerror(err));
	} else {
		err = audio_meter_result(m, out);
		snprintf(why, n, "%s", err ? strerror(err) : "");
	}
	audio_meter_free(m);
	return err;
}

int audio_measure_file(const char *path, struct audio_measures *out,
		       char *why, size_t n)
{
	SF_INFO info = {0};
	struct stat st;
	SNDFILE *sf;
	int err;

	if (stat(path, &st)) {
		err = errno;
		snprintf(why, n, "%s", strerror(err));
		return err == ENOENT || err == ENOTDIR ? ENOENT : EIO;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, n, "not a file");
		return EBADMSG;
	}
	sf = sf_open(path, SFM_READ, &info);
	if (!sf) {
		snprintf(why, n, "not audio: %s", sf_strerror(NULL));
		return EBADMSG;
	}
	err = measure_open(sf, &info, out, why, n);
	sf_close(sf);
	return err;
}
