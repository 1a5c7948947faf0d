-- 033_qa: quality inspection (质检), owned by qa/. Times are Unix ms;
-- users are users.id, agents extensions (calls.agent).
--
-- A scorecard (质检单) is a name and its versions: every save is a new
-- qa_scorecard_versions row holding the whole card (sections and items as
-- JSON, what qa/card.c reads), and an evaluation names the version it was
-- scored on, so changing a card never rewrites an old score. queue and
-- direction say which calls the card is for (NULL: any).
CREATE TABLE qa_scorecards (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	version    INTEGER NOT NULL,          -- the latest version
	queue      TEXT,
	direction  TEXT,                      -- inbound, outbound or NULL
	active     INTEGER NOT NULL DEFAULT 1,
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE TABLE qa_scorecard_versions (
	scorecard_id TEXT NOT NULL REFERENCES qa_scorecards(id),
	version      INTEGER NOT NULL,
	name         TEXT NOT NULL,
	mode         TEXT NOT NULL,           -- weights or points
	sections     TEXT NOT NULL,           -- JSON: [{title, items: [...]}]
	saved_by     TEXT NOT NULL,
	saved_at     INTEGER NOT NULL,
	PRIMARY KEY (scorecard_id, version)
);

-- One inspector's score of one call. answers is a JSON object item id →
-- {answer, comment}; pins a JSON array of comments at recording offsets
-- [{at_ms, text}]; sections each section's score (null: all N.A.). score is what the inspector gave; final_score what
-- stands after an appeal's decision (equal until then). state: scored,
-- appealed, upheld, changed.
CREATE TABLE qa_evaluations (
	id                TEXT PRIMARY KEY,
	call_id           TEXT NOT NULL,
	agent             TEXT NOT NULL,      -- the call's agent, copied
	queue             TEXT,               -- the call's queue, copied
	inspector         TEXT NOT NULL,      -- users.id
	scorecard_id      TEXT NOT NULL,
	scorecard_version INTEGER NOT NULL,
	answers           TEXT NOT NULL,
	pins              TEXT NOT NULL DEFAULT '[]',
	comment           TEXT NOT NULL DEFAULT '',
	score             REAL NOT NULL,
	earned            REAL NOT NULL,
	possible          REAL NOT NULL,
	failed_critical   INTEGER NOT NULL,
	sections          TEXT NOT NULL,      -- JSON: [{title, score}]
	final_score       REAL NOT NULL,
	state             TEXT NOT NULL DEFAULT 'scored',
	created_at        INTEGER NOT NULL
);
CREATE INDEX qa_evaluations_agent ON qa_evaluations(agent, created_at);
CREATE INDEX qa_evaluations_created ON qa_evaluations(created_at, id);
CREATE INDEX qa_evaluations_call ON qa_evaluations(call_id);

-- At most one appeal per evaluation (the primary key holds it, also
-- against two requests at once); a lead decides it once.
CREATE TABLE qa_appeals (
	evaluation_id TEXT PRIMARY KEY REFERENCES qa_evaluations(id),
	reason        TEXT NOT NULL,
	appealed_by   TEXT NOT NULL,          -- users.id
	appealed_at   INTEGER NOT NULL,
	outcome       TEXT,                   -- NULL (open), upheld, changed
	decided_by    TEXT,
	decided_at    INTEGER,
	decision      TEXT,                   -- the lead's reason
	old_score     REAL NOT NULL,
	new_score     REAL
);

-- Every step of an evaluation, in order: scored, appealed, upheld,
-- changed; detail is JSON (the reason, the scores).
CREATE TABLE qa_history (
	evaluation_id TEXT NOT NULL,
	step          INTEGER NOT NULL,       -- 1, 2, …
	action        TEXT NOT NULL,
	by_user       TEXT NOT NULL,
	at            INTEGER NOT NULL,
	detail        TEXT NOT NULL DEFAULT '{}',
	PRIMARY KEY (evaluation_id, step)
);

-- A sample is one draw of a plan; each drawn call waits for its
-- inspector (NULL: nobody could take it) until scored. A call is drawn
-- once, in any sample: the primary key.
CREATE TABLE qa_samples (
	id         TEXT PRIMARY KEY,
	plan       TEXT NOT NULL,             -- JSON, as posted
	seed       INTEGER NOT NULL,
	drawn_by   TEXT NOT NULL,
	drawn_at   INTEGER NOT NULL,
	period_from INTEGER NOT NULL,
	period_to   INTEGER NOT NULL,
	calls      INTEGER NOT NULL           -- how many were drawn
);
CREATE TABLE qa_sample_calls (
	call_id       TEXT PRIMARY KEY,
	sample_id     TEXT NOT NULL REFERENCES qa_samples(id),
	agent         TEXT NOT NULL,
	queue         TEXT,
	inspector     TEXT,                   -- users.id, NULL: unassigned
	evaluation_id TEXT                    -- set once scored
);
CREATE INDEX qa_sample_calls_sample ON qa_sample_calls(sample_id);
CREATE INDEX qa_sample_calls_inspector ON qa_sample_calls(inspector, evaluation_id);
