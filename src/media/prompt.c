/* media prompt: PCM shared by every leg that plays it. The count is atomic
 * because the last reference may be dropped on any media thread. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "media/engine_int.h"

int media_prompt_alloc(struct media_prompt **pp, const int16_t *pcm, size_t n)
{
	struct media_prompt *p;

	if (!pp || !pcm || !n)
		return EINVAL;
	p = malloc(sizeof(*p) + n * sizeof(int16_t));
	if (!p)
		return ENOMEM;
	atomic_init(&p->refs, 1);
	p->n = n;
	memcpy(p->pcm, pcm, n * sizeof(int16_t));
	*pp = p;
	return 0;
}

int media_prompt_load(struct media_prompt **pp, const char *path)
{
	int16_t *pcm = NULL;
	size_t n = 0;
	int err = media_wav_load(path, &pcm, &n);

	if (!err)
		err = media_prompt_alloc(pp, pcm, n);
	free(pcm);
	return err;
}

struct media_prompt *media_prompt_ref(struct media_prompt *p)
{
	if (p)
		atomic_fetch_add(&p->refs, 1);
	return p;
}

void media_prompt_unref(struct media_prompt *p)
{
	if (p && atomic_fetch_sub(&p->refs, 1) == 1)
		free(p);
}

uint32_t media_prompt_ms(const struct media_prompt *p)
{
	return p ? (uint32_t)(p->n * 1000 / MEDIA_RATE) : 0;
}

const int16_t *media_prompt_pcm(const struct media_prompt *p)
{
	return p->pcm;
}

size_t media_prompt_len(const struct media_prompt *p)
{
	return p->n;
}
