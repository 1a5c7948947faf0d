#!/usr/bin/env bash
# Extension to extension: 1001 (not a trunk: it must prove who it is) dials
# 1002. Hotline challenges the INVITE (401), 1001 retries with its digest
# credentials, 1002's phone answers; the record says internal, 1001 → 1002.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

start_server
TOKEN=$(admin_token)
CALLEE_PORT=$(free_port)
register 1002 secret1002 "$CALLEE_PORT"
sipp_bg callee agent_answer.xml -p "$CALLEE_PORT" -mi 127.0.0.1 -mp "$(free_port)"
sleep 0.3
# Every loopback source is a trunk in the demo, but a From naming one of our
# extensions is always challenged: the scenario expects the 401.
call_to ext-call "$SCEN/ext_call.xml" 1002 -au 1001 -ap secret1001 -key auth_user 1001
sipp_wait callee || { cat "$TEST_DIR/callee.err" >&2; fail "callee failed"; }
last_call "$TOKEN" | python3 -c '
import json, sys
c = json.load(sys.stdin)
assert c["direction"] == "internal", c
assert c["from"] == "1001" and c["to"] == "1002" and c["agent"] == "1002", c' ||
	fail "record of the internal call wrong"
ok "1001 authenticated by digest and reached 1002; record says internal"
stop_server
