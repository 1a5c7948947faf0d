-- 041_report_indexes: what the report list (src/rpt) filters calls by
-- most, in the order its details page (time, then id), so a filtered
-- detail reads its page from the index instead of the whole period.
-- Without them an agent's first page of a month of 800,000 calls took
-- 30 ms to 140 ms (bench/reports_list).
CREATE INDEX calls_agent_started ON calls(agent, started_at, id);
CREATE INDEX calls_queue_started ON calls(queue, started_at, id);
