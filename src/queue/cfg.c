/* queue/cfg: a queue's settings, from JSON and to the router and the KPI
 * engine. One table names every field, its kind and its range, so the API,
 * the store and the validation read the same rows. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "queue/queue_int.h"

enum kind { K_MS, K_U32, K_STR, K_BOOL };   /* K_MS: any int64 */

/* field, kind, offset, lowest, highest accepted */
static const struct field {
	const char *name;
	enum kind kind;
	size_t off;
	int64_t lo, hi;
} fields[] = {
	{"strategy",          K_STR, offsetof(struct queue_qcfg, strategy), 0, 0},
	{"ring_timeout_ms",   K_MS,  offsetof(struct queue_qcfg, ring_timeout_ms), 1000, 600000},
	{"retry_ms",          K_MS,  offsetof(struct queue_qcfg, retry_ms), 0, 600000},
	{"max_wait_ms",       K_MS,  offsetof(struct queue_qcfg, max_wait_ms), 0, 86400000},
	{"max_len",           K_U32, offsetof(struct queue_qcfg, max_len), 0, 100000},
	{"wrapup_ms",         K_MS,  offsetof(struct queue_qcfg, wrapup_ms), 0, 3600000},
	{"noanswer_pause_ms", K_MS,  offsetof(struct queue_qcfg, noanswer_pause_ms), 0, 3600000},
	{"noanswer_max",      K_U32, offsetof(struct queue_qcfg, noanswer_max), 0, 1000},
	{"weight",            K_U32, offsetof(struct queue_qcfg, weight), 1, 1000},
	{"overflow",          K_STR, offsetof(struct queue_qcfg, overflow), 0, 0},
	{"sl_ms",             K_MS,  offsetof(struct queue_qcfg, sl_ms), 0, 3600000},
	{"short_abandon_ms",  K_MS,  offsetof(struct queue_qcfg, short_abandon_ms), 0, 3600000},
	{"announce_s",        K_MS,  offsetof(struct queue_qcfg, announce_s), 0, 3600},
	{"announce_position", K_BOOL, offsetof(struct queue_qcfg, announce_position), 0, 0},
	{"announce_wait",     K_BOOL, offsetof(struct queue_qcfg, announce_wait), 0, 0},
	{"announce_lang",     K_STR, offsetof(struct queue_qcfg, announce_lang), 0, 0},
};

bool queue_name_ok(const char *name)
{
	size_t len = name ? strlen(name) : 0;

	if (len == 0 || len >= QUEUE_NAME_LEN)
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789_-") == len;
}

void queue_qcfg_default(struct queue_qcfg *q, const char *name)
{
	*q = (struct queue_qcfg){
		.ring_timeout_ms = 15000, .retry_ms = 0, .max_wait_ms = 0,
		.wrapup_ms = 3000, .noanswer_pause_ms = 5000,
		.sl_ms = 20000, .short_abandon_ms = 20000, .max_len = 0,
		.noanswer_max = 3, .weight = 1,
	};
	util_strlcpy(q->name, name ? name : "", sizeof(q->name));
	util_strlcpy(q->strategy, "longest-idle", sizeof(q->strategy));
	util_strlcpy(q->overflow, "hangup", sizeof(q->overflow));
	q->announce_position = q->announce_wait = true;
	util_strlcpy(q->announce_lang, "zh", sizeof(q->announce_lang));
}

/* The room a string field has. */
static size_t str_cap(const char *field)
{
	return !strcmp(field, "strategy") ?
		sizeof(((struct queue_qcfg *)0)->strategy) :
		!strcmp(field, "announce_lang") ?
		sizeof(((struct queue_qcfg *)0)->announce_lang) :
		sizeof(((struct queue_qcfg *)0)->overflow);
}

static bool strategy_ok(const char *s)
{
	const char *name, *doc, *cost;

	for (size_t i = 0; i < acd_strategy_count(); i++)
		if (!acd_strategy_at(i, &name, &doc, &cost) && !strcmp(name, s))
			return true;
	return false;
}

/* Checks one string field's value; the rules the table cannot say. */
static int check_str(const struct queue_qcfg *q, const char *field,
		     const char *v, char *why, size_t n)
{
	if (!strcmp(field, "strategy")) {
		if (!strategy_ok(v)) {
			snprintf(why, n, "strategy: unknown strategy '%s'", v);
			return EINVAL;
		}
		/* One agent leg per call: ringing several phones at once
		 * needs forking, which the live B2BUA does not do. */
		if (!strcmp(v, "ring-all")) {
			snprintf(why, n, "strategy: ring-all is not available "
				 "for live calls");
			return EINVAL;
		}
		return 0;
	}
	if (!strcmp(field, "announce_lang")) {
		if (!queue_ann_lang_ok(v)) {
			snprintf(why, n, "announce_lang: want \"zh\" or \"en\"");
			return EINVAL;
		}
		return 0;
	}
	if (!strcmp(v, "hangup"))
		return 0;
	if (strncmp(v, "queue:", 6) || !queue_name_ok(v + 6)) {
		snprintf(why, n, "overflow: want \"hangup\" or \"queue:NAME\"");
		return EINVAL;
	}
	if (!strcmp(v + 6, q->name)) {
		snprintf(why, n, "overflow: queue %s overflows into itself",
			 q->name);
		return EINVAL;
	}
	return 0;
}

int queue_qcfg_apply(struct queue_qcfg *q, const json_t *obj, char *why,
		     size_t n)
{
	struct queue_qcfg t = *q;
	const char *key;
	json_t *v;

	if (!json_is_object(obj)) {
		snprintf(why, n, "want a JSON object");
		return EINVAL;
	}
	json_object_foreach((json_t *)obj, key, v) {
		const struct field *f = NULL;

		if (!strcmp(key, "name"))
			continue;   /* the path names the queue */
		for (size_t i = 0; i < ARRAY_LEN(fields); i++)
			if (!strcmp(fields[i].name, key))
				f = &fields[i];
		if (!f) {
			snprintf(why, n, "%s: unknown field", key);
			return EINVAL;
		}
		if (f->kind == K_STR) {
			size_t cap = str_cap(key);
			if (!json_is_string(v) || json_string_length(v) >= cap) {
				snprintf(why, n, "%s: want a string", key);
				return EINVAL;
			}
			if (check_str(&t, key, json_string_value(v), why, n))
				return EINVAL;
			util_strlcpy((char *)&t + f->off, json_string_value(v),
				     cap);
			continue;
		}
		if (f->kind == K_BOOL) {
			if (!json_is_boolean(v)) {
				snprintf(why, n, "%s: want true or false", key);
				return EINVAL;
			}
			*(bool *)((char *)&t + f->off) = json_is_true(v);
			continue;
		}
		if (!json_is_integer(v) || json_integer_value(v) < f->lo ||
		    json_integer_value(v) > f->hi) {
			snprintf(why, n, "%s: want an integer %lld..%lld", key,
				 (long long)f->lo, (long long)f->hi);
			return EINVAL;
		}
		if (f->kind == K_MS)
			*(int64_t *)((char *)&t + f->off) = json_integer_value(v);
		else
			*(uint32_t *)((char *)&t + f->off) =
				(uint32_t)json_integer_value(v);
	}
	*q = t;
	return 0;
}

json_t *queue_qcfg_json(const struct queue_qcfg *q)
{
	json_t *o = json_pack("{s:s}", "name", q->name);

	for (size_t i = 0; o && i < ARRAY_LEN(fields); i++) {
		const char *p = (const char *)q + fields[i].off;
		json_t *v = fields[i].kind == K_STR ? json_string(p) :
			fields[i].kind == K_BOOL ? json_boolean(*(const bool *)p) :
			fields[i].kind == K_MS ? json_integer(*(const int64_t *)p) :
			json_integer(*(const uint32_t *)p);
		json_object_set_new(o, fields[i].name, v);
	}
	return o;
}

int queue_qcfg_acd(const struct queue_qcfg *q, uint32_t id,
		   uint32_t (*id_of)(void *arg, const char *name), void *arg,
		   struct acd_queue_cfg *out, char *why, size_t n)
{
	*out = (struct acd_queue_cfg){
		.id = id, .strategy = q->strategy,
		.ring_timeout_ms = q->ring_timeout_ms, .retry_ms = q->retry_ms,
		.max_wait_ms = q->max_wait_ms, .max_len = q->max_len,
		.wrapup_ms = q->wrapup_ms,
		.noanswer_pause_ms = q->noanswer_pause_ms,
		.noanswer_max = q->noanswer_max, .weight = q->weight,
		.join_empty = ACD_EMPTY_OFF, .leave_empty = ACD_EMPTY_OFF,
		.overflow = {.kind = ACD_DEST_HANGUP},
	};
	if (!strncmp(q->overflow, "queue:", 6)) {
		out->overflow.kind = ACD_DEST_QUEUE;
		out->overflow.queue_id = id_of(arg, q->overflow + 6);
		if (!out->overflow.queue_id) {
			snprintf(why, n, "overflow: no queue %s", q->overflow + 6);
			return EINVAL;
		}
	}
	return 0;
}

void queue_qcfg_report(const struct queue_qcfg *q, struct report_queue_cfg *r)
{
	*r = report_default_cfg;
	r->sl_ms = q->sl_ms;
	r->short_abandon_ms = q->short_abandon_ms;
}

int queue_agent_id(const char *ext, uint32_t *id)
{
	uint64_t v;

	if (!ext || !*ext || ext[0] == '0' || strspn(ext, "0123456789") != strlen(ext) ||
	    util_parse_u64(ext, 1, UINT32_MAX, &v))
		return EINVAL;
	*id = (uint32_t)v;
	return 0;
}

int queue_interval_parse(const char *s, int64_t *ms)
{
	static const struct { const char *name; int64_t ms; } tab[] = {
		{"15m", 15 * 60000}, {"1h", 3600000}, {"1d", 86400000},
	};

	for (size_t i = 0; s && i < ARRAY_LEN(tab); i++)
		if (!strcmp(s, tab[i].name)) {
			*ms = tab[i].ms;
			return 0;
		}
	return EINVAL;
}
