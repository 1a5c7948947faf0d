# The CTI WebSocket of a department lead: the demo's support agents
# (1006–1010, members of the support queue) are put in a department 售后,
# whose lead (a supervisor, scope departments) connects. Its snapshot
# lists support's agents alone and the support queue alone, and the
# queue statistics every second hold support alone: the queues a lead
# sees are those its agents serve, the rule of the KPI report
# (queue/scope.c), which the lead is refused for sales as well. The
# administrator and sup (scope all) see both queues and every agent;
# agent 1001 (scope own) sees its own agent and, as before, every queue.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib_lead.bash"

start_server
ADMIN=$(login admin admin123)
support_lead "$ADMIN"
LEAD=$(login lead password-lead)
SUP=$(login sup sup123)
T1001=$(login 1001 secret1001)

# The KPI report's rule for the same lead: support yes, sales no.
http GET "/api/v1/reports/kpi?interval=1h&queue=support" "" "$LEAD" >/dev/null
expect_status 200 "the lead's KPI report of support"
http GET "/api/v1/reports/kpi?interval=1h&queue=sales" "" "$LEAD" >/dev/null
expect_status 403 "the lead's KPI report of sales"

# Each client: the snapshot, then two queue.stats frames (once a second).
PIDS=""
for c in lead:$LEAD admin:$ADMIN sup:$SUP a1001:$T1001; do
	WS_SECONDS=15 WS_FRAMES=3 python3 "$(dirname "$0")/ws_client.py" \
		127.0.0.1 "$HTTP_PORT" "/api/v1/events?token=${c#*:}" \
		>"$TEST_DIR/${c%%:*}.ws" &
	PIDS="$PIDS $!"
done
for p in $PIDS; do wait "$p" || fail "a client ended badly"; done

python3 - "$TEST_DIR" <<'EOF' || fail "a stream is not as its scope says"
import json, os, sys

d = sys.argv[1]
SALES = {"1001", "1002", "1003", "1004", "1005"}
SUPPORT = {"1006", "1007", "1008", "1009", "1010"}
# client → (agents in the snapshot, queues in the snapshot and statistics)
want = {
    "lead": (SUPPORT, {"support"}),
    "admin": (SALES | SUPPORT, {"sales", "support"}),
    "sup": (SALES | SUPPORT, {"sales", "support"}),
    "a1001": ({"1001"}, {"sales", "support"}),
}
for name, (agents, queues) in want.items():
    lines = open(os.path.join(d, name + ".ws")).read().splitlines()
    assert lines and lines[0] == "status=101", (name, lines[:2])
    fs = [json.loads(l) for l in lines[1:] if l.startswith("{")]
    assert fs and fs[0]["type"] == "snapshot", (name, fs[:1])
    snap = fs[0]["data"]
    got = {a["ext"] for a in snap["agents"]}
    assert got == agents, (name, "snapshot agents", sorted(got))
    got = {q["name"] for q in snap["queues"]}
    assert got == queues, (name, "snapshot queues", sorted(got))
    stats = [f for f in fs[1:] if f["type"] == "queue.stats"]
    assert len(stats) == 2, (name, [f["type"] for f in fs])
    for s in stats:
        got = {q["name"] for q in s["data"]["queues"]}
        assert got == queues, (name, "queue.stats", sorted(got))
        assert set(s["data"]) == {"queues"}, (name, s["data"].keys())
print("ok")
EOF
ok "the lead of support sees support's agents and queue only, live and each second"
ok "scope all sees every agent and queue; an agent itself and every queue"
stop_server
