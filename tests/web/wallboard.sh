#!/usr/bin/env bash
# The supervisor's wallboard in a real browser: a caller waits in support
# (no agent there is signed in) and the wallboard shows the queue filling;
# agent 1006's phone registers, 1006 turns ready and takes the call, and
# the wallboard shows 1006 talking with the caller's number and the queue
# empty again. Switched to English, the same board reads in English.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../sip/lib_sip.bash"
source "$(dirname "$0")/lib_web.bash"

start_server
web_start wallboard.mjs
web_wait board
sipp_bg caller caller_stay.xml -s 4008002000 -d 30000 -timeout 60s -p "$(free_port)" \
	-mi 127.0.0.1 -mp "$(free_port)" "127.0.0.1:$SIP_PORT"
web_wait waiting
ok "the wallboard showed a caller waiting in support"
P=$(free_port)
sipp_bg a6 agent_answer.xml -p "$P" -mi 127.0.0.1 -mp "$(free_port)" -timeout 60s
register 1006 secret1006 "$P"
web_wait talking
ok "the wallboard showed 1006 ready, then talking to the caller, support empty"
sipp_wait caller || { cat "$TEST_DIR/caller.err" >&2; fail "caller failed"; }
sipp_wait a6 || { cat "$TEST_DIR/a6.err" >&2; fail "1006's phone failed"; }
web_end
stop_server
