#!/usr/bin/env bash
# The KPIs read from records other than queue events (issue 17, docs/kpi.md
# 4.14 and 4.20-4.23), through GET /api/v1/reports/kpi, against figures
# worked out by hand below:
#  - 一次性解决问题的呼叫率 (fcr) from calls, wrap-up codes marked
#    resolved or not, work orders and callback tasks, and repeat calls;
#  - 平均振铃次数 (avg_ring_count): rings callers heard before anyone
#    answered, at China's cadence (a ring every 5 s);
#  - 监听分值 (qa_score): the mean final QA score;
#  - 话务员流动率 (turnover) from agents' hired_on / left_on, set through
#    the users API (validated: a bad date, a last day before the first, or
#    a last day without a first is 400 and changes nothing).
. "$(dirname "$0")/../lib.sh"

start_server
ADMIN=$(login admin admin123)
SUP=$(login sup sup123)
DB="$DATA_DIR/hotline.db"
sql() { sqlite3 -cmd '.timeout 5000' "$DB" "$@"; }

# --- wrap-up codes say whether the call was resolved
http PUT /api/v1/wrapup-codes/complaint '{"resolved": false}' "$SUP" >/dev/null
expect_status 200 "complaint not resolved"
[ "$(jbody 'j["resolved"]')" = False ] || fail "resolved shown: $HTTP_BODY"
http PUT /api/v1/wrapup-codes/inquiry '{"resolved": true}' "$SUP" >/dev/null
expect_status 200 "inquiry resolved"
http PUT /api/v1/wrapup-codes/inquiry '{"resolved": "yes"}' "$SUP" >/dev/null
expect_status 400 "resolved: a word"
case "$HTTP_BODY" in *resolved*) ;; *) fail "reason names the field: $HTTP_BODY";; esac
http POST /api/v1/not-ready-reasons '{"code":"x1","label_zh":"x","label_en":"x","resolved":true}' "$SUP" >/dev/null
expect_status 400 "a not-ready reason has no resolved"
http GET /api/v1/wrapup-codes "" "$SUP" >/dev/null
[ "$(jbody '[(c["code"], c["resolved"]) for c in j["items"] if c["code"] in ("inquiry", "complaint", "repair")]')" = "[('inquiry', True), ('complaint', False), ('repair', None)]" ] ||
	fail "codes: $HTTP_BODY"
ok "a wrap-up code says resolved, not resolved or nothing; anything else 400"

# --- the calls of 2026-01-01 08:00-10:00 (T0 = 08:00 UTC)
T0=1767254400000
M=60000
c() { # id caller callee start_min answered_after_ms|'' agent|'' queue|'' code|''
	local ans=NULL ag=NULL q=NULL code=NULL
	[ -n "$5" ] && ans=$((T0 + $4 * M + $5))
	[ -n "$6" ] && ag="'$6'"
	[ -n "$7" ] && q="'$7'"
	[ -n "$8" ] && code="'$8'"
	echo "('$1', 'inbound', '$2', '$3', $((T0 + $4 * M)), $ans, $ag, $q, $code)"
}
sql "INSERT INTO calls (id, direction, caller, callee, started_at, answered_at, agent, queue, wrapup_code) VALUES
 $(c c1 13800000001 4008003000 5 9000 1001 sales inquiry),
 $(c c2 13800000002 4008003000 10 9000 1001 sales ''),
 $(c c3 13800000002 4008003000 130 9000 1001 sales ''),
 $(c c4 13800000003 4008003000 20 9000 1002 sales complaint),
 $(c c5 13800000004 4008003000 30 9000 1002 sales ''),
 $(c c6 13800000005 4008003000 60 9000 1001 sales ''),
 $(c c7 13800000006 4008003000 70 9000 1001 sales ''),
 $(c c8 13800000007 4008003000 80 '' '' sales ''),
 $(c c9 13800000008 4008002000 90 9000 1006 support ''),
 $(c c10 13800000009 4008003000 105 9000 1002 sales ''),
 $(c c11 13800000009 4008003000 1560 9000 1002 sales ''),
 $(c c12 13800000010 4008003000 110 9000 1002 sales repair),
 $(c d1 13900000001 1001 40 12000 1001 '' ''),
 $(c d2 13900000002 1001 65 5000 1001 '' ''),
 $(c d3 13900000003 1001 66 '' '' '' ''),
 $(c i1 13900000004 4008001000 75 '' '' '' '')"
sql "INSERT INTO ivr_visits (call_id, flow, version, seq, node, kind, entered_at, left_at, exit)
 VALUES ('i1', 'main', 1, 1, 'menu', 'menu', $((T0 + 75 * M + 3)), $((T0 + 76 * M)), 'hangup')"
sql "INSERT INTO work_orders (id, no, title, category, service, priority, type, state, call_id, created_by, department_id, assignee, created_at, updated_at) VALUES
 ('w1', 'WO1', 'x', '咨询', '其它', 'medium', 'question', 'pending', 'c5', 'u1', 'd1', NULL, $T0, $T0),
 ('w2', 'WO2', 'x', '咨询', '其它', 'medium', 'question', 'closed', 'c7', 'u1', NULL, 'u1', $T0, $T0)"
sql "INSERT INTO tasks (id, title, due_at, origin, origin_id, state, created_by, created_at, updated_at) VALUES
 ('t1', 'call back', $T0, 'manual', 'c6', 'open', 'u1', $T0, $T0),
 ('t2', 'call back', $T0, 'manual', 'c12', 'cancelled', 'u1', $T0, $T0)"
e() { # id agent queue minute final
	echo "('$1', 'call', '$2', '$3', 'u9', 'sc', 1, '{}', 0, 0, 0, 0, '[]', $5, 'scored', $((T0 + $4 * M)))"
}
sql "INSERT INTO qa_evaluations (id, call_id, agent, queue, inspector, scorecard_id, scorecard_version, answers, score, earned, possible, failed_critical, sections, final_score, state, created_at) VALUES
 $(e e1 1001 sales 30 90), $(e e2 1002 sales 75 75), $(e e3 1006 support 80 60), $(e e4 1001 sales 150 100)"

# Sales, 08:00-09:00: c1 resolved, c2 called again (c3, 2 h later, inside
# the 24 h window), c4 coded complaint (not resolved), c5 left a work order
# with a department: 4 answered, 1 resolved. 09:00-10:00: c6 left an open
# task, c7's work order stayed with its writer (resolved), c8 abandoned (not
# counted), c10 called again only 26 h later (resolved), c12's task was
# cancelled (resolved): 4 answered, 3 resolved. The period: 4 / 8.
kpi() { http GET "/api/v1/reports/kpi?from=2026-01-01T08:00:00Z&to=2026-01-01T10:00:00Z&interval=1h$1" "" "$SUP" >/dev/null; expect_status 200 "kpi $1"; }
kpi "&queue=sales"
[ "$(jbody '[(r["counts"]["fcr_answered"], r["counts"]["fcr_resolved"], r["kpis"]["fcr"]) for r in j["rows"]]')" = "[(4, 1, 0.25), (4, 3, 0.75)]" ] ||
	fail "sales fcr rows: $HTTP_BODY"
[ "$(jbody '(lambda p: (p["kpis"]["fcr"], p["counts"]["fcr_repeated"], p["counts"]["fcr_followed_up"], p["counts"]["fcr_unresolved"]))(j["period"])')" = "(0.5, 1, 2, 1)" ] ||
	fail "sales fcr period: $HTTP_BODY"
# Every queue and direct calls: c9 (support) and d1, d2 (answered at an
# extension) add 3 resolved: 7 / 11. Agent 1001: c1, c2, c6, c7, d1, d2:
# c1, c7, d1, d2 resolved, 4 / 6.
kpi ""
[ "$(jbody '(lambda p: (p["fcr_answered"], p["fcr_resolved"]))(j["period"]["counts"])')" = "(11, 7)" ] ||
	fail "center fcr: $HTTP_BODY"
CENTER=$HTTP_BODY
kpi "&agent=1001"
[ "$(jbody '(lambda p: (p["fcr_answered"], p["fcr_resolved"]))(j["period"]["counts"])')" = "(6, 4)" ] ||
	fail "agent fcr: $HTTP_BODY"
AGENT=$HTTP_BODY
ok "first-call resolution per queue, center and agent, per row and period"

# GET /api/v1/reports/fcr: the same counts, and the calls not resolved in
# time order with why: c2 repeated, c4 coded, c5 and c6 left work.
fcr() { http GET "/api/v1/reports/fcr?from=2026-01-01T08:00:00Z&to=2026-01-01T10:00:00Z$1" "" "${2:-$ADMIN}" >/dev/null; }
fcr "&queue=sales"
expect_status 200 "fcr details"
[ "$(jbody '(j["answered"], j["resolved"], j["repeated"], j["followed_up"], j["unresolved"], j["fcr"], j["window_h"], j["more"])')" = "(8, 4, 1, 2, 1, 0.5, 24, False)" ] ||
	fail "fcr counts: $HTTP_BODY"
[ "$(jbody '[(c["call_id"], c["caller"], c["agent"], c["reasons"]) for c in j["calls"]]')" = "[('c2', '13800000002', '1001', ['repeated']), ('c4', '13800000003', '1002', ['unresolved']), ('c5', '13800000004', '1002', ['followed_up']), ('c6', '13800000005', '1001', ['followed_up'])]" ] ||
	fail "fcr calls: $HTTP_BODY"
fcr "&queue=sales&limit=2"
[ "$(jbody '([c["call_id"] for c in j["calls"]], j["more"])')" = "(['c2', 'c4'], True)" ] || fail "fcr limit: $HTTP_BODY"
# A QA user who sees only agent 1002's calls, numbers masked: c4 and c5.
http POST /api/v1/users '{"username": "qa2", "password": "secret999", "role": "qa", "extension": "1002", "scope": "own", "mask_numbers": true}' "$ADMIN" >/dev/null
expect_status 201 "qa2"
fcr "&queue=sales" "$(login qa2 secret999)"
[ "$(jbody '([(c["call_id"], c["caller"]) for c in j["calls"]], j["answered"])')" = "([('c4', '138****0003'), ('c5', '138****0004')], 8)" ] ||
	fail "fcr scope and masking: $HTTP_BODY"
for bad in "limit=0" "limit=x" "from=2026-01-01T08:00:00Z&to=2026-01-01T08:00:00Z" \
	   "from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z" "from=yesterday"; do
	http GET "/api/v1/reports/fcr?$bad" "" "$ADMIN" >/dev/null; expect_status 400 "fcr $bad"
done
fcr "" "$(login 1001 secret1001)"; expect_status 403 "an agent lists no FCR calls"
ok "the FCR report lists the calls not resolved and why, in the user's scope"

# A p-chart of FCR per quarter hour (GET /api/v1/reports/spc): sales'
# answered calls fall in 08:00 (c1 resolved, c2 repeated), 08:15 (c4),
# 08:30 (c5), 09:00 (c6, c7 resolved) and 09:45 (c10, c12 resolved):
# points 0.5, 0, 0, 0.5, 1 of n 2, 1, 1, 2, 2; p̄ = 4 / 8.
http GET "/api/v1/reports/spc?kpi=fcr&queue=sales&from=2026-01-01T08:00:00Z&to=2026-01-01T10:00:00Z&interval=15m" "" "$SUP" >/dev/null
expect_status 200 "fcr p-chart"
[ "$(jbody '(j["chart"], j["points"], j["center"])')" = "('p', [0.5, 0.0, 0.0, 0.5, 1.0], 0.5)" ] ||
	fail "fcr p-chart: $HTTP_BODY"
ok "first-call resolution charted on a p-chart, n its answered calls"

# Rings: every queue call and the IVR call were answered on arrival (0
# rings); d1 rang 12 s (rings at 0, 5, 10 s: 3), d2 exactly 5 s (1: the
# second ring would begin then); d3 was never answered. Center 08:00-09:00:
# c1 c2 c4 c5 d1 = 5 calls, 3 rings; 09:00-10:00: c6 c7 c8 c9 c10 c12 d2
# i1 = 8 calls, 1 ring; the period 4 / 13. Sales: 9 calls, 0 rings.
# Agent 1001: c1 c2 c6 c7 d1 d2, 4 rings: 4 / 6.
HTTP_BODY=$CENTER
[ "$(jbody '[(r["counts"]["rung_calls"], r["counts"]["rings"], r["kpis"]["avg_ring_count"]) for r in j["rows"]]')" = "[(5, 3, 0.6), (8, 1, 0.125)]" ] ||
	fail "center rings: $HTTP_BODY"
# KPIs other than seconds come rounded to 6 decimals (docs/kpi.md).
[ "$(jbody 'j["period"]["kpis"]["avg_ring_count"]')" = "$(python3 -c 'print(round(4/13, 6))')" ] ||
	fail "center ring period: $HTTP_BODY"
HTTP_BODY=$AGENT
[ "$(jbody 'j["period"]["kpis"]["avg_ring_count"]')" = "$(python3 -c 'print(round(4/6, 6))')" ] ||
	fail "agent rings: $HTTP_BODY"
kpi "&queue=sales"
[ "$(jbody '(lambda p: (p["counts"]["rung_calls"], p["kpis"]["avg_ring_count"]))(j["period"])')" = "(9, 0.0)" ] ||
	fail "sales rings: $HTTP_BODY"
ok "ring count: the caller's rings at 1 s on, 4 s off"

# QA: sales e1 90 (08:30), e2 75 (09:15); e3 is support's, e4 after the
# period. Sales rows 90 and 75, the period 82.5; the center 75; 1001 90.
[ "$(jbody '[r["kpis"]["qa_score"] for r in j["rows"]]')" = "[90.0, 75.0]" ] || fail "sales qa rows: $HTTP_BODY"
[ "$(jbody 'j["period"]["kpis"]["qa_score"]')" = 82.5 ] || fail "sales qa: $HTTP_BODY"
HTTP_BODY=$CENTER
[ "$(jbody 'j["period"]["kpis"]["qa_score"]')" = 75.0 ] || fail "center qa: $HTTP_BODY"
HTTP_BODY=$AGENT
[ "$(jbody '(j["period"]["kpis"]["qa_score"], j["period"]["counts"]["qa_scored"])')" = "(90.0, 1)" ] || fail "agent qa: $HTTP_BODY"
ok "QA score: the mean final score of the period's evaluations"

# --- staff dates through the users API
put_user() { http PUT "/api/v1/users/$1" "$2" "$ADMIN" >/dev/null; }
put_user 1001 '{"hired_on": "2025-01-01"}'; expect_status 200 "1001 hired"
[ "$(jbody '(j["hired_on"], j["left_on"])')" = "('2025-01-01', None)" ] || fail "1001: $HTTP_BODY"
put_user 1002 '{"hired_on": "2025-06-01", "left_on": "2026-01-15"}'; expect_status 200 "1002"
put_user 1003 '{"hired_on": "2026-01-10"}'; expect_status 200 "1003"
put_user 1004 '{"hired_on": "2024-01-01", "left_on": "2025-12-31"}'; expect_status 200 "1004"
BEFORE=$(sql "SELECT username, hired_on, left_on FROM users ORDER BY username")
for bad in '{"hired_on": "2026-02-30"}' '{"hired_on": "2026-1-05"}' '{"left_on": "2024-12-31"}' \
	   '{"hired_on": 20260101}' '{"left_on": "2026-01-15x"}'; do
	put_user 1001 "$bad"; expect_status 400 "1001 $bad"
	case "$HTTP_BODY" in *hired_on*|*left_on*) ;; *) fail "$bad: reason names the field: $HTTP_BODY";; esac
done
put_user 1005 '{"left_on": "2026-01-05"}'; expect_status 400 "a last day without a first"
put_user 1002 '{"hired_on": "2026-01-16"}'; expect_status 400 "a first day after the last"
[ "$(sql "SELECT username, hired_on, left_on FROM users ORDER BY username")" = "$BEFORE" ] ||
	fail "a refused change changed something"
http POST /api/v1/users '{"username": "a9", "password": "secret999", "role": "agent", "hired_on": "2026-01-20", "left_on": "2026-01-19"}' "$ADMIN" >/dev/null
expect_status 400 "a new user left before hired"
ok "hired_on / left_on validated; bad ones 400 and nothing changed"

# January 2026: on staff on 01-01 1001 and 1002 (1004's last day was
# 12-31, 1003 came on 01-10); on 02-01 1001 and 1003; 1002 left on 01-15.
# 1 / ((2 + 2) / 2) = 0.5. 1005 has no staff record and is not counted.
http GET "/api/v1/reports/kpi?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&interval=1d" "" "$SUP" >/dev/null
expect_status 200 "month"
[ "$(jbody '(lambda p: (p["counts"]["staff_start"], p["counts"]["staff_end"], p["counts"]["leavers"], p["kpis"]["turnover"]))(j["period"])')" = "(2, 2, 1, 0.5)" ] ||
	fail "turnover: $HTTP_BODY"
# Rows carry no turnover (a headcount is not summed per interval), and a
# queue's or an agent's report has none.
[ "$(jbody 'set(r["kpis"]["turnover"] for r in j["rows"])')" = "{None}" ] || fail "row turnover: $HTTP_BODY"
http GET "/api/v1/reports/kpi?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&interval=1d&queue=sales" "" "$SUP" >/dev/null
[ "$(jbody 'j["period"]["kpis"]["turnover"]')" = None ] || fail "queue turnover: $HTTP_BODY"
# Per quarter (GET /api/v1/reports/turnover), 2025-Q1 to 2026-Q1:
#   Q1 2025: 1001, 1004 at both ends, nobody left       0 / 2   = 0
#   Q2: 2 at the start, 3 at the end (1002 from 06-01)  0 / 2.5 = 0
#   Q3: 3 and 3                                          0 / 3   = 0
#   Q4: 3, then 2 (1004's last day 12-31), 1 left        1 / 2.5 = 0.4
#   Q1 2026: 1001, 1002; then 1001, 1003; 1002 left      1 / 2   = 0.5
# and over the whole: 2 at each end, 2 left: 1.0.
turnover() { http GET "/api/v1/reports/turnover?$1" "" "${2:-$SUP}" >/dev/null; }
turnover "from=2025-01-01&to=2026-04-01&by=quarter"
expect_status 200 "turnover by quarter"
[ "$(jbody '[(r["from"], r["staff_start"], r["staff_end"], r["leavers"], r["turnover"]) for r in j["rows"]]')" = "[('2025-01-01', 2, 2, 0, 0.0), ('2025-04-01', 2, 3, 0, 0.0), ('2025-07-01', 3, 3, 0, 0.0), ('2025-10-01', 3, 2, 1, 0.4), ('2026-01-01', 2, 2, 1, 0.5)]" ] ||
	fail "quarters: $HTTP_BODY"
[ "$(jbody '(j["total"]["turnover"], j["total"]["to"], j["by"])')" = "(1.0, '2026-04-01', 'quarter')" ] ||
	fail "quarters' total: $HTTP_BODY"
# A year from a day inside it to one before its end: the whole of 2025.
turnover "from=2025-03-15&to=2025-12-31&by=year"
[ "$(jbody '[(r["from"], r["to"], r["leavers"], r["turnover"]) for r in j["rows"]]')" = "[('2025-01-01', '2026-01-01', 1, 0.5)]" ] ||
	fail "year: $HTTP_BODY"
turnover "from=2026-01-01&to=2026-02-01&by=month"
[ "$(jbody '[(r["staff_start"], r["staff_end"], r["leavers"], r["turnover"]) for r in j["rows"]]')" = "[(2, 2, 1, 0.5)]" ] ||
	fail "month as the KPI report: $HTTP_BODY"
turnover "from=2026-01-01&to=2026-02-01&department=nosuch"
[ "$(jbody '[(r["staff_start"], r["turnover"]) for r in j["rows"]]')" = "[(0, None)]" ] ||
	fail "a department without agents: $HTTP_BODY"
for bad in "by=week" "from=2025-02-30" "from=2026-01-01&to=2025-12-01" \
	   "from=1900-01-01&to=2100-01-01&by=month"; do
	turnover "$bad"; expect_status 400 "turnover $bad"
done
turnover "" "$(login 1001 secret1001)"; expect_status 403 "an agent reads no turnover"
ok "turnover per month, quarter or year; bad periods 400"

put_user 1002 '{"left_on": null}'; expect_status 200 "1002 stays"
[ "$(jbody 'j["left_on"]')" = None ] || fail "cleared: $HTTP_BODY"
http GET "/api/v1/reports/kpi?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&interval=1d" "" "$SUP" >/dev/null
[ "$(jbody '(lambda p: (p["counts"]["staff_end"], p["kpis"]["turnover"]))(j["period"])')" = "(3, 0.0)" ] ||
	fail "turnover after 1002 stayed: $HTTP_BODY"
ok "turnover: leavers over the mean headcount of the period's ends"

# --- backward compatibility: the old keys are all still there
http GET "/api/v1/reports/kpi?from=2026-01-01T08:00:00Z&to=2026-01-01T09:00:00Z&queue=sales" "" "$SUP" >/dev/null
[ "$(jbody 'sorted(set(["queue", "agent", "interval_ms", "rows"]) - set(j))')" = "[]" ] || fail "keys: $HTTP_BODY"
[ "$(jbody 'all(k in j["rows"][0]["kpis"] for k in ("service_level", "asa", "abandon_rate", "avg_ring_count"))')" = True ] ||
	fail "row kpis: $HTTP_BODY"
http GET "/api/v1/reports/kpi?from=2026-01-01T08:00:00Z&to=2026-01-01T08:00:00Z" "" "$SUP" >/dev/null
expect_status 400 "an empty period"
http GET "/api/v1/reports/kpi?from=2016-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&interval=15m" "" "$SUP" >/dev/null
expect_status 400 "ten years of quarter hours"
ok "the report keeps its keys; an empty or too long period 400"
stop_server

# --- the two settings, from the configuration file: a 1 h window makes
# c2's repeat (2 h later) no repeat: sales 5 / 8; a ring every 6 s (2 s on,
# 4 s off) gives d1's 12 s two rings, d2's 5 s one: the center 3 / 13.
printf '[report]\nfcr_window_h = 1\nring_period_ms = 6000\n' >"$TEST_DIR/hotline.ini"
start_server --config "$TEST_DIR/hotline.ini"
SUP=$(login sup sup123)
kpi "&queue=sales"
[ "$(jbody '(lambda p: (p["counts"]["fcr_resolved"], p["counts"]["fcr_repeated"], p["kpis"]["fcr"]))(j["period"])')" = "(5, 0, 0.625)" ] ||
	fail "1 h window: $HTTP_BODY"
kpi ""
[ "$(jbody '(lambda p: (p["rung_calls"], p["rings"]))(j["period"]["counts"])')" = "(13, 3)" ] ||
	fail "6 s cadence: $HTTP_BODY"
ok "report.fcr_window_h and report.ring_period_ms change the figures"
stop_server
