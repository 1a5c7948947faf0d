#!/usr/bin/env bash
# Bad input: broken requests get 400 with a reason (413 when too big, 405
# for a method we do not take), unparseable ones are dropped, nothing
# crashes, nothing stored changes, and the server answers OPTIONS after.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/common.bash"
start_server
SIPP_PORT=$(free_port) sipp_ok register -s 1009 -au 1009 -ap secret1009 -key expires 3600
wait_value "SELECT count(*) FROM registrations" 1

# expect WANT [sipraw flags] <<MSG: the status line the message gets.
expect() {
	local want=$1; shift
	local got
	got=$(sip_raw "$@")
	[ "$got" = "$want" ] || fail "want '$want', got '$got'"
	kill -0 "$SERVER_PID" || fail "server died"
}

HDRS="Via: SIP/2.0/UDP {src}:{lport};branch={branch};rport
From: <sip:x@{src}>;tag=1
To: <sip:127.0.0.1>
Max-Forwards: 70"

expect "SIP/2.0 400 Missing Call-ID header" <<-MSG
	OPTIONS sip:127.0.0.1 SIP/2.0
	$HDRS
	CSeq: 1 OPTIONS
	Content-Length: 0
	MSG
expect "SIP/2.0 400 Missing CSeq header" <<-MSG
	OPTIONS sip:127.0.0.1 SIP/2.0
	$HDRS
	Call-ID: {callid}
	Content-Length: 0
	MSG
expect "SIP/2.0 400 CSeq method does not match the request" <<-MSG
	OPTIONS sip:127.0.0.1 SIP/2.0
	$HDRS
	Call-ID: {callid}
	CSeq: 1 INVITE
	Content-Length: 0
	MSG
expect "SIP/2.0 400 Content-Length exceeds the message" <<-MSG
	OPTIONS sip:127.0.0.1 SIP/2.0
	$HDRS
	Call-ID: {callid}
	CSeq: 1 OPTIONS
	Content-Length: 50

	only a few bytes
	MSG
expect "SIP/2.0 400 Bad Content-Length" <<-MSG
	OPTIONS sip:127.0.0.1 SIP/2.0
	$HDRS
	Call-ID: {callid}
	CSeq: 1 OPTIONS
	Content-Length: lots
	MSG
expect "SIP/2.0 413 Request Entity Too Large" <<-MSG
	OPTIONS sip:127.0.0.1 SIP/2.0
	$HDRS
	Call-ID: {callid}
	CSeq: 1 OPTIONS
	Content-Length: 100000
	MSG
expect "SIP/2.0 405 Method Not Allowed" <<-MSG
	SUBSCRIBE sip:127.0.0.1 SIP/2.0
	$HDRS
	Call-ID: {callid}
	CSeq: 1 SUBSCRIBE
	Content-Length: 0
	MSG
ok "missing Call-ID / CSeq, CSeq mismatch, bad lengths → 400; too big → 413; SUBSCRIBE → 405"

REG="REGISTER sip:127.0.0.1 SIP/2.0
Via: SIP/2.0/UDP {src}:{lport};branch={branch};rport
From: <sip:1010@127.0.0.1>;tag=1
To: <sip:1010@127.0.0.1>
Max-Forwards: 70
Call-ID: {callid}
CSeq: 1 REGISTER"
expect "SIP/2.0 400 Bad Contact header" --auth 1010:secret1010 <<-MSG
	$REG
	Contact: <sip:1010@{src}:{lport}
	Content-Length: 0
	MSG
expect "SIP/2.0 400 Bad Expires value" --auth 1010:secret1010 <<-MSG
	$REG
	Contact: <sip:1010@{src}:{lport}>;expires=soon
	Content-Length: 0
	MSG
expect "SIP/2.0 400 Contact * needs Expires: 0 and no other Contact" --auth 1010:secret1010 <<-MSG
	$REG
	Contact: *
	Expires: 60
	Content-Length: 0
	MSG
expect "SIP/2.0 400 Bad Authorization header" <<-MSG
	$REG
	Contact: <sip:1010@{src}:{lport}>
	Authorization: Digest username="1010"
	Content-Length: 0
	MSG
expect "SIP/2.0 404 Not Found" <<-MSG
	REGISTER sip:127.0.0.1 SIP/2.0
	Via: SIP/2.0/UDP {src}:{lport};branch={branch};rport
	From: <sip:127.0.0.1>;tag=1
	To: <sip:127.0.0.1>
	Call-ID: {callid}
	CSeq: 1 REGISTER
	Content-Length: 0
	MSG
ok "bad Contact, bad Expires, bad wildcard, bad credentials → 400; no user → 404"

# Unparseable: garbage, a request line only, binary, a huge header; UDP and TCP.
expect "NO REPLY" --wait 0.5 <<<"hello there"
expect "NO REPLY" --wait 0.5 <<<"INVITE"
head -c 3000 /dev/urandom | expect "NO REPLY" --raw --wait 0.5
python3 -c "print('OPTIONS sip:127.0.0.1 SIP/2.0\nVia: ' + 'x' * 60000 + '\n')" |
	expect "NO REPLY" --wait 0.5
python3 -c "print('OPTIONS sip:127.0.0.1 SIP/2.0\nX-Big: ' + 'x' * 70000 + '\n')" |
	expect "NO REPLY" --tcp --wait 1
head -c 5000 /dev/urandom | expect "NO REPLY" --tcp --raw --wait 0.5
ok "garbage over UDP and TCP, and a 70 KB TCP message, are dropped without a crash"

sipp_ok options
SIPP_PORT=$(free_port) sipp_ok options -t t1
[ "$(db_value "SELECT count(*) FROM registrations WHERE ext = '1009'")" = 1 ] || fail "binding lost"
ok "OPTIONS over UDP and TCP still 200; the binding made before is intact"
stop_server
