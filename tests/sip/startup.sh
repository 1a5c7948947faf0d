#!/usr/bin/env bash
# Starting SIP: a port in use (UDP or TCP) is one line on stderr and exit 2
# with nothing created; once up, dialog methods pass to the session layer
# (an INVITE for a number nothing answers reaches the call module: 404).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/common.bash"

for proto in udp tcp; do
	python3 - "$proto" "$TEST_DIR/held" <<'PY' &
import socket, sys, time
kind = socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM
s = socket.socket(socket.AF_INET, kind)
s.bind(("127.0.0.1", 0))
if kind == socket.SOCK_STREAM:
    s.listen()
open(sys.argv[2], "w").write(str(s.getsockname()[1]))
time.sleep(30)
PY
	holder=$!
	for _ in $(seq 1 100); do [ -s "$TEST_DIR/held" ] && break; sleep 0.05; done
	port=$(cat "$TEST_DIR/held"); rm -f "$TEST_DIR/held"
	rc=0
	"$HOTLINE" serve --demo --data "$TEST_DIR/never" --sip "127.0.0.1:$port" \
		--http "127.0.0.1:$(free_port)" >"$TEST_DIR/out" 2>"$TEST_DIR/err" || rc=$?
	kill "$holder"; wait "$holder" 2>/dev/null || true
	[ "$rc" -eq 2 ] || fail "$proto port in use: exit $rc, want 2"
	[ "$(wc -l <"$TEST_DIR/err")" -eq 1 ] || fail "want one line: $(cat "$TEST_DIR/err")"
	grep -q "^hotline serve: cannot listen for SIP on 127.0.0.1:$port/$proto: Address already in use$" "$TEST_DIR/err" ||
		fail "unclear: $(cat "$TEST_DIR/err")"
	[ ! -s "$TEST_DIR/out" ] || fail "printed on stdout: $(cat "$TEST_DIR/out")"
	[ ! -e "$TEST_DIR/never" ] || fail "data directory created"
	ok "$proto port in use → one line, exit 2, nothing created"
done

start_server
got=$(sip_raw <<-MSG
	INVITE sip:4009999999@127.0.0.1:$SIP_PORT SIP/2.0
	Via: SIP/2.0/UDP {src}:{lport};branch={branch};rport
	From: <sip:caller@{src}>;tag=1
	To: <sip:4009999999@127.0.0.1>
	Call-ID: {callid}
	CSeq: 1 INVITE
	Contact: <sip:caller@{src}:{lport}>
	Max-Forwards: 70
	Content-Length: 0
	MSG
)
[ "$got" = "SIP/2.0 404 Not Found" ] || fail "INVITE: $got"
ok "INVITE reaches the call module (404 for a number nothing answers)"
stop_server
