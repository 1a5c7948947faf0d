#!/usr/bin/env bash
# Late offer (RFC 3261 13.2.1), as carrier trunks and SBCs send it: an
# INVITE without SDP gets our offer in the 200 and its answer is taken from
# the ACK; a re-INVITE without SDP gets our offer in its 200 too. Once to a
# queue and once straight to an extension's number, with a phone answering
# and A-law audio both ways: the stereo recording must hear both.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

start_server
TOKEN=$(admin_token)
AGENT_PORT=$(free_port)
register 1006 secret1006 "$AGENT_PORT"

# late_call NAME NUMBER: a late-offer caller to NUMBER, answered by 1006.
late_call() {
	sipp_bg agent agent_answer.xml -p "$AGENT_PORT" -mi 127.0.0.1 -mp "$(free_port)"
	sleep 0.3
	sipp_bg "$1" caller_late.xml -s "$2" -p "$(free_port)" \
		-mi 127.0.0.1 -mp "$(free_port)" "127.0.0.1:$SIP_PORT"
	sipp_wait "$1" || { cat "$TEST_DIR/$1.err" >&2; fail "$1: late offer failed"; }
	sipp_wait agent || { cat "$TEST_DIR/agent.err" >&2; fail "$1: agent failed"; }
}

# heard_both: the newest call's record and its recording (both channels).
heard_both() {
	last_call "$TOKEN" >"$TEST_DIR/call.json"
	local id
	id=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); assert c["hangup_by"] == "caller" and c["agent"] == "1006" and c["talk_s"] >= 3 and c["recording"], c; print(c["id"])' "$TEST_DIR/call.json") ||
		fail "call record wrong: $(cat "$TEST_DIR/call.json")"
	curl -s -o "$TEST_DIR/rec.wav" -H "Authorization: Bearer $TOKEN" \
		"$BASE_URL/api/v1/calls/$id/recording"
	python3 - "$TEST_DIR/rec.wav" <<'PY' || fail "recording does not hear both sides"
import sys, wave, struct, math
w = wave.open(sys.argv[1])
n = w.getnframes()
assert w.getnchannels() == 2 and n >= 8000 * 3, n
data = struct.unpack("<%dh" % (2 * n), w.readframes(n))
for ch in (0, 1):
    rms = math.sqrt(sum(x * x for x in data[ch::2]) / n)
    assert rms > 100, (ch, rms)
PY
}

late_call queued 4008002000
heard_both
ok "late offer to a queue: offer in the 200, answer from the ACK, audio both ways; re-INVITE without SDP answered with an offer"

http PUT /api/v1/queues/support '{"wrapup_ms":0}' "$TOKEN" >/dev/null
late_call direct 1006
heard_both
ok "late offer straight to extension 1006: audio both ways"
stop_server
