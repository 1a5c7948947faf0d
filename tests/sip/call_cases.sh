#!/usr/bin/env bash
# The other ways a call goes: the agent hangs up; the caller cancels while it
# rings; and the calls Hotline must refuse — unknown number (404), an
# extension with no registered phone (480), no common codec (488), broken
# SDP (400). Each leaves a correct call record or none.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.sh"

start_server
TOKEN=$(admin_token)

# last_call FIELD…: prints the newest call record once it has ended.
last_call() {
	local calls
	for _ in $(seq 1 50); do
		calls=$(http GET "/api/v1/calls?limit=1" "" "$TOKEN")
		[ "$(echo "$calls" | json 'bool(j["items"]) and j["items"][0]["ended_at"] is not None')" = True ] && break
		sleep 0.1
	done
	echo "$calls" | json 'json.dumps(j["items"][0])'
}

# 1. The agent hangs up; PCMU on both sides this time. 4008003000 is the
# sales queue; 1001 is its only registered (hence ready) member.
AGENT_PORT=$(free_port)
register 1001 secret1001 "$AGENT_PORT"
sipp_bg agent agent_hangup.xml -p "$AGENT_PORT" -mi 127.0.0.1 -mp "$(free_port)"
sleep 0.3
python3 - "$SCEN/caller_talk.xml" "$TEST_DIR/caller_wait_bye.xml" <<'PY'
import sys, re
s = open(sys.argv[1]).read()
s = s.replace("RTP/AVP 8 101", "RTP/AVP 0 101").replace("rtpmap:8 PCMA", "rtpmap:0 PCMU")
# Instead of hanging up, wait for the agent's BYE (relayed by Hotline).
cut = s.index('  <pause milliseconds="2500"/>')
s = s[:cut] + '''  <recv request="BYE"/>
  <send>
    <![CDATA[

      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]>
  </send>
</scenario>
'''
open(sys.argv[2], "w").write(s)
PY
sipp -sf "$TEST_DIR/caller_wait_bye.xml" -s 4008003000 -i 127.0.0.1 -p "$(free_port)" \
	-mi 127.0.0.1 -mp "$(free_port)" -m 1 -timeout 20s -timeout_error \
	-trace_err -error_file "$TEST_DIR/c1.err" "127.0.0.1:$SIP_PORT" >/dev/null 2>&1 ||
	{ cat "$TEST_DIR/c1.err" >&2; fail "caller (agent hangs up) failed"; }
sipp_wait agent || { cat "$TEST_DIR/agent.err" >&2; fail "agent (hangs up) failed"; }
last_call | python3 -c '
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
sipp -sf "$SCEN/caller_cancel.xml" -s 1001 -i 127.0.0.1 -p "$(free_port)" \
	-mi 127.0.0.1 -mp "$(free_port)" -m 1 -timeout 20s -timeout_error \
	-trace_err -error_file "$TEST_DIR/c2.err" "127.0.0.1:$SIP_PORT" >/dev/null 2>&1 ||
	{ cat "$TEST_DIR/c2.err" >&2; fail "caller CANCEL scenario failed"; }
sipp_wait ring || { cat "$TEST_DIR/ring.err" >&2; fail "agent was not cancelled"; }
last_call | python3 -c '
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
	sipp -sf "$TEST_DIR/refuse.xml" -s "$number" -i 127.0.0.1 -p "$(free_port)" \
		-mi 127.0.0.1 -mp "$(free_port)" -m 1 -timeout 10s -timeout_error \
		-trace_err -error_file "$TEST_DIR/refuse.err" "127.0.0.1:$SIP_PORT" >/dev/null 2>&1 ||
		{ cat "$TEST_DIR/refuse.err" >&2; fail "$what: expected $code"; }
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
