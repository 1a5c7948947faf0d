/* ivr/nodes: the table of node kinds, and the kinds that neither wait for
 * keys nor speak computed text: play, set, queue, transfer, voicemail,
 * hangup, subflow, return. The waiting kinds (menu, collect) are in
 * wait.c, branch, schedule and say in decide.c, the HTTP look-up in lookup.c.
 *
 * Each kind is a row: its parser reads the node's keys (refusing unknown
 * ones), its enter and event handlers run it. A new kind is a new row. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ivr/ivr_int.h"

extern const struct ivr_kind ivr_kind_menu, ivr_kind_collect,
	ivr_kind_http, ivr_kind_schedule, ivr_kind_say, ivr_kind_branch;

/* Refuses keys of o not in keys (NULL-ended); "kind" is always known. */
void ivr_cc_only(struct ivr_cc *cc, json_t *o, const char *const *keys)
{
	const char *k;
	json_t *v;

	json_object_foreach(o, k, v) {
		bool ok = !strcmp(k, "kind") || !strcmp(k, "description");

		(void)v;
		for (size_t i = 0; !ok && keys[i]; i++)
			ok = !strcmp(keys[i], k);
		if (!ok)
			ivr_cc_problem(cc, k, "unknown key for a %s node",
				       cc->node->kind->name);
	}
}

static void free_plain(void *p)
{
	free(p);
}

/* ---- play: a prompt, then next ---- */

struct play {
	struct ivr_prompt prompt;
	bool barge;
};

static void play_free(void *p)
{
	struct play *pl = p;

	ivr_prompt_free(&pl->prompt);
	free(pl);
}

static int play_parse(struct ivr_cc *cc, struct ivr_node *n, json_t *o)
{
	static const char *const keys[] = {"prompt", "barge", "next", NULL};
	struct play *pl = calloc(1, sizeof(*pl));

	if (!(n->p = pl))
		return ENOMEM;
	ivr_cc_only(cc, o, keys);
	(void)ivr_cc_prompt(cc, o, "prompt", true, &pl->prompt);
	pl->barge = ivr_cc_bool(cc, o, "barge", true);
	ivr_cc_next(cc, o, "next", "next", true);
	return 0;
}

static enum ivr_step play_enter(struct ivr_run *r, struct ivr_out *out)
{
	const struct play *pl = ivr_node_now(r)->p;

	/* The caller is ahead of us: a key typed during an earlier prompt
	 * skips what may be skipped. */
	if (pl->barge && r->ahead[0])
		return ivr_go(r, "next");
	ivr_play(r, out, &pl->prompt);
	return IVR_STAY;
}

static enum ivr_step play_event(struct ivr_run *r, const struct ivr_in *in,
				struct ivr_out *out)
{
	const struct play *pl = ivr_node_now(r)->p;
	enum ivr_step st;

	if (in->kind == IVR_IN_PLAYED)
		return ivr_go(r, "next");
	if (in->kind != IVR_IN_KEY || !pl->barge)
		return IVR_STAY;
	st = ivr_key_ahead(r, in->key, out);
	return st == IVR_STAY ? ivr_go(r, "next") : st;
}

static const struct ivr_kind kind_play = {
	.name = "play", .doc = "plays a prompt (text or an uploaded file), "
	"then goes on; a key cuts it short when barge is on",
	.parse = play_parse, .free = play_free,
	.enter = play_enter, .event = play_event,
};

/* ---- set: variables and call data ---- */

struct assign {
	char *section, *key;      /* section NULL: a variable named key */
	char *tpl;
};

struct set {
	struct assign *v;
	unsigned n;
};

static void set_free(void *p)
{
	struct set *s = p;

	for (unsigned i = 0; i < s->n; i++) {
		free(s->v[i].section);
		free(s->v[i].key);
		free(s->v[i].tpl);
	}
	free(s->v);
	free(s);
}

static int set_add(struct ivr_cc *cc, struct set *s, const char *section,
		   const char *key, const char *path, json_t *v,
		   struct ivr_vset *sets)
{
	struct assign *a;
	char name[IVR_NAME_MAX * 2];
	uint64_t before;
	int i;

	if (!json_is_string(v)) {
		ivr_cc_problem(cc, path, "expected text");
		return 0;
	}
	if (!(a = realloc(s->v, (s->n + 1) * sizeof(*a))))
		return ENOMEM;
	s->v = a;
	a = &s->v[s->n++];
	a->section = section ? strdup(section) : NULL;
	a->key = strdup(key);
	a->tpl = strdup(json_string_value(v));
	if (!a->key || !a->tpl || (section && !a->section))
		return ENOMEM;
	/* Assignments run in order: one may read what an earlier one set. */
	before = cc->node->reads.bits;
	ivr_cc_template(cc, path, a->tpl);
	cc->node->reads.bits = before |
		(cc->node->reads.bits & ~before & ~sets->bits);
	/* Data whose names are plain words can be read as "data.S.K". */
	if (section)
		snprintf(name, sizeof(name), "data.%s.%s", section, key);
	else
		snprintf(name, sizeof(name), "%s", key);
	if (strlen(name) < IVR_NAME_MAX && strspn(name, "abcdefghijklmnopqrs"
	    "tuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.") == strlen(name) &&
	    !ivr_builtin(name) && (i = ivr_cc_var(cc, path, name)) >= 0)
		sets->bits |= 1ull << i;
	else if (!section)
		ivr_cc_problem(cc, path, "\"%s\" cannot be a variable", key);
	return 0;
}

static int set_parse(struct ivr_cc *cc, struct ivr_node *n, json_t *o)
{
	static const char *const keys[] = {"vars", "data", "next", NULL};
	struct set *s = calloc(1, sizeof(*s));
	json_t *vars = json_object_get(o, "vars");
	json_t *data = json_object_get(o, "data"), *v, *kv;
	struct ivr_vset sets = {0};
	const char *k, *kk;
	char path[IVR_PATH_MAX];
	int err = 0;

	if (!(n->p = s))
		return ENOMEM;
	ivr_cc_only(cc, o, keys);
	if ((vars && !json_is_object(vars)) || (data && !json_is_object(data)) ||
	    (!vars && !data)) {
		ivr_cc_problem(cc, NULL, "give vars {name: text} and/or data "
			       "{section: {key: text}}");
	}
	json_object_foreach(json_is_object(vars) ? vars : NULL, k, v) {
		snprintf(path, sizeof(path), "vars.%s", k);
		if (!err)
			err = set_add(cc, s, NULL, k, path, v, &sets);
	}
	json_object_foreach(json_is_object(data) ? data : NULL, k, v) {
		if (!json_is_object(v)) {
			snprintf(path, sizeof(path), "data.%s", k);
			ivr_cc_problem(cc, path, "expected {key: text}");
			continue;
		}
		json_object_foreach(v, kk, kv) {
			snprintf(path, sizeof(path), "data.%s.%s", k, kk);
			if (!err)
				err = set_add(cc, s, k, kk, path, kv, &sets);
		}
	}
	if (json_object_get(o, "next")) {
		struct ivr_exit *e;

		ivr_cc_next(cc, o, "next", "next", true);
		e = n->nexits ? &n->exits[n->nexits - 1] : NULL;
		if (e && !strcmp(e->name, "next"))
			e->sets = sets;
	} else {
		ivr_cc_problem(cc, "next", "required");
	}
	return err;
}

static enum ivr_step set_enter(struct ivr_run *r, struct ivr_out *out)
{
	const struct set *s = ivr_node_now(r)->p;
	char buf[IVR_VALUE_MAX];

	(void)out;
	for (unsigned i = 0; i < s->n; i++) {
		const struct assign *a = &s->v[i];
		int err = ivr_expand(r, a->tpl, buf, sizeof(buf), IVR_ESC_NONE);

		if (err == ENOENT)
			return IVR_FAIL;
		if (a->section)
			err = ivr_data_set(r, a->section, a->key, buf);
		else
			err = ivr_set(r, a->key, buf);
		if (err)
			return ivr_fail(r, "out of memory");
	}
	return ivr_go(r, "next");
}

static const struct ivr_kind kind_set = {
	.name = "set", .doc = "sets variables and call-associated data "
	"(section/key) from text with {variables}",
	.parse = set_parse, .free = set_free, .enter = set_enter,
};

/* ---- where the call leaves the flow ---- */

struct dest {
	enum ivr_end end;
	char target[IVR_NAME_MAX];
	int32_t priority;
	uint32_t skill;
	struct ivr_prompt prompt;     /* hangup: said before */
};

static void dest_free(void *p)
{
	struct dest *d = p;

	ivr_prompt_free(&d->prompt);
	free(d);
}

static int queue_parse(struct ivr_cc *cc, struct ivr_node *n, json_t *o)
{
	static const char *const keys[] = {"queue", "priority", "skill", NULL};
	struct dest *d = calloc(1, sizeof(*d));
	const char *q;
	int64_t v;

	if (!(n->p = d))
		return ENOMEM;
	ivr_cc_only(cc, o, keys);
	d->end = IVR_END_QUEUE;
	q = ivr_cc_str(cc, o, "queue", true, IVR_NAME_MAX - 1);
	if (q && cc->env && cc->env->queue_exists &&
	    !cc->env->queue_exists(cc->env->arg, q))
		ivr_cc_problem(cc, "queue", "no queue \"%s\"", q);
	if (q)
		snprintf(d->target, sizeof(d->target), "%s", q);
	if (ivr_cc_int(cc, o, "priority", false, 0, 100, 0, &v))
		d->priority = (int32_t)v;
	if (ivr_cc_int(cc, o, "skill", false, 0, 31, 0, &v) && v)
		d->skill = (uint32_t)v;
	return 0;
}

static bool digits_only(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

static int transfer_parse(struct ivr_cc *cc, struct ivr_node *n, json_t *o)
{
	static const char *const keys[] = {"extension", NULL};
	struct dest *d = calloc(1, sizeof(*d));
	const char *x;

	if (!(n->p = d))
		return ENOMEM;
	ivr_cc_only(cc, o, keys);
	d->end = IVR_END_TRANSFER;
	x = ivr_cc_str(cc, o, "extension", true, 15);
	if (x && (!digits_only(x) || (cc->env && cc->env->ext_exists &&
				      !cc->env->ext_exists(cc->env->arg, x))))
		ivr_cc_problem(cc, "extension", "no extension \"%s\"", x);
	if (x)
		snprintf(d->target, sizeof(d->target), "%s", x);
	return 0;
}

static int voicemail_parse(struct ivr_cc *cc, struct ivr_node *n, json_t *o)
{
	static const char *const keys[] = {"box", NULL};
	struct dest *d = calloc(1, sizeof(*d));
	const char *x;

	if (!(n->p = d))
		return ENOMEM;
	ivr_cc_only(cc, o, keys);
	d->end = IVR_END_VOICEMAIL;
	x = ivr_cc_str(cc, o, "box", true, 15);
	if (x && !digits_only(x))
		ivr_cc_problem(cc, "box", "a mailbox is digits");
	if (x)
		snprintf(d->target, sizeof(d->target), "%s", x);
	return 0;
}

static int hangup_parse(struct ivr_cc *cc, struct ivr_node *n, json_t *o)
{
	static const char *const keys[] = {"prompt", NULL};
	struct dest *d = calloc(1, sizeof(*d));

	if (!(n->p = d))
		return ENOMEM;
	ivr_cc_only(cc, o, keys);
	d->end = IVR_END_HANGUP;
	(void)ivr_cc_prompt(cc, o, "prompt", false, &d->prompt);
	return 0;
}

static enum ivr_step dest_done(struct ivr_run *r, struct ivr_out *out)
{
	const struct dest *d = ivr_node_now(r)->p;

	out->end = d->end;
	out->target = d->target[0] ? d->target : NULL;
	out->priority = d->priority;
	out->skill = d->skill;
	r->exit = NULL;
	return IVR_DONE;
}

static enum ivr_step hangup_enter(struct ivr_run *r, struct ivr_out *out)
{
	const struct dest *d = ivr_node_now(r)->p;

	if (!d->prompt.text && !d->prompt.file)
		return dest_done(r, out);
	ivr_play(r, out, &d->prompt);
	return IVR_STAY;
}

static enum ivr_step hangup_event(struct ivr_run *r, const struct ivr_in *in,
				  struct ivr_out *out)
{
	if (in->kind == IVR_IN_PLAYED)
		return dest_done(r, out);
	return IVR_STAY;
}

static const struct ivr_kind kind_queue = {
	.name = "queue", .doc = "hands the caller to a queue, with a "
	"priority (0-100, higher first) and a required skill (0-31)",
	.parse = queue_parse, .free = dest_free, .enter = dest_done,
};
static const struct ivr_kind kind_transfer = {
	.name = "transfer", .doc = "rings an extension",
	.parse = transfer_parse, .free = dest_free, .enter = dest_done,
};
static const struct ivr_kind kind_voicemail = {
	.name = "voicemail", .doc = "the caller leaves a message in a "
	"mailbox, kept with the call and listed for call-back",
	.parse = voicemail_parse, .free = dest_free, .enter = dest_done,
};
static const struct ivr_kind kind_hangup = {
	.name = "hangup", .doc = "says an optional goodbye and hangs up",
	.parse = hangup_parse, .free = dest_free,
	.enter = hangup_enter, .event = hangup_event,
};

/* ---- sub-flows ---- */

struct sub {
	char flow[IVR_NAME_MAX];
};

static int subflow_parse(struct ivr_cc *cc, struct ivr_node *n, json_t *o)
{
	static const char *const keys[] = {"flow", "next", NULL};
	struct sub *s = calloc(1, sizeof(*s));
	const char *x;

	if (!(n->p = s))
		return ENOMEM;
	ivr_cc_only(cc, o, keys);
	x = ivr_cc_str(cc, o, "flow", true, IVR_NAME_MAX - 1);
	if (x && cc->env && cc->env->flow_exists &&
	    !cc->env->flow_exists(cc->env->arg, x))
		ivr_cc_problem(cc, "flow", "no flow \"%s\"", x);
	if (x)
		snprintf(s->flow, sizeof(s->flow), "%s", x);
	ivr_cc_next(cc, o, "next", "next", true);
	return 0;
}

static enum ivr_step subflow_enter(struct ivr_run *r, struct ivr_out *out)
{
	const struct sub *s = ivr_node_now(r)->p;

	out->want_flow = s->flow;
	return IVR_STAY;
}

static enum ivr_step subflow_event(struct ivr_run *r, const struct ivr_in *in,
				   struct ivr_out *out)
{
	const struct sub *s = ivr_node_now(r)->p;
	enum ivr_step st;

	/* Keys while the flow is fetched are for the sub-flow's first menu. */
	if (in->kind == IVR_IN_KEY)
		return ivr_key_ahead(r, in->key, out);
	if (in->kind != IVR_IN_FLOW)
		return IVR_STAY;
	if (!in->flow)
		return ivr_fail(r, "no flow \"%s\"", s->flow);
	(void)ivr_push(r, in->flow, out, &st);
	return st;
}

static int return_parse(struct ivr_cc *cc, struct ivr_node *n, json_t *o)
{
	static const char *const keys[] = {NULL};

	(void)n;
	ivr_cc_only(cc, o, keys);
	return 0;
}

static enum ivr_step return_enter(struct ivr_run *r, struct ivr_out *out)
{
	if (r->depth > 1)
		return ivr_pop(r, out);
	out->end = IVR_END_HANGUP;
	r->exit = "hangup";
	return IVR_DONE;
}

static const struct ivr_kind kind_subflow = {
	.name = "subflow", .doc = "runs another flow (its current version), "
	"then goes on at next when it returns",
	.parse = subflow_parse, .free = free_plain,
	.enter = subflow_enter, .event = subflow_event,
};
static const struct ivr_kind kind_return = {
	.name = "return", .doc = "ends a sub-flow (back to the flow that ran "
	"it); in a flow run from a number, hangs up",
	.parse = return_parse, .enter = return_enter,
};

/* ---- the table ---- */

const struct ivr_kind *const ivr_kinds[] = {
	&kind_play,
	&ivr_kind_menu,
	&ivr_kind_collect,
	&ivr_kind_say,
	&kind_set,
	&ivr_kind_branch,
	&ivr_kind_schedule,
	&ivr_kind_http,
	&kind_queue,
	&kind_transfer,
	&kind_voicemail,
	&kind_subflow,
	&kind_return,
	&kind_hangup,
};
const size_t ivr_kinds_n = sizeof(ivr_kinds) / sizeof(*ivr_kinds);

const struct ivr_kind *ivr_kind_find(const char *name)
{
	for (size_t i = 0; name && i < ivr_kinds_n; i++) {
		if (!strcmp(ivr_kinds[i]->name, name))
			return ivr_kinds[i];
	}
	return NULL;
}

void ivr_kinds_each(void (*h)(const char *kind, const char *doc, void *arg),
		    void *arg)
{
	for (size_t i = 0; i < ivr_kinds_n; i++)
		h(ivr_kinds[i]->name, ivr_kinds[i]->doc, arg);
}
