#!/usr/bin/env bash
# The satisfaction survey (满意度调查): a queue whose "survey" names an IVR
# flow takes each caller there when their agent hangs up. Two real calls to
# the sales queue; each agent's phone answers, talks two seconds and hangs
# up; the callers, still on the line, hear the demo's survey and press 4
# and 2; the flow thanks them and hangs up. The ratings are stored with the
# calls and their agents, and the satisfaction report (满意度统计) counts
# them by queue, agent and day.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

start_server
TOKEN=$(admin_token)

http PUT /api/v1/queues/sales '{"survey":"nosuchflow"}' "$TOKEN" >/dev/null
expect_status 400 "a survey flow that does not exist"
http PUT /api/v1/queues/sales '{"survey":"bad name!"}' "$TOKEN" >/dev/null
expect_status 400 "a survey that is no flow name"
http PUT /api/v1/queues/sales '{"survey":"survey"}' "$TOKEN" >/dev/null
expect_status 200 "the demo survey on sales"
[ "$(jbody 'j["survey"]')" = survey ] || fail "survey not kept: $HTTP_BODY"
ok "a queue names its survey flow; unknown flows and bad names refused"

# rater NAME FROM KEY [AFTER_MS]: a call to the sales line that waits for
# its agent to hang up, presses KEY AFTER_MS (default 5000) after the
# answer, in the survey, and waits for Hotline's BYE.
rater() {
	local name=$1 from=$2 key=$3 after=${4:-5000}
	python3 - "$SCEN/caller_wait_bye.xml" "$TEST_DIR/$name.xml" "$from" "$key" "$after" <<'PY'
import sys
src, out, frm, key, after = sys.argv[1:]
head, tail = open(src).read().replace("13800138000", frm).split('<recv request="BYE"/>')
body = ('  <pause milliseconds="%s"/>\n' % after +
        '  <nop><action><exec play_pcap_audio="/usr/share/sip-tester/'
        'dtmf_2833_%s.pcap"/></action></nop>\n' % key)
open(out, "w").write(head + body + '<recv request="BYE"/>' + tail)
PY
	sipp -sf "$TEST_DIR/$name.xml" -s 4008003000 -i 127.0.0.1 -p "$(free_port)" \
		-mi 127.0.0.1 -mp "$(free_port)" -m 1 -timeout 60s -timeout_error \
		-trace_err -error_file "$TEST_DIR/$name.err" "127.0.0.1:$SIP_PORT" \
		>"$TEST_DIR/$name.out" 2>&1 &
	eval "SIPP_PID_$name=$!"
}

for ext in 1001 1002; do
	port=$(free_port)
	register "$ext" "secret$ext" "$port"
	sipp_bg "a$ext" agent_hangup.xml -p "$port" -mi 127.0.0.1 -mp "$(free_port)" -timeout 60s
done
sleep 0.3
rater happy 13900000011 4
sleep 0.5
rater sad 13900000012 2
for n in happy sad a1001 a1002; do
	sipp_wait "$n" || { cat "$TEST_DIR/$n.err" >&2; fail "$n: the call did not go as scripted"; }
done

for _ in $(seq 1 50); do
	http GET "/api/v1/calls?limit=10" "" "$TOKEN" >"$TEST_DIR/calls.json"
	[ "$(json 'sum(1 for c in j["items"] if c["rating"])' <"$TEST_DIR/calls.json")" = 2 ] && break
	sleep 0.1
done
python3 - "$TEST_DIR/calls.json" <<'PY' || fail "ratings: $(cat "$TEST_DIR/calls.json")"
import json, sys
c = {x["from"]: x for x in json.load(open(sys.argv[1]))["items"]}
happy, sad = c["13900000011"], c["13900000012"]
assert happy["rating"] == 4 and sad["rating"] == 2, (happy, sad)
for x in (happy, sad):
    assert x["queue"] == "sales" and x["agent"] in ("1001", "1002"), x
    assert x["hangup_by"] == "system" or x["hangup_by"] == "ivr" or x["hangup_by"] == "caller", x
assert happy["agent"] != sad["agent"], (happy, sad)
PY
ok "each rating stored with its call, its agent and its queue"

http GET "/api/v1/reports/satisfaction?by=queue" "" "$TOKEN" >/dev/null
expect_status 200 "report by queue"
[ "$(jbody '[(i["key"], i["rated"], i["mean"], i["satisfied"], i["counts"]["4"], i["counts"]["2"]) for i in j["items"]]')" = "[('sales', 2, 3.0, 1, 1, 1)]" ] ||
	fail "by queue: $HTTP_BODY"
http GET "/api/v1/reports/satisfaction?by=agent" "" "$TOKEN" >/dev/null
[ "$(jbody 'sorted(i["rated"] for i in j["items"])')" = "[1, 1]" ] || fail "by agent: $HTTP_BODY"
http GET "/api/v1/reports/satisfaction?by=day" "" "$TOKEN" >/dev/null
[ "$(jbody '[(i["key"] == __import__("datetime").datetime.utcnow().strftime("%Y-%m-%d"), i["rated"], i["satisfied_pct"]) for i in j["items"]]')" = "[(True, 2, 50.0)]" ] ||
	fail "by day: $HTTP_BODY"
http GET "/api/v1/reports/satisfaction?by=week" "" "$TOKEN" >/dev/null
expect_status 400 "an unknown grouping"
http GET "/api/v1/reports/satisfaction?from=2001-01-01T00:00:00Z&to=2001-01-02T00:00:00Z" "" "$TOKEN" >/dev/null
[ "$(jbody 'j["items"]')" = "[]" ] || fail "a day without calls: $HTTP_BODY"
ok "the satisfaction report by queue, agent and day"

# A transfer can lead to a flow too: the agent (or a supervisor) passes a
# live call to a DID whose target is the survey; the caller rates there.
http PUT /api/v1/dids/4008009000 '{"target_kind":"ivr","target":"survey"}' "$TOKEN" >/dev/null
expect_status 200 "a DID to the survey flow"
for ext in 1001 1002; do        # their phones are gone: only 1003 answers
	http PUT "/api/v1/agents/$ext/state" '{"state":"not_ready","reason":"break"}' "$TOKEN" >/dev/null
	expect_status 200 "$ext takes a break"
done
port=$(free_port)
register 1003 secret1003 "$port"
http PUT /api/v1/queues/sales '{"survey":""}' "$TOKEN" >/dev/null
expect_status 200 "survey off again"
sipp_bg a1003 agent_answer.xml -p "$port" -mi 127.0.0.1 -mp "$(free_port)" -timeout 60s
sleep 0.3
# The key comes 12 s after the answer: after the transfer (however slow
# the machine), during the survey's prompt and its 8 s wait.
rater moved 13900000013 5 12000
live=""
for _ in $(seq 1 100); do
	http GET "/api/v1/calls?limit=10" "" "$TOKEN" >/dev/null
	live=$(jbody '([c["id"] for c in j["items"] if c["from"] == "13900000013" and c["answered_at"] and not c["ended_at"]] + [""])[0]')
	[ -n "$live" ] && break
	sleep 0.05
done
[ -n "$live" ] || fail "the third caller never talked to 1003: $HTTP_BODY"
http POST "/api/v1/calls/$live/transfer" '{"to":"4008009999"}' "$TOKEN" >/dev/null
expect_status 400 "a transfer to a number that leads nowhere"
http POST "/api/v1/calls/$live/transfer" '{"to":"4008009000"}' "$TOKEN" >/dev/null
expect_status 202 "a transfer to the survey's DID"
for n in moved a1003; do
	sipp_wait "$n" || { cat "$TEST_DIR/$n.err" >&2; fail "$n: the call did not go as scripted"; }
done
for _ in $(seq 1 50); do
	http GET "/api/v1/calls/$live" "" "$TOKEN" >/dev/null
	[ "$(jbody 'j["rating"]')" = 5 ] && break
	sleep 0.1
done
[ "$(jbody '(j["rating"], j["transfer_to"], j["transfer_by"])')" = "(5, '4008009000', '1003')" ] ||
	fail "the transferred call's rating: $HTTP_BODY"
ok "a live call transferred to a DID that leads to a flow: the caller rates there"
stop_server
