#!/usr/bin/env bash
# Pausing a call's recording (POST /api/v1/calls/{id}/recording), checked in
# the WAV. The caller speaks 400 Hz, agent 1001's phone 700 Hz
# (tests/sip/rtp_party.py). The agent pauses for about 2 s and resumes,
# then pauses again and hangs up while paused. The file must hold both
# tones before and between the pauses, silence on both channels during
# them, and last as long as the conversation; the record lists both pauses
# (the second closed by the system at the end of the call), with
# call.recording events. Then every refusal: 400 for a bad or missing
# action, 404 for an unknown call, 409 for another agent's and for pausing
# twice, resuming when not paused, a call not being recorded (in the IVR)
# and a call that has ended.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

PARTY="$(dirname "$0")/rtp_party.py"
GOERTZEL="$(dirname "$0")/goertzel.py"
start_server
TOKEN=$(admin_token)
http PUT /api/v1/queues/sales '{"wrapup_ms":0}' "$TOKEN" >/dev/null
expect_status 200 "no wrap-up"
AGENT=$(login 1001 secret1001)
OTHER=$(login 1002 secret1002)

rec() {  # rec CALL_ID BODY TOKEN
	http POST "/api/v1/calls/$1/recording" "$2" "$3" >/dev/null
}

# A caller in the IVR is in no conversation: nothing is being recorded.
python3 "$PARTY" call --port "$SIP_PORT" --number 4008001000 --hz 400 \
	--bye-file "$TEST_DIR/ivr.bye" --timeout 60 --out "$TEST_DIR/ivr.json" &
IVR_PID=$!
IVR_ID=
for _ in $(seq 1 100); do
	http GET "/api/v1/calls?limit=1" "" "$TOKEN" >/dev/null
	IVR_ID=$(jbody '(j["items"][0]["id"] if j["items"] and j["items"][0]["to"] == "4008001000" and not j["items"][0]["ended_at"] else "")')
	[ -n "$IVR_ID" ] && break
	sleep 0.1
done
[ -n "$IVR_ID" ] || fail "the IVR call never showed"
rec "$IVR_ID" '{"action":"pause"}' "$TOKEN"
expect_status 409 "a call in the IVR is not being recorded"
[ "$(jbody 'j["error"]')" = "the call is not being recorded" ] || fail "its reason: $HTTP_BODY"
touch "$TEST_DIR/ivr.bye"
wait "$IVR_PID" || fail "the IVR caller failed"

AGENT_PORT=$(free_port)
register 1001 secret1001 "$AGENT_PORT"
python3 "$PARTY" answer --bind "$AGENT_PORT" --hz 700 --timeout 120 \
	--out "$TEST_DIR/agent.json" &
AGENT_PID=$!
python3 "$PARTY" call --port "$SIP_PORT" --number 4008003000 --hz 400 \
	--timeout 120 --out "$TEST_DIR/caller.json" &
CALLER_PID=$!

CALL_ID=$(live_call "$TOKEN") || fail "the call was never answered"
ok "caller and agent talk (call $CALL_ID)"

sleep 2
rec "$CALL_ID" '{"action":"pause"}' "$AGENT"
expect_status 200 "the agent pauses the recording"
[ "$(jbody 'j["op"]')" = recording_pause ] || fail "the answer: $HTTP_BODY"
rec "$CALL_ID" '{"action":"pause"}' "$AGENT"
expect_status 409 "pausing twice"
[ "$(jbody 'j["error"]')" = "the recording is paused already" ] || fail "its reason: $HTTP_BODY"
rec "$CALL_ID" '{"action":"stop"}' "$AGENT"
expect_status 400 "an action that is none"
rec "$CALL_ID" '{}' "$AGENT"
expect_status 400 "no action"
rec "$CALL_ID" '{"action":"resume"}' "$OTHER"
expect_status 409 "another agent's call"
echo "$HTTP_BODY" | grep -q "not on this call" || fail "another agent's call: no reason in $HTTP_BODY"
rec nosuchcall '{"action":"resume"}' "$TOKEN"
expect_status 404 "an unknown call"
sleep 2
rec "$CALL_ID" '{"action":"resume"}' "$AGENT"
expect_status 200 "the agent resumes the recording"
rec "$CALL_ID" '{"action":"resume"}' "$TOKEN"
expect_status 409 "resuming a recording not paused"
[ "$(jbody 'j["error"]')" = "the recording is not paused" ] || fail "its reason: $HTTP_BODY"
sleep 2
rec "$CALL_ID" '{"action":"pause"}' "$TOKEN"
expect_status 200 "the administrator pauses again"
sleep 1.5
http POST "/api/v1/calls/$CALL_ID/hangup" '{}' "$AGENT" >/dev/null
expect_status 200 "the agent hangs up while paused"
wait "$CALLER_PID" || fail "the caller party failed"
wait "$AGENT_PID" || fail "the agent party failed"
rec "$CALL_ID" '{"action":"resume"}' "$AGENT"
expect_status 409 "an ended call"
[ "$(jbody 'j["error"]')" = "the call has ended" ] || fail "its reason: $HTTP_BODY"

# The record: both pauses, the second closed by the system at the end.
last_call "$TOKEN" >/dev/null
http GET "/api/v1/calls/$CALL_ID" "" "$TOKEN" >/dev/null
echo "$HTTP_BODY" >"$TEST_DIR/call.json"
python3 - "$TEST_DIR/call.json" <<'PY' || fail "the record: $(head -c 1500 "$TEST_DIR/call.json")"
import json, sys
c = json.load(open(sys.argv[1]))
p = c["recording_pauses"]
assert len(p) == 2, p
assert all(x["recording"] == c["recording"] for x in p), p
assert p[0]["paused_by"] == "1001" and p[0]["resumed_by"] == "1001", p
assert p[1]["paused_by"] == "admin" and p[1]["resumed_by"] == "system", p
# At least the test's sleeps; a loaded machine answers the refusals
# between them slowly, so no upper bound.
assert p[0]["to_ms"] - p[0]["from_ms"] >= 1800, p
assert p[1]["to_ms"] - p[1]["from_ms"] >= 1300, p
assert p[0]["to_ms"] < p[1]["from_ms"], p
ev = [(e["data"]["state"], e["data"]["by"]) for e in c["events"] if e["type"] == "call.recording"]
assert ev == [("paused", "1001"), ("resumed", "1001"), ("paused", "admin"),
              ("resumed", "system")], ev
types = [e["type"] for e in c["events"]]
assert types.index("call.recording") < types.index("call.ended"), types
PY
ok "the record lists both pauses with who paused and resumed; call.recording events in order"

# The file: tones outside the pauses, silence inside, the call's length.
WAV="$DATA_DIR/$(json 'j["recording"]' <"$TEST_DIR/call.json")"
[ -f "$WAV" ] || fail "no recording at $WAV"
python3 "$GOERTZEL" wav "$WAV" --window-ms 100 >"$TEST_DIR/wav.json" || fail "cannot read $WAV"
python3 - "$TEST_DIR/call.json" "$TEST_DIR/wav.json" "$WAV" <<'PY' || fail "the WAV"
import datetime, json, sys, wave
call, fig = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
with wave.open(sys.argv[3]) as w:
    length_ms = w.getnframes() * 1000 // w.getframerate()
def at(kind):
    ts = [e["ts"] for e in call["events"] if e["type"] == kind][0]
    return datetime.datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp()
talk_ms = (at("call.ended") - at("call.answered")) * 1000
assert abs(length_ms - talk_ms) <= 500, ("the file is not the call's length", length_ms, talk_ms)
p = call["recording_pauses"]
assert p[1]["to_ms"] >= length_ms - 300, ("the last pause ends at the end", p, length_ms)
left, right = fig["left"]["windows"], fig["right"]["windows"]
def span(lo, hi):  # whole 100 ms windows inside [lo, hi] ms, with margins
    return [i for i in range(len(left)) if lo + 150 <= i * 100 and i * 100 + 100 <= hi - 150]
talk = span(500, p[0]["from_ms"]) + span(p[0]["to_ms"], p[1]["from_ms"])
quiet = span(p[0]["from_ms"], p[0]["to_ms"]) + span(p[1]["from_ms"], length_ms)
assert len(talk) >= 20 and len(quiet) >= 20, (len(talk), len(quiet))
loud = [i for i in talk if left[i]["400"] < 1500 or right[i]["700"] < 1500]
# The parties are Python processes: on a loaded machine one may stall for
# a moment, so a quarter of the windows may lack a tone; none of a pause
# may carry any sound.
assert len(loud) <= len(talk) // 4, ("tones missing outside the pauses", [(i, left[i], right[i]) for i in loud[:5]])
noisy = [i for i in quiet if max(left[i].values()) > 50 or max(right[i].values()) > 50]
assert not noisy, ("sound during a pause", [(i, left[i], right[i]) for i in noisy[:5]])
print("file %d ms, talk %d ms; %d windows in talk (%d without both tones), %d in pauses" %
      (length_ms, talk_ms, len(talk), len(loud), len(quiet)))
PY
ok "the WAV: 400 Hz left and 700 Hz right outside the pauses, silence in them, as long as the call"
stop_server
