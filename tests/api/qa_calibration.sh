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
stop_server
