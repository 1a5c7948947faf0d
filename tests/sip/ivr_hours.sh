#!/usr/bin/env bash
# Out of hours (非工作时间): the demo's service line 4008005000 runs the flow
# "hours", whose schedule sends callers to support in opening hours and,
# out of them, tells them so and takes a message for support's mailbox
# 1006, listed for call-back. The demo's hours depend on today's date, so
# the test saves a version closed all the time (a holiday from 2000 to
# 2099) and calls: the message is recorded (Hotline hangs up after
# voicemail.max_s), listed with the call, and the visits show the way.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

printf '[voicemail]\nmax_s = 2\ngreeting = tone\n' >"$TEST_DIR/vm.ini"
start_server --config "$TEST_DIR/vm.ini"
TOKEN=$(admin_token)

http GET /api/v1/dids "" "$TOKEN" >/dev/null
[ "$(jbody '[(d["target_kind"], d["target"]) for d in j["items"] if d["did"] == "4008005000"]')" = "[('ivr', 'hours')]" ] ||
	fail "the demo's service line: $HTTP_BODY"
http GET /api/v1/ivr-flows/hours "" "$TOKEN" >/dev/null
expect_status 200 "the demo flow hours"
printf '%s' "$HTTP_BODY" | python3 -c '
import json, sys
f = json.load(sys.stdin)
f.pop("version", None)
h = f["nodes"]["when"]["hours"]
h["holidays"] = ["2000-01-01..2099-12-31"]
h.pop("workdays", None)
print(json.dumps(f, ensure_ascii=False))' >"$TEST_DIR/closed.json"
http PUT /api/v1/ivr-flows/hours "$(cat "$TEST_DIR/closed.json")" "$TOKEN" >/dev/null
expect_status 200 "a version closed all the time"
ok "4008005000 runs the demo flow hours; a closed version saved"

call_to after "$SCEN/caller_wait_bye.xml" 4008005000 -timeout 40s
for _ in $(seq 1 50); do
	http GET "/api/v1/voicemails?mailbox=1006" "" "$TOKEN" >/dev/null
	[ "$(jbody 'sum(1 for v in j["voicemails"] if v["duration_ms"] is not None)')" = 1 ] && break
	sleep 0.1
done
VMS=$HTTP_BODY
http GET "/api/v1/calls?limit=1" "" "$TOKEN" >/dev/null
CALL=$(jbody 'j["items"][0]["id"]')
python3 -c '
import json, sys
vms, call = json.loads(sys.argv[1])["voicemails"], sys.argv[2]
assert len(vms) == 1, vms
v = vms[0]
assert v["mailbox"] == "1006" and v["call_id"] == call, v
assert v["caller"] == "13800138000", v
assert 1500 <= v["duration_ms"] <= 2600, v      # max_s = 2: Hotline ends it
' "$VMS" "$CALL" || fail "the message: $VMS"
ok "out of hours the caller is told so and leaves a message for 1006"

sqlite3 "$DATA_DIR/hotline.db" "SELECT node || ':' || exit FROM ivr_visits
	WHERE call_id = '$CALL' ORDER BY seq" | tr '\n' ' ' >"$TEST_DIR/visits"
[ "$(cat "$TEST_DIR/visits")" = "when:closed closed_msg:next message:voicemail " ] ||
	fail "visits: $(cat "$TEST_DIR/visits")"
ok "the visits: schedule closed, the notice heard, the mailbox"
stop_server
