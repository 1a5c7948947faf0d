#!/usr/bin/env bash
# Registrations survive a restart: the phone need not register again, and
# the restarted server lists the binding it had before.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/common.bash"
start_server

P1=$(free_port)
SIPP_PORT=$P1 sipp_ok register -s 1006 -au 1006 -ap secret1006 -key expires 3600
stop_server
row=$(db_value "SELECT contact, source FROM registrations WHERE ext = '1006'")
[ "$row" = "sip:1006@127.0.0.1:$P1;transport=UDP|127.0.0.1:$P1" ] || fail "row after stop: $row"
ok "after SIGTERM the binding is in the database"

start_server
P2=$(free_port)
SIPP_PORT=$P2 sipp_ok register -s 1006 -au 1006 -ap secret1006 -key expires 3600
r=$(sipp_received 200)
grep -q "Contact: <sip:1006@127.0.0.1:$P1;transport=UDP>;expires=3[0-9][0-9][0-9]" <<<"$r" ||
	fail "the restarted server does not list the binding made before: $r"
grep -q "Contact: <sip:1006@127.0.0.1:$P2;transport=UDP>" <<<"$r" || fail "new binding missing: $r"
wait_value "SELECT count(*) FROM registrations WHERE ext = '1006'" 2
ok "the restarted server still has the binding (listed beside a new one)"

# Demo provisioning on the second start left the extensions as they were.
[ "$(db_value "SELECT count(*) FROM extensions")" = 10 ] || fail "extensions duplicated"
stop_server
ok "clean stop"
