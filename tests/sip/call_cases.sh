#!/usr/bin/env bash
# The other ways a call goes: the agent hangs up; the caller cancels while it
# rings; and the calls Hotline must refuse — unknown number (404), an
# extension with no registered phone (480), no common codec (488), broken
# SDP (400). Each leaves a correct call record or none.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

start_server
TOKEN=$(admin_token)

# 1. The agent hangs up; PCMU on both sides this time. 4008003000 is the
# sales queue; 1001 is its only registered (hence ready) member.
AGENT_PORT=$(free_port)
register 1001 secret1001 "$AGENT_PORT"
sipp_bg agent agent_hangup.xml -p "$AGENT_PORT" -mi 127.0.0.1 -mp "$(free_port)"
sleep 0.3
call_to c1 "$SCEN/caller_wait_bye.xml" 4008003000
sipp_wait agent || { cat "$TEST_DIR/agent.err" >&2; fail "agent (hangs up) failed"; }
last_call "$TOKEN" | python3 -c '
import json, sys
c = json.load(sys.stdin)
assert c["to"] == "4008003000" and c["agent"] == "1001", c
assert c["queue"] == "sales", c
assert c["hangup_by"] == "agent", c
assert 1 <= c["talk_s"] <= 4, c' || fail "record after agent hang-up wrong"
ok "agent hangs up: BYE relayed to the caller, hangup_by=agent"

# 2. The caller cancels while the agent's phone rings: a direct call to the
# extension (a queue answers at once, so only a direct call rings).
sipp_bg ring agent_ring.xml -p "$AGENT_PORT"
sleep 0.3
call_to c2 "$SCEN/caller_cancel.xml" 1001
sipp_wait ring || { cat "$TEST_DIR/ring.err" >&2; fail "agent was not cancelled"; }
last_call "$TOKEN" | python3 -c '
import json, sys
c = json.load(sys.stdin)
assert c["answered_at"] is None and c["talk_s"] == 0, c
assert c["to"] == "1001" and c["queue"] is None, c
assert c["hangup_by"] == "caller", c' || fail "record after CANCEL wrong"
ok "CANCEL before answer: agent cancelled, unanswered record"

# 3. Refusals.
refuse() {
	local number=$1 code=$2 mline=$3 what=$4
	sed "s/EXPECTED/$code/g; s|MLINE|$mline|" "$SCEN/caller_expect.xml" >"$TEST_DIR/refuse.xml"
	call_to "refuse-$code" "$TEST_DIR/refuse.xml" "$number"
	ok "$what → $code"
}
PCMU='m=audio [media_port] RTP/AVP 0\na=rtpmap:0 PCMU/8000'
refuse 4009999999 404 "$PCMU" "unknown number"
refuse 1009 480 "$PCMU" "extension with no registered phone"
refuse 1001 488 'm=audio [media_port] RTP/AVP 18\na=rtpmap:18 G729/8000' "no common codec"
refuse 1001 400 'm=audio notaport RTP/AVP 0' "broken SDP"

# The server still works after all that, and stops cleanly.
http GET /healthz >/dev/null; [ "$HTTP_STATUS" = 200 ] || fail "healthz after bad input"
stop_server
