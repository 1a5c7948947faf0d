#!/usr/bin/env bash
# Attended transfer (咨询转接) from the API, checked by what each party
# hears: the caller speaks 400 Hz, agent 1001 700 Hz, the consulted agent
# 1002 1,100 Hz (tests/sip/rtp_party.py).
#  1. consult, then complete: while they consult the caller hears neither
#     agent (music on hold), 1001 and 1002 hear each other; after
#     /transfer/complete the caller and 1002 talk, 1001 is hung up; the
#     record says transferred by 1001 to 1002, agent 1002.
#  2. consult, then cancel: 1002 is hung up, caller and 1001 talk again.
#  3. consult, then 1001 hangs up its phone: the transfer completes, as a
#     desk phone's does.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

PARTY="$(dirname "$0")/rtp_party.py"
start_server
TOKEN=$(admin_token)
http PUT /api/v1/queues/sales '{"wrapup_ms":0}' "$TOKEN" >/dev/null
expect_status 200 "no wrap-up"
AGENT=$(login 1001 secret1001)
P1=$(free_port)
P2=$(free_port)
register 1001 secret1001 "$P1"

# wait_for WHY FUNC [ARGS]: FUNC prints a value or nothing; it is asked
# every 0.1 s until it prints one (printed here), and after 10 s the test
# fails with WHY.
wait_for() {
	local why=$1 v; shift
	for _ in $(seq 1 100); do
		v=$("$@")
		[ -n "$v" ] && { echo "$v"; return; }
		sleep 0.1
	done
	fail "$why"
}

# event_time TYPE [STATE]: the server's time (epoch s) of the first TYPE
# event (with data.state STATE) in HTTP_BODY's call, or nothing. Windows
# are measured from the server's own times: a loaded machine may take a
# while to answer a request.
event_time() {
	jbody '([__import__("datetime").datetime.fromisoformat(e["ts"].replace("Z", "+00:00")).timestamp() for e in j["events"] if e["type"] == "'"$1"'" and ("'"${2:-}"'" == "" or e["data"].get("state") == "'"${2:-}"'")] + [""])[0]'
}

# call_event TYPE [STATE]: event_time in CALL_ID's record as it is now.
call_event() {
	http GET "/api/v1/calls/$CALL_ID" "" "$TOKEN" >/dev/null
	event_time "$@"
}

# done_time TYPE [STATE]: event_time of the call after the fact. The
# call's events are written through the database's writer, so the answer
# to the request that caused one may come before it can be read: asked
# again until it is there.
done_time() { wait_for "no $1${2:+ ($2)} event in the call's record" call_event "$@"; }

# scenario NAME [agent-party args]: a caller reaches 1001, who consults 1002.
scenario() {
	local name=$1; shift
	python3 "$PARTY" answer --bind "$P1" --hz 700 --timeout 150 \
		--out "$TEST_DIR/$name-agent.json" "$@" &
	A_PID=$!
	python3 "$PARTY" call --port "$SIP_PORT" --number 4008003000 --hz 400 \
		--timeout 150 --out "$TEST_DIR/$name-caller.json" &
	C_PID=$!
	CALL_ID=$(live_call "$TOKEN") || fail "no call was answered"
	# 1002 comes online only now, so the queue offered the call to 1001.
	# Not ready: the queue never offers it a caller, a consultation still
	# rings it (it is no queue call).
	if [ -z "${REG2:-}" ]; then
		register 1002 secret1002 "$P2"
		REG2=1
		http PUT /api/v1/agents/1002/state '{"state":"not_ready","reason":"meeting"}' "$TOKEN" >/dev/null
		expect_status 200 "1002 takes no queue calls"
	fi
	python3 "$PARTY" answer --bind "$P2" --hz 1100 --timeout 150 \
		--out "$TEST_DIR/$name-target.json" &
	T_PID=$!
	sleep 1.5
	http POST "/api/v1/calls/$CALL_ID/transfer" '{"to":"1002","attended":true}' "$AGENT" >/dev/null
	expect_status 202 "$name: 1001 consults 1002"
	T_CONSULT=$(wait_for "$name: 1002 never answered" call_event call.consult answered)
	http POST "/api/v1/calls/$CALL_ID/transfer" '{"to":"1002","attended":true}' "$AGENT" >/dev/null
	expect_status 409 "$name: a second consultation"
	http POST "/api/v1/calls/$CALL_ID/resume" '{}' "$AGENT" >/dev/null
	expect_status 409 "$name: resume during the consultation"
	sleep 2.5
}

# hang_up: the administrator ends the call (the caller hears BYE).
hang_up() {
	http POST "/api/v1/calls/$CALL_ID/hangup" '{}' "$TOKEN" >/dev/null
	expect_status 200 "the call is hung up"
}


# 1. consult, complete
scenario complete
http POST "/api/v1/calls/$CALL_ID/transfer/complete" '{}' "$AGENT" >/dev/null
expect_status 200 "1001 completes the transfer"
T_DONE=$(done_time call.transfer)
http POST "/api/v1/calls/$CALL_ID/transfer/complete" '{}' "$AGENT" >/dev/null
expect_status 409 "1001 is no longer on the call"
echo "$HTTP_BODY" | grep -q "not on this call" || fail "no reason for 1001: $HTTP_BODY"
sleep 3
hang_up
wait "$C_PID" "$A_PID" "$T_PID" || fail "a party failed"
lo=$(python3 -c "print($T_CONSULT + 0.3)"); hi=$(python3 -c "print($T_DONE - 0.3)")
after=$(python3 -c "print($T_DONE + 0.5)"); end=$(python3 -c "print($T_DONE + 3)")
none "$(hears "$TEST_DIR/complete-caller.json" "$lo" "$hi" 700)" || fail "the caller heard 1001 while held"
none "$(hears "$TEST_DIR/complete-caller.json" "$lo" "$hi" 1100)" || fail "the caller heard 1002 during the consultation"
high "$(hears "$TEST_DIR/complete-agent.json" "$lo" "$hi" 1100)" || fail "1001 did not hear 1002"
high "$(hears "$TEST_DIR/complete-target.json" "$lo" "$hi" 700)" || fail "1002 did not hear 1001"
none "$(hears "$TEST_DIR/complete-target.json" "$lo" "$hi" 400)" || fail "1002 heard the caller during the consultation"
high "$(hears "$TEST_DIR/complete-caller.json" "$after" "$end" 1100)" || fail "the caller does not hear 1002 after the transfer"
high "$(hears "$TEST_DIR/complete-target.json" "$after" "$end" 400)" || fail "1002 does not hear the caller after the transfer"
[ "$(json 'j["bye_from"]' <"$TEST_DIR/complete-agent.json")" = them ] || fail "1001 was not hung up"
ok "consultation: the caller on hold, 1001 and 1002 talk; complete: the caller talks to 1002, 1001 hung up"
CALL=$(last_call "$TOKEN")
echo "$CALL" | python3 -c '
import json, sys
c = json.load(sys.stdin)
assert c["transfer_by"] == "1001" and c["transfer_to"] == "1002" and c["agent"] == "1002", c
assert c["hold_s"] >= 2, c' || fail "the record: $CALL"
http GET "/api/v1/calls/$CALL_ID" "" "$TOKEN" >/dev/null
[ "$(jbody '[e["data"]["state"] for e in j["events"] if e["type"] == "call.consult"]')" = "['ringing', 'answered']" ] ||
	fail "call.consult events: $HTTP_BODY"
[ "$(jbody '[e["data"]["via"] for e in j["events"] if e["type"] == "call.transfer"]')" = "['attended']" ] ||
	fail "call.transfer: $HTTP_BODY"
ok "record: transferred by 1001 to 1002 (attended), agent 1002, the consultation as hold time"

# 2. consult, cancel
scenario cancel
http POST "/api/v1/calls/$CALL_ID/transfer/cancel" '{}' "$AGENT" >/dev/null
expect_status 200 "1001 cancels the consultation"
T_DONE=$(done_time call.consult cancelled)
http POST "/api/v1/calls/$CALL_ID/transfer/cancel" '{}' "$AGENT" >/dev/null
expect_status 409 "no consultation to cancel"
wait "$T_PID" || fail "the target party failed"
[ "$(json 'j["bye_from"]' <"$TEST_DIR/cancel-target.json")" = them ] || fail "1002 was not hung up"
sleep 3
hang_up
wait "$C_PID" "$A_PID" || fail "a party failed"
after=$(python3 -c "print($T_DONE + 0.5)"); end=$(python3 -c "print($T_DONE + 3)")
high "$(hears "$TEST_DIR/cancel-caller.json" "$after" "$end" 700)" || fail "the caller does not hear 1001 again"
high "$(hears "$TEST_DIR/cancel-agent.json" "$after" "$end" 400)" || fail "1001 does not hear the caller again"
http GET "/api/v1/calls/$CALL_ID" "" "$TOKEN" >/dev/null
[ "$(jbody '[e["data"]["state"] for e in j["events"] if e["type"] == "call.consult"]')" = "['ringing', 'answered', 'cancelled']" ] ||
	fail "call.consult events: $HTTP_BODY"
[ "$(jbody 'j["transfer_to"]')" = None ] || fail "a cancelled consultation recorded as a transfer: $HTTP_BODY"
ok "cancel: 1002 hung up, the caller and 1001 talk again, no transfer recorded"

# 3. the agent's phone hangs up during the consultation
scenario hangup --bye-file "$TEST_DIR/agent-hangs-up"
touch "$TEST_DIR/agent-hangs-up"
wait "$A_PID" || fail "the agent party failed"
[ "$(json 'j["bye_from"]' <"$TEST_DIR/hangup-agent.json")" = us ] || fail "1001 did not hang up"
sleep 2
hang_up
wait "$C_PID" "$T_PID" || fail "a party failed"
CALL=$(last_call "$TOKEN")
[ "$(echo "$CALL" | json 'j["agent"], j["transfer_to"]')" = "1002 1002" ] ||
	fail "1001 hung up during the consultation: $CALL"
[ "$(json 'j["bye_from"]' <"$TEST_DIR/hangup-target.json")" = them ] ||
	fail "1002 should talk with the caller until the call is hung up"
ok "1001 hangs up during the consultation: the caller is 1002's"
stop_server
