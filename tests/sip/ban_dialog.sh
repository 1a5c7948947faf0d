#!/usr/bin/env bash
# A ban never strands a call, and in the demo (loopback trusted as a trunk)
# mistyped passwords ban a user at the address, never the trunk's calls.
#  1. A trunk caller (13800138000 from 127.0.0.1) waits in the sales queue;
#     ten bad REGISTERs claiming to be that caller get that caller banned:
#     a new request from it is dropped, yet its BYE still ends the live
#     call (in-dialog requests pass a ban).
#  2. Ten mistyped passwords of extension 1001 from 127.0.0.1 ban 1001
#     there (its right password is dropped too), and a trunk call from
#     127.0.0.1 is still answered.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"
source "$(dirname "$0")/common.bash"
start_server

# bad_register FROM_USER: one REGISTER of 1001 with a wrong password.
bad_register() {
	sip_raw --auth 1001:wrong <<-MSG >/dev/null
	REGISTER sip:127.0.0.1 SIP/2.0
	Via: SIP/2.0/UDP {src}:{lport};branch={branch};rport
	From: <sip:$1@127.0.0.1>;tag=b$RANDOM
	To: <sip:1001@127.0.0.1>
	Call-ID: {callid}
	CSeq: 1 REGISTER
	Max-Forwards: 70
	Contact: <sip:1001@{src}:{lport}>
	Content-Length: 0
	MSG
}

# options FROM_USER: the status line an OPTIONS from that user gets.
options() {
	sip_raw --wait 1 <<-MSG
	OPTIONS sip:127.0.0.1 SIP/2.0
	Via: SIP/2.0/UDP {src}:{lport};branch={branch};rport
	From: <sip:$1@127.0.0.1>;tag=o$RANDOM
	To: <sip:127.0.0.1>
	Call-ID: {callid}
	CSeq: 1 OPTIONS
	Max-Forwards: 70
	Content-Length: 0
	MSG
}

sipp_bg caller caller_stay.xml -s 4008003000 -p "$(free_port)" \
	-mi 127.0.0.1 -mp "$(free_port)" -d 6000 "127.0.0.1:$SIP_PORT"
wait_value "SELECT count(*) FROM calls WHERE ended_at IS NULL" 1
for _ in $(seq 1 10); do bad_register 13800138000; done
wait_log 'sip.ban ip=127.0.0.1 user=13800138000'
[ "$(options 13800138000)" = "NO REPLY" ] || fail "the banned caller is still answered"
[ "$(options 13900139000)" = "SIP/2.0 200 OK" ] || fail "another caller at 127.0.0.1 is refused"
ok "ten bad REGISTERs ban that caller at 127.0.0.1, not the address"
sipp_wait caller || { cat "$TEST_DIR/caller.err" >&2; fail "the banned caller's BYE did not end the call"; }
wait_value "SELECT hangup_by || ' ' || hangup_cause FROM calls WHERE ended_at IS NOT NULL" "caller bye"
ok "the banned caller's BYE (in its dialog) still ends the live call"

for _ in $(seq 1 10); do bad_register 1001; done
wait_log 'sip.ban ip=127.0.0.1 user=1001 '
got=$(sip_raw --wait 1 --auth 1001:secret1001 <<-MSG
	REGISTER sip:127.0.0.1 SIP/2.0
	Via: SIP/2.0/UDP {src}:{lport};branch={branch};rport
	From: <sip:1001@127.0.0.1>;tag=1
	To: <sip:1001@127.0.0.1>
	Call-ID: {callid}
	CSeq: 1 REGISTER
	Max-Forwards: 70
	Contact: <sip:1001@{src}:{lport}>
	Content-Length: 0
	MSG
)
[ "$got" = "NO REPLY" ] || fail "1001 not banned at 127.0.0.1: $got"
sed "s/13800138000/13700137000/g" "$SCEN/caller_stay.xml" >"$TEST_DIR/trunk.xml"
call_to trunk "$TEST_DIR/trunk.xml" 4008003000 -d 500
wait_value "SELECT count(*) FROM calls WHERE caller = '13700137000' AND ended_at IS NOT NULL" 1
ok "1001's mistyped passwords ban 1001 at 127.0.0.1; a trunk call from there is answered"
stop_server
