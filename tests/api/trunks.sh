#!/usr/bin/env bash
# Trunks and dial plans through the API and the CLI (hotline trunk /
# hotline dialplan, which talk to the running center): created, listed,
# changed live, refused with the reason when they do not validate, and
# deleted; a trunk a plan names cannot go; only administrators change them.
. "$(dirname "$0")/../lib.sh"

start_server
ADMIN=$(login admin admin123)
SUP=$(login sup sup123)
API="http://127.0.0.1:$HTTP_PORT"
export HOTLINE_TOKEN=$ADMIN

out=$(echo s3cret | "$HOTLINE" trunk add ct --api "$API" --outbound 192.0.2.10:5060 \
	--username hl --password-stdin --caller-id 4008001000 --max-channels 30 \
	--inbound 192.0.2.0/24 --inbound 2001:db8::/32 --ping 0) ||
	fail "trunk add: $out"
[ "$out" = "trunk ct added" ] || fail "trunk add said: $out"
http GET /api/v1/trunks/ct "" "$SUP" >/dev/null
expect_status 200 "supervisor reads a trunk"
[ "$(jbody '(j["inbound_from"], j["outbound"]["address"], j["outbound"]["username"], j["outbound"]["password_set"], j["max_channels"], j["caller_id"], j["state"])')" = \
  "(['192.0.2.0/24', '2001:db8::/32'], '192.0.2.10:5060', 'hl', True, 30, '4008001000', 'unmonitored')" ] ||
	fail "stored trunk: $HTTP_BODY"
[ "$(jbody '"password" in j["outbound"]')" = False ] || fail "password shown"
ok "hotline trunk add → stored as given, password hidden"

fails() {   # fails WANT-IN-STDERR CMD…: exit 1 with the reason
	local err rc=0
	err=$("$@" 2>&1 >/dev/null) || rc=$?
	[ "$rc" = 1 ] || fail "$*: exit $rc ($err)"
	[[ "$err" == *"$WANT"* ]] || fail "$*: '$err' lacks '$WANT'"
}
WANT="inbound_from[0]" fails "$HOTLINE" trunk add bad --api "$API" --inbound 10.0.0.0/33
WANT="outbound.address" fails "$HOTLINE" trunk add bad --api "$API" --outbound carrier.example:5060
WANT="unknown transport" fails "$HOTLINE" trunk add bad --api "$API" --outbound 192.0.2.1:5060 --transport sctp
WANT="unknown codec" fails "$HOTLINE" trunk add bad --api "$API" --outbound 192.0.2.1:5060 --codecs PCMU,G729
WANT="exists" fails "$HOTLINE" trunk add ct --api "$API" --inbound 192.0.2.1
ok "bad network, address, transport, codec, a taken name → exit 1 with the reason"

out=$("$HOTLINE" dialplan add '^1[3-9][0-9]{9}$' --api "$API" --trunks ct) ||
	fail "dialplan add: $out"
PLAN=${out//[!0-9]/}
[ "$out" = "dial plan $PLAN added" ] || fail "dialplan add said: $out"
WANT="never match" fails "$HOTLINE" dialplan add '^[a-z]+$' --api "$API" --trunks ct
WANT="does not compile" fails "$HOTLINE" dialplan add '^(1' --api "$API" --trunks ct
WANT="no trunk named 'cu'" fails "$HOTLINE" dialplan add '^0[0-9]+$' --api "$API" --trunks ct,cu
"$HOTLINE" dialplan list --api "$API" | grep -q "^$PLAN .*\^1\[3-9\]\[0-9\]{9}\\$ *\[\"ct\"\]" ||
	fail "dialplan list: $("$HOTLINE" dialplan list --api "$API")"
ok "dialplan add/list; a pattern that never matches or does not compile, an unknown trunk → refused"

WANT="dial plan $PLAN" fails "$HOTLINE" trunk del ct --api "$API"
http PUT /api/v1/trunks/ct '{"inbound_from": ["192.0.2.0/24"]}' "$ADMIN" >/dev/null
expect_status 409 "dropping the outbound part a plan uses"
http PUT /api/v1/trunks/ct '{"inbound_from": ["192.0.2.0/24"], "outbound": {"address": "192.0.2.11:5060"}, "ping_interval_s": 0}' "$SUP" >/dev/null
expect_status 403 "a supervisor changes a trunk"
http PUT /api/v1/trunks/ct '{"inbound_from": ["192.0.2.0/24"], "outbound": {"address": "192.0.2.11:5060"}, "ping_interval_s": 0}' "$ADMIN" >/dev/null
expect_status 200 "change a trunk"
"$HOTLINE" trunk list --api "$API" | grep -q '^ct .*out=192.0.2.11:5060' ||
	fail "trunk list: $("$HOTLINE" trunk list --api "$API")"
ok "a trunk a plan names cannot be deleted nor lose its outbound part; PUT is live"

"$HOTLINE" dialplan del "$PLAN" --api "$API" >/dev/null || fail "dialplan del"
"$HOTLINE" trunk del ct --api "$API" >/dev/null || fail "trunk del"
http GET /api/v1/trunks "" "$ADMIN" >/dev/null
[ "$(jbody 'len(j["items"])')" = 0 ] || fail "trunk still listed: $HTTP_BODY"
HOTLINE_TOKEN= WANT="401" fails "$HOTLINE" trunk list --api "$API"
ok "dialplan del, trunk del; without a token the CLI says 401"
"$HOTLINE" trunk --help | grep -q -- "--password-stdin" || fail "trunk --help"
"$HOTLINE" dialplan --help | grep -q -- "--trunks" || fail "dialplan --help"
stop_server
