/* queue/cfg: a queue's settings, from JSON and to the router and the KPI
 * engine. One table names every field, its kind and its range, so the API,
 * the store and the validation read the same rows. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "queue/queue_int.h"

enum kind { K_MS, K_U32, K_STR, K_BOOL };   /* K_MS: any int64 */

/* field, kind, offset, lowest, highest accepted (a string: its buffer's
 * size) */
static const struct field {
	const char *name;
	enum kind kind;
	size_t off;
	int64_t lo, hi;
} fields[] = {
	{"strategy",          K_STR, offsetof(struct queue_qcfg, strategy), 0, QUEUE_STRAT_LEN},
	{"ring_timeout_ms",   K_MS,  offsetof(struct queue_qcfg, ring_timeout_ms), 1000, 600000},
	{"retry_ms",          K_MS,  offsetof(struct queue_qcfg, retry_ms), 0, 600000},
	{"max_wait_ms",       K_MS,  offsetof(struct queue_qcfg, max_wait_ms), 0, 86400000},
	{"max_len",           K_U32, offsetof(struct queue_qcfg, max_len), 0, 100000},
	{"wrapup_ms",         K_MS,  offsetof(struct queue_qcfg, wrapup_ms), 0, 3600000},
	{"noanswer_pause_ms", K_MS,  offsetof(struct queue_qcfg, noanswer_pause_ms), 0, 3600000},
	{"noanswer_max",      K_U32, offsetof(struct queue_qcfg, noanswer_max), 0, 1000},
	{"weight",            K_U32, offsetof(struct queue_qcfg, weight), 1, 1000},
	{"overflow",          K_STR, offsetof(struct queue_qcfg, overflow), 0, QUEUE_OVF_LEN},
	{"sl_ms",             K_MS,  offsetof(struct queue_qcfg, sl_ms), 0, 3600000},
	{"short_abandon_ms",  K_MS,  offsetof(struct queue_qcfg, short_abandon_ms), 0, 3600000},
	{"overflow_prompt",   K_STR, offsetof(struct queue_qcfg, overflow_prompt), 0, QUEUE_PATH_LEN},
	{"join_empty",        K_STR, offsetof(struct queue_qcfg, join_empty), 0, QUEUE_EMPTY_LEN},
	{"leave_empty",       K_STR, offsetof(struct queue_qcfg, leave_empty), 0, QUEUE_EMPTY_LEN},
	{"sticky_window_ms",  K_MS,  offsetof(struct queue_qcfg, sticky_window_ms), 0, 90LL * 86400000},
	{"sticky_wait_ms",    K_MS,  offsetof(struct queue_qcfg, sticky_wait_ms), 0, 600000},
	{"announce_s",        K_MS,  offsetof(struct queue_qcfg, announce_s), 0, 3600},
	{"announce_position", K_BOOL, offsetof(struct queue_qcfg, announce_position), 0, 0},
	{"announce_wait",     K_BOOL, offsetof(struct queue_qcfg, announce_wait), 0, 0},
	{"announce_lang",     K_STR, offsetof(struct queue_qcfg, announce_lang), 0, QUEUE_LANG_LEN},
};

/* When a queue counts as empty for its join and leave rules. */
static const struct {
	const char *name;
	enum acd_empty v;
} empties[] = {
	{"off",          ACD_EMPTY_OFF},
	{"no_agents",    ACD_EMPTY_NO_AGENTS},     /* no member logged in */
	{"no_available", ACD_EMPTY_NO_AVAILABLE},  /* … or all not ready */
};

static int empty_of(const char *name, enum acd_empty *v)
{
	for (size_t i = 0; i < ARRAY_LEN(empties); i++)
		if (!strcmp(empties[i].name, name)) {
			*v = empties[i].v;
			return 0;
		}
	return EINVAL;
}

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
	util_strlcpy(q->join_empty, "off", sizeof(q->join_empty));
	util_strlcpy(q->leave_empty, "off", sizeof(q->leave_empty));
	q->announce_position = q->announce_wait = true;
	util_strlcpy(q->announce_lang, "zh", sizeof(q->announce_lang));
}

/* Where a queue may send the callers it cannot keep: one row per kind of
 * destination, the text after the prefix checked by its rule. */
static const struct overflow_kind {
	const char *prefix;
	enum acd_dest_kind kind;
	bool (*ok)(const char *rest);
	const char *want;
} overflow_kinds[] = {
	{"hangup",     ACD_DEST_HANGUP,    NULL,          "hangup"},
	{"queue:",     ACD_DEST_QUEUE,     queue_name_ok, "queue:NAME"},
	{"voicemail:", ACD_DEST_VOICEMAIL, queue_box_ok,  "voicemail:MAILBOX"},
	{"extension:", ACD_DEST_EXTENSION, queue_box_ok,  "extension:EXT"},
};

static const struct overflow_kind *overflow_kind(const char *v)
{
	for (size_t i = 0; i < ARRAY_LEN(overflow_kinds); i++) {
		const struct overflow_kind *k = &overflow_kinds[i];
		size_t len = strlen(k->prefix);

		if (k->ok ? !strncmp(v, k->prefix, len) && k->ok(v + len) :
		    !strcmp(v, k->prefix))
			return k;
	}
	return NULL;
}

bool queue_box_ok(const char *box)
{
	size_t len = strlen(box);

	return len > 0 && len < QUEUE_EXT_LEN && strspn(box, "0123456789") == len;
}

int queue_overflow_check(const char *queue, const char *v, char *why,
			 size_t n)
{
	const struct overflow_kind *k = overflow_kind(v);
	size_t at = 0;

	if (!k) {
		at += (size_t)snprintf(why, n, "overflow: want");
		for (size_t i = 0; i < ARRAY_LEN(overflow_kinds) && at < n; i++)
			at += (size_t)snprintf(why + at, n - at, "%s \"%s\"",
					       i ? " or" : "",
					       overflow_kinds[i].want);
		return EINVAL;
	}
	if (k->kind == ACD_DEST_QUEUE && !strcmp(v + 6, queue)) {
		snprintf(why, n, "overflow: queue %s overflows into itself",
			 queue);
		return EINVAL;
	}
	return 0;
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
		return 0;
	}
	/* Whether the file loads is the host's to check (it reads the
	 * disk); a relative path would depend on where the server runs. */
	if (!strcmp(field, "overflow_prompt")) {
		if (*v && *v != '/') {
			snprintf(why, n, "overflow_prompt: want an absolute path "
				 "to a sound file, or \"\"");
			return EINVAL;
		}
		return 0;
	}
	if (!strcmp(field, "join_empty") || !strcmp(field, "leave_empty")) {
		enum acd_empty e;
		if (empty_of(v, &e)) {
			snprintf(why, n, "%s: want \"off\", \"no_agents\" or "
				 "\"no_available\"", field);
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
	return queue_overflow_check(q->name, v, why, n);
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
			size_t cap = (size_t)f->hi;
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
		.overflow = {.kind = ACD_DEST_HANGUP},
		.sticky_window_ms = q->sticky_window_ms,
		.sticky_wait_ms = q->sticky_wait_ms,
	};
	const struct overflow_kind *k = overflow_kind(q->overflow);
	const char *rest = k ? q->overflow + strlen(k->prefix) : "";

	if (!k) {
		snprintf(why, n, "overflow: '%s' is no destination",
			 q->overflow);
		return EINVAL;
	}
	if (empty_of(q->join_empty, &out->join_empty) ||
	    empty_of(q->leave_empty, &out->leave_empty)) {
		snprintf(why, n, "join_empty/leave_empty: bad value");
		return EINVAL;
	}
	out->overflow.kind = k->kind;
	if (k->kind == ACD_DEST_QUEUE) {
		out->overflow.queue_id = id_of(arg, rest);
		if (!out->overflow.queue_id) {
			snprintf(why, n, "overflow: no queue %s", rest);
			return EINVAL;
		}
	}
	else if (k->ok)
		util_strlcpy(out->overflow.target, rest,
			     sizeof(out->overflow.target));
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
