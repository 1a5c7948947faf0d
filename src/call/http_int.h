/* call's HTTP handlers, shared by http.c (which lists every route of the
 * call module) and http_vm.c. Apart from call_int.h, which brings all of
 * libre: the handlers use jansson, whose names clash with re_json.h. */
#ifndef HL_CALL_HTTP_INT_H
#define HL_CALL_HTTP_INT_H

struct api_req;

/* http_vm.c: the voicemail API. */
void call_h_vm_list(struct api_req *req);
void call_h_vm_audio(struct api_req *req);
void call_h_vm_patch(struct api_req *req);
void call_h_vm_delete(struct api_req *req);

#endif
