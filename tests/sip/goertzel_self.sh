#!/usr/bin/env bash
# tests/sip/goertzel.py, the tone meter of the conference and monitoring
# tests, checks itself: its filter hears two tones through µ-law and A-law
# and not the two it was not given; its listener, sent 700 and 1,500 Hz in
# A-law over loopback, reports exactly those; its pcap is whole packets.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../lib.sh
source tests/lib.sh
G=tests/sip/goertzel.py

python3 "$G" self-test || fail "self-test"

port=$(free_port)
python3 "$G" listen --ports "$port" --out "$TEST_DIR/heard.json" --seconds 60 \
	--ready "$TEST_DIR/ready" &
listener=$!
# Waiting on a file the listener writes once bound: probing the port by
# binding it would race the listener's own bind.
for _ in $(seq 100); do [ -e "$TEST_DIR/ready" ] && break; sleep 0.1; done
[ -e "$TEST_DIR/ready" ] || fail "listener never bound its port"
python3 - "$port" <<'PY'
import socket, struct, sys, time
sys.path.insert(0, "tests/sip")
import goertzel as g
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
pcm = [a + b for a, b in zip(g.tone(700, 8000), g.tone(1500, 8000))]
for k in range(50):
    pl = bytes(g.alaw_encode(x) for x in pcm[k * 160:(k + 1) * 160])
    s.sendto(struct.pack("!BBHII", 0x80, 8, k, k * 160, 1) + pl,
             ("127.0.0.1", int(sys.argv[1])))
    time.sleep(0.02)
PY
sleep 0.5
kill -TERM "$listener"
wait "$listener"
python3 - "$TEST_DIR/heard.json" "$port" <<'PY' || fail "listener figures"
import json, sys
sys.path.insert(0, "tests/sip")
import goertzel as g
d = json.load(open(sys.argv[1]))[sys.argv[2]]
last = d["last"]
assert d["packets"] == 50, d["packets"]
assert g.hears(last["700"], 6000) and g.hears(last["1500"], 6000), last
assert g.silent(last["400"], 6000) and g.silent(last["1100"], 6000), last
assert len(d["windows"]) == 2, d["windows"]
PY

python3 "$G" tone-pcap "$TEST_DIR/t.pcap" --hz 400 --seconds 1
# 24-byte header, then 50 records of 16 + 14 + 20 + 8 + 12 + 160 bytes.
[ "$(stat -c %s "$TEST_DIR/t.pcap")" -eq $((24 + 50 * 230)) ] || fail "pcap size"
echo "ok: goertzel.py"
