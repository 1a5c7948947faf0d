#!/usr/bin/env bash
# Teaching cases (辅导) in a real browser. Seeded through the API: teams
# 一组 (agent 1002) and 二组, a 20 s stereo recording of agent 1001's call
# c1, scored by qa1 with comments pinned at 3 s and 6 s. In the browser
# (qa_coaching.mjs): qa1 picks the evaluation, sets the clip's start from
# the playing recording (2 s) and types its end (10 s), is refused without
# a note, then shares an excellent case with 一组; agent 1002 finds it under
# 辅导, plays the clip (8 s long: nothing outside it) and the player stops
# at each pinned comment (1 s and 4 s into the clip). The API then holds
# what the browser did.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../sip/lib_sip.bash"
source "$(dirname "$0")/lib_web.bash"

start_server
DB="$DATA_DIR/hotline.db"
ADMIN=$(login admin admin123)
http POST /api/v1/departments '{"name":"一组"}' "$ADMIN" >/dev/null
expect_status 201 "一组"
G1=$(jbody 'j["id"]')
http POST /api/v1/departments '{"name":"二组"}' "$ADMIN" >/dev/null
expect_status 201 "二组"
http PUT /api/v1/users/1002 "{\"department\":\"$G1\"}" "$ADMIN" >/dev/null
expect_status 200 "1002 in 一组"
http POST /api/v1/users '{"username":"qa1","password":"password-qa1","role":"qa"}' "$ADMIN" >/dev/null
expect_status 201 "inspector qa1"
QA1=$(login qa1 password-qa1)
NOW=$(( $(date +%s) * 1000 - 3600000 ))
sqlite3 -cmd '.timeout 5000' "$DB" "INSERT INTO calls (id, direction, caller, callee,
	started_at, answered_at, ended_at, duration_s, talk_s, agent, queue, hangup_by, recording) VALUES
 ('c1','inbound','13800138001','4008001000',$NOW,$((NOW+2000)),$((NOW+22000)),20,20,'1001','sales','caller','recordings/c1.wav');"
mkdir -p "$DATA_DIR/recordings"
python3 -c 'import sys, wave, math, struct
w = wave.open(sys.argv[1], "wb"); w.setnchannels(2); w.setsampwidth(2); w.setframerate(8000)
w.writeframes(b"".join(struct.pack("<hh", int(8000 * math.sin(i * 0.3)), int(6000 * math.sin(i * 0.5)))
	for i in range(8000 * 20))); w.close()' "$DATA_DIR/recordings/c1.wav"
http POST /api/v1/qa/scorecards '{"name":"辅导单","sections":[{"title":"服务","items":[{"id":"greet","text":"标准问候语","weight":100}]}]}' "$QA1" >/dev/null
expect_status 201 "scorecard"
http POST /api/v1/qa/evaluations '{"call_id":"c1","answers":{"greet":"yes"},"pins":[{"at_ms":3000,"text":"先确认客户身份"},{"at_ms":6000,"text":"复述客户诉求"}]}' "$QA1" >/dev/null
expect_status 201 "qa1 scores c1"

web_start qa_coaching.mjs
web_end
http GET /api/v1/qa/cases "" "$ADMIN" >/dev/null
[ "$(jbody '[(c["call_id"], c["kind"], c["note"], c["clip_from_s"], c["clip_to_s"], c["department"], c["created_by"], [p["at_ms"] for p in c["pins"]]) for c in j["items"]]')" = \
  "[('c1', 'excellent', '开场规范，值得学习', 2.0, 10.0, '一组', 'qa1', [1000, 4000])]" ] || fail "the case the browser made: $HTTP_BODY"
ok "the API holds the browser's case: clip 2-10 s shared with 一组, the pins 1 s and 4 s into it"
stop_server
