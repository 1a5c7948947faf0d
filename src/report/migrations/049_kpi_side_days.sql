-- 049_kpi_side_days: the side figures that read the calls (first-contact
-- resolution and the caller's rings, docs/kpi.md 4.18 and 4.19) of each
-- UTC day, per queue, per agent and for the center (queue '*'), so a
-- year by day reads 365 rows a name instead of a year of calls (issue 17).
--
-- A day's row is computed once the day has settled - when the FCR window
-- (report.fcr_window_h) after its end has passed, so every repeat call
-- and every piece of work left behind that can count has been made - by
-- the first report that needs it (report/side_days.c, on an API worker)
-- and stored; until then the day is read from the calls, as before. A
-- row holds the window and ring period it was computed with; a report
-- under other settings computes its own.
--
-- What can still change a settled day - a call's wrap-up code or answer
-- rewritten, a callback task cancelled, a work order handed on, a wrap-up
-- code's `resolved` flag, a call or IVR visit written late - deletes the
-- rows it can move (the triggers below, on the records of other modules:
-- they only ever touch this table), so the next report computes them
-- again from the records: a stored day is always what the records give.
-- Each such change also counts in kpi_side_gen, and a computed row is
-- stored only if no change counted since its records were read, so a
-- change made while a worker computes is never overwritten by the older
-- figures. The records of days still open (today's calls) fire no work.
CREATE TABLE kpi_side_days (
	scope          TEXT NOT NULL,     -- queue or agent
	name           TEXT NOT NULL,     -- queue, extension, or '*' (the center)
	start_ms       INTEGER NOT NULL,  -- the day's start (UTC midnight)
	settles_ms     INTEGER NOT NULL,  -- start_ms + a day + window_ms
	window_ms      INTEGER NOT NULL,  -- report.fcr_window_h it was computed with
	ring_period_ms INTEGER NOT NULL,  -- report.ring_period_ms likewise
	fcr_answered   INTEGER NOT NULL DEFAULT 0,
	fcr_resolved   INTEGER NOT NULL DEFAULT 0,
	fcr_repeated   INTEGER NOT NULL DEFAULT 0,
	fcr_followed_up INTEGER NOT NULL DEFAULT 0,
	fcr_unresolved INTEGER NOT NULL DEFAULT 0,
	rung_calls     INTEGER NOT NULL DEFAULT 0,
	rings          INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (scope, name, start_ms)
);
-- What a record at time T can move: the days d with d <= T < settles_ms.
-- Rows are stored only once settled, so for a record of today the range
-- of settles_ms > T is empty.
CREATE INDEX kpi_side_days_settles ON kpi_side_days(settles_ms);

-- n counts the changes that can move a stored day; now_ms is the latest
-- "now" a computation of days started with: only days settled by then
-- are ever stored, so a record of time T >= now_ms moves none of them
-- (their windows closed before T), and the triggers do nothing for it -
-- the calls and tasks of the day being written cost one look-up here.
CREATE TABLE kpi_side_gen (
	id     INTEGER PRIMARY KEY CHECK (id = 1),
	n      INTEGER NOT NULL,
	now_ms INTEGER NOT NULL
);
INSERT INTO kpi_side_gen (id, n, now_ms) VALUES (1, 0, 0);

-- Calls: the day of a call and the days whose window it falls in.
CREATE TRIGGER kpi_side_calls_insert AFTER INSERT ON calls
WHEN NEW.started_at < (SELECT now_ms FROM kpi_side_gen) BEGIN
DELETE FROM kpi_side_days WHERE settles_ms > NEW.started_at AND start_ms <= NEW.started_at;
UPDATE kpi_side_gen SET n = n + 1;
END;
CREATE TRIGGER kpi_side_calls_update AFTER UPDATE OF started_at, answered_at, agent, queue, caller, direction, wrapup_code ON calls
WHEN OLD.started_at < (SELECT now_ms FROM kpi_side_gen) OR NEW.started_at < (SELECT now_ms FROM kpi_side_gen) BEGIN
DELETE FROM kpi_side_days WHERE settles_ms > OLD.started_at AND start_ms <= OLD.started_at;
UPDATE kpi_side_gen SET n = n + 1;
DELETE FROM kpi_side_days WHERE settles_ms > NEW.started_at AND start_ms <= NEW.started_at;
UPDATE kpi_side_gen SET n = n + 1;
END;
CREATE TRIGGER kpi_side_calls_delete AFTER DELETE ON calls
WHEN OLD.started_at < (SELECT now_ms FROM kpi_side_gen) BEGIN
DELETE FROM kpi_side_days WHERE settles_ms > OLD.started_at AND start_ms <= OLD.started_at;
UPDATE kpi_side_gen SET n = n + 1;
END;
-- Callback tasks and work orders count by when they were made.
CREATE TRIGGER kpi_side_tasks_insert AFTER INSERT ON tasks
WHEN NEW.created_at < (SELECT now_ms FROM kpi_side_gen) BEGIN
DELETE FROM kpi_side_days WHERE settles_ms > NEW.created_at AND start_ms <= NEW.created_at;
UPDATE kpi_side_gen SET n = n + 1;
END;
CREATE TRIGGER kpi_side_tasks_update AFTER UPDATE OF origin_id, state, created_at ON tasks
WHEN OLD.created_at < (SELECT now_ms FROM kpi_side_gen) OR NEW.created_at < (SELECT now_ms FROM kpi_side_gen) BEGIN
DELETE FROM kpi_side_days WHERE settles_ms > OLD.created_at AND start_ms <= OLD.created_at;
UPDATE kpi_side_gen SET n = n + 1;
DELETE FROM kpi_side_days WHERE settles_ms > NEW.created_at AND start_ms <= NEW.created_at;
UPDATE kpi_side_gen SET n = n + 1;
END;
CREATE TRIGGER kpi_side_tasks_delete AFTER DELETE ON tasks
WHEN OLD.created_at < (SELECT now_ms FROM kpi_side_gen) BEGIN
DELETE FROM kpi_side_days WHERE settles_ms > OLD.created_at AND start_ms <= OLD.created_at;
UPDATE kpi_side_gen SET n = n + 1;
END;
CREATE TRIGGER kpi_side_orders_insert AFTER INSERT ON work_orders
WHEN NEW.created_at < (SELECT now_ms FROM kpi_side_gen) BEGIN
DELETE FROM kpi_side_days WHERE settles_ms > NEW.created_at AND start_ms <= NEW.created_at;
UPDATE kpi_side_gen SET n = n + 1;
END;
CREATE TRIGGER kpi_side_orders_update AFTER UPDATE OF call_id, department_id, assignee, created_by, created_at ON work_orders
WHEN OLD.created_at < (SELECT now_ms FROM kpi_side_gen) OR NEW.created_at < (SELECT now_ms FROM kpi_side_gen) BEGIN
DELETE FROM kpi_side_days WHERE settles_ms > OLD.created_at AND start_ms <= OLD.created_at;
UPDATE kpi_side_gen SET n = n + 1;
DELETE FROM kpi_side_days WHERE settles_ms > NEW.created_at AND start_ms <= NEW.created_at;
UPDATE kpi_side_gen SET n = n + 1;
END;
CREATE TRIGGER kpi_side_orders_delete AFTER DELETE ON work_orders
WHEN OLD.created_at < (SELECT now_ms FROM kpi_side_gen) BEGIN
DELETE FROM kpi_side_days WHERE settles_ms > OLD.created_at AND start_ms <= OLD.created_at;
UPDATE kpi_side_gen SET n = n + 1;
END;
-- An IVR visit makes its call ring for nothing.
CREATE TRIGGER kpi_side_visits_insert AFTER INSERT ON ivr_visits
WHEN NEW.entered_at < (SELECT now_ms FROM kpi_side_gen) BEGIN
DELETE FROM kpi_side_days WHERE settles_ms > NEW.entered_at AND start_ms <= NEW.entered_at;
UPDATE kpi_side_gen SET n = n + 1;
END;
CREATE TRIGGER kpi_side_visits_delete AFTER DELETE ON ivr_visits
WHEN OLD.entered_at < (SELECT now_ms FROM kpi_side_gen) BEGIN
DELETE FROM kpi_side_days WHERE settles_ms > OLD.entered_at AND start_ms <= OLD.entered_at;
UPDATE kpi_side_gen SET n = n + 1;
END;
-- A wrap-up code's `resolved` flag judges calls of any day.
CREATE TRIGGER kpi_side_codes_insert AFTER INSERT ON wrapup_codes BEGIN
DELETE FROM kpi_side_days;
UPDATE kpi_side_gen SET n = n + 1;
END;
CREATE TRIGGER kpi_side_codes_update AFTER UPDATE ON wrapup_codes BEGIN
DELETE FROM kpi_side_days;
UPDATE kpi_side_gen SET n = n + 1;
END;
CREATE TRIGGER kpi_side_codes_delete AFTER DELETE ON wrapup_codes BEGIN
DELETE FROM kpi_side_days;
UPDATE kpi_side_gen SET n = n + 1;
END;
