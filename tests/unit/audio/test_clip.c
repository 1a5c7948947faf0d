/* Teaching clips (audio_clip_wav): the frames from..to of a recording,
 * sample for sample, under a WAV header libsndfile reads back; a range
 * past the end is cut there; a bad range, a missing file, a file that is
 * not audio or a clip past the end are refused with the reason. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sndfile.h>
#include "audio/audio.h"

enum { RATE = 8000, SECONDS = 10 };

struct fixture {
	char dir[64], path[96], out[96];
};

/* Frame i holds i % 30000 on the left and -(i % 30000) on the right, so
 * any sample says which frame it came from. */
static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	SF_INFO info = {.samplerate = RATE, .channels = 2,
			.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16};
	short *pcm = malloc(2 * RATE * SECONDS * sizeof(*pcm));
	SNDFILE *sf;

	if (!f || !pcm)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/hotline-clip-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/call.wav", f->dir);
	snprintf(f->out, sizeof(f->out), "%s/clip.wav", f->dir);
	for (int i = 0; i < RATE * SECONDS; i++) {
		pcm[2 * i] = (short)(i % 30000);
		pcm[2 * i + 1] = (short)-(i % 30000);
	}
	sf = sf_open(f->path, SFM_WRITE, &info);
	if (!sf || sf_writef_short(sf, pcm, RATE * SECONDS) != RATE * SECONDS)
		return -1;
	sf_close(sf);
	free(pcm);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	unlink(f->path);
	unlink(f->out);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Writes the clip to f->out and reads it back through libsndfile. */
static short *read_back(struct fixture *f, const char *buf, size_t len,
			SF_INFO *info)
{
	FILE *o = fopen(f->out, "wb");
	SNDFILE *sf;
	short *pcm;

	assert_non_null(o);
	assert_int_equal(len, fwrite(buf, 1, len, o));
	fclose(o);
	*info = (SF_INFO){0};
	sf = sf_open(f->out, SFM_READ, info);
	assert_non_null(sf);
	pcm = malloc((size_t)info->frames * (size_t)info->channels *
		     sizeof(*pcm));
	assert_non_null(pcm);
	assert_int_equal(info->frames, sf_readf_short(sf, pcm, info->frames));
	sf_close(sf);
	return pcm;
}

static void clip_holds_exactly_the_frames_from_to(void **state)
{
	struct fixture *f = *state;
	char *buf = NULL, why[128];
	size_t len = 0;
	SF_INFO info;
	short *pcm;

	assert_int_equal(0, audio_clip_wav(f->path, 2500, 4000, &buf, &len,
					   why, sizeof(why)));
	assert_int_equal(44 + 12000 * 4, len);
	pcm = read_back(f, buf, len, &info);
	assert_int_equal(RATE, info.samplerate);
	assert_int_equal(2, info.channels);
	assert_int_equal(12000, info.frames);
	assert_int_equal(20000, pcm[0]);              /* frame 2.5 s * 8000 */
	assert_int_equal(-20000, pcm[1]);
	assert_int_equal(31999 % 30000, pcm[2 * 11999]);
	free(pcm);
	free(buf);
}

static void clip_past_the_end_is_cut_at_the_end(void **state)
{
	struct fixture *f = *state;
	char *buf = NULL, why[128];
	size_t len = 0;
	SF_INFO info;
	short *pcm;

	assert_int_equal(0, audio_clip_wav(f->path, 9000, 15000, &buf, &len,
					   why, sizeof(why)));
	pcm = read_back(f, buf, len, &info);
	assert_int_equal(8000, info.frames);
	assert_int_equal(72000 % 30000, pcm[0]);
	free(pcm);
	free(buf);
}

static void bad_ranges_and_files_are_refused_with_the_reason(void **state)
{
	struct fixture *f = *state;
	char *buf = NULL, why[128], junk[96];
	size_t len = 0;
	FILE *o;

	assert_int_equal(EINVAL, audio_clip_wav(f->path, 3000, 3000, &buf,
						&len, why, sizeof(why)));
	assert_int_equal(EINVAL, audio_clip_wav(f->path, 0,
			 AUDIO_CLIP_MAX_MS + 1, &buf, &len, why, sizeof(why)));
	assert_int_equal(EBADMSG, audio_clip_wav(f->path, 10000, 12000, &buf,
						 &len, why, sizeof(why)));
	assert_non_null(strstr(why, "past the end"));
	snprintf(junk, sizeof(junk), "%s/none.wav", f->dir);
	assert_int_equal(ENOENT, audio_clip_wav(junk, 0, 1000, &buf, &len,
						why, sizeof(why)));
	assert_non_null(strstr(why, "none.wav"));
	assert_null(strstr(why, f->dir));          /* no server directories */
	o = fopen(f->out, "w");
	assert_non_null(o);
	fputs("not a recording", o);
	fclose(o);
	assert_int_equal(EBADMSG, audio_clip_wav(f->out, 0, 1000, &buf, &len,
						 why, sizeof(why)));
	assert_null(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			clip_holds_exactly_the_frames_from_to, setup, teardown),
		cmocka_unit_test_setup_teardown(
			clip_past_the_end_is_cut_at_the_end, setup, teardown),
		cmocka_unit_test_setup_teardown(
			bad_ranges_and_files_are_refused_with_the_reason, setup,
			teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
