-- 037_kpi_sources: what the KPIs read from other modules' records needs
-- (docs/kpi.md 4.20-4.23). They sit in this one migration, in report/'s
-- folder because report/ is their reader (one number per change): the
-- columns belong to api/ (users) and queue/ (wrap-up codes), which write
-- them; the indexes serve report/read.c's look-ups by call.
--
-- 话务员流动率: the first and last day an agent was on the center's staff
-- ('YYYY-MM-DD'; left_on NULL: still there).
ALTER TABLE users ADD COLUMN hired_on TEXT;
ALTER TABLE users ADD COLUMN left_on TEXT;
-- 一次性解决问题的呼叫率: whether the call a wrap-up code closes had its
-- problem solved — 1 resolved, 0 not resolved, NULL the code says nothing.
ALTER TABLE wrapup_codes ADD COLUMN resolved INTEGER;
-- A call's work orders and the callback tasks made from it; the tasks
-- made in a period.
CREATE INDEX work_orders_call ON work_orders(call_id);
CREATE INDEX tasks_origin ON tasks(origin_id);
CREATE INDEX tasks_created ON tasks(created_at);
