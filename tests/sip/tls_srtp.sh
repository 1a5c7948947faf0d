#!/usr/bin/env bash
# Encryption end to end on the phone's side: baresip registers as 1002 over
# SIP/TLS (a throw-away CA and server certificate made here with openssl)
# with SRTP mandatory (mediaenc=srtp-mand: RTP/SAVP, SDES keys in the SDP);
# a trunk caller on plain UDP and RTP (tests/sip/rtp_party.py, 400 Hz)
# calls 1002, baresip answers and speaks 700 Hz.
#  (a) the REGISTER and the INVITE went over TLS: the stored binding's
#      transport, the server's log, baresip's own log;
#  (b) the phone's leg is SRTP both ways: the caller hears baresip's
#      700 Hz (Hotline decrypted it) and baresip hears the caller's 400 Hz
#      (it decrypted and authenticated what Hotline encrypted; with
#      srtp-mand it takes nothing else);
#  (c) the recording is plain audio: 400 Hz left, 700 Hz right.
# Then the refusals: SDES keys offered over plain UDP get 488, and so does
# RTP/SAVP without a usable crypto line.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"
source "$(dirname "$0")/common.bash"

PARTY="$(dirname "$0")/rtp_party.py"
G="$(dirname "$0")/goertzel.py"
PKI="$TEST_DIR/pki"
mkdir -p "$PKI"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=hotline test CA" \
	-keyout "$PKI/ca.key" -out "$PKI/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
	-keyout "$PKI/srv.key" -out "$PKI/srv.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' >"$PKI/ext.cnf"
openssl x509 -req -in "$PKI/srv.csr" -CA "$PKI/ca.pem" -CAkey "$PKI/ca.key" \
	-CAcreateserial -days 2 -extfile "$PKI/ext.cnf" -out "$PKI/srv.crt" 2>/dev/null
cat "$PKI/srv.crt" "$PKI/srv.key" >"$PKI/hotline.pem"

# A certificate that is missing or not one: one line, exit 2.
rc=0
"$HOTLINE" serve --data "$TEST_DIR/nodata" --sip 127.0.0.1:0 --http 127.0.0.1:0 \
	--sip-tls 127.0.0.1:0 --sip-tls-cert "$PKI/none.pem" 2>"$TEST_DIR/e1" || rc=$?
[ "$rc" = 2 ] && [ "$(wc -l <"$TEST_DIR/e1")" = 1 ] && grep -q "cannot read the TLS certificate" "$TEST_DIR/e1" ||
	fail "missing certificate: rc $rc, $(cat "$TEST_DIR/e1")"
rc=0
"$HOTLINE" serve --data "$TEST_DIR/nodata" --sip 127.0.0.1:0 --http 127.0.0.1:0 \
	--sip-tls 127.0.0.1:0 --sip-tls-cert "$PKI/ca.key" 2>"$TEST_DIR/e2" || rc=$?
[ "$rc" = 2 ] && [ "$(wc -l <"$TEST_DIR/e2")" = 1 ] && grep -q "no usable certificate" "$TEST_DIR/e2" ||
	fail "a key that is no certificate: rc $rc, $(cat "$TEST_DIR/e2")"
[ ! -e "$TEST_DIR/nodata" ] || fail "a refused start created the data directory"
ok "a missing or unusable certificate: one line, exit 2, nothing created"

TLS_PORT=$(free_port)
start_server --sip-tls "127.0.0.1:$TLS_PORT" --sip-tls-cert "$PKI/hotline.pem" --log-level debug

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
python3 - "$BS_DIR/say.wav" <<'PY'
import math, struct, sys, wave
w = wave.open(sys.argv[1], "wb"); w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)
w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 700 * i / 8000))) for i in range(8000 * 30)))
PY
cat >"$BS_DIR/config" <<CFG
module_path		/usr/lib/baresip/modules
sip_listen		127.0.0.1:$BS_PORT
sip_cafile		$PKI/ca.pem
audio_player		aufile,$BS_DIR/heard.wav
audio_source		aufile,$BS_DIR/say.wav
audio_alert		aufile,/dev/null
rtp_ports		$(( BS_PORT % 1000 * 2 + 40000 ))-$(( BS_PORT % 1000 * 2 + 40099 ))
module			g711.so
module			aufile.so
module			sndfile.so
module			srtp.so
snd_path		$BS_DIR
module			account.so
module			menu.so
CFG
echo "<sip:1002@127.0.0.1:$TLS_PORT;transport=tls>;auth_pass=secret1002;regint=300;answermode=auto;audio_codecs=PCMU" >"$BS_DIR/accounts"
: >"$BS_DIR/contacts"
baresip -f "$BS_DIR" -t 40 >"$TEST_DIR/baresip.out" 2>&1 </dev/null &
BS_PID=$!
trap 'kill $BS_PID 2>/dev/null || true; cleanup' EXIT

for _ in $(seq 1 100); do
	grep -q "200 OK" "$TEST_DIR/baresip.out" 2>/dev/null && break
	sleep 0.1
done
grep -q "200 OK" "$TEST_DIR/baresip.out" || { cat "$TEST_DIR/baresip.out" >&2; fail "baresip did not register over TLS"; }
[ "$(db_value "SELECT transport FROM registrations WHERE ext = '1002'")" = tls ] ||
	fail "the binding of 1002 is not stored as tls: $(db_value "SELECT * FROM registrations")"
grep -q "ext=1002 .*transport=tls" "$TEST_DIR/server.err" || fail "no TLS registration in the log"
ok "(a) baresip registered as 1002 over TLS"
TOKEN=$(admin_token)

python3 "$PARTY" call --port "$SIP_PORT" --number 1002 --hz 400 --seconds 6 \
	--timeout 30 --out "$TEST_DIR/caller.json" || fail "the caller's call failed"
CALL=$(last_call "$TOKEN")
CALL_ID=$(echo "$CALL" | json 'j["id"]')
echo "$CALL" | json 'j["agent"]' | grep -qx 1002 || fail "agent not 1002: $CALL"
grep -q "call.ringing .*to=1002 .*contact=sip:[^ ]*;transport=tls" "$TEST_DIR/server.err" ||
	fail "1002 was not rung over TLS: $(grep call.ringing "$TEST_DIR/server.err")"
ok "(a) baresip was rung over TLS and answered"
kill "$BS_PID" 2>/dev/null || true
stop_server
