-- 015_ivr: IVR flows, every version kept (a call finishes on the version it
-- started with; an audit can read what callers heard on a given day), and
-- every node visit of every call (the IVR funnel and drop-off report).
-- A flow's current version is its highest; doc NULL there means deleted.
CREATE TABLE ivr_flows (
	name       TEXT NOT NULL,
	version    INTEGER NOT NULL,
	doc        TEXT,
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (name, version)
);

CREATE TABLE ivr_visits (
	call_id    TEXT NOT NULL,
	flow       TEXT NOT NULL,
	version    INTEGER NOT NULL,
	seq        INTEGER NOT NULL,      -- the visit's order within its call
	node       TEXT NOT NULL,
	kind       TEXT NOT NULL,
	entered_at INTEGER NOT NULL,
	left_at    INTEGER NOT NULL,
	exit       TEXT NOT NULL,         -- the exit taken, hangup, error
	digits     TEXT NOT NULL DEFAULT '',
	retries    INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (call_id, seq)
);
CREATE INDEX ivr_visits_flow ON ivr_visits (flow, entered_at);
