/* qa_int: what the files of qa/ share (qa.h is the module's API).
 *
 * Every request is one job (struct qa_job): the handler checks the body's
 * shape on the loop, the job's work reads and writes the database on an
 * api worker (db_query, db_exec), and its done answers on the loop. A
 * refusal is a status with a reason and, for a form, every problem; the
 * work checks everything before its first write, so a refused request
 * changes nothing. */
#ifndef HL_QA_INT_H
#define HL_QA_INT_H

#include <jansson.h>
#include "api/http.h"
#include "base/events.h"
#include "qa/qa.h"
#include "qa/sample.h"

struct db;
struct db_row;

/* Who may do what (mod.c's rows; docs/api.md says it for people). */
#define QA_READERS    (API_R_ADMIN | API_R_SUPERVISOR | API_R_QA | \
		       API_R_EXECUTIVE | API_R_AGENT)
#define QA_EDITORS    (API_R_ADMIN | API_R_SUPERVISOR | API_R_QA)
#define QA_INSPECTORS (API_R_ADMIN | API_R_QA)
#define QA_LEADS      (API_R_ADMIN | API_R_SUPERVISOR)
#define QA_REPORTERS  (API_R_ADMIN | API_R_SUPERVISOR | API_R_QA | \
		       API_R_EXECUTIVE)

struct qa_job;
typedef void (qa_work_h)(struct qa_job *q, struct db *db);

struct qa_job {
	struct api_job j;
	qa_work_h *work;
	char id[API_PARAM_LEN];     /* the path's {id}, or "" */
	json_t *body;               /* the request's object, or NULL */
	int64_t now;                /* read once on the loop */
	int appeal_days;            /* the qa.appeal_days setting */
	/* results */
	uint16_t status;            /* 0: 500 */
	char why[256];              /* an error's reason */
	json_t *problems;           /* a refused form's every problem */
	json_t *out;                /* a success's body */
	enum bus_ev ev;             /* published on success when ev_data set */
	json_t *ev_data;
	char *bytes;                /* a success that is a file (malloc) */
	size_t nbytes;
	const char *hdrs;           /* its header lines */
};

/* Queues a job for req running work, with the request's JSON object body
 * when with_body (else 400 here). */
void qa_job_run(struct api_req *req, qa_work_h *work, bool with_body);
/* Sets an error result: status and reason. */
void qa_fail(struct qa_job *q, uint16_t status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Sets a 400 listing every problem of p (the first is the reason). */
void qa_fail_problems(struct qa_job *q, const struct qa_problems *p);
/* Sets the success result (takes out). */
void qa_ok(struct qa_job *q, uint16_t status, json_t *out);
/* Sets a success that is a file: len bytes of buf (taken, malloc'd)
 * under hdrs (static header lines, Content-Type among them). */
void qa_ok_bytes(struct qa_job *q, const char *hdrs, char *buf, size_t len);
/* On success, publishes ev about evaluation e (a qa_eval_json object):
 * its id, call, agent, scores and state, reason when not NULL, and who
 * hears it (audience, taken; docs/api.md's bus events). */
void qa_event(struct qa_job *q, enum bus_ev ev, const json_t *e,
	      const char *reason, json_t *audience);

/* Column helpers for JSON rows. */
json_t *qa_col_str(const struct db_row *row, int i);
json_t *qa_col_time(const struct db_row *row, int i);
/* Column i holding JSON text, parsed (null when NULL or bad). */
json_t *qa_col_json(const struct db_row *row, int i);
/* A db_row_h storing column 0 into the int64_t at arg. */
int qa_count_row(const struct db_row *row, void *arg);
/* A query word into out (n bytes): "" when absent. 0, or EINVAL with 400
 * set naming key. */
int qa_query_word(struct qa_job *q, const char *key, char *out, size_t n);
/* A query time (RFC 3339) into *ms, def when absent: 0 or EINVAL (400). */
int qa_query_time(struct qa_job *q, const char *key, int64_t def,
		  int64_t *ms);

/* card: one scorecard version, read whole. */
struct qa_version {
	json_t *sections;            /* owned */
	enum qa_mode mode;
	int64_t version;
	char name[201];
};
/* The scorecard to use for a call (http_eval.c): the one named (400
 * unless it exists and is active), else the active card for the call's
 * queue and direction, the most specific first (400 when none). 0 and
 * id, or EINVAL/EIO with q's reason set. */
int qa_card_pick(struct qa_job *q, struct db *db, const char *named,
		 const char *queue, const char *direction,
		 char id[UTIL_ID_LEN]);

/* Blind calibration (migration 040): an SQL condition true unless the
 * caller, whose users.id binds its one '?', is blind to the evaluation
 * row aliased e — an open calibration session of e's call invites the
 * caller, who has not saved their own evaluation of that call yet. The
 * evaluation lists, one evaluation and the calibration report all go
 * through it (docs/qa.md, "Calibration"). */
#define QA_BLIND_SQL(e) "NOT EXISTS (SELECT 1 FROM qa_calibrations cs " \
	"JOIN qa_calibration_inspectors ci ON ci.calibration_id = cs.id " \
	"WHERE cs.call_id = " e ".call_id AND cs.state = 'open' AND " \
	"ci.inspector = ? AND NOT EXISTS (SELECT 1 FROM qa_evaluations me " \
	"WHERE me.call_id = cs.call_id AND me.inspector = ci.inspector))"

/* An SQL condition: an agent (the role bound to its one '?') sees no
 * calibration evaluation (migration 040: practice, not their score). */
#define QA_NOT_PRACTICE_SQL(e) "(? <> 'agent' OR " e ".calibration_id " \
	"IS NULL)"

/* Reads scorecard id at version (0: the latest): 0, ENOENT or EIO. */
int  qa_version_read(struct db *db, const char *id, int64_t version,
		     struct qa_version *v);
void qa_version_free(struct qa_version *v);

/* inspectors.c: the inspectors of a draw. */
enum { QA_INSPECTORS_MAX = 200 };
struct qa_insp_set {
	struct qa_inspector insp[QA_INSPECTORS_MAX];   /* for qa_sample */
	char ids[QA_INSPECTORS_MAX][UTIL_ID_LEN];      /* users.id */
	char exts[QA_INSPECTORS_MAX][API_EXT_MAX + 1];
	char names[QA_INSPECTORS_MAX][API_NAME_MAX + 1];
	char scope[QA_INSPECTORS_MAX][16], dept[QA_INSPECTORS_MAX][API_DEPT_LEN];
	/* each inspector's agents when their scope is not all: the names
	 * and the array insp[i].agents points at (both owned) */
	json_t *agents_json[QA_INSPECTORS_MAX];
	const char **agents[QA_INSPECTORS_MAX];
	size_t n;
	bool overflow;
};
/* Reads the inspectors named (a JSON array of usernames; NULL: every qa
 * user) into *s: 0 with any problem of the names added to p, or EIO.
 * qa_insp_free(s) in either case. */
int  qa_insp_read(struct db *db, const json_t *names, struct qa_insp_set *s,
		  struct qa_problems *p);
void qa_insp_free(struct qa_insp_set *s);

/* The handlers of mod.c's routes table, which says what each does:
 * http_card.c */
void qa_h_card_list(struct api_req *req);
void qa_h_card_create(struct api_req *req);
void qa_h_card_get(struct api_req *req);
void qa_h_card_update(struct api_req *req);
/* http_eval.c, eval_list.c */
void qa_h_eval_list(struct api_req *req);
void qa_h_eval_create(struct api_req *req);
void qa_h_eval_get(struct api_req *req);
/* http_appeal.c */
void qa_h_appeal(struct api_req *req);
void qa_h_decision(struct api_req *req);
/* http_sample.c */
void qa_h_sample_draw(struct api_req *req);
void qa_h_sample_list(struct api_req *req);
/* http_report.c */
void qa_h_report(struct api_req *req);
/* report_file.c: the report's rows as a CSV or XLSX download (q's result
 * set): key names the first column (NULL: none), cols the others; the
 * total line only when total is an object. */
void qa_report_csv(struct qa_job *q, const char *key,
		   const char *const *cols, const json_t *items,
		   const json_t *total);
void qa_report_xlsx(struct qa_job *q, const char *key,
		    const char *const *cols, const json_t *items,
		    const json_t *total);
/* report_trend.c: the rows of the QA report by=trend (its query words
 * period, tz, agent read here) appended to items, *period the period
 * used: 0, EINVAL (400 set) or EIO (500 set). */
int qa_report_trend(struct qa_job *q, struct db *db, int64_t from,
		    int64_t to, json_t *items, const char **period);
/* http_calibrate.c */
void qa_h_calibration(struct api_req *req);
/* http_session.c: calibration sessions, and the inspectors to invite */
void qa_h_session_list(struct api_req *req);
void qa_h_session_create(struct api_req *req);
void qa_h_session_get(struct api_req *req);
void qa_h_session_close(struct api_req *req);
void qa_h_inspectors(struct api_req *req);
/* http_case.c: teaching cases and their clips, the teams to share with */
void qa_h_case_list(struct api_req *req);
void qa_h_case_create(struct api_req *req);
void qa_h_case_get(struct api_req *req);
void qa_h_case_clip(struct api_req *req);
void qa_h_case_delete(struct api_req *req);
void qa_h_teams(struct api_req *req);
/* The calibration report of call (http_calibrate.c's rules) over the
 * evaluations q's caller may see, only the invited inspectors' when
 * session is not NULL: 0 and *out (yours), or an error with q's reason
 * set (409 when fewer than two compare). */
int qa_cal_report(struct qa_job *q, struct db *db, const char *call,
		  const char *session, json_t **out);

/* eval_json.c: an evaluation as the API shows it. */
#define QA_EVAL_COLS "e.id, e.call_id, e.agent, e.queue, u.username, " \
	"e.scorecard_id, e.scorecard_version, e.answers, e.pins, " \
	"e.comment, e.score, e.earned, e.possible, e.failed_critical, " \
	"e.final_score, e.state, e.created_at, e.sections, e.inspector, " \
	"e.calibration_id"
#define QA_EVAL_FROM "FROM qa_evaluations e LEFT JOIN users u ON " \
	"u.id = e.inspector"
/* The QA_EVAL_COLS row as JSON, with appeal_deadline from days. */
json_t *qa_eval_json(const struct db_row *row, int appeal_days);
/* Reads evaluation id for u: 0 and *out, ENOENT, EACCES (outside u's
 * data scope) or EIO. Adds its appeal and history when full. */
int  qa_eval_read(struct db *db, const char *id, const struct api_user *u,
		  int appeal_days, bool full, json_t **out);
/* Appends a step to evaluation id's history (detail taken). */
int  qa_history_add(struct db *db, const char *id, const char *action,
		    const char *by, int64_t at, json_t *detail);

/* The module's settings (settings.c), named by its export row, and their
 * values, read once by its open hook (mod.c) into the house
 * (mod_house.qa), where the handlers find them. */
struct mod_settings;
extern const struct mod_settings qa_settings;
struct qa_values {
	uint16_t appeal_days;   /* qa.appeal_days: 0..365 */
};

#endif
