#!/usr/bin/env bash
# Attended transfer done by the agent's own phone (RFC 5589 section 7: a
# REFER whose Refer-To carries Replaces, RFC 3891), checked by what each
# party hears: the caller speaks 400 Hz, the consulted agent 1002
# 1,100 Hz (tests/sip/rtp_party.py). Agent 1001's phone
# (tests/sip/xfer_phone.py) answers the caller, calls 1002 through
# Hotline, talks, then REFERs the caller's call to 1002 replacing that
# consultation.
#  1. The REFER is accepted (202, NOTIFY 200); both of 1001's dialogs are
#     hung up; the caller and 1002 hear each other (1002's phone keeps its
#     dialog: a re-INVITE moves its media); the caller's record says
#     transferred by 1001 to 1002 via refer, agent 1002; the consultation's
#     record ends with cause "replaced".
#  2. A Replaces naming no consultation of 1001's gets 481 and changes
#     nothing: caller and 1001 stay connected.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

PARTY="$(dirname "$0")/rtp_party.py"
PHONE="$(dirname "$0")/xfer_phone.py"
start_server
TOKEN=$(admin_token)
http PUT /api/v1/queues/sales '{"wrapup_ms":0}' "$TOKEN" >/dev/null
expect_status 200 "no wrap-up"
P1=$(free_port)
P2=$(free_port)
register 1001 secret1001 "$P1"
register 1002 secret1002 "$P2"
# Not ready: the queue offers the caller to 1001 only; 1002 can still be
# called directly, as the consultation does.
http PUT /api/v1/agents/1002/state '{"state":"not_ready","reason":"meeting"}' "$TOKEN" >/dev/null
expect_status 200 "1002 takes no queue calls"

# event_time CALL TYPE: the server's time (epoch s) of CALL's first TYPE
# event, or nothing.
event_time() {
	http GET "/api/v1/calls/$1" "" "$TOKEN" >/dev/null
	jbody '([__import__("datetime").datetime.fromisoformat(e["ts"].replace("Z", "+00:00")).timestamp() for e in j["events"] if e["type"] == "'"$2"'"] + [""])[0]'
}

# 1. The phone's transfer.
python3 "$PARTY" answer --bind "$P2" --hz 1100 --timeout 60 \
	--out "$TEST_DIR/target.json" &
T_PID=$!
python3 "$PHONE" --port "$SIP_PORT" --bind "$P1" --ext 1001 \
	--password secret1001 --target 1002 --out "$TEST_DIR/phone.json" &
A_PID=$!
python3 "$PARTY" call --port "$SIP_PORT" --number 4008003000 --hz 400 \
	--seconds 10 --timeout 60 --out "$TEST_DIR/caller.json" &
C_PID=$!
wait "$A_PID" || fail "1001's phone failed"
python3 - "$TEST_DIR/phone.json" <<'PY' || fail "1001's phone: $(cat "$TEST_DIR/phone.json")"
import json, sys
p = json.load(open(sys.argv[1]))
assert p["d2_answered"], "1002 never answered the consultation"
assert p["refer"] == 202, p
assert p["notify"] == "SIP/2.0 200 OK", p
assert p["bye_d1"] and p["bye_d2"], p
PY
ok "REFER with Replaces: 202, NOTIFY 200, and both of 1001's dialogs hung up"
wait "$C_PID" "$T_PID" || fail "a party failed"
[ "$(json 'j["bye_from"]' <"$TEST_DIR/target.json")" = them ] ||
	fail "1002 was not hung up when the caller left"

http GET "/api/v1/calls?limit=5" "" "$TOKEN" >/dev/null
CALL_ID=$(jbody '[c["id"] for c in j["items"] if c["direction"] == "inbound"][0]')
CONS_ID=$(jbody '[c["id"] for c in j["items"] if c["direction"] == "internal"][0]')
T_DONE=$(event_time "$CALL_ID" call.transfer)
[ -n "$T_DONE" ] || fail "no call.transfer event: $HTTP_BODY"
after=$(python3 -c "print($T_DONE + 0.7)"); end=$(python3 -c "print($T_DONE + 4)")
high "$(hears "$TEST_DIR/caller.json" "$after" "$end" 1100)" || fail "the caller does not hear 1002 after the transfer"
high "$(hears "$TEST_DIR/target.json" "$after" "$end" 400)" || fail "1002 does not hear the caller after the transfer"
ok "after the transfer the caller and 1002 hear each other"

http GET "/api/v1/calls/$CALL_ID" "" "$TOKEN" >/dev/null
python3 -c '
import json, sys
c = json.loads(sys.argv[1])
assert c["agent"] == "1002" and c["transfer_by"] == "1001" and c["transfer_to"] == "1002", c
assert c["hangup_by"] == "caller", c
assert [e["data"]["via"] for e in c["events"] if e["type"] == "call.transfer"] == ["refer"], c' "$HTTP_BODY" ||
	fail "the caller's record: $HTTP_BODY"
http GET "/api/v1/calls/$CONS_ID" "" "$TOKEN" >/dev/null
python3 -c '
import json, sys
c = json.loads(sys.argv[1])
assert c["from"] == "1001" and c["to"] == "1002" and c["ended_at"], c
assert [e["data"]["cause"] for e in c["events"] if e["type"] == "call.ended"] == ["replaced"], c' "$HTTP_BODY" ||
	fail "the consultation's record: $HTTP_BODY"
ok "records: transferred by 1001 to 1002 via refer; the consultation ended as replaced"

# 2. A Replaces that names no consultation of 1001's.
http PUT /api/v1/agents/1002/state '{"state":"not_ready","reason":"meeting"}' "$TOKEN" >/dev/null
python3 "$PARTY" answer --bind "$P2" --hz 1100 --seconds 6 --timeout 60 \
	--out "$TEST_DIR/target2.json" &
T_PID=$!
python3 "$PHONE" --port "$SIP_PORT" --bind "$P1" --ext 1001 \
	--password secret1001 --target 1002 --replaces-callid nosuch@phone \
	--out "$TEST_DIR/phone2.json" &
A_PID=$!
python3 "$PARTY" call --port "$SIP_PORT" --number 4008003000 --hz 400 \
	--seconds 8 --timeout 60 --out "$TEST_DIR/caller2.json" &
C_PID=$!
wait "$A_PID" || fail "1001's phone failed (2)"
[ "$(json 'j["refer"], j["bye_d1"]' <"$TEST_DIR/phone2.json")" = "481 False" ] ||
	fail "an unknown Replaces: $(cat "$TEST_DIR/phone2.json")"
wait "$C_PID" "$T_PID" || fail "a party failed (2)"
[ "$(json 'j["bye_from"]' <"$TEST_DIR/caller2.json")" = us ] ||
	fail "the caller was cut off after a refused REFER"
http GET "/api/v1/calls?limit=5" "" "$TOKEN" >/dev/null
python3 -c '
import json, sys
c = [c for c in json.loads(sys.argv[1])["items"] if c["direction"] == "inbound"][0]
assert c["id"] != sys.argv[2], "no second call"
assert c["agent"] == "1001" and c["transfer_to"] is None and c["hangup_by"] == "caller", c' "$HTTP_BODY" "$CALL_ID" ||
	fail "the refused REFER changed the record: $HTTP_BODY"
ok "a Replaces naming no consultation of the agent's: 481, the call goes on"
stop_server
