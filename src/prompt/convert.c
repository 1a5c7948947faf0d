/* prompt/convert: an upload becomes 8 kHz mono 16-bit. libsndfile reads
 * files, so the body goes to a temporary file first; media_wav_load_info
 * (media/wav.c) mixes the channels and resamples with the windowed-sinc
 * resampler text-to-speech already uses, so uploaded and spoken prompts
 * go through the same tested code. The header is checked first to say
 * precisely why an upload is refused. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sndfile.h>
#include "media/media.h"
#include "prompt/prompt.h"

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* What the header says, refused with the reason before decoding. */
static int check_header(const char *path, const char **why)
{
	SF_INFO info = {0};
	SNDFILE *sf = sf_open(path, SFM_READ, &info);
	int err = 0;

	if (!sf) {
		*why = "not an audio file (WAV, FLAC, Ogg, AIFF … expected)";
		return EBADMSG;
	}
	if (info.channels < 1 || info.samplerate < 1000) {
		*why = "not an audio file (no channels or a rate below 1000 Hz)";
		err = EBADMSG;
	} else if (info.frames <= 0) {
		*why = "the audio is empty";
		err = ENODATA;
	} else if (info.frames > (sf_count_t)PROMPT_MAX_S * info.samplerate) {
		*why = "the audio is longer than 10 minutes";
		err = EFBIG;
	}
	sf_close(sf);
	return err;
}

int prompt_convert(const void *buf, size_t len, const char *tmp_dir,
		   int16_t **pcmp, size_t *np, int *rate, int *channels,
		   const char **why)
{
	char path[PATH_MAX];
	struct media_wav_info wi = {0};
	int fd, err;

	*why = "cannot convert the audio";
	if (!buf || !len) {
		*why = "the body is empty";
		return ENODATA;
	}
	if (snprintf(path, sizeof(path), "%s/.upload-XXXXXX", tmp_dir) >=
	    (int)sizeof(path))
		return ENAMETOOLONG;
	fd = mkstemp(path);
	if (fd < 0)
		return errno;
	err = write_all(fd, buf, len);
	if (close(fd) && !err)
		err = errno;
	if (!err)
		err = check_header(path, why);
	if (!err) {
		err = media_wav_load_info(path, pcmp, np, &wi);
		if (err == EBADMSG)
			*why = "the audio cannot be decoded";
	}
	(void)unlink(path);
	if (!err) {
		*rate = wi.rate;
		*channels = wi.channels;
	}
	return err;
}

int prompt_file_save(const struct prompt_store *s, const char *name,
		     const int16_t *pcm, size_t n)
{
	char path[PATH_MAX];

	if (!prompt_name_ok(name) ||
	    snprintf(path, sizeof(path), "%s/%s.wav", prompt_dir(s), name) >=
	    (int)sizeof(path))
		return EINVAL;
	return media_wav_save(path, pcm, n);
}
