#!/usr/bin/env bash
# Interop with a real softphone: baresip registers as extension 1002 (digest
# auth) and auto-answers; a trunk call to 1002 is answered and bridged, audio
# flows from baresip's sine source into the recording's agent channel.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

start_server
# baresip takes its SIP port and the next one (for TLS): both must be free.
BS_PORT=$(python3 - <<'PY'
import socket
for _ in range(100):
    s = [socket.socket(socket.AF_INET, k) for k in (socket.SOCK_STREAM, socket.SOCK_DGRAM)]
    s[0].bind(("127.0.0.1", 0)); p = s[0].getsockname()[1]
    try:
        s[1].bind(("127.0.0.1", p))
        t = socket.socket(); t.bind(("127.0.0.1", p + 1)); t.close()
        print(p); break
    except OSError:
        pass
    finally:
        for x in s: x.close()
PY
)
BS_DIR="$TEST_DIR/baresip"
mkdir -p "$BS_DIR"
# What the agent "says": 30 s of a 440 Hz tone, 8 kHz mono.
python3 - "$BS_DIR/say.wav" <<'PY'
import math, struct, sys, wave
w = wave.open(sys.argv[1], "wb"); w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)
w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / 8000))) for i in range(8000 * 30)))
PY
cat >"$BS_DIR/config" <<CFG
module_path		/usr/lib/baresip/modules
sip_listen		127.0.0.1:$BS_PORT
audio_player		aufile,$BS_DIR/heard.wav
audio_source		aufile,$BS_DIR/say.wav
audio_alert		aufile,/dev/null
rtp_ports		$(( BS_PORT % 1000 * 2 + 40000 ))-$(( BS_PORT % 1000 * 2 + 40099 ))
module			g711.so
module			aufile.so
module			sndfile.so
snd_path		$BS_DIR
module			account.so
module			menu.so
CFG
echo "<sip:1002@127.0.0.1:$SIP_PORT;transport=udp>;auth_pass=secret1002;regint=300;answermode=auto;audio_codecs=PCMU,PCMA" >"$BS_DIR/accounts"
: >"$BS_DIR/contacts"
baresip -f "$BS_DIR" -t 25 >"$TEST_DIR/baresip.out" 2>&1 </dev/null &
BS_PID=$!
trap 'kill $BS_PID 2>/dev/null || true; cleanup' EXIT

# Wait until the registrar has baresip's binding: a call to 1002 stops
# being refused with 480.
TOKEN=$(admin_token)
for i in $(seq 1 100); do
	grep -q "200 OK" "$TEST_DIR/baresip.out" 2>/dev/null && break
	sleep 0.1
done
grep -q "200 OK" "$TEST_DIR/baresip.out" || { cat "$TEST_DIR/baresip.out" >&2; fail "baresip did not register"; }
ok "baresip registered as 1002"

call_to caller "$SCEN/caller_talk.xml" 1002
ok "baresip auto-answered the trunk call"

CALL=$(last_call "$TOKEN")
CALL_ID=$(echo "$CALL" | json 'j["id"]')
echo "$CALL" | json 'j["agent"]' | grep -qx 1002 || fail "agent not 1002: $CALL"
curl -s -o "$TEST_DIR/rec.wav" -H "Authorization: Bearer $TOKEN" "$BASE_URL/api/v1/calls/$CALL_ID/recording"
python3 - "$TEST_DIR/rec.wav" <<'PY' || fail "no audio from baresip in the recording"
import sys, wave, struct, math
w = wave.open(sys.argv[1]); n = w.getnframes()
data = struct.unpack("<%dh" % (2 * n), w.readframes(n))
rms = math.sqrt(sum(x * x for x in data[1::2]) / max(n, 1))
print("agent channel rms", round(rms)); assert rms > 100
PY
ok "baresip's audio is in the agent channel"
# The caller spoke A-law, baresip took µ-law: Hotline transcoded, and what
# baresip decoded (its sndfile dump) is the caller's audio, not silence.
http GET "/api/v1/calls/$CALL_ID" "" "$TOKEN" | python3 -c '
import json, sys
ev = [e for e in json.load(sys.stdin)["events"] if e["type"] == "call.answered"][0]["data"]
assert (ev["codec_customer"], ev["codec_agent"]) == ("PCMA", "PCMU"), ev' ||
	fail "legs did not negotiate different codecs"
python3 - "$BS_DIR"/dump-*-dec.wav <<'PY' || fail "baresip heard nothing from the caller"
import sys, wave, struct, math
w = wave.open(sys.argv[1]); n = w.getnframes()
data = struct.unpack("<%dh" % (n * w.getnchannels()), w.readframes(n))
rms = math.sqrt(sum(x * x for x in data) / max(len(data), 1))
print("baresip heard rms", round(rms)); assert n > 8000 and rms > 100
PY
ok "the caller's A-law reached baresip as µ-law (transcoded)"
kill "$BS_PID" 2>/dev/null || true
stop_server
