#!/usr/bin/env bash
# A binding that is not refreshed ends at its expiry: the row goes and
# "sip.unregistered … reason=expired" is logged. The minimum expiry is set
# to 1 s in a config file so the test does not wait a minute.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/common.bash"
printf '[sip]\nmin_expires = 1\n' >"$TEST_DIR/hotline.ini"
start_server --config "$TEST_DIR/hotline.ini"

P=$(free_port)
SIPP_PORT=$P sipp_ok register -s 1007 -au 1007 -ap secret1007 -key expires 2
grep -q ";expires=2" <<<"$(sipp_received 200)" || fail "not granted 2 s"
SIPP_PORT=$(free_port) sipp_ok register -s 1008 -au 1008 -ap secret1008 -key expires 3600
wait_log "sip.unregistered ext=1007 contact=sip:1007@127.0.0.1:$P;transport=UDP .*reason=expired contacts=0"
wait_value "SELECT count(*) FROM registrations WHERE ext = '1007'" 0
[ "$(db_value "SELECT count(*) FROM registrations WHERE ext = '1008'")" = 1 ] ||
	fail "the long binding expired too"
ok "the 2 s binding expired and its row is gone; the 1 h one stays"
stop_server
