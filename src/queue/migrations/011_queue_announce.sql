-- 011_queue_announce: what a queue tells its waiting callers (docs/acd.md,
-- "Announcements"). One row per queue that has set any of it; a queue
-- without a row has the defaults (no announcements).
CREATE TABLE queue_announce (
	queue      TEXT PRIMARY KEY REFERENCES queues(name) ON DELETE CASCADE,
	period_s   INTEGER NOT NULL,   -- announce_s: 0 = off
	position   INTEGER NOT NULL,   -- 1: say how many callers are ahead
	wait       INTEGER NOT NULL,   -- 1: say the estimated wait
	lang       TEXT NOT NULL       -- zh or en
);
