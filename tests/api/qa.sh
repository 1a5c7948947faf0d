# Quality inspection (质检) through the API, every endpoint under every
# role it serves and each refusal of issue 16's "Bad input" with nothing
# changed: scorecards with versions (an edit never rewrites an old score),
# scoring a call (N.A., critical items, pinned comments; not one's own
# call, not outside one's data scope, every item answered), the agent's
# one appeal before the deadline and the lead's decision with every step
# kept, and samples drawn by plan (per agent, per queue share, a filter
# on audio measures) shared out among the inspectors.
. "$(dirname "$0")/../lib.sh"

start_server
DB="$DATA_DIR/hotline.db"
ADMIN=$(login admin admin123)
SUP=$(login sup sup123)

dept() {
	http POST /api/v1/departments "$1" "$ADMIN" >/dev/null
	expect_status 201 "department $1"
	jbody 'j["id"]'
}
G1=$(dept '{"name":"一组"}')
G2=$(dept '{"name":"二组"}')
for u in 1001:$G1 1002:$G1 1003:$G2 1004:$G2; do
	http PUT "/api/v1/users/${u%%:*}" "{\"department\":\"${u#*:}\"}" "$ADMIN" >/dev/null
	expect_status 200 "department of ${u%%:*}"
done
user() {
	http POST /api/v1/users "$1" "$ADMIN" >/dev/null
	expect_status 201 "user $1"
}
user '{"username":"qa1","password":"password-qa1","role":"qa"}'
user '{"username":"qa2","password":"password-qa2","role":"qa"}'
# an agent who also inspects: never their own calls
user '{"username":"qa9","password":"password-qa9","role":"qa","extension":"1004"}'
# an inspector narrowed to 二组
user "{\"username\":\"qa3\",\"password\":\"password-qa3\",\"role\":\"qa\",\"scope\":\"departments\",\"department\":\"$G2\"}"
user "{\"username\":\"lead1\",\"password\":\"password-lead1\",\"role\":\"supervisor\",\"department\":\"$G1\"}"
user "{\"username\":\"lead2\",\"password\":\"password-lead2\",\"role\":\"supervisor\",\"department\":\"$G2\"}"
user '{"username":"exec1","password":"password-exec1","role":"executive"}'
user '{"username":"bo1","password":"password-bo1","role":"backoffice"}'
# (after the departments: a user's change ends their sessions)
A1=$(login 1001 secret1001); A2=$(login 1002 secret1002)
QA1=$(login qa1 password-qa1); QA2=$(login qa2 password-qa2)
QA3=$(login qa3 password-qa3); QA9=$(login qa9 password-qa9)
LEAD1=$(login lead1 password-lead1); LEAD2=$(login lead2 password-lead2)
EXEC=$(login exec1 password-exec1); BO=$(login bo1 password-bo1)

# The CTI sockets of 1001, 1002 and the two leads listen throughout.
WS_PIDS=""
ws() {
	WS_SECONDS=240 WS_FRAMES=100000 python3 "$(dirname "$0")/ws_client.py" 127.0.0.1 "$HTTP_PORT" \
		"/api/v1/events?token=$1" >"$TEST_DIR/ws_$2.out" 2>&1 &
	WS_PIDS="$WS_PIDS $!"
}
ws "$A1" 1001; ws "$A2" 1002; ws "$LEAD1" lead1; ws "$LEAD2" lead2
for _ in $(seq 1 100); do
	[ "$(cat "$TEST_DIR"/ws_*.out 2>/dev/null | grep -c status=101)" = 4 ] && break
	sleep 0.1
done

# Calls of the last days: c01..c16, agents 1001..1004 in turn (1001 and
# 1002 in sales, 1003 and 1004 in service), 120 s each; n1 never
# answered. c03 overtalks 20 % of its recording, c07 is silent for 40 s.
NOW=$(date +%s%3N)
T0=$((NOW - 2 * 86400000))
rows=""
for i in $(seq 1 16); do
	a=$((1001 + (i - 1) % 4)); qn=sales; [ $a -ge 1003 ] && qn=service
	rows="$rows('c$(printf %02d $i)','inbound','1380000$(printf %04d $i)','4008001000',$((T0 + i * 1000)),$((T0 + i * 1000 + 5000)),$((T0 + i * 1000 + 125000)),125,120,'$a','$qn',NULL,'recordings/c$i.wav'),"
done
sqlite3 -cmd '.timeout 5000' "$DB" "INSERT INTO calls (id, direction, caller, callee,
	started_at, answered_at, ended_at, duration_s, talk_s, agent, queue, transfer_by, recording) VALUES
	$rows ('n1','inbound','13800009999','4008001000',$T0,NULL,$((T0 + 9000)),9,0,NULL,'sales',NULL,NULL);
	INSERT INTO call_audio (call_id, status, measured_at, duration_ms, overtalk_ms, longest_silence_ms) VALUES
	('c03','ok',$NOW,120000,24000,2000), ('c07','ok',$NOW,120000,1000,40000), ('c11','ok',$NOW,120000,3000,3000);"

count() { sqlite3 -cmd '.timeout 5000' "$DB" "SELECT COUNT(*) FROM $1"; }
# says TEXT: the last answer's error or one of its problems holds TEXT.
says() {
	local p; p=$(jbody '"\n".join([j["error"]] + j.get("problems", []))')
	case "$p" in *"$1"*) ;; *) fail "no '$1' in: $HTTP_BODY" ;; esac
}

# --- scorecards
CARD='{"name":"销售质检单","queue":"sales","sections":[
 {"title":"开场","items":[{"id":"greet","text":"标准问候语","weight":20},
  {"id":"notice","text":"告知通话录音","weight":0,"critical":true}]},
 {"title":"处理","items":[{"id":"listen","text":"耐心倾听","weight":30},
  {"id":"solve","text":"解决问题","weight":40},{"id":"close","text":"结束语","weight":10}]}]}'
BAD=$(printf '%s' "$CARD" | python3 -c 'import json,sys; c=json.load(sys.stdin); c["sections"][1]["items"][2]["weight"]=15; c["colour"]="red"; c["sections"][0]["items"][0]["points"]=3; print(json.dumps(c))')
http POST /api/v1/qa/scorecards "$BAD" "$QA1" >/dev/null
expect_status 400 "weights that do not add up"
says "weights add up to 105, not 100"
says "colour: unknown field"
says "item greet: a weights card gives weight, not points"
[ -n "$(jbody 'j["error"]')" ] || fail "no error: $HTTP_BODY"
[ "$(count qa_scorecards)" = 0 ] || fail "a refused scorecard was stored"
http POST /api/v1/qa/scorecards '{"name":"x","sections":[]}' "$QA1" >/dev/null
expect_status 400 "no sections"
for t in "$A1" "$EXEC" "$BO"; do
	http POST /api/v1/qa/scorecards "$CARD" "$t" >/dev/null
	expect_status 403 "scorecard by a reader"
done
http POST /api/v1/qa/scorecards "$CARD" "$QA1" >/dev/null
expect_status 201 "the sales scorecard"
SC=$(jbody 'j["id"]')
[ "$(jbody '(j["version"], j["mode"], j["queue"], j["active"], len(j["sections"]), j["versions"][0]["saved_by"])')" = "(1, 'weights', 'sales', True, 2, 'qa1')" ] ||
	fail "scorecard: $HTTP_BODY"
http POST /api/v1/qa/scorecards '{"name":"通用质检单","mode":"points","sections":[{"title":"全部","items":[
 {"id":"polite","text":"礼貌","points":3},{"id":"right","text":"答复正确","points":5},
 {"id":"law","text":"合规","points":2,"critical":true}]}]}' "$SUP" >/dev/null
expect_status 201 "a general points scorecard by a supervisor"
GEN=$(jbody 'j["id"]')
http GET /api/v1/qa/scorecards "" "$A1" >/dev/null
expect_status 200 "an agent reads scorecards (业务员应该完整地了解评分方法)"
[ "$(jbody 'sorted(c["name"] for c in j["items"])')" = "['通用质检单', '销售质检单']" ] || fail "list: $HTTP_BODY"
http GET "/api/v1/qa/scorecards?queue=service" "" "$BO" >/dev/null
[ "$(jbody '[c["name"] for c in j["items"]]')" = "['通用质检单']" ] || fail "for service: $HTTP_BODY"
http GET /api/v1/qa/scorecards/nosuch "" "$QA1" >/dev/null
expect_status 404 "unknown scorecard"
ok "scorecards: every problem of a form listed and nothing stored; editors write, everyone reads"

# --- scoring
ANS='"answers":{"greet":"yes","notice":"yes","listen":{"answer":"partial","comment":"打断客户两次"},"solve":"yes","close":"na"}'
http POST /api/v1/qa/evaluations "{\"call_id\":\"c01\",\"scorecard_id\":\"$SC\",$ANS,\"pins\":[{\"at_ms\":42000,\"text\":\"这里应先确认客户身份\"}],\"comment\":\"整体良好\"}" "$QA1" >/dev/null
expect_status 201 "score c01"
E1=$(jbody 'j["id"]')
# listen partial 15 of 30, close N.A.: 75 of 90
[ "$(jbody '(j["score"], j["final_score"], j["earned"], j["possible"], j["failed_critical"], j["state"], j["scorecard_version"], j["agent"], j["queue"], j["inspector"])')" = \
  "(83.33, 83.33, 75.0, 90.0, False, 'scored', 1, '1001', 'sales', 'qa1')" ] || fail "E1: $HTTP_BODY"
[ "$(jbody '(j["answers"]["listen"], j["pins"], [s["score"] for s in j["sections"]])')" = \
  "({'answer': 'partial', 'comment': '打断客户两次'}, [{'at_ms': 42000, 'text': '这里应先确认客户身份'}], [100.0, 78.57])" ] || fail "E1 answers: $HTTP_BODY"
[ "$(jbody '[h["action"] for h in j["history"]]')" = "['scored']" ] || fail "history: $HTTP_BODY"
http POST /api/v1/qa/evaluations '{"call_id":"c02","answers":{"greet":"yes","notice":"no","listen":"yes","solve":"yes","close":"yes"}}' "$QA2" >/dev/null
expect_status 201 "score c02 on the queue's card"
E2=$(jbody 'j["id"]')
[ "$(jbody '(j["scorecard_id"] == "'$SC'", j["score"], j["failed_critical"])')" = "(True, 0.0, True)" ] ||
	fail "a missing compliance phrase fails the call: $HTTP_BODY"
http POST /api/v1/qa/evaluations '{"call_id":"c03","answers":{"polite":"yes","right":"partial","law":"na"}}' "$QA1" >/dev/null
expect_status 201 "score c03 (service) on the general card"
E3=$(jbody 'j["id"]')
[ "$(jbody '(j["scorecard_id"] == "'$GEN'", j["score"], j["earned"], j["possible"])')" = "(True, 68.75, 5.5, 8.0)" ] ||
	fail "points, N.A.: $HTTP_BODY"

before=$(count qa_evaluations)
refuse() {   # refuse STATUS TOKEN BODY WHAT TEXT
	http POST /api/v1/qa/evaluations "$3" "$2" >/dev/null
	expect_status "$1" "$4"
	says "$5"
}
refuse 400 "$QA1" '{"call_id":"c05","answers":{"greet":"yes","listen":"maybe","solve":"yes","extra":"yes"}}' \
	"items unanswered" "item close: no answer"
says "item listen: want yes, no, partial or na"
says "item extra: not on this scorecard"
says "item notice: no answer"
refuse 400 "$QA1" '{"call_id":"c05","answers":{"greet":"yes","notice":"partial","listen":"yes","solve":"yes","close":"yes"}}' \
	"partial on a critical item" "critical item is yes, no or na"
refuse 400 "$QA1" '{"call_id":"c05","answers":{"greet":"na","notice":"na","listen":"na","solve":"na","close":"na"}}' \
	"every item N.A." "nothing to score"
refuse 400 "$QA1" '{"call_id":"c05","answers":{"greet":"yes","notice":"yes","listen":"yes","solve":"yes","close":"yes"},"pins":[{"at_ms":900000,"text":"x"}]}' \
	"a pin after the recording's end" "pins[0]: at_ms must be within the recording"
refuse 400 "$QA1" '{"call_id":"nosuch","answers":{}}' "an unknown call" "call_id: no such call"
refuse 400 "$QA1" '{"call_id":"n1","answers":{}}' "a call nobody answered" "no agent answered"
refuse 400 "$QA1" '{"answers":{}}' "no call" "call_id: required"
refuse 400 "$QA1" '{"call_id":"c05","scorecard_id":"nosuch","answers":{}}' "an unknown scorecard" "scorecard_id: no such scorecard"
refuse 403 "$QA3" "{\"call_id\":\"c05\",$ANS}" "a call outside the inspector's data scope" "outside your data scope"
refuse 403 "$QA9" "{\"call_id\":\"c04\",\"scorecard_id\":\"$GEN\",\"answers\":{\"polite\":\"yes\",\"right\":\"yes\",\"law\":\"yes\"}}" \
	"an inspector scoring their own call" "nobody scores their own call"
refuse 409 "$QA1" "{\"call_id\":\"c01\",$ANS}" "the same call twice" "scored this call already"
for t in "$A1" "$SUP" "$LEAD1" "$EXEC" "$BO"; do
	http POST /api/v1/qa/evaluations "{\"call_id\":\"c05\",$ANS}" "$t" >/dev/null
	expect_status 403 "scoring by a non-inspector"
done
[ "$(count qa_evaluations)" = "$before" ] || fail "a refused score was stored"
[ "$(count qa_history)" = "$before" ] || fail "a refused score left history"
http POST /api/v1/qa/evaluations "{\"call_id\":\"c08\",\"scorecard_id\":\"$GEN\",\"answers\":{\"polite\":\"yes\",\"right\":\"yes\",\"law\":\"yes\"}}" "$QA3" >/dev/null
expect_status 201 "qa3 scores a call of 二组"
E8=$(jbody 'j["id"]')
ok "scoring: partial, N.A. and critical items; every refusal with its reason and nothing stored"

# --- versions: the edit makes version 2; E1 keeps version 1 and its score
V2=$(printf '%s' "$CARD" | python3 -c 'import json,sys; c=json.load(sys.stdin); i=c["sections"]; i[0]["items"][0]["weight"]=10; i[1]["items"][2]["weight"]=20; c["version"]=1; print(json.dumps(c))')
http PUT "/api/v1/qa/scorecards/$SC" "$V2" "$QA2" >/dev/null
expect_status 200 "edit the scorecard"
[ "$(jbody '(j["version"], j["sections"][0]["items"][0]["weight"], [v["version"] for v in j["versions"]])')" = "(2, 10, [1, 2])" ] ||
	fail "version 2: $HTTP_BODY"
http PUT "/api/v1/qa/scorecards/$SC" "$V2" "$QA2" >/dev/null
expect_status 409 "a stale edit"
http PUT "/api/v1/qa/scorecards/$SC" "$BAD" "$QA2" >/dev/null
expect_status 400 "an edit whose weights do not add up"
http PUT "/api/v1/qa/scorecards/$SC" '{"name":"x"}' "$A1" >/dev/null
expect_status 403 "an agent edits a scorecard"
http PUT "/api/v1/qa/scorecards/nosuch" '{"name":"x"}' "$QA1" >/dev/null
expect_status 404 "edit an unknown scorecard"
http GET "/api/v1/qa/scorecards/$SC" "" "$A2" >/dev/null
[ "$(jbody '(j["version"], j["name"])')" = "(2, '销售质检单')" ] || fail "refused edits changed the card: $HTTP_BODY"
http GET "/api/v1/qa/scorecards/$SC?version=1" "" "$A2" >/dev/null
[ "$(jbody '(j["version"], j["sections"][0]["items"][0]["weight"])')" = "(1, 20)" ] || fail "version 1: $HTTP_BODY"
http GET "/api/v1/qa/scorecards/$SC?version=9" "" "$A2" >/dev/null
expect_status 404 "no version 9"
http GET "/api/v1/qa/evaluations/$E1" "" "$QA1" >/dev/null
[ "$(jbody '(j["scorecard_version"], j["score"])')" = "(1, 83.33)" ] || fail "E1 after the edit: $HTTP_BODY"
http POST /api/v1/qa/evaluations '{"call_id":"c05","answers":{"greet":"no","notice":"yes","listen":"yes","solve":"yes","close":"yes"}}' "$QA1" >/dev/null
expect_status 201 "score c05 on version 2"
E5=$(jbody 'j["id"]')
[ "$(jbody '(j["scorecard_version"], j["score"])')" = "(2, 90.0)" ] || fail "E5 on version 2: $HTTP_BODY"
ok "versions: an edit is version 2, a stale or bad edit is refused, old scores keep version 1"

# --- reading: the data scope over the evaluated agent
ids() { http GET "/api/v1/qa/evaluations$1" "" "$2" >/dev/null; expect_status 200 "list $1"; jbody '",".join(sorted(e["call_id"] for e in j["items"]))'; }
[ "$(ids "" "$A1")" = "c01,c05" ] || fail "1001 sees $(ids "" "$A1")"
[ "$(ids "" "$A2")" = "c02" ] || fail "1002 sees its own"
[ "$(ids "" "$LEAD1")" = "c01,c02,c05" ] || fail "lead1 sees 一组"
[ "$(ids "" "$LEAD2")" = "c03,c08" ] || fail "lead2 sees 二组"
[ "$(ids "" "$EXEC")" = "c01,c02,c03,c05,c08" ] || fail "executive sees all"
[ "$(ids "?inspector=qa1" "$QA2")" = "c01,c03,c05" ] || fail "by inspector"
[ "$(ids "?agent=1001&state=scored" "$SUP")" = "c01,c05" ] || fail "by agent and state"
[ "$(ids "?queue=service" "$ADMIN")" = "c03,c08" ] || fail "by queue"
[ "$(ids "?scorecard_id=$GEN" "$ADMIN")" = "c03,c08" ] || fail "by scorecard"
http GET "/api/v1/qa/evaluations?limit=2" "" "$ADMIN" >/dev/null
CUR=$(jbody 'j["next_cursor"]')
[ "$(jbody 'len(j["items"])')" = 2 ] || fail "page 1: $HTTP_BODY"
http GET "/api/v1/qa/evaluations?limit=2&cursor=$CUR" "" "$ADMIN" >/dev/null
[ "$(jbody 'len(j["items"])')" = 2 ] || fail "page 2: $HTTP_BODY"
for bad in "state=lost" "limit=0" "cursor=zz" "from=yesterday"; do
	http GET "/api/v1/qa/evaluations?$bad" "" "$ADMIN" >/dev/null
	expect_status 400 "list ?$bad"
done
http GET "/api/v1/qa/evaluations/$E1" "" "$A2" >/dev/null
expect_status 403 "another agent's evaluation"
[ "$(jbody 'j["error"]')" = "outside your data scope" ] || fail "403 reason: $HTTP_BODY"
http GET "/api/v1/qa/evaluations/$E1" "" "$LEAD2" >/dev/null
expect_status 403 "another team's evaluation"
http GET /api/v1/qa/evaluations/nosuch "" "$A1" >/dev/null
expect_status 404 "unknown evaluation"
http GET /api/v1/qa/evaluations "" "$BO" >/dev/null
expect_status 403 "back office reads no evaluations"
ok "evaluations: agents their own, leads their teams', filters and pages"

# --- appeal and decision
http POST "/api/v1/qa/evaluations/$E1/appeal" '{"reason":"x"}' "$QA1" >/dev/null
expect_status 403 "an inspector appeals"
http POST "/api/v1/qa/evaluations/$E1/appeal" '{"reason":"x"}' "$A2" >/dev/null
expect_status 403 "another agent appeals"
http POST "/api/v1/qa/evaluations/$E1/appeal" '{}' "$A1" >/dev/null
expect_status 400 "an appeal without a reason"
http POST "/api/v1/qa/evaluations/$E1/appeal" '{"reason":"x","score":100}' "$A1" >/dev/null
expect_status 400 "an appeal naming its own score"
[ "$(count qa_appeals)" = 0 ] || fail "a refused appeal was stored"
http POST "/api/v1/qa/evaluations/$E1/decision" '{"outcome":"upheld","reason":"x"}' "$LEAD1" >/dev/null
expect_status 409 "a decision before any appeal"
http POST "/api/v1/qa/evaluations/$E1/appeal" '{"reason":"客户要求挂断后才打断，属正常确认"}' "$A1" >/dev/null
expect_status 201 "1001 appeals"
[ "$(jbody '(j["state"], j["appeal"]["reason"][:4], j["appeal"]["appealed_by"], j["appeal"]["outcome"], [h["action"] for h in j["history"]])')" = \
  "('appealed', '客户要求', '1001', None, ['scored', 'appealed'])" ] || fail "appealed: $HTTP_BODY"
http POST "/api/v1/qa/evaluations/$E1/appeal" '{"reason":"again"}' "$A1" >/dev/null
expect_status 409 "a second appeal"
says "one appeal each"
# E5 was scored eight days ago: past qa.appeal_days (7)
sqlite3 -cmd '.timeout 5000' "$DB" "UPDATE qa_evaluations SET created_at = $((NOW - 8 * 86400000)) WHERE id = '$E5'"
http POST "/api/v1/qa/evaluations/$E5/appeal" '{"reason":"late"}' "$A1" >/dev/null
expect_status 409 "an appeal after the deadline"
says "deadline passed"
[ "$(count qa_appeals)" = 1 ] || fail "refused appeals were stored"

for bad in '{"outcome":"maybe","reason":"x"}:outcome' '{"outcome":"changed","reason":"x"}:score' \
	   '{"outcome":"changed","reason":"x","score":101}:score' '{"outcome":"upheld","reason":"x","score":50}:score' \
	   '{"outcome":"upheld"}:reason'; do
	http POST "/api/v1/qa/evaluations/$E1/decision" "${bad%:*}" "$LEAD1" >/dev/null
	expect_status 400 "decision ${bad%:*}"
	case "$(jbody 'j["error"]')" in "${bad##*:}"*) ;; *) fail "reason does not name ${bad##*:}: $HTTP_BODY" ;; esac
done
http POST "/api/v1/qa/evaluations/$E1/decision" '{"outcome":"upheld","reason":"x"}' "$LEAD2" >/dev/null
expect_status 403 "a lead of another team decides"
for t in "$A1" "$QA1" "$EXEC"; do
	http POST "/api/v1/qa/evaluations/$E1/decision" '{"outcome":"upheld","reason":"x"}' "$t" >/dev/null
	expect_status 403 "a decision by a non-lead"
done
http GET "/api/v1/qa/evaluations/$E1" "" "$A1" >/dev/null
[ "$(jbody '(j["state"], j["final_score"])')" = "('appealed', 83.33)" ] || fail "refused decisions changed it: $HTTP_BODY"
http POST "/api/v1/qa/evaluations/$E1/decision" '{"outcome":"changed","reason":"确认属正常流程，倾听项改为满分","score":100}' "$LEAD1" >/dev/null
expect_status 200 "lead1 changes the score"
[ "$(jbody '(j["state"], j["score"], j["final_score"], j["appeal"]["outcome"], j["appeal"]["decided_by"], j["appeal"]["old_score"], j["appeal"]["new_score"])')" = \
  "('changed', 83.33, 100.0, 'changed', 'lead1', 83.33, 100.0)" ] || fail "changed: $HTTP_BODY"
[ "$(jbody '[(h["step"], h["action"], h["by"]) for h in j["history"]]')" = \
  "[(1, 'scored', 'qa1'), (2, 'appealed', '1001'), (3, 'changed', 'lead1')]" ] || fail "history: $HTTP_BODY"
[ "$(jbody 'j["history"][2]["detail"]')" = "{'reason': '确认属正常流程，倾听项改为满分', 'old_score': 83.33, 'new_score': 100.0}" ] ||
	fail "decision detail: $HTTP_BODY"
http POST "/api/v1/qa/evaluations/$E1/decision" '{"outcome":"upheld","reason":"x"}' "$SUP" >/dev/null
expect_status 409 "a second decision"
http POST "/api/v1/qa/evaluations/$E2/appeal" '{"reason":"通话中已告知录音"}' "$A2" >/dev/null
expect_status 201 "1002 appeals"
http POST "/api/v1/qa/evaluations/$E2/decision" '{"outcome":"upheld","reason":"录音中未告知"}' "$ADMIN" >/dev/null
expect_status 200 "admin upholds"
[ "$(jbody '(j["state"], j["final_score"], j["appeal"]["new_score"])')" = "('upheld', 0.0, 0.0)" ] || fail "upheld: $HTTP_BODY"
http POST /api/v1/qa/evaluations/nosuch/appeal '{"reason":"x"}' "$A1" >/dev/null
expect_status 404 "appeal of an unknown evaluation"
ok "appeals: once, by the evaluated agent, before the deadline; a lead of the team decides once; every step kept"

# --- samples
sample() {   # sample TOKEN BODY: draws, leaves the answer in HTTP_BODY
	http POST /api/v1/qa/samples "$2" "$1" >/dev/null
}
sample "$A1" '{"plan":"all"}'
expect_status 403 "an agent draws a sample"
sample "$EXEC" '{"plan":"all"}'
expect_status 403 "an executive draws a sample"
sample "$QA1" '{"plan":"some","colour":1,"filter":{"loud":1,"max_rating":9},"from":"x"}'
expect_status 400 "a bad plan"
for want in "plan: want per-agent, percent or all" "colour: unknown field" "filter.loud: unknown filter" \
	    "filter.max_rating: want a number 1..5" "from: want an RFC 3339 time"; do
	says "$want"
done
sample "$QA1" '{"plan":"per-agent","n":0}'
expect_status 400 "n 0"
sample "$QA1" '{"plan":"percent","pct":0}'
expect_status 400 "pct 0"
sample "$QA1" '{"plan":"all","inspectors":["1001"]}'
expect_status 400 "an agent named as inspector"
[ "$(count qa_samples)" = 0 ] || fail "a refused sample was stored"

# The audio measures first: c07's 40 s silence; c03 overtalks but is scored.
sample "$SUP" '{"plan":"all","filter":{"min_silence_s":30},"inspectors":["qa9"]}'
expect_status 201 "a filter on the audio measures"
[ "$(jbody '[(i["call_id"], i["inspector"]) for i in j["items"]]')" = "[('c07', 'qa9')]" ] || fail "silence: $HTTP_BODY"
sample "$SUP" '{"plan":"all","filter":{"min_overtalk_pct":10}}'
expect_status 201 "overtalk above 10 %"
[ "$(jbody 'j["calls"]')" = 0 ] || fail "c03 was scored already: $HTTP_BODY"
# 16 calls, 5 scored, c07 drawn: 10 left, 2 or 3 per agent; 2 each drawn.
# qa9 waits for c07 already, so it gets one fewer, and none of 1004's.
sample "$QA1" '{"plan":"per-agent","n":2,"seed":7,"inspectors":["qa1","qa2","qa9"]}'
expect_status 201 "per-agent sample"
S1=$(jbody 'j["id"]')
[ "$(jbody '(j["calls"], j["unassigned"], j["seed"])')" = "(8, 0, 7)" ] || fail "per agent: $HTTP_BODY"
[ "$(jbody '[sum(1 for i in j["items"] if i["agent"] == a) for a in ("1001","1002","1003","1004")]')" = "[2, 2, 2, 2]" ] ||
	fail "two per agent: $HTTP_BODY"
[ "$(jbody '[i for i in j["items"] if i["inspector"] == "qa9" and i["agent"] == "1004"]')" = "[]" ] ||
	fail "qa9 got its own call: $HTTP_BODY"
[ "$(jbody '[sum(1 for i in j["items"] if i["inspector"] == q) for q in ("qa1","qa2","qa9")]')" = "[3, 3, 2]" ] ||
	fail "balance: $HTTP_BODY"
[ "$(jbody '[i["call_id"] for i in j["items"] if i["call_id"] in ("c01","c02","c03","c05","c07","c08")]')" = "[]" ] ||
	fail "scored or drawn calls drawn again: $HTTP_BODY"
sample "$ADMIN" '{"plan":"all","agent":"1004","inspectors":["qa9"]}'
expect_status 201 "1004's last call, for 1004 alone"
[ "$(jbody '(j["calls"], j["unassigned"], j["items"][0]["inspector"])')" = "(1, 1, None)" ] ||
	fail "a call only its own agent could inspect: $HTTP_BODY"
sample "$QA2" '{"plan":"per-agent","n":2,"seed":7}'
expect_status 201 "the same plan again, every QA user"
[ "$(jbody '[i["agent"] for i in j["items"]]')" = "['1002']" ] || fail "no call is drawn twice: $HTTP_BODY"
# qa3 waits for nothing but may see 二组's calls only: 1002's goes to qa1
[ "$(jbody '[i["inspector"] for i in j["items"]]')" = "['qa1']" ] || fail "outside qa3's data scope: $HTTP_BODY"
sample "$QA1" '{"plan":"percent","pct":50,"from":"2020-01-01T00:00:00Z","to":"2020-02-01T00:00:00Z"}'
expect_status 201 "a period without calls"
[ "$(jbody 'j["calls"]')" = 0 ] || fail "old period: $HTTP_BODY"
# --- reports over the five evaluations so far
report() { http GET "/api/v1/qa/reports?$1" "" "$2" >/dev/null; expect_status 200 "report ?$1"; }
report by=agent "$QA2"
[ "$(jbody '[(i["agent"], i["evaluations"], i["avg_score"], i["appeals"], i["upheld"], i["changed"], i["failed_critical"]) for i in j["items"]]')" = \
  "[('1001', 2, 95.0, 1, 0, 1, 0), ('1002', 1, 0.0, 1, 1, 0, 1), ('1003', 1, 68.75, 0, 0, 0, 0), ('1004', 1, 100.0, 0, 0, 0, 0)]" ] ||
	fail "by agent: $HTTP_BODY"
[ "$(jbody '(j["total"]["evaluations"], j["total"]["avg_score"], j["total"]["appeal_rate"], j["total"]["changed_rate"])')" = "(5, 71.75, 0.4, 0.5)" ] ||
	fail "total: $HTTP_BODY"
[ "$(jbody 'j["items"][0]["avg_given_score"]')" = 86.67 ] || [ "$(jbody 'j["items"][0]["avg_given_score"]')" = 86.66 ] ||
	fail "given: $HTTP_BODY"
report by=agent "$LEAD1"
[ "$(jbody '[i["agent"] for i in j["items"]]')" = "['1001', '1002']" ] || fail "lead1's report: $HTTP_BODY"
report by=queue "$EXEC"
[ "$(jbody '[(i["queue"], i["evaluations"]) for i in j["items"]]')" = "[('sales', 3), ('service', 2)]" ] || fail "by queue: $HTTP_BODY"
report by=inspector "$SUP"
[ "$(jbody '[(i["inspector"], i["evaluations"], i["pending"]) for i in j["items"]]')" = \
  "[('qa1', 3, 4), ('qa2', 1, 3), ('qa3', 1, 0), ('qa9', 0, 3)]" ] || fail "workload: $HTTP_BODY"
report by=item "$ADMIN"
[ "$(jbody 'sorted((i["item"], i["yes"], i["no"], i["partial"], i["na"], round(i["pass_rate"], 4), i["text"], i["scorecard"]) for i in j["items"] if i["item"] in ("greet", "listen", "close"))')" = \
  "[('close', 2, 0, 0, 1, 1.0, '结束语', '销售质检单'), ('greet', 2, 1, 0, 0, 0.6667, '标准问候语', '销售质检单'), ('listen', 2, 0, 1, 0, 0.8333, '耐心倾听', '销售质检单')]" ] ||
	fail "by item: $HTTP_BODY"
[ "$(jbody '(len(j["items"]), j["total"])')" = "(8, None)" ] || fail "items: $HTTP_BODY"
http GET "/api/v1/qa/reports?by=agent&format=csv" "" "$LEAD1" >/dev/null
expect_status 200 "the report as CSV"
http_header Content-Type | grep -q '^text/csv' || fail "csv type: $(http_header Content-Type)"
python3 - "$TEST_DIR/http.body" <<'PY' || fail "csv: $HTTP_BODY"
import csv, sys
raw = open(sys.argv[1], "rb").read()
assert raw.startswith(b"\xef\xbb\xbf"), "no BOM"
rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
assert rows[0][:3] == ["agent", "evaluations", "avg_score"], rows[0]
assert "pending" not in rows[0], rows[0]
assert [r[:3] for r in rows[1:]] == [["1001", "2", "95"], ["1002", "1", "0"], ["total", "3", "63.33"]], rows
PY
http GET "/api/v1/qa/reports?by=item&format=csv" "" "$QA1" >/dev/null
expect_status 200 "items as CSV"
[ "$(printf '%s' "$HTTP_BODY" | grep -c '标准问候语')" = 1 ] || fail "item csv: $HTTP_BODY"
http GET "/api/v1/qa/reports?by=agent&format=xlsx" "" "$LEAD1" >/dev/null
expect_status 200 "the report as XLSX"
http_header Content-Type | grep -q 'spreadsheetml' || fail "xlsx type: $(http_header Content-Type)"
cp "$TEST_DIR/http.body" "$TEST_DIR/report.xlsx"
python3 - "$TEST_DIR/report.xlsx" <<'PY' || fail "xlsx: not the CSV's rows"
import openpyxl, sys
ws = openpyxl.load_workbook(sys.argv[1]).active
rows = [[c.value for c in r] for r in ws.iter_rows()]
assert rows[0][:3] == ["agent", "evaluations", "avg_score"], rows[0]
assert [r[:3] for r in rows[1:]] == [["1001", 2, 95], ["1002", 1, 0], ["total", 3, 63.33]], rows
PY
http GET "/api/v1/qa/reports?by=agent&format=xml" "" "$QA1" >/dev/null
expect_status 400 "format xml"
report "by=agent&from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z" "$ADMIN"
[ "$(jbody '(j["items"], j["total"]["evaluations"], j["total"]["avg_score"])')" = "([], 0, None)" ] || fail "empty period: $HTTP_BODY"
for bad in "by=team" "by=agent&from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z" "by=agent&to=soon"; do
	http GET "/api/v1/qa/reports?$bad" "" "$ADMIN" >/dev/null
	expect_status 400 "report ?$bad"
done
for t in "$A1" "$BO"; do
	http GET "/api/v1/qa/reports?by=agent" "" "$t" >/dev/null
	expect_status 403 "a report for agents and back office"
done
ok "reports: by agent (监听分值), queue, inspector (workload) and item, in the data scope"

http GET "/api/v1/qa/samples?sample_id=$S1" "" "$QA1" >/dev/null
expect_status 200 "list a sample"
[ "$(jbody 'len(j["items"])')" = 8 ] || fail "sample list: $HTTP_BODY"
http GET "/api/v1/qa/samples?inspector=me&state=pending" "" "$QA1" >/dev/null
MINE=$(jbody '[i["call_id"] for i in j["items"]][0]')
N0=$(jbody 'len(j["items"])')
[ "$(jbody 'set(i["inspector"] for i in j["items"])')" = "{'qa1'}" ] || fail "mine: $HTTP_BODY"
http POST /api/v1/qa/evaluations "{\"call_id\":\"$MINE\",\"scorecard_id\":\"$GEN\",\"answers\":{\"polite\":\"yes\",\"right\":\"yes\",\"law\":\"yes\"}}" "$QA1" >/dev/null
expect_status 201 "score a sampled call"
http GET "/api/v1/qa/samples?inspector=me&state=pending" "" "$QA1" >/dev/null
[ "$(jbody 'len(j["items"])')" = $((N0 - 1)) ] || fail "pending after scoring: $HTTP_BODY"
http GET "/api/v1/qa/samples?inspector=me&state=done" "" "$QA1" >/dev/null
[ "$(jbody '[(i["call_id"], i["state"]) for i in j["items"]]')" = "[('$MINE', 'done')]" ] || fail "done: $HTTP_BODY"
http GET "/api/v1/qa/samples?state=lost" "" "$QA1" >/dev/null
expect_status 400 "a bad state"
http GET /api/v1/qa/samples "" "$A1" >/dev/null
expect_status 403 "an agent lists samples"
ok "samples: per agent, balanced, never an inspector's own call, no call twice, filters on audio measures"

# --- the CTI WebSocket: each agent heard of their own scores and
# decisions, each lead of their team's appeals
sleep 0.5
kill $WS_PIDS 2>/dev/null; wait $WS_PIDS 2>/dev/null || true
heard() {
	python3 - "$TEST_DIR/ws_$1.out" "$E1" "$E2" "$E5" <<'PY'
import json, sys
names = {sys.argv[2]: "E1", sys.argv[3]: "E2", sys.argv[4]: "E5"}
out = []
for line in open(sys.argv[1]):
    if line.startswith("{"):
        m = json.loads(line)
        if m.get("type", "").startswith("qa."):
            out.append((m["type"], names.get(m["subject"], "other"), m["data"]["state"]))
print(sorted(out))
PY
}
[ "$(heard 1001)" = "[('qa.decided', 'E1', 'changed'), ('qa.evaluated', 'E1', 'scored'), ('qa.evaluated', 'E5', 'scored')]" ] ||
	[ "$(heard 1001)" = "[('qa.decided', 'E1', 'changed'), ('qa.evaluated', 'E1', 'scored'), ('qa.evaluated', 'E5', 'scored'), ('qa.evaluated', 'other', 'scored')]" ] ||
	fail "1001 heard $(heard 1001)"
case "$(heard 1002)" in "[('qa.decided', 'E2', 'upheld'), ('qa.evaluated', 'E2', 'scored')"*) ;; *) fail "1002 heard $(heard 1002)" ;; esac
[ "$(heard lead1)" = "[('qa.appealed', 'E1', 'appealed'), ('qa.appealed', 'E2', 'appealed')]" ] || fail "lead1 heard $(heard lead1)"
[ "$(heard lead2)" = "[]" ] || fail "lead2 heard $(heard lead2)"
ok "qa.evaluated and qa.decided reach the agent alone, qa.appealed the agent's leads"

# --- qa.appeal_days, read once at start, is the deadline every request
# uses: at 10 days E5 (scored eight days ago, refused above at 7) may
# still be appealed, and its deadline says so
stop_server
printf '[qa]\nappeal_days = 10\n' >"$TEST_DIR/qa.ini"
start_server --config "$TEST_DIR/qa.ini"
A1=$(login 1001 secret1001)
http GET "/api/v1/qa/evaluations/$E5" "" "$A1" >/dev/null
expect_status 200 "E5 after the restart"
WANT=$(python3 -c 'import sys, time; print(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(sys.argv[1]) // 1000 + 10 * 86400)))' \
	"$(sqlite3 -cmd '.timeout 5000' "$DB" "SELECT created_at FROM qa_evaluations WHERE id = '$E5'")")
[ "$(jbody 'j["appeal_deadline"]')" = "$WANT" ] || fail "E5's deadline at 10 days: $HTTP_BODY (want $WANT)"
http POST "/api/v1/qa/evaluations/$E5/appeal" '{"reason":"late"}' "$A1" >/dev/null
expect_status 201 "an appeal eight days on, with qa.appeal_days = 10"
ok "qa.appeal_days = 10: the deadline ten days after the score, an appeal on the eighth day taken"

stop_server
