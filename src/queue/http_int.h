/* queue's HTTP handlers kept apart from http.c, which lists every route of
 * the module. */
#ifndef HL_QUEUE_HTTP_INT_H
#define HL_QUEUE_HTTP_INT_H

struct api_req;

/* http_codes.c: GET, POST, PUT and DELETE of /api/v1/not-ready-reasons and
 * /api/v1/wrapup-codes (the path picks the list). */
void queue_h_codes_list(struct api_req *req);
void queue_h_codes_create(struct api_req *req);
void queue_h_codes_update(struct api_req *req);
void queue_h_codes_delete(struct api_req *req);

/* The module's settings (settings.c), named by its export row. */
struct mod_settings;
extern const struct mod_settings queue_settings;

#endif
