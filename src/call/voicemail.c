/* call/voicemail: the "voicemail" app, a queued caller sent to a mailbox.
 *
 * When a queue overflows to "voicemail:BOX" the caller, already answered
 * and hearing music on hold, leaves the queue: the music stops, the
 * greeting (ending in a tone) plays once, and when it has been heard what
 * the caller says is recorded into a mono WAV under
 * DATA/voicemail/BOX/ID.wav. The message ends when the caller hangs up or
 * when it reaches the manager's vm_max_ms, after which Hotline hangs up.
 *
 * Facts that always hold:
 *  (1) The voicemail row is written when the recording starts and its
 *      duration when the call ends; voicemail.new is published then, once.
 *  (2) A lost prompt-end event cannot strand the caller: the greeting is
 *      given its own length plus a margin, then recording starts anyway. */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"

enum { GREETING_MARGIN_MS = 2000 };

struct call_vm {
	char id[UTIL_ID_LEN];
	char box[CALL_BOX_LEN];
	char queue[sizeof(((struct cdr *)0)->queue)];
	char rel[128];                /* relative to the data directory */
	int64_t started_ms;           /* the recording began; 0 before */
	struct tmr tmr;               /* greeting fallback, then the limit */
};

static void vm_destroy(void *arg)
{
	struct call_vm *vm = arg;

	tmr_cancel(&vm->tmr);
}

static void on_limit(void *arg)
{
	struct call *c = arg;

	log_info("voicemail.limit", "id=%s box=%s", c->vm->id, c->vm->box);
	call_end(c, "system", "voicemail-limit");
}

void call_vm_record(struct call *c)
{
	struct call_vm *vm = c->vm;
	struct call_mgr *m = c->mgr;
	char path[1024];

	if (!vm || vm->started_ms)
		return;
	snprintf(path, sizeof(path), "%s/%s", m->data_dir, vm->rel);
	vm->started_ms = util_now_ms();
	if (media_record(c->cust.media, NULL, path)) {
		log_warn("voicemail.record", "id=%s path=%s failed", vm->id,
			 path);
		call_end(c, "system", "voicemail-failed");
		return;
	}
	cdr_voicemail_started(&c->rec, vm->id, vm->box, vm->queue, vm->rel,
			      vm->started_ms);
	log_info("voicemail.record", "id=%s box=%s call=%s", vm->id, vm->box,
		 c->rec.id);
	tmr_start(&vm->tmr, m->o.vm_max_ms, on_limit, c);
}

static void on_greeting_lost(void *arg)
{
	call_vm_record(arg);
}

/* The call is ending: the message's length is stored and announced. */
static void end(struct call *c)
{
	struct call_vm *vm = c->vm;

	if (!vm || !vm->started_ms)
		return;
	cdr_voicemail_ended(&c->rec, vm->id, vm->box, vm->queue,
			    vm->started_ms, util_now_ms());
}

/* Leaves the queue for box (digits): the greeting, then the recording. */
static int take(struct call *c, const char *box)
{
	struct call_mgr *m = c->mgr;
	struct call_vm *vm = mem_zalloc(sizeof(*vm), vm_destroy);
	size_t ms;

	if (!vm)
		return ENOMEM;
	util_random_id(vm->id);
	util_strlcpy(vm->box, box, sizeof(vm->box));
	util_strlcpy(vm->queue, c->rec.queue, sizeof(vm->queue));
	snprintf(vm->rel, sizeof(vm->rel), "voicemail/%s/%s.wav", box, vm->id);
	tmr_init(&vm->tmr);
	c->vm = vm;
	/* The host has let the call go: no more hooks for it, and no phone
	 * may still be ringing for it. */
	c->queued = false;
	call_rings_flush(c);
	call_app_enter(c, &call_app_voicemail);
	c->announcing = false;   /* stopped below: its end never comes */
	media_leg_stop(c->cust.media);
	log_info("voicemail.greeting", "id=%s box=%s call=%s", vm->id, box,
		 c->rec.id);
	if (!m->o.vm_greeting ||
	    media_leg_play(c->cust.media, m->o.vm_greeting, false)) {
		call_vm_record(c);
		return 0;
	}
	ms = media_prompt_ms(m->o.vm_greeting);
	tmr_start(&vm->tmr, ms + GREETING_MARGIN_MS, on_greeting_lost, c);
	return 0;
}

int call_queue_voicemail(struct call_mgr *m, uint64_t key, const char *box)
{
	struct call *c = call_find(m, key);

	if (!c || c->app != &call_app_queue)
		return ENOENT;
	if (!box || !*box || strlen(box) >= CALL_BOX_LEN ||
	    strspn(box, "0123456789") != strlen(box))
		return EINVAL;
	if (c->leaving)
		return EBUSY;
	return call_app_voicemail.take(c, box);
}

/* The greeting has been heard: the caller speaks now. */
static void prompt_end(struct call *c, struct leg *l)
{
	if (!l->is_agent)
		call_vm_record(c);
}

const struct call_app call_app_voicemail = {
	.name = "voicemail",
	.take = take,
	.caller_cause = "voicemail",
	.prompt_end = prompt_end,
	.end = end,
};
