/* ivr/flow: compiling a flow document into nodes and edges, with every
 * problem listed. The document's shape (docs/ivr.md):
 *
 *   {"name": "main", "start": "welcome", "voice": "zh",
 *    "agent": {"key": "0", "queue": "support", "priority": 0},
 *    "on_error": "sorry",
 *    "nodes": {"welcome": {"kind": "play", "prompt": "…", "next": "menu"},
 *              …}}
 *
 * Reading goes in two passes: every node by its kind's parser (flow-level
 * keys first), then the edges are resolved and the graph checked as a whole
 * (check.c), so one save reports every problem at once. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ivr/ivr_int.h"

enum { PROBLEMS_KEPT = 200 };

void ivr_problems_reset(struct ivr_problems *pr)
{
	free(pr->v);
	memset(pr, 0, sizeof(*pr));
}

static void problem_va(struct ivr_problems *pr, const char *path,
		       const char *fmt, va_list ap)
{
	struct ivr_problem *p;

	if (pr->n >= PROBLEMS_KEPT) {
		pr->dropped++;
		return;
	}
	if (pr->n == pr->cap) {
		size_t cap = pr->cap ? pr->cap * 2 : 8;
		struct ivr_problem *v = realloc(pr->v, cap * sizeof(*v));

		if (!v) {
			pr->dropped++;
			return;
		}
		pr->v = v;
		pr->cap = cap;
	}
	p = &pr->v[pr->n++];
	snprintf(p->path, sizeof(p->path), "%s", path);
	vsnprintf(p->msg, sizeof(p->msg), fmt, ap);
}

void ivr_problem_at(struct ivr_problems *pr, const char *path,
		    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	problem_va(pr, path, fmt, ap);
	va_end(ap);
}

void ivr_cc_problem(struct ivr_cc *cc, const char *key, const char *fmt, ...)
{
	char path[IVR_PATH_MAX];
	va_list ap;

	/* A path too long to keep whole is kept cut short. */
	if (snprintf(path, sizeof(path), "%s%s%s", cc->base, key ? "." : "",
		     key ? key : "") >= (int)sizeof(path))
		path[sizeof(path) - 2] = '~';
	va_start(ap, fmt);
	problem_va(cc->pr, path, fmt, ap);
	va_end(ap);
}

/* ---- flows: references and freeing ---- */

static void node_free(struct ivr_node *n)
{
	if (n->kind && n->kind->free && n->p)
		n->kind->free(n->p);
	for (unsigned i = 0; i < n->nexits; i++)
		free(n->exits[i].to_id);
	free(n->exits);
	free(n->id);
}

static void flow_free(struct ivr_flow *f)
{
	for (unsigned i = 0; i < f->n; i++)
		node_free(&f->nodes[i]);
	free(f->nodes);
	for (unsigned i = 0; i < f->nvars; i++)
		free(f->vars[i]);
	json_decref(f->doc);
	free(f);
}

struct ivr_flow *ivr_flow_ref(struct ivr_flow *f)
{
	if (f)
		f->refs++;
	return f;
}

void ivr_flow_unref(struct ivr_flow *f)
{
	if (f && --f->refs == 0)
		flow_free(f);
}

const char *ivr_flow_name(const struct ivr_flow *f)
{
	return f->name;
}

uint32_t ivr_flow_version(const struct ivr_flow *f)
{
	return f->version;
}

json_t *ivr_flow_doc(const struct ivr_flow *f)
{
	return f->doc;
}

/* ---- the node's side of the compiler ---- */

struct ivr_exit *ivr_cc_exit(struct ivr_cc *cc, const char *name,
			     const char *key, const char *id)
{
	struct ivr_node *n = cc->node;
	struct ivr_exit *v = realloc(n->exits, (n->nexits + 1) * sizeof(*v));
	struct ivr_exit *e;

	if (!v)
		return NULL;
	n->exits = v;
	e = &v[n->nexits];
	memset(e, 0, sizeof(*e));
	snprintf(e->name, sizeof(e->name), "%s", name);
	if (snprintf(e->path, sizeof(e->path), "%s.%s", cc->base, key) >=
	    (int)sizeof(e->path))
		e->path[sizeof(e->path) - 2] = '~';
	e->to = IVR_NONE;
	if (!(e->to_id = strdup(id)))
		return NULL;
	n->nexits++;
	return e;
}

int ivr_cc_var(struct ivr_cc *cc, const char *key, const char *name)
{
	struct ivr_flow *f = cc->f;

	for (unsigned i = 0; i < f->nvars; i++) {
		if (!strcmp(f->vars[i], name))
			return (int)i;
	}
	if (f->nvars == IVR_VARS_MAX) {
		ivr_cc_problem(cc, key, "more than %d variables in one flow",
			       IVR_VARS_MAX);
		return -1;
	}
	if (!(f->vars[f->nvars] = strdup(name)))
		return -1;
	return (int)f->nvars++;
}

/* Names the interpreter always knows (docs/ivr.md, "Variables"). */
static const char *const builtins[] = {
	"caller", "did", "call_id", "province", "city", "digits",
	"time.hour", "time.minute", "time.weekday", "time.date", "time.hhmm",
};

bool ivr_builtin(const char *name)
{
	for (size_t i = 0; i < sizeof(builtins) / sizeof(*builtins); i++) {
		if (!strcmp(builtins[i], name))
			return true;
	}
	return false;
}

static bool name_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || n >= IVR_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!(c == '_' || c == '.' || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			return false;
	}
	return true;
}

void ivr_cc_reads(struct ivr_cc *cc, const char *key, const char *name)
{
	int i;

	if (!name_ok(name)) {
		ivr_cc_problem(cc, key, "\"%s\" is no variable name", name);
		return;
	}
	if (ivr_builtin(name))
		return;
	i = ivr_cc_var(cc, key, name);
	if (i >= 0)
		cc->node->reads.bits |= 1ull << i;
}

void ivr_cc_template(struct ivr_cc *cc, const char *key, const char *text)
{
	const char *p = text;

	while ((p = strchr(p, '{'))) {
		const char *e = strchr(p, '}');
		char name[IVR_NAME_MAX];
		size_t n;

		if (!e) {
			ivr_cc_problem(cc, key, "a \"{\" without \"}\"");
			return;
		}
		n = (size_t)(e - p - 1);
		if (n == 0 || n >= sizeof(name)) {
			ivr_cc_problem(cc, key, "\"{…}\" names no variable");
			p = e + 1;
			continue;
		}
		memcpy(name, p + 1, n);
		name[n] = '\0';
		ivr_cc_reads(cc, key, name);
		p = e + 1;
	}
}

/* ---- typed readers ---- */

const char *ivr_cc_str(struct ivr_cc *cc, json_t *o, const char *key,
		       bool required, size_t max)
{
	json_t *v = json_object_get(o, key);

	if (!v) {
		if (required)
			ivr_cc_problem(cc, key, "required");
		return NULL;
	}
	if (!json_is_string(v)) {
		ivr_cc_problem(cc, key, "expected text");
		return NULL;
	}
	if (json_string_length(v) == 0 && required) {
		ivr_cc_problem(cc, key, "must not be empty");
		return NULL;
	}
	if (max && json_string_length(v) > max) {
		ivr_cc_problem(cc, key, "longer than %zu bytes", max);
		return NULL;
	}
	return json_string_value(v);
}

bool ivr_cc_int(struct ivr_cc *cc, json_t *o, const char *key, bool required,
		int64_t lo, int64_t hi, int64_t def, int64_t *v)
{
	json_t *j = json_object_get(o, key);

	*v = def;
	if (!j) {
		if (required)
			ivr_cc_problem(cc, key, "required");
		return !required;
	}
	if (!json_is_integer(j) || json_integer_value(j) < lo ||
	    json_integer_value(j) > hi) {
		ivr_cc_problem(cc, key, "expected a whole number in %lld..%lld",
			       (long long)lo, (long long)hi);
		return false;
	}
	*v = json_integer_value(j);
	return true;
}

bool ivr_cc_bool(struct ivr_cc *cc, json_t *o, const char *key, bool def)
{
	json_t *j = json_object_get(o, key);

	if (!j)
		return def;
	if (!json_is_boolean(j)) {
		ivr_cc_problem(cc, key, "expected true or false");
		return def;
	}
	return json_is_true(j);
}

void ivr_prompt_free(struct ivr_prompt *p)
{
	free((char *)p->text);
	free((char *)p->file);
	free((char *)p->voice);
	memset(p, 0, sizeof(*p));
}

static bool voice_ok(const char *v)
{
	return !strcmp(v, "zh") || !strcmp(v, "en");
}

bool ivr_cc_prompt(struct ivr_cc *cc, json_t *o, const char *key,
		   bool required, struct ivr_prompt *p)
{
	json_t *v = json_object_get(o, key);
	const char *text = NULL, *file = NULL, *voice = NULL;
	char sub[IVR_PATH_MAX];

	memset(p, 0, sizeof(*p));
	if (!v) {
		if (required)
			ivr_cc_problem(cc, key, "required");
		return !required;
	}
	if (json_is_string(v)) {
		text = json_string_value(v);
	} else if (json_is_object(v)) {
		const char *k;
		json_t *x;

		json_object_foreach(v, k, x) {
			snprintf(sub, sizeof(sub), "%s.%s", key, k);
			if (!json_is_string(x)) {
				ivr_cc_problem(cc, sub, "expected text");
				return false;
			}
			if (!strcmp(k, "text"))
				text = json_string_value(x);
			else if (!strcmp(k, "file"))
				file = json_string_value(x);
			else if (!strcmp(k, "voice"))
				voice = json_string_value(x);
			else {
				ivr_cc_problem(cc, sub, "unknown key (text, "
					       "file or voice)");
				return false;
			}
		}
	} else {
		ivr_cc_problem(cc, key, "expected text or {\"text\"|\"file\"}");
		return false;
	}
	if (!!text == !!file || (text && !*text) || (file && !*file)) {
		ivr_cc_problem(cc, key, "give either text or file");
		return false;
	}
	if (text && strlen(text) > 1000) {
		ivr_cc_problem(cc, key, "text longer than 1000 bytes");
		return false;
	}
	if (voice && !voice_ok(voice)) {
		ivr_cc_problem(cc, key, "voice \"%s\" (zh or en)", voice);
		return false;
	}
	if (file && cc->env && cc->env->prompt_exists &&
	    !cc->env->prompt_exists(cc->env->arg, file)) {
		ivr_cc_problem(cc, key, "no uploaded prompt \"%s\"", file);
		return false;
	}
	if (text)
		ivr_cc_template(cc, key, text);
	p->text = text ? strdup(text) : NULL;
	p->file = file ? strdup(file) : NULL;
	p->voice = voice ? strdup(voice) : NULL;
	return true;
}

void ivr_cc_next(struct ivr_cc *cc, json_t *o, const char *key,
		 const char *exit, bool required)
{
	const char *id = ivr_cc_str(cc, o, key, required, 0);

	if (id && *id)
		(void)ivr_cc_exit(cc, exit, key, id);
}

/* ---- the flow ---- */

static int node_index(const struct ivr_flow *f, const char *id)
{
	for (unsigned i = 0; i < f->n; i++) {
		if (!strcmp(f->nodes[i].id, id))
			return (int)i;
	}
	return -1;
}

/* Keys the flow object takes; others are problems. */
static const char *const flow_keys[] = {
	"name", "start", "voice", "tz", "agent", "on_error", "nodes",
	"description", "version",
};

static bool known(const char *const *keys, size_t n, const char *k)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(keys[i], k))
			return true;
	}
	return false;
}

static void read_agent(struct ivr_cc *cc, json_t *a)
{
	struct ivr_flow *f = cc->f;
	const char *k, *q;
	int64_t prio;

	if (!a)
		return;
	snprintf(cc->base, sizeof(cc->base), "agent");
	if (!json_is_object(a)) {
		ivr_cc_problem(cc, NULL, "expected {\"key\", \"queue\"}");
		return;
	}
	k = ivr_cc_str(cc, a, "key", false, 1);
	if (k && (!*k || !strchr("0123456789*#", *k)))
		ivr_cc_problem(cc, "key", "one of 0-9, * or #");
	else if (k)
		f->agent_key = *k;
	q = ivr_cc_str(cc, a, "queue", true, IVR_NAME_MAX - 1);
	if (q && cc->env && cc->env->queue_exists &&
	    !cc->env->queue_exists(cc->env->arg, q))
		ivr_cc_problem(cc, "queue", "no queue \"%s\"", q);
	else if (q)
		snprintf(f->agent_queue, sizeof(f->agent_queue), "%s", q);
	if (ivr_cc_int(cc, a, "priority", false, 0, 100, 0, &prio))
		f->agent_priority = (int32_t)prio;
	json_t *x;

	json_object_foreach(a, k, x) {
		(void)x;
		if (strcmp(k, "key") && strcmp(k, "queue") &&
		    strcmp(k, "priority"))
			ivr_cc_problem(cc, k, "unknown key");
	}
}

/* A zone the host knows (UTC always). */
static bool tz_known(const struct ivr_env *env, const char *tz)
{
	int32_t off;

	if (!tz || strlen(tz) >= 48)
		return false;
	if (!strcmp(tz, "UTC"))
		return true;
	return env && env->tz_offset &&
		!env->tz_offset(env->arg, tz, 0, &off);
}

static int read_node(struct ivr_cc *cc, struct ivr_node *n, const char *id,
		     json_t *o)
{
	const char *kind;

	snprintf(cc->base, sizeof(cc->base), "nodes.%s", id);
	cc->node = n;
	if (!(n->id = strdup(id)))
		return ENOMEM;
	if (!name_ok(id))
		ivr_cc_problem(cc, NULL, "a node id is 1-31 of [A-Za-z0-9_.]");
	if (!json_is_object(o)) {
		ivr_cc_problem(cc, NULL, "expected an object");
		return 0;
	}
	kind = ivr_cc_str(cc, o, "kind", true, 0);
	if (!kind)
		return 0;
	if (!(n->kind = ivr_kind_find(kind))) {
		ivr_cc_problem(cc, "kind", "unknown kind \"%s\"", kind);
		return 0;
	}
	return n->kind->parse(cc, n, o);
}

static void resolve_exits(struct ivr_flow *f, struct ivr_problems *pr)
{
	for (unsigned i = 0; i < f->n; i++) {
		struct ivr_node *n = &f->nodes[i];

		for (unsigned j = 0; j < n->nexits; j++) {
			struct ivr_exit *e = &n->exits[j];
			int to = node_index(f, e->to_id);

			if (to < 0)
				ivr_problem_at(pr, e->path, "no node \"%s\"",
					       e->to_id);
			else
				e->to = (uint16_t)to;
		}
	}
}

static int read_flow(struct ivr_cc *cc, json_t *doc)
{
	struct ivr_flow *f = cc->f;
	json_t *nodes = json_object_get(doc, "nodes"), *v;
	const char *k, *s;
	size_t i = 0;
	int err;

	json_object_foreach(doc, k, v) {
		if (!known(flow_keys, sizeof(flow_keys) / sizeof(*flow_keys),
			   k))
			ivr_problem_at(cc->pr, k, "unknown key");
	}
	cc->base[0] = '\0';
	s = json_string_value(json_object_get(doc, "name"));
	if (!s || !name_ok(s) || strchr(s, '.'))
		ivr_problem_at(cc->pr, "name", "required: 1-31 of "
			       "[A-Za-z0-9_]");
	else
		snprintf(f->name, sizeof(f->name), "%s", s);
	s = json_string_value(json_object_get(doc, "voice"));
	if (json_object_get(doc, "voice") && (!s || !voice_ok(s)))
		ivr_problem_at(cc->pr, "voice", "zh or en");
	snprintf(f->voice, sizeof(f->voice), "%s", s && voice_ok(s) ? s : "zh");
	s = json_string_value(json_object_get(doc, "tz"));
	snprintf(f->tz, sizeof(f->tz), "%s", s ? s : "UTC");
	if (json_object_get(doc, "tz") && !tz_known(cc->env, s))
		ivr_problem_at(cc->pr, "tz", "no time zone \"%s\"",
			       s ? s : "");
	read_agent(cc, json_object_get(doc, "agent"));
	if (!json_is_object(nodes) || !json_object_size(nodes)) {
		ivr_problem_at(cc->pr, "nodes", "required: an object of nodes");
		return 0;
	}
	if (json_object_size(nodes) >= IVR_NONE) {
		ivr_problem_at(cc->pr, "nodes", "too many nodes");
		return 0;
	}
	f->nodes = calloc(json_object_size(nodes), sizeof(*f->nodes));
	if (!f->nodes)
		return ENOMEM;
	json_object_foreach(nodes, k, v) {
		f->n = (unsigned)++i;
		if ((err = read_node(cc, &f->nodes[i - 1], k, v)))
			return err;
	}
	resolve_exits(f, cc->pr);
	f->start = IVR_NONE;
	s = json_string_value(json_object_get(doc, "start"));
	if (!s || node_index(f, s) < 0)
		ivr_problem_at(cc->pr, "start", s ? "no node \"%s\"" :
			       "required: the first node's id", s);
	else
		f->start = (uint16_t)node_index(f, s);
	f->on_error = IVR_NONE;
	if ((s = json_string_value(json_object_get(doc, "on_error")))) {
		if (node_index(f, s) < 0)
			ivr_problem_at(cc->pr, "on_error", "no node \"%s\"",
				       s);
		else
			f->on_error = (uint16_t)node_index(f, s);
	}
	return 0;
}

int ivr_flow_compile(struct ivr_flow **fp, json_t *doc, uint32_t version,
		     const struct ivr_env *env, struct ivr_problems *pr)
{
	struct ivr_flow *f;
	struct ivr_cc cc = {.pr = pr, .env = env};
	size_t before = pr->n + pr->dropped;
	int err;

	if (!json_is_object(doc)) {
		ivr_problem_at(pr, "", "a flow is a JSON object");
		return EINVAL;
	}
	if (!(f = calloc(1, sizeof(*f))))
		return ENOMEM;
	f->refs = 1;
	f->version = version;
	f->env = env;
	f->doc = json_incref(doc);
	cc.f = f;
	err = read_flow(&cc, doc);
	/* The graph is checked even when some node had a problem, so one
	 * save lists everything; edges that lead nowhere are left out. */
	if (!err && f->n && f->start != IVR_NONE)
		ivr_check_graph(f, pr);
	if (!err && pr->n + pr->dropped != before)
		err = EINVAL;
	if (err) {
		flow_free(f);
		return err;
	}
	*fp = f;
	return 0;
}
