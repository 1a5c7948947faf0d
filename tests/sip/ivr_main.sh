#!/usr/bin/env bash
# The demo's main line, 4008001000, is the IVR "main" of docs/contract.md:
# a greeting, then "1 for sales, 2 for support". Real calls with RFC 4733
# keys from sipp: 1 (pressed during the greeting: barge-in, the menu takes
# it) reaches a sales agent, 2 a support agent; a wrong key twice reaches
# support, and so does silence, 10 s after the menu has been heard. Every
# node visit is written with the exit taken. The menu's choice travels with
# the call as call-associated data (随路数据): on the agent's ringing and
# answered events, stored with the call, read back as JSON and XML, and a
# CTI client adds to it while the call is live.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

start_server
TOKEN=$(admin_token)

# One sales agent, three support agents: each phone answers one call.
for ext in 1001 1006 1007 1008; do
	port=$(free_port)
	register "$ext" "secret$ext" "$port"
	sipp_bg "a$ext" agent_answer.xml -p "$port" -mi 127.0.0.1 -mp "$(free_port)" -timeout 60s
done
sleep 0.3

ivr_caller one 4008001000 13900000001 caller_stay p:1500 k:1 p:6000           # barge-in: 1 during the greeting
# While caller one talks to 1001, a CTI client attaches data to the call.
live=""
for _ in $(seq 1 100); do
	http GET "/api/v1/calls?limit=10" "" "$TOKEN" >"$TEST_DIR/live.json"
	live=$(json '[c["id"] for c in j["items"] if c["from"] == "13900000001" and c["answered_at"] and not c["ended_at"]][0] if [c for c in j["items"] if c["from"] == "13900000001" and c["answered_at"] and not c["ended_at"]] else ""' <"$TEST_DIR/live.json")
	[ -n "$live" ] && break
	sleep 0.1
done
[ -n "$live" ] || fail "caller one never talked to an agent: $(cat "$TEST_DIR/live.json")"
http PUT "/api/v1/calls/$live/data" '{"crm":{"ticket":"T-1<&>","备注":"老客户"}}' "$TOKEN" >/dev/null
expect_status 200 "data set on a live call"
http PUT "/api/v1/calls/$live/data" '{"crm":{"n":5}}' "$TOKEN" >/dev/null
expect_status 400 "a value that is no text"
http PUT "/api/v1/calls/$live/data" '{"":{"k":"v"}}' "$TOKEN" >/dev/null
expect_status 400 "a section without a name"
http PUT "/api/v1/calls/nosuchcall/data" '{"crm":{"k":"v"}}' "$TOKEN" >/dev/null
expect_status 404 "data for a call that does not exist"
ok "a CTI client sets call data on a live call; bad bodies and unknown calls refused"
ivr_caller two 4008001000 13900000002 caller_stay p:9000 k:2 p:3000           # 2 after the menu was heard
# sipp's key captures come from one RTP stream, in key order: a call plays
# them in rising order, or the later key looks like an old packet.
ivr_caller bad 4008001000 13900000003 caller_stay p:9000 k:7 p:1500 k:9 p:3000  # wrong twice
ivr_caller mute 4008001000 13900000004 caller_stay p:30000                    # silence

for n in one two bad mute; do
	sipp_wait "$n" || { cat "$TEST_DIR/$n.err" >&2; fail "caller $n: the call did not go as scripted"; }
done
for ext in 1001 1006 1007 1008; do
	sipp_wait "a$ext" || { cat "$TEST_DIR/a$ext.err" >&2; fail "agent $ext's phone failed"; }
done

for _ in $(seq 1 50); do
	http GET "/api/v1/calls?limit=10" "" "$TOKEN" >"$TEST_DIR/calls.json"
	[ "$(json 'sum(1 for c in j["items"] if c["ended_at"])' <"$TEST_DIR/calls.json")" = 4 ] && break
	sleep 0.1
done
python3 - "$TEST_DIR/calls.json" <<'PY' || fail "where the callers went: $(cat "$TEST_DIR/calls.json")"
import json, sys
c = {x["from"]: x for x in json.load(open(sys.argv[1]))["items"]}
want = {"13900000001": ("sales", {"1001"}),
        "13900000002": ("support", {"1006", "1007", "1008"}),
        "13900000003": ("support", {"1006", "1007", "1008"}),
        "13900000004": ("support", {"1006", "1007", "1008"})}
for frm, (queue, agents) in want.items():
    x = c[frm]
    assert x["to"] == "4008001000", x
    assert x["queue"] == queue and x["agent"] in agents, x
    assert x["answered_at"] and x["ended_at"], x
PY
ok "1 → sales, 2 → support, two wrong keys → support, silence → support"

# The visits: node, exit taken and keys, in order, per caller.
sqlite3 "$DATA_DIR/hotline.db" "SELECT c.caller, v.node, v.exit, v.digits, v.retries,
	v.left_at - v.entered_at FROM ivr_visits v JOIN calls c ON c.id = v.call_id
	ORDER BY c.caller, v.seq" >"$TEST_DIR/visits.txt"
python3 - "$TEST_DIR/visits.txt" <<'PY' || fail "visits: $(cat "$TEST_DIR/visits.txt")"
import sys
v = {}
for line in open(sys.argv[1]):
    caller, node, exit, digits, retries, ms = line.rstrip("\n").split("|")
    v.setdefault(caller, []).append((node, exit, digits, int(retries), int(ms)))
one, two, bad, mute = (v["1390000000%d" % i] for i in (1, 2, 3, 4))
assert [x[:2] for x in one] == [("welcome", "next"), ("menu", "1"), ("sales_data", "next"), ("sales", "queue")], one
assert one[0][2] == "1", one               # the key cut the greeting short
assert [x[:3] for x in two] == [("welcome", "next", ""), ("menu", "2", "2"), ("support_data", "next", ""), ("support", "queue", "")], two
assert [x[:4] for x in bad][1] == ("menu", "invalid", "79", 1), bad
assert [x[:2] for x in mute] == [("welcome", "next"), ("menu", "timeout"), ("support_data", "next"), ("support", "queue")], mute
# Silence: the menu waited its 10 s after its prompt, not from its start.
assert mute[1][4] >= 10000, mute
PY
ok "every node visit written with its exit, keys and retries"

# The funnel: per node, in the order callers reach them.
http GET "/api/v1/reports/ivr?flow=main" "" "$TOKEN" >/dev/null
expect_status 200 "the IVR report"
python3 -c '
import json, sys
n = {x["node"]: x for x in json.loads(sys.argv[1])["nodes"]}
order = [x["node"] for x in json.loads(sys.argv[1])["nodes"]]
assert order[:2] == ["welcome", "menu"], order
assert n["welcome"]["calls"] == 4 and n["welcome"]["exits"] == {"next": 4}, n["welcome"]
m = n["menu"]
assert m["exits"] == {"1": 1, "2": 1, "invalid": 1, "timeout": 1}, m
assert m["replays"] == 1 and m["hung_up"] == 0 and m["reached_agent"] == 4, m
assert n["sales"]["calls"] == 1 and n["support"]["calls"] == 3, n
assert m["mean_ms"] > 0, m
' "$HTTP_BODY" || fail "IVR funnel: $HTTP_BODY"
http GET "/api/v1/reports/ivr" "" "$TOKEN" >/dev/null
expect_status 400 "the IVR report without a flow"
http GET "/api/v1/reports/ivr?flow=nosuch" "" "$TOKEN" >/dev/null
[ "$(jbody 'j["nodes"]')" = "[]" ] || fail "a flow without visits: $HTTP_BODY"
ok "the IVR funnel: visits, exits, replays and calls that reached an agent, per node"

# The call data: on the agent's events, stored, as JSON and as XML.
for frm in 13900000001 13900000002; do
	id=$(json "[c['id'] for c in j['items'] if c['from'] == '$frm'][0]" <"$TEST_DIR/calls.json")
	http GET "/api/v1/calls/$id" "" "$TOKEN" >"$TEST_DIR/call_$frm.json"
	http GET "/api/v1/calls/$id/data" "" "$TOKEN" >"$TEST_DIR/data_$frm.json"
	expect_status 200 "call data as JSON"
	curl -s -H "Authorization: Bearer $TOKEN" \
		"http://127.0.0.1:$HTTP_PORT/api/v1/calls/$id/data?format=xml" >"$TEST_DIR/data_$frm.xml"
	curl -s -H "Authorization: Bearer $TOKEN" -H "Accept: application/xml" \
		"http://127.0.0.1:$HTTP_PORT/api/v1/calls/$id/data" >"$TEST_DIR/data_$frm.accept.xml"
	cmp -s "$TEST_DIR/data_$frm.xml" "$TEST_DIR/data_$frm.accept.xml" ||
		fail "?format=xml and Accept: application/xml differ"
done
python3 - "$TEST_DIR" <<'PY' || fail "call data: $(cat "$TEST_DIR"/data_139*.json)"
import json, sys, xml.etree.ElementTree as ET
d = sys.argv[1]
for frm, menu, biz in (("13900000001", "sales", "销售咨询"), ("13900000002", "support", "技术支持")):
    call = json.load(open("%s/call_%s.json" % (d, frm)))
    ev = {e["type"]: e["data"] for e in call["events"]}
    for t in ("call.queued", "call.ringing", "call.answered"):
        assert ev[t]["data"]["ivr"] == {"menu": menu, "业务": biz}, (t, ev[t])
    data = json.load(open("%s/data_%s.json" % (d, frm)))
    assert data["call_id"] == call["id"], data
    want = {"ivr": {"menu": menu, "业务": biz}}
    if frm == "13900000001":
        want["crm"] = {"ticket": "T-1<&>", "备注": "老客户"}
    assert data["data"] == want, data
    assert list(data["data"]["ivr"]) == ["menu", "业务"], data   # order kept
    root = ET.parse("%s/data_%s.xml" % (d, frm)).getroot()
    assert root.tag == "callData" and root.get("callId") == call["id"], root.attrib
    got = {s.get("name"): {i.get("key"): i.text for i in s} for s in root}
    assert got == want, got
PY
http GET "/api/v1/calls/nosuchcall/data" "" "$TOKEN" >/dev/null
expect_status 404 "data of a call that does not exist"
http GET "/api/v1/calls/$id/data?format=csv" "" "$TOKEN" >/dev/null
expect_status 400 "an unknown format"
ok "call data on the queue and agent events, stored, read as JSON and XML"
stop_server
ok "the server stops cleanly after IVR calls"
