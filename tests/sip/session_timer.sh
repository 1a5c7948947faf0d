#!/usr/bin/env bash
# SIP session timers (RFC 4028), with sip.session_expires_s = 6 and
# sip.min_se_s = 3 so the test takes seconds (RTP inactivity off, so only
# the timers end calls). A caller asking for 90 s gets 6 s in the 200 with
# Require: timer and, refreshing every 2 s, keeps its call; one that stops
# refreshing gets our BYE before the 6 s are out, cause session_expired; one
# asking for 2 s gets 422 with Min-SE: 3; one naming no refresher is
# refreshed by us (re-INVITE); one that refreshed once and then stopped is
# taken over (our re-INVITE, not a BYE: libre's 200 to its refresh could
# not repeat the timer), and the call ends when that gets 481; an agent's phone that takes the refresher's part
# and never refreshes ends the call too, both legs.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"
source "$(dirname "$0")/common.bash"

printf '[sip]\nsession_expires_s = 6\nmin_se_s = 3\n[call]\nrtp_timeout_s = 0\n' \
	>"$TEST_DIR/hotline.ini"
start_server --config "$TEST_DIR/hotline.ini"
ended() { db_value "SELECT count(*) FROM calls WHERE ended_at IS NOT NULL"; }
cause() { db_value "SELECT hangup_by || ' ' || hangup_cause FROM calls ORDER BY started_at DESC LIMIT 1"; }

call_to refresher "$SCEN/caller_timer_refresh.xml" 4008003000
wait_value "SELECT count(*) FROM calls WHERE ended_at IS NOT NULL" 1
[ "$(cause)" = "caller bye" ] || fail "the refreshed call ended as '$(cause)'"
talk=$(db_value "SELECT ended_at - started_at FROM calls")
[ "$talk" -ge 6000 ] || fail "the refreshed call lasted $talk ms, want past the 6 s interval"
ok "Session-Expires: 90 is granted as 6;refresher=uac with Require: timer; refreshed every 2 s, the call lasted $talk ms"

call_to silent "$SCEN/caller_timer_silent.xml" 4008003000 -timeout 15s
wait_value "SELECT count(*) FROM calls WHERE ended_at IS NOT NULL" 2
[ "$(cause)" = "system session_expired" ] || fail "the unrefreshed call ended as '$(cause)'"
# RFC 4028 10: BYE at the interval less min(32 s, a third): 4 s, swept
# once a second.
talk=$(db_value "SELECT ended_at - started_at FROM calls ORDER BY started_at DESC LIMIT 1")
[ "$talk" -ge 3900 ] && [ "$talk" -le 6000 ] || fail "ended $talk ms after the start, want 4000..5000"
grep -q "call.session_expired .*leg=customer interval_s=6 refresher=peer" "$TEST_DIR/server.err" ||
	fail "no call.session_expired line for the customer"
ok "a caller that stops refreshing gets our BYE $talk ms in: system, session_expired"

call_to brief "$SCEN/caller_timer_brief.xml" 4008003000 -key se 2
[ "$(ended)" = 2 ] && [ "$(db_value 'SELECT count(*) FROM calls')" = 2 ] ||
	fail "the refused call left a record"
ok "Session-Expires: 2 gets 422 with Min-SE: 3"

call_to ours "$SCEN/caller_timer_ours.xml" 4008003000
wait_value "SELECT count(*) FROM calls WHERE ended_at IS NOT NULL" 3
[ "$(cause)" = "caller bye" ] || fail "the call we refreshed ended as '$(cause)'"
grep -q "call.session_refresh .*leg=customer interval_s=6 err=0" "$TEST_DIR/server.err" ||
	fail "no refresh of ours in the log"
ok "a caller naming no refresher gets refresher=uas and our re-INVITE, answers it and hangs up"

call_to once "$SCEN/caller_timer_once.xml" 4008003000
wait_value "SELECT count(*) FROM calls WHERE ended_at IS NOT NULL" 4
[ "$(cause)" = "caller bye" ] || fail "the call we took over ended as '$(cause)'"
grep -q "call.session_takeover .*leg=customer" "$TEST_DIR/server.err" || fail "no takeover in the log"
ok "a caller that refreshed once and then stopped is re-INVITEd by us at expiry, not hung up"

call_to gone "$SCEN/caller_timer_gone.xml" 4008003000
wait_value "SELECT count(*) FROM calls WHERE ended_at IS NOT NULL" 5
[ "$(cause)" = "system session_expired" ] || fail "the refresh answered 481 ended the call as '$(cause)'"
ok "our refresh answered 481 ends the call: system, session_expired"

AGENT_PORT=$(free_port)
register 1001 secret1001 "$AGENT_PORT"
sipp_bg agent agent_timer_silent.xml -p "$AGENT_PORT" -mi 127.0.0.1 -mp "$(free_port)"
sleep 0.3
sipp_bg caller caller_timer_ours_wait.xml -s 4008003000 -p "$(free_port)" \
	-mi 127.0.0.1 -mp "$(free_port)" "127.0.0.1:$SIP_PORT"
sipp_wait agent || { cat "$TEST_DIR/agent.err" >&2; fail "the agent's phone did not go as scripted"; }
sipp_wait caller || { cat "$TEST_DIR/caller.err" >&2; fail "the caller did not go as scripted"; }
wait_value "SELECT count(*) FROM calls WHERE ended_at IS NOT NULL" 6
[ "$(cause)" = "system session_expired" ] || fail "the agent's expired leg ended the call as '$(cause)'"
[ "$(db_value "SELECT agent FROM calls ORDER BY started_at DESC LIMIT 1")" = 1001 ] ||
	fail "the call never reached 1001"
grep -q "call.session_expired .*leg=agent interval_s=6 refresher=peer" "$TEST_DIR/server.err" ||
	fail "no call.session_expired line for the agent"
ok "our INVITE to the agent offers Session-Expires: 6; its phone not refreshing ends both legs with BYE (session_expired)"
stop_server
