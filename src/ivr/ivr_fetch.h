/* ivr/fetch: the HTTP client behind the "http" node (the self-service
 * query), on libre's loop. One fetch is one HTTP/1.1 request on its own
 * TCP connection ("Connection: close"), answered by a JSON object.
 *
 * Only http:// URLs whose host is an IPv4 address or "localhost" are
 * fetched; anything else (https://, a name to resolve, IPv6) is EINVAL at
 * start. HTTPS and DNS come later.
 *
 * Facts that always hold:
 *  (1) A fetch that started (0 from ivr_fetch_start) calls its handler
 *      exactly once, later, from the loop — unless it is cancelled first;
 *      after a cancel it never calls.
 *  (2) The handler's err is 0 with a JSON object, or one of:
 *        ETIMEDOUT     no complete answer within the timeout
 *        ECONNREFUSED  nothing listens at the address
 *        EIO           the connection failed or closed before a whole
 *                      answer came
 *        EPROTO        an answer that is not HTTP, a status other than
 *                      2xx, a body that is not one JSON object, or a body
 *                      over IVR_FETCH_BODY_MAX bytes
 *  (3) Nothing waits: connect, send and receive are the loop's events.
 *
 * Loop thread only. This header leaves jansson out (libre's re.h clashes
 * with it): the answer is named by jansson's json_t. */
#ifndef HL_IVR_FETCH_H
#define HL_IVR_FETCH_H

#include <stdint.h>

struct ivr_fetch;
struct json_t;

enum { IVR_FETCH_BODY_MAX = 64 * 1024 };

/* The fetch is over: err 0 and answer a JSON object (borrowed: valid until
 * the handler returns), or an errno of fact (2) and answer NULL. The
 * handler may mem_deref the fetch, or cancel any other. */
typedef void (ivr_fetch_h)(int err, const struct json_t *answer, void *arg);

/* Starts method ("GET" or "POST") to url with timeout_ms (1 ms or more);
 * a POST sends body (JSON text, or NULL: "{}") as application/json.
 * 0 and *fp, which is the caller's: mem_deref cancels it (from anywhere,
 * its own handler included). EINVAL for a URL or method outside what the
 * header says, ENOMEM, or the error connecting at once: no handler call. */
int ivr_fetch_start(struct ivr_fetch **fp, const char *method,
		    const char *url, const char *body, uint32_t timeout_ms,
		    ivr_fetch_h *h, void *arg);

#endif
