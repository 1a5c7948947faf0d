#!/usr/bin/env bash
# SIGTERM with a call in progress (docs/contract.md): Hotline stops taking calls,
# ends the live call with a BYE to both sides, flushes every pending write
# and exits 0 within 5 seconds; the call record is complete on disk.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

start_server
AGENT_PORT=$(free_port)
register 1003 secret1003 "$AGENT_PORT"
sipp_bg agent agent_answer.xml -p "$AGENT_PORT" -mi 127.0.0.1 -mp "$(free_port)"
sleep 0.3
sipp_bg caller caller_wait_bye.xml -s 1003 -p "$(free_port)" \
	-mi 127.0.0.1 -mp "$(free_port)" "127.0.0.1:$SIP_PORT"
for _ in $(seq 1 100); do   # until the call is answered and talking
	[ "$(sqlite3 "$DATA_DIR/hotline.db" \
		"SELECT COUNT(*) FROM calls WHERE answered_at IS NOT NULL" 2>/dev/null)" = 1 ] && break
	sleep 0.05
done
sleep 0.5

stop_server    # SIGTERM; fails the test unless exit 0 within 5 s
sipp_wait caller || { cat "$TEST_DIR/caller.err" >&2; fail "caller got no BYE at shutdown"; }
sipp_wait agent || { cat "$TEST_DIR/agent.err" >&2; fail "agent got no BYE at shutdown"; }
ok "SIGTERM: both legs got a BYE, exit 0 within 5 s"

sqlite3 "$DATA_DIR/hotline.db" \
	"SELECT answered_at IS NOT NULL, ended_at IS NOT NULL, hangup_by, hangup_cause FROM calls" \
	>"$TEST_DIR/rows"
[ "$(cat "$TEST_DIR/rows")" = "1|1|system|shutdown" ] ||
	fail "call record after shutdown: $(cat "$TEST_DIR/rows")"
ok "the record was flushed: answered, ended by the system at shutdown"
