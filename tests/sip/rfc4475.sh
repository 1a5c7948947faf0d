#!/usr/bin/env bash
# RFC 4475 (SIP torture test messages): every message of its section 3, as
# the RFC's archive holds it (tests/sip/rfc4475/NAME.dat, README there), is
# sent over UDP and over TCP to a fresh server, and gets the answer the RFC
# expects of an endpoint: the status code, or no answer at all ("-") where
# the RFC says the message is dropped (a stray response; an unreadable
# message). The top Via gets ";rport" and a unique branch (sipraw.py
# --own-via) so that a UDP answer comes back to the test and messages that
# share a branch are not taken for retransmissions of each other. The server must survive all of it.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/common.bash"
start_server
DIR="$SIP_TESTS/rfc4475"

# NAME UDP TCP   (RFC 4475 section; why that answer). Over TCP, a message
# libre's parser refuses closes the connection without an answer (the
# stream has lost its framing); over UDP raw.c answers it. "(libre)" marks
# a message the RFC calls valid that libre 1.1.0 cannot parse: it gets 400,
# not silence, but not the answer a full parser would give either.
TABLE="
wsinv      481 481   3.1.1.1  valid; a To tag but no such dialog
intmeth    501 501   3.1.1.2  valid; an unknown method
esc01      404 404   3.1.1.3  valid; no such number
escnull    404 404   3.1.1.4  valid; no such extension to register
esc02      501 501   3.1.1.5  valid; RE%47IST%45R is not REGISTER
lwsdisp    200 200   3.1.1.6  valid OPTIONS
longreq    400 -     3.1.1.7  valid, but libre cannot parse it (libre)
dblreq     404 404   3.1.1.8  valid; the bytes after Content-Length are not a message
semiuri    200 200   3.1.1.9  valid OPTIONS
transports 200 200   3.1.1.10 valid OPTIONS
mpart01    405 405   3.1.1.11 valid; MESSAGE is not taken here
unreason   -   -     3.1.1.12 a response to no request of ours
noreason   -   -     3.1.1.13 a response to no request of ours
badinv01   400 -     3.1.2.1  extraneous separators
clerr      413 -     3.1.2.2  Content-Length 9999: more than we take (TCP: waits for it)
ncl        400 400   3.1.2.3  negative Content-Length
scalar02   400 400   3.1.2.4  overlarge CSeq and Expires
scalarlg   -   -     3.1.2.5  a response to no request of ours
quotbal    400 400   3.1.2.6  unterminated quoted string
ltgtruri   400 -     3.1.2.7  Request-URI in <>
lwsruri    400 -     3.1.2.8  LWS in the Request-URI
lwsstart   400 -     3.1.2.9  several SP in the Request-Line
trws       400 -     3.1.2.10 SP after the SIP version
escruri    400 400   3.1.2.11 escaped headers in the Request-URI
baddate    400 400   3.1.2.12 a Date in EST
regbadct   400 400   3.1.2.13 a Contact with ? not in <>
badaspec   400 400   3.1.2.14 spaces in an addr-spec
baddn      400 400   3.1.2.15 a display name with non-token characters
badvers    505 -     3.1.2.16 SIP/7.0
mismatch01 400 400   3.1.2.17 CSeq method is not the Request-Line's
mismatch02 400 400   3.1.2.18 CSeq method is not the Request-Line's
bigcode    -   -     3.1.2.19 a response (code 4294967301) to nothing
badbranch  200 200   3.2.1    a branch of only the magic cookie
insuf      400 400   3.3.1    From, To, Call-ID, CSeq missing
unkscm     416 416   3.3.2    nobody:... scheme
novelsc    416 416   3.3.3    soap.beep: we take sip only
unksm2     400 -     3.3.4    valid, but libre cannot parse a To of scheme isbn: (libre)
bext01     420 420   3.3.5    Require: nothingpossible
invut      415 415   3.3.6    Content-Type application/unknownformat
regaut01   404 404   3.3.7    unknown Authorization scheme ignored; no such extension
multi01    400 -     3.3.8    two To, two Call-ID, two Max-Forwards (TCP: waits for 2 more octets)
mcl01      400 400   3.3.9    two Content-Length values
bcast      -   -     3.3.10   a response (broadcast Via) to nothing
zeromf     200 200   3.3.11   Max-Forwards 0: we are the destination, not a proxy
cparam01   404 404   3.3.12   valid REGISTER; no such extension
cparam02   404 404   3.3.13   valid REGISTER; no such extension
regescrt   404 404   3.3.14   valid REGISTER; no such extension
sdp01      406 406   3.3.15   Accept: text/nonsense (we answer with SDP)
inv2543    400 -     3.4.1    RFC 2543 syntax: libre takes RFC 3261 requests only (libre)
"

# run TP: every message over TP; counts the answers that differ in fails.
# The messages go out all at once, each from its own socket (its own
# Call-ID, its own branch): a message the RFC wants unanswered costs the
# full wait for silence (--wait 2), and one after the other those waits
# took most of a minute. The answers are read in the table's order.
fails=0
run() {
	local tp=$1 name udp tcp sec why want got flags pids=()
	while read -r name udp tcp sec why; do
		[ -n "$name" ] || continue
		[ -f "$DIR/$name.dat" ] || fail "$name.dat missing"
		flags=(--raw --wait 2 --own-via)
		[ "$tp" = udp ] || flags+=(--tcp)
		sip_raw "${flags[@]}" <"$DIR/$name.dat" >"$TEST_DIR/$tp.$name.got" &
		pids+=($!)
	done <<<"$TABLE"
	for pid in "${pids[@]}"; do wait "$pid" || fail "sipraw.py failed over $tp"; done
	while read -r name udp tcp sec why; do
		[ -n "$name" ] || continue
		want=${!tp}
		got=$(cat "$TEST_DIR/$tp.$name.got")
		got=${got#SIP/2.0 }; got=${got%% *}
		[ "$got" = "NO" ] && got=-
		if [ "$got" != "$want" ]; then
			echo "  $name ($sec, $why) over $tp: want $want, got $got" >&2
			fails=$((fails + 1))
		fi
	done <<<"$TABLE"
	kill -0 "$SERVER_PID" || fail "server died at the messages over $tp"
}

# A request sent over UDP and again over TCP to one server would be the
# same request twice (merged, RFC 3261 8.2.2.2: 482): TCP gets a new one.
run udp
stop_server
start_server
run tcp
[ $fails = 0 ] || fail "$fails answers differ from RFC 4475's"
ok "every RFC 4475 message gets the answer the RFC expects, over UDP and TCP"

# 3.3.7 once more, for an extension that exists: an Authorization of a
# scheme we do not know is no credentials at all, so the answer is our
# challenge (not 400).
got=$(sip_raw <<-MSG
	REGISTER sip:127.0.0.1 SIP/2.0
	Via: SIP/2.0/UDP {src}:{lport};branch={branch};rport
	From: <sip:1001@127.0.0.1>;tag=87321hj23128
	To: <sip:1001@127.0.0.1>
	Call-ID: {callid}
	CSeq: 9338 REGISTER
	Max-Forwards: 8
	Contact: <sip:1001@{src}:{lport}>
	Authorization: NoOneKnowsThisScheme opaque-data=here
	Content-Length: 0
	MSG
)
[ "$got" = "SIP/2.0 401 Unauthorized" ] || fail "unknown Authorization scheme: $got"
ok "an unknown Authorization scheme is challenged"

# A Content-Length of 2^63 over TCP is refused, not waited for.
got=$(sip_raw --tcp <<-MSG
	OPTIONS sip:127.0.0.1 SIP/2.0
	Via: SIP/2.0/TCP {src}:{lport};branch={branch}
	From: <sip:x@{src}>;tag=1
	To: <sip:127.0.0.1>
	Call-ID: {callid}
	CSeq: 1 OPTIONS
	Max-Forwards: 70
	Content-Length: 9223372036854775808

	abc
	MSG
)
[ "$got" = "SIP/2.0 400 Bad Content-Length" ] || fail "Content-Length 2^63: $got"
ok "a TCP Content-Length of 2^63 gets 400"

sip_raw <<-MSG | grep -q "SIP/2.0 200" || fail "OPTIONS after the torture"
	OPTIONS sip:127.0.0.1 SIP/2.0
	Via: SIP/2.0/UDP {src}:{lport};branch={branch};rport
	From: <sip:x@{src}>;tag=1
	To: <sip:127.0.0.1>
	Call-ID: {callid}
	CSeq: 1 OPTIONS
	Max-Forwards: 70
	Content-Length: 0
	MSG
stop_server
ok "the server still answers and stops cleanly"
