-- 039_shifts: agents' planned shifts and breaks (src/sched, docs/wfm.md).
-- One row per shift; an agent's shifts never overlap (checked when one is
-- written). breaks is a JSON array of {"start_ms", "end_ms"} inside the
-- shift, sorted and disjoint. Times are Unix milliseconds.
CREATE TABLE shifts (
	id         TEXT PRIMARY KEY,
	agent      TEXT NOT NULL,              -- the agent's extension
	start_ms   INTEGER NOT NULL,
	end_ms     INTEGER NOT NULL,           -- after start_ms, at most 16 h on
	breaks     TEXT NOT NULL DEFAULT '[]',
	note       TEXT NOT NULL DEFAULT '',
	created_by TEXT NOT NULL,              -- the username that planned it
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX shifts_agent_start ON shifts(agent, start_ms);
CREATE INDEX shifts_start ON shifts(start_ms);
