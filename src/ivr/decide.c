/* ivr/decide: the kinds that choose the next node by themselves, without
 * the caller — branch (conditions over variables, call data, the caller's
 * number and region and the time: expr.c), schedule (opening hours in a
 * time zone, holidays and 调休 make-up days: sched.c) — and say, a value
 * read out.
 *
 * branch: {"cases": [{"if": "province == '广东' && vip", "next": node}, …],
 *   "else": node}: the first case whose condition holds; else "else".
 * schedule: {"hours": {sched.c's object}, "open": node, "closed": node}.
 *   The hours' "tz" defaults to the flow's. The time is the event's (the
 *   host's clock), turned into local time by the host's zone table.
 * say: {"value": "{balance}", "as": "money", "voice": "zh",
 *   "before": "您的余额是", "after": "。", "next": node}: the value read
 *   out (say.c), between two pieces of text; a value that cannot be read
 *   as asked (not a number, say) is spoken as it is written. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ivr/ivr_int.h"
#include "ivr/ivr_expr.h"
#include "ivr/ivr_text.h"

/* ---- branch ---- */

enum { CASES_MAX = 16 };

struct branch {
	struct ivr_expr *cond[CASES_MAX];
	unsigned n;
};

static void branch_free(void *p)
{
	struct branch *b = p;

	for (unsigned i = 0; i < b->n; i++)
		ivr_expr_free(b->cond[i]);
	free(b);
}

struct reads {
	struct ivr_cc *cc;
	const char *key;
};

static int read_name(const char *name, void *arg)
{
	struct reads *r = arg;

	ivr_cc_reads(r->cc, r->key, name);
	return 0;
}

static const char *case_exit[CASES_MAX] = {
	"case[0]", "case[1]", "case[2]", "case[3]", "case[4]", "case[5]",
	"case[6]", "case[7]", "case[8]", "case[9]", "case[10]", "case[11]",
	"case[12]", "case[13]", "case[14]", "case[15]",
};

static int branch_parse(struct ivr_cc *cc, struct ivr_node *n, json_t *o)
{
	static const char *const keys[] = {"cases", "else", NULL};
	struct branch *b = calloc(1, sizeof(*b));
	json_t *cases = json_object_get(o, "cases"), *c;
	char key[IVR_PATH_MAX], why[IVR_MSG_MAX];
	size_t i;

	if (!(n->p = b))
		return ENOMEM;
	ivr_cc_only(cc, o, keys);
	if (!json_is_array(cases) || !json_array_size(cases) ||
	    json_array_size(cases) > CASES_MAX)
		ivr_cc_problem(cc, "cases", "required: 1-%d of {\"if\", "
			       "\"next\"}", CASES_MAX);
	json_array_foreach(json_is_array(cases) &&
			   json_array_size(cases) <= CASES_MAX ? cases : NULL,
			   i, c) {
		const char *text = json_string_value(json_object_get(c, "if"));
		const char *next = json_string_value(json_object_get(c,
								   "next"));
		struct reads rd = {cc, key};

		snprintf(key, sizeof(key), "cases[%zu].if", i);
		if (!json_is_object(c) || !text || !next ||
		    json_object_size(c) != 2) {
			snprintf(key, sizeof(key), "cases[%zu]", i);
			ivr_cc_problem(cc, key, "expected {\"if\": condition, "
				       "\"next\": node}");
			continue;
		}
		if (ivr_expr_compile(&b->cond[b->n], text, why, sizeof(why))) {
			ivr_cc_problem(cc, key, "%s", why);
			continue;
		}
		(void)ivr_expr_names(b->cond[b->n], read_name, &rd);
		snprintf(key, sizeof(key), "cases[%zu].next", i);
		if (!ivr_cc_exit(cc, case_exit[b->n], key, next))
			return ENOMEM;
		b->n++;
	}
	ivr_cc_next(cc, o, "else", "else", true);
	return 0;
}

static const char *get_var(const char *name, void *arg)
{
	return ivr_get(arg, name);
}

static enum ivr_step branch_enter(struct ivr_run *r, struct ivr_out *out)
{
	const struct branch *b = ivr_node_now(r)->p;
	char why[IVR_MSG_MAX];

	(void)out;
	for (unsigned i = 0; i < b->n; i++) {
		bool yes = false;

		if (ivr_expr_eval(b->cond[i], get_var, r, &yes, why,
				  sizeof(why)))
			return ivr_fail(r, "%s", why);
		if (yes)
			return ivr_go(r, case_exit[i]);
	}
	return ivr_go(r, "else");
}

const struct ivr_kind ivr_kind_branch = {
	.name = "branch", .doc = "the first case whose condition holds "
	"(variables, call data, caller, province, city, time), else \"else\"",
	.parse = branch_parse, .free = branch_free, .enter = branch_enter,
};

/* ---- schedule ---- */

struct hours {
	struct ivr_sched *s;
	char tz[48];
};

static void hours_free(void *p)
{
	struct hours *h = p;

	ivr_sched_free(h->s);
	free(h);
}

static int sched_parse(struct ivr_cc *cc, struct ivr_node *n, json_t *o)
{
	static const char *const keys[] = {"hours", "open", "closed", NULL};
	struct hours *h = calloc(1, sizeof(*h));
	json_t *v = json_object_get(o, "hours");
	char why[IVR_MSG_MAX];
	int32_t off;

	if (!(n->p = h))
		return ENOMEM;
	ivr_cc_only(cc, o, keys);
	if (!v)
		ivr_cc_problem(cc, "hours", "required: {\"weekly\": […]}");
	else if (ivr_sched_parse(&h->s, v, why, sizeof(why)))
		ivr_cc_problem(cc, "hours", "%s", why);
	if (h->s) {
		snprintf(h->tz, sizeof(h->tz), "%s",
			 json_object_get(v, "tz") ? ivr_sched_tz(h->s) :
			 cc->f->tz);
		if (strcmp(h->tz, "UTC") &&
		    (!cc->env || !cc->env->tz_offset ||
		     cc->env->tz_offset(cc->env->arg, h->tz, 0, &off)))
			ivr_cc_problem(cc, "hours.tz", "no time zone \"%s\"",
				       h->tz);
	}
	ivr_cc_next(cc, o, "open", "open", true);
	ivr_cc_next(cc, o, "closed", "closed", true);
	return 0;
}

static enum ivr_step sched_enter(struct ivr_run *r, struct ivr_out *out)
{
	const struct hours *h = ivr_node_now(r)->p;
	const struct ivr_env *env = ivr_top(r)->f->env;
	int32_t off = 0;

	(void)out;
	if (strcmp(h->tz, "UTC") && (!env || !env->tz_offset ||
				     env->tz_offset(env->arg, h->tz, r->now,
						    &off)))
		return ivr_fail(r, "no time zone \"%s\"", h->tz);
	return ivr_go(r, ivr_sched_open(h->s, r->now + (int64_t)off * 1000) ?
		      "open" : "closed");
}

const struct ivr_kind ivr_kind_schedule = {
	.name = "schedule", .doc = "open or closed now: weekly hours (also "
	"past midnight), holidays and 调休 make-up days, in a time zone",
	.parse = sched_parse, .free = hours_free, .enter = sched_enter,
};

/* ---- say ---- */

struct say {
	char *value, *before, *after;
	enum ivr_say_as as;
	char voice[8];
	bool barge;
};

static void say_free(void *p)
{
	struct say *s = p;

	free(s->value);
	free(s->before);
	free(s->after);
	free(s);
}

static char *dup_text(struct ivr_cc *cc, json_t *o, const char *key,
		      bool required)
{
	const char *s = ivr_cc_str(cc, o, key, required, 500);

	if (s)
		ivr_cc_template(cc, key, s);
	return strdup(s ? s : "");
}

static int say_parse(struct ivr_cc *cc, struct ivr_node *n, json_t *o)
{
	static const char *const keys[] = {"value", "as", "voice", "before",
		"after", "barge", "next", NULL};
	struct say *s = calloc(1, sizeof(*s));
	const char *as, *voice;

	if (!(n->p = s))
		return ENOMEM;
	ivr_cc_only(cc, o, keys);
	s->value = dup_text(cc, o, "value", true);
	s->before = dup_text(cc, o, "before", false);
	s->after = dup_text(cc, o, "after", false);
	if (!s->value || !s->before || !s->after)
		return ENOMEM;
	as = ivr_cc_str(cc, o, "as", true, 16);
	if (as && ivr_say_as_parse(as, &s->as))
		ivr_cc_problem(cc, "as", "digits, number, money, date or time");
	voice = ivr_cc_str(cc, o, "voice", false, 4);
	if (voice && strcmp(voice, "zh") && strcmp(voice, "en"))
		ivr_cc_problem(cc, "voice", "zh or en");
	snprintf(s->voice, sizeof(s->voice), "%s", voice ? voice : cc->f->voice);
	s->barge = ivr_cc_bool(cc, o, "barge", true);
	ivr_cc_next(cc, o, "next", "next", true);
	return 0;
}

static enum ivr_step say_enter(struct ivr_run *r, struct ivr_out *out)
{
	const struct say *s = ivr_node_now(r)->p;
	char value[IVR_VALUE_MAX], spoken[512], before[512], after[512];
	struct ivr_prompt p = {.text = r->text, .voice = s->voice};

	if (s->barge && r->ahead[0])
		return ivr_go(r, "next");
	if (ivr_expand(r, s->value, value, sizeof(value), IVR_ESC_NONE) ==
	    ENOENT ||
	    ivr_expand(r, s->before, before, sizeof(before), IVR_ESC_NONE) ==
	    ENOENT ||
	    ivr_expand(r, s->after, after, sizeof(after), IVR_ESC_NONE) ==
	    ENOENT)
		return IVR_FAIL;
	if (ivr_say(spoken, sizeof(spoken), value, s->as,
		    strcmp(s->voice, "en") ? IVR_LANG_ZH : IVR_LANG_EN))
		snprintf(spoken, sizeof(spoken), "%s", value);
	/* Text too long to speak whole is spoken as far as it goes. */
	if (snprintf(r->text, sizeof(r->text), "%s%s%s", before, spoken,
		     after) >= (int)sizeof(r->text))
		r->text[sizeof(r->text) - 1] = '\0';
	out->play = true;
	out->prompt = p;
	r->playing = true;
	return IVR_STAY;
}

static enum ivr_step say_event(struct ivr_run *r, const struct ivr_in *in,
			       struct ivr_out *out)
{
	const struct say *s = ivr_node_now(r)->p;
	enum ivr_step st;

	if (in->kind == IVR_IN_PLAYED)
		return ivr_go(r, "next");
	if (in->kind != IVR_IN_KEY || !s->barge)
		return IVR_STAY;
	st = ivr_key_ahead(r, in->key, out);
	return st == IVR_STAY ? ivr_go(r, "next") : st;
}

const struct ivr_kind ivr_kind_say = {
	.name = "say", .doc = "reads a value out in Chinese or English: "
	"digits, a number, money (元角分), a date or a time",
	.parse = say_parse, .free = say_free,
	.enter = say_enter, .event = say_event,
};
