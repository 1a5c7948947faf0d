/* api/scope: the data scope rule (高管级 all, 管理级 departments, 普通级
 * own) as one SQL condition every module's reads share, and the masking
 * of phone numbers for users who must not see them in full. The CTI
 * WebSocket applies the same scopes to events (scope_ws.c). */
#include <errno.h>
#include <string.h>
#include "api/http.h"

static const struct {
	enum api_scope scope;
	const char *name;
} names[] = {
	{API_SCOPE_ALL,   "all"},
	{API_SCOPE_DEPTS, "departments"},
	{API_SCOPE_OWN,   "own"},
};

/* Each role's scope when none was set. */
static const struct {
	unsigned role;
	enum api_scope scope;
} defaults[] = {
	{API_R_ADMIN,      API_SCOPE_ALL},
	{API_R_EXECUTIVE,  API_SCOPE_ALL},
	{API_R_QA,         API_SCOPE_ALL},
	{API_R_SUPERVISOR, API_SCOPE_DEPTS},
	{API_R_BACKOFFICE, API_SCOPE_OWN},
	{API_R_AGENT,      API_SCOPE_OWN},
};

const char *api_scope_name(enum api_scope s)
{
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		if (names[i].scope == s)
			return names[i].name;
	}
	return NULL;
}

int api_scope_parse(const char *name, enum api_scope *s)
{
	for (size_t i = 0; name && i < ARRAY_LEN(names); i++) {
		if (!strcmp(names[i].name, name)) {
			*s = names[i].scope;
			return 0;
		}
	}
	return EINVAL;
}

enum api_scope api_scope_default(unsigned role_bit)
{
	for (size_t i = 0; i < ARRAY_LEN(defaults); i++) {
		if (defaults[i].role == role_bit)
			return defaults[i].scope;
	}
	return API_SCOPE_OWN;      /* an unknown role sees the least */
}

enum api_scope api_scope_of(const struct api_user *u)
{
	return u->scope != API_SCOPE_UNSET ? u->scope :
		api_scope_default(u->role_bit);
}

void api_scope_args(const struct api_user *u,
		    const char *args[API_SCOPE_NARGS])
{
	const char *name = api_scope_name(api_scope_of(u));

	args[0] = name;
	args[1] = u->ext;           /* "" matches no row: no agent is '' */
	args[2] = u->ext;
	args[3] = name;
	args[4] = u->dept;
}

void api_mask_number(const char *in, char *out, size_t n)
{
	size_t len = in ? strlen(in) : 0, head = 3, tail = 4;

	if (!n)
		return;
	if (len <= head + tail) {
		head = 0;
		tail = len < 2 ? len : 2;
	}
	for (size_t i = 0; i < len && i + 1 < n; i++)
		out[i] = i < head || i >= len - tail ? in[i] : '*';
	out[len < n ? len : n - 1] = '\0';
}

void api_mask_fields(const struct api_user *u, json_t *obj,
		     const char *const *fields)
{
	char m[API_MASK_LEN];

	if (!u->mask_numbers || !json_is_object(obj))
		return;
	for (size_t i = 0; fields[i]; i++) {
		const char *v = json_string_value(json_object_get(obj, fields[i]));

		if (!v)
			continue;
		api_mask_number(v, m, sizeof(m));
		json_object_set_new(obj, fields[i], json_string(m));
	}
}
