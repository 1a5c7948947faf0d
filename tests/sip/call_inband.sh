#!/usr/bin/env bash
# A caller whose phone has no RFC 4733 (PCMU only in its SDP) presses 5 and
# 8: the keys arrive as tones in the audio, are detected in-band (spandsp)
# and become call.dtmf events with method "inband".
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

start_server
TOKEN=$(admin_token)
AGENT_PORT=$(free_port)
register 1006 secret1006 "$AGENT_PORT"
python3 "$(dirname "$0")/make_tone_pcap.py" "$TEST_DIR/tones.pcap" 58
sed "s|TONES_PCAP|$TEST_DIR/tones.pcap|" "$SCEN/caller_inband.xml" >"$TEST_DIR/inband.xml"

sipp_bg agent agent_answer.xml -p "$AGENT_PORT" -mi 127.0.0.1 -mp "$(free_port)"
sleep 0.3
call_to inband "$TEST_DIR/inband.xml" 4008002000
sipp_wait agent || { cat "$TEST_DIR/agent.err" >&2; fail "agent failed"; }

CALL=$(last_call "$TOKEN")
CALL_ID=$(echo "$CALL" | json 'j["id"]')
http GET "/api/v1/calls/$CALL_ID" "" "$TOKEN" | python3 -c '
import json, sys
c = json.load(sys.stdin)
keys = [(e["data"]["digit"], e["data"]["method"]) for e in c["events"] if e["type"] == "call.dtmf"]
assert keys == [("5", "inband"), ("8", "inband")], keys' ||
	fail "in-band digits not reported: $(http GET "/api/v1/calls/$CALL_ID" "" "$TOKEN")"
ok "tones 5 and 8 detected in-band, reported once each"
stop_server
