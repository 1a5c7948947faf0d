#!/usr/bin/env bash
# An IVR flow plays an uploaded prompt to a real caller: a 2 s tone
# uploaded as a 48 kHz stereo WAV is heard once, whole, then the menu's
# (silent) uploaded prompt; the visit of the play node lasts the tone's
# length, so the run was told of its end by the media engine. While the
# menu then waits for a key, the caller still gets a packet every 20 ms
# (silence): one stream from the answer to the hang-up, no gap.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

start_server
TOKEN=$(admin_token)

sox -n -r 48000 -c 2 "$TEST_DIR/tone.wav" synth 2 sine 1000 vol 0.9
sox -n -r 8000 -c 1 "$TEST_DIR/hush.wav" trim 0 1
for p in tone hush; do
	http PUT "/api/v1/prompts/$p" "" "$TOKEN" --data-binary "@$TEST_DIR/$p.wav" >/dev/null
	expect_status 201 "upload $p"
done
http PUT /api/v1/ivr-flows/tone '{"name": "tone", "start": "hi", "nodes": {
	"hi": {"kind": "play", "prompt": {"file": "tone"}, "next": "menu"},
	"menu": {"kind": "menu", "prompt": {"file": "hush"}, "keys": {"1": "bye"},
		 "timeout_ms": 20000, "default": "bye"},
	"bye": {"kind": "hangup"}}}' "$TOKEN" >/dev/null
expect_status 200 "flow"
http PUT /api/v1/dids/4008005000 '{"target_kind":"ivr","target":"tone"}' "$TOKEN" >/dev/null
expect_status 200 "did"
ok "two prompts uploaded, a flow plays them, a DID leads to it"

RTP=$(free_port)
python3 "$(dirname "$0")/rtp_sink.py" --ports "$RTP" --seconds 30 \
	--out "$TEST_DIR/rtp.json" &
SINK_PID=$!
sipp -sf "$SCEN/caller_listen.xml" -s 4008005000 -d 6000 -key rtp_port "$RTP" \
	-i 127.0.0.1 -p "$(free_port)" -mi 127.0.0.1 -mp "$(free_port)" -m 1 \
	-timeout 30s -timeout_error -trace_err -error_file "$TEST_DIR/caller.err" \
	"127.0.0.1:$SIP_PORT" >"$TEST_DIR/caller.out" 2>&1 ||
	{ cat "$TEST_DIR/caller.err" >&2; fail "the call did not go as scripted"; }
kill -TERM "$SINK_PID"
wait "$SINK_PID" || fail "RTP sink failed"
python3 - "$TEST_DIR/rtp.json" "$RTP" <<'PY' || fail "what the caller heard: $(cat "$TEST_DIR/rtp.json")"
import json, sys
st = json.load(open(sys.argv[1]))[sys.argv[2]]
# 2 s of tone is 100 packets of 20 ms; once, not looped, and not the
# silent one (counted loosely: the machine may be busy).
assert 90 <= st["loud"] <= 105, st
# Then the menu's 1 s of silence, and silence while the menu waits, up to
# the caller's hang-up 6 s after the answer: 300 packets, none late by a
# second (the wait was a 3 s gap before the stream was filled).
assert 270 <= st["packets"] <= 310, st
assert st["gap_ms"] < 1000, st
PY
ok "the caller heard the uploaded tone once, whole ($(cat "$TEST_DIR/rtp.json"))"

for _ in $(seq 1 50); do
	n=$(sqlite3 "$DATA_DIR/hotline.db" "SELECT count(*) FROM ivr_visits WHERE flow = 'tone'")
	[ "$n" -ge 2 ] && break
	sleep 0.1
done
sqlite3 "$DATA_DIR/hotline.db" "SELECT node, exit, left_at - entered_at FROM ivr_visits
	WHERE flow = 'tone' ORDER BY seq" >"$TEST_DIR/visits.txt"
python3 - "$TEST_DIR/visits.txt" <<'PY' || fail "visits: $(cat "$TEST_DIR/visits.txt")"
import sys
rows = [l.rstrip("\n").split("|") for l in open(sys.argv[1])]
assert rows[0][:2] == ["hi", "next"], rows
assert 1900 <= int(rows[0][2]) < 3500, rows      # played to its end
assert rows[1][0] == "menu", rows
PY
ok "the play node lasted the tone's 2 s, then the menu"
stop_server
