#!/usr/bin/env bash
# Overflow to hang-up with a goodbye prompt. A queue's overflow_prompt is a
# sound file loaded when the setting is saved: one that does not load is
# refused naming the field and the running configuration stays. With it,
# a caller who waits past max_wait_ms (support has no agent logged in)
# hears music on hold, then the prompt once in its place, then BYE from
# Hotline; the record says the system ended it for "overflow". Without it,
# the caller is hung up at once.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

start_server
TOKEN=$(admin_token)

# 1.2 s of a 1600 Hz tone, nothing like the hold music's notes.
python3 - "$TEST_DIR/bye.wav" <<'PY'
import math, struct, sys, wave
w = wave.open(sys.argv[1], "wb"); w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)
w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 1600 * i / 8000)))
                       for i in range(9600)))
PY
echo "not a sound" >"$TEST_DIR/notes.txt"

for bad in "$TEST_DIR/missing.wav" "$TEST_DIR/notes.txt" "sounds/bye.wav"; do
	http PUT /api/v1/queues/support "{\"max_wait_ms\":1000,\"overflow_prompt\":\"$bad\"}" "$TOKEN" >/dev/null
	expect_status 400 "overflow_prompt $bad"
	echo "$HTTP_BODY" | grep -q overflow_prompt || fail "reason does not name the field: $HTTP_BODY"
done
http GET /api/v1/queues/support "" "$TOKEN" >/dev/null
[ "$(jbody '(j["overflow_prompt"], j["max_wait_ms"])')" = "('', 0)" ] ||
	fail "refused changes changed the queue: $HTTP_BODY"
ok "overflow_prompt that does not load (missing, not audio, relative): 400 naming the field, nothing changed"

http PUT /api/v1/queues/support "{\"max_wait_ms\":1000,\"overflow_prompt\":\"$TEST_DIR/bye.wav\"}" "$TOKEN" >/dev/null
expect_status 200 "overflow_prompt set"
[ "$(jbody 'j["overflow_prompt"]')" = "$TEST_DIR/bye.wav" ] || fail "prompt not in the answer: $HTTP_BODY"
ok "support: max_wait_ms 1000, overflow hangup with a 1.2 s prompt"

listen() {
	timeout 30 python3 "$(dirname "$0")/rtp_listen_call.py" --port "$SIP_PORT" \
		--number 4008002000 --hz 1600 --timeout 20 >"$TEST_DIR/$1.json" ||
		fail "listening caller failed"
}
listen goodbye
python3 - "$TEST_DIR/goodbye.json" <<'PY' || fail "the caller did not hear the goodbye: $(cat "$TEST_DIR/goodbye.json")"
import json, sys
r = json.load(open(sys.argv[1]))
f = r["frames"]
assert r["answered"] and r["bye"], r
first = f.index("tone")
last = len(f) - 1 - f[::-1].index("tone")
tone = f[first:last + 1]
# Hold music first, then the prompt: 60 frames of 20 ms, played once (a
# loop would run on until the time limit), with the music gone meanwhile.
assert "other" in f[:first], f[:first]
assert 54 <= tone.count("tone") <= 61, len(tone)
assert "other" not in tone, tone
assert "other" not in f[last + 1:], f[last + 1:]
PY
ok "caller heard hold music, then the goodbye prompt once, then BYE"

last_call "$TOKEN" >"$TEST_DIR/call.json"
CALL_ID=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); assert c["queue"] == "support" and c["hangup_by"] == "system" and not c["answered_at"], c; print(c["id"])' "$TEST_DIR/call.json") ||
	fail "record wrong: $(cat "$TEST_DIR/call.json")"
http GET "/api/v1/calls/$CALL_ID" "" "$TOKEN" >/dev/null
[ "$(jbody '[e["data"]["cause"] for e in j["events"] if e["type"] == "call.ended"]')" = "['overflow']" ] ||
	fail "call.ended cause: $HTTP_BODY"
ok "record: ended by the system, cause overflow"

# The prompt survives a restart (it is stored and loaded at start).
stop_server
DATA_DIR=$DATA_DIR start_server
TOKEN=$(admin_token)
http GET /api/v1/queues/support "" "$TOKEN" >/dev/null
[ "$(jbody 'j["overflow_prompt"]')" = "$TEST_DIR/bye.wav" ] || fail "prompt lost on restart: $HTTP_BODY"
listen again
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["bye"] and r["frames"].count("tone") >= 54, r' \
	"$TEST_DIR/again.json" || fail "no goodbye after a restart"
ok "after a restart: the stored prompt is played again"

# Without a prompt the caller is hung up at once: no tone at all.
http PUT /api/v1/queues/support '{"overflow_prompt":""}' "$TOKEN" >/dev/null
expect_status 200 "prompt removed"
listen plain
python3 - "$TEST_DIR/plain.json" <<'PY' || fail "hang-up without a prompt: $(cat "$TEST_DIR/plain.json")"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["answered"] and r["bye"], r
assert "tone" not in r["frames"], r
PY
ok "no overflow_prompt: BYE right after the hold music"
stop_server
grep -q 'overflow_prompt' "$TEST_DIR/server.err" && fail "warnings about the prompt: $(grep overflow_prompt "$TEST_DIR/server.err")"
ok "no warning about the stored prompt at start"
