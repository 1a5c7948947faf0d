#!/usr/bin/env bash
# Click-to-dial (点击外呼): POST /api/v1/calls rings agent 1001's phone
# first; once it answers, the customer's number goes out through the dial
# plan's trunk to the "carrier" (a tests/sip/rtp_party.py answering). The
# agent (700 Hz) and the customer (1,100 Hz) then hear each other, and the
# call is an ordinary outbound record. Then the refusals: a number no plan
# covers (404), an agent dialling from another's extension (403), an
# extension without a phone (409), a bad body (400). Last, a caller's
# call is transferred by the API to an outside number: out through the
# same trunk, and the caller talks to that number.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

PARTY="$(dirname "$0")/rtp_party.py"
start_server
TOKEN=$(admin_token)
AGENT=$(login 1001 secret1001)
CARRIER=$(free_port)
http POST /api/v1/trunks '{"name": "carrier", "outbound": {"address": "127.0.0.1:'"$CARRIER"'"}, "caller_id": "4008001000", "ping_interval_s": 0}' "$TOKEN" >/dev/null
expect_status 201 "a trunk to the carrier"
http POST /api/v1/dial-plans '{"pattern": "^1[3-9][0-9]{9}$", "trunks": ["carrier"]}' "$TOKEN" >/dev/null
expect_status 201 "mobiles go out through it"
P1=$(free_port)
register 1001 secret1001 "$P1"
# Not ready: the demo queues must not offer 1001 anything meanwhile.
http PUT /api/v1/agents/1001/state '{"state":"not_ready","reason":"outbound"}' "$TOKEN" >/dev/null

python3 "$PARTY" answer --bind "$P1" --hz 700 --timeout 120 \
	--bye-file "$TEST_DIR/agent-bye" --out "$TEST_DIR/agent.json" &
A_PID=$!
python3 "$PARTY" answer --bind "$CARRIER" --hz 1100 --timeout 120 \
	--out "$TEST_DIR/customer.json" &
K_PID=$!
sleep 0.5

http POST /api/v1/calls '{"agent":"1002","to":"13912345678"}' "$AGENT" >/dev/null
expect_status 403 "an agent dials from their own extension only"
http POST /api/v1/calls '{"agent":"1001","to":"88888"}' "$AGENT" >/dev/null
expect_status 404 "a number no dial plan covers"
[ "$(jbody 'j["error"]')" = "no dial plan covers 88888" ] || fail "404's reason: $HTTP_BODY"
http POST /api/v1/calls '{"agent":"1003","to":"13912345678"}' "$TOKEN" >/dev/null
expect_status 409 "an extension without a phone"
http POST /api/v1/calls '{"to":"13912345678"}' "$TOKEN" >/dev/null
expect_status 400 "no agent"

http POST /api/v1/calls '{"agent":"1001","to":"13912345678"}' "$AGENT" >/dev/null
expect_status 201 "1001 clicks to dial 13912345678"
CALL_ID=$(jbody 'j["id"]')
for _ in $(seq 1 150); do
	http GET "/api/v1/calls/$CALL_ID" "" "$TOKEN" >/dev/null
	[ "$(jbody 'bool(j.get("answered_at"))')" = True ] && break
	sleep 0.1
done
[ "$(jbody 'bool(j.get("answered_at"))')" = True ] || fail "the customer never answered: $HTTP_BODY"
sleep 3
touch "$TEST_DIR/agent-bye"
wait "$A_PID" "$K_PID" || fail "a party failed"
[ "$(json 'j["bye_from"]' <"$TEST_DIR/customer.json")" = them ] || fail "the customer was not hung up"
python3 - "$TEST_DIR/agent.json" "$TEST_DIR/customer.json" <<'PY' || fail "who heard whom"
import json, sys
agent, cust = (json.load(open(p)) for p in sys.argv[1:3])
def share(p, hz):
    fr = [h for ms, h in p["frames"] if h]
    assert len(fr) >= 50, len(fr)
    return sum(hz in h for h in fr) / len(fr)
assert share(agent, 1100) > 0.8, "the agent does not hear the customer"
assert share(cust, 700) > 0.9, "the customer does not hear the agent"
PY
ok "1001's phone rang first, then 13912345678 through the trunk; they talked"
CALL=$(last_call "$TOKEN")
echo "$CALL" | python3 -c '
import json, sys
c = json.load(sys.stdin)
assert c["id"] == sys.argv[1], c
assert (c["direction"], c["from"], c["to"], c["agent"], c["trunk"]) == ("outbound", "1001", "13912345678", "1001", "carrier"), c
assert c["talk_s"] >= 2 and c["hangup_by"] == "agent", c' "$CALL_ID" || fail "the record: $CALL"
ok "an outbound call record: from 1001 to 13912345678 through carrier, hung up by the agent"

# A transfer to an outside number.
http PUT /api/v1/agents/1001/state '{"state":"ready"}' "$TOKEN" >/dev/null
http PUT /api/v1/queues/sales '{"wrapup_ms":0}' "$TOKEN" >/dev/null
python3 "$PARTY" answer --bind "$P1" --hz 700 --timeout 120 --out "$TEST_DIR/agent2.json" &
A_PID=$!
python3 "$PARTY" answer --bind "$CARRIER" --hz 1100 --timeout 120 --out "$TEST_DIR/outside.json" &
K_PID=$!
python3 "$PARTY" call --port "$SIP_PORT" --number 4008003000 --hz 400 \
	--timeout 120 --out "$TEST_DIR/caller.json" &
C_PID=$!
CALL_ID=
for _ in $(seq 1 150); do
	http GET "/api/v1/calls?limit=1" "" "$TOKEN" >/dev/null
	CALL_ID=$(jbody '(j["items"][0]["id"] if j["items"] and j["items"][0]["to"] == "4008003000" and j["items"][0]["answered_at"] and not j["items"][0]["ended_at"] else "")')
	[ -n "$CALL_ID" ] && break
	sleep 0.1
done
[ -n "$CALL_ID" ] || fail "the caller never reached 1001"
http POST "/api/v1/calls/$CALL_ID/transfer" '{"to":"99999"}' "$AGENT" >/dev/null
expect_status 400 "a transfer to a number no plan covers"
http POST "/api/v1/calls/$CALL_ID/transfer" '{"to":"13811112222"}' "$AGENT" >/dev/null
expect_status 202 "1001 transfers the caller to 13811112222"
wait "$A_PID" || fail "the agent party failed"
[ "$(json 'j["bye_from"]' <"$TEST_DIR/agent2.json")" = them ] || fail "1001 was not hung up"
sleep 3
http POST "/api/v1/calls/$CALL_ID/hangup" '{}' "$TOKEN" >/dev/null
expect_status 200 "the call is hung up"
wait "$C_PID" "$K_PID" || fail "a party failed"
python3 - "$TEST_DIR/caller.json" "$TEST_DIR/outside.json" <<'PY' || fail "the caller and the outside number do not hear each other"
import json, sys
caller, out = (json.load(open(p)) for p in sys.argv[1:3])
late = [h for ms, h in caller["frames"] if h][-60:]
assert sum(1100 in h for h in late) / len(late) > 0.8, late[:5]
heard = [h for ms, h in out["frames"] if h]
assert len(heard) >= 50 and sum(400 in h for h in heard) / len(heard) > 0.8, heard[:5]
PY
http GET "/api/v1/calls/$CALL_ID" "" "$TOKEN" >/dev/null
[ "$(jbody 'j["transfer_by"], j["transfer_to"], j["trunk"]')" = "1001 13811112222 carrier" ] ||
	fail "the transferred call's record: $HTTP_BODY"
ok "a caller transferred to 13811112222 goes out through the trunk and talks to it"
stop_server
