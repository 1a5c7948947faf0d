#!/usr/bin/env bash
# SIP session timers (RFC 4028), with sip.session_expires_s = 6 and
# sip.min_se_s = 3 so the test takes seconds (RTP inactivity off, so only
# the timers end calls). A caller asking for 90 s gets 6 s in the 200 with
# Require: timer and, refreshing every 2 s, keeps its call; one that stops
# refreshing gets our BYE before the 6 s are out, cause session_expired; one
# asking for 2 s gets 422 with Min-SE: 3; one naming no refresher is
# refreshed by us (re-INVITE); one that refreshed once and then stopped is
# taken over (our re-INVITE, not a BYE: libre's 200 to its refresh could
# not repeat the timer), and the call ends when that gets 481; an agent's
# phone that takes the refresher's part and never refreshes ends the call
# too, both legs; a conference party's doing the same only leaves.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"
source "$(dirname "$0")/common.bash"

printf '[sip]\nsession_expires_s = 6\nmin_se_s = 3\n[call]\nrtp_timeout_s = 0\n' \
	>"$TEST_DIR/hotline.ini"
start_server --config "$TEST_DIR/hotline.ini"
TOKEN=$(admin_token)
http PUT /api/v1/queues/sales '{"wrapup_ms":0}' "$TOKEN" >/dev/null
expect_status 200 "no wrap-up"
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
# RFC 4028 10: BYE at the interval less min(32 s, a third): 4 s after the
# answer, swept once a second (and later on a loaded machine).
talk=$(db_value "SELECT ended_at - started_at FROM calls ORDER BY started_at DESC LIMIT 1")
[ "$talk" -ge 3900 ] && [ "$talk" -le 8000 ] || fail "ended $talk ms after the start, want about 4000..5000"
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

# A conference's third party (1002, not ready: no queue calls) whose phone
# takes the refresher's part and never refreshes leaves at expiry; the
# caller (refreshing) and 1001 talk on until the caller hangs up.
P2=$(free_port)
register 1002 secret1002 "$P2"
http PUT /api/v1/agents/1002/state '{"state":"not_ready","reason":"meeting"}' "$TOKEN" >/dev/null
expect_status 200 "1002 takes no queue calls"
sipp_bg agent agent_answer.xml -p "$AGENT_PORT" -mi 127.0.0.1 -mp "$(free_port)"
sipp_bg third agent_timer_silent.xml -p "$P2" -mi 127.0.0.1 -mp "$(free_port)"
sleep 0.3
sipp_bg caller caller_timer_long.xml -s 4008003000 -p "$(free_port)" \
	-mi 127.0.0.1 -mp "$(free_port)" "127.0.0.1:$SIP_PORT"
CALL_ID=
for _ in $(seq 1 100); do
	CALL_ID=$(db_value "SELECT id FROM calls WHERE answered_at IS NOT NULL AND ended_at IS NULL AND agent = '1001'")
	[ -n "$CALL_ID" ] && break
	sleep 0.1
done
[ -n "$CALL_ID" ] || fail "1001 never answered the long call"
http POST "/api/v1/calls/$CALL_ID/conference" '{"to":"1002"}' "$TOKEN" >/dev/null
expect_status 202 "conference with 1002"
sipp_wait third || { cat "$TEST_DIR/third.err" >&2; fail "1002's phone did not go as scripted"; }
wait_log "call.conference id=$CALL_ID left=1002 why=session_expired"
[ -z "$(db_value "SELECT ended_at FROM calls WHERE id = '$CALL_ID'")" ] || fail "the call ended with its third party"
sipp_wait caller || { cat "$TEST_DIR/caller.err" >&2; fail "the refreshing caller did not go as scripted"; }
sipp_wait agent || { cat "$TEST_DIR/agent.err" >&2; fail "1001 did not go as scripted"; }
wait_value "SELECT hangup_by || ' ' || hangup_cause FROM calls WHERE id = '$CALL_ID'" "caller bye"
ok "a conference party whose phone stops refreshing leaves (session_expired); the call goes on to the caller's BYE"
stop_server
