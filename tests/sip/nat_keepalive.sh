#!/usr/bin/env bash
# Keep-alives to phones behind NAT, with sip.keepalive_s = 1 and
# sip.keepalive_misses = 2. Agent 1001 registers from 127.0.0.2 (the NAT's
# address) naming the private 192.168.77.7 in its Contact, as in nat.sh:
# OPTIONS reach it at the REGISTER's source every second; once it stops
# answering, its binding ends with reason keepalive (event and log).
# Then a restart: a stored UDP binding from behind NAT is kept and probed at
# once at its source; a stored TCP one from behind NAT, whose connection
# died with the old process, is dropped with reason flow_lost.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"
source "$(dirname "$0")/common.bash"

printf '[sip]\nkeepalive_s = 1\nkeepalive_misses = 2\n' >"$TEST_DIR/hotline.ini"
start_server --config "$TEST_DIR/hotline.ini"
NAT_PORT=$(free_port)
sipp -sf "$SCEN/register_nat.xml" -s 1001 -au 1001 -ap secret1001 \
	-key contact_host 192.168.77.7 -key expires 300 \
	-i 127.0.0.2 -p "$NAT_PORT" -m 1 -timeout 10s -timeout_error \
	-trace_err -error_file "$TEST_DIR/reg.err" "127.0.0.1:$SIP_PORT" \
	>"$TEST_DIR/reg.out" 2>&1 || { cat "$TEST_DIR/reg.err" >&2; fail "the REGISTER from behind NAT was refused"; }
# The phone listens where it registered from: the first keep-alive is due
# a second after the REGISTER.
sipp -sf "$SCEN/phone_keepalive.xml" -i 127.0.0.2 -p "$NAT_PORT" -m 1 \
	-timeout 15s -timeout_error -trace_err -error_file "$TEST_DIR/phone.err" \
	"127.0.0.1:$SIP_PORT" >"$TEST_DIR/phone.out" 2>&1 ||
	{ cat "$TEST_DIR/phone.err" >&2; fail "no three keep-alives at 127.0.0.2:$NAT_PORT"; }
ok "three OPTIONS keep-alives reached 1001 at its REGISTER's source 127.0.0.2:$NAT_PORT, answered"

wait_log "sip.unregistered ext=1001 contact=sip:1001@192.168.77.7:5060 source=127.0.0.2:$NAT_PORT transport=udp reason=keepalive contacts=0"
grep -q "sip.keepalive_lost ext=1001 .*misses=2" "$TEST_DIR/server.err" || fail "no sip.keepalive_lost line"
wait_value "SELECT count(*) FROM registrations WHERE ext = '1001'" 0
wait_value "SELECT count(*) FROM events WHERE type = 'agent.unregistered' AND subject = '1001'
	AND json_extract(data, '\$.reason') = 'keepalive' AND json_extract(data, '\$.contacts') = 0" 1
ok "once it stopped answering, two missed keep-alives ended 1001's binding: reason keepalive, event, row gone"

# A phone at its own address (registered from 127.0.0.1, Contact there) gets
# none: nothing listens at its Contact, yet it stays registered.
register 1002 secret1002 "$(free_port)"
sleep 3
[ "$(db_value "SELECT count(*) FROM registrations WHERE ext = '1002'")" = 1 ] ||
	fail "1002, not behind NAT, lost its binding"
grep -q "sip.keepalive_lost ext=1002" "$TEST_DIR/server.err" && fail "1002 was sent keep-alives"
ok "a phone not behind NAT is sent no keep-alives"
stop_server

UDP_PORT=$(free_port)
TCP_PORT=$(free_port)
future=$(( $(date +%s) * 1000 + 300000 ))
sqlite3 "$DATA_DIR/hotline.db" "INSERT INTO registrations(ext, contact, source,
	transport, expires_at, call_id, cseq, updated_at) VALUES
	('1003', 'sip:1003@192.168.77.9:5060', '127.0.0.2:$UDP_PORT', 'udp', $future, 'r1', 1, 0),
	('1004', 'sip:1004@192.168.77.10:5060;transport=tcp', '127.0.0.2:$TCP_PORT', 'tcp', $future, 'r2', 1, 0)"
sipp -sf "$SCEN/phone_keepalive.xml" -i 127.0.0.2 -p "$UDP_PORT" -m 1 \
	-timeout 20s -timeout_error -trace_err -error_file "$TEST_DIR/phone2.err" \
	"127.0.0.1:9" >"$TEST_DIR/phone2.out" 2>&1 &
PHONE_PID=$!
sleep 0.3
start_server --config "$TEST_DIR/hotline.ini"
wait "$PHONE_PID" || { cat "$TEST_DIR/phone2.err" >&2; fail "the restored UDP binding got no keep-alives at 127.0.0.2:$UDP_PORT"; }
[ "$(db_value "SELECT count(*) FROM registrations WHERE ext = '1003'")" = 1 ] ||
	fail "the restored UDP binding was dropped"
ok "after a restart the stored UDP binding from behind NAT is kept, and its keep-alives reach its source"
grep -q "sip.unregistered ext=1004 contact=sip:1004@192.168.77.10:5060;transport=tcp source=127.0.0.2:$TCP_PORT transport=tcp reason=flow_lost contacts=0" \
	"$TEST_DIR/server.err" || fail "no flow_lost for the TCP binding: $(grep 1004 "$TEST_DIR/server.err")"
wait_value "SELECT count(*) FROM registrations WHERE ext = '1004'" 0
wait_value "SELECT count(*) FROM events WHERE type = 'agent.unregistered' AND subject = '1004'
	AND json_extract(data, '\$.reason') = 'flow_lost'" 1
ok "the stored TCP binding from behind NAT, its connection gone, is dropped: reason flow_lost, row gone"
stop_server
