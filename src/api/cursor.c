/* api/cursor: the opaque keyset cursor a paged list hands out, over
 * (time, id): base64url of "time:id", so clients cannot read meaning into
 * it and a page starts strictly after the row it names. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sodium.h>
#include "api/api_int.h"

void api_cursor_encode(char out[API_CURSOR_LEN], int64_t started_at,
		       const char *id)
{
	char plain[API_CURSOR_LEN / 2];
	int n = snprintf(plain, sizeof(plain), "%" PRId64 ":%s", started_at, id);

	sodium_bin2base64(out, API_CURSOR_LEN, (const unsigned char *)plain,
			  (size_t)n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int api_cursor_decode(const char *s, int64_t *started_at, char id[UTIL_ID_LEN])
{
	char plain[API_CURSOR_LEN];
	size_t len;
	char *colon, *end;
	long long ts;

	if (sodium_base642bin((unsigned char *)plain, sizeof(plain) - 1, s,
			      strlen(s), NULL, &len, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) ||
	    strlen(s) == 0)
		return EINVAL;
	plain[len] = '\0';
	colon = strchr(plain, ':');
	if (!colon || colon == plain || strlen(colon + 1) >= UTIL_ID_LEN ||
	    memchr(plain, '\0', len))
		return EINVAL;
	*colon = '\0';
	errno = 0;
	ts = strtoll(plain, &end, 10);
	if (errno || *end)
		return EINVAL;
	*started_at = ts;
	strcpy(id, colon + 1);
	return 0;
}

/* A page's parameters from req's query; *bad_limit says which one was
 * refused (else the cursor). */
static int page_read(const struct api_req *req, size_t max, size_t *limit,
		     int64_t *c_ts, char c_id[UTIL_ID_LEN], bool *bad_limit)
{
	char v[API_CURSOR_LEN];
	uint64_t lim;
	int err = api_query_get(req->query, "limit", v, sizeof(v));

	*bad_limit = true;
	if (err != ENOENT) {
		if (err || util_parse_u64(v, 1, max, &lim))
			return EINVAL;
		*limit = (size_t)lim;
	}
	*bad_limit = false;
	err = api_query_get(req->query, "cursor", v, sizeof(v));
	if (err != ENOENT && (err || api_cursor_decode(v, c_ts, c_id)))
		return EINVAL;
	return 0;
}

int api_query_page(struct api_req *req, size_t max, size_t *limit,
		   int64_t *c_ts, char c_id[UTIL_ID_LEN])
{
	bool bad_limit;

	if (!page_read(req, max, limit, c_ts, c_id, &bad_limit))
		return 0;
	if (bad_limit)
		api_reply_error(req->conn, 400, "bad 'limit' (want 1..%zu)",
				max);
	else
		api_reply_error(req->conn, 400, "bad 'cursor' (use "
				"next_cursor from the previous page)");
	return EINVAL;
}

int api_query_page_why(const struct api_req *req, size_t max,
		       size_t *limit, int64_t *c_ts, char c_id[UTIL_ID_LEN],
		       char *why, size_t n)
{
	bool bad_limit;

	if (!page_read(req, max, limit, c_ts, c_id, &bad_limit))
		return 0;
	if (bad_limit)
		snprintf(why, n, "limit: want 1..%zu", max);
	else
		snprintf(why, n, "cursor: use next_cursor from the previous "
			 "page");
	return EINVAL;
}
