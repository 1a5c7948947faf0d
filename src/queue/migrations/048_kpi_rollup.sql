-- 048_kpi_rollup: the center's 15-minute rows, and roll-ups that add a
-- change instead of re-summing (issue 17).
--
-- 1. Every queue's 15-minute rows summed, per interval, as a row of
--    kpi_buckets of scope 'queue' and name '*' (no queue's name: queue
--    names are A-Z a-z 0-9 _ -), like kpi_days' '*' day: the center in
--    15-minute rows reads 35,040 rows a year, not 3.5 million summed per
--    interval. The center's days are now those '*' rows summed by day,
--    as every other name's are (their `rows` counts '*' rows).
-- 2. Migration 047's triggers re-summed a day's 96 rows (and every
--    queue's day) on each write of one row: 79-266 us a row under load.
--    The writer (queue/store.c) only ever inserts a row or grows it: a
--    stored row plus a change, counters added and thresholds merged as
--    report_bucket_add merges them. So the triggers below add the row, or
--    NEW - OLD, to its day and to its interval's '*' with one single-row
--    upsert each; the thresholds merge NEW's in, which is exact when NEW
--    is OLD plus a change (the sum's threshold is then unchanged, or -1
--    because the sum now holds a -1 row). Any other write - a threshold
--    set to another value, a judged row no longer judged, a key changed,
--    a row deleted - re-sums the day and the interval whole, as 047 did.
--    A day row is therefore always the sum of its 15-minute rows, and a
--    '*' row the sum of its interval's queue rows (counters add; a
--    threshold is the one value of the rows that judged a call, 0 when
--    none did, -1 when they differ).
-- Every write goes through the triggers, whoever makes it. One that does
-- not: INSERT OR REPLACE over an existing row, whose delete fires no
-- trigger unless recursive_triggers is on (SQLite's rule), would count the
-- old row twice; nothing here writes so. Triggers are SQLite's; a
-- PostgreSQL port writes them as functions.
-- Distinct triggers for queue rows and '*' rows: a trigger does not fire
-- itself again (recursive_triggers is off), so the '*' row a queue row's
-- trigger writes reaches its day through triggers of its own.

DROP TRIGGER kpi_days_insert;
DROP TRIGGER kpi_days_update;
DROP TRIGGER kpi_days_delete;
DROP TRIGGER kpi_days_all_insert;
DROP TRIGGER kpi_days_all_delete;

-- Every queue's 15-minute rows summed, one '*' row per interval.
INSERT INTO kpi_buckets (scope, name, start_ms, sl_ms, short_ms,
	entered, queued, blocked, answered,
	answered_in_sl, answer_wait_ms, answer_ring_ms, abandoned,
	abandoned_in_sl, abandon_wait_ms, short_abandoned, overflowed,
	overflow_wait_ms, offers, ring_noanswer, transferred,
	holds, hold_ms, completed, talk_ms,
	wrap_ms, ready_ms, not_ready_ms, ringing_ms,
	talking_ms, wrapup_ms)
SELECT 'queue', '*', start_ms,
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END) ELSE -1 END,
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) ELSE -1 END,
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
WHERE scope = 'queue'
GROUP BY start_ms;

-- The center's days: its '*' intervals summed, as every other name's.
DELETE FROM kpi_days WHERE name = '*';
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
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END) ELSE -1 END,
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) ELSE -1 END,
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
WHERE scope = 'queue' AND name = '*'
GROUP BY scope, name, start_ms - start_ms % 86400000;

-- A new row: added to its day and (a queue's) to its interval's '*'.
CREATE TRIGGER kpi_rows_insert AFTER INSERT ON kpi_buckets
WHEN NEW.name != '*' BEGIN
INSERT INTO kpi_days (scope, name, start_ms, rows, sl_ms, short_ms,
	entered, queued, blocked, answered,
	answered_in_sl, answer_wait_ms, answer_ring_ms, abandoned,
	abandoned_in_sl, abandon_wait_ms, short_abandoned, overflowed,
	overflow_wait_ms, offers, ring_noanswer, transferred,
	holds, hold_ms, completed, talk_ms,
	wrap_ms, ready_ms, not_ready_ms, ringing_ms,
	talking_ms, wrapup_ms)
SELECT NEW.scope, NEW.name, NEW.start_ms - NEW.start_ms % 86400000, 1, CASE WHEN (NEW.answered + NEW.abandoned + NEW.short_abandoned > 0) THEN NEW.sl_ms ELSE 0 END, CASE WHEN (NEW.answered + NEW.abandoned + NEW.short_abandoned > 0) THEN NEW.short_ms ELSE 0 END,
	NEW.entered, NEW.queued, NEW.blocked, NEW.answered,
	NEW.answered_in_sl, NEW.answer_wait_ms, NEW.answer_ring_ms, NEW.abandoned,
	NEW.abandoned_in_sl, NEW.abandon_wait_ms, NEW.short_abandoned, NEW.overflowed,
	NEW.overflow_wait_ms, NEW.offers, NEW.ring_noanswer, NEW.transferred,
	NEW.holds, NEW.hold_ms, NEW.completed, NEW.talk_ms,
	NEW.wrap_ms, NEW.ready_ms, NEW.not_ready_ms, NEW.ringing_ms,
	NEW.talking_ms, NEW.wrapup_ms
WHERE true
ON CONFLICT (scope, name, start_ms) DO UPDATE SET
	rows = rows + 1,
	sl_ms = CASE WHEN NOT (excluded.answered + excluded.abandoned + excluded.short_abandoned > 0) THEN kpi_days.sl_ms WHEN NOT (kpi_days.answered + kpi_days.abandoned + kpi_days.short_abandoned > 0) THEN excluded.sl_ms WHEN kpi_days.sl_ms = excluded.sl_ms THEN kpi_days.sl_ms ELSE -1 END,
	short_ms = CASE WHEN NOT (excluded.answered + excluded.abandoned + excluded.short_abandoned > 0) THEN kpi_days.short_ms WHEN NOT (kpi_days.answered + kpi_days.abandoned + kpi_days.short_abandoned > 0) THEN excluded.short_ms WHEN kpi_days.short_ms = excluded.short_ms THEN kpi_days.short_ms ELSE -1 END,
	entered = kpi_days.entered + excluded.entered,
	queued = kpi_days.queued + excluded.queued,
	blocked = kpi_days.blocked + excluded.blocked,
	answered = kpi_days.answered + excluded.answered,
	answered_in_sl = kpi_days.answered_in_sl + excluded.answered_in_sl,
	answer_wait_ms = kpi_days.answer_wait_ms + excluded.answer_wait_ms,
	answer_ring_ms = kpi_days.answer_ring_ms + excluded.answer_ring_ms,
	abandoned = kpi_days.abandoned + excluded.abandoned,
	abandoned_in_sl = kpi_days.abandoned_in_sl + excluded.abandoned_in_sl,
	abandon_wait_ms = kpi_days.abandon_wait_ms + excluded.abandon_wait_ms,
	short_abandoned = kpi_days.short_abandoned + excluded.short_abandoned,
	overflowed = kpi_days.overflowed + excluded.overflowed,
	overflow_wait_ms = kpi_days.overflow_wait_ms + excluded.overflow_wait_ms,
	offers = kpi_days.offers + excluded.offers,
	ring_noanswer = kpi_days.ring_noanswer + excluded.ring_noanswer,
	transferred = kpi_days.transferred + excluded.transferred,
	holds = kpi_days.holds + excluded.holds,
	hold_ms = kpi_days.hold_ms + excluded.hold_ms,
	completed = kpi_days.completed + excluded.completed,
	talk_ms = kpi_days.talk_ms + excluded.talk_ms,
	wrap_ms = kpi_days.wrap_ms + excluded.wrap_ms,
	ready_ms = kpi_days.ready_ms + excluded.ready_ms,
	not_ready_ms = kpi_days.not_ready_ms + excluded.not_ready_ms,
	ringing_ms = kpi_days.ringing_ms + excluded.ringing_ms,
	talking_ms = kpi_days.talking_ms + excluded.talking_ms,
	wrapup_ms = kpi_days.wrapup_ms + excluded.wrapup_ms;
INSERT INTO kpi_buckets (scope, name, start_ms, sl_ms, short_ms,
	entered, queued, blocked, answered,
	answered_in_sl, answer_wait_ms, answer_ring_ms, abandoned,
	abandoned_in_sl, abandon_wait_ms, short_abandoned, overflowed,
	overflow_wait_ms, offers, ring_noanswer, transferred,
	holds, hold_ms, completed, talk_ms,
	wrap_ms, ready_ms, not_ready_ms, ringing_ms,
	talking_ms, wrapup_ms)
SELECT 'queue', '*', NEW.start_ms, CASE WHEN (NEW.answered + NEW.abandoned + NEW.short_abandoned > 0) THEN NEW.sl_ms ELSE 0 END, CASE WHEN (NEW.answered + NEW.abandoned + NEW.short_abandoned > 0) THEN NEW.short_ms ELSE 0 END,
	NEW.entered, NEW.queued, NEW.blocked, NEW.answered,
	NEW.answered_in_sl, NEW.answer_wait_ms, NEW.answer_ring_ms, NEW.abandoned,
	NEW.abandoned_in_sl, NEW.abandon_wait_ms, NEW.short_abandoned, NEW.overflowed,
	NEW.overflow_wait_ms, NEW.offers, NEW.ring_noanswer, NEW.transferred,
	NEW.holds, NEW.hold_ms, NEW.completed, NEW.talk_ms,
	NEW.wrap_ms, NEW.ready_ms, NEW.not_ready_ms, NEW.ringing_ms,
	NEW.talking_ms, NEW.wrapup_ms
WHERE NEW.scope = 'queue'
ON CONFLICT (scope, name, start_ms) DO UPDATE SET
	sl_ms = CASE WHEN NOT (excluded.answered + excluded.abandoned + excluded.short_abandoned > 0) THEN kpi_buckets.sl_ms WHEN NOT (kpi_buckets.answered + kpi_buckets.abandoned + kpi_buckets.short_abandoned > 0) THEN excluded.sl_ms WHEN kpi_buckets.sl_ms = excluded.sl_ms THEN kpi_buckets.sl_ms ELSE -1 END,
	short_ms = CASE WHEN NOT (excluded.answered + excluded.abandoned + excluded.short_abandoned > 0) THEN kpi_buckets.short_ms WHEN NOT (kpi_buckets.answered + kpi_buckets.abandoned + kpi_buckets.short_abandoned > 0) THEN excluded.short_ms WHEN kpi_buckets.short_ms = excluded.short_ms THEN kpi_buckets.short_ms ELSE -1 END,
	entered = kpi_buckets.entered + excluded.entered,
	queued = kpi_buckets.queued + excluded.queued,
	blocked = kpi_buckets.blocked + excluded.blocked,
	answered = kpi_buckets.answered + excluded.answered,
	answered_in_sl = kpi_buckets.answered_in_sl + excluded.answered_in_sl,
	answer_wait_ms = kpi_buckets.answer_wait_ms + excluded.answer_wait_ms,
	answer_ring_ms = kpi_buckets.answer_ring_ms + excluded.answer_ring_ms,
	abandoned = kpi_buckets.abandoned + excluded.abandoned,
	abandoned_in_sl = kpi_buckets.abandoned_in_sl + excluded.abandoned_in_sl,
	abandon_wait_ms = kpi_buckets.abandon_wait_ms + excluded.abandon_wait_ms,
	short_abandoned = kpi_buckets.short_abandoned + excluded.short_abandoned,
	overflowed = kpi_buckets.overflowed + excluded.overflowed,
	overflow_wait_ms = kpi_buckets.overflow_wait_ms + excluded.overflow_wait_ms,
	offers = kpi_buckets.offers + excluded.offers,
	ring_noanswer = kpi_buckets.ring_noanswer + excluded.ring_noanswer,
	transferred = kpi_buckets.transferred + excluded.transferred,
	holds = kpi_buckets.holds + excluded.holds,
	hold_ms = kpi_buckets.hold_ms + excluded.hold_ms,
	completed = kpi_buckets.completed + excluded.completed,
	talk_ms = kpi_buckets.talk_ms + excluded.talk_ms,
	wrap_ms = kpi_buckets.wrap_ms + excluded.wrap_ms,
	ready_ms = kpi_buckets.ready_ms + excluded.ready_ms,
	not_ready_ms = kpi_buckets.not_ready_ms + excluded.not_ready_ms,
	ringing_ms = kpi_buckets.ringing_ms + excluded.ringing_ms,
	talking_ms = kpi_buckets.talking_ms + excluded.talking_ms,
	wrapup_ms = kpi_buckets.wrapup_ms + excluded.wrapup_ms;
END;

-- A row grown as the writer grows it: its change added (NEW - OLD).
CREATE TRIGGER kpi_rows_update AFTER UPDATE ON kpi_buckets
WHEN NEW.name != '*' AND NEW.scope = OLD.scope AND NEW.name = OLD.name AND NEW.start_ms = OLD.start_ms
	AND (NOT (OLD.answered + OLD.abandoned + OLD.short_abandoned > 0) OR ((NEW.answered + NEW.abandoned + NEW.short_abandoned > 0)
	AND NEW.sl_ms IN (OLD.sl_ms, -1) AND NEW.short_ms IN (OLD.short_ms, -1))) BEGIN
UPDATE kpi_days SET
	sl_ms = CASE WHEN NOT (NEW.answered + NEW.abandoned + NEW.short_abandoned > 0) THEN kpi_days.sl_ms WHEN NOT (kpi_days.answered + kpi_days.abandoned + kpi_days.short_abandoned > 0) THEN NEW.sl_ms WHEN kpi_days.sl_ms = NEW.sl_ms THEN kpi_days.sl_ms ELSE -1 END,
	short_ms = CASE WHEN NOT (NEW.answered + NEW.abandoned + NEW.short_abandoned > 0) THEN kpi_days.short_ms WHEN NOT (kpi_days.answered + kpi_days.abandoned + kpi_days.short_abandoned > 0) THEN NEW.short_ms WHEN kpi_days.short_ms = NEW.short_ms THEN kpi_days.short_ms ELSE -1 END,
	entered = entered + NEW.entered - OLD.entered,
	queued = queued + NEW.queued - OLD.queued,
	blocked = blocked + NEW.blocked - OLD.blocked,
	answered = answered + NEW.answered - OLD.answered,
	answered_in_sl = answered_in_sl + NEW.answered_in_sl - OLD.answered_in_sl,
	answer_wait_ms = answer_wait_ms + NEW.answer_wait_ms - OLD.answer_wait_ms,
	answer_ring_ms = answer_ring_ms + NEW.answer_ring_ms - OLD.answer_ring_ms,
	abandoned = abandoned + NEW.abandoned - OLD.abandoned,
	abandoned_in_sl = abandoned_in_sl + NEW.abandoned_in_sl - OLD.abandoned_in_sl,
	abandon_wait_ms = abandon_wait_ms + NEW.abandon_wait_ms - OLD.abandon_wait_ms,
	short_abandoned = short_abandoned + NEW.short_abandoned - OLD.short_abandoned,
	overflowed = overflowed + NEW.overflowed - OLD.overflowed,
	overflow_wait_ms = overflow_wait_ms + NEW.overflow_wait_ms - OLD.overflow_wait_ms,
	offers = offers + NEW.offers - OLD.offers,
	ring_noanswer = ring_noanswer + NEW.ring_noanswer - OLD.ring_noanswer,
	transferred = transferred + NEW.transferred - OLD.transferred,
	holds = holds + NEW.holds - OLD.holds,
	hold_ms = hold_ms + NEW.hold_ms - OLD.hold_ms,
	completed = completed + NEW.completed - OLD.completed,
	talk_ms = talk_ms + NEW.talk_ms - OLD.talk_ms,
	wrap_ms = wrap_ms + NEW.wrap_ms - OLD.wrap_ms,
	ready_ms = ready_ms + NEW.ready_ms - OLD.ready_ms,
	not_ready_ms = not_ready_ms + NEW.not_ready_ms - OLD.not_ready_ms,
	ringing_ms = ringing_ms + NEW.ringing_ms - OLD.ringing_ms,
	talking_ms = talking_ms + NEW.talking_ms - OLD.talking_ms,
	wrapup_ms = wrapup_ms + NEW.wrapup_ms - OLD.wrapup_ms
WHERE scope = NEW.scope AND name = NEW.name
	AND start_ms = NEW.start_ms - NEW.start_ms % 86400000;
UPDATE kpi_buckets SET
	sl_ms = CASE WHEN NOT (NEW.answered + NEW.abandoned + NEW.short_abandoned > 0) THEN kpi_buckets.sl_ms WHEN NOT (kpi_buckets.answered + kpi_buckets.abandoned + kpi_buckets.short_abandoned > 0) THEN NEW.sl_ms WHEN kpi_buckets.sl_ms = NEW.sl_ms THEN kpi_buckets.sl_ms ELSE -1 END,
	short_ms = CASE WHEN NOT (NEW.answered + NEW.abandoned + NEW.short_abandoned > 0) THEN kpi_buckets.short_ms WHEN NOT (kpi_buckets.answered + kpi_buckets.abandoned + kpi_buckets.short_abandoned > 0) THEN NEW.short_ms WHEN kpi_buckets.short_ms = NEW.short_ms THEN kpi_buckets.short_ms ELSE -1 END,
	entered = entered + NEW.entered - OLD.entered,
	queued = queued + NEW.queued - OLD.queued,
	blocked = blocked + NEW.blocked - OLD.blocked,
	answered = answered + NEW.answered - OLD.answered,
	answered_in_sl = answered_in_sl + NEW.answered_in_sl - OLD.answered_in_sl,
	answer_wait_ms = answer_wait_ms + NEW.answer_wait_ms - OLD.answer_wait_ms,
	answer_ring_ms = answer_ring_ms + NEW.answer_ring_ms - OLD.answer_ring_ms,
	abandoned = abandoned + NEW.abandoned - OLD.abandoned,
	abandoned_in_sl = abandoned_in_sl + NEW.abandoned_in_sl - OLD.abandoned_in_sl,
	abandon_wait_ms = abandon_wait_ms + NEW.abandon_wait_ms - OLD.abandon_wait_ms,
	short_abandoned = short_abandoned + NEW.short_abandoned - OLD.short_abandoned,
	overflowed = overflowed + NEW.overflowed - OLD.overflowed,
	overflow_wait_ms = overflow_wait_ms + NEW.overflow_wait_ms - OLD.overflow_wait_ms,
	offers = offers + NEW.offers - OLD.offers,
	ring_noanswer = ring_noanswer + NEW.ring_noanswer - OLD.ring_noanswer,
	transferred = transferred + NEW.transferred - OLD.transferred,
	holds = holds + NEW.holds - OLD.holds,
	hold_ms = hold_ms + NEW.hold_ms - OLD.hold_ms,
	completed = completed + NEW.completed - OLD.completed,
	talk_ms = talk_ms + NEW.talk_ms - OLD.talk_ms,
	wrap_ms = wrap_ms + NEW.wrap_ms - OLD.wrap_ms,
	ready_ms = ready_ms + NEW.ready_ms - OLD.ready_ms,
	not_ready_ms = not_ready_ms + NEW.not_ready_ms - OLD.not_ready_ms,
	ringing_ms = ringing_ms + NEW.ringing_ms - OLD.ringing_ms,
	talking_ms = talking_ms + NEW.talking_ms - OLD.talking_ms,
	wrapup_ms = wrapup_ms + NEW.wrapup_ms - OLD.wrapup_ms
WHERE scope = 'queue' AND name = '*' AND start_ms = NEW.start_ms AND NEW.scope = 'queue';
END;

-- Anything else (a threshold that no sum of the row and a change gives,
-- a key changed, a row deleted): the sums it touches re-summed whole.
CREATE TRIGGER kpi_rows_rewrite AFTER UPDATE ON kpi_buckets
WHEN NEW.name != '*' AND NOT (NEW.scope = OLD.scope AND NEW.name = OLD.name AND NEW.start_ms = OLD.start_ms
	AND (NOT (OLD.answered + OLD.abandoned + OLD.short_abandoned > 0) OR ((NEW.answered + NEW.abandoned + NEW.short_abandoned > 0)
	AND NEW.sl_ms IN (OLD.sl_ms, -1) AND NEW.short_ms IN (OLD.short_ms, -1)))) BEGIN
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
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END) ELSE -1 END,
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) ELSE -1 END,
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
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END) ELSE -1 END,
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) ELSE -1 END,
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
DELETE FROM kpi_buckets WHERE scope = 'queue' AND name = '*'
	AND start_ms = OLD.start_ms
	AND OLD.scope = 'queue';
INSERT INTO kpi_buckets (scope, name, start_ms, sl_ms, short_ms,
	entered, queued, blocked, answered,
	answered_in_sl, answer_wait_ms, answer_ring_ms, abandoned,
	abandoned_in_sl, abandon_wait_ms, short_abandoned, overflowed,
	overflow_wait_ms, offers, ring_noanswer, transferred,
	holds, hold_ms, completed, talk_ms,
	wrap_ms, ready_ms, not_ready_ms, ringing_ms,
	talking_ms, wrapup_ms)
SELECT 'queue', '*', start_ms,
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END) ELSE -1 END,
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) ELSE -1 END,
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
WHERE start_ms = OLD.start_ms AND scope = 'queue' AND name != '*'
	AND OLD.scope = 'queue'
GROUP BY start_ms;
DELETE FROM kpi_buckets WHERE scope = 'queue' AND name = '*'
	AND start_ms = NEW.start_ms
	AND NEW.scope = 'queue';
INSERT INTO kpi_buckets (scope, name, start_ms, sl_ms, short_ms,
	entered, queued, blocked, answered,
	answered_in_sl, answer_wait_ms, answer_ring_ms, abandoned,
	abandoned_in_sl, abandon_wait_ms, short_abandoned, overflowed,
	overflow_wait_ms, offers, ring_noanswer, transferred,
	holds, hold_ms, completed, talk_ms,
	wrap_ms, ready_ms, not_ready_ms, ringing_ms,
	talking_ms, wrapup_ms)
SELECT 'queue', '*', start_ms,
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END) ELSE -1 END,
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) ELSE -1 END,
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
WHERE start_ms = NEW.start_ms AND scope = 'queue' AND name != '*'
	AND NEW.scope = 'queue'
GROUP BY start_ms;
END;

CREATE TRIGGER kpi_rows_delete AFTER DELETE ON kpi_buckets
WHEN OLD.name != '*' BEGIN
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
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END) ELSE -1 END,
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) ELSE -1 END,
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
DELETE FROM kpi_buckets WHERE scope = 'queue' AND name = '*'
	AND start_ms = OLD.start_ms
	AND OLD.scope = 'queue';
INSERT INTO kpi_buckets (scope, name, start_ms, sl_ms, short_ms,
	entered, queued, blocked, answered,
	answered_in_sl, answer_wait_ms, answer_ring_ms, abandoned,
	abandoned_in_sl, abandon_wait_ms, short_abandoned, overflowed,
	overflow_wait_ms, offers, ring_noanswer, transferred,
	holds, hold_ms, completed, talk_ms,
	wrap_ms, ready_ms, not_ready_ms, ringing_ms,
	talking_ms, wrapup_ms)
SELECT 'queue', '*', start_ms,
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END) ELSE -1 END,
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) ELSE -1 END,
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
WHERE start_ms = OLD.start_ms AND scope = 'queue' AND name != '*'
	AND OLD.scope = 'queue'
GROUP BY start_ms;
END;

-- The '*' rows, written by the triggers above, into the center's days.
CREATE TRIGGER kpi_all_insert AFTER INSERT ON kpi_buckets
WHEN NEW.name = '*' BEGIN
INSERT INTO kpi_days (scope, name, start_ms, rows, sl_ms, short_ms,
	entered, queued, blocked, answered,
	answered_in_sl, answer_wait_ms, answer_ring_ms, abandoned,
	abandoned_in_sl, abandon_wait_ms, short_abandoned, overflowed,
	overflow_wait_ms, offers, ring_noanswer, transferred,
	holds, hold_ms, completed, talk_ms,
	wrap_ms, ready_ms, not_ready_ms, ringing_ms,
	talking_ms, wrapup_ms)
SELECT NEW.scope, NEW.name, NEW.start_ms - NEW.start_ms % 86400000, 1, CASE WHEN (NEW.answered + NEW.abandoned + NEW.short_abandoned > 0) THEN NEW.sl_ms ELSE 0 END, CASE WHEN (NEW.answered + NEW.abandoned + NEW.short_abandoned > 0) THEN NEW.short_ms ELSE 0 END,
	NEW.entered, NEW.queued, NEW.blocked, NEW.answered,
	NEW.answered_in_sl, NEW.answer_wait_ms, NEW.answer_ring_ms, NEW.abandoned,
	NEW.abandoned_in_sl, NEW.abandon_wait_ms, NEW.short_abandoned, NEW.overflowed,
	NEW.overflow_wait_ms, NEW.offers, NEW.ring_noanswer, NEW.transferred,
	NEW.holds, NEW.hold_ms, NEW.completed, NEW.talk_ms,
	NEW.wrap_ms, NEW.ready_ms, NEW.not_ready_ms, NEW.ringing_ms,
	NEW.talking_ms, NEW.wrapup_ms
WHERE true
ON CONFLICT (scope, name, start_ms) DO UPDATE SET
	rows = rows + 1,
	sl_ms = CASE WHEN NOT (excluded.answered + excluded.abandoned + excluded.short_abandoned > 0) THEN kpi_days.sl_ms WHEN NOT (kpi_days.answered + kpi_days.abandoned + kpi_days.short_abandoned > 0) THEN excluded.sl_ms WHEN kpi_days.sl_ms = excluded.sl_ms THEN kpi_days.sl_ms ELSE -1 END,
	short_ms = CASE WHEN NOT (excluded.answered + excluded.abandoned + excluded.short_abandoned > 0) THEN kpi_days.short_ms WHEN NOT (kpi_days.answered + kpi_days.abandoned + kpi_days.short_abandoned > 0) THEN excluded.short_ms WHEN kpi_days.short_ms = excluded.short_ms THEN kpi_days.short_ms ELSE -1 END,
	entered = kpi_days.entered + excluded.entered,
	queued = kpi_days.queued + excluded.queued,
	blocked = kpi_days.blocked + excluded.blocked,
	answered = kpi_days.answered + excluded.answered,
	answered_in_sl = kpi_days.answered_in_sl + excluded.answered_in_sl,
	answer_wait_ms = kpi_days.answer_wait_ms + excluded.answer_wait_ms,
	answer_ring_ms = kpi_days.answer_ring_ms + excluded.answer_ring_ms,
	abandoned = kpi_days.abandoned + excluded.abandoned,
	abandoned_in_sl = kpi_days.abandoned_in_sl + excluded.abandoned_in_sl,
	abandon_wait_ms = kpi_days.abandon_wait_ms + excluded.abandon_wait_ms,
	short_abandoned = kpi_days.short_abandoned + excluded.short_abandoned,
	overflowed = kpi_days.overflowed + excluded.overflowed,
	overflow_wait_ms = kpi_days.overflow_wait_ms + excluded.overflow_wait_ms,
	offers = kpi_days.offers + excluded.offers,
	ring_noanswer = kpi_days.ring_noanswer + excluded.ring_noanswer,
	transferred = kpi_days.transferred + excluded.transferred,
	holds = kpi_days.holds + excluded.holds,
	hold_ms = kpi_days.hold_ms + excluded.hold_ms,
	completed = kpi_days.completed + excluded.completed,
	talk_ms = kpi_days.talk_ms + excluded.talk_ms,
	wrap_ms = kpi_days.wrap_ms + excluded.wrap_ms,
	ready_ms = kpi_days.ready_ms + excluded.ready_ms,
	not_ready_ms = kpi_days.not_ready_ms + excluded.not_ready_ms,
	ringing_ms = kpi_days.ringing_ms + excluded.ringing_ms,
	talking_ms = kpi_days.talking_ms + excluded.talking_ms,
	wrapup_ms = kpi_days.wrapup_ms + excluded.wrapup_ms;
END;

CREATE TRIGGER kpi_all_update AFTER UPDATE ON kpi_buckets
WHEN NEW.name = '*' AND NEW.scope = OLD.scope AND NEW.name = OLD.name AND NEW.start_ms = OLD.start_ms
	AND (NOT (OLD.answered + OLD.abandoned + OLD.short_abandoned > 0) OR ((NEW.answered + NEW.abandoned + NEW.short_abandoned > 0)
	AND NEW.sl_ms IN (OLD.sl_ms, -1) AND NEW.short_ms IN (OLD.short_ms, -1))) BEGIN
UPDATE kpi_days SET
	sl_ms = CASE WHEN NOT (NEW.answered + NEW.abandoned + NEW.short_abandoned > 0) THEN kpi_days.sl_ms WHEN NOT (kpi_days.answered + kpi_days.abandoned + kpi_days.short_abandoned > 0) THEN NEW.sl_ms WHEN kpi_days.sl_ms = NEW.sl_ms THEN kpi_days.sl_ms ELSE -1 END,
	short_ms = CASE WHEN NOT (NEW.answered + NEW.abandoned + NEW.short_abandoned > 0) THEN kpi_days.short_ms WHEN NOT (kpi_days.answered + kpi_days.abandoned + kpi_days.short_abandoned > 0) THEN NEW.short_ms WHEN kpi_days.short_ms = NEW.short_ms THEN kpi_days.short_ms ELSE -1 END,
	entered = entered + NEW.entered - OLD.entered,
	queued = queued + NEW.queued - OLD.queued,
	blocked = blocked + NEW.blocked - OLD.blocked,
	answered = answered + NEW.answered - OLD.answered,
	answered_in_sl = answered_in_sl + NEW.answered_in_sl - OLD.answered_in_sl,
	answer_wait_ms = answer_wait_ms + NEW.answer_wait_ms - OLD.answer_wait_ms,
	answer_ring_ms = answer_ring_ms + NEW.answer_ring_ms - OLD.answer_ring_ms,
	abandoned = abandoned + NEW.abandoned - OLD.abandoned,
	abandoned_in_sl = abandoned_in_sl + NEW.abandoned_in_sl - OLD.abandoned_in_sl,
	abandon_wait_ms = abandon_wait_ms + NEW.abandon_wait_ms - OLD.abandon_wait_ms,
	short_abandoned = short_abandoned + NEW.short_abandoned - OLD.short_abandoned,
	overflowed = overflowed + NEW.overflowed - OLD.overflowed,
	overflow_wait_ms = overflow_wait_ms + NEW.overflow_wait_ms - OLD.overflow_wait_ms,
	offers = offers + NEW.offers - OLD.offers,
	ring_noanswer = ring_noanswer + NEW.ring_noanswer - OLD.ring_noanswer,
	transferred = transferred + NEW.transferred - OLD.transferred,
	holds = holds + NEW.holds - OLD.holds,
	hold_ms = hold_ms + NEW.hold_ms - OLD.hold_ms,
	completed = completed + NEW.completed - OLD.completed,
	talk_ms = talk_ms + NEW.talk_ms - OLD.talk_ms,
	wrap_ms = wrap_ms + NEW.wrap_ms - OLD.wrap_ms,
	ready_ms = ready_ms + NEW.ready_ms - OLD.ready_ms,
	not_ready_ms = not_ready_ms + NEW.not_ready_ms - OLD.not_ready_ms,
	ringing_ms = ringing_ms + NEW.ringing_ms - OLD.ringing_ms,
	talking_ms = talking_ms + NEW.talking_ms - OLD.talking_ms,
	wrapup_ms = wrapup_ms + NEW.wrapup_ms - OLD.wrapup_ms
WHERE scope = NEW.scope AND name = NEW.name
	AND start_ms = NEW.start_ms - NEW.start_ms % 86400000;
END;

CREATE TRIGGER kpi_all_rewrite AFTER UPDATE ON kpi_buckets
WHEN NEW.name = '*' AND NOT (NEW.scope = OLD.scope AND NEW.name = OLD.name AND NEW.start_ms = OLD.start_ms
	AND (NOT (OLD.answered + OLD.abandoned + OLD.short_abandoned > 0) OR ((NEW.answered + NEW.abandoned + NEW.short_abandoned > 0)
	AND NEW.sl_ms IN (OLD.sl_ms, -1) AND NEW.short_ms IN (OLD.short_ms, -1)))) BEGIN
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
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END) ELSE -1 END,
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) ELSE -1 END,
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
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END) ELSE -1 END,
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) ELSE -1 END,
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

CREATE TRIGGER kpi_all_delete AFTER DELETE ON kpi_buckets
WHEN OLD.name = '*' BEGIN
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
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN sl_ms END) ELSE -1 END,
	CASE WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) IS NULL THEN 0
		WHEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
			= MAX(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END)
		THEN MIN(CASE WHEN answered + abandoned + short_abandoned > 0 THEN short_ms END) ELSE -1 END,
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
