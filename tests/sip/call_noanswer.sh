#!/usr/bin/env bash
# A direct call whose agent phone rings and rings: after call.ring_timeout_s
# the caller gets 480 and Hotline cancels the agent's INVITE. The record is
# unanswered, ended by the system for "no-answer".
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

printf '[call]\nring_timeout_s = 2\n' >"$TEST_DIR/ring.ini"
start_server --config "$TEST_DIR/ring.ini"
TOKEN=$(admin_token)
AGENT_PORT=$(free_port)
register 1004 secret1004 "$AGENT_PORT"

sipp_bg ring agent_ring.xml -p "$AGENT_PORT"
sleep 0.3
sed "s/EXPECTED/480/g; s|MLINE|m=audio [media_port] RTP/AVP 0\\na=rtpmap:0 PCMU/8000|" \
	"$SCEN/caller_expect.xml" >"$TEST_DIR/noanswer.xml"
call_to noanswer "$TEST_DIR/noanswer.xml" 1004
sipp_wait ring || { cat "$TEST_DIR/ring.err" >&2; fail "the agent's phone was not cancelled"; }
last_call "$TOKEN" | python3 -c '
import json, sys
c = json.load(sys.stdin)
assert c["answered_at"] is None and c["talk_s"] == 0, c
assert c["hangup_by"] == "system" and c["agent"] is None, c  # nobody answered
assert 2 <= c["duration_s"] <= 4, c' || fail "record of the unanswered call wrong"
ok "no answer in 2 s: 480 to the caller, CANCEL to the phone"
stop_server
