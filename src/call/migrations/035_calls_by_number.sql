-- 035_calls_by_number: a customer's calls by their numbers, for the
-- customers' contact history (crm/) and the first-contact resolution
-- report's repeat calls. Here because call/ owns the calls table.
CREATE INDEX calls_caller ON calls(caller, started_at);
CREATE INDEX calls_callee ON calls(callee, started_at);
