-- 040_qa_calibration_coaching: blind calibration sessions and teaching
-- cases, owned by qa/. Times are Unix ms; users are users.id.
--
-- A calibration session (校准) is one call a lead asks several inspectors
-- to score blind on one scorecard. While it is open an invited inspector
-- who has not saved their own evaluation of the call cannot read the
-- others' (qa_int.h's QA_BLIND_SQL); closing it opens everything. Whether
-- an inspector has scored is their row in qa_evaluations, not kept here.
-- One open session per call: the partial unique index holds it, also
-- against two requests at once.
CREATE TABLE qa_calibrations (
	id           TEXT PRIMARY KEY,
	call_id      TEXT NOT NULL,
	agent        TEXT NOT NULL,           -- the call's agent, copied
	queue        TEXT,
	scorecard_id TEXT NOT NULL,
	note         TEXT NOT NULL DEFAULT '',
	state        TEXT NOT NULL DEFAULT 'open',   -- open, closed
	created_by   TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	closed_by    TEXT,
	closed_at    INTEGER
);
CREATE UNIQUE INDEX qa_calibrations_open ON qa_calibrations(call_id)
	WHERE state = 'open';
CREATE INDEX qa_calibrations_created ON qa_calibrations(created_at, id);
CREATE TABLE qa_calibration_inspectors (
	calibration_id TEXT NOT NULL REFERENCES qa_calibrations(id),
	inspector      TEXT NOT NULL,         -- users.id
	PRIMARY KEY (calibration_id, inspector)
);
CREATE INDEX qa_calibration_inspectors_user
	ON qa_calibration_inspectors(inspector, calibration_id);
-- An evaluation an invited inspector saves while the call's session is
-- open names the session: it is practice on the card, not the agent's
-- score, so the agent neither sees nor appeals it, no notice goes out,
-- the reports leave it out and a sampled call still waits for its score.
ALTER TABLE qa_evaluations ADD COLUMN calibration_id TEXT;

-- A teaching case (教学案例): a scored call an inspector or lead marks as
-- an excellent or a poor example, with a note and a clip of its recording
-- (clip_from_ms..clip_to_ms, offsets in the recording), shared with a
-- team (a department: its members and those of the departments under it
-- see it). The clip is cut from the recording when played, so nothing
-- of the call outside it is served.
CREATE TABLE qa_cases (
	id            TEXT PRIMARY KEY,
	evaluation_id TEXT NOT NULL REFERENCES qa_evaluations(id),
	call_id       TEXT NOT NULL,
	agent         TEXT NOT NULL,          -- the call's agent, copied
	kind          TEXT NOT NULL,          -- excellent, poor
	note          TEXT NOT NULL,
	clip_from_ms  INTEGER NOT NULL,
	clip_to_ms    INTEGER NOT NULL,
	department_id TEXT NOT NULL,          -- departments.id
	created_by    TEXT NOT NULL,          -- users.id
	created_at    INTEGER NOT NULL
);
CREATE INDEX qa_cases_department ON qa_cases(department_id, created_at);
CREATE INDEX qa_cases_created ON qa_cases(created_at, id);
