#!/usr/bin/env bash
# A trunk call to a queue DID (4008002000 → support) that rings the
# registered agent (ready as its phone registered): both sides talk
# (G.711 A-law from pcap), the caller presses 1 (RFC 4733), the caller hangs
# up. Checks the call record, its events and the stereo recording.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

start_server
AGENT_PORT=$(free_port)
register 1006 secret1006 "$AGENT_PORT"
ok "1006 registered"

sipp_bg agent agent_answer.xml -p "$AGENT_PORT" -mi 127.0.0.1 -mp "$(free_port)"
sleep 0.3
sipp_bg caller caller_talk.xml -s 4008002000 -p "$(free_port)" \
	-mi 127.0.0.1 -mp "$(free_port)" "127.0.0.1:$SIP_PORT"
sipp_wait caller || { cat "$TEST_DIR/caller.err" >&2; fail "caller scenario failed"; }
sipp_wait agent || { cat "$TEST_DIR/agent.err" >&2; fail "agent scenario failed"; }
ok "call answered, talked, hung up by the caller"

TOKEN=$(admin_token)
last_call "$TOKEN" >"$TEST_DIR/call.json"
check() { python3 - "$TEST_DIR/call.json" "$@" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
assert c["direction"] == "inbound", c
assert c["from"] == "13800138000", c
assert c["to"] == "4008002000", c
assert c["agent"] == "1006", c
assert c["queue"] == "support", c
assert c["hangup_by"] == "caller", c
assert c["answered_at"] and c["ended_at"], c
# The caller talks for 4 s after the answer (2.5 s + 1.5 s of pauses).
assert 3 <= c["talk_s"] <= 6, c
assert c["duration_s"] >= c["talk_s"], c
assert c["recording"], c
print(c["id"])
PY
}
CALL_ID=$(check) || fail "call record wrong: $(cat "$TEST_DIR/call.json")"
ok "call record $CALL_ID"

http GET "/api/v1/calls/$CALL_ID" "" "$TOKEN" >"$TEST_DIR/one.json"
python3 - "$TEST_DIR/one.json" <<'PY' || fail "events wrong: $(cat "$TEST_DIR/one.json")"
import json, sys
c = json.load(open(sys.argv[1]))
types = [e["type"] for e in c["events"]]
for t in ("call.created", "call.queued", "call.ringing", "call.answered", "call.ended"):
    assert t in types, (t, types)
digits = [e["data"]["digit"] for e in c["events"] if e["type"] == "call.dtmf"]
assert digits == ["1"], digits
PY
ok "events include call.dtmf 1"

curl -s -o "$TEST_DIR/rec.wav" -H "Authorization: Bearer $TOKEN" \
	"$BASE_URL/api/v1/calls/$CALL_ID/recording"
python3 - "$TEST_DIR/rec.wav" <<'PY' || fail "recording has no audio on both channels"
import sys, wave, struct, math
w = wave.open(sys.argv[1])
assert w.getnchannels() == 2 and w.getframerate() == 8000 and w.getsampwidth() == 2
n = w.getnframes()
assert n >= 8000 * 3, n
data = struct.unpack("<%dh" % (2 * n), w.readframes(n))
for ch, name in ((0, "customer"), (1, "agent")):
    rms = math.sqrt(sum(x * x for x in data[ch::2]) / n)
    print(name, "rms", round(rms))
    assert rms > 100, (name, rms)
PY
ok "stereo recording has audio on both channels"
stop_server
