# The QA report by=trend: each agent's average final score (监听分值) per
# week (from Monday) or month, in the zone asked for — a score given at
# 01:00 on a Monday in Beijing is in that week, though it is still Sunday
# in UTC — through the data scope, as JSON, CSV and XLSX; the per-item
# view (pass rates) downloads as the other reports do; bad requests are
# refused with the reason.
. "$(dirname "$0")/../lib.sh"

start_server
DB="$DATA_DIR/hotline.db"
ADMIN=$(login admin admin123)
SUP=$(login sup sup123)
http POST /api/v1/departments '{"name":"二组"}' "$ADMIN" >/dev/null
expect_status 201 "department"
G2=$(jbody 'j["id"]')
http PUT /api/v1/users/1002 "{\"department\":\"$G2\"}" "$ADMIN" >/dev/null
expect_status 200 "1002 in 二组"
http POST /api/v1/users "{\"username\":\"lead2\",\"password\":\"password-lead2\",\"role\":\"supervisor\",\"department\":\"$G2\"}" "$ADMIN" >/dev/null
expect_status 201 "lead2"
LEAD2=$(login lead2 password-lead2)
A1=$(login 1001 secret1001)

ms() { python3 -c "import datetime,sys; print(int(datetime.datetime.fromisoformat(sys.argv[1]).timestamp()*1000))" "$1"; }
row() {   # ID AGENT FINAL ISO-TIME
	echo "INSERT INTO qa_evaluations (id, call_id, agent, queue, inspector, scorecard_id,
	scorecard_version, answers, score, earned, possible, failed_critical, sections,
	final_score, created_at) VALUES ('$1', 'c$1', '$2', 'sales', 'u', 'card', 1,
	'{\"greet\":{\"answer\":\"$5\",\"comment\":\"\"}}', $3, 0, 0, 0, '[]', $3, $(ms "$4"));"
}
sqlite3 -cmd '.timeout 5000' "$DB" "BEGIN;
$(row e1 1001 80 2026-11-24T02:00:00+00:00 yes)
$(row e2 1001 90 2026-11-26T10:00:00+00:00 yes)
$(row e3 1001 70 2026-11-29T17:00:00+00:00 no)
$(row e4 1001 60 2026-11-30T17:00:00+00:00 partial)
$(row e5 1002 100 2026-12-02T03:00:00+00:00 na)
COMMIT;"
P="from=2026-11-01T00:00:00Z&to=2026-12-31T00:00:00Z"
trend() { http GET "/api/v1/qa/reports?by=trend&$P$1" "" "${2:-$SUP}" >/dev/null; expect_status 200 "trend $1"; }
rows='[(r["agent"], r["period"], r["evaluations"], r["avg_score"]) for r in j["items"]]'

trend "&tz=Asia/Shanghai"
[ "$(jbody '(j["by"], j["period"], j["total"])')" = "('trend', 'week', None)" ] || fail "trend head: $HTTP_BODY"
[ "$(jbody "$rows")" = "[('1001', '2026-11-23', 2, 85.0), ('1001', '2026-11-30', 2, 65.0), ('1002', '2026-11-30', 1, 100.0)]" ] ||
	fail "weeks in Beijing: $HTTP_BODY"
trend ""
[ "$(jbody "$rows")" = "[('1001', '2026-11-23', 3, 80.0), ('1001', '2026-11-30', 1, 60.0), ('1002', '2026-11-30', 1, 100.0)]" ] ||
	fail "weeks in UTC: $HTTP_BODY"
trend "&period=month&tz=%2B08:00"
[ "$(jbody "$rows")" = "[('1001', '2026-11-01', 3, 80.0), ('1001', '2026-12-01', 1, 60.0), ('1002', '2026-12-01', 1, 100.0)]" ] ||
	fail "months at +08:00: $HTTP_BODY"
trend "&tz=Asia/Shanghai&agent=1002"
[ "$(jbody "$rows")" = "[('1002', '2026-11-30', 1, 100.0)]" ] || fail "one agent: $HTTP_BODY"
trend "&tz=Asia/Shanghai" "$LEAD2"
[ "$(jbody "$rows")" = "[('1002', '2026-11-30', 1, 100.0)]" ] || fail "lead2's scope: $HTTP_BODY"
ok "each agent's score per week (from Monday, in the zone asked for) or month, one agent or all in the data scope"

curl -s -H "Authorization: Bearer $SUP" "$BASE_URL/api/v1/qa/reports?by=trend&$P&tz=Asia/Shanghai&format=csv" >"$TEST_DIR/trend.csv"
python3 - "$TEST_DIR/trend.csv" <<'PY' || fail "the trend CSV"
import csv, io, sys
rows = list(csv.reader(io.open(sys.argv[1], encoding="utf-8-sig")))
assert rows == [["agent", "period", "evaluations", "avg_score"], ["1001", "2026-11-23", "2", "85"],
                ["1001", "2026-11-30", "2", "65"], ["1002", "2026-11-30", "1", "100"]], rows
PY
curl -s -H "Authorization: Bearer $SUP" "$BASE_URL/api/v1/qa/reports?by=trend&$P&tz=Asia/Shanghai&format=xlsx" >"$TEST_DIR/trend.xlsx"
python3 - "$TEST_DIR/trend.xlsx" <<'PY' || fail "the trend workbook"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
rows = [[c.value for c in r] for r in ws.iter_rows()]
assert rows[0] == ["agent", "period", "evaluations", "avg_score"], rows
assert rows[1] == ["1001", "2026-11-23", 2, 85] and len(rows) == 4, rows
PY
curl -s -H "Authorization: Bearer $SUP" "$BASE_URL/api/v1/qa/reports?by=item&$P&format=csv" >"$TEST_DIR/item.csv"
python3 - "$TEST_DIR/item.csv" <<'PY' || fail "the item CSV"
import csv, io, sys
rows = list(csv.reader(io.open(sys.argv[1], encoding="utf-8-sig")))
assert rows[0] == ["scorecard", "item", "text", "yes", "no", "partial", "na", "pass_rate"], rows
# yes 2, no 1, partial 1, N.A. left out: (2 + 0.5) / 4
assert rows[1][1:] == ["greet", "", "2", "1", "1", "1", "0.625"] and len(rows) == 2, rows
PY
ok "the trend as CSV and XLSX (no total line), the pass rate per item as CSV"

for q in "period=day&by=trend" "tz=Mars/Olympus&by=trend" "tz=../etc&by=trend" "by=sideways"; do
	http GET "/api/v1/qa/reports?$q" "" "$SUP" >/dev/null
	expect_status 400 "$q"
	jbody 'j["error"]' | grep -q "^${q%%=*}: " || fail "$q: the reason: $HTTP_BODY"
done
http GET "/api/v1/qa/reports?by=trend" "" "$A1" >/dev/null
expect_status 403 "an agent's trend report"
ok "refused with the reason: a bad period, time zone or report; agents"
stop_server
