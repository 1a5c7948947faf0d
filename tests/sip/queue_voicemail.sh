#!/usr/bin/env bash
# A queue that cannot keep its callers sends them to a mailbox: the support
# queue (nobody logged in) overflows after half a second to voicemail:1006.
# The first caller speaks (the A-law sample) and hangs up; their message is
# a mono WAV holding that speech. The second keeps talking past
# voicemail.max_s and Hotline hangs up on them. Then the mailbox API: an
# agent sees only their own mailbox, marks a message heard, deletes it.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

dbv() { sqlite3 "$DATA_DIR/hotline.db" "$1"; }
printf '[voicemail]\nmax_s = 2\ngreeting = tone\n' >"$TEST_DIR/vm.ini"
start_server --config "$TEST_DIR/vm.ini"
TOKEN=$(admin_token)

http PUT /api/v1/queues/support '{"overflow":"voicemail:10x6"}' "$TOKEN" >/dev/null
expect_status 400 "a mailbox that is no number"
echo "$HTTP_BODY" | grep -q overflow || fail "reason does not name the field: $HTTP_BODY"
http PUT /api/v1/queues/support '{"overflow":"voicemail:1006","max_wait_ms":500}' "$TOKEN" >/dev/null
expect_status 200 "overflow to a mailbox"
ok "queue support overflows to voicemail:1006 after 0.5 s"

# Waits (at most 5 s) for N messages with a duration; prints them (JSON).
messages() {
	for _ in $(seq 1 50); do
		http GET "/api/v1/voicemails?mailbox=1006" "" "$TOKEN" >/dev/null
		[ "$(jbody 'sum(1 for v in j["voicemails"] if v["duration_ms"] is not None)')" = "$1" ] && break
		sleep 0.1
	done
	echo "$HTTP_BODY"
}

# 0.5 s of music, the greeting (0.7 s), then about 1.3 s of speech.
call_to speaker "$SCEN/caller_speak.xml" 4008002000 -d 2500
VMS=$(messages 1)
echo "$VMS" >"$TEST_DIR/vm1.json"
python3 - "$TEST_DIR/vm1.json" <<'PY' || fail "first message wrong: $VMS"
import json, sys
vms = json.load(open(sys.argv[1]))["voicemails"]
assert len(vms) == 1, vms
v = vms[0]
assert v["mailbox"] == "1006" and v["queue"] == "support", v
assert v["caller"] == "13800138000" and v["heard"] is False, v
assert 800 <= v["duration_ms"] <= 1900, v
PY
VM1=$(echo "$VMS" | json 'j["voicemails"][0]["id"]')
CALL1=$(echo "$VMS" | json 'j["voicemails"][0]["call_id"]')
[ "$(dbv "SELECT hangup_by, hangup_cause, answered_at IS NULL FROM calls WHERE id = '$CALL1'")" = "caller|voicemail|1" ] ||
	fail "call record of the voicemail call wrong: $(dbv "SELECT * FROM calls WHERE id = '$CALL1'")"
http GET "/api/v1/calls/$CALL1" "" "$TOKEN" >/dev/null
echo "$HTTP_BODY" | python3 -c '
import json, sys
types = [e["type"] for e in json.load(sys.stdin)["events"]]
for t in ("queue.enter", "queue.overflow", "voicemail.new"):
	assert t in types, (t, types)
assert "queue.abandon" not in types, types' || fail "events of the voicemail call wrong: $HTTP_BODY"
ok "message 1: about 1.3 s from the caller, the call ended by them with cause voicemail, no abandon"

# The audio is the caller's speech: a mono 8 kHz WAV, loud where they spoke.
curl -s -o "$TEST_DIR/vm1.wav" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
	"$BASE_URL/api/v1/voicemails/$VM1/audio" >"$TEST_DIR/code" || fail "download failed"
[ "$(cat "$TEST_DIR/code")" = 200 ] || fail "audio: HTTP $(cat "$TEST_DIR/code")"
python3 - "$TEST_DIR/vm1.wav" <<'PY' || fail "the message's audio is not the caller's speech"
import array, math, sys, wave
w = wave.open(sys.argv[1])
assert w.getnchannels() == 1 and w.getframerate() == 8000 and w.getsampwidth() == 2
frames = w.readframes(w.getnframes())
secs = w.getnframes() / 8000
assert 0.7 <= secs <= 2.0, secs
# 100 ms windows: most of them carry speech, not silence
pcm = array.array("h", frames)
win = 800
rms = [math.sqrt(sum(x * x for x in pcm[i:i + win]) / win)
       for i in range(0, len(pcm) - win + 1, win)]
loud = sum(1 for r in rms if r > 200)
assert loud >= 0.6 * len(rms), (loud, len(rms), rms)
PY
ok "message 1 audio: mono 8 kHz WAV of the caller's speech"

# Past voicemail.max_s (2 s) Hotline hangs up.
call_to longtalker "$SCEN/caller_speak_until_bye.xml" 4008002000
VMS=$(messages 2)
echo "$VMS" | python3 -c '
import json, sys
v = json.load(sys.stdin)["voicemails"][0]      # newest first
assert 1900 <= v["duration_ms"] <= 2600, v' || fail "second message not cut at max_s: $VMS"
CALL2=$(echo "$VMS" | json 'j["voicemails"][0]["call_id"]')
[ "$(dbv "SELECT hangup_by, hangup_cause FROM calls WHERE id = '$CALL2'")" = "system|voicemail-limit" ] ||
	fail "call record of the cut message wrong: $(dbv "SELECT * FROM calls WHERE id = '$CALL2'")"
ok "message 2: cut at voicemail.max_s, Hotline hung up"

# An agent sees their own mailbox only.
T1006=$(login 1006 secret1006)
T1001=$(login 1001 secret1001)
http GET /api/v1/voicemails "" "$T1006" >/dev/null
expect_status 200 "own mailbox"
[ "$(jbody 'len(j["voicemails"])')" = 2 ] || fail "1006 does not see their messages: $HTTP_BODY"
http GET /api/v1/voicemails "" "$T1001" >/dev/null
[ "$(jbody 'len(j["voicemails"])')" = 0 ] || fail "1001 sees another mailbox: $HTTP_BODY"
http GET "/api/v1/voicemails/$VM1/audio" "" "$T1001" >/dev/null
expect_status 403 "another agent's message"
http PATCH "/api/v1/voicemails/$VM1" '{"heard":true}' "$T1001" >/dev/null
expect_status 403 "marking another agent's message"
ok "agent 1001 sees none of mailbox 1006, agent 1006 sees both"

http PATCH "/api/v1/voicemails/$VM1" '{"heard":"yes"}' "$T1006" >/dev/null
expect_status 400 "heard not a boolean"
http PATCH "/api/v1/voicemails/$VM1" '{not json' "$T1006" >/dev/null
expect_status 400 "garbage JSON"
[ "$(dbv "SELECT heard FROM voicemails WHERE id = '$VM1'")" = 0 ] || fail "a refused change was stored"
http PATCH "/api/v1/voicemails/$VM1" '{"heard":true}' "$T1006" >/dev/null
expect_status 200 "mark heard"
[ "$(jbody 'j["heard"]')" = True ] || fail "PATCH answer: $HTTP_BODY"
[ "$(dbv "SELECT heard FROM voicemails WHERE id = '$VM1'")" = 1 ] || fail "heard not stored"
ok "PATCH heard: bad bodies refused with nothing stored, true stored"

FILE="$DATA_DIR/$(dbv "SELECT path FROM voicemails WHERE id = '$VM1'")"
[ -f "$FILE" ] || fail "no file at $FILE"
http DELETE "/api/v1/voicemails/$VM1" "" "$T1006" >/dev/null
expect_status 200 "delete"
[ ! -e "$FILE" ] || fail "file left after delete"
http GET "/api/v1/voicemails/$VM1/audio" "" "$TOKEN" >/dev/null
expect_status 404 "deleted message"
[ "$(dbv "SELECT count(*) FROM voicemails")" = 1 ] || fail "delete took the wrong rows"
ok "DELETE: row and file gone, the other message kept"
stop_server
