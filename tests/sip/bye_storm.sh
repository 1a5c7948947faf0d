#!/usr/bin/env bash
# Issue 18's mass hang-up: BYE_STORM_CALLS (default 2000) calls over
# loopback, answered by bench/calls agents, then every caller's BYE sent at
# once by tests/sip/bye_storm.py, which never retransmits one: each must be
# answered with 200, and the server's SIP socket must drop no datagram
# (/proc/net/udp). Before sip.udp_rcvbuf the kernel's default queue dropped
# hundreds of them. Bounded: 180 s of set-up, 30 s for the answers.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
: "${BUILD:?run through tests/run.sh}"
N=${BYE_STORM_CALLS:-2000}
CALLS="$BUILD/bench/calls"
[ -x "$CALLS" ] || fail "$CALLS not built"

# sip_drops PORT: drops of the UDP sockets bound to 127.0.0.1:PORT.
sip_drops() {
	awk -v p="$(printf '%04X' "$1")" 'NR > 1 && $2 == "0100007F:" p { d += $NF } END { print d + 0 }' /proc/net/udp
}

# The last --rtp-ports wins: four ports a call (two legs, RTP and RTCP),
# a range of 10,000 per build so that tests/run.sh's two storms at once do
# not share one, and above the blocks start_server gives every other test
# (30000-39999), whose calls would otherwise find their ports taken. The calls
# carry no RTP and, on a loaded machine, setting 2,000 up can take longer
# than the RTP timeout: off, and nothing to record.
printf '[call]\nrtp_timeout_s = 0\n[record]\nenabled = false\n' >"$TEST_DIR/storm.ini"
rtp=40000; [ "${BUILD##*/}" = rel ] || rtp=50000
start_server --rtp-ports "$rtp-$((rtp + 9999))" --log-level info --config "$TEST_DIR/storm.ini"
"$CALLS" --target "127.0.0.1:$SIP_PORT" --agents 10 --calls 0 --no-media \
	--duration 300 >"$TEST_DIR/agents.out" 2>"$TEST_DIR/agents.err" &
AGENTS_PID=$!
trap 'kill -INT $AGENTS_PID 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 1 600); do
	[ "$(grep -c 'sip.registered' "$TEST_DIR/server.err" || true)" -ge 10 ] && break
	sleep 0.05
done
[ "$(grep -c 'sip.registered' "$TEST_DIR/server.err" || true)" -ge 10 ] || fail "agents did not register"
ok "10 agents registered"

before=$(sip_drops "$SIP_PORT")
rc=0
out=$(timeout 240 python3 "$(dirname "$0")/bye_storm.py" "$SIP_PORT" "$N" 1001 1010) || rc=$?
echo "$out"
after=$(sip_drops "$SIP_PORT")
[ "$rc" -eq 0 ] || fail "not every call was set up or not every BYE answered (rc $rc)"
ok "$N calls up, $N BYEs sent at once, every one answered 200"
[ "$((after - before))" -eq 0 ] || fail "the SIP socket dropped $((after - before)) datagrams"
ok "no datagram dropped on the SIP port"
grep -q 'sip.udp_rcvbuf_capped' "$TEST_DIR/server.err" && grep -m1 'sip.udp_rcvbuf_capped' "$TEST_DIR/server.err"
kill -INT "$AGENTS_PID" 2>/dev/null || true
wait "$AGENTS_PID" 2>/dev/null || true
stop_server
