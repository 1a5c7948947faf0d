/* ivr/mod: the IVR's row for `hotline serve`. Flows name queues,
 * extensions and prompts that other modules own; the store asks them
 * through the house when a flow is saved (the queue host starts after the
 * calls that use flows, so it is asked late, by pointer, not copied). The
 * prompt store, started before us, is told which prompts our flows play,
 * so a prompt a flow plays is not deleted. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "base/mod.h"
#include "base/tz.h"
#include "ivr/ivr.h"
#include "prompt/prompt.h"
#include "queue/queue.h"
#include "route/route.h"

extern const struct mod_routes ivr_routes;

static bool has_queue(void *arg, const char *name)
{
	struct mod_house *h = arg;
	struct queue_qcfg q;

	if (!h->queues)
		return true;      /* not running yet: taken as written */
	return !queue_cfg_get(h->queues, name, &q);
}

static bool has_ext(void *arg, const char *ext)
{
	struct mod_house *h = arg;

	return route_ext_exists(h->route, ext);
}

static bool has_prompt(void *arg, const char *name)
{
	struct mod_house *h = arg;

	return !h->prompts || prompt_exists(h->prompts, name);
}

/* True when doc, anywhere, has the key "file" with the value name: that is
 * how a prompt object names an uploaded prompt (docs/ivr.md). */
static bool names_file(const json_t *doc, const char *name)
{
	const char *k;
	json_t *v;
	size_t i;

	if (json_is_array(doc)) {
		json_array_foreach(doc, i, v)
			if (names_file(v, name))
				return true;
		return false;
	}
	json_object_foreach((json_t *)doc, k, v) {
		if (!strcmp(k, "file") && json_is_string(v) &&
		    !strcmp(json_string_value(v), name))
			return true;
		if (names_file(v, name))
			return true;
	}
	return false;
}

struct finding {
	const char *prompt;
	char *flow;
	size_t n;
};

static int find_user(const struct ivr_store_item *it, void *arg)
{
	struct finding *f = arg;

	if (!names_file(ivr_flow_doc(it->flow), f->prompt))
		return 0;
	snprintf(f->flow, f->n, "%s", ivr_flow_name(it->flow));
	return 1;
}

/* The prompt store's user hook: does a current flow play name? */
static bool plays_prompt(void *arg, const char *name, char *flow, size_t n)
{
	struct mod_house *h = arg;
	struct finding f = {name, flow, n};

	return h->ivr && ivr_store_each(h->ivr, find_user, &f) == 1;
}

/* Zones flows name, read from the system's zone database the first time
 * a flow names one (a save or the start: never a call's first look), and
 * kept for the process's life: there are few. */
enum { ZONES_MAX = 32 };
static struct tz *zones[ZONES_MAX];
static size_t nzones;

static int tz_offset(void *arg, const char *name, int64_t utc_ms,
		     int32_t *off)
{
	struct tz *z = NULL;

	(void)arg;
	for (size_t i = 0; i < nzones; i++) {
		if (!strcmp(tz_name(zones[i]), name))
			z = zones[i];
	}
	if (!z) {
		if (nzones == ZONES_MAX || tz_load(&z, name))
			return ENOENT;
		zones[nzones++] = z;
	}
	*off = tz_offset_s(z, utc_ms / 1000);
	return 0;
}

static int start(struct mod_house *h, char *err, size_t n)
{
	struct ivr_env env = {
		.queue_exists = has_queue, .ext_exists = has_ext,
		.prompt_exists = has_prompt, .tz_offset = tz_offset, .arg = h,
	};
	int e = ivr_store_alloc(&h->ivr, h->db, &env);

	if (e)
		snprintf(err, n, "cannot load the IVR flows (%s)", strerror(e));
	else if (h->prompts)
		prompt_store_set_user(h->prompts, plays_prompt, h);
	return e;
}

static void stop(struct mod_house *h)
{
	if (h->prompts)
		prompt_store_set_user(h->prompts, NULL, NULL);
	ivr_store_free(h->ivr);
	h->ivr = NULL;
	while (nzones)
		tz_free(zones[--nzones]);
}

const struct mod_export ivr_module = {
	.name = "ivr", .start = start, .stop = stop, .routes = &ivr_routes,
};
