#!/usr/bin/env bash
# Inbound trunks without the demo: a call from 127.0.0.2, inside a trunk's
# inbound_from, gets through (the queue answers it) and is counted on the
# trunk and named in its record; one from 127.0.0.3, no trunk's and no
# extension's, is refused with 403 at once; past the trunk's max_channels
# a call gets 503. A trunk known by digest (inbound_auth) calls from any
# address with its password; a wrong one is refused. Then with --demo every loopback address is a trunk's,
# 127.0.0.5 as well as 127.0.0.1.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"
source "$(dirname "$0")/common.bash"
source "$(dirname "$0")/lib_trunk.bash"

start_center
api POST /api/v1/trunks '{"name": "carrier", "inbound_from": ["127.0.0.2/32", "2001:db8::/32"], "max_channels": 1}' 201
[ "$(trunk_field carrier 'j["inbound_from"]')" = "['127.0.0.2/32', '2001:db8::/32']" ] ||
	fail "inbound_from not stored as given"

got=$(invite_from 127.0.0.3 4008002000)
[[ "$got" == "SIP/2.0 403 Forbidden (not from a trunk or an extension)" ]] ||
	fail "127.0.0.3: want 403 with the reason, got '$got'"
ok "127.0.0.3 (no trunk's, no extension's) → 403 with the reason"

# Through the trunk: the support queue answers with music; the caller stays
# 8 s, holding the trunk's one channel.
sipp_bg caller caller_stay.xml -s 4008002000 -i 127.0.0.2 -p "$(free_port)" \
	-mi 127.0.0.2 -mp "$(free_port)" -d 8000 "127.0.0.1:$SIP_PORT"
wait_log "call.queued .* from=13800138000 to=4008002000"
[ "$(trunk_field carrier 'j["counters"]["channels_in_use"]')" = 1 ] ||
	fail "the trunk call holds no channel"
got=$(invite_from 127.0.0.2 4008002000)
[[ "$got" == "SIP/2.0 503 "* ]] || fail "over max_channels: want 503, got '$got'"
ok "a second call over the trunk's one channel → 503"
sipp_wait caller || { cat "$TEST_DIR/caller.err" >&2; fail "the trunk call from 127.0.0.2 did not get through"; }
ok "127.0.0.2 (inside the trunk's CIDR) → answered"

last_call "$TOKEN" | python3 -c '
import json, sys
c = json.load(sys.stdin)
assert c["direction"] == "inbound" and c["trunk"] == "carrier", c
assert c["queue"] == "support" and c["hangup_by"] == "caller", c' || fail "record of the trunk call"
for _ in $(seq 1 50); do
	[ "$(trunk_field carrier 'j["counters"]["channels_in_use"]')" = 0 ] && break
	sleep 0.1
done
trunk_field carrier 'j["counters"]' | python3 -c '
import ast, sys
c = ast.literal_eval(sys.stdin.read())
assert c == {"calls_in": 1, "calls_out": 0, "failures": 0, "refused": 1,
             "channels_in_use": 0}, c' || fail "trunk counters wrong"
ok "the record names the trunk; counters: 1 in, 1 refused, 0 in use"

# Deleting the trunk takes 127.0.0.2's trust away at once.
api DELETE /api/v1/trunks/carrier "" 200
got=$(invite_from 127.0.0.2 4008002000)
[[ "$got" == "SIP/2.0 403 "* ]] || fail "after delete: want 403, got '$got'"
ok "trunk deleted → 127.0.0.2 refused with 403, no restart"

# A carrier known by the password it proves (digest), from any address.
api POST /api/v1/trunks '{"name": "pstn2", "inbound_auth": {"username": "pstn2-in", "password": "short"}}' 400
api POST /api/v1/trunks '{"name": "pstn2", "inbound_auth": {"username": "pstn2 in", "password": "trunkpass1"}}' 400
api POST /api/v1/trunks '{"name": "pstn2", "inbound_auth": {"username": "pstn2-in", "password": "trunkpass1"}}' 201
[ "$(trunk_field pstn2 'j["inbound_auth"]')" = "{'username': 'pstn2-in', 'password_set': True}" ] ||
	fail "inbound_auth shown with its password: $(trunk_field pstn2 'j')"
api POST /api/v1/trunks '{"name": "pstn3", "inbound_auth": {"username": "pstn2-in", "password": "trunkpass2"}}' 409
got=$(invite_from 127.0.0.3 4008002000)
[[ "$got" == "SIP/2.0 401 Unauthorized" ]] ||
	fail "with a digest trunk a stranger is challenged: got '$got'"
ok "inbound_auth: refused when short, malformed or taken; strangers now challenged"
sipp -sf "$SCEN/ext_call.xml" -s 4008002000 -au pstn2-in -ap trunkpass1 \
	-key auth_user 13900001111 -i 127.0.0.3 -p "$(free_port)" \
	-mi 127.0.0.3 -mp "$(free_port)" -m 1 -timeout 20s -timeout_error \
	-trace_err -error_file "$TEST_DIR/digest.err" "127.0.0.1:$SIP_PORT" \
	>"$TEST_DIR/digest.out" 2>&1 || { cat "$TEST_DIR/digest.err" >&2; fail "the digest trunk's call failed"; }
last_call "$TOKEN" | python3 -c '
import json, sys
c = json.load(sys.stdin)
assert c["direction"] == "inbound" and c["trunk"] == "pstn2", c
assert c["from"] == "13900001111" and c["queue"] == "support", c' || fail "record of the digest trunk's call"
[ "$(trunk_field pstn2 'j["counters"]["calls_in"]')" = 1 ] || fail "the digest trunk counted no call"
ok "a call proving pstn2-in's password gets through as trunk pstn2 (caller 13900001111)"
if sipp -sf "$SCEN/ext_call.xml" -s 4008002000 -au pstn2-in -ap wrongpass1 \
	-key auth_user 13900001111 -i 127.0.0.3 -p "$(free_port)" \
	-mi 127.0.0.3 -mp "$(free_port)" -m 1 -timeout 10s -timeout_error \
	"127.0.0.1:$SIP_PORT" >"$TEST_DIR/digest_bad.out" 2>&1; then
	fail "a wrong trunk password got through"
fi
grep -q 'sip.auth_failed ip=127.0.0.3 user=13900001111 reason="wrong password"' "$TEST_DIR/server.err" ||
	fail "the wrong trunk password was not logged as such"
ok "a wrong trunk password is refused and counted against its source"
stop_server

# The demo trusts the whole of 127.0.0.0/8, not 127.0.0.1 alone.
DATA_DIR=$TEST_DIR/demo start_server
sipp_bg demo caller_stay.xml -s 4008002000 -i 127.0.0.5 -p "$(free_port)" \
	-mi 127.0.0.5 -mp "$(free_port)" -d 500 "127.0.0.1:$SIP_PORT"
sipp_wait demo || { cat "$TEST_DIR/demo.err" >&2; fail "--demo refused 127.0.0.5"; }
ok "--demo: a call from 127.0.0.5 is a trunk call"
stop_server
