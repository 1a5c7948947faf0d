/* api/body: request bodies are one JSON object; each field is checked by
 * name so a 400 can say exactly which field is wrong. Strings holding
 * \u0000 are refused by the parser (jansson's default), so a C string is
 * always the whole value. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "api/api_int.h"

int api_req_body(const struct api_req *req, json_t **objp, char *err,
		 size_t n)
{
	const struct mbuf *mb = req->msg->mb;

	return api_json_object(mb ? (const char *)mbuf_buf(mb) : NULL,
			       mb ? mbuf_get_left(mb) : 0, objp, err, n);
}

int api_json_object(const char *buf, size_t len, json_t **objp,
		    char *err, size_t n)
{
	json_error_t je;
	json_t *j;

	if (!buf || !len) {
		snprintf(err, n, "request body must be a JSON object");
		return EINVAL;
	}
	j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (!j) {
		snprintf(err, n, "body is not valid JSON: %s (line %d)",
			 je.text, je.line);
		return EINVAL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		snprintf(err, n, "request body must be a JSON object");
		return EINVAL;
	}
	*objp = j;
	return 0;
}

int api_json_str(const json_t *obj, const char *field, size_t maxlen,
		 const char **out, char *err, size_t n)
{
	const json_t *v = json_object_get(obj, field);
	const char *s;

	if (!v) {
		snprintf(err, n, "missing field '%s'", field);
		return EINVAL;
	}
	if (!json_is_string(v)) {
		snprintf(err, n, "field '%s' must be a string", field);
		return EINVAL;
	}
	s = json_string_value(v);
	if (!*s) {
		snprintf(err, n, "field '%s' must not be empty", field);
		return EINVAL;
	}
	if (strlen(s) > maxlen) {
		snprintf(err, n, "field '%s' is longer than %zu bytes", field,
			 maxlen);
		return EINVAL;
	}
	*out = s;
	return 0;
}

int api_query_time(struct api_req *req, const char *key, int64_t dflt,
		   int64_t *ms)
{
	char v[64];
	int err = api_query_get(req->query, key, v, sizeof(v));

	*ms = dflt;
	if (err == ENOENT)
		return 0;
	if (err || util_parse_rfc3339(v, ms)) {
		api_reply_error(req->conn, 400, "bad '%s' (want an RFC 3339 "
				"time such as 2026-01-31T08:00:00Z)", key);
		return EINVAL;
	}
	return 0;
}
