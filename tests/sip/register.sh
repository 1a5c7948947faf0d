#!/usr/bin/env bash
# Registrar: OPTIONS, registering with digest over UDP and TCP, several
# contacts per extension, the rows kept in the database, unknown extension
# (404), too brief (423), un-registering one contact and then all (*).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/common.bash"
start_server

sipp_ok options
ok "OPTIONS → 200 with Allow and Accept"

now_ms=$(( $(date +%s) * 1000 ))
UDP_PORT=$(free_port)
SIPP_PORT=$UDP_PORT sipp_ok register -s 1001 -au 1001 -ap secret1001 -key expires 300
r=$(sipp_received 200)
grep -q "Contact: <sip:1001@127.0.0.1:$UDP_PORT;transport=UDP>;expires=300" <<<"$r" ||
	fail "200 does not list the binding with expires=300: $r"
ok "REGISTER 1001 over UDP → 401, then 200 listing the binding"

wait_value "SELECT count(*) FROM registrations WHERE ext = '1001'" 1
row=$(db_value "SELECT contact, source, transport, user_agent FROM registrations WHERE ext = '1001'")
[ "$row" = "sip:1001@127.0.0.1:$UDP_PORT;transport=UDP|127.0.0.1:$UDP_PORT|udp|sipp-test" ] ||
	fail "stored row: $row"
exp=$(db_value "SELECT expires_at FROM registrations WHERE ext = '1001'")
[ "$exp" -ge $((now_ms + 290000)) ] && [ "$exp" -le $((now_ms + 400000)) ] ||
	fail "expires_at $exp is not about 300 s after $now_ms"
wait_log "sip.registered ext=1001 contact=sip:1001@127.0.0.1:$UDP_PORT;transport=UDP .*reason=new contacts=1"
ok "the binding is stored: contact, source, transport, user agent, expiry"

TCP_PORT=$(free_port)
SIPP_PORT=$TCP_PORT sipp_ok register -t t1 -s 1001 -au 1001 -ap secret1001 -key expires 600
r=$(sipp_received 200)
[ "$(grep -c '^Contact: <sip:1001@127.0.0.1:' <<<"$r")" -eq 2 ] || fail "200 should list 2 contacts: $r"
grep -q "transport=TCP>;expires=600" <<<"$r" || fail "TCP binding missing: $r"
wait_value "SELECT count(*) FROM registrations WHERE ext = '1001' AND transport = 'tcp'" 1
wait_value "SELECT count(*) FROM registrations WHERE ext = '1001'" 2
ok "a second phone over TCP: two bindings, both listed"

sipp_ok register_404 -s 2999 -key expires 300
ok "REGISTER for an unknown extension → 404"

sipp_ok register_brief -s 1002 -au 1002 -ap secret1002 -key expires 10
r=$(sipp_received 423)
grep -q "Min-Expires: 60" <<<"$r" || fail "423 without Min-Expires: 60: $r"
[ "$(db_value "SELECT count(*) FROM registrations WHERE ext = '1002'")" = 0 ] || fail "423 bound anyway"
ok "REGISTER for 10 s → 423 Interval Too Brief, Min-Expires: 60"

SIPP_PORT=$(free_port) sipp_ok register -s 1002 -au 1002 -ap secret1002 -key expires 99999
grep -q ";expires=3600" <<<"$(sipp_received 200)" || fail "expiry not capped at 3600"
ok "REGISTER for 99999 s is granted 3600"

SIPP_PORT=$UDP_PORT sipp_ok register -s 1001 -au 1001 -ap secret1001 -key expires 0
r=$(sipp_received 200)
[ "$(grep -c '^Contact:' <<<"$r")" -eq 1 ] || fail "after removing one, 200 should list 1: $r"
wait_value "SELECT count(*) FROM registrations WHERE ext = '1001'" 1
wait_log "sip.unregistered ext=1001 contact=sip:1001@127.0.0.1:$UDP_PORT;transport=UDP .*reason=unregister contacts=1"
ok "Expires: 0 removes that one contact"

sipp_ok unregister_all -s 1001 -au 1001 -ap secret1001
wait_value "SELECT count(*) FROM registrations WHERE ext = '1001'" 0
[ "$(db_value "SELECT count(*) FROM registrations WHERE ext = '1002'")" = 1 ] || fail "* touched 1002"
ok "Contact: * with Expires: 0 removes the rest, and only that extension's"

sipp_ok options
stop_server
ok "still answering; clean stop"
