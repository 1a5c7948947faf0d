/* call's HTTP handlers, shared by http.c (which lists every route of the
 * call module) and http_vm.c. Apart from call_int.h, which brings all of
 * libre: the handlers use jansson, whose names clash with re_json.h. */
#ifndef HL_CALL_HTTP_INT_H
#define HL_CALL_HTTP_INT_H

#include <jansson.h>

struct api_req;
struct api_conn;

/* http.c: reads call {id} as the user may see it into *out (the caller's).
 * ENOENT: no such call; EACCES: outside their data scope; EIO. On a
 * worker (api_job). */
int  call_http_read(const struct api_req *req, json_t **out);
/* Answers an error of call_http_read: 404, 403 or 500. */
void call_http_refuse(struct api_conn *conn, int err);

/* http_filter.c: the list's search filters. sql is "" or " AND …"
 * conditions over calls' columns; bind[0..n) are their values, all text,
 * in the order of sql's '?'. */
enum { CALL_FILTER_BINDS = 16, CALL_FILTER_VALUE = 72 };
struct call_filter {
	char sql[1536];
	size_t n;
	char bind[CALL_FILTER_BINDS][CALL_FILTER_VALUE];
};
/* Reads every filter in req's query into *f: 0, or EINVAL with 400
 * answered naming the parameter. */
int  call_filter_parse(struct api_req *req, struct call_filter *f);

/* http_archive.c: recordings as one ZIP. */
void call_h_archive(struct api_req *req);
void call_h_archive_get(struct api_req *req);

/* http_survey.c: the satisfaction report. */
void call_h_satisfaction(struct api_req *req);

/* http_data.c: call-associated data. */
void call_h_data_get(struct api_req *req);
void call_h_data_put(struct api_req *req);

/* http_gate.c: runs run(req) at once for whoever sees every call (and
 * for agents, whom call control limits to their own phone); for anyone
 * else only once live call {id}'s agent is in their data scope — their
 * own extension, or one of their departments' — and 403 otherwise. */
void call_gate(struct api_req *req, void (*run)(struct api_req *req));
/* call_gate, and with monitor also for whom the call's queue names in
 * its supervisors setting (by name, or a department of their tree). */
void call_gate_for(struct api_req *req, void (*run)(struct api_req *req),
		   bool monitor);

/* http_ctl.c: call control on live calls. */
void call_h_transfer(struct api_req *req);
void call_h_transfer_complete(struct api_req *req);
void call_h_transfer_cancel(struct api_req *req);
void call_h_conference(struct api_req *req);
void call_h_monitor(struct api_req *req);
void call_h_click(struct api_req *req);
void call_h_hold(struct api_req *req);
void call_h_resume(struct api_req *req);
void call_h_dtmf(struct api_req *req);
void call_h_hangup(struct api_req *req);
void call_h_recording_ctl(struct api_req *req);

/* http_wrapup.c: file a call's wrap-up code and notes; read it back. */
void call_h_wrapup(struct api_req *req);
void call_h_wrapup_get(struct api_req *req);

/* http_vm.c: the voicemail API. */
void call_h_vm_list(struct api_req *req);
void call_h_vm_audio(struct api_req *req);
void call_h_vm_patch(struct api_req *req);
void call_h_vm_delete(struct api_req *req);

#endif
