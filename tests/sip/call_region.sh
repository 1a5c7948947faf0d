#!/usr/bin/env bash
# The region (归属地) of the caller's number, looked up as the call comes
# in: a call from 13800138000 to the IVR line (4008001000) is from 北京市
# 北京市 in its record, in its call.created event and in the IVR run it
# starts; a +86 fixed line to a queue (4008002000) is from 广东省 深圳市;
# a number without a region (a withheld caller) stores null for both.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

start_server
TOKEN=$(admin_token)

# caller NAME FROM DID: a trunk call from FROM that stays 1.5 s on the line
# and hangs up (nobody answers: the IVR talks, the queue waits).
caller() {
	sed "s/13800138000/$2/g" "$SCEN/caller_stay.xml" >"$TEST_DIR/$1.xml"
	call_to "$1" "$TEST_DIR/$1.xml" "$3" -d 1500
}

# record FROM: the call record from FROM once it has ended.
record() {
	for _ in $(seq 1 50); do
		http GET "/api/v1/calls?limit=10" "" "$TOKEN" >/dev/null
		[ "$(jbody "[c['ended_at'] is not None for c in j['items'] if c['from'] == '$1'] == [True]")" = True ] && break
		sleep 0.1
	done
	jbody "json.dumps([c for c in j['items'] if c['from'] == '$1'][0], ensure_ascii=False)"
}

caller mobile 13800138000 4008001000
caller fixed +8675512345678 4008002000
caller hidden anonymous 4008002000

check() { python3 - "$1" "$2" "$3" <<'PY'
import json, sys
c = json.loads(sys.argv[1])
want = (None if sys.argv[2] == "null" else sys.argv[2],
        None if sys.argv[3] == "null" else sys.argv[3])
assert (c["province"], c["city"]) == want, c
print(c["id"])
PY
}
MOBILE=$(check "$(record 13800138000)" 北京市 北京市) || fail "mobile: $(record 13800138000)"
check "$(record +8675512345678)" 广东省 深圳市 >/dev/null || fail "+86 fixed line: $(record +8675512345678)"
HIDDEN=$(check "$(record anonymous)" null null) || fail "anonymous: $(record anonymous)"
ok "calls list: 13800138000 北京市 北京市, +8675512345678 广东省 深圳市, anonymous null"

http GET "/api/v1/calls/$MOBILE" "" "$TOKEN" >/dev/null
expect_status 200 "one call"
[ "$(jbody '(j["province"], j["city"])')" = "('北京市', '北京市')" ] || fail "one call: $HTTP_BODY"
[ "$(jbody '[(e["data"]["province"], e["data"]["city"]) for e in j["events"] if e["type"] == "call.created"]')" = "[('北京市', '北京市')]" ] ||
	fail "call.created: $HTTP_BODY"
http GET "/api/v1/calls/$HIDDEN" "" "$TOKEN" >/dev/null
[ "$(jbody '[(e["data"]["province"], e["data"]["city"]) for e in j["events"] if e["type"] == "call.created"]')" = "[(None, None)]" ] ||
	fail "call.created without a region: $HTTP_BODY"
ok "the call and its call.created event carry the region (null when unknown)"

grep "ivr.start" "$TEST_DIR/server.err" | grep "call=$MOBILE " |
	grep -q "province=北京市 city=北京市" ||
	fail "the IVR run was not given the region: $(grep ivr.start "$TEST_DIR/server.err")"
ok "the IVR run starts knowing the caller's province and city"

stop_server
ok "server stopped cleanly"
