#!/usr/bin/env bash
# Blind calibration (校准) in a real browser. Seeded through the API: two
# inspectors, a scorecard, an answered call of agent 1001 (no recording:
# the form says so and scores all the same). In the browser (qa_calibration
# .mjs): the lead (sup) is refused a session with one inspector, then opens
# one on k1 for qa1 and qa2; qa2 finds it waiting and the result blind;
# qa1 scores it from 待我校准 on the session's card; qa2, still blind,
# scores too and reads the spread per item (a heat map) and per inspector;
# the lead closes the session. The API then holds what the browser did.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../sip/lib_sip.bash"
source "$(dirname "$0")/lib_web.bash"

start_server
DB="$DATA_DIR/hotline.db"
ADMIN=$(login admin admin123)
for u in qa1 qa2; do
	http POST /api/v1/users "{\"username\":\"$u\",\"password\":\"password-$u\",\"role\":\"qa\"}" "$ADMIN" >/dev/null
	expect_status 201 "inspector $u"
done
NOW=$(( $(date +%s) * 1000 - 3600000 ))
sqlite3 -cmd '.timeout 5000' "$DB" "INSERT INTO calls (id, direction, caller, callee,
	started_at, answered_at, ended_at, duration_s, talk_s, agent, queue, hangup_by) VALUES
 ('k1','inbound','13800138001','4008001000',$NOW,$((NOW+2000)),$((NOW+62000)),62,60,'1001','sales','caller');"
http POST /api/v1/qa/scorecards '{"name":"校准质检单","queue":"sales","sections":[{"title":"服务","items":[
 {"id":"greet","text":"标准问候语","weight":20},{"id":"listen","text":"耐心倾听","weight":30},
 {"id":"solve","text":"解决问题","weight":40},{"id":"close","text":"结束语","weight":10}]}]}' "$ADMIN" >/dev/null
expect_status 201 "the scorecard"

web_start qa_calibration.mjs
web_end
http GET "/api/v1/qa/calibrations" "" "$ADMIN" >/dev/null
[ "$(jbody '[(s["call_id"], s["state"], s["created_by"], s["closed_by"], [(i["username"], i["scored"]) for i in s["inspectors"]]) for s in j["items"]]')" = \
  "[('k1', 'closed', 'sup', 'sup', [('qa1', True), ('qa2', True)])]" ] || fail "the session the browser made: $HTTP_BODY"
CS=$(jbody 'j["items"][0]["id"]')
http GET "/api/v1/qa/calibrations/$CS" "" "$ADMIN" >/dev/null
[ "$(jbody '[(i["inspector"], i["score"]) for i in j["report"]["inspectors"]]')" = "[('qa1', 85.0), ('qa2', 66.67)]" ] ||
	fail "the scores: $HTTP_BODY"
ok "the API holds the browser's session (closed), both evaluations on the session's card and their spread"
stop_server
