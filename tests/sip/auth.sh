#!/usr/bin/env bash
# Digest failures: a wrong password gets one more challenge and then 403;
# ten failures within a minute from one address ban it (its requests are
# dropped, logged once as sip.ban) while other addresses carry on.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/common.bash"
# The demo's extensions, then a restart without the demo: there loopback is
# no trusted trunk, so failures ban a whole address. (At a trusted address
# they ban a user there: tests/sip/ban_dialog.sh.)
start_server
stop_server
NO_DEMO=1 start_server

sipp_ok register_badpw -s 1003 -au 1003 -ap wrong
grep -q 'WWW-Authenticate: Digest realm="hotline"' <<<"$(sipp_received 401)" ||
	fail "401 without our realm"
[ "$(db_value "SELECT count(*) FROM registrations")" = 0 ] || fail "a wrong password bound"
ok "wrong password → 401, again 401 (new challenge), then 403"

sipp_ok register_404 -s 1011 -key expires 300
ok "unknown extension → 404"

# So far 127.0.0.1 failed 3 times: well under the limit, still served.
sipp_ok register -s 1003 -au 1003 -ap secret1003 -key expires 300
ok "the right password from the same address still registers"

options() {
	sip_raw --src "$1" --wait 1 <<-MSG
	OPTIONS sip:127.0.0.1:$SIP_PORT SIP/2.0
	Via: SIP/2.0/UDP {src}:{lport};branch={branch};rport
	From: <sip:probe@{src}>;tag=1
	To: <sip:127.0.0.1:$SIP_PORT>
	Call-ID: {callid}
	CSeq: 1 OPTIONS
	Max-Forwards: 70
	Content-Length: 0
	MSG
}
[ "$(options 127.0.0.2)" = "SIP/2.0 200 OK" ] || fail "127.0.0.2 not answered before the ban"

# 127.0.0.2 guesses: 4 runs of 2 failures, then an unknown extension and
# one more wrong password make 10.
for _ in 1 2 3 4; do
	SIPP_IP=127.0.0.2 sipp_ok register_badpw -s 1004 -au 1004 -ap guess
done
! grep -q "sip.ban" "$TEST_DIR/server.err" || fail "banned before 10 failures"
SIPP_IP=127.0.0.2 sipp_ok register_404 -s 1099 -key expires 300
[ "$(sip_raw --src 127.0.0.2 --auth 1004:guess <<-MSG
	REGISTER sip:127.0.0.1:$SIP_PORT SIP/2.0
	Via: SIP/2.0/UDP {src}:{lport};branch={branch};rport
	From: <sip:1004@127.0.0.1>;tag=1
	To: <sip:1004@127.0.0.1>
	Call-ID: {callid}
	CSeq: 1 REGISTER
	Contact: <sip:1004@{src}:{lport}>
	Max-Forwards: 70
	Content-Length: 0
	MSG
)" = "SIP/2.0 401 Unauthorized" ] || fail "the 10th failure is still answered (re-challenge)"
wait_log "warn sip.ban ip=127.0.0.2 "
ok "10 failures in a minute from 127.0.0.2 → sip.ban logged"

[ "$(options 127.0.0.2)" = "NO REPLY" ] || fail "banned address still answered"
if SIPP_IP=127.0.0.2 sipp_run register -s 1004 -au 1004 -ap secret1004 -key expires 300; then
	fail "banned address registered"
fi
[ "$(db_value "SELECT count(*) FROM registrations WHERE ext = '1004'")" = 0 ] || fail "1004 bound"
ok "requests from 127.0.0.2 are dropped, even with the right password"

[ "$(options 127.0.0.1)" = "SIP/2.0 200 OK" ] || fail "127.0.0.1 not answered"
sipp_ok register -s 1005 -au 1005 -ap secret1005 -key expires 300
[ "$(grep -c 'sip.ban ' "$TEST_DIR/server.err")" -eq 1 ] || fail "sip.ban logged more than once"
ok "other addresses are served; the ban was logged once"
stop_server
