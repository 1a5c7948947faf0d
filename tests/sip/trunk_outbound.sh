#!/usr/bin/env bash
# Outbound trunks without the demo, sipp playing the carriers. Extension
# 1001 dials a mobile number that no DID or extension has, so the dial
# plan sends it out:
#  - through a carrier that challenges with digest (401) and checks the
#    caller ID (From and P-Asserted-Identity);
#  - a number no plan covers: 404 with the reason, and a call record;
#  - failover from a trunk answering 503 to the next one;
#  - a trunk whose one channel is taken (by an inbound call) is passed
#    over for the next; with no next, the caller gets 503;
#  - a trunk registered to its carrier (challenged REGISTER), then a call
#    through it; a carrier refusing the registration: failed, retried
#    after the back-off, shown in GET;
#  - a trunk nobody answers pings for is marked down and skipped.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"
source "$(dirname "$0")/common.bash"
source "$(dirname "$0")/lib_trunk.bash"

start_center
C1=$(free_port); C2=$(free_port); C3=$(free_port); C4=$(free_port)
DEAD=$(free_port)
api POST /api/v1/trunks '{"name": "ct", "outbound": {"address": "127.0.0.1:'"$C1"'", "username": "hotline-trunk", "password": "s3cret", "codecs": ["PCMU"]}, "caller_id": "4008001000", "ping_interval_s": 0}' 201
[ "$(jbody "(j['outbound']['password_set'], 'password' in j['outbound'])")" = "(True, False)" ] ||
	fail "the API shows the carrier's password"
api POST /api/v1/dial-plans '{"pattern": "^1[3-9][0-9]{9}$", "trunks": ["ct"]}' 201
PLAN=$(jbody 'j["id"]')
# "dead" answers no ping (the last case): made now, it is pinged and
# marked down while the other cases run, in no plan until then, instead
# of the test idling through its three pings at the end.
api POST /api/v1/trunks '{"name": "dead", "outbound": {"address": "127.0.0.1:'"$DEAD"'"}, "ping_interval_s": 1}' 201

dial() {   # dial NAME NUMBER: 1001 calls NUMBER, talks 4 s, hangs up
	call_to "$1" "$SCEN/ext_call.xml" "$2" -au 1001 -ap secret1001 -key auth_user 1001
}
record_is() {   # record_is PYTHON-CONDITION: on the newest call record
	last_call "$TOKEN" | python3 -c "
import json, sys
c = json.load(sys.stdin)
assert $1, c" || fail "call record: want $1"
}

sipp_bg carrier carrier_auth.xml -p "$C1" -mi 127.0.0.1 -mp "$(free_port)"
sleep 0.3
dial digest +8613800138000
sipp_wait carrier || { cat "$TEST_DIR/carrier.err" >&2; fail "the carrier's digest or caller ID check failed"; }
record_is 'c["direction"] == "outbound" and c["from"] == "1001" and c["agent"] == "1001" and c["trunk"] == "ct" and c["answered_at"] and c["talk_s"] >= 3'
ok "1001 → +8613800138000 through ct: 401 answered with digest, caller ID 4008001000, talked"

got=$(FROM_USER=1001 invite_from 127.0.0.1 4001234567 --auth 1001:secret1001)
[ "$got" = "SIP/2.0 404 Not Found (no dial plan covers the number)" ] ||
	fail "no plan: want 404 with the reason, got '$got'"
record_is 'c["direction"] == "outbound" and c["to"] == "4001234567" and c["hangup_by"] == "system" and not c["answered_at"]'
ok "a number no plan covers → 404 with the reason, and a record"

# Failover: "busy" answers 503, ct answers.
api POST /api/v1/trunks '{"name": "busy", "outbound": {"address": "127.0.0.1:'"$C2"'"}, "ping_interval_s": 0}' 201
api PUT "/api/v1/dial-plans/$PLAN" '{"pattern": "^1[3-9][0-9]{9}$", "trunks": ["busy", "ct"]}' 200
sipp_bg busy carrier_503.xml -p "$C2"
sipp_bg carrier carrier_answer.xml -p "$C1" -mi 127.0.0.1 -mp "$(free_port)"
sleep 0.3
dial failover 13900139000
sipp_wait busy || { cat "$TEST_DIR/busy.err" >&2; fail "busy was not tried first"; }
sipp_wait carrier || { cat "$TEST_DIR/carrier.err" >&2; fail "no failover to ct"; }
record_is 'c["trunk"] == "ct" and c["answered_at"]'
[ "$(trunk_field busy '(j["counters"]["calls_out"], j["counters"]["failures"])')" = "(1, 1)" ] ||
	fail "busy's counters: want 1 out, 1 failure"
ok "503 from busy → failed over to ct; busy counted 1 failure"

# Channel limit: ct has one channel, taken by an inbound call from
# 127.0.0.2 (the limit is both ways): with ct alone in the plan the
# caller hears 503; with alt after it, the call goes out on alt.
api PUT /api/v1/trunks/ct '{"inbound_from": ["127.0.0.2"], "outbound": {"address": "127.0.0.1:'"$C1"'", "username": "hotline-trunk", "password": "s3cret"}, "caller_id": "4008001000", "ping_interval_s": 0, "max_channels": 1}' 200
api POST /api/v1/trunks '{"name": "alt", "outbound": {"address": "127.0.0.1:'"$C3"'", "codecs": ["PCMA", "PCMU"]}, "ping_interval_s": 0}' 201
api PUT "/api/v1/dial-plans/$PLAN" '{"pattern": "^1[3-9][0-9]{9}$", "trunks": ["ct"]}' 200
sipp_bg inbound caller_stay.xml -s 4008002000 -i 127.0.0.2 -p "$(free_port)" \
	-mi 127.0.0.2 -mp "$(free_port)" -d 15000 "127.0.0.1:$SIP_PORT"
wait_log "call.queued .* to=4008002000"
got=$(FROM_USER=1001 invite_from 127.0.0.1 13700137000 --auth 1001:secret1001)
[[ "$got" == "SIP/2.0 503 Service Unavailable (no trunk free)" ]] ||
	fail "every trunk full: want 503, got '$got'"
ok "every trunk of the plan full → 503"
api PUT "/api/v1/dial-plans/$PLAN" '{"pattern": "^1[3-9][0-9]{9}$", "trunks": ["ct", "alt"]}' 200
sipp_bg alt carrier_answer.xml -p "$C3" -mi 127.0.0.1 -mp "$(free_port)"
sleep 0.3
dial full 13700137000
sipp_wait alt || { cat "$TEST_DIR/alt.err" >&2; fail "full ct not passed over for alt"; }
record_is 'c["trunk"] == "alt"'
ok "ct's one channel in use → the call went out on alt"
# The inbound call holding ct's channel stays its 15 s (its hang-up is
# awaited at the end): no later case goes through ct, and waiting here
# for it idled the test 10 s.

# Registration to the carrier, then a call through the registered trunk.
sipp_bg registrar carrier_register.xml -p "$C4" -mi 127.0.0.1 -mp "$(free_port)"
sleep 0.3
api POST /api/v1/trunks '{"name": "reg", "outbound": {"address": "127.0.0.1:'"$C4"'", "username": "hotline-trunk", "password": "s3cret", "register": true}, "ping_interval_s": 0}' 201
for _ in $(seq 1 50); do
	[ "$(trunk_field reg 'j["registration"]["state"]')" = registered ] && break
	sleep 0.2
done
[ "$(trunk_field reg 'j["registration"]["state"]')" = registered ] ||
	fail "reg not registered: $(trunk_field reg 'j["registration"]')"
sipp_wait registrar || { cat "$TEST_DIR/registrar.err" >&2; fail "registration to the carrier failed"; }
api PUT "/api/v1/dial-plans/$PLAN" '{"pattern": "^1[3-9][0-9]{9}$", "trunks": ["reg"]}' 200
sipp_bg carrier carrier_answer.xml -p "$C4" -mi 127.0.0.1 -mp "$(free_port)"
sleep 0.3
dial registered 15800158000
sipp_wait carrier || { cat "$TEST_DIR/carrier.err" >&2; fail "the call through reg failed"; }
record_is 'c["trunk"] == "reg" and c["answered_at"]'
ok "reg registered with digest (GET says registered), and a call went through it"

# A carrier refusing the registration: failed, retried after the back-off.
sipp_bg refuser carrier_register_refuse.xml -p "$C2"
sleep 0.3
api POST /api/v1/trunks '{"name": "refused", "outbound": {"address": "127.0.0.1:'"$C2"'", "username": "hotline-trunk", "password": "wrong", "register": true}, "ping_interval_s": 0}' 201
sipp_wait refuser || { cat "$TEST_DIR/refuser.err" >&2; fail "no REGISTER reached the refusing carrier"; }
# One sample is both looked at and checked: the state moves on to
# registering again when the back-off ends.
for _ in $(seq 1 30); do
	REG=$(trunk_field refused 'j["registration"]')
	case "$REG" in *"'state': 'failed'"*) break ;; esac
	sleep 0.1
done
printf '%s' "$REG" | python3 -c '
import ast, sys
r = ast.literal_eval(sys.stdin.read())
assert r["state"] == "failed" and r["last_status"] == 403, r
assert r["failures"] == 1 and 0 < r["retry_in_ms"] <= 5000, r' ||
	fail "refused registration not reported with its retry"
[ "$(grep -c 'trunk.register_failed name=refused' "$TEST_DIR/server.err")" = 1 ] ||
	fail "the failed registration was retried at once"
ok "a refused registration: failed (403), next try in ≤ 5 s, not retried at once"

# Health: "dead" (made at the start) answers no ping; after three it is
# down and skipped.
api PUT "/api/v1/dial-plans/$PLAN" '{"pattern": "^1[3-9][0-9]{9}$", "trunks": ["dead", "alt"]}' 200
for _ in $(seq 1 100); do
	[ "$(trunk_field dead 'j["state"]')" = down ] && break
	sleep 0.2
done
[ "$(trunk_field dead 'j["state"]')" = down ] || fail "dead never marked down"
wait_log "trunk.down name=dead"
sipp_bg alt carrier_answer.xml -p "$C3" -mi 127.0.0.1 -mp "$(free_port)"
sleep 0.3
dial health 13600136000
sipp_wait alt || { cat "$TEST_DIR/alt.err" >&2; fail "the call did not skip dead"; }
record_is 'c["trunk"] == "alt"'
[ "$(trunk_field dead 'j["counters"]["calls_out"]')" = 0 ] || fail "dead was tried"
ok "unanswered pings → dead marked down (GET, log) and skipped by the plan"
sipp_wait inbound || { cat "$TEST_DIR/inbound.err" >&2; fail "inbound call through ct failed"; }
stop_server
