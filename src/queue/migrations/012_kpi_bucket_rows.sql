-- 012_kpi_bucket_rows: KPI buckets as rows with one column per counter
-- (report_fields() of struct report_bucket, in order, after the thresholds
-- sl_ms and short_ms), so a report reads the rows of the intervals it asks
-- for instead of every bucket ever stored being loaded at start. The old
-- blobs (005's data column, a JSON object of the same names) are
-- converted: a missing name reads 0, as the old loader read it.
-- Rows start out as they were; the host stores today's buckets whole
-- and adds to the rows of older intervals (src/queue/store.c).
-- json_extract is SQLite's; a PostgreSQL port spells it
-- COALESCE((data::json->>'name')::bigint, 0).
ALTER TABLE kpi_buckets RENAME TO kpi_buckets_blob;
DROP INDEX kpi_buckets_start;

CREATE TABLE kpi_buckets (
	scope    TEXT NOT NULL,      -- queue or agent
	name     TEXT NOT NULL,      -- the queue's name or the agent's extension
	start_ms INTEGER NOT NULL,   -- the interval's start (15 minutes long)
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
CREATE INDEX kpi_buckets_start ON kpi_buckets(start_ms);

INSERT INTO kpi_buckets (scope, name, start_ms,
	sl_ms, short_ms, entered, queued,
	blocked, answered, answered_in_sl, answer_wait_ms,
	answer_ring_ms, abandoned, abandoned_in_sl, abandon_wait_ms,
	short_abandoned, overflowed, overflow_wait_ms, offers,
	ring_noanswer, transferred, holds, hold_ms,
	completed, talk_ms, wrap_ms, ready_ms,
	not_ready_ms, ringing_ms, talking_ms, wrapup_ms)
SELECT scope, name, start_ms,
	COALESCE(json_extract(data, '$.sl_ms'), 0),
	COALESCE(json_extract(data, '$.short_ms'), 0),
	COALESCE(json_extract(data, '$.entered'), 0),
	COALESCE(json_extract(data, '$.queued'), 0),
	COALESCE(json_extract(data, '$.blocked'), 0),
	COALESCE(json_extract(data, '$.answered'), 0),
	COALESCE(json_extract(data, '$.answered_in_sl'), 0),
	COALESCE(json_extract(data, '$.answer_wait_ms'), 0),
	COALESCE(json_extract(data, '$.answer_ring_ms'), 0),
	COALESCE(json_extract(data, '$.abandoned'), 0),
	COALESCE(json_extract(data, '$.abandoned_in_sl'), 0),
	COALESCE(json_extract(data, '$.abandon_wait_ms'), 0),
	COALESCE(json_extract(data, '$.short_abandoned'), 0),
	COALESCE(json_extract(data, '$.overflowed'), 0),
	COALESCE(json_extract(data, '$.overflow_wait_ms'), 0),
	COALESCE(json_extract(data, '$.offers'), 0),
	COALESCE(json_extract(data, '$.ring_noanswer'), 0),
	COALESCE(json_extract(data, '$.transferred'), 0),
	COALESCE(json_extract(data, '$.holds'), 0),
	COALESCE(json_extract(data, '$.hold_ms'), 0),
	COALESCE(json_extract(data, '$.completed'), 0),
	COALESCE(json_extract(data, '$.talk_ms'), 0),
	COALESCE(json_extract(data, '$.wrap_ms'), 0),
	COALESCE(json_extract(data, '$.ready_ms'), 0),
	COALESCE(json_extract(data, '$.not_ready_ms'), 0),
	COALESCE(json_extract(data, '$.ringing_ms'), 0),
	COALESCE(json_extract(data, '$.talking_ms'), 0),
	COALESCE(json_extract(data, '$.wrapup_ms'), 0)
FROM kpi_buckets_blob
-- what the old loader skipped: a blob that is no JSON, a start that is no
-- interval start (REPORT_INTERVAL_MS)
WHERE json_valid(data) AND start_ms >= 0 AND start_ms % 900000 = 0;

DROP TABLE kpi_buckets_blob;
