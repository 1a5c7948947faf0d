#!/usr/bin/env bash
# A supervisor on a call and a three-way conference, checked by what each
# party hears (tests/sip/rtp_party.py): the caller speaks 400 Hz, agent
# 1001 700 Hz, 1002 (the conference's third party) 1,100 Hz, supervisor
# 1003 1,500 Hz.
#  listen   1003 hears caller and agent; neither hears 1003
#  whisper  the agent hears 1003 too; the caller never does
#  barge    everyone hears 1003
#  1003 hangs up: caller and agent as before, a plain pair
#  conference with 1002: all three hear each other
#  1001 hangs up: the caller and 1002 talk on (transfer via conference)
#  the conference's three phones were moved to one RTP port, a mux
# Each switch is timed by the server's own event (call.monitor,
# call.conference), and each party's ears are read in a window after it.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

PARTY="$(dirname "$0")/rtp_party.py"
start_server
TOKEN=$(admin_token)
SUP=$(login sup sup123)
AGENT=$(login 1001 secret1001)
http PUT /api/v1/queues/sales '{"wrapup_ms":0}' "$TOKEN" >/dev/null
expect_status 200 "no wrap-up"
P1=$(free_port); P2=$(free_port); P3=$(free_port)
register 1001 secret1001 "$P1"

python3 "$PARTY" answer --bind "$P1" --hz 700 --timeout 150 \
	--bye-file "$TEST_DIR/agent-bye" --out "$TEST_DIR/agent.json" &
A_PID=$!
python3 "$PARTY" call --port "$SIP_PORT" --number 4008003000 --hz 400 \
	--timeout 150 --out "$TEST_DIR/caller.json" &
C_PID=$!
CALL_ID=$(live_call "$TOKEN") || fail "the call was never answered"
# 1002 and 1003 come online now, not ready: the queue offers them nothing.
for ext in 1002 1003; do
	eval "port=\$P${ext: -1}"
	register "$ext" "secret$ext" "$port"
	http PUT "/api/v1/agents/$ext/state" '{"state":"not_ready","reason":"meeting"}' "$TOKEN" >/dev/null
	expect_status 200 "$ext takes no queue calls"
done
python3 "$PARTY" answer --bind "$P2" --hz 1100 --timeout 150 --out "$TEST_DIR/third.json" &
T_PID=$!
python3 "$PARTY" answer --bind "$P3" --hz 1500 --timeout 150 \
	--bye-file "$TEST_DIR/sup-bye" --out "$TEST_DIR/sup.json" &
S_PID=$!
ok "caller and 1001 talk (call $CALL_ID)"

# event_at TYPE STATE [N]: waits for the Nth (default 1st) event TYPE with
# data.state STATE on the call; prints its server time (epoch s).
event_at() { call_event_at "$TOKEN" "$CALL_ID" "$@" || fail "no $1 $2 event"; }

# Windows: WIN[name]=FROM:TO, from DELAY (0.4 s) after the switch to 2.4 s
# after it. A party that joins (the conference's third) starts its own
# tone only once its phone has the answer: on a loaded machine that takes
# longer, so its window starts later.
declare -A WIN
window() { WIN[$1]="$(python3 -c "print($2 + ${3:-0.4})"):$(python3 -c "print($2 + 2.4)")"; }

http POST "/api/v1/calls/$CALL_ID/monitor" '{"supervisor_ext":"1003","mode":"listen"}' "$AGENT" >/dev/null
expect_status 403 "an agent may not listen in"
http POST "/api/v1/calls/$CALL_ID/monitor" '{"supervisor_ext":"1003","mode":"spy"}' "$SUP" >/dev/null
expect_status 400 "an unknown mode"
http POST "/api/v1/calls/$CALL_ID/monitor" '{"supervisor_ext":"1003","mode":"listen"}' "$SUP" >/dev/null
expect_status 202 "the supervisor listens in"
window listen "$(event_at call.monitor joined)"; sleep 2.6
http POST "/api/v1/calls/$CALL_ID/monitor" '{"supervisor_ext":"1003","mode":"whisper"}' "$SUP" >/dev/null
expect_status 202 "the supervisor whispers"
window whisper "$(event_at call.monitor mode 1)"; sleep 2.6
http POST "/api/v1/calls/$CALL_ID/monitor" '{"supervisor_ext":"1003","mode":"barge"}' "$SUP" >/dev/null
expect_status 202 "the supervisor barges in"
window barge "$(event_at call.monitor mode 2)"; sleep 2.6
touch "$TEST_DIR/sup-bye"
window after_sup "$(event_at call.monitor "hung up")"; sleep 2.6
http POST "/api/v1/calls/$CALL_ID/conference" '{"to":"1002"}' "$AGENT" >/dev/null
expect_status 202 "1001 brings 1002 in"
window conference "$(event_at call.conference joined)" 0.9; sleep 2.6
touch "$TEST_DIR/agent-bye"
# call.transfer has no state: find it by type alone.
for _ in $(seq 1 150); do
	http GET "/api/v1/calls/$CALL_ID" "" "$TOKEN" >/dev/null
	T=$(jbody '([__import__("datetime").datetime.fromisoformat(e["ts"].replace("Z", "+00:00")).timestamp() for e in j["events"] if e["type"] == "call.transfer"] + [""])[0]')
	[ -n "$T" ] && break
	sleep 0.1
done
[ -n "$T" ] || fail "1001 leaving was no transfer"
window agent_left "$T"; sleep 2.6
http POST "/api/v1/calls/$CALL_ID/hangup" '{}' "$TOKEN" >/dev/null
expect_status 200 "the call is hung up"
wait "$C_PID" "$A_PID" "$T_PID" "$S_PID" || fail "a party failed"
http POST "/api/v1/calls/$CALL_ID/monitor" '{"supervisor_ext":"1003","mode":"listen"}' "$SUP" >/dev/null
expect_status 409 "listening in to an ended call"
http POST "/api/v1/calls/$CALL_ID/conference" '{"to":"1002"}' "$TOKEN" >/dev/null
expect_status 409 "a conference on an ended call"

# what each party must hear (1) and must not (0) in each window
python3 - "$TEST_DIR" "${WIN[listen]}" "${WIN[whisper]}" "${WIN[barge]}" \
	"${WIN[after_sup]}" "${WIN[conference]}" "${WIN[agent_left]}" <<'PY' || fail "who heard whom (above)"
import json, sys
d = sys.argv[1]
w = dict(zip(["listen", "whisper", "barge", "after_sup", "conference", "agent_left"],
             [tuple(map(float, a.split(":"))) for a in sys.argv[2:]]))
p = {n: json.load(open(f"{d}/{n}.json")) for n in ("caller", "agent", "third", "sup")}

def share(who, win, hz):
    lo, hi = w[win]
    fr = [h for ms, h in p[who]["frames"] if lo <= p[who]["answered_at"] + ms / 1000 <= hi]
    assert len(fr) >= 20, (who, win, len(fr))
    return sum(hz in h for h in fr) / len(fr)

C, A, T, S = 400, 700, 1100, 1500
want = [  # window, listener, {hz: heard?}
    ("listen", "sup", {C: 1, A: 1}), ("listen", "caller", {A: 1, S: 0}),
    ("listen", "agent", {C: 1, S: 0}),
    ("whisper", "agent", {C: 1, S: 1}), ("whisper", "caller", {A: 1, S: 0}),
    ("whisper", "sup", {C: 1, A: 1}),
    ("barge", "caller", {A: 1, S: 1}), ("barge", "agent", {C: 1, S: 1}),
    ("barge", "sup", {C: 1, A: 1}),
    ("after_sup", "caller", {A: 1, S: 0}), ("after_sup", "agent", {C: 1, S: 0}),
    ("conference", "caller", {A: 1, T: 1}), ("conference", "agent", {C: 1, T: 1}),
    ("conference", "third", {C: 1, A: 1}),
    ("agent_left", "caller", {T: 1, A: 0}), ("agent_left", "third", {C: 1, A: 0}),
]
bad = []
for win, who, hz in want:
    for f, on in hz.items():
        s = share(who, win, f)
        if (on and s < 0.8) or (not on and s > 0):
            bad.append(f"{win}: {who} hears {f} Hz in {s:.0%} of frames, want {'all' if on else 'none'}")
print("\n".join(bad), file=sys.stderr)
assert not bad
PY
ok "listen, whisper, barge: the supervisor heard only by whom the mode says; the caller never hears a whisper"
ok "conference: all three hear each other; 1001 leaves and the caller and 1002 talk on"

CALL=$(last_call "$TOKEN")
[ "$(echo "$CALL" | json 'j["agent"], j["transfer_by"], j["transfer_to"]')" = "1002 1001 1002" ] ||
	fail "the record after the agent left the conference: $CALL"
http GET "/api/v1/calls/$CALL_ID" "" "$TOKEN" >/dev/null
[ "$(jbody '[e["data"]["mode"] + ":" + e["data"]["state"] for e in j["events"] if e["type"] == "call.monitor"]')" = \
	"['listen:ringing', 'listen:joined', 'whisper:mode', 'barge:mode', 'barge:hung up']" ] ||
	fail "call.monitor events: $HTTP_BODY"
[ "$(jbody '[e["data"]["via"] for e in j["events"] if e["type"] == "call.transfer"]')" = "['conference']" ] ||
	fail "call.transfer: $HTTP_BODY"
ok "record and events: call.monitor per mode, call.conference, the transfer via conference"

# The conference's three phones were re-INVITEd to one RTP port (a mux:
# one system call a tick reads them all), the supervisor never was.
python3 - "$TEST_DIR" <<'PY' || fail "the conference's RTP ports (above)"
import json, sys
d = sys.argv[1]
ports = {n: json.load(open(f"{d}/{n}.json"))["rtp_ports"] for n in ("caller", "agent", "third", "sup")}
print(ports, file=sys.stderr)
mux = ports["third"][-1]
for n in ("caller", "agent", "third"):
    assert len(ports[n]) == 2 and ports[n][-1] == mux, n
assert mux not in ports["sup"] and len(ports["sup"]) == 1
PY
[ "$(grep -c "call.mux id=$CALL_ID .*err=0" "$TEST_DIR/server.err")" = 3 ] ||
	fail "three legs moved: $(grep call.mux "$TEST_DIR/server.err")"
ok "the conference's three phones moved to one port, the supervisor stayed on its own"
stop_server
