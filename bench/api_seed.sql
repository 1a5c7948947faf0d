-- bench/api_seed.sql: fills a Hotline database with :n call records for
-- bench/api (run with sqlite3 on DATA/hotline.db while the server is
-- stopped, after one start has created the schema). One transaction over a
-- recursive CTE: a million rows take seconds, not the hours of a million
-- INSERT statements.
--
-- The spread is what the console meets in a month of a mid-size center:
-- the last 30 days; 80 % inbound from mobile
-- numbers, 15 % outbound, 5 % internal; the demo's ten agents and two
-- queues; one call in eight abandoned before an agent answered; most with
-- a recording; a few transferred, rated, or from a known region. Ids are
-- 'bench-' + a number, so the seeded calls never collide with real ones.
-- The row count comes from the temp table bench_n (see bench/api.sh).
PRAGMA synchronous = OFF;
PRAGMA cache_size = -262144;
BEGIN;
WITH RECURSIVE
	n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
		 WHERE i < (SELECT v FROM temp.bench_n)),
	-- MATERIALIZED: each random() column is drawn once per row, not again
	-- at every use below
	r(i, t, a, kind, dur, wait, ag) AS MATERIALIZED (
		SELECT i,
			-- spread evenly over 30 days, jittered by up to a minute
			(CAST(strftime('%s', 'now') AS INTEGER) - 30 * 86400) * 1000
			+ i * (30 * 86400000 / (SELECT v FROM temp.bench_n))
			+ abs(random() % 60000),
			abs(random() % 100),
			abs(random() % 100),
			30 + abs(random() % 600),
			abs(random() % 40),
			1001 + abs(random() % 10)
		FROM n)
INSERT INTO calls (id, direction, caller, callee, started_at, answered_at,
	ended_at, duration_s, talk_s, agent, queue, hangup_by, hangup_cause,
	recording, transfer_by, transfer_to, hold_s, province, city, rating, trunk)
SELECT printf('bench-%07d', i),
	CASE WHEN kind < 80 THEN 'inbound' WHEN kind < 95 THEN 'outbound'
	     ELSE 'internal' END,
	CASE WHEN kind < 80 THEN printf('13%09d', abs(random() % 1000000000))
	     ELSE CAST(ag AS TEXT) END,
	CASE WHEN kind < 80 THEN (CASE WHEN ag <= 1005 THEN '4008003000'
				        ELSE '4008002000' END)
	     WHEN kind < 95 THEN printf('0755%08d', abs(random() % 100000000))
	     ELSE CAST(1001 + (ag - 1000) % 10 AS TEXT) END,
	t,
	CASE WHEN a < 12 THEN NULL ELSE t + wait * 1000 END,
	t + (wait + (CASE WHEN a < 12 THEN 0 ELSE dur END)) * 1000,
	wait + (CASE WHEN a < 12 THEN 0 ELSE dur END),
	CASE WHEN a < 12 THEN 0 ELSE dur END,
	CASE WHEN a < 12 THEN NULL ELSE CAST(ag AS TEXT) END,
	CASE WHEN kind >= 80 THEN NULL WHEN ag <= 1005 THEN 'sales'
	     ELSE 'support' END,
	CASE WHEN a < 12 THEN 'caller' WHEN a % 2 = 0 THEN 'agent'
	     ELSE 'caller' END,
	CASE WHEN a < 12 THEN '487' ELSE '200' END,
	CASE WHEN a < 12 THEN NULL ELSE printf('recordings/%s/bench-%07d.wav',
		date(t / 1000, 'unixepoch'), i) END,
	CASE WHEN a BETWEEN 12 AND 15 THEN CAST(ag AS TEXT) ELSE NULL END,
	CASE WHEN a BETWEEN 12 AND 15 THEN 'support' ELSE NULL END,
	CASE WHEN a < 12 THEN 0 ELSE wait % 7 END,
	CASE WHEN kind < 40 THEN '北京市' WHEN kind < 60 THEN '广东省' ELSE NULL END,
	CASE WHEN kind < 40 THEN '北京市' WHEN kind < 60 THEN '深圳市' ELSE NULL END,
	CASE WHEN a % 10 = 3 THEN 1 + a % 5 ELSE NULL END,
	NULL
FROM r;
COMMIT;
ANALYZE;
