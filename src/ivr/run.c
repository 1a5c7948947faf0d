/* ivr/run: the interpreter. A run is a stack of frames (a flow and the
 * node it is at; a sub-flow pushes one), the call's variables and data,
 * and the state of the node it waits in.
 *
 * Each feed hands the event to the node it is at; the node answers STAY
 * (waiting: for a key, a prompt's end, a timer or a look-up), GO (leave by
 * an exit), DONE (the call leaves the flow) or FAIL. GO enters the next
 * node at once, so one event may walk several nodes (set, branch, …) until
 * one waits; more than IVR_STEPS_MAX of them in one event is a loop and
 * takes the error path. Leaving a node tells the visit hook (analytics). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ivr/ivr_int.h"

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

int ivr_run_alloc(struct ivr_run **rp, struct ivr_flow *f,
		  const struct ivr_caller *who, ivr_visit_h *visit, void *arg)
{
	struct ivr_run *r = calloc(1, sizeof(*r));

	if (!r)
		return ENOMEM;
	r->stack[0].f = ivr_flow_ref(f);
	r->stack[0].node = f->start;
	r->depth = 1;
	r->who_buf[0] = dup_or_null(who ? who->caller : NULL);
	r->who_buf[1] = dup_or_null(who ? who->did : NULL);
	r->who_buf[2] = dup_or_null(who ? who->call_id : NULL);
	r->who_buf[3] = dup_or_null(who ? who->province : NULL);
	r->who_buf[4] = dup_or_null(who ? who->city : NULL);
	r->visith = visit;
	r->arg = arg;
	*rp = r;
	return 0;
}

void ivr_run_free(struct ivr_run *r)
{
	if (!r)
		return;
	for (unsigned i = 0; i < r->depth; i++)
		ivr_flow_unref(r->stack[i].f);
	for (unsigned i = 0; i < 5; i++)
		free(r->who_buf[i]);
	for (unsigned i = 0; i < r->ndata; i++) {
		free(r->data[i].section);
		free(r->data[i].key);
		free(r->data[i].value);
	}
	free(r->data);
	free(r->vars);
	free(r);
}

uint64_t ivr_run_steps(const struct ivr_run *r)
{
	return r->steps;
}

/* ---- variables and data ---- */

static struct ivr_var *var_find(const struct ivr_run *r, const char *name)
{
	for (unsigned i = 0; i < r->nvars; i++) {
		if (!strcmp(r->vars[i].name, name))
			return &r->vars[i];
	}
	return NULL;
}

const char *ivr_run_var(const struct ivr_run *r, const char *name)
{
	struct ivr_var *v = var_find(r, name);

	return v ? v->value : NULL;
}

int ivr_set(struct ivr_run *r, const char *name, const char *value)
{
	struct ivr_var *v = var_find(r, name);

	if (!v) {
		if (r->nvars == r->capvars) {
			unsigned cap = r->capvars ? r->capvars * 2 : 8;
			struct ivr_var *n = realloc(r->vars, cap * sizeof(*n));

			if (!n)
				return ENOMEM;
			r->vars = n;
			r->capvars = cap;
		}
		v = &r->vars[r->nvars++];
		snprintf(v->name, sizeof(v->name), "%s", name);
	}
	snprintf(v->value, sizeof(v->value), "%s", value);
	return 0;
}

int ivr_data_set(struct ivr_run *r, const char *section, const char *key,
		 const char *value)
{
	struct ivr_data *d = NULL;
	char *nv;

	for (unsigned i = 0; i < r->ndata; i++) {
		if (!strcmp(r->data[i].section, section) &&
		    !strcmp(r->data[i].key, key))
			d = &r->data[i];
	}
	if (!(nv = strdup(value)))
		return ENOMEM;
	if (d) {
		free(d->value);
		d->value = nv;
		return 0;
	}
	if (r->ndata == r->capdata) {
		unsigned cap = r->capdata ? r->capdata * 2 : 4;
		struct ivr_data *n = realloc(r->data, cap * sizeof(*n));

		if (!n) {
			free(nv);
			return ENOMEM;
		}
		r->data = n;
		r->capdata = cap;
	}
	d = &r->data[r->ndata];
	d->section = strdup(section);
	d->key = strdup(key);
	d->value = nv;
	if (!d->section || !d->key) {
		free(d->section);
		free(d->key);
		free(nv);
		return ENOMEM;
	}
	r->ndata++;
	return 0;
}

int ivr_run_data_each(const struct ivr_run *r,
		      int (*h)(const char *section, const char *key,
			       const char *value, void *arg), void *arg)
{
	for (unsigned i = 0; i < r->ndata; i++) {
		int err = h(r->data[i].section, r->data[i].key,
			    r->data[i].value, arg);
		if (err)
			return err;
	}
	return 0;
}

/* "Section.Key" of the call data. */
static const char *data_var(const struct ivr_run *r, const char *sk)
{
	const char *dot = strchr(sk, '.');

	for (unsigned i = 0; dot && i < r->ndata; i++) {
		if (strlen(r->data[i].section) == (size_t)(dot - sk) &&
		    !strncmp(r->data[i].section, sk, (size_t)(dot - sk)) &&
		    !strcmp(r->data[i].key, dot + 1))
			return r->data[i].value;
	}
	return NULL;
}

/* The time built-ins, in the flow's zone. */
static const char *time_var(struct ivr_run *r, const char *name)
{
	const struct ivr_flow *f = ivr_top(r)->f;
	int32_t off = 0;
	time_t t;
	struct tm tm;

	if (f->env && f->env->tz_offset && strcmp(f->tz, "UTC"))
		(void)f->env->tz_offset(f->env->arg, f->tz, r->now, &off);
	t = (time_t)(r->now / 1000 + off);
	gmtime_r(&t, &tm);
	if (!strcmp(name, "hour"))
		snprintf(r->tmp, sizeof(r->tmp), "%d", tm.tm_hour);
	else if (!strcmp(name, "minute"))
		snprintf(r->tmp, sizeof(r->tmp), "%d", tm.tm_min);
	else if (!strcmp(name, "weekday"))   /* 1 Monday … 7 Sunday */
		snprintf(r->tmp, sizeof(r->tmp), "%d",
			 tm.tm_wday ? tm.tm_wday : 7);
	else if (!strcmp(name, "date"))
		snprintf(r->tmp, sizeof(r->tmp), "%04d-%02d-%02d",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	else if (!strcmp(name, "hhmm"))
		snprintf(r->tmp, sizeof(r->tmp), "%02d:%02d", tm.tm_hour,
			 tm.tm_min);
	else
		return NULL;
	return r->tmp;
}

const char *ivr_get(struct ivr_run *r, const char *name)
{
	static const char *const who[] = {"caller", "did", "call_id",
					  "province", "city"};

	for (unsigned i = 0; i < 5; i++) {
		if (!strcmp(name, who[i]))
			return r->who_buf[i] ? r->who_buf[i] : "";
	}
	if (!strcmp(name, "digits"))
		return r->last_digits;
	if (!strncmp(name, "time.", 5))
		return time_var(r, name + 5);
	if (!strncmp(name, "data.", 5))
		return data_var(r, name + 5);
	return ivr_run_var(r, name);
}

static void put_json_escaped(char **o, char *end, const char *s)
{
	for (; *s && *o < end; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			if (*o + 2 > end)
				break;
			*(*o)++ = '\\';
			*(*o)++ = (char)c;
		} else if (c < 0x20) {
			if (*o + 6 > end)
				break;
			*o += snprintf(*o, 7, "\\u%04x", c);
		} else {
			*(*o)++ = (char)c;
		}
	}
}

static void put_url_escaped(char **o, char *end, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s && *o < end; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c)) {
			*(*o)++ = (char)c;
		} else {
			if (*o + 3 > end)
				break;
			*(*o)++ = '%';
			*(*o)++ = hex[c >> 4];
			*(*o)++ = hex[c & 15];
		}
	}
}

int ivr_expand(struct ivr_run *r, const char *tpl, char *buf, size_t n,
	       enum ivr_esc esc)
{
	char *o = buf, *end = buf + n - 1;
	const char *p = tpl;

	while (*p && o < end) {
		const char *e;
		char name[IVR_NAME_MAX];
		const char *v;
		size_t len;

		if (*p != '{' || !(e = strchr(p, '}'))) {
			*o++ = *p++;
			continue;
		}
		len = (size_t)(e - p - 1);
		if (len >= sizeof(name))
			len = sizeof(name) - 1;
		memcpy(name, p + 1, len);
		name[len] = '\0';
		if (!(v = ivr_get(r, name))) {
			*o = '\0';
			snprintf(r->why, sizeof(r->why), "\"%s\" is not set",
				 name);
			return ENOENT;
		}
		if (esc == IVR_ESC_JSON) {
			put_json_escaped(&o, end, v);
		} else if (esc == IVR_ESC_URL) {
			put_url_escaped(&o, end, v);
		} else {
			len = strlen(v);
			if (len > (size_t)(end - o))
				len = (size_t)(end - o);
			memcpy(o, v, len);
			o += len;
		}
		p = e + 1;
	}
	*o = '\0';
	return *p ? ENOSPC : 0;
}

/* ---- helpers for the nodes ---- */

enum ivr_step ivr_go(struct ivr_run *r, const char *exit)
{
	r->exit = exit;
	return IVR_GO;
}

enum ivr_step ivr_fail(struct ivr_run *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
	return IVR_FAIL;
}

void ivr_play(struct ivr_run *r, struct ivr_out *out,
	      const struct ivr_prompt *p)
{
	out->play = true;
	out->prompt = *p;
	if (!out->prompt.voice)
		out->prompt.voice = ivr_top(r)->f->voice;
	if (p->text && strchr(p->text, '{')) {
		/* Checked at compile time: every name is set by now. */
		if (ivr_expand(r, p->text, r->text, sizeof(r->text),
			       IVR_ESC_NONE) ==
		    ENOENT)
			r->text[0] = '\0';
		out->prompt.text = r->text;
	}
	r->playing = true;
}

char ivr_ahead_take(struct ivr_run *r)
{
	char k = r->ahead[0];

	if (k)
		memmove(r->ahead, r->ahead + 1, sizeof(r->ahead) - 1);
	return k;
}

enum ivr_step ivr_key_ahead(struct ivr_run *r, char key, struct ivr_out *out)
{
	size_t n;

	if (ivr_is_agent_key(r, key))
		return ivr_to_agent(r, out);
	n = strlen(r->ahead);
	if (n + 1 < sizeof(r->ahead))
		r->ahead[n] = key;
	return IVR_STAY;
}

void ivr_digit_note(struct ivr_run *r, char key)
{
	if (r->ndigits < IVR_DIGITS_MAX) {
		r->digits[r->ndigits++] = key;
		r->digits[r->ndigits] = '\0';
	}
}

/* The innermost flow that names an agent (按键转人工). */
static const struct ivr_flow *agent_flow(const struct ivr_run *r)
{
	for (unsigned i = r->depth; i > 0; i--) {
		if (r->stack[i - 1].f->agent_queue[0])
			return r->stack[i - 1].f;
	}
	return NULL;
}

bool ivr_is_agent_key(const struct ivr_run *r, char key)
{
	const struct ivr_flow *f = agent_flow(r);

	return f && f->agent_key && f->agent_key == key;
}

enum ivr_step ivr_to_agent(struct ivr_run *r, struct ivr_out *out)
{
	const struct ivr_flow *f = agent_flow(r);

	if (!f) {
		out->end = IVR_END_HANGUP;
		r->exit = "hangup";
		return IVR_DONE;
	}
	out->end = IVR_END_QUEUE;
	out->target = f->agent_queue;
	out->priority = f->agent_priority;
	r->exit = "agent";
	return IVR_DONE;
}

/* ---- driving ---- */

static void leave(struct ivr_run *r, const char *exit)
{
	const struct ivr_frame *fr = ivr_top(r);
	const struct ivr_node *n = &fr->f->nodes[fr->node];
	struct ivr_visit v = {
		.flow = fr->f->name, .version = fr->f->version,
		.node = n->id, .kind = n->kind->name,
		.entered_ms = r->entered, .left_ms = r->now,
		.exit = exit, .digits = r->digits, .retries = r->retries,
	};

	/* A node that failed was told with "error": the end its failure
	 * leads to (an agent, a hang-up) is not a second visit. */
	if (r->told)
		return;
	r->told = true;
	if (r->visith)
		r->visith(&v, r->arg);
}

static void node_reset(struct ivr_run *r)
{
	r->entered = r->now;
	r->told = false;
	r->ndigits = 0;
	r->digits[0] = '\0';
	r->retries = r->timeouts = r->invalids = 0;
	r->phase = 0;
	r->deadline = 0;
	r->ngot = 0;
	r->got[0] = '\0';
}

/* Drops the innermost frame: the node that ran the sub-flow is current
 * again, its visit spanning the sub-flow. */
static void pop_frame(struct ivr_run *r)
{
	ivr_flow_unref(ivr_top(r)->f);
	r->depth--;
	node_reset(r);
	r->entered = ivr_top(r)->entered;
}

/* The call leaves every sub-flow by exit: each node that ran one is
 * told too. */
static void unwind(struct ivr_run *r, const char *exit)
{
	while (r->depth > 1) {
		pop_frame(r);
		leave(r, exit);
	}
}

/* The call left the IVR from inside a sub-flow: the subflow nodes that led
 * there end by the same exit. Unlike unwind() their flows stay held, since
 * the run's answer points into them until the run is freed. */
static void tell_outer(struct ivr_run *r, const char *exit)
{
	for (unsigned d = r->depth - 1; d > 0; d--) {
		const struct ivr_frame *fr = &r->stack[d - 1];
		const struct ivr_node *n = &fr->f->nodes[fr->node];
		struct ivr_visit v = {
			.flow = fr->f->name, .version = fr->f->version,
			.node = n->id, .kind = n->kind->name,
			.entered_ms = fr->entered, .left_ms = r->now,
			.exit = exit, .digits = "",
		};

		if (r->visith)
			r->visith(&v, r->arg);
	}
}

static const struct ivr_exit *exit_find(const struct ivr_node *n,
					const char *name)
{
	for (unsigned i = 0; i < n->nexits; i++) {
		if (!strcmp(n->exits[i].name, name))
			return &n->exits[i];
	}
	return NULL;
}

static enum ivr_step enter(struct ivr_run *r, uint16_t node,
			   struct ivr_out *out)
{
	ivr_top(r)->node = node;
	node_reset(r);
	r->steps++;
	return ivr_node_now(r)->kind->enter(r, out);
}

/* A failure: the flow's error node (once: a failure there goes to an
 * agent), else an agent, else hang up. */
static enum ivr_step fail(struct ivr_run *r, struct ivr_out *out)
{
	struct ivr_frame *fr;

	leave(r, "error");
	if (r->playing) {
		out->stop = true;
		r->playing = false;
	}
	unwind(r, "error");
	fr = ivr_top(r);
	if (fr->f->on_error != IVR_NONE && !r->failed) {
		r->failed = true;
		return enter(r, fr->f->on_error, out);
	}
	return ivr_to_agent(r, out);
}

static enum ivr_step go(struct ivr_run *r, struct ivr_out *out)
{
	const struct ivr_node *n = ivr_node_now(r);
	const struct ivr_exit *e = exit_find(n, r->exit);

	if (!e || e->to == IVR_NONE)
		return ivr_fail(r, "node %s has no exit \"%s\"", n->id,
				r->exit);
	leave(r, r->exit);
	if (r->playing) {
		out->stop = true;
		r->playing = false;
	}
	return enter(r, e->to, out);
}

/* Runs steps until the run waits or is over. */
static void drive(struct ivr_run *r, enum ivr_step st, struct ivr_out *out)
{
	unsigned steps = 0;
	const char *exit;

	for (;;) {
		if (++steps > IVR_STEPS_MAX && st == IVR_GO)
			st = ivr_fail(r, "more than %d steps without waiting",
				      IVR_STEPS_MAX);
		switch (st) {
		case IVR_STAY:
			out->timer_at = r->deadline;
			return;
		case IVR_GO:
			st = go(r, out);
			break;
		case IVR_FAIL:
			/* The error path gets its own allowance: a spin
			 * must not cut short the "sorry" that follows. */
			steps = 0;
			st = fail(r, out);
			break;
		case IVR_DONE:
			/* The call leaves the flow: what it was hearing stops
			 * (an agent key during a prompt). */
			if (r->playing) {
				out->stop = true;
				r->playing = false;
			}
			exit = r->exit ? r->exit : ivr_node_now(r)->kind->name;
			leave(r, exit);
			tell_outer(r, exit);
			r->over = true;
			out->timer_at = 0;
			return;
		}
	}
}

/* Keys the node does not take itself: the agent key, else nothing. */
static int feed_key(struct ivr_run *r, const struct ivr_in *in,
		    struct ivr_out *out)
{
	const struct ivr_kind *k = ivr_node_now(r)->kind;

	ivr_digit_note(r, in->key);
	if (!k->event)
		return EINVAL;
	drive(r, k->event(r, in, out), out);
	return 0;
}

int ivr_run_feed(struct ivr_run *r, const struct ivr_in *in,
		 struct ivr_out *out)
{
	const struct ivr_kind *k;

	memset(out, 0, sizeof(*out));
	if (r->over)
		return EALREADY;
	if (in->now_ms > r->now)
		r->now = in->now_ms;
	switch (in->kind) {
	case IVR_IN_START:
		if (r->started)
			return EINVAL;
		r->started = true;
		drive(r, enter(r, ivr_top(r)->f->start, out), out);
		return 0;
	case IVR_IN_HANGUP:
		if (r->started) {
			leave(r, "hangup");
			unwind(r, "hangup");
		}
		r->over = true;
		return 0;
	case IVR_IN_KEY:
		if (!r->started)
			return EINVAL;
		return feed_key(r, in, out);
	case IVR_IN_PLAYED:
		r->playing = false;
		break;
	case IVR_IN_TIMER:
		/* A timer from a node already left, or early: not ours. */
		if (!r->deadline || in->now_ms < r->deadline) {
			out->timer_at = r->deadline;
			return EINVAL;
		}
		r->deadline = 0;
		break;
	default:
		break;
	}
	if (!r->started)
		return EINVAL;
	k = ivr_node_now(r)->kind;
	if (!k->event)
		return EINVAL;
	drive(r, k->event(r, in, out), out);
	return 0;
}

/* ---- sub-flows (used by nodes.c's subflow and return) ---- */

int ivr_push(struct ivr_run *r, struct ivr_flow *f, struct ivr_out *out,
	     enum ivr_step *st)
{
	if (r->depth == IVR_DEPTH_MAX) {
		*st = ivr_fail(r, "sub-flows nested deeper than %d",
			       IVR_DEPTH_MAX);
		return E2BIG;
	}
	ivr_top(r)->entered = r->entered;
	r->stack[r->depth].f = ivr_flow_ref(f);
	r->stack[r->depth].node = f->start;
	r->depth++;
	*st = enter(r, f->start, out);
	return 0;
}

enum ivr_step ivr_pop(struct ivr_run *r, struct ivr_out *out)
{
	leave(r, "return");
	pop_frame(r);
	if (r->playing) {
		out->stop = true;
		r->playing = false;
	}
	return ivr_go(r, "next");
}
