#!/usr/bin/env bash
# An INVITE whose body is multipart/mixed (RFC 5621), as carriers send SDP
# beside ISUP or other parts, is a call like any other: the SDP part is
# answered. A multipart body with no SDP in it gets 415.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/common.bash"
start_server

# invite CONTENT_TYPE BODY_FILE: the status line an INVITE to the sales
# queue (answered at once, music on hold) gets.
invite() {
	local len
	len=$(wc -c <"$2")
	{ printf 'INVITE sip:4008003000@127.0.0.1 SIP/2.0\r\n'
	  printf 'Via: SIP/2.0/UDP {src}:{lport};branch={branch};rport\r\n'
	  printf 'From: <sip:13800138000@{src}>;tag=m%s\r\n' "$RANDOM"
	  printf 'To: <sip:4008003000@127.0.0.1>\r\n'
	  printf 'Call-ID: {callid}\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n'
	  printf 'Contact: <sip:13800138000@{src}:{lport}>\r\n'
	  printf 'Content-Type: %s\r\nContent-Length: %s\r\n\r\n' "$1" "$len"
	  cat "$2"; } | sip_raw --raw --wait 3
}

printf '%s\r\n' '--xyz' 'Content-Type: application/ISUP;version=itu-t92+' '' \
	'not really ISUP' '--xyz' 'Content-Type: application/sdp' '' 'v=0' \
	'o=c 1 1 IN IP4 127.0.0.1' 's=-' 'c=IN IP4 127.0.0.1' 't=0 0' \
	'm=audio 40000 RTP/AVP 8' 'a=rtpmap:8 PCMA/8000' '--xyz--' >"$TEST_DIR/with_sdp"
got=$(invite 'multipart/mixed;boundary=xyz' "$TEST_DIR/with_sdp")
[ "$got" = "SIP/2.0 200 OK" ] || fail "multipart with SDP: $got"
wait_value "SELECT count(*) FROM calls WHERE callee = '4008003000'" 1
ok "a multipart/mixed INVITE with an SDP part is answered"

printf '%s\r\n' '--xyz' 'Content-Type: text/plain' '' 'hello' '--xyz--' >"$TEST_DIR/no_sdp"
got=$(invite 'multipart/mixed;boundary=xyz' "$TEST_DIR/no_sdp")
[ "$got" = "SIP/2.0 415 Unsupported Media Type" ] || fail "multipart without SDP: $got"
ok "a multipart body without SDP gets 415"
stop_server
