#!/usr/bin/env bash
# Queues in real calls: two agents of the sales queue (1001, 1002, their
# phones answered by one sipp UAS) and a burst of four callers, more than
# the agents. Two are answered at once, the third waits with music on hold
# and is answered when the first call ends, the fourth hangs up while
# waiting (an abandon). Then the call records, the live queue API and the
# KPI report must all tell that same story.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

dbv() { sqlite3 "$DATA_DIR/hotline.db" "$1"; }
start_server
TOKEN=$(admin_token)

# Configuration is validated whole: a bad change is refused with the reason
# and the running configuration stays.
http PUT /api/v1/queues/sales '{"strategy":"no-such"}' "$TOKEN" >/dev/null
expect_status 400 "unknown strategy"
echo "$HTTP_BODY" | grep -q strategy || fail "reason does not name the field: $HTTP_BODY"
http PUT /api/v1/queues/sales '{"overflow":"queue:sales"}' "$TOKEN" >/dev/null
expect_status 400 "overflow into itself"
http PUT /api/v1/queues/sales '{"wrapup_ms":-1}' "$TOKEN" >/dev/null
expect_status 400 "negative wrap-up"
http GET /api/v1/queues/sales "" "$TOKEN" >/dev/null
[ "$(jbody 'j["strategy"], j["wrapup_ms"]')" = "longest-idle 3000" ] ||
	fail "config changed by refused updates: $HTTP_BODY"
# Every abandon counts here (no short-abandon exclusion), no wrap-up pause.
http PUT /api/v1/queues/sales '{"short_abandon_ms":0,"wrapup_ms":0}' "$TOKEN" >/dev/null
expect_status 200 "valid queue change"
ok "queue config: invalid changes refused with reasons, valid one applied"

AGENT_PORT=$(free_port)
register 1001 secret1001 "$AGENT_PORT"
register 1002 secret1002 "$AGENT_PORT"
http GET /api/v1/agents "" "$TOKEN" >/dev/null
[ "$(jbody '[a["state"] for a in j["items"] if a["ext"] in ("1001","1002")]')" = "['ready', 'ready']" ] ||
	fail "registered agents not ready: $HTTP_BODY"
ok "1001 and 1002 registered: ready"

sipp -sf "$SCEN/agent_answer.xml" -i 127.0.0.1 -p "$AGENT_PORT" \
	-mi 127.0.0.1 -mp "$(free_port)" -m 3 -timeout 40s -timeout_error \
	-trace_err -error_file "$TEST_DIR/agents.err" >"$TEST_DIR/agents.out" 2>&1 &
AGENTS_PID=$!
sleep 0.3
# The four callers, 0.2 s apart, in this order (one sipp starts them in its
# injection file's order; four sipp processes started 0.2 s apart reached
# the queue in any order under a full run's load): a and b stay 3 s, c 7 s
# (it waits ~2.6 s, then talks), d gives up after 1.5 s of waiting.
printf 'SEQUENTIAL\n3000;\n3000;\n7000;\n1500;\n' >"$TEST_DIR/callers.csv"
sipp -sf "$SCEN/caller_burst.xml" -inf "$TEST_DIR/callers.csv" -s 4008003000 \
	-i 127.0.0.1 -p "$(free_port)" -mi 127.0.0.1 -mp "$(free_port)" \
	-r 1 -rp 200 -m 4 -timeout 40s -timeout_error -trace_err \
	-error_file "$TEST_DIR/callers.err" "127.0.0.1:$SIP_PORT" \
	>"$TEST_DIR/callers.out" 2>&1 ||
	{ cat "$TEST_DIR/callers.err" >&2; fail "callers failed"; }
wait "$AGENTS_PID" || { cat "$TEST_DIR/agents.err" >&2; fail "agents' phones failed"; }
ok "four callers, two agents: scenarios completed"

for _ in $(seq 1 50); do
	http GET "/api/v1/calls?limit=4" "" "$TOKEN" >/dev/null
	[ "$(jbody 'sum(1 for c in j["items"] if c["ended_at"])')" = 4 ] && break
	sleep 0.1
done
echo "$HTTP_BODY" >"$TEST_DIR/calls.json"
python3 - "$TEST_DIR/calls.json" <<'PY' || fail "call records wrong: $(cat "$TEST_DIR/calls.json")"
import json, sys
calls = json.load(open(sys.argv[1]))["items"]
assert len(calls) == 4, calls
assert all(c["queue"] == "sales" and c["to"] == "4008003000" for c in calls), calls
answered = sorted((c for c in calls if c["answered_at"]), key=lambda c: c["answered_at"])
gone = [c for c in calls if not c["answered_at"]]
assert len(answered) == 3 and len(gone) == 1, calls
assert gone[0]["hangup_by"] == "caller" and gone[0]["agent"] is None, gone
a, b, c = answered
assert {a["agent"], b["agent"]} == {"1001", "1002"}, answered
# The third was answered only once an agent was free again: after the
# first conversation ended (it waited with music on hold till then).
assert c["answered_at"] >= min(a["ended_at"], b["ended_at"]), answered
assert c["answered_at"] > c["started_at"], c
PY
ok "a and b answered at once by both agents, c after them, d abandoned"

http GET /api/v1/queues "" "$TOKEN" >/dev/null
echo "$HTTP_BODY" >"$TEST_DIR/queues.json"
python3 - "$TEST_DIR/queues.json" <<'PY' || fail "queue API wrong: $(cat "$TEST_DIR/queues.json")"
import json, sys
q = {x["name"]: x for x in json.load(open(sys.argv[1]))["items"]}["sales"]
t = q["today"]
assert (t["offered"], t["answered"], t["abandoned"]) == (4, 3, 1), t
assert t["asa_s"] > 0, t
assert abs(t["abandon_rate"] - 0.25) < 1e-9, t
assert q["waiting"] == 0 and q["agents"]["ready"] == 2, q
PY
ok "GET /api/v1/queues: offered 4, answered 3, abandoned 1, ASA > 0"

http GET "/api/v1/reports/kpi?queue=sales&interval=1d" "" "$TOKEN" >/dev/null
expect_status 200 "KPI report"
echo "$HTTP_BODY" >"$TEST_DIR/kpi.json"
python3 - "$TEST_DIR/kpi.json" <<'PY' || fail "KPI report wrong: $(cat "$TEST_DIR/kpi.json")"
import json, sys
r = json.load(open(sys.argv[1]))
assert len(r["rows"]) == 1, r
c, k = r["rows"][0]["counts"], r["rows"][0]["kpis"]
assert (c["offered"], c["answered"], c["abandoned"], c["entered"]) == (4, 3, 1, 4), c
assert c["queued"] >= 2, c          # c and d found no ready agent
assert k["asa"] > 0 and abs(k["abandon_rate"] - 0.25) < 1e-9, k
assert c["completed"] == 3 and c["talk_ms"] > 0, c
PY
http GET "/api/v1/reports/kpi?agent=1001&interval=1h" "" "$TOKEN" >/dev/null
expect_status 200 "agent KPI report"
[ "$(jbody 'sum(r["counts"]["answered"] for r in j["rows"])')" -ge 1 ] || fail "agent 1001 answered nothing: $HTTP_BODY"
http GET "/api/v1/reports/kpi?interval=5m" "" "$TOKEN" >/dev/null
expect_status 400 "bad interval"
ok "KPI report agrees: offered 4, answered 3, abandoned 1, ASA > 0"

# Agent state over the API.
http PUT /api/v1/agents/1001/state '{"state":"not_ready","reason":"meal"}' "$TOKEN" >/dev/null
expect_status 200 "not ready"
http PUT /api/v1/agents/9999/state '{"state":"ready"}' "$TOKEN" >/dev/null
expect_status 404 "unknown agent"
http PUT /api/v1/agents/1001/state '{"state":"asleep"}' "$TOKEN" >/dev/null
expect_status 400 "bad state"
http GET /api/v1/agents "" "$TOKEN" >/dev/null
[ "$(jbody '[(a["state"], a["reason"]) for a in j["items"] if a["ext"] == "1001"][0]')" = "('not_ready', 'meal')" ] ||
	fail "1001 not not_ready/meal: $HTTP_BODY"
ok "PUT state: not_ready with reason; unknown agent 404; bad state 400"

# Every queue event is in the event log with what the KPIs need.
stop_server
for t in queue.enter queue.offer queue.answer queue.abandon queue.complete agent.state; do
	[ "$(dbv "SELECT count(*) FROM events WHERE type = '$t'")" -gt 0 ] || fail "no $t in the event log"
done
[ "$(dbv "SELECT count(*) FROM events WHERE type = 'queue.abandon'")" = 1 ] || fail "abandons in log"
[ "$(dbv "SELECT count(*) FROM kpi_buckets WHERE scope = 'queue' AND name = 'sales'")" -ge 1 ] || fail "no stored bucket"
ok "event log and stored buckets"

# A restart keeps the agent's state and the day's figures.
DATA_DIR=$DATA_DIR start_server
TOKEN=$(admin_token)
http GET /api/v1/agents "" "$TOKEN" >/dev/null
[ "$(jbody '[(a["state"], a["reason"], a["calls_today"] > 0) for a in j["items"] if a["ext"] == "1001"][0]')" = "('not_ready', 'meal', True)" ] ||
	fail "state lost on restart: $HTTP_BODY"
http GET /api/v1/queues "" "$TOKEN" >/dev/null
[ "$(jbody '[q["today"]["answered"] for q in j["items"] if q["name"] == "sales"][0]')" = 3 ] ||
	fail "today's figures lost on restart: $HTTP_BODY"
ok "restart: 1001 still not_ready (meal) with its calls; queue figures kept"
stop_server
