#!/usr/bin/env bash
# The QA report's trend and per-item views in a real browser (the reader in
# Beijing). Seeded with sqlite3: agent 1001 scored 80 and 90 two weeks ago
# and 70 at 00:30 on last week's Monday in Beijing (still Sunday in UTC),
# agent 1002 100 last week. In the browser (qa_trend.mjs) the lead picks
# 坐席得分趋势: one ECharts line per agent by week (85 then 70; 1002 only
# last week), then by month, downloads the trend as XLSX, and reads the
# pass rate of the scorecard item (62.5 %) under 按考评项.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../sip/lib_sip.bash"
source "$(dirname "$0")/lib_web.bash"

start_server
DB="$DATA_DIR/hotline.db"
ADMIN=$(login admin admin123)
read -r PREV2 PREV W2 W1 <<<"$(python3 - <<'PY'
import datetime
bj = datetime.timezone(datetime.timedelta(hours=8))
now = datetime.datetime.now(bj)
monday = (now - datetime.timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
prev, prev2 = monday - datetime.timedelta(days=7), monday - datetime.timedelta(days=14)
ms = lambda d: int(d.timestamp() * 1000)
print(ms(prev2), ms(prev), prev2.date().isoformat(), prev.date().isoformat())
PY
)"
row() {   # ID AGENT FINAL MS ANSWER
	echo "INSERT INTO qa_evaluations (id, call_id, agent, queue, inspector, scorecard_id,
	scorecard_version, answers, score, earned, possible, failed_critical, sections,
	final_score, created_at) VALUES ('$1', 'c$1', '$2', 'sales', 'u', 'card', 1,
	'{\"greet\":{\"answer\":\"$5\",\"comment\":\"\"}}', $3, 0, 0, 0, '[]', $3, $4);"
}
H=3600000
sqlite3 -cmd '.timeout 5000' "$DB" "BEGIN;
$(row e1 1001 80 $((PREV2 + 34 * H)) yes)
$(row e2 1001 90 $((PREV2 + 82 * H)) yes)
$(row e3 1001 70 $((PREV + H / 2)) no)
$(row e4 1002 100 $((PREV + 24 * H)) partial)
COMMIT;"

web_start qa_trend.mjs "$W2" "$W1" "$TEST_DIR/trend.xlsx"
web_end
python3 - "$TEST_DIR/trend.xlsx" "$W2" "$W1" <<'PY' || fail "the downloaded trend workbook"
import sys, openpyxl
rows = [[c.value for c in r] for r in openpyxl.load_workbook(sys.argv[1]).active.iter_rows()]
w2, w1 = sys.argv[2], sys.argv[3]
assert rows == [["agent", "period", "evaluations", "avg_score"], ["1001", w2, 2, 85], ["1001", w1, 1, 70],
                ["1002", w1, 1, 100]], rows
PY
ok "the downloaded workbook holds the weekly trend in Beijing's weeks"
stop_server
