/* queue/cfg: a queue's settings, from JSON and to the router and the KPI
 * engine. One table of field descriptors (base/field.h) names every field,
 * its kind, range, default and database column: the API's validation and
 * JSON, the defaults and the store (store.c builds its column list, binds
 * and reads from the rows' `column`) all read the same rows, so a new
 * setting is one row here (and a migration for its column). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "prompt/prompt.h"
#include "queue/queue_int.h"

static field_check_h check_strategy, check_overflow, check_prompt,
	check_lang, check_survey, check_prompt_name, check_supervisors;

static const char *const empties_words[] = {"off", "no_agents",
					    "no_available", NULL};

#define Q(m) FIELD_AT(struct queue_qcfg, m)
#define MS(nm, lo_, hi_, d, h) {.name = #nm, .kind = FIELD_INT, Q(nm), \
	.lo = (lo_), .hi = (hi_), .def = (d), .unit = "ms", .column = #nm, \
	.help = (h)}
static const struct field fields[] = {
	{.name = "strategy", .kind = FIELD_STR, Q(strategy),
	 .def = "longest-idle", .check = check_strategy, .column = "strategy",
	 .help = "how an agent is picked (docs/acd.md)"},
	MS(ring_timeout_ms, 1000, 600000, "15000",
	   "how long one offer rings before it counts as missed"),
	MS(retry_ms, 0, 600000, "0",
	   "pause before a call is offered again after every ringing agent missed it"),
	MS(max_wait_ms, 0, 86400000, "0",
	   "a caller waiting this long overflows (0: no limit)"),
	{.name = "max_len", .kind = FIELD_INT, Q(max_len), .lo = 0,
	 .hi = 100000, .def = "0", .column = "max_len",
	 .help = "waiting or ringing calls at most; one more overflows (0: no limit)"},
	MS(wrapup_ms, 0, 3600000, "3000", "after-call work of each call"),
	{.name = "wrapup_required", .kind = FIELD_BOOL, Q(wrapup_required),
	 .def = "false", .column = "wrapup_required",
	 .help = "agents stay in wrap-up after each call until they file a wrap-up code (wrapup_ms is then the countdown shown, not a release)"},
	MS(noanswer_pause_ms, 0, 3600000, "5000",
	   "an agent who missed noanswer_max offers in a row is paused this long"),
	{.name = "noanswer_max", .kind = FIELD_INT, Q(noanswer_max), .lo = 0,
	 .hi = 1000, .def = "3", .column = "noanswer_max",
	 .help = "missed offers in a row that pause an agent (0: never)"},
	{.name = "weight", .kind = FIELD_INT, Q(weight), .lo = 1, .hi = 1000,
	 .def = "1", .column = "weight",
	 .help = "cross-queue fairness weight"},
	{.name = "overflow", .kind = FIELD_STR, Q(overflow), .def = "hangup",
	 .check = check_overflow, .column = "overflow",
	 .help = "where callers the queue cannot keep go: hangup, queue:NAME, voicemail:MAILBOX or extension:EXT"},
	{.name = "survey", .kind = FIELD_STR, Q(survey), .def = "",
	 .check = check_survey, .column = "survey",
	 .help = "the IVR flow (a satisfaction survey, 满意度调查) callers are taken to when their agent hangs up; \"\" none"},
	MS(sl_ms, 0, 3600000, "20000",
	   "the service-level time: answered within it is in service level"),
	MS(short_abandon_ms, 0, 3600000, "20000",
	   "callers hanging up within this are short abandons"),
	/* Stored by goodbye.c once the file has loaded, not with the row. */
	{.name = "overflow_prompt", .kind = FIELD_STR, Q(overflow_prompt),
	 .def = "", .check = check_prompt,
	 .help = "absolute path of a sound heard before an overflow hang-up, or \"\""},
	{.name = "join_empty", .kind = FIELD_ENUM, .words = empties_words,
	 Q(join_empty), .def = "off", .column = "join_empty",
	 .help = "when a new caller is overflowed at once"},
	{.name = "leave_empty", .kind = FIELD_ENUM, .words = empties_words,
	 Q(leave_empty), .def = "off", .column = "leave_empty",
	 .help = "when waiting callers are overflowed"},
	MS(sticky_window_ms, 0, 90LL * 86400000, "0",
	   "with strategy sticky: how far back a caller's last agent is remembered"),
	MS(sticky_wait_ms, 0, 600000, "0",
	   "with strategy sticky: how long a caller waits for that agent"),
	/* announce.c stores these in queue_announce. */
	{.name = "announce_s", .kind = FIELD_INT, Q(announce_s), .lo = 0,
	 .hi = 3600, .def = "0", .unit = "s",
	 .help = "period of position and wait announcements (0: none)"},
	{.name = "announce_position", .kind = FIELD_BOOL,
	 Q(announce_position), .def = "true",
	 .help = "announcements say how many callers are ahead"},
	{.name = "announce_wait", .kind = FIELD_BOOL, Q(announce_wait),
	 .def = "true", .help = "announcements say the estimated wait"},
	{.name = "announce_lang", .kind = FIELD_STR, Q(announce_lang),
	 .def = "zh", .check = check_lang,
	 .help = "language of the announcements"},
	{.name = "consent_text", .kind = FIELD_STR, Q(consent_text), .def = "",
	 .column = "consent_text",
	 .help = "spoken to each caller before they wait, unless their DID's was (本次通话可能会被录音); \"\" none"},
	{.name = "consent_file", .kind = FIELD_STR, Q(consent_file), .def = "",
	 .check = check_prompt_name, .column = "consent_file",
	 .help = "an uploaded prompt played instead of consent_text; \"\" none"},
	{.name = "supervisors", .kind = FIELD_STR, Q(supervisors), .def = "",
	 .check = check_supervisors, .column = "supervisors",
	 .help = "who may listen to, whisper to and barge in on the queue's calls besides their data scope: user names and dept:ID (that department's tree's supervisors), comma-separated; \"\" none"},
};

const struct field *queue_qcfg_fields(size_t *n)
{
	*n = ARRAY_LEN(fields);
	return fields;
}

/* When a queue counts as empty for its join and leave rules; the words
 * are empties_words. */
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
	*q = (struct queue_qcfg){0};
	(void)field_defaults(fields, ARRAY_LEN(fields), q);
	util_strlcpy(q->name, name ? name : "", sizeof(q->name));
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

/* The rules the rows cannot say, each with the message the API gives. */
static int check_strategy(const char *name, const char *v, const void *base,
			  char *why, size_t n)
{
	const char *s, *doc, *cost;

	(void)base;
	for (size_t i = 0; i < acd_strategy_count(); i++)
		if (!acd_strategy_at(i, &s, &doc, &cost) && !strcmp(s, v))
			return 0;
	snprintf(why, n, "%s: unknown strategy '%s'", name, v);
	return EINVAL;
}

static int check_overflow(const char *name, const char *v, const void *base,
			  char *why, size_t n)
{
	(void)name;
	return queue_overflow_check(((const struct queue_qcfg *)base)->name, v,
				    why, n);
}

/* Whether the file loads is the host's to check (it reads the disk); a
 * relative path would depend on where the server runs. */
static int check_prompt(const char *name, const char *v, const void *base,
			char *why, size_t n)
{
	(void)base;
	if (*v && *v != '/') {
		snprintf(why, n, "%s: want an absolute path to a sound file, "
			 "or \"\"", name);
		return EINVAL;
	}
	return 0;
}

/* A flow's name; whether the flow exists is the API's to check (the IVR
 * module's), so a queue loads even when its survey flow has gone. */
static int check_survey(const char *name, const char *v, const void *base,
			char *why, size_t n)
{
	(void)base;
	for (const char *p = v; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_-", *p)) {
			snprintf(why, n, "%s: a flow's name (A-Z a-z 0-9 _ -), "
				 "or \"\"", name);
			return EINVAL;
		}
	return 0;
}

/* A prompt's name (prompt.h's rule); whether it is stored is the API's to
 * check (the prompt module's), as for survey. */
static int check_prompt_name(const char *name, const char *v,
			     const void *base, char *why, size_t n)
{
	(void)base;
	if (*v && !prompt_name_ok(v)) {
		snprintf(why, n, "%s: an uploaded prompt's name (A-Z a-z 0-9 "
			 "- _ .), or \"\"", name);
		return EINVAL;
	}
	return 0;
}

/* "lead,dept:ID": user names (api/user.c's alphabet) and department ids;
 * whether they exist is not checked (a name that is nobody grants
 * nothing), so a queue loads whoever has gone. */
static int check_supervisors(const char *name, const char *v,
			     const void *base, char *why, size_t n)
{
	static const char alpha[] = "0123456789abcdefghijklmnopqrstuvwxyz"
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ._@-";
	(void)base;
	for (const char *p = v; *p;) {
		size_t len = strcspn(p, ",");
		size_t pre = strncmp(p, "dept:", 5) ? 0 : 5;

		if (len == pre || strspn(p + pre, alpha) != len - pre) {
			snprintf(why, n, "%s: want user names and dept:ID, "
				 "comma-separated (not '%.*s')", name,
				 (int)(len > 40 ? 40 : len), p);
			return EINVAL;
		}
		p += len;
		if (*p == ',' && !*++p) {
			snprintf(why, n, "%s: an empty entry at the end", name);
			return EINVAL;
		}
	}
	return 0;
}

static int check_lang(const char *name, const char *v, const void *base,
		      char *why, size_t n)
{
	(void)base;
	if (!queue_ann_lang_ok(v)) {
		snprintf(why, n, "%s: want \"zh\" or \"en\"", name);
		return EINVAL;
	}
	return 0;
}

int queue_qcfg_apply(struct queue_qcfg *q, const json_t *obj, char *why,
		     size_t n)
{
	/* The path names the queue. */
	static const char *const skip[] = {"name", NULL};
	struct queue_qcfg t = *q;
	int err = field_apply_json(fields, ARRAY_LEN(fields), "",
				   (json_t *)obj, skip, &t, NULL, why, n);

	if (!err)
		*q = t;
	return err;
}

json_t *queue_qcfg_json(const struct queue_qcfg *q)
{
	json_t *o = json_pack("{s:s}", "name", q->name);

	for (size_t i = 0; o && i < ARRAY_LEN(fields); i++)
		json_object_set_new(o, fields[i].name,
				    field_to_json(&fields[i], q));
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
		/* A required code holds the agent in wrap-up until it is
		 * filed (the host then ends it); the long deadline only frees
		 * an agent who never files. */
		.wrapup_ms = q->wrapup_required ? QUEUE_WRAPUP_HOLD_MS :
			q->wrapup_ms,
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

static const struct field member_fields[] = {
	{.name = "skill", .kind = FIELD_INT,
	 FIELD_AT(struct queue_member_in, skill), .lo = INT32_MIN,
	 .hi = INT32_MAX, .def = "0",
	 .help = "skills-based: higher is offered first"},
	{.name = "position", .kind = FIELD_INT,
	 FIELD_AT(struct queue_member_in, position), .lo = INT32_MIN,
	 .hi = INT32_MAX, .def = "0",
	 .help = "sequential, round-robin: lower is offered first"},
};

int queue_member_parse(const json_t *e, size_t i, struct queue_member_in *m,
		       char *why, size_t n)
{
	char path[48];

	*m = (struct queue_member_in){
		.queue = json_string_value(json_object_get(e, "queue")),
	};
	for (size_t k = 0; k < ARRAY_LEN(member_fields); k++) {
		const struct field *f = &member_fields[k];
		json_t *v = json_object_get(e, f->name);

		snprintf(path, sizeof(path), "queues[%zu].%s", i, f->name);
		if (v && field_parse_json(f, path, v, m, NULL, why, n))
			return EINVAL;
	}
	return 0;
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
