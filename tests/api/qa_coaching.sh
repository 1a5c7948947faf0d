# Teaching cases (教学案例, 录音辅导) through the API: an inspector marks a
# scored call as an excellent case with a note and a clip of its
# recording, shared with a team; the team's members (and those of the
# teams under it) see it with the pinned comments inside the clip and play
# the clip, cut by the server sample for sample; other teams do not; bad
# forms are refused with every reason and nothing stored; only the author
# or an admin withdraws a case.
. "$(dirname "$0")/../lib.sh"

start_server
DB="$DATA_DIR/hotline.db"
ADMIN=$(login admin admin123)
dept() {
	http POST /api/v1/departments "$1" "$ADMIN" >/dev/null
	expect_status 201 "department $1"
	jbody 'j["id"]'
}
G1=$(dept '{"name":"一组"}')
G1A=$(dept "{\"name\":\"一组A\",\"parent_id\":\"$G1\"}")
G2=$(dept '{"name":"二组"}')
for u in 1001:$G2 1002:$G1 1003:$G1A 1004:$G2; do
	http PUT "/api/v1/users/${u%%:*}" "{\"department\":\"${u#*:}\"}" "$ADMIN" >/dev/null
	expect_status 200 "department of ${u%%:*}"
done
for u in qa1 qa2; do
	http POST /api/v1/users "{\"username\":\"$u\",\"password\":\"password-$u\",\"role\":\"qa\"}" "$ADMIN" >/dev/null
	expect_status 201 "user $u"
done
http POST /api/v1/users '{"username":"exec1","password":"password-exec1","role":"executive"}' "$ADMIN" >/dev/null
expect_status 201 "exec1"
QA1=$(login qa1 password-qa1); QA2=$(login qa2 password-qa2); EXEC=$(login exec1 password-exec1)
A1=$(login 1001 secret1001); A2=$(login 1002 secret1002); A3=$(login 1003 secret1003); A4=$(login 1004 secret1004)

# c1: 20 s, recorded (frame i holds i % 30000 left, -(i % 30000) right);
# c2: not recorded.
T0=$(($(date +%s%3N) - 86400000))
sqlite3 -cmd '.timeout 5000' "$DB" "INSERT INTO calls (id, direction, caller, callee,
	started_at, answered_at, ended_at, duration_s, talk_s, agent, queue, recording) VALUES
	('c1','inbound','13800000001','4008001000',$T0,$((T0 + 2000)),$((T0 + 22000)),20,20,'1001','sales','recordings/c1.wav'),
	('c2','inbound','13800000002','4008001000',$T0,$((T0 + 2000)),$((T0 + 22000)),20,20,'1001','sales',NULL);"
mkdir -p "$DATA_DIR/recordings"
python3 -c 'import sys, wave, struct
w = wave.open(sys.argv[1], "wb"); w.setnchannels(2); w.setsampwidth(2); w.setframerate(8000)
w.writeframes(b"".join(struct.pack("<hh", i % 30000, -(i % 30000)) for i in range(8000 * 20))); w.close()' "$DATA_DIR/recordings/c1.wav"

http POST /api/v1/qa/scorecards '{"name":"辅导单","sections":[{"title":"服务","items":[{"id":"greet","text":"标准问候语","weight":100}]}]}' "$QA1" >/dev/null
expect_status 201 "scorecard"
http POST /api/v1/qa/evaluations '{"call_id":"c1","answers":{"greet":"yes"},"pins":[{"at_ms":3000,"text":"主动确认身份"},{"at_ms":12000,"text":"片段之外"}]}' "$QA1" >/dev/null
expect_status 201 "qa1 scores c1"
E1=$(jbody 'j["id"]')
http POST /api/v1/qa/evaluations '{"call_id":"c2","answers":{"greet":"no"}}' "$QA1" >/dev/null
expect_status 201 "qa1 scores c2"
E2=$(jbody 'j["id"]')

http GET /api/v1/qa/teams "" "$QA1" >/dev/null
expect_status 200 "teams"
[ "$(jbody '[d["name"] for d in j["items"]]')" = "['一组', '一组A', '二组']" ] || fail "teams: $HTTP_BODY"

refuse() {   # STATUS BODY TOKEN WHAT [REASON]
	http POST /api/v1/qa/cases "$2" "$3" >/dev/null
	expect_status "$1" "$4"
	[ -z "${5:-}" ] || jbody 'j["error"] + " " + " ".join(j.get("problems", []))' | grep -q -- "$5" || fail "$4: $HTTP_BODY"
}
GOOD="\"evaluation_id\":\"$E1\",\"department_id\":\"$G1\""
refuse 400 "{$GOOD,\"kind\":\"great\",\"note\":\"x\",\"clip_from_s\":2,\"clip_to_s\":10}" "$QA1" "a bad kind" "kind: want excellent or poor"
refuse 400 "{$GOOD,\"kind\":\"poor\",\"clip_from_s\":2,\"clip_to_s\":10}" "$QA1" "no note" "note: required"
refuse 400 "{$GOOD,\"kind\":\"poor\",\"note\":\"x\",\"clip_from_s\":10,\"clip_to_s\":2}" "$QA1" "from after to" "0 <= from < to"
refuse 400 "{$GOOD,\"kind\":\"poor\",\"note\":\"x\",\"clip_from_s\":2,\"clip_to_s\":25}" "$QA1" "past the end" "past the end of the recording (20 s)"
refuse 400 "{\"evaluation_id\":\"$E1\",\"department_id\":\"nosuch\",\"kind\":\"poor\",\"note\":\"x\",\"clip_from_s\":2,\"clip_to_s\":10}" "$QA1" "an unknown team" "department_id: want the team"
refuse 400 "{$GOOD,\"kind\":\"poor\",\"note\":\"x\",\"clip_from_s\":2,\"clip_to_s\":10,\"share\":1}" "$QA1" "an unknown field" "share: unknown field"
refuse 400 "{\"evaluation_id\":\"$E2\",\"department_id\":\"$G1\",\"kind\":\"poor\",\"note\":\"x\",\"clip_from_s\":2,\"clip_to_s\":10}" "$QA1" "no recording" "no recording to clip"
refuse 404 "{\"evaluation_id\":\"nosuch\",\"department_id\":\"$G1\",\"kind\":\"poor\",\"note\":\"x\",\"clip_from_s\":2,\"clip_to_s\":10}" "$QA1" "an unknown evaluation" "no such evaluation"
for t in "$A1" "$EXEC"; do
	refuse 403 "{$GOOD,\"kind\":\"poor\",\"note\":\"x\",\"clip_from_s\":2,\"clip_to_s\":10}" "$t" "a case marked by an agent or executive"
done
[ "$(sqlite3 "$DB" 'SELECT COUNT(*) FROM qa_cases')" = 0 ] || fail "a refused case was stored"
ok "a case refused with every reason, nothing stored: kind, note, clip, team, unknown fields and evaluations, a call without recording, agents and executives"

http POST /api/v1/qa/cases "{$GOOD,\"kind\":\"excellent\",\"note\":\"开场规范，可供新人学习\",\"clip_from_s\":2,\"clip_to_s\":10}" "$QA1" >/dev/null
expect_status 201 "the case"
CASE=$(jbody 'j["id"]')
[ "$(jbody '(j["call_id"], j["agent"], j["kind"], j["note"], j["clip_from_s"], j["clip_to_s"], j["department"], j["created_by"], j["score"], j["pins"])')" = \
  "('c1', '1001', 'excellent', '开场规范，可供新人学习', 2.0, 10.0, '一组', 'qa1', 100.0, [{'at_ms': 1000, 'text': '主动确认身份'}])" ] ||
	fail "the case: $HTTP_BODY"
ok "qa1 marks c1 as an excellent case, clip 2-10 s shared with 一组: the pin at 3 s comes as 1 s into the clip, the one at 12 s not"

for t in "$A2" "$A3" "$A1" "$QA2"; do
	http GET /api/v1/qa/cases "" "$t" >/dev/null
	expect_status 200 "cases"
	[ "$(jbody '[c["id"] for c in j["items"]]')" = "['$CASE']" ] || fail "a member of 一组 (or below, or the call's agent) does not see the case: $HTTP_BODY"
done
http GET /api/v1/qa/cases "" "$A4" >/dev/null
[ "$(jbody 'j["items"]')" = "[]" ] || fail "二组's 1004 sees the case: $HTTP_BODY"
http GET "/api/v1/qa/cases/$CASE" "" "$A4" >/dev/null
expect_status 404 "1004 reads the case"
http GET "/api/v1/qa/cases/$CASE/clip" "" "$A4" >/dev/null
expect_status 404 "1004 plays the clip"
http GET "/api/v1/qa/cases?kind=poor" "" "$A2" >/dev/null
[ "$(jbody 'j["items"]')" = "[]" ] || fail "kind filter: $HTTP_BODY"
http GET "/api/v1/qa/cases?kind=great" "" "$A2" >/dev/null
expect_status 400 "a bad kind filter"
ok "the case reaches 一组 and 一组A (and the call's own agent, and QA), not 二组"

curl -s -o "$TEST_DIR/clip.wav" -w '%{http_code} %{content_type}' -H "Authorization: Bearer $A3" \
	"$BASE_URL/api/v1/qa/cases/$CASE/clip" >"$TEST_DIR/clip.status"
[ "$(cat "$TEST_DIR/clip.status")" = "200 audio/wav" ] || fail "the clip: $(cat "$TEST_DIR/clip.status")"
python3 - "$TEST_DIR/clip.wav" <<'PY' || fail "the clip's samples"
import struct, sys, wave
w = wave.open(sys.argv[1])
assert (w.getnchannels(), w.getframerate(), w.getnframes()) == (2, 8000, 64000), (w.getnchannels(), w.getframerate(), w.getnframes())
first = struct.unpack("<hh", w.readframes(1))
assert first == (16000, -16000), first
w.setpos(63999)
assert struct.unpack("<hh", w.readframes(1)) == (79999 % 30000, -(79999 % 30000))
PY
ok "the clip is the recording's 2-10 s sample for sample, and nothing else"

mv "$DATA_DIR/recordings/c1.wav" "$DATA_DIR/recordings/c1.moved"
http GET "/api/v1/qa/cases/$CASE/clip" "" "$A2" >/dev/null
expect_status 404 "a missing recording"
jbody 'j["error"]' | grep -q "the recording is missing: c1.wav" || fail "reason: $HTTP_BODY"
mv "$DATA_DIR/recordings/c1.moved" "$DATA_DIR/recordings/c1.wav"

# A calibration of c1 keeps qa2 blind to qa1's evaluation, its case too.
http POST /api/v1/qa/calibrations '{"call_id":"c1","inspectors":["qa1","qa2"]}' "$ADMIN" >/dev/null
expect_status 201 "a calibration session on c1"
CS=$(jbody 'j["id"]')
http GET /api/v1/qa/cases "" "$QA2" >/dev/null
[ "$(jbody 'j["items"]')" = "[]" ] || fail "qa2, blind, sees the case: $HTTP_BODY"
http GET "/api/v1/qa/cases/$CASE" "" "$QA2" >/dev/null
expect_status 404 "qa2, blind, reads the case"
http GET "/api/v1/qa/cases/$CASE" "" "$A2" >/dev/null
expect_status 200 "the team still reads the case"
http POST "/api/v1/qa/calibrations/$CS/close" "" "$ADMIN" >/dev/null
expect_status 200 "closed"
http GET "/api/v1/qa/cases/$CASE" "" "$QA2" >/dev/null
expect_status 200 "qa2 reads the case once the session is closed"
ok "an inspector kept blind by a calibration of the call does not see its cases until the session closes"

for t in "$QA2" "$A2"; do
	http DELETE "/api/v1/qa/cases/$CASE" "" "$t" >/dev/null
	expect_status 403 "withdrawn by someone else"
done
http DELETE "/api/v1/qa/cases/$CASE" "" "$QA1" >/dev/null
expect_status 200 "withdrawn by its author"
http GET /api/v1/qa/cases "" "$A2" >/dev/null
[ "$(jbody 'j["items"]')" = "[]" ] || fail "a withdrawn case: $HTTP_BODY"
ok "a missing recording is said so; only the author (or an admin) withdraws a case"
stop_server
