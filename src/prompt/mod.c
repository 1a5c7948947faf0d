/* prompt/mod: the prompt store's row for `hotline serve`. It starts
 * before the IVR, which asks it whether a flow's prompts exist; the IVR
 * in turn tells it, through the user hook, which prompts its flows play. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "base/mod.h"
#include "prompt/prompt.h"

extern const struct mod_routes prompt_routes;

static int start(struct mod_house *h, char *err, size_t n)
{
	int e = prompt_store_alloc(&h->prompts, h->db, h->pool, h->data_dir);

	if (e)
		snprintf(err, n, "cannot load the prompts (%s)", strerror(e));
	return e;
}

static void stop(struct mod_house *h)
{
	prompt_store_free(h->prompts);
	h->prompts = NULL;
}

const struct mod_export prompt_module = {
	.name = "prompt", .start = start, .stop = stop,
	.routes = &prompt_routes,
};
