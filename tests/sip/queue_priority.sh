#!/usr/bin/env bash
# Priorities in real calls. A VIP number (a DID set up over the API with
# priority 10) leads to the sales queue like the ordinary one. With the one
# agent busy, an ordinary caller starts waiting, then a VIP caller: when
# the agent is free the VIP is answered first, the ordinary caller after.
# The DID API refuses what it cannot route, naming the field.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

start_server
TOKEN=$(admin_token)
T_SUP=$(login sup sup123)

http PUT /api/v1/dids/4008003999 '{"target_kind":"queue","target":"nowhere"}' "$TOKEN" >/dev/null
expect_status 400 "unknown queue"
echo "$HTTP_BODY" | grep -q target || fail "reason does not name the field: $HTTP_BODY"
http PUT /api/v1/dids/4008003999 '{"target_kind":"queue","target":"sales","priority":101}' "$TOKEN" >/dev/null
expect_status 400 "priority out of range"
http PUT /api/v1/dids/40x8 '{"target_kind":"queue","target":"sales"}' "$TOKEN" >/dev/null
expect_status 400 "a DID that is no number"
http PUT /api/v1/dids/4008003999 '{"target_kind":"fax","target":"main"}' "$TOKEN" >/dev/null
expect_status 400 "unknown kind"
http PUT /api/v1/dids/4008003999 '{"target_kind":"ivr","target":"nowhere"}' "$TOKEN" >/dev/null
expect_status 400 "unknown IVR flow"
http PUT /api/v1/dids/4008003999 '{"target_kind":"queue","target":"sales","colour":1}' "$TOKEN" >/dev/null
expect_status 400 "unknown field"
http PUT /api/v1/dids/4008003999 '{"target_kind":"queue",' "$TOKEN" >/dev/null
expect_status 400 "garbage JSON"
http PUT /api/v1/dids/4008003999 '{"target_kind":"queue","target":"sales","priority":10,"description":"VIP"}' "$T_SUP" >/dev/null
expect_status 403 "a supervisor may not change routes"
http GET /api/v1/dids "" "$TOKEN" >/dev/null
[ "$(jbody 'any(d["did"] == "4008003999" for d in j["items"])')" = False ] || fail "a refused DID was stored"
http PUT /api/v1/dids/4008003999 '{"target_kind":"queue","target":"sales","priority":10,"description":"VIP"}' "$TOKEN" >/dev/null
expect_status 200 "VIP DID"
http GET /api/v1/dids "" "$T_SUP" >/dev/null
[ "$(jbody '[(d["target"], d["priority"]) for d in j["items"] if d["did"] == "4008003999"]')" = "[('sales', 10)]" ] ||
	fail "DID list: $HTTP_BODY"
http PUT /api/v1/queues/sales '{"wrapup_ms":0}' "$TOKEN" >/dev/null
expect_status 200 "no wrap-up"
ok "DID API: bad routes refused with reasons, the VIP line stored"

AGENT_PORT=$(free_port)
register 1001 secret1001 "$AGENT_PORT"
sipp_bg agent agent_answer.xml -p "$AGENT_PORT" -mi 127.0.0.1 -mp "$(free_port)" -m 3
sleep 0.2
# A caller's time counts from the queue's 200, waiting included. The first
# call lasts long enough for both others to queue behind it even under the
# sanitizers on a loaded machine; each later caller stays until after its
# turn; the agent's phone answers all three within its 30 s.
stay_caller first 4008003000 9000 13800000001  # talks to 1001
wait_log 'call\.offer .* agent=1001' || fail "the first caller was not offered to 1001"
stay_caller plain 4008003000 16000 13800000002  # waits
wait_log 'call\.queued .* from=13800000002' || fail "the plain caller never queued"
stay_caller vip 4008003999 9500 13800000003  # waits, later
wait_log 'call\.queued .* from=13800000003' || fail "the VIP caller never queued"
! grep -Eq "call\.ended .* from=13800000001" "$TEST_DIR/server.err" ||
	fail "the first call ended before the VIP queued: no contest to judge"
for n in first plain vip; do
	eval "wait \$PID_$n" || { cat "$TEST_DIR/$n.err" >&2; fail "caller $n failed"; }
done
sipp_wait agent || { cat "$TEST_DIR/agent.err" >&2; fail "the agent's phone failed"; }

for _ in $(seq 1 50); do
	http GET "/api/v1/calls?limit=3" "" "$TOKEN" >/dev/null
	[ "$(jbody 'sum(1 for c in j["items"] if c["ended_at"])')" = 3 ] && break
	sleep 0.1
done
echo "$HTTP_BODY" >"$TEST_DIR/calls.json"
python3 - "$TEST_DIR/calls.json" <<'PY' || fail "answer order wrong: $(cat "$TEST_DIR/calls.json")"
import json, sys
c = {x["from"]: x for x in json.load(open(sys.argv[1]))["items"]}
first, plain, vip = c["13800000001"], c["13800000002"], c["13800000003"]
assert all(x["answered_at"] and x["agent"] == "1001" for x in (first, plain, vip)), c
assert vip["queue"] == plain["queue"] == "sales", c
PY
# Milliseconds from the records themselves (the API shows seconds).
sqlite3 "$DATA_DIR/hotline.db" "SELECT caller, started_at, answered_at FROM calls" >"$TEST_DIR/ms.txt"
python3 - "$TEST_DIR/ms.txt" <<'PY' || fail "answer order wrong: $(cat "$TEST_DIR/ms.txt")"
import sys
t = {l.split("|")[0]: [int(x) for x in l.strip().split("|")[1:]] for l in open(sys.argv[1])}
plain, vip = t["13800000002"], t["13800000003"]
assert plain[0] < vip[0], t          # the ordinary caller came first
assert vip[1] < plain[1], t          # the VIP was answered first
PY
ok "the VIP caller, who came later, was answered before the ordinary one"

http DELETE /api/v1/dids/4008003999 "" "$TOKEN" >/dev/null
expect_status 200 "delete DID"
http DELETE /api/v1/dids/4008003999 "" "$TOKEN" >/dev/null
expect_status 404 "deleted DID"
sed "s/EXPECTED/404/g; s|MLINE|m=audio [media_port] RTP/AVP 0\\na=rtpmap:0 PCMU/8000|" \
	"$SCEN/caller_expect.xml" >"$TEST_DIR/gone.xml"
call_to gone "$TEST_DIR/gone.xml" 4008003999
ok "a deleted DID routes nowhere (404)"
stop_server
