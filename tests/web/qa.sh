#!/usr/bin/env bash
# Quality inspection (质检) in a real browser. Seeded through the API as
# tests/api/qa.sh does (a scorecard, a sample handing the call to qa1) and
# a call of agent 1001 with a real 20 s stereo WAV (a tone per channel) as
# tests/web/calls.sh does, and its audio measures. In the browser: qa1
# sees the measures' bar beside the player, plays the recording at
# 1.5×, pins a comment at 5.0 s, saves too early and reads the server's
# refusal, then scores every item (83.33); agent 1001, signed in all
# along, is told of the score, reads the evaluation (the pin plays from
# 5.0 s), is refused an appeal without a reason and appeals; the lead
# (sup) changes the score to 90 and the agent is told; the QA report by
# agent shows 90 and downloads as CSV and XLSX. The API then holds what
# the browser did.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../sip/lib_sip.bash"
source "$(dirname "$0")/lib_web.bash"

start_server
DB="$DATA_DIR/hotline.db"
ADMIN=$(login admin admin123)
http POST /api/v1/users '{"username":"qa1","password":"password-qa1","role":"qa"}' "$ADMIN" >/dev/null
expect_status 201 "inspector qa1"
QA1=$(login qa1 password-qa1)

NOW=$(( $(date +%s) * 1000 - 3600000 ))
# The call with its audio measures, in one transaction (as calls.sh does):
# 20 s, the customer alone 8 s, the agent alone 6 s, both 2 s, neither 4 s,
# and the player's lanes of those spans.
sqlite3 -cmd '.timeout 5000' "$DB" "BEGIN; INSERT INTO calls (id, direction, caller, callee,
	started_at, answered_at, ended_at, duration_s, talk_s, agent, queue, hangup_by, recording) VALUES
 ('q1','inbound','13800138001','4008001000',$NOW,$((NOW+2000)),$((NOW+22000)),22,20,'1001','sales','caller','recordings/q1.wav');
 INSERT INTO call_audio (call_id, status, error, measured_at, duration_ms, customer_talk_ms,
	agent_talk_ms, overtalk_ms, longest_silence_ms, silences_over_10s, hold_ms, agent_words_per_min, timeline) VALUES
 ('q1','ok',NULL,$NOW,20000,10000,8000,2000,3500,0,0,150,
  '{\"duration_ms\":20000,\"merge_ms\":200,\"silence_min_ms\":5000,\"customer\":[[500,10500]],\"agent\":[[8500,16500]],\"overtalk\":[[8500,10500]],\"silence\":[],\"hold\":[]}');
 COMMIT;"
mkdir -p "$DATA_DIR/recordings"
python3 -c 'import sys, wave, math, struct
w = wave.open(sys.argv[1], "wb"); w.setnchannels(2); w.setsampwidth(2); w.setframerate(8000)
w.writeframes(b"".join(struct.pack("<hh", int(8000 * math.sin(i * 0.3)), int(6000 * math.sin(i * 0.5)))
	for i in range(8000 * 20))); w.close()' "$DATA_DIR/recordings/q1.wav"

http POST /api/v1/qa/scorecards '{"name":"销售质检单","queue":"sales","sections":[
 {"title":"开场","items":[{"id":"greet","text":"标准问候语","weight":20},
  {"id":"notice","text":"告知通话录音","weight":0,"critical":true}]},
 {"title":"处理","items":[{"id":"listen","text":"耐心倾听","weight":30},
  {"id":"solve","text":"解决问题","weight":40},{"id":"close","text":"结束语","weight":10}]}]}' "$QA1" >/dev/null
expect_status 201 "the sales scorecard"
http POST /api/v1/qa/samples '{"plan":"all","inspectors":["qa1"]}' "$ADMIN" >/dev/null
expect_status 201 "a sample"
[ "$(jbody '[(i["call_id"], i["inspector"]) for i in j["items"]]')" = "[('q1', 'qa1')]" ] || fail "sample: $HTTP_BODY"

web_start qa.mjs "$TEST_DIR/report.csv"
web_end
http GET "/api/v1/qa/evaluations?call_id=q1" "" "$ADMIN" >/dev/null
EID=$(jbody 'j["items"][0]["id"]')
http GET "/api/v1/qa/evaluations/$EID" "" "$ADMIN" >/dev/null
[ "$(jbody '(j["score"], j["final_score"], j["state"], j["pins"], j["answers"]["listen"])')" = \
  "(83.33, 90.0, 'changed', [{'at_ms': 5000, 'text': '这里应先确认客户身份'}], {'answer': 'partial', 'comment': '打断客户两次'})" ] ||
	fail "the evaluation the browser made: $HTTP_BODY"
[ "$(jbody '[(h["action"], h["by"]) for h in j["history"]]')" = "[('scored', 'qa1'), ('appealed', '1001'), ('changed', 'sup')]" ] ||
	fail "history: $HTTP_BODY"
[ "$(jbody '(j["appeal"]["reason"], j["appeal"]["decision"])')" = "('已按流程确认身份', '复听确认，改为90分')" ] ||
	fail "appeal: $HTTP_BODY"
python3 - "$TEST_DIR/report.csv" <<'PY' || fail "the downloaded CSV"
import csv, io, sys
rows = list(csv.reader(io.open(sys.argv[1], encoding="utf-8-sig")))
assert rows[0][0] == "agent", rows[0]
agent = [r for r in rows if r[0] == "1001"]
assert len(agent) == 1 and "90" in agent[0], rows
PY
ok "the API holds the browser's evaluation (pin at 5.0 s), the appeal and the changed score; the CSV has 90"
stop_server
