/* ivr/wait: the kinds that wait for the caller's keys, menu and collect,
 * and their timers (docs/ivr.md, "Timers", says the same in prose):
 *
 *  - A prompt can always be cut short by a key (barge-in); the key counts.
 *  - A menu's timeout_ms starts when its prompt has been heard in full; a
 *    key in the menu's table leaves at once (a menu never waits for more).
 *  - An input's first_timeout_ms starts when its prompt has been heard;
 *    each key restarts inter_timeout_ms; the max-th digit or the
 *    terminator ends it at once, without waiting for any timer.
 *  - A timeout or a wrong entry replays the prompt (after the notice, if
 *    any) up to timeout_retries / invalid_retries times, then leaves by
 *    "timeout" / "invalid" ("default" stands for either when not given).
 *  - The flow's agent key leaves for an agent from a menu (unless the menu
 *    uses that key itself) and from an input before its first digit. */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ivr/ivr_expr.h"
#include "ivr/ivr_int.h"

enum { P_PROMPT, P_NOTICE, P_WAIT, P_DIGITS };

struct waiter {                  /* the part menu and input share */
	struct ivr_prompt prompt, invalid_prompt, timeout_prompt;
	int64_t timeout_retries, invalid_retries;
};

static void waiter_free(struct waiter *w)
{
	ivr_prompt_free(&w->prompt);
	ivr_prompt_free(&w->invalid_prompt);
	ivr_prompt_free(&w->timeout_prompt);
}

static void waiter_parse(struct ivr_cc *cc, json_t *o, struct waiter *w)
{
	(void)ivr_cc_prompt(cc, o, "prompt", true, &w->prompt);
	(void)ivr_cc_prompt(cc, o, "invalid_prompt", false, &w->invalid_prompt);
	(void)ivr_cc_prompt(cc, o, "timeout_prompt", false, &w->timeout_prompt);
	(void)ivr_cc_int(cc, o, "timeout_retries", false, 0, 9, 0,
			 &w->timeout_retries);
	(void)ivr_cc_int(cc, o, "invalid_retries", false, 0, 9, 1,
			 &w->invalid_retries);
}

/* "timeout" and "invalid" exits, or "default" for the missing ones; a
 * menu or input without both is refused. */
static void waiter_exits(struct ivr_cc *cc, json_t *o)
{
	static const char *const ex[] = {"timeout", "invalid"};
	const char *def = json_string_value(json_object_get(o, "default"));

	for (int i = 0; i < 2; i++) {
		if (json_object_get(o, ex[i]))
			ivr_cc_next(cc, o, ex[i], ex[i], true);
		else if (def && *def)
			(void)ivr_cc_exit(cc, ex[i], "default", def);
		else
			ivr_cc_problem(cc, ex[i], "required (or \"default\"): "
				       "where the caller goes after the last "
				       "%s", i ? "wrong key" : "timeout");
	}
	if (json_object_get(o, "default") && !def)
		ivr_cc_problem(cc, "default", "expected a node id");
}

/* Plays the notice (if any) then the prompt again, or leaves by exit when
 * the retries are used up. */
static enum ivr_step retry(struct ivr_run *r, struct ivr_out *out,
			   const struct waiter *w, bool timeout)
{
	unsigned *count = timeout ? &r->timeouts : &r->invalids;
	int64_t max = timeout ? w->timeout_retries : w->invalid_retries;
	const struct ivr_prompt *notice = timeout ? &w->timeout_prompt :
		&w->invalid_prompt;

	if (++*count > max)
		return ivr_go(r, timeout ? "timeout" : "invalid");
	r->retries++;
	r->deadline = 0;
	r->ngot = 0;
	r->got[0] = '\0';
	if (r->playing) {
		out->stop = true;
		r->playing = false;
	}
	if (notice->text || notice->file) {
		ivr_play(r, out, notice);
		r->phase = P_NOTICE;
	} else {
		ivr_play(r, out, &w->prompt);
		r->phase = P_PROMPT;
	}
	return IVR_STAY;
}

/* A prompt ended: the notice leads to the prompt, the prompt to waiting
 * for first_ms. */
static enum ivr_step played(struct ivr_run *r, struct ivr_out *out,
			    const struct waiter *w, int64_t first_ms)
{
	if (r->phase == P_NOTICE) {
		ivr_play(r, out, &w->prompt);
		r->phase = P_PROMPT;
	} else if (r->phase == P_PROMPT) {
		r->phase = P_WAIT;
		r->deadline = r->now + first_ms;
	}
	return IVR_STAY;
}

/* ---- menu ---- */

struct menu {
	struct waiter w;
	char keys[16];               /* the keys it takes, in table order */
	int64_t timeout_ms;
};

static void menu_free(void *p)
{
	waiter_free(p);
	free(p);
}

static int menu_parse(struct ivr_cc *cc, struct ivr_node *n, json_t *o)
{
	static const char *const keys[] = {
		"prompt", "keys", "timeout_ms", "timeout_retries",
		"invalid_retries", "invalid_prompt", "timeout_prompt",
		"default", "timeout", "invalid", NULL};
	struct menu *m = calloc(1, sizeof(*m));
	json_t *map = json_object_get(o, "keys"), *v;
	const char *k;
	char path[IVR_PATH_MAX];

	if (!(n->p = m))
		return ENOMEM;
	ivr_cc_only(cc, o, keys);
	waiter_parse(cc, o, &m->w);
	(void)ivr_cc_int(cc, o, "timeout_ms", true, 500, 120000, 0,
			 &m->timeout_ms);
	if (!json_is_object(map) || !json_object_size(map))
		ivr_cc_problem(cc, "keys", "required: {\"1\": node, …}");
	json_object_foreach(json_is_object(map) ? map : NULL, k, v) {
		snprintf(path, sizeof(path), "keys.%s", k);
		if (strlen(k) != 1 || !strchr("0123456789*#", *k)) {
			ivr_cc_problem(cc, path, "a key is one of 0-9, * or #");
			continue;
		}
		if (!json_is_string(v)) {
			ivr_cc_problem(cc, path, "expected a node id");
			continue;
		}
		m->keys[strlen(m->keys)] = *k;
		if (!ivr_cc_exit(cc, k, path, json_string_value(v)))
			return ENOMEM;
	}
	waiter_exits(cc, o);
	return 0;
}

static enum ivr_step menu_key(struct ivr_run *r, struct ivr_out *out,
			      char key)
{
	const struct menu *m = ivr_node_now(r)->p;
	static const char *const names[] = {
		"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#"};
	const char *p = strchr("0123456789*#", key);

	if (strchr(m->keys, key) && key && p) {
		r->last_digits[0] = key;
		r->last_digits[1] = '\0';
		return ivr_go(r, names[p - "0123456789*#"]);
	}
	if (ivr_is_agent_key(r, key))
		return ivr_to_agent(r, out);
	return retry(r, out, &m->w, false);
}

static enum ivr_step menu_enter(struct ivr_run *r, struct ivr_out *out)
{
	const struct menu *m = ivr_node_now(r)->p;
	char key = ivr_ahead_take(r);

	r->ahead[0] = '\0';
	if (key) {
		ivr_digit_note(r, key);
		return menu_key(r, out, key);
	}
	ivr_play(r, out, &m->w.prompt);
	r->phase = P_PROMPT;
	return IVR_STAY;
}

static enum ivr_step menu_event(struct ivr_run *r, const struct ivr_in *in,
				struct ivr_out *out)
{
	const struct menu *m = ivr_node_now(r)->p;

	switch (in->kind) {
	case IVR_IN_KEY:
		return menu_key(r, out, in->key);
	case IVR_IN_PLAYED:
		return played(r, out, &m->w, m->timeout_ms);
	case IVR_IN_TIMER:
		return retry(r, out, &m->w, true);
	default:
		return IVR_STAY;
	}
}

const struct ivr_kind ivr_kind_menu = {
	.name = "menu", .waits = true,
	.doc = "a prompt, then one key chooses the next node; timeouts and "
	"wrong keys replay it, then leave by timeout / invalid",
	.parse = menu_parse, .free = menu_free,
	.enter = menu_enter, .event = menu_event,
};

/* ---- collect: digits into a variable ---- */

struct input {
	struct waiter w;
	int var;                     /* index of the variable it sets */
	char var_name[IVR_NAME_MAX];
	int64_t min, max, first_ms, inter_ms;
	char term;                   /* ends the input, or 0 */
	bool agent_key;
	bool has_re;
	regex_t re;
};

static void input_free(void *p)
{
	struct input *in = p;

	waiter_free(&in->w);
	if (in->has_re)
		regfree(&in->re);
	free(in);
}

static int input_parse(struct ivr_cc *cc, struct ivr_node *n, json_t *o)
{
	static const char *const keys[] = {
		"prompt", "var", "min", "max", "terminator", "first_timeout_ms",
		"inter_timeout_ms", "pattern", "timeout_retries",
		"invalid_retries", "invalid_prompt", "timeout_prompt",
		"agent_key", "default", "next", "timeout", "invalid", NULL};
	struct input *in = calloc(1, sizeof(*in));
	const char *var, *term, *pat;
	struct ivr_exit *e;

	if (!(n->p = in))
		return ENOMEM;
	ivr_cc_only(cc, o, keys);
	waiter_parse(cc, o, &in->w);
	var = ivr_cc_str(cc, o, "var", true, IVR_NAME_MAX - 1);
	in->var = -1;
	if (var) {
		snprintf(in->var_name, sizeof(in->var_name), "%s", var);
		if (ivr_builtin(var))
			ivr_cc_problem(cc, "var", "\"%s\" is built in", var);
		else
			in->var = ivr_cc_var(cc, "var", var);
	}
	(void)ivr_cc_int(cc, o, "min", false, 1, IVR_DIGITS_MAX, 1, &in->min);
	if (ivr_cc_int(cc, o, "max", true, 1, IVR_DIGITS_MAX, 0, &in->max) &&
	    in->max < in->min)
		ivr_cc_problem(cc, "max", "less than min (%lld)",
			       (long long)in->min);
	(void)ivr_cc_int(cc, o, "first_timeout_ms", true, 500, 120000, 0,
			 &in->first_ms);
	(void)ivr_cc_int(cc, o, "inter_timeout_ms", false, 500, 60000, 3000,
			 &in->inter_ms);
	term = ivr_cc_str(cc, o, "terminator", false, 1);
	if (term && *term && !strchr("*#", *term))
		ivr_cc_problem(cc, "terminator", "* or #, or \"\" for none");
	in->term = term ? *term : (json_object_get(o, "terminator") ? 0 : '#');
	in->agent_key = ivr_cc_bool(cc, o, "agent_key", true);
	if ((pat = ivr_cc_str(cc, o, "pattern", false, 200)) && *pat) {
		char re[256], why[128];

		snprintf(re, sizeof(re), "^(%s)$", pat);
		if (ivr_expr_pattern_check(pat, why, sizeof(why)))
			ivr_cc_problem(cc, "pattern", "%s", why);
		else if (regcomp(&in->re, re, REG_EXTENDED | REG_NOSUB))
			ivr_cc_problem(cc, "pattern", "not a regular "
				       "expression (POSIX extended)");
		else
			in->has_re = true;
	}
	ivr_cc_next(cc, o, "next", "next", true);
	e = n->nexits ? &n->exits[n->nexits - 1] : NULL;
	if (e && !strcmp(e->name, "next") && in->var >= 0)
		e->sets.bits |= 1ull << in->var;
	waiter_exits(cc, o);
	return 0;
}

static enum ivr_step input_done(struct ivr_run *r, struct ivr_out *out)
{
	const struct input *in = ivr_node_now(r)->p;

	if ((int64_t)r->ngot < in->min ||
	    (in->has_re && regexec(&in->re, r->got, 0, NULL, 0)))
		return retry(r, out, &in->w, false);
	snprintf(r->last_digits, sizeof(r->last_digits), "%s", r->got);
	if (ivr_set(r, in->var_name, r->got))
		return ivr_fail(r, "out of memory");
	return ivr_go(r, "next");
}

static enum ivr_step input_key(struct ivr_run *r, struct ivr_out *out,
			       char key)
{
	const struct input *in = ivr_node_now(r)->p;

	if (!r->ngot && in->agent_key && ivr_is_agent_key(r, key))
		return ivr_to_agent(r, out);
	/* A-D are no entry: ignored, the prompt plays on (stopping it would
	 * leave the caller waiting for a timer nobody started). */
	if (!key || !strchr("0123456789*#", key))
		return IVR_STAY;
	if (r->playing) {            /* barge-in: the key counts */
		out->stop = true;
		r->playing = false;
	}
	if (r->phase == P_NOTICE)    /* a key during the notice starts anew */
		r->phase = P_DIGITS;
	if (in->term && key == in->term)
		return input_done(r, out);
	r->got[r->ngot++] = key;
	r->got[r->ngot] = '\0';
	if ((int64_t)r->ngot >= in->max)
		return input_done(r, out);
	r->phase = P_DIGITS;
	r->deadline = r->now + in->inter_ms;
	return IVR_STAY;
}

static enum ivr_step input_enter(struct ivr_run *r, struct ivr_out *out)
{
	const struct input *in = ivr_node_now(r)->p;
	char key;

	while ((key = ivr_ahead_take(r))) {
		enum ivr_step st;

		ivr_digit_note(r, key);
		if ((st = input_key(r, out, key)) != IVR_STAY)
			return st;
	}
	if (r->ngot)
		return IVR_STAY;
	ivr_play(r, out, &in->w.prompt);
	r->phase = P_PROMPT;
	return IVR_STAY;
}

static enum ivr_step input_event(struct ivr_run *r, const struct ivr_in *in,
				 struct ivr_out *out)
{
	const struct input *x = ivr_node_now(r)->p;

	switch (in->kind) {
	case IVR_IN_KEY:
		return input_key(r, out, in->key);
	case IVR_IN_PLAYED:
		if (r->phase == P_DIGITS)
			return IVR_STAY;
		return played(r, out, &x->w, x->first_ms);
	case IVR_IN_TIMER:
		if (!r->ngot)
			return retry(r, out, &x->w, true);
		return input_done(r, out);
	default:
		return IVR_STAY;
	}
}

const struct ivr_kind ivr_kind_collect = {
	.name = "collect", .waits = true,
	.doc = "a prompt, then digits into a variable: min/max length, a "
	"terminator, first-digit and inter-digit timeouts, a pattern",
	.parse = input_parse, .free = input_free,
	.enter = input_enter, .event = input_event,
};
