/* queue's HTTP handlers kept apart from http.c, which lists every route of
 * the module. */
#ifndef HL_QUEUE_HTTP_INT_H
#define HL_QUEUE_HTTP_INT_H

#include <stdbool.h>
#include <stdint.h>

struct api_req;

/* http_codes.c: GET, POST, PUT and DELETE of /api/v1/not-ready-reasons and
 * /api/v1/wrapup-codes (the path picks the list). */
void queue_h_codes_list(struct api_req *req);
void queue_h_codes_create(struct api_req *req);
void queue_h_codes_update(struct api_req *req);
void queue_h_codes_delete(struct api_req *req);

/* The module's settings (settings.c), named by its export row, and their
 * values, which the start hook reads once (cfg_read) into the host's
 * options. */
struct mod_settings;
extern const struct mod_settings queue_settings;
struct queue_values {
	bool phone_login;     /* left as it was when unset: the caller sets
			       * the default, demo.enabled, first */
	uint32_t flush_ms;
};

#endif
