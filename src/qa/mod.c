/* qa/mod: the module's export row (app/modules.c lists it after task):
 * the /api/v1/qa routes, and the open hook that reads its setting into
 * the house. Who may do what, row by row (qa_int.h names the
 * groups; api/routes.c says what each column means): QA inspectors score,
 * agents read their own evaluations and appeal, leads decide appeals.
 * The handlers narrow further by data scope and ownership (an agent's own
 * evaluations, no inspector scoring their own call). */
#include <errno.h>
#include <stdlib.h>
#include "base/mod.h"
#include "qa/qa_int.h"

static const struct api_route rows[] = {
	{"GET",  "/api/v1/qa/scorecards",       qa_h_card_list,   API_ANYONE, 0,
	 "scorecards (质检单), latest versions: ?queue= (for that queue or any)"},
	{"POST", "/api/v1/qa/scorecards",       qa_h_card_create, QA_EDITORS, 0,
	 "make a scorecard: name, mode weights|points, queue, direction, "
	 "sections of items (weights add up to 100)"},
	{"GET",  "/api/v1/qa/scorecards/{id}",  qa_h_card_get,    API_ANYONE, 0,
	 "one scorecard whole with its versions; ?version= an older one"},
	{"PUT",  "/api/v1/qa/scorecards/{id}",  qa_h_card_update, QA_EDITORS, 0,
	 "edit a scorecard: saves the next version (old evaluations keep "
	 "theirs); active false retires it"},
	{"GET",  "/api/v1/qa/evaluations",      qa_h_eval_list,   QA_READERS, 0,
	 "evaluations, newest first, in the data scope (agents: their own): "
	 "agent, inspector, state, scorecard_id, call_id, queue, from/to, "
	 "limit, cursor"},
	{"POST", "/api/v1/qa/evaluations",      qa_h_eval_create, QA_INSPECTORS, 0,
	 "score a call: call_id, scorecard_id (optional), answers, pins "
	 "(comments at recording offsets), comment"},
	{"GET",  "/api/v1/qa/evaluations/{id}", qa_h_eval_get,    QA_READERS, 0,
	 "one evaluation with its appeal and history"},
	{"POST", "/api/v1/qa/evaluations/{id}/appeal", qa_h_appeal,
	 API_R_AGENT, 0,
	 "the evaluated agent appeals, once, before the deadline: reason"},
	{"POST", "/api/v1/qa/evaluations/{id}/decision", qa_h_decision,
	 QA_LEADS, 0,
	 "a lead decides an appeal: outcome upheld|changed, reason, score "
	 "(when changed)"},
	{"POST", "/api/v1/qa/samples",          qa_h_sample_draw, QA_EDITORS, 0,
	 "draw a sample: plan per-agent (n)|percent (pct)|all, from/to, "
	 "queue, agent, filter, inspectors, seed"},
	{"GET",  "/api/v1/qa/samples",          qa_h_sample_list, QA_EDITORS, 0,
	 "drawn calls and who inspects them: sample_id, inspector (me), "
	 "state pending|done, limit"},
	{"GET",  "/api/v1/qa/calibration",      qa_h_calibration, QA_EDITORS, 0,
	 "calibration (校准) of one call scored by several inspectors: "
	 "call_id; per item the answers, consensus, agreement and spread, "
	 "per inspector the deviation from the mean"},
	{"GET",  "/api/v1/qa/calibrations",     qa_h_session_list, QA_EDITORS, 0,
	 "calibration sessions in the data scope, newest first: state "
	 "open|closed, inspector=me (invited), limit"},
	{"POST", "/api/v1/qa/calibrations",     qa_h_session_create, QA_LEADS, 0,
	 "a lead opens a blind calibration session: call_id, scorecard_id "
	 "(optional), inspectors (2 or more usernames), note"},
	{"GET",  "/api/v1/qa/calibrations/{id}", qa_h_session_get, QA_EDITORS, 0,
	 "one calibration session: who has scored, and its report unless "
	 "the caller is still blind"},
	{"POST", "/api/v1/qa/calibrations/{id}/close", qa_h_session_close,
	 QA_LEADS, 0,
	 "the lead closes a calibration session: every evaluation of the "
	 "call readable again, the report open"},
	{"GET",  "/api/v1/qa/inspectors",       qa_h_inspectors,  QA_EDITORS, 0,
	 "the users who may score calls (QA inspectors, then admins)"},
	{"GET",  "/api/v1/qa/cases",            qa_h_case_list,   QA_READERS, 0,
	 "teaching cases (教学案例) shared with the caller's team or in the "
	 "data scope, newest first: kind, department_id, limit"},
	{"POST", "/api/v1/qa/cases",            qa_h_case_create, QA_EDITORS, 0,
	 "mark a scored call as a teaching case: evaluation_id, kind "
	 "excellent|poor, note, clip_from_s, clip_to_s, department_id"},
	{"GET",  "/api/v1/qa/cases/{id}",       qa_h_case_get,    QA_READERS, 0,
	 "one teaching case with the pinned comments inside its clip"},
	{"GET",  "/api/v1/qa/cases/{id}/clip",  qa_h_case_clip,   QA_READERS,
	 API_F_QUERY_TOKEN | API_F_AUDIT,
	 "the case's clip of the recording as a WAV (nothing outside it)"},
	{"DELETE", "/api/v1/qa/cases/{id}",     qa_h_case_delete, QA_EDITORS, 0,
	 "withdraw a teaching case (its author or an admin)"},
	{"GET",  "/api/v1/qa/teams",            qa_h_teams,       QA_EDITORS, 0,
	 "the departments a teaching case may be shared with"},
	{"GET",  "/api/v1/qa/reports",          qa_h_report,      QA_REPORTERS, 0,
	 "QA reports (质检考评报表) over from/to: by=agent|queue|inspector "
	 "(average score, appeals, workload) or by=item (pass rates); "
	 "format=csv|xlsx"},
};
static const struct mod_routes routes = {rows, ARRAY_LEN(rows)};

/* The settings, read once into the house, where the handlers (which
 * reach nothing else) find them. */
static int settings_open(struct mod_house *h, char *err, size_t n)
{
	return mod_settings_load(h, &qa_settings, (void **)&h->qa, err,
				 n);
}

static void settings_stop(struct mod_house *h)
{
	free(h->qa);
	h->qa = NULL;
}

const struct mod_export qa_module = {
	.name = "qa", .open = settings_open, .stop = settings_stop,
	.routes = &routes, .settings = &qa_settings,
};
