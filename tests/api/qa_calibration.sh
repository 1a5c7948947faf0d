# Calibration (校准) through the API: three inspectors score the same call
# blind and GET /api/v1/qa/calibration shows where they part, item by
# item and inspector by inspector; only one scorecard version is compared;
# roles, data scope and bad requests are refused with the reason.
. "$(dirname "$0")/../lib.sh"

start_server
DB="$DATA_DIR/hotline.db"
ADMIN=$(login admin admin123)
SUP=$(login sup sup123)
http POST /api/v1/departments '{"name":"二组"}' "$ADMIN" >/dev/null
expect_status 201 "department"
G2=$(jbody 'j["id"]')
for u in qa1 qa2 qa3; do
	http POST /api/v1/users "{\"username\":\"$u\",\"password\":\"password-$u\",\"role\":\"qa\"}" "$ADMIN" >/dev/null
	expect_status 201 "user $u"
done
http POST /api/v1/users "{\"username\":\"lead2\",\"password\":\"password-lead2\",\"role\":\"supervisor\",\"department\":\"$G2\"}" "$ADMIN" >/dev/null
expect_status 201 "lead2"
http POST /api/v1/users '{"username":"exec1","password":"password-exec1","role":"executive"}' "$ADMIN" >/dev/null
expect_status 201 "exec1"
QA1=$(login qa1 password-qa1); QA2=$(login qa2 password-qa2); QA3=$(login qa3 password-qa3)
LEAD2=$(login lead2 password-lead2); EXEC=$(login exec1 password-exec1)
A1=$(login 1001 secret1001)

T0=$(($(date +%s%3N) - 86400000))
sqlite3 -cmd '.timeout 5000' "$DB" "INSERT INTO calls (id, direction, caller, callee,
	started_at, answered_at, ended_at, duration_s, talk_s, agent, queue, recording) VALUES
	('c01','inbound','13800000001','4008001000',$T0,$((T0 + 5000)),$((T0 + 125000)),125,120,'1001','sales','recordings/c01.wav'),
	('c02','inbound','13800000002','4008001000',$((T0 + 1000)),$((T0 + 6000)),$((T0 + 126000)),125,120,'1002','sales','recordings/c02.wav');"

CARD='{"name":"销售质检单","sections":[{"title":"服务","items":[
 {"id":"greet","text":"标准问候语","weight":20},{"id":"listen","text":"耐心倾听","weight":30},
 {"id":"solve","text":"解决问题","weight":40},{"id":"close","text":"结束语","weight":10}]}]}'
http POST /api/v1/qa/scorecards "$CARD" "$QA1" >/dev/null
expect_status 201 "scorecard"
SC=$(jbody 'j["id"]')
score() {   # TOKEN CALL ANSWERS
	http POST /api/v1/qa/evaluations "{\"call_id\":\"$2\",\"scorecard_id\":\"$SC\",\"answers\":$3}" "$1" >/dev/null
	expect_status 201 "score $2"
}
# qa1 and qa2 read the card alike (85); qa3 is harsh (40 of 90: 44.44).
score "$QA1" c01 '{"greet":"yes","listen":"partial","solve":"yes","close":"yes"}'
score "$QA2" c01 '{"greet":"yes","listen":{"answer":"partial","comment":"打断一次"},"solve":"yes","close":"yes"}'
score "$QA3" c01 '{"greet":"yes","listen":"no","solve":"partial","close":"na"}'
score "$QA1" c02 '{"greet":"yes","listen":"yes","solve":"yes","close":"yes"}'

http GET "/api/v1/qa/calibration?call_id=c01" "" "$SUP" >/dev/null
expect_status 200 "calibration of c01"
[ "$(jbody '(j["evaluations"], j["excluded"], j["version"], j["scorecard"], j["score"]["mean"], j["score"]["sd"], j["score"]["min"], j["score"]["max"])')" = \
  "(3, 0, 1, '销售质检单', 71.48, 19.12, 44.44, 85.0)" ] || fail "scores: $HTTP_BODY"
[ "$(jbody '[(i["id"], i["consensus"], i["agreement"], i["spread"], i["yes"], i["partial"], i["no"], i["na"]) for i in j["items"]]')" = \
  "[('greet', 'yes', 1.0, 0.0, 3, 0, 0, 0), ('listen', 'partial', 0.667, 0.5, 0, 2, 1, 0), ('solve', 'yes', 0.667, 0.5, 2, 1, 0, 0), ('close', 'yes', 0.667, 0.0, 2, 0, 0, 1)]" ] ||
	fail "items: $HTTP_BODY"
[ "$(jbody 'j["items"][1]["answers"]')" = "{'qa1': 'partial', 'qa2': 'partial', 'qa3': 'no'}" ] || fail "answers: $HTTP_BODY"
[ "$(jbody '[(i["inspector"], i["score"], i["deviation"], i["differences"]) for i in j["inspectors"]]')" = \
  "[('qa1', 85.0, 13.52, 0), ('qa2', 85.0, 13.52, 0), ('qa3', 44.44, -27.04, 3)]" ] || fail "inspectors: $HTTP_BODY"
ok "three inspectors on one call: per item the consensus, agreement and spread; per inspector the deviation"

# A new version of the card: an evaluation on it is not compared with the
# three on version 1, which still make the calibration.
EDIT=$(printf '%s' "$CARD" | python3 -c 'import json,sys; c=json.load(sys.stdin); c["version"]=1; c["sections"][0]["items"][3]["text"]="礼貌结束语"; print(json.dumps(c))')
http PUT "/api/v1/qa/scorecards/$SC" "$EDIT" "$QA1" >/dev/null
expect_status 200 "scorecard version 2"
http POST /api/v1/qa/evaluations '{"call_id":"c01","answers":{"greet":"no","listen":"no","solve":"no","close":"no"}}' "$ADMIN" >/dev/null
expect_status 201 "admin scores c01 on version 2"
http GET "/api/v1/qa/calibration?call_id=c01" "" "$QA2" >/dev/null
expect_status 200 "calibration with another version"
[ "$(jbody '(j["evaluations"], j["excluded"], j["version"], [i["inspector"] for i in j["inspectors"]])')" = \
  "(3, 1, 1, ['qa1', 'qa2', 'qa3'])" ] || fail "one version: $HTTP_BODY"
ok "only one scorecard version is compared; the others are counted as excluded"

http GET "/api/v1/qa/calibration?call_id=c02" "" "$SUP" >/dev/null
expect_status 409 "one evaluation"
jbody 'j["error"]' | grep -q "two evaluations or more" || fail "reason: $HTTP_BODY"
http GET "/api/v1/qa/calibration" "" "$SUP" >/dev/null
expect_status 400 "no call_id"
[ "$(jbody 'j["error"]')" = "call_id: required" ] || fail "reason: $HTTP_BODY"
http GET "/api/v1/qa/calibration?call_id=nosuch" "" "$SUP" >/dev/null
expect_status 404 "unknown call"
http GET "/api/v1/qa/calibration?call_id=c01" "" "$LEAD2" >/dev/null
expect_status 404 "outside lead2's departments"
for t in "$A1" "$EXEC"; do
	http GET "/api/v1/qa/calibration?call_id=c01" "" "$t" >/dev/null
	expect_status 403 "calibration by an agent or executive"
done
ok "refused: no call_id, an unknown call, a call outside the data scope, one evaluation, agents and executives"

# --- Blind calibration sessions (migration 040). The lead opens one on
# c03 for qa1, qa2 and qa3; until each saves their own evaluation they
# cannot read the others', by any route; the lead's close opens all.
http POST /api/v1/users '{"username":"qa4","password":"password-qa4","role":"qa","extension":"1003"}' "$ADMIN" >/dev/null
expect_status 201 "qa4, also agent 1003"
sqlite3 -cmd '.timeout 5000' "$DB" "INSERT INTO calls (id, direction, caller, callee,
	started_at, answered_at, ended_at, duration_s, talk_s, agent, queue, recording) VALUES
	('c03','inbound','13800000003','4008001000',$((T0 + 2000)),$((T0 + 7000)),$((T0 + 127000)),125,120,'1003','sales','recordings/c03.wav');"
QA4=$(login qa4 password-qa4)
http GET /api/v1/qa/inspectors "" "$SUP" >/dev/null
expect_status 200 "inspectors"
[ "$(jbody '[(i["username"], i["role"]) for i in j["items"]]')" = \
  "[('qa1', 'qa'), ('qa2', 'qa'), ('qa3', 'qa'), ('qa4', 'qa'), ('admin', 'admin')]" ] || fail "inspectors: $HTTP_BODY"

refuse() {   # STATUS BODY TOKEN WHAT: refused with a reason, nothing stored
	http POST /api/v1/qa/calibrations "$2" "$3" >/dev/null
	expect_status "$1" "$4"
	jbody 'j["error"]' | grep -q . || fail "$4: no reason: $HTTP_BODY"
}
refuse 400 '{"call_id":"c03","inspectors":["qa1"]}' "$SUP" "one inspector"
[ "$(jbody 'j["error"]')" = "inspectors: want two or more, to compare" ] || fail "reason: $HTTP_BODY"
refuse 400 '{"call_id":"c03","inspectors":["qa1","qa4"]}' "$SUP" "the call's own agent invited"
[ "$(jbody 'j["error"]')" = "inspectors: qa4 handled this call, and nobody scores their own" ] || fail "reason: $HTTP_BODY"
refuse 400 '{"call_id":"c03","inspectors":["qa1","lead2"]}' "$SUP" "a lead is no inspector"
jbody 'j["problems"]' | grep -q "no QA inspector named lead2" || fail "reason: $HTTP_BODY"
refuse 400 '{"call_id":"c03","inspectors":["qa1","qa2"],"colour":1}' "$SUP" "an unknown field"
refuse 400 '{"inspectors":["qa1","qa2"]}' "$SUP" "no call"
refuse 400 '{"call_id":"nosuch","inspectors":["qa1","qa2"]}' "$SUP" "an unknown call"
refuse 403 '{"call_id":"c03","inspectors":["qa1","qa2"]}' "$LEAD2" "a call outside lead2's departments"
refuse 400 '{"call_id":"c03","scorecard_id":"nosuch","inspectors":["qa1","qa2"]}' "$SUP" "an unknown scorecard"
for t in "$QA1" "$A1" "$EXEC"; do
	http POST /api/v1/qa/calibrations '{"call_id":"c03","inspectors":["qa1","qa2"]}' "$t" >/dev/null
	expect_status 403 "a session opened by an inspector, agent or executive"
done
[ "$(sqlite3 "$DB" 'SELECT COUNT(*) FROM qa_calibrations')" = 0 ] || fail "a refused session was stored"
ok "a session refused with the reason, nothing stored: one inspector, the call's own agent, a non-inspector, unknown fields, calls and cards, outside the lead's scope, not a lead"

http POST /api/v1/qa/calibrations "{\"call_id\":\"c03\",\"scorecard_id\":\"$SC\",\"inspectors\":[\"qa3\",\"qa1\",\"qa2\"],\"note\":\"本周校准\"}" "$SUP" >/dev/null
expect_status 201 "the session"
CS=$(jbody 'j["id"]')
[ "$(jbody '(j["call_id"], j["agent"], j["state"], j["scorecard"], j["note"], j["created_by"], [(i["username"], i["scored"]) for i in j["inspectors"]])')" = \
  "('c03', '1003', 'open', '销售质检单', '本周校准', 'sup', [('qa1', False), ('qa2', False), ('qa3', False)])" ] || fail "session: $HTTP_BODY"
http POST /api/v1/qa/calibrations "{\"call_id\":\"c03\",\"inspectors\":[\"qa1\",\"qa2\"]}" "$ADMIN" >/dev/null
expect_status 409 "a second open session on c03"

# qa1 scores first; the card is the session's (a named other card refused).
http POST /api/v1/qa/scorecards '{"name":"另一张","sections":[{"title":"x","items":[{"id":"x","text":"x","weight":100}]}]}' "$QA1" >/dev/null
expect_status 201 "another card"
OTHER=$(jbody 'j["id"]')
http POST /api/v1/qa/evaluations "{\"call_id\":\"c03\",\"scorecard_id\":\"$OTHER\",\"answers\":{\"x\":\"yes\"}}" "$QA1" >/dev/null
expect_status 400 "another card in a session"
jbody 'j["error"]' | grep -q "calibration session of this call is scored on scorecard $SC" || fail "reason: $HTTP_BODY"
http POST /api/v1/qa/evaluations '{"call_id":"c03","answers":{"greet":"yes","listen":"yes","solve":"yes","close":"yes"}}' "$QA1" >/dev/null
expect_status 201 "qa1 scores c03 (the session's card)"
E1=$(jbody 'j["id"]')
[ "$(jbody '(j["scorecard_id"], j["calibration_id"])')" = "('$SC', '$CS')" ] || fail "card and session: $HTTP_BODY"

# qa2, invited and not yet scored, is blind to qa1's evaluation.
http GET "/api/v1/qa/evaluations?call_id=c03" "" "$QA2" >/dev/null
expect_status 200 "qa2 lists c03"
[ "$(jbody 'j["items"]')" = "[]" ] || fail "qa2 sees before scoring: $HTTP_BODY"
http GET "/api/v1/qa/evaluations" "" "$QA2" >/dev/null
jbody '[i["call_id"] for i in j["items"]]' | grep -q c03 && fail "qa2's unfiltered list holds c03: $HTTP_BODY"
http GET "/api/v1/qa/evaluations/$E1" "" "$QA2" >/dev/null
expect_status 403 "qa2 reads qa1's evaluation"
jbody 'j["error"]' | grep -q "calibration is blind" || fail "reason: $HTTP_BODY"
http GET "/api/v1/qa/calibration?call_id=c03" "" "$QA2" >/dev/null
expect_status 403 "qa2 reads the calibration"
http GET "/api/v1/qa/calibrations/$CS" "" "$QA2" >/dev/null
expect_status 200 "qa2 reads the session"
[ "$(jbody '(j["mine"], j["report"], [(i["username"], i["scored"]) for i in j["inspectors"]])')" = \
  "({'invited': True, 'scored': False, 'blind': True}, None, [('qa1', True), ('qa2', False), ('qa3', False)])" ] || fail "qa2's session: $HTTP_BODY"
jbody 'j["report_note"]' | grep -q "^blind" || fail "note: $HTTP_BODY"
jbody 'j' | grep -q "100.0" && fail "a score shows in the session: $HTTP_BODY"
http GET "/api/v1/qa/calibrations?inspector=me&state=open" "" "$QA2" >/dev/null
[ "$(jbody '[(i["call_id"], i["mine"]["blind"]) for i in j["items"]]')" = "[('c03', True)]" ] || fail "qa2's sessions: $HTTP_BODY"
http GET "/api/v1/qa/calibrations?inspector=me" "" "$QA4" >/dev/null
[ "$(jbody 'j["items"]')" = "[]" ] || fail "qa4 is not invited: $HTTP_BODY"
# Not blind: the lead, a QA user not invited, qa1 (scored).
http GET "/api/v1/qa/evaluations?call_id=c03" "" "$SUP" >/dev/null
[ "$(jbody 'len(j["items"])')" = 1 ] || fail "the lead: $HTTP_BODY"
http GET "/api/v1/qa/evaluations?call_id=c03" "" "$QA4" >/dev/null
[ "$(jbody 'len(j["items"])')" = 1 ] || fail "qa4 (not invited): $HTTP_BODY"
http GET "/api/v1/qa/calibrations/$CS" "" "$QA1" >/dev/null
[ "$(jbody '(j["mine"]["blind"], j["report"])')" = "(False, None)" ] || fail "qa1's session: $HTTP_BODY"
jbody 'j["report_note"]' | grep -q "two evaluations or more" || fail "qa1's note: $HTTP_BODY"
ok "blind: an invited inspector who has not scored reads no other evaluation of the call (list, one, calibration) and sees who scored, not how; the lead, others and qa1 see it"

http POST /api/v1/qa/evaluations '{"call_id":"c03","answers":{"greet":"yes","listen":"no","solve":"yes","close":"yes"}}' "$QA2" >/dev/null
expect_status 201 "qa2 scores c03"
http GET "/api/v1/qa/evaluations?call_id=c03" "" "$QA2" >/dev/null
[ "$(jbody 'sorted(i["inspector"] for i in j["items"])')" = "['qa1', 'qa2']" ] || fail "qa2 after scoring: $HTTP_BODY"
http GET "/api/v1/qa/evaluations/$E1" "" "$QA2" >/dev/null
expect_status 200 "qa2 reads qa1's evaluation once scored"
http GET "/api/v1/qa/calibrations/$CS" "" "$QA2" >/dev/null
[ "$(jbody '(j["mine"]["blind"], j["report"]["evaluations"], [(i["inspector"], i["score"]) for i in j["report"]["inspectors"]])')" = \
  "(False, 2, [('qa1', 100.0), ('qa2', 70.0)])" ] || fail "the report for qa2: $HTTP_BODY"
http GET "/api/v1/qa/evaluations?call_id=c03" "" "$QA3" >/dev/null
[ "$(jbody 'j["items"]')" = "[]" ] || fail "qa3 still blind: $HTTP_BODY"
ok "saving one's own evaluation opens the others' and the session's report (qa3, not yet scored, still blind)"

# An admin scoring c03 (not invited) is left out of the session's report
# but not of the plain calibration.
http POST /api/v1/qa/evaluations "{\"call_id\":\"c03\",\"scorecard_id\":\"$SC\",\"answers\":{\"greet\":\"no\",\"listen\":\"no\",\"solve\":\"no\",\"close\":\"no\"}}" "$ADMIN" >/dev/null
expect_status 201 "admin scores c03"
[ "$(jbody 'j["calibration_id"]')" = None ] || fail "an uninvited score is no calibration: $HTTP_BODY"
# Calibration is practice on the card, not the agent's score: agent 1003
# does not see it, and the reports count only the admin's.
A3=$(login 1003 secret1003)
http GET "/api/v1/qa/evaluations?call_id=c03" "" "$A3" >/dev/null
[ "$(jbody '[i["inspector"] for i in j["items"]]')" = "['admin']" ] || fail "the agent sees a calibration score: $HTTP_BODY"
http GET "/api/v1/qa/evaluations/$E1" "" "$A3" >/dev/null
expect_status 404 "the agent reads a calibration score"
http POST "/api/v1/qa/evaluations/$E1/appeal" '{"reason":"不同意"}' "$A3" >/dev/null
expect_status 404 "the agent appeals a calibration score"
http GET "/api/v1/qa/reports?by=agent" "" "$SUP" >/dev/null
[ "$(jbody '[(i["agent"], i["evaluations"], i["avg_score"]) for i in j["items"] if i["agent"] == "1003"]')" = "[('1003', 1, 0.0)]" ] ||
	fail "the report counts calibration scores: $HTTP_BODY"
ok "calibration scores are the session's: the agent neither sees nor appeals them, the reports leave them out"
for t in "$QA3" "$A1"; do
	http POST "/api/v1/qa/calibrations/$CS/close" "" "$t" >/dev/null
	expect_status 403 "an inspector or agent closes"
done
http POST "/api/v1/qa/calibrations/$CS/close" "" "$LEAD2" >/dev/null
expect_status 403 "lead2 closes outside their scope"
http POST "/api/v1/qa/calibrations/$CS/close" "" "$SUP" >/dev/null
expect_status 200 "the lead closes"
[ "$(jbody '(j["state"], j["closed_by"], j["report"]["evaluations"], [(i["id"], i["spread"]) for i in j["report"]["items"]])')" = \
  "('closed', 'sup', 2, [('greet', 0.0), ('listen', 1.0), ('solve', 0.0), ('close', 0.0)])" ] || fail "closed: $HTTP_BODY"
http POST "/api/v1/qa/calibrations/$CS/close" "" "$SUP" >/dev/null
expect_status 409 "closed twice"
http GET "/api/v1/qa/evaluations?call_id=c03" "" "$QA3" >/dev/null
[ "$(jbody 'len(j["items"])')" = 3 ] || fail "qa3 after the close: $HTTP_BODY"
http GET "/api/v1/qa/calibration?call_id=c03" "" "$QA3" >/dev/null
expect_status 200 "qa3 reads the calibration after the close"
[ "$(jbody 'j["evaluations"]')" = 3 ] || fail "the plain calibration: $HTTP_BODY"
http GET "/api/v1/qa/calibrations?state=closed" "" "$SUP" >/dev/null
[ "$(jbody '[(i["id"] == "'"$CS"'", i["state"]) for i in j["items"]]')" = "[(True, 'closed')]" ] || fail "closed list: $HTTP_BODY"
http GET "/api/v1/qa/calibrations" "" "$LEAD2" >/dev/null
[ "$(jbody 'j["items"]')" = "[]" ] || fail "lead2 sees a session outside their scope: $HTTP_BODY"
http GET "/api/v1/qa/calibrations/$CS" "" "$LEAD2" >/dev/null
expect_status 403 "lead2 reads a session outside their scope"
http GET "/api/v1/qa/calibrations/nosuch" "" "$SUP" >/dev/null
expect_status 404 "an unknown session"
http GET "/api/v1/qa/calibrations?state=sideways" "" "$SUP" >/dev/null
expect_status 400 "a bad state"
http GET "/api/v1/qa/calibrations" "" "$A1" >/dev/null
expect_status 403 "an agent lists sessions"
ok "the lead closes the session (once; not an inspector, agent or lead outside the scope): everyone reads every evaluation; the report compares the invited inspectors only"
stop_server
