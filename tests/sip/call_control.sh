#!/usr/bin/env bash
# Call control from the API, checked by what each party hears. The caller
# speaks 400 Hz, agent 1001's phone 700 Hz (tests/sip/rtp_party.py). While
# they talk each hears the other's tone; the desktop's hold (POST
# /calls/{id}/hold) gives the caller music instead of 700 Hz and the agent
# silence instead of 400 Hz; resume brings both back; dtmf reaches the
# caller as RFC 4733 digits; hangup ends the call for both, by the agent,
# cause api. The record and the events say the same. Then the refusals: an
# unknown call 404, resume without hold 409, bad digits 400, another
# agent's call 409, an ended call 409.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

PARTY="$(dirname "$0")/rtp_party.py"
start_server
TOKEN=$(admin_token)
http PUT /api/v1/queues/sales '{"wrapup_ms":0}' "$TOKEN" >/dev/null
expect_status 200 "no wrap-up"
AGENT=$(login 1001 secret1001)
OTHER=$(login 1002 secret1002)

AGENT_PORT=$(free_port)
register 1001 secret1001 "$AGENT_PORT"
python3 "$PARTY" answer --bind "$AGENT_PORT" --hz 700 --timeout 120 \
	--out "$TEST_DIR/agent.json" &
AGENT_PID=$!
python3 "$PARTY" call --port "$SIP_PORT" --number 4008003000 --hz 400 \
	--timeout 120 --out "$TEST_DIR/caller.json" &
CALLER_PID=$!

# The call is live once it is answered and not yet ended.
CALL_ID=$(live_call "$TOKEN") || fail "the call was never answered"
ok "caller and agent talk (call $CALL_ID)"

sleep 2
http POST "/api/v1/calls/$CALL_ID/hold" '{}' "$AGENT" >/dev/null
expect_status 200 "the agent holds from the desktop"
http POST "/api/v1/calls/$CALL_ID/hold" '{}' "$AGENT" >/dev/null
expect_status 409 "hold twice"
sleep 2
http POST "/api/v1/calls/$CALL_ID/resume" '{}' "$AGENT" >/dev/null
expect_status 200 "the agent takes the caller back"
http POST "/api/v1/calls/$CALL_ID/resume" '{}' "$AGENT" >/dev/null
expect_status 409 "resume without hold"
[ "$(jbody 'j["error"]')" = "the call is not on hold" ] || fail "resume's reason: $HTTP_BODY"
sleep 1
http POST "/api/v1/calls/$CALL_ID/dtmf" '{"digits":"12#"}' "$AGENT" >/dev/null
expect_status 200 "the agent sends digits to the caller"
http POST "/api/v1/calls/$CALL_ID/dtmf" '{"digits":"12x"}' "$AGENT" >/dev/null
expect_status 400 "a digit that is none"
http POST "/api/v1/calls/$CALL_ID/hold" '{}' "$OTHER" >/dev/null
expect_status 409 "another agent's call"
echo "$HTTP_BODY" | grep -q "not on this call" || fail "another agent's call: no reason in $HTTP_BODY"
http POST "/api/v1/calls/nosuchcall/hold" '{}' "$TOKEN" >/dev/null
expect_status 404 "an unknown call"
sleep 1.5
http POST "/api/v1/calls/$CALL_ID/hangup" '{}' "$AGENT" >/dev/null
expect_status 200 "the agent hangs up from the desktop"
wait "$CALLER_PID" || fail "the caller party failed"
wait "$AGENT_PID" || fail "the agent party failed"
http POST "/api/v1/calls/$CALL_ID/hangup" '{}' "$AGENT" >/dev/null
expect_status 409 "an ended call"

# The windows are the server's own times for the hold and the resume (its
# events), not the client's: a loaded machine may take a while to answer.
http GET "/api/v1/calls/$CALL_ID" "" "$TOKEN" >/dev/null
echo "$HTTP_BODY" >"$TEST_DIR/call.json"
python3 - "$TEST_DIR/caller.json" "$TEST_DIR/agent.json" "$TEST_DIR/call.json" <<'PY' ||
import datetime, json, sys
caller, agent, call = (json.load(open(p)) for p in sys.argv[1:4])
def at(kind):
    ts = [e["ts"] for e in call["events"] if e["type"] == kind][0]
    return datetime.datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp()
t_hold, t_resume = at("call.hold"), at("call.resume")
assert caller["answered"] and agent["answered"], (caller, agent)
assert caller["bye_from"] == "them" and agent["bye_from"] == "them", (caller["bye_from"], agent["bye_from"])

def window(party, lo, hi):
    """Frames received between lo and hi (epoch seconds)."""
    t0 = party["answered_at"]
    return [h for ms, h in party["frames"] if lo <= t0 + ms / 1000 <= hi]

def share(frames, hz):
    return sum(hz in h for h in frames) / max(len(frames), 1)

# Margins: the API call and the media thread's tick both take a moment.
before_c = window(caller, caller["answered_at"] + 0.5, t_hold - 0.2)
held_c = window(caller, t_hold + 0.3, t_resume - 0.2)
after_c = window(caller, t_resume + 0.3, t_resume + 2.0)
before_a = window(agent, agent["answered_at"] + 0.5, t_hold - 0.2)
held_a = window(agent, t_hold + 0.3, t_resume - 0.2)
after_a = window(agent, t_resume + 0.3, t_resume + 2.0)
for name, fr in [("before_c", before_c), ("held_c", held_c), ("after_c", after_c),
                 ("before_a", before_a), ("held_a", held_a), ("after_a", after_a)]:
    assert len(fr) >= 20, (name, len(fr))
assert share(before_c, 700) > 0.9 and share(after_c, 700) > 0.9, "caller hears the agent"
assert share(before_a, 400) > 0.9 and share(after_a, 400) > 0.9, "agent hears the caller"
assert share(held_c, 700) == 0, ("caller hears the agent during hold", held_c[:5])
assert share(held_a, 400) == 0, ("agent hears the caller during hold", held_a[:5])
assert all(h == [] for h in held_a), ("the agent hears something during hold", held_a[:5])
assert caller["digits"] == "12#", caller["digits"]
PY
	fail "who heard what: caller $(head -c 300 "$TEST_DIR/caller.json")"
ok "hold: the caller hears no agent, the agent silence; resume: both again; digits 12# heard"

CALL=$(last_call "$TOKEN")
echo "$CALL" | python3 -c '
import json, sys
c = json.load(sys.stdin)
assert c["hangup_by"] == "agent", c
assert c["hold_s"] >= 1, c' || fail "the record: $CALL"
http GET "/api/v1/calls/$CALL_ID" "" "$TOKEN" >/dev/null
[ "$(jbody '[(e["type"], e["data"]["by"]) for e in j["events"] if e["type"] in ("call.hold", "call.resume")]')" = \
	"[('call.hold', 'agent'), ('call.resume', 'agent')]" ] || fail "hold events: $HTTP_BODY"
[ "$(jbody '[e["data"]["cause"] for e in j["events"] if e["type"] == "call.ended"]')" = "['api']" ] ||
	fail "call.ended's cause: $HTTP_BODY"
[ "$(jbody '[e["type"] for e in j["events"] if e["type"].startswith("queue.hold")]')" = \
	"['queue.hold_start', 'queue.hold_stop']" ] || fail "the queue's hold books: $HTTP_BODY"
ok "record: hung up by the agent (api), hold time kept; call.hold/resume and queue.hold_* by the agent"
stop_server
