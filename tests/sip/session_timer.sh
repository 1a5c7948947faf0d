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

# The conference's phones stay on their ports: its sipp caller re-INVITEs
# every 2 s, and a script answers no re-INVITE it was not written for
# (call_conference.sh has phones that move).
printf '[sip]\nsession_expires_s = 6\nmin_se_s = 3\n[call]\nrtp_timeout_s = 0\nconference_one_port = false\n' \
	>"$TEST_DIR/hotline.ini"
start_server --config "$TEST_DIR/hotline.ini"
TOKEN=$(admin_token)
http PUT /api/v1/queues/sales '{"wrapup_ms":0}' "$TOKEN" >/dev/null
expect_status 200 "no wrap-up"
# The six callers' cases (no agent: they wait in support, whose agents
# 1006-1010 are not here) run side by side, and beside the agent's and
# the conference's cases in sales; each caller calls from its own number,
# and every check names its call by that number (a log line by the
# call's id). One after the other, their session intervals took most of
# a minute. caller NAME SCENARIO FROM NUMBER [sipp flags]: that scenario
# from FROM to NUMBER in the background, its pid in PID_NAME; caller_done
# NAME awaits it.
caller() {
	local name=$1 scen=$2 from=$3 to=$4; shift 4
	sed "s/13800138000/$from/g" "$SCEN/$scen" >"$TEST_DIR/$name.xml"
	sipp -sf "$TEST_DIR/$name.xml" -s "$to" -i 127.0.0.1 -p "$(free_port)" \
		-mi 127.0.0.1 -mp "$(free_port)" -m 1 -timeout 20s -timeout_error \
		-trace_err -error_file "$TEST_DIR/$name.err" "$@" \
		"127.0.0.1:$SIP_PORT" >"$TEST_DIR/$name.out" 2>&1 &
	eval "PID_$name=$!"
}
caller_done() {
	eval "wait \$PID_$1" || { cat "$TEST_DIR/$1.err" >&2; fail "$1: the call did not go as scripted"; }
}
REFRESHER=13800000101 SILENT=13800000102 BRIEF=13800000103
OURS=13800000104 ONCE=13800000105 GONE=13800000106 TO_AGENT=13800000107
id_of() { db_value "SELECT id FROM calls WHERE caller = '$1'"; }
cause_of() { db_value "SELECT hangup_by || ' ' || hangup_cause FROM calls WHERE caller = '$1'"; }
wait_ended() { wait_value "SELECT count(*) FROM calls WHERE caller = '$1' AND ended_at IS NOT NULL" 1; }

caller refresher caller_timer_refresh.xml "$REFRESHER" 4008002000
caller silent caller_timer_silent.xml "$SILENT" 4008002000 -timeout 15s
caller brief caller_timer_brief.xml "$BRIEF" 4008002000 -key se 2
caller ours caller_timer_ours.xml "$OURS" 4008002000
caller once caller_timer_once.xml "$ONCE" 4008002000
caller gone caller_timer_gone.xml "$GONE" 4008002000

AGENT_PORT=$(free_port)
register 1001 secret1001 "$AGENT_PORT"
sipp_bg agent agent_timer_silent.xml -p "$AGENT_PORT" -mi 127.0.0.1 -mp "$(free_port)"
sleep 0.3
caller to_agent caller_timer_ours_wait.xml "$TO_AGENT" 4008003000 -timeout 30s
sipp_wait agent || { cat "$TEST_DIR/agent.err" >&2; fail "the agent's phone did not go as scripted"; }
caller_done to_agent
wait_ended "$TO_AGENT"
[ "$(cause_of "$TO_AGENT")" = "system session_expired" ] || fail "the agent's expired leg ended the call as '$(cause_of "$TO_AGENT")'"
[ "$(db_value "SELECT agent FROM calls WHERE caller = '$TO_AGENT'")" = 1001 ] ||
	fail "the call never reached 1001"
grep -q "call.session_expired id=$(id_of "$TO_AGENT") leg=agent interval_s=6 refresher=peer" "$TEST_DIR/server.err" ||
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
CALL_ID=$(db_row "SELECT id FROM calls WHERE answered_at IS NOT NULL AND ended_at IS NULL AND agent = '1001'" \
	"1001 never answered the long call")
http POST "/api/v1/calls/$CALL_ID/conference" '{"to":"1002"}' "$TOKEN" >/dev/null
expect_status 202 "conference with 1002"
sipp_wait third || { cat "$TEST_DIR/third.err" >&2; fail "1002's phone did not go as scripted"; }
wait_log "call.conference id=$CALL_ID left=1002 why=session_expired"
[ -z "$(db_value "SELECT ended_at FROM calls WHERE id = '$CALL_ID'")" ] || fail "the call ended with its third party"
sipp_wait caller || { cat "$TEST_DIR/caller.err" >&2; fail "the refreshing caller did not go as scripted"; }
sipp_wait agent || { cat "$TEST_DIR/agent.err" >&2; fail "1001 did not go as scripted"; }
wait_value "SELECT hangup_by || ' ' || hangup_cause FROM calls WHERE id = '$CALL_ID'" "caller bye"
ok "a conference party whose phone stops refreshing leaves (session_expired); the call goes on to the caller's BYE"

for c in refresher silent brief ours once gone; do caller_done $c; done

wait_ended "$REFRESHER"
[ "$(cause_of "$REFRESHER")" = "caller bye" ] || fail "the refreshed call ended as '$(cause_of "$REFRESHER")'"
talk=$(db_value "SELECT ended_at - started_at FROM calls WHERE caller = '$REFRESHER'")
[ "$talk" -ge 6000 ] || fail "the refreshed call lasted $talk ms, want past the 6 s interval"
ok "Session-Expires: 90 is granted as 6;refresher=uac with Require: timer; refreshed every 2 s, the call lasted $talk ms"

wait_ended "$SILENT"
[ "$(cause_of "$SILENT")" = "system session_expired" ] || fail "the unrefreshed call ended as '$(cause_of "$SILENT")'"
# RFC 4028 10: BYE at the interval less min(32 s, a third): 4 s after the
# answer, swept once a second (and later on a loaded machine).
talk=$(db_value "SELECT ended_at - started_at FROM calls WHERE caller = '$SILENT'")
[ "$talk" -ge 3900 ] && [ "$talk" -le 8000 ] || fail "ended $talk ms after the start, want about 4000..5000"
grep -q "call.session_expired id=$(id_of "$SILENT") leg=customer interval_s=6 refresher=peer" "$TEST_DIR/server.err" ||
	fail "no call.session_expired line for the customer"
ok "a caller that stops refreshing gets our BYE $talk ms in: system, session_expired"

wait_ended "$OURS"
[ "$(cause_of "$OURS")" = "caller bye" ] || fail "the call we refreshed ended as '$(cause_of "$OURS")'"
grep -q "call.session_refresh id=$(id_of "$OURS") leg=customer interval_s=6 err=0" "$TEST_DIR/server.err" ||
	fail "no refresh of ours in the log"
ok "a caller naming no refresher gets refresher=uas and our re-INVITE, answers it and hangs up"

wait_ended "$ONCE"
[ "$(cause_of "$ONCE")" = "caller bye" ] || fail "the call we took over ended as '$(cause_of "$ONCE")'"
grep -q "call.session_takeover id=$(id_of "$ONCE") leg=customer" "$TEST_DIR/server.err" || fail "no takeover in the log"
ok "a caller that refreshed once and then stopped is re-INVITEd by us at expiry, not hung up"

wait_ended "$GONE"
[ "$(cause_of "$GONE")" = "system session_expired" ] || fail "the refresh answered 481 ended the call as '$(cause_of "$GONE")'"
ok "our refresh answered 481 ends the call: system, session_expired"

# Checked last, once the other five have their records: the refused call
# made none.
FIVE="'$REFRESHER', '$SILENT', '$OURS', '$ONCE', '$GONE'"
[ "$(db_value "SELECT count(*) FROM calls WHERE caller = '$BRIEF'")" = 0 ] &&
	[ "$(db_value "SELECT count(*) FROM calls WHERE caller IN ($FIVE) AND ended_at IS NOT NULL")" = 5 ] &&
	[ "$(db_value "SELECT count(*) FROM calls WHERE caller IN ($FIVE)")" = 5 ] ||
	fail "the refused call left a record"
ok "Session-Expires: 2 gets 422 with Min-SE: 3"
stop_server
