-- 031_calendars: named business calendars in the IVR's schedule model
-- (ivr/sched.c: zone, weekly hours, holidays, 调休 make-up workdays), the
-- same ones the work orders' time limits count in.
CREATE TABLE calendars (
	name       TEXT PRIMARY KEY,
	body       TEXT NOT NULL,              -- the schedule object as JSON
	updated_at INTEGER NOT NULL            -- Unix ms
);
