/* queue/codes: not-ready reasons (示忙原因) and wrap-up codes (小结代码),
 * the two short lists an administrator keeps. Pure: a row from JSON,
 * checked field by field, and the lists kept sorted as the console shows
 * them (sort, then code); codes_host.c loads, stores and serves them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "queue/queue_int.h"

bool queue_code_ok(const char *code)
{
	size_t len = code ? strlen(code) : 0;

	if (len == 0 || len >= QUEUE_CODE_LEN)
		return false;
	for (size_t i = 0; i < len; i++) {
		char ch = code[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
			return false;
	}
	return true;
}

/* A label: a non-empty string that fits. */
static int label(const json_t *obj, const char *name, char *dst, size_t size,
		 char *why, size_t n)
{
	const json_t *v = json_object_get(obj, name);
	const char *s = json_string_value(v);

	if (!v)
		return 0;
	if (!s || !*s || strlen(s) >= size) {
		snprintf(why, n, "%s: want a text of 1..%zu bytes", name,
			 size - 1);
		return EINVAL;
	}
	util_strlcpy(dst, s, size);
	return 0;
}

/* The fields a row may name; anything else is refused by name. */
static const char *const known[] = {"code", "label_zh", "label_en", "sort",
				    "active", "queue", "resolved"};

static int unknown_field(enum queue_code_kind k, const json_t *obj, char *why,
			 size_t n)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)obj, key, v) {
		size_t i = 0;
		while (i < ARRAY_LEN(known) && strcmp(known[i], key))
			i++;
		if (i == ARRAY_LEN(known) ||
		    (k == QUEUE_REASONS && (!strcmp(key, "queue") ||
					    !strcmp(key, "resolved")))) {
			snprintf(why, n, "%.40s: unknown field", key);
			return EINVAL;
		}
	}
	return 0;
}

int queue_code_apply(enum queue_code_kind k, struct queue_code *c,
		     const json_t *obj, bool create, char *why, size_t n)
{
	struct queue_code t = *c;
	const json_t *v;
	int err;

	if (!json_is_object(obj)) {
		snprintf(why, n, "want a JSON object");
		return EINVAL;
	}
	if ((err = unknown_field(k, obj, why, n)))
		return err;
	if (create) {
		memset(&t, 0, sizeof(t));
		t.active = true;
		v = json_object_get(obj, "code");
		if (!queue_code_ok(json_string_value(v))) {
			snprintf(why, n, "code: want 1..%d of A-Z a-z 0-9 _ -",
				 QUEUE_CODE_LEN - 1);
			return EINVAL;
		}
		util_strlcpy(t.code, json_string_value(v), sizeof(t.code));
	} else if ((v = json_object_get(obj, "code")) &&
		   (!json_is_string(v) || strcmp(json_string_value(v), c->code))) {
		snprintf(why, n, "code: cannot be changed (delete and create)");
		return EINVAL;
	}
	if ((err = label(obj, "label_zh", t.label_zh, sizeof(t.label_zh), why,
			 n)) ||
	    (err = label(obj, "label_en", t.label_en, sizeof(t.label_en), why,
			 n)))
		return err;
	if (!t.label_zh[0] || !t.label_en[0]) {
		snprintf(why, n, "%s: required", t.label_zh[0] ? "label_en" :
			 "label_zh");
		return EINVAL;
	}
	if ((v = json_object_get(obj, "sort"))) {
		if (!json_is_integer(v) || json_integer_value(v) < -1000000 ||
		    json_integer_value(v) > 1000000) {
			snprintf(why, n, "sort: want an integer "
				 "-1000000..1000000");
			return EINVAL;
		}
		t.sort = (int32_t)json_integer_value(v);
	}
	if ((v = json_object_get(obj, "active"))) {
		if (!json_is_boolean(v)) {
			snprintf(why, n, "active: want true or false");
			return EINVAL;
		}
		t.active = json_is_true(v);
	}
	if ((v = json_object_get(obj, "queue"))) {
		if (json_is_null(v) || (json_is_string(v) &&
					!*json_string_value(v))) {
			t.queue[0] = '\0';
		} else if (!queue_name_ok(json_string_value(v))) {
			snprintf(why, n, "queue: want a queue name or null "
				 "(every queue)");
			return EINVAL;
		} else {
			util_strlcpy(t.queue, json_string_value(v),
				     sizeof(t.queue));
		}
	}
	if ((v = json_object_get(obj, "resolved"))) {
		if (!json_is_boolean(v) && !json_is_null(v)) {
			snprintf(why, n, "resolved: want true (the call's "
				 "problem was solved), false (it was not) or "
				 "null (the code does not say)");
			return EINVAL;
		}
		t.resolved = json_is_null(v) ? QUEUE_RESOLVED_UNSAID :
			json_is_true(v) ? QUEUE_RESOLVED_YES : QUEUE_RESOLVED_NO;
	}
	*c = t;
	return 0;
}

json_t *queue_code_json(enum queue_code_kind k, const struct queue_code *c)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:b}", "code", c->code,
			      "label_zh", c->label_zh, "label_en", c->label_en,
			      "sort", (int)c->sort, "active", c->active);

	if (o && k == QUEUE_WRAPUP_CODES) {
		json_object_set_new(o, "queue", c->queue[0] ?
				    json_string(c->queue) : json_null());
		json_object_set_new(o, "resolved",
			c->resolved == QUEUE_RESOLVED_UNSAID ? json_null() :
			json_boolean(c->resolved == QUEUE_RESOLVED_YES));
	}
	return o;
}

json_t *queue_codes_json(enum queue_code_kind k, const struct queue_codes *s)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < s->n; i++)
		json_array_append_new(arr, queue_code_json(k, &s->v[i]));
	return arr ? json_pack("{s:o}", "items", arr) : NULL;
}

const struct queue_code *queue_code_find(const struct queue_codes *s,
					 const char *code)
{
	for (size_t i = 0; code && i < s->n; i++)
		if (!strcmp(s->v[i].code, code))
			return &s->v[i];
	return NULL;
}

static int order(const void *a, const void *b)
{
	const struct queue_code *x = a, *y = b;

	if (x->sort != y->sort)
		return x->sort < y->sort ? -1 : 1;
	return strcmp(x->code, y->code);
}

int queue_codes_put(struct queue_codes *s, const struct queue_code *c)
{
	struct queue_code *hit = (struct queue_code *)queue_code_find(s,
								       c->code);

	if (hit) {
		*hit = *c;
	} else {
		struct queue_code *v = realloc(s->v, (s->n + 1) * sizeof(*v));
		if (!v)
			return ENOMEM;
		s->v = v;
		s->v[s->n++] = *c;
	}
	qsort(s->v, s->n, sizeof(*s->v), order);
	return 0;
}

bool queue_codes_del(struct queue_codes *s, const char *code)
{
	const struct queue_code *hit = queue_code_find(s, code);
	size_t i;

	if (!hit)
		return false;
	i = (size_t)(hit - s->v);
	memmove(&s->v[i], &s->v[i + 1], (s->n - i - 1) * sizeof(*s->v));
	s->n--;
	return true;
}

void queue_codes_free(struct queue_codes *s)
{
	free(s->v);
	s->v = NULL;
	s->n = 0;
}
