#!/usr/bin/env bash
# Media around the bridge, on direct calls to extension 1006 (a queue DID
# answers at once with music on hold instead): early media (a 183 with SDP
# and the ringback tone while the agent's phone rings) and hold/resume by re-INVITE after the
# answer (Hotline answers sendonly with recvonly, then sendrecv again).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.sh"

printf '[call]\nringback = cn\n' >"$TEST_DIR/ringback.ini"
start_server --config "$TEST_DIR/ringback.ini"
AGENT_PORT=$(free_port)
register 1006 secret1006 "$AGENT_PORT"

sipp_bg agent agent_answer.xml -p "$AGENT_PORT" -mi 127.0.0.1 -mp "$(free_port)"
sleep 0.3
sipp -sf "$SCEN/caller_early.xml" -s 1006 -i 127.0.0.1 -p "$(free_port)" \
	-mi 127.0.0.1 -mp "$(free_port)" -m 1 -timeout 20s -timeout_error \
	-trace_err -error_file "$TEST_DIR/early.err" "127.0.0.1:$SIP_PORT" >/dev/null 2>&1 ||
	{ cat "$TEST_DIR/early.err" >&2; fail "no 183 with SDP before the answer"; }
sipp_wait agent || { cat "$TEST_DIR/agent.err" >&2; fail "agent (early media) failed"; }
ok "ringback: 183 Session Progress with SDP, then 200"

sipp_bg agent2 agent_answer.xml -p "$AGENT_PORT" -mi 127.0.0.1 -mp "$(free_port)"
sleep 0.3
sipp -sf "$SCEN/caller_hold.xml" -s 1006 -i 127.0.0.1 -p "$(free_port)" \
	-mi 127.0.0.1 -mp "$(free_port)" -m 1 -timeout 20s -timeout_error \
	-trace_err -error_file "$TEST_DIR/hold.err" "127.0.0.1:$SIP_PORT" >/dev/null 2>&1 ||
	{ cat "$TEST_DIR/hold.err" >&2; fail "hold/resume re-INVITEs"; }
sipp_wait agent2 || { cat "$TEST_DIR/agent2.err" >&2; fail "agent (hold) failed"; }
ok "hold: sendonly answered recvonly; resume: sendrecv"
stop_server
