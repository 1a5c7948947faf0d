-- 005_queues: ACD queues and who serves them, the agents' persisted state,
-- and the KPI buckets (docs/kpi.md). Configuration and state are kept apart:
-- configuration is what an administrator sets, state is what the router
-- was doing, saved so a restart logs nobody out and resets no counter.
CREATE TABLE queues (
	name              TEXT PRIMARY KEY,
	id                INTEGER NOT NULL UNIQUE,   -- the router's numeric id
	strategy          TEXT NOT NULL,
	ring_timeout_ms   INTEGER NOT NULL,
	retry_ms          INTEGER NOT NULL,
	max_wait_ms       INTEGER NOT NULL,          -- 0: no limit
	max_len           INTEGER NOT NULL,          -- 0: no limit
	wrapup_ms         INTEGER NOT NULL,
	noanswer_pause_ms INTEGER NOT NULL,
	noanswer_max      INTEGER NOT NULL,          -- 0: never
	weight            INTEGER NOT NULL,
	overflow          TEXT NOT NULL,             -- hangup, or queue:NAME
	sl_ms             INTEGER NOT NULL,
	short_abandon_ms  INTEGER NOT NULL,
	created_at        INTEGER NOT NULL
);

CREATE TABLE queue_members (
	queue    TEXT NOT NULL REFERENCES queues(name) ON DELETE CASCADE,
	ext      TEXT NOT NULL,
	skill    INTEGER NOT NULL DEFAULT 0,
	position INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (queue, ext)
);

-- One row per agent the router knows: its state when last saved.
CREATE TABLE agent_state (
	ext            TEXT PRIMARY KEY,
	state          TEXT NOT NULL,   -- logged_out, ready, not_ready, wrap_up
	reason         TEXT NOT NULL DEFAULT '',
	since_ms       INTEGER NOT NULL,
	idle_since_ms  INTEGER NOT NULL,
	until_ms       INTEGER NOT NULL, -- wrap-up's end, else 0
	pause_until_ms INTEGER NOT NULL,
	misses         INTEGER NOT NULL,
	calls_today    INTEGER NOT NULL,
	talk_ms_today  INTEGER NOT NULL,
	day            INTEGER NOT NULL, -- the UTC day (ms / 86400000) the counters are of
	updated_at     INTEGER NOT NULL
);

-- KPI buckets: one per scope (queue, agent), name and 15-minute interval;
-- data holds the report_fields() of struct report_bucket as a JSON object.
CREATE TABLE kpi_buckets (
	scope    TEXT NOT NULL,
	name     TEXT NOT NULL,
	start_ms INTEGER NOT NULL,
	data     TEXT NOT NULL,
	PRIMARY KEY (scope, name, start_ms)
);
CREATE INDEX kpi_buckets_start ON kpi_buckets(start_ms);
