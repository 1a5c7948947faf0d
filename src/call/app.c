/* call/app: the table of applications a call can run, and handing a call
 * from one to the next.
 *
 * A new call is started by the app its route names (extension, queue) or
 * by "feature" for a feature code; from there an app hands the caller on:
 *
 *   extension ──answer──► talk ──REFER / API──► redirect ──answer──► talk
 *   queue ──answer──► talk            │             └─fails─► queue (fallback)
 *     │ └─overflow─► redirect, voicemail          └──► queue (target a queue)
 *   feature (alone: applies a code, confirms, hangs up)
 *
 * Each app lives in a file of its name (the queue app in queued.c). */
#include <string.h>
#include <re.h>
#include "call/call_int.h"

/* Every app the B2BUA can hand a call to. A route's kind and an app's name
 * are the same word, so a new kind of route (ivr, conference, outbound) is
 * served by adding its app here. */
const struct call_app *const call_apps[] = {
	&call_app_extension,   /* ring one phone, the caller waits unanswered */
	&call_app_queue,       /* answer, music, the queue host rings agents */
	&call_app_talk,        /* caller and agent bridged and recorded */
	&call_app_redirect,    /* an answered caller taken to an extension */
	&call_app_voicemail,   /* greeting, then the caller's message */
	&call_app_feature,     /* an extension's feature code ("*21") */
	&call_app_ivr,         /* a voice menu (ivr/), then one of the above */
	&call_app_outbound,    /* out through the dial plan's trunks */
	&call_app_click,       /* click-to-dial: the agent's phone first */
	&call_app_refuse,      /* a blacklisted caller: prompt, then BYE */
};
const size_t call_apps_n = ARRAY_LEN(call_apps);

const struct call_app *call_app_find(const char *name)
{
	for (size_t i = 0; name && i < call_apps_n; i++) {
		if (!strcmp(call_apps[i]->name, name))
			return call_apps[i];
	}
	return NULL;
}

void call_app_enter(struct call *c, const struct call_app *app)
{
	/* A timer belongs to the app that set it: a ring timeout must not
	 * fire into the conversation that followed the answer. */
	tmr_cancel(&c->tmr);
	/* The conversation's recording ends with the talk app. */
	if (c->app == &call_app_talk && app != &call_app_talk)
		call_rec_stopped(c);
	c->app = app;
}

static void on_app_timer(void *arg)
{
	struct call *c = arg;

	if (c->app->timeout)
		c->app->timeout(c);
}

void call_app_timer(struct call *c, uint64_t ms)
{
	tmr_start(&c->tmr, ms, on_app_timer, c);
}
