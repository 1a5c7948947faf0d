-- 002_calls: call records (CDR) and the persistent event log.
CREATE TABLE calls (
	id           TEXT PRIMARY KEY,
	direction    TEXT NOT NULL,        -- inbound, outbound, internal
	caller       TEXT NOT NULL,        -- API field "from"
	callee       TEXT NOT NULL,        -- API field "to": the dialled DID or extension
	started_at   INTEGER NOT NULL,     -- Unix ms
	answered_at  INTEGER,
	ended_at     INTEGER,
	duration_s   INTEGER,              -- ended - started
	talk_s       INTEGER,              -- ended - answered (0 when never answered)
	agent        TEXT,                 -- the extension that answered
	queue        TEXT,
	hangup_by    TEXT,                 -- caller, agent, system
	hangup_cause TEXT,                 -- SIP status or reason
	recording    TEXT                  -- path relative to the data directory, or NULL
);
CREATE INDEX calls_started ON calls(started_at, id);

-- Every domain event from the bus, in order. seq restarts at each boot, so
-- (boot, seq) is the key; ts orders across boots.
CREATE TABLE events (
	boot    TEXT NOT NULL,
	seq     INTEGER NOT NULL,
	ts      INTEGER NOT NULL,          -- Unix ms
	type    TEXT NOT NULL,             -- call.created, call.dtmf, agent.state …
	subject TEXT NOT NULL,             -- call id, extension …
	data    TEXT NOT NULL,             -- JSON object
	PRIMARY KEY (boot, seq)
);
CREATE INDEX events_subject ON events(subject, ts);
CREATE INDEX events_ts ON events(ts);
