/* crm/body: a customer body as the API takes it (POST and PUT), checked
 * whole on the loop before anything is read: every key known, each value
 * of its type and length, the level one of crm_levels, the owner an
 * extension the registrar knows, the numbers in their stored form (the
 * list rewritten so) and none twice, and the fields only supervisors may
 * set named by someone who is one. What needs the database (numbers of
 * other customers, custom field definitions) is http_write.c's, on a
 * worker. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "base/mod.h"
#include "crm/crm_int.h"
#include "route/route.h"

enum { PHONES_MAX = 10, TAGS_MAX = 20, TAG_MAX = 32 };

/* The body's plain fields: their length limits, and whether only
 * supervisors may set them. */
static const struct {
	const char *name;
	enum { F_STR, F_BOOL, F_LEVEL, F_OWNER } kind;
	size_t max;
	bool guarded;
} plain[] = {
	{"name", F_STR, 100, false}, {"company", F_STR, 100, false},
	{"region", F_STR, 64, false}, {"notes", F_STR, 2000, false},
	{"level", F_LEVEL, 16, true}, {"owner", F_OWNER, 31, true},
	{"blacklisted", F_BOOL, 0, true},
	{"blacklist_reason", F_STR, 200, true},
};

/* Checks one plain field; 0, EINVAL (400) or EPERM (403), why set. */
static int check_plain(const struct api_user *u, struct route *rt, size_t i,
		       const json_t *v, char *why, size_t n)
{
	const char *s = json_string_value(v);
	int32_t raise;

	if (plain[i].guarded && !(u->role_bit & API_SUPERVISORS)) {
		snprintf(why, n, "%s: only supervisors and administrators "
			 "may change it", plain[i].name);
		return EPERM;
	}
	switch (plain[i].kind) {
	case F_BOOL:
		if (json_is_boolean(v))
			return 0;
		snprintf(why, n, "%s: want true or false", plain[i].name);
		return EINVAL;
	case F_LEVEL:
		if (s && !crm_level_raise(s, &raise))
			return 0;
		snprintf(why, n, "level: want normal, silver, gold or vip");
		return EINVAL;
	case F_OWNER:
		if (s && (!*s || (strlen(s) <= plain[i].max &&
		    rt && route_ext_exists(rt, s))))
			return 0;
		snprintf(why, n, "owner: want an extension (or \"\" for none)");
		return EINVAL;
	case F_STR:
		if (s && strlen(s) <= plain[i].max)
			return 0;
		snprintf(why, n, "%s: want text of at most %zu bytes",
			 plain[i].name, plain[i].max);
		return EINVAL;
	}
	return EINVAL;
}

/* phones: numbers as strings or {"number", "label"}; rewritten in place
 * as objects with the number normalised. No number twice. */
static int check_phones(json_t *arr, char *why, size_t n)
{
	size_t i, k;
	json_t *v;

	if (!json_is_array(arr) || json_array_size(arr) > PHONES_MAX) {
		snprintf(why, n, "phones: want a list of at most %d numbers",
			 PHONES_MAX);
		return EINVAL;
	}
	json_array_foreach(arr, i, v) {
		const char *num = json_is_string(v) ? json_string_value(v) :
			json_string_value(json_object_get(v, "number"));
		const char *label = json_is_object(v) ?
			json_string_value(json_object_get(v, "label")) : "";
		char norm[CRM_PHONE_MAX];

		if (!num || crm_phone_norm(num, norm) || !label ||
		    strlen(label) > 32) {
			snprintf(why, n, "phones[%zu]: want a phone number "
				 "(or {\"number\", \"label\"})", i);
			return EINVAL;
		}
		for (k = 0; k < i; k++)
			if (!strcmp(norm, json_string_value(json_object_get(
				json_array_get(arr, k), "number")))) {
				snprintf(why, n, "phones[%zu]: %s is listed "
					 "twice", i, norm);
				return EINVAL;
			}
		json_array_set_new(arr, i, json_pack("{s:s, s:s}", "number",
						     norm, "label", label));
	}
	return 0;
}

static int check_tags(const json_t *arr, char *why, size_t n)
{
	size_t i;
	json_t *v;

	if (!json_is_array(arr) || json_array_size(arr) > TAGS_MAX) {
		snprintf(why, n, "tags: want a list of at most %d tags",
			 TAGS_MAX);
		return EINVAL;
	}
	json_array_foreach(arr, i, v) {
		const char *t = json_string_value(v);
		if (!t || !*t || strlen(t) > TAG_MAX) {
			snprintf(why, n, "tags[%zu]: want text of 1..%d bytes",
				 i, TAG_MAX);
			return EINVAL;
		}
	}
	return 0;
}

/* The body's shape: every key known and well-formed. 0, EINVAL or
 * EPERM with why naming the field. */
int crm_body_check(const struct api_user *u, struct route *rt,
		   json_t *body, bool creating, char *why, size_t n)
{
	const char *key;
	json_t *v;

	json_object_foreach(body, key, v) {
		size_t i;
		int err;

		for (i = 0; i < ARRAY_LEN(plain); i++)
			if (!strcmp(key, plain[i].name))
				break;
		if (i < ARRAY_LEN(plain))
			err = check_plain(u, rt, i, v, why, n);
		else if (!strcmp(key, "phones"))
			err = check_phones(v, why, n);
		else if (!strcmp(key, "tags"))
			err = check_tags(v, why, n);
		else if (!strcmp(key, "fields")) {
			err = json_is_object(v) ? 0 : EINVAL;
			if (err)
				snprintf(why, n, "fields: want an object of "
					 "custom field values");
		}
		else {
			snprintf(why, n, "%s: no such field", key);
			err = EINVAL;
		}
		if (err)
			return err;
	}
	if (creating) {
		const char *name = json_string_value(json_object_get(body,
								     "name"));
		if (!name || !*name) {
			snprintf(why, n, "name: required");
			return EINVAL;
		}
	}
	return 0;
}

const char *crm_body_plain(size_t i)
{
	return i < ARRAY_LEN(plain) ? plain[i].name : NULL;
}
