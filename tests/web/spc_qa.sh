#!/usr/bin/env bash
# 控制图's 质检评分 tab in a real browser: twelve weeks of agent 1001's QA
# scores, five a week (each Wednesday noon UTC, so every zone agrees on
# the week), steady around 85 until the last week, which falls to about
# 60. The page (spc_qa.mjs) draws the X̄-R chart by week with the range
# chart under it, the last week in red as rule 1 and the signal listed;
# n = 10 (no week has ten) shows the server's too-few-points refusal in
# Chinese (and the histogram's too-few-values); the rules' names stay
# clear of the limits' names; CSV and Excel
# download; a quality inspector (qa1) sees this tab alone; the daily
# summary (of yesterday: reports_seed.py's KPI rows) shows the QA score's
# reference target in Chinese too.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_web.bash"

start_server
DB="$DATA_DIR/hotline.db"
WEEKS=$(python3 - "$DB" <<'PY'
import datetime, sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=5)
now = datetime.datetime.now(datetime.timezone.utc)
monday = (now - datetime.timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
weeks = []
for w in range(12):
    day = monday - datetime.timedelta(days=7 * (12 - w)) + datetime.timedelta(days=2, hours=12)
    weeks.append(day)
    for k in range(5):
        s = 60 + k * 2 if w == 11 else 80 + (w * 3 + k * 4) % 11
        db.execute("INSERT INTO qa_evaluations (id, call_id, agent, queue, inspector, scorecard_id, "
                   "scorecard_version, answers, score, earned, possible, failed_critical, sections, "
                   "final_score, created_at) VALUES (?, ?, '1001', 'sales', 'u', 'card', 1, '{}', "
                   "?, 0, 0, 0, '[]', ?, ?)", ("e%d-%d" % (w, k), "c%d-%d" % (w, k), s, s,
                   int((day + datetime.timedelta(minutes=k)).timestamp() * 1000)))
db.commit()
print(len(weeks))
PY
)
[ "$WEEKS" = 12 ] || fail "seeding"
# KPI rows for the daily summary's day (yesterday), as the reports test has.
[ "$(python3 "$(dirname "$0")/reports_seed.py" "$DB" "$(date +%s%3N)")" = 96 ] || fail "seeding the KPI rows"
ADMIN=$(login admin admin123)
http POST /api/v1/users '{"username":"qa1","password":"password-qa1","role":"qa"}' "$ADMIN" >/dev/null
expect_status 201 "the quality inspector qa1"
web_start spc_qa.mjs
web_end
stop_server
