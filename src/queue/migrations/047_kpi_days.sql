-- 047_kpi_days: each day's KPI bucket per queue and per agent beside the
-- 15-minute rows of kpi_buckets, so a report by day (a year: 365 rows a
-- name instead of 35,040) reads one row a day. A day row is always the sum
-- of its 15-minute rows as report_bucket_add sums them (counters add; a
-- threshold is the one value of the rows that judged a call, 0 when none
-- did, -1 when they differ): the triggers below recompute it from those
-- rows whenever one is written, in the same statement, so whatever writes
-- kpi_buckets (queue/store.c's writer path) keeps the days exact without
-- knowing of them. Days are UTC, as the report's rows are.
-- The triggers are SQLite's; a PostgreSQL port writes them as a
-- function and AFTER INSERT OR UPDATE OR DELETE triggers.
CREATE TABLE kpi_days (
	scope    TEXT NOT NULL,      -- queue or agent
	name     TEXT NOT NULL,      -- the queue's name or the agent's extension
	start_ms INTEGER NOT NULL,   -- the day's start (UTC midnight)
	rows     INTEGER NOT NULL,   -- 15-minute rows summed
	sl_ms             INTEGER NOT NULL DEFAULT 0,
	short_ms          INTEGER NOT NULL DEFAULT 0,
	entered           INTEGER NOT NULL DEFAULT 0,
	queued            INTEGER NOT NULL DEFAULT 0,
	blocked           INTEGER NOT NULL DEFAULT 0,
	answered          INTEGER NOT NULL DEFAULT 0,
	answered_in_sl    INTEGER NOT NULL DEFAULT 0,
	answer_wait_ms    INTEGER NOT NULL DEFAULT 0,
	answer_ring_ms    INTEGER NOT NULL DEFAULT 0,
	abandoned         INTEGER NOT NULL DEFAULT 0,
	abandoned_in_sl   INTEGER NOT NULL DEFAULT 0,
	abandon_wait_ms   INTEGER NOT NULL DEFAULT 0,
	short_abandoned   INTEGER NOT NULL DEFAULT 0,
	overflowed        INTEGER NOT NULL DEFAULT 0,
	overflow_wait_ms  INTEGER NOT NULL DEFAULT 0,
	offers            INTEGER NOT NULL DEFAULT 0,
	ring_noanswer     INTEGER NOT NULL DEFAULT 0,
	transferred       INTEGER NOT NULL DEFAULT 0,
	holds             INTEGER NOT NULL DEFAULT 0,
	hold_ms           INTEGER NOT NULL DEFAULT 0,
	completed         INTEGER NOT NULL DEFAULT 0,
	talk_ms           INTEGER NOT NULL DEFAULT 0,
	wrap_ms           INTEGER NOT NULL DEFAULT 0,
	ready_ms          INTEGER NOT NULL DEFAULT 0,
	not_ready_ms      INTEGER NOT NULL DEFAULT 0,
	ringing_ms        INTEGER NOT NULL DEFAULT 0,
	talking_ms        INTEGER NOT NULL DEFAULT 0,
	wrapup_ms         INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (scope, name, start_ms)
);

INSERT INTO kpi_days (scope, name, start_ms, rows, sl_ms, short_ms,
	entered, queued, blocked, answered,
	answered_in_sl, answer_wait_ms, answer_ring_ms, abandoned,
	abandoned_in_sl, abandon_wait_ms, short_abandoned, overflowed,
	overflow_wait_ms, offers, ring_noanswer, transferred,
	holds, hold_ms, completed, talk_ms,
	wrap_ms, ready_ms, not_ready_ms, ringing_ms,
	talking_ms, wrapup_ms)
SELECT scope, name, start_ms - start_ms % 86400000, COUNT(*),
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
		ELSE -1 END,
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
		ELSE -1 END,
	SUM(entered),
	SUM(queued),
	SUM(blocked),
	SUM(answered),
	SUM(answered_in_sl),
	SUM(answer_wait_ms),
	SUM(answer_ring_ms),
	SUM(abandoned),
	SUM(abandoned_in_sl),
	SUM(abandon_wait_ms),
	SUM(short_abandoned),
	SUM(overflowed),
	SUM(overflow_wait_ms),
	SUM(offers),
	SUM(ring_noanswer),
	SUM(transferred),
	SUM(holds),
	SUM(hold_ms),
	SUM(completed),
	SUM(talk_ms),
	SUM(wrap_ms),
	SUM(ready_ms),
	SUM(not_ready_ms),
	SUM(ringing_ms),
	SUM(talking_ms),
	SUM(wrapup_ms)
FROM kpi_buckets
GROUP BY scope, name, start_ms - start_ms % 86400000;

-- A day's rows are at most 96, read through kpi_buckets' primary key.
CREATE TRIGGER kpi_days_insert AFTER INSERT ON kpi_buckets BEGIN
DELETE FROM kpi_days WHERE scope = NEW.scope AND name = NEW.name
	AND start_ms = NEW.start_ms - NEW.start_ms % 86400000;
INSERT INTO kpi_days (scope, name, start_ms, rows, sl_ms, short_ms,
	entered, queued, blocked, answered,
	answered_in_sl, answer_wait_ms, answer_ring_ms, abandoned,
	abandoned_in_sl, abandon_wait_ms, short_abandoned, overflowed,
	overflow_wait_ms, offers, ring_noanswer, transferred,
	holds, hold_ms, completed, talk_ms,
	wrap_ms, ready_ms, not_ready_ms, ringing_ms,
	talking_ms, wrapup_ms)
SELECT scope, name, NEW.start_ms - NEW.start_ms % 86400000, COUNT(*),
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
		ELSE -1 END,
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
		ELSE -1 END,
	SUM(entered),
	SUM(queued),
	SUM(blocked),
	SUM(answered),
	SUM(answered_in_sl),
	SUM(answer_wait_ms),
	SUM(answer_ring_ms),
	SUM(abandoned),
	SUM(abandoned_in_sl),
	SUM(abandon_wait_ms),
	SUM(short_abandoned),
	SUM(overflowed),
	SUM(overflow_wait_ms),
	SUM(offers),
	SUM(ring_noanswer),
	SUM(transferred),
	SUM(holds),
	SUM(hold_ms),
	SUM(completed),
	SUM(talk_ms),
	SUM(wrap_ms),
	SUM(ready_ms),
	SUM(not_ready_ms),
	SUM(ringing_ms),
	SUM(talking_ms),
	SUM(wrapup_ms)
FROM kpi_buckets
WHERE scope = NEW.scope AND name = NEW.name
	AND start_ms >= NEW.start_ms - NEW.start_ms % 86400000
	AND start_ms < NEW.start_ms - NEW.start_ms % 86400000 + 86400000
GROUP BY scope, name;
END;

CREATE TRIGGER kpi_days_update AFTER UPDATE ON kpi_buckets BEGIN
DELETE FROM kpi_days WHERE scope = NEW.scope AND name = NEW.name
	AND start_ms = NEW.start_ms - NEW.start_ms % 86400000;
INSERT INTO kpi_days (scope, name, start_ms, rows, sl_ms, short_ms,
	entered, queued, blocked, answered,
	answered_in_sl, answer_wait_ms, answer_ring_ms, abandoned,
	abandoned_in_sl, abandon_wait_ms, short_abandoned, overflowed,
	overflow_wait_ms, offers, ring_noanswer, transferred,
	holds, hold_ms, completed, talk_ms,
	wrap_ms, ready_ms, not_ready_ms, ringing_ms,
	talking_ms, wrapup_ms)
SELECT scope, name, NEW.start_ms - NEW.start_ms % 86400000, COUNT(*),
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
		ELSE -1 END,
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
		ELSE -1 END,
	SUM(entered),
	SUM(queued),
	SUM(blocked),
	SUM(answered),
	SUM(answered_in_sl),
	SUM(answer_wait_ms),
	SUM(answer_ring_ms),
	SUM(abandoned),
	SUM(abandoned_in_sl),
	SUM(abandon_wait_ms),
	SUM(short_abandoned),
	SUM(overflowed),
	SUM(overflow_wait_ms),
	SUM(offers),
	SUM(ring_noanswer),
	SUM(transferred),
	SUM(holds),
	SUM(hold_ms),
	SUM(completed),
	SUM(talk_ms),
	SUM(wrap_ms),
	SUM(ready_ms),
	SUM(not_ready_ms),
	SUM(ringing_ms),
	SUM(talking_ms),
	SUM(wrapup_ms)
FROM kpi_buckets
WHERE scope = NEW.scope AND name = NEW.name
	AND start_ms >= NEW.start_ms - NEW.start_ms % 86400000
	AND start_ms < NEW.start_ms - NEW.start_ms % 86400000 + 86400000
GROUP BY scope, name;
END;

CREATE TRIGGER kpi_days_delete AFTER DELETE ON kpi_buckets BEGIN
DELETE FROM kpi_days WHERE scope = OLD.scope AND name = OLD.name
	AND start_ms = OLD.start_ms - OLD.start_ms % 86400000;
INSERT INTO kpi_days (scope, name, start_ms, rows, sl_ms, short_ms,
	entered, queued, blocked, answered,
	answered_in_sl, answer_wait_ms, answer_ring_ms, abandoned,
	abandoned_in_sl, abandon_wait_ms, short_abandoned, overflowed,
	overflow_wait_ms, offers, ring_noanswer, transferred,
	holds, hold_ms, completed, talk_ms,
	wrap_ms, ready_ms, not_ready_ms, ringing_ms,
	talking_ms, wrapup_ms)
SELECT scope, name, OLD.start_ms - OLD.start_ms % 86400000, COUNT(*),
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
		ELSE -1 END,
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
		ELSE -1 END,
	SUM(entered),
	SUM(queued),
	SUM(blocked),
	SUM(answered),
	SUM(answered_in_sl),
	SUM(answer_wait_ms),
	SUM(answer_ring_ms),
	SUM(abandoned),
	SUM(abandoned_in_sl),
	SUM(abandon_wait_ms),
	SUM(short_abandoned),
	SUM(overflowed),
	SUM(overflow_wait_ms),
	SUM(offers),
	SUM(ring_noanswer),
	SUM(transferred),
	SUM(holds),
	SUM(hold_ms),
	SUM(completed),
	SUM(talk_ms),
	SUM(wrap_ms),
	SUM(ready_ms),
	SUM(not_ready_ms),
	SUM(ringing_ms),
	SUM(talking_ms),
	SUM(wrapup_ms)
FROM kpi_buckets
WHERE scope = OLD.scope AND name = OLD.name
	AND start_ms >= OLD.start_ms - OLD.start_ms % 86400000
	AND start_ms < OLD.start_ms - OLD.start_ms % 86400000 + 86400000
GROUP BY scope, name;
END;

-- Every queue's day summed, as name '*' (no queue's name: queue names are
-- A-Z a-z 0-9 _ -): the center by day reads 365 rows a year, not one per
-- queue and day. Kept by the triggers below from the queues' day rows
-- (at most one per queue), as the day rows are from the 15-minute rows.
CREATE INDEX kpi_days_start ON kpi_days(scope, start_ms);
INSERT INTO kpi_days (scope, name, start_ms, rows, sl_ms, short_ms,
	entered, queued, blocked, answered,
	answered_in_sl, answer_wait_ms, answer_ring_ms, abandoned,
	abandoned_in_sl, abandon_wait_ms, short_abandoned, overflowed,
	overflow_wait_ms, offers, ring_noanswer, transferred,
	holds, hold_ms, completed, talk_ms,
	wrap_ms, ready_ms, not_ready_ms, ringing_ms,
	talking_ms, wrapup_ms)
SELECT 'queue', '*', start_ms, SUM(rows),
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
		ELSE -1 END,
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
		ELSE -1 END,
	SUM(entered),
	SUM(queued),
	SUM(blocked),
	SUM(answered),
	SUM(answered_in_sl),
	SUM(answer_wait_ms),
	SUM(answer_ring_ms),
	SUM(abandoned),
	SUM(abandoned_in_sl),
	SUM(abandon_wait_ms),
	SUM(short_abandoned),
	SUM(overflowed),
	SUM(overflow_wait_ms),
	SUM(offers),
	SUM(ring_noanswer),
	SUM(transferred),
	SUM(holds),
	SUM(hold_ms),
	SUM(completed),
	SUM(talk_ms),
	SUM(wrap_ms),
	SUM(ready_ms),
	SUM(not_ready_ms),
	SUM(ringing_ms),
	SUM(talking_ms),
	SUM(wrapup_ms)
FROM kpi_days
WHERE scope = 'queue'
GROUP BY start_ms;

CREATE TRIGGER kpi_days_all_insert AFTER INSERT ON kpi_days
WHEN NEW.scope = 'queue' AND NEW.name != '*' BEGIN
DELETE FROM kpi_days WHERE scope = 'queue' AND name = '*'
	AND start_ms = NEW.start_ms;
INSERT INTO kpi_days (scope, name, start_ms, rows, sl_ms, short_ms,
	entered, queued, blocked, answered,
	answered_in_sl, answer_wait_ms, answer_ring_ms, abandoned,
	abandoned_in_sl, abandon_wait_ms, short_abandoned, overflowed,
	overflow_wait_ms, offers, ring_noanswer, transferred,
	holds, hold_ms, completed, talk_ms,
	wrap_ms, ready_ms, not_ready_ms, ringing_ms,
	talking_ms, wrapup_ms)
SELECT 'queue', '*', NEW.start_ms, SUM(rows),
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
		ELSE -1 END,
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
		ELSE -1 END,
	SUM(entered),
	SUM(queued),
	SUM(blocked),
	SUM(answered),
	SUM(answered_in_sl),
	SUM(answer_wait_ms),
	SUM(answer_ring_ms),
	SUM(abandoned),
	SUM(abandoned_in_sl),
	SUM(abandon_wait_ms),
	SUM(short_abandoned),
	SUM(overflowed),
	SUM(overflow_wait_ms),
	SUM(offers),
	SUM(ring_noanswer),
	SUM(transferred),
	SUM(holds),
	SUM(hold_ms),
	SUM(completed),
	SUM(talk_ms),
	SUM(wrap_ms),
	SUM(ready_ms),
	SUM(not_ready_ms),
	SUM(ringing_ms),
	SUM(talking_ms),
	SUM(wrapup_ms)
FROM kpi_days
WHERE scope = 'queue' AND start_ms = NEW.start_ms AND name != '*'
GROUP BY start_ms;
END;

CREATE TRIGGER kpi_days_all_delete AFTER DELETE ON kpi_days
WHEN OLD.scope = 'queue' AND OLD.name != '*' BEGIN
DELETE FROM kpi_days WHERE scope = 'queue' AND name = '*'
	AND start_ms = OLD.start_ms;
INSERT INTO kpi_days (scope, name, start_ms, rows, sl_ms, short_ms,
	entered, queued, blocked, answered,
	answered_in_sl, answer_wait_ms, answer_ring_ms, abandoned,
	abandoned_in_sl, abandon_wait_ms, short_abandoned, overflowed,
	overflow_wait_ms, offers, ring_noanswer, transferred,
	holds, hold_ms, completed, talk_ms,
	wrap_ms, ready_ms, not_ready_ms, ringing_ms,
	talking_ms, wrapup_ms)
SELECT 'queue', '*', OLD.start_ms, SUM(rows),
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
		ELSE -1 END,
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
		ELSE -1 END,
	SUM(entered),
	SUM(queued),
	SUM(blocked),
	SUM(answered),
	SUM(answered_in_sl),
	SUM(answer_wait_ms),
	SUM(answer_ring_ms),
	SUM(abandoned),
	SUM(abandoned_in_sl),
	SUM(abandon_wait_ms),
	SUM(short_abandoned),
	SUM(overflowed),
	SUM(overflow_wait_ms),
	SUM(offers),
	SUM(ring_noanswer),
	SUM(transferred),
	SUM(holds),
	SUM(hold_ms),
	SUM(completed),
	SUM(talk_ms),
	SUM(wrap_ms),
	SUM(ready_ms),
	SUM(not_ready_ms),
	SUM(ringing_ms),
	SUM(talking_ms),
	SUM(wrapup_ms)
FROM kpi_days
WHERE scope = 'queue' AND start_ms = OLD.start_ms AND name != '*'
GROUP BY start_ms;
END;
