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
export G="$(cd "$(dirname "$0")" && pwd)/goertzel.py"
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
start_server --sip-tls "127.0.0.1:$TLS_PORT" --sip-tls-cert "$PKI/hotline.pem"

# baresip takes its SIP port and the next one (for TLS): both must be free.
bs_port() {
	python3 - <<'PY'
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
}
BS_PORT=$(bs_port)
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
echo "<sip:1002@127.0.0.1:$TLS_PORT;transport=tls>;auth_pass=secret1002;regint=300;answermode=auto;audio_codecs=PCMU;mediaenc=srtp-mand" >"$BS_DIR/accounts"
: >"$BS_DIR/contacts"
baresip -f "$BS_DIR" -t 120 >"$TEST_DIR/baresip.out" 2>&1 </dev/null &
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
grep -q "SRTP is Enabled (cryptosuite=AES_CM_128_HMAC_SHA1_80)" "$TEST_DIR/baresip.out" ||
	fail "baresip did not turn SRTP on"
ok "(a) baresip was rung over TLS and answered"

grep -q "call.srtp id=$CALL_ID leg=agent suite=AES_CM_128_HMAC_SHA1_80" "$TEST_DIR/server.err" ||
	fail "the agent leg did not agree on SRTP: $(grep "call\.srtp" "$TEST_DIR/server.err")"
# The caller (plain RTP) heard baresip's 700 Hz: Hotline authenticated and
# decrypted the phone's SRTP and relayed it in the clear.
python3 - "$TEST_DIR/caller.json" <<'PY' || fail "the caller did not hear the phone (SRTP not decrypted)"
import json, sys
fr = json.load(open(sys.argv[1]))["frames"]
n = sum(1 for t, hz in fr if 700 in hz)
print("caller frames with 700 Hz:", n, "of", len(fr)); assert n > 100
PY
# baresip heard the caller's 400 Hz: it took Hotline's SRTP (srtp-mand
# takes nothing else, and a wrong key or tag fails its authentication).
python3 "$G" wav "$BS_DIR"/dump-*-dec.wav >"$TEST_DIR/phone.json" ||
	{ ls "$BS_DIR" >&2; fail "no dump of what baresip decoded"; }
python3 - "$TEST_DIR/phone.json" <<'PY' || fail "baresip did not hear the caller (SRTP not encrypted for it)"
import json, sys
j = json.load(open(sys.argv[1]))
ch = j[0] if isinstance(j, list) else j[sorted(j)[0]]
ws = ch["windows"]
n = sum(1 for w in ws if w["400"] > 1000)
print("phone windows with 400 Hz:", n, "of", len(ws)); assert n >= 5
PY
ok "(b) the phone's leg is SRTP both ways: each side hears the other's tone"

curl -s -o "$TEST_DIR/rec.wav" -H "Authorization: Bearer $TOKEN" "$BASE_URL/api/v1/calls/$CALL_ID/recording"
python3 "$G" wav "$TEST_DIR/rec.wav" >"$TEST_DIR/rec.json" || fail "no recording"
python3 - "$TEST_DIR/rec.json" <<'PY' || fail "the recording is not the plain audio of both sides"
import json, sys
j = json.load(open(sys.argv[1]))
left, right = (j[0], j[1]) if isinstance(j, list) else (j[k] for k in sorted(j)[:2])
l = sum(1 for w in left["windows"] if w["400"] > 1000)
r = sum(1 for w in right["windows"] if w["700"] > 1000)
print("recording: caller 400 Hz windows", l, "agent 700 Hz windows", r)
assert l >= 5 and r >= 5
PY
ok "(c) the recording is plain audio: 400 Hz from the caller, 700 Hz from the phone"

# End to end: a carrier on TLS with SRTP (a second baresip, listening on
# TLS with the test's certificate, answering 13912345678 at 1,100 Hz).
# 1002 clicks to dial it: the phone's leg and the trunk's are both SRTP.
http POST /api/v1/trunks '{"name": "plain", "outbound": {"address": "127.0.0.1:5060", "srtp": true}}' "$TOKEN" >/dev/null
expect_status 400 "srtp without tls"
[ "$(jbody 'j["error"]')" = "outbound.srtp: needs outbound.transport tls (SRTP keys travel in the SDP)" ] ||
	fail "srtp without tls: $HTTP_BODY"
K_PORT=$(bs_port)
K_DIR="$TEST_DIR/carrier"
mkdir -p "$K_DIR"
python3 - "$K_DIR/say.wav" <<'PY'
import math, struct, sys, wave
w = wave.open(sys.argv[1], "wb"); w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)
w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 1100 * i / 8000))) for i in range(8000 * 30)))
PY
sed -e "s|^sip_listen.*|sip_listen\t\t127.0.0.1:$K_PORT|" -e "s|$BS_DIR|$K_DIR|g" \
	-e "s|^rtp_ports.*|rtp_ports\t\t$(( K_PORT % 1000 * 2 + 42000 ))-$(( K_PORT % 1000 * 2 + 42099 ))|" \
	"$BS_DIR/config" >"$K_DIR/config"
echo "sip_certificate		$PKI/hotline.pem" >>"$K_DIR/config"
echo "<sip:13912345678@127.0.0.1>;regint=0;answermode=auto;audio_codecs=PCMA;mediaenc=srtp-mand" >"$K_DIR/accounts"
: >"$K_DIR/contacts"
baresip -f "$K_DIR" -t 60 >"$TEST_DIR/carrier.out" 2>&1 </dev/null &
K_PID=$!
trap 'kill $BS_PID $K_PID 2>/dev/null || true; cleanup' EXIT
http POST /api/v1/trunks '{"name": "secure", "outbound": {"address": "127.0.0.1:'"$((K_PORT + 1))"'", "transport": "tls", "srtp": true, "codecs": ["PCMA"]}, "ping_interval_s": 0}' "$TOKEN" >/dev/null
expect_status 201 "a trunk over TLS with SRTP"
http POST /api/v1/dial-plans '{"pattern": "^1[3-9][0-9]{9}$", "trunks": ["secure"]}' "$TOKEN" >/dev/null
expect_status 201 "mobiles go out through it"
sleep 1
http POST /api/v1/calls '{"agent":"1002","to":"13912345678"}' "$TOKEN" >/dev/null
expect_status 201 "1002 clicks to dial 13912345678"
OUT_ID=$(jbody 'j["id"]')
for _ in $(seq 1 150); do
	http GET "/api/v1/calls/$OUT_ID" "" "$TOKEN" >/dev/null
	[ "$(jbody 'bool(j.get("answered_at"))')" = True ] && break
	sleep 0.1
done
[ "$(jbody 'bool(j.get("answered_at"))')" = True ] ||
	{ cat "$TEST_DIR/carrier.out" >&2; fail "the carrier never answered: $HTTP_BODY"; }
sleep 5
http POST "/api/v1/calls/$OUT_ID/hangup" '{}' "$TOKEN" >/dev/null
expect_status 200 "hang up"
for leg in customer agent; do
	grep -q "call.srtp id=$OUT_ID leg=$leg suite=AES_CM_128_HMAC_SHA1_80" "$TEST_DIR/server.err" ||
		fail "the $leg leg of the click-to-dial call is not SRTP: $(grep "call\.srtp\|call.outbound" "$TEST_DIR/server.err")"
done
grep -q "call.outbound id=$OUT_ID .*uri=sip:13912345678@127.0.0.1:$((K_PORT + 1));transport=tls" "$TEST_DIR/server.err" ||
	fail "the trunk was not dialled over TLS"
sleep 1
python3 - "$K_DIR" "$BS_DIR" <<'PY' || fail "the two phones did not hear each other through SRTP"
import glob, json, os, subprocess, sys
def tone(d, hz):
    f = max(glob.glob(os.path.join(d, "dump-*-dec.wav")), key=os.path.getmtime)
    j = json.loads(subprocess.check_output([sys.executable, os.environ["G"], "wav", f]))
    ch = j[sorted(j)[0]]
    return sum(1 for w in ch["windows"] if w[str(hz)] > 1000)
k, a = tone(sys.argv[1], 700), tone(sys.argv[2], 1100)
print("carrier heard 700 Hz windows", k, "; 1002 heard 1100 Hz windows", a)
assert k >= 5 and a >= 5
PY
ok "end to end: 1002 over TLS+SRTP to a carrier over TLS+SRTP, each hears the other"
kill "$BS_PID" "$K_PID" 2>/dev/null || true

# savp_invite CRYPTO_LINES...: an RTP/SAVP offer over plain UDP to the
# sales queue; prints the whole answer.
savp_invite() {
	local body=$TEST_DIR/savp.sdp
	printf '%s\r\n' 'v=0' 'o=c 1 1 IN IP4 127.0.0.1' 's=-' 'c=IN IP4 127.0.0.1' \
		't=0 0' 'm=audio 40000 RTP/SAVP 0' 'a=rtpmap:0 PCMU/8000' "$@" >"$body"
	{ printf 'INVITE sip:4008003000@127.0.0.1 SIP/2.0\r\n'
	  printf 'Via: SIP/2.0/UDP {src}:{lport};branch={branch};rport\r\n'
	  printf 'From: <sip:13800138000@{src}>;tag=s%s\r\n' "$RANDOM"
	  printf 'To: <sip:4008003000@127.0.0.1>\r\n'
	  printf 'Call-ID: {callid}\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n'
	  printf 'Contact: <sip:13800138000@{src}:{lport}>\r\n'
	  printf 'Content-Type: application/sdp\r\nContent-Length: %s\r\n\r\n' "$(wc -c <"$body")"
	  cat "$body"; } | sip_raw --raw --wait 3 --full
}
# savp_status CRYPTO_LINES...: the status line savp_invite gets.
savp_status() {
	savp_invite "$@" >"$TEST_DIR/ans"
	head -1 "$TEST_DIR/ans" | tr -d '\r'
}
KEY=WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz
got=$(savp_status "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$KEY")
[ "$got" = "SIP/2.0 488 Not Acceptable Here (SRTP keys over unencrypted signalling: use TLS)" ] ||
	fail "SDES keys over UDP: $got"
ok "SDES keys offered over plain UDP get 488"
got=$(savp_status "a=crypto:1 F8_128_HMAC_SHA1_80 inline:$KEY" \
	"a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:$KEY|2^20")
[ "$got" = "SIP/2.0 488 Not Acceptable Here (RTP/SAVP without a usable a=crypto line)" ] ||
	fail "RTP/SAVP without a usable crypto line: $got"
grep -q 'call.srtp_refused .*reason="no usable a=crypto line (a=crypto: unknown crypto suite F8_128_HMAC_SHA1_80)"' \
	"$TEST_DIR/server.err" || fail "the refusal's reason is not logged"
got=$(savp_status)
[ "$got" = "SIP/2.0 488 Not Acceptable Here (RTP/SAVP without a usable a=crypto line)" ] ||
	fail "RTP/SAVP without any crypto line: $got"
ok "RTP/SAVP without a usable a=crypto line gets 488, the reason logged"
stop_server

# srtp.keys_over_plain: the operator's choice to take keys over UDP (an
# SBC on a private network): answered with RTP/SAVP and a key of our own.
printf '[srtp]\nkeys_over_plain = true\n' >"$TEST_DIR/plain.ini"
start_server --config "$TEST_DIR/plain.ini"
TOKEN=$(admin_token)
http POST /api/v1/trunks '{"name": "tls", "outbound": {"address": "127.0.0.1:5061", "transport": "tls"}}' "$TOKEN" >/dev/null
expect_status 400 "a TLS trunk without a TLS listener"
[ "$(jbody 'j["error"]')" = "outbound.transport: tls needs Hotline's TLS listener (serve --sip-tls with --sip-tls-cert)" ] ||
	fail "TLS trunk without a listener: $HTTP_BODY"
savp_invite "a=crypto:7 AES_CM_128_HMAC_SHA1_32 inline:$KEY" >"$TEST_DIR/ans"
head -1 "$TEST_DIR/ans" | grep -q "^SIP/2.0 200" || fail "keys over plain, allowed: $(head -1 "$TEST_DIR/ans")"
grep -q "^m=audio [0-9]* RTP/SAVP 0" "$TEST_DIR/ans" || fail "the answer is not RTP/SAVP: $(cat "$TEST_DIR/ans")"
ours=$(sed -n 's/^a=crypto:7 AES_CM_128_HMAC_SHA1_32 inline:\([A-Za-z0-9+\/]\{40\}\)\r\?$/\1/p' "$TEST_DIR/ans")
[ -n "$ours" ] && [ "$ours" != "$KEY" ] || fail "the answer's a=crypto is not tag 7 with a key of our own: $(grep crypto "$TEST_DIR/ans")"
ok "with srtp.keys_over_plain an offer over UDP is answered with our own key"
stop_server
