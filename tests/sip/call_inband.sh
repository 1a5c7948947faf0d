#!/usr/bin/env bash
# A caller whose phone has no RFC 4733 (PCMU only in its SDP) presses 5 and
# 8: the keys arrive as tones in the audio, are detected in-band (spandsp)
# and become call.dtmf events with method "inband".
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.sh"

start_server
TOKEN=$(admin_token)
AGENT_PORT=$(free_port)
register 1006 secret1006 "$AGENT_PORT"
python3 "$(dirname "$0")/make_tone_pcap.py" "$TEST_DIR/tones.pcap" 58
sed "s|TONES_PCAP|$TEST_DIR/tones.pcap|" "$SCEN/caller_inband.xml" >"$TEST_DIR/inband.xml"

sipp_bg agent agent_answer.xml -p "$AGENT_PORT" -mi 127.0.0.1 -mp "$(free_port)"
sleep 0.3
sipp -sf "$TEST_DIR/inband.xml" -s 4008002000 -i 127.0.0.1 -p "$(free_port)" \
	-mi 127.0.0.1 -mp "$(free_port)" -m 1 -timeout 20s -timeout_error \
	-trace_err -error_file "$TEST_DIR/inband.err" "127.0.0.1:$SIP_PORT" >/dev/null 2>&1 ||
	{ cat "$TEST_DIR/inband.err" >&2; fail "in-band caller scenario failed"; }
sipp_wait agent || { cat "$TEST_DIR/agent.err" >&2; fail "agent failed"; }

for _ in $(seq 1 50); do
	calls=$(http GET "/api/v1/calls?limit=1" "" "$TOKEN")
	[ "$(echo "$calls" | json 'j["items"][0]["ended_at"] is not None')" = True ] && break
	sleep 0.1
done
CALL_ID=$(echo "$calls" | json 'j["items"][0]["id"]')
http GET "/api/v1/calls/$CALL_ID" "" "$TOKEN" | python3 -c '
import json, sys
c = json.load(sys.stdin)
keys = [(e["data"]["digit"], e["data"]["method"]) for e in c["events"] if e["type"] == "call.dtmf"]
assert keys == [("5", "inband"), ("8", "inband")], keys' ||
	fail "in-band digits not reported: $(http GET "/api/v1/calls/$CALL_ID" "" "$TOKEN")"
ok "tones 5 and 8 detected in-band, reported once each"
stop_server
