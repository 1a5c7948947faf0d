#!/usr/bin/env bash
# The report pages management reads (控制图, 直方图, 日报, 归属地分布), over
# a database seeded by reports_seed.py: six weeks of daily KPI buckets of
# queue sales whose handle time stays above its centre for the last eight
# days (the deck's rule "8") and jumps past 3σ yesterday (rule "1"), the
# service level falling to 60 % yesterday, and yesterday's calls from
# known provinces with two queues' talk times far apart. First the API the
# pages read: the chart's signals, its CSV and XLSX (opened with openpyxl),
# the calls by province, the stored-measure histogram and the refusals;
# then the pages in the browser (reports.mjs).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_web.bash"

start_server
DB="$DATA_DIR/hotline.db"
NOW=$(date +%s%3N)
TODAY=$((NOW - NOW % 86400000))
YDAY=$(date -u -d "@$(( TODAY / 1000 - 86400 ))" +%Y-%m-%d)
iso() { date -u -d "@$(( $1 / 1000 ))" +%Y-%m-%dT%H:%M:%SZ; }
[ "$(python3 "$(dirname "$0")/reports_seed.py" "$DB" "$NOW")" = 96 ] || fail "seeding"
SUP=$(login sup sup123)

# --- the KPI's control chart: the seeded signals, exactly where they are
FROM=$(iso $((TODAY - 42 * 86400000)))
Q="kpi=avg_handle_time&queue=sales&from=$FROM&to=$(iso "$TODAY")"
http GET "/api/v1/reports/spc?$Q&interval=1d" "" "$SUP" >/dev/null
expect_status 200 "the handle time's chart"
[ "$(jbody 'len(j["points"])')" = 42 ] || fail "42 days charted: $HTTP_BODY"
[ "$(jbody '[s["points"] for s in j["signals"] if s["rule"] == "8"]')" = \
  "[[34, 35, 36, 37, 38, 39, 40, 41]]" ] || fail "rule 8 over the last eight days: $HTTP_BODY"
[ "$(jbody '[s["points"] for s in j["signals"] if s["rule"] == "1"]')" = "[[41]]" ] ||
	fail "rule 1 yesterday only: $HTTP_BODY"
[ "$(jbody 'len(j["checks"]["items"]) > 0')" = True ] || fail "the KPI's 监控措施: $HTTP_BODY"
LAST=$(jbody 'j["points"][-1]')
UCL=$(jbody 'j["ucl"]')
ok "the handle time's chart flags the last eight days (8) and yesterday (1), with its checks"

http GET "/api/v1/reports/spc?$Q&format=csv" "" "$SUP" >/dev/null
expect_status 200 "the chart as CSV"
http_header Content-Type | grep -q '^text/csv' || fail "CSV type: $(http_header Content-Type)"
python3 - "$TEST_DIR/http.body" "$LAST" <<'PY' || fail "the CSV's rows"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
assert rows[0][:6] == ["point", "start", "value", "center", "lcl", "ucl"], rows[0]
assert len(rows) == 43, len(rows)
assert abs(float(rows[-1][2]) - float(sys.argv[2])) < 1e-3, rows[-1]
assert set(rows[-1][-1].split()) == {"8", "1", "3", "5"}, rows[-1]
assert rows[1][-1] == "" and rows[1][10] == "", rows[1]
PY
[ "$(curl -s -o "$TEST_DIR/chart.xlsx" -w '%{http_code}' -H "Authorization: Bearer $SUP" \
	"$BASE_URL/api/v1/reports/spc?$Q&format=xlsx")" = 200 ] || fail "the chart as XLSX"
PY3=/usr/bin/python3; [ -x "$PY3" ] || PY3=python3
"$PY3" - "$TEST_DIR/chart.xlsx" "$LAST" "$UCL" <<'PY' || fail "the XLSX opened with openpyxl"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
rows = list(ws.iter_rows(values_only=True))
assert rows[0][0] == "point" and rows[0][-1] == "signals", rows[0]
assert len(rows) == 43, len(rows)
assert abs(rows[-1][2] - float(sys.argv[2])) < 1e-6 and abs(rows[-1][5] - float(sys.argv[3])) < 1e-6, rows[-1]
assert "8" in rows[-1][-1].split() and rows[1][-1] is None, rows[-1]
PY
ok "CSV and XLSX carry the same points, limits and signals (XLSX read by openpyxl)"

http GET "/api/v1/reports/spc?$Q&interval=1w" "" "$SUP" >/dev/null
expect_status 200 "weeks"
[ "$(jbody 'j["interval_ms"]')" = 604800000 ] || fail "a week's interval: $HTTP_BODY"
for bad in "interval=2w" "format=pdf"; do
	http GET "/api/v1/reports/spc?kpi=asa&$bad" "" "$SUP" >/dev/null
	expect_status 400 "$bad"
done

# --- calls by province: yesterday's seeded calls
R="from=$(iso $((TODAY - 86400000)))&to=$(iso "$TODAY")"
http GET "/api/v1/reports/calls-by-region?$R" "" "$SUP" >/dev/null
expect_status 200 "calls by region"
[ "$(jbody '[j["total"], j["unknown"]["calls"], j["provinces"][0]["province"], j["provinces"][0]["calls"], [c["calls"] for c in j["provinces"][0]["cities"]]]')" = \
  "[96, 5, '广东省', 40, [25, 15]]" ] || fail "by province: $HTTP_BODY"
http GET "/api/v1/reports/calls-by-region?$R&direction=sideways" "" "$SUP" >/dev/null
expect_status 400 "an unknown direction"
ok "calls by province: 广东省 40 (深圳市 25, 广州市 15), 5 of no known region, 96 in all"

# A team lead sees the calls of their department's agents only (1001).
ADMIN=$(login admin admin123)
http POST /api/v1/departments '{"name":"一组"}' "$ADMIN" >/dev/null
expect_status 201 "a department"
G1=$(jbody 'j["id"]')
http PUT /api/v1/users/1001 "{\"department\":\"$G1\"}" "$ADMIN" >/dev/null
expect_status 200 "1001 in 一组"
http POST /api/v1/users "{\"username\":\"lead1\",\"password\":\"password-lead1\",\"role\":\"supervisor\",\"department\":\"$G1\"}" "$ADMIN" >/dev/null
expect_status 201 "the lead of 一组"
LEAD=$(login lead1 password-lead1)
WANT=$(sqlite3 "$DB" "SELECT COUNT(*) FROM calls WHERE agent = '1001'")
http GET "/api/v1/reports/calls-by-region?$R" "" "$LEAD" >/dev/null
expect_status 200 "the lead's calls by region"
[ "$(jbody 'j["total"]')" = "$WANT" ] && [ "$WANT" -gt 0 ] && [ "$WANT" -lt 96 ] ||
	fail "the lead sees 1001's $WANT calls: $HTTP_BODY"
http GET "/api/v1/reports/histogram?measure=talk&$R" "" "$LEAD" >/dev/null
expect_status 400 "1001's talk times alone, fewer than 20"
jbody 'j["error"]' | grep -q "talk: $WANT values in the period" ||
	fail "the lead's talk times are 1001's $WANT: $HTTP_BODY"
ok "a team lead's region counts and histograms hold their department's calls only ($WANT)"

# --- the stored talk times: two queues far apart, stratified
http GET "/api/v1/reports/histogram?measure=talk&by=queue&$R" "" "$SUP" >/dev/null
expect_status 200 "the talk times' histogram"
[ "$(jbody '[j["count"], j["unit"], j["shape"], sorted(s["group"] for s in j["strata"])]')" = \
  "[90, 's', 'bimodal', ['sales', 'support']]" ] || fail "talk times: $HTTP_BODY"
[ "$(jbody 'all(s["shape"] != "bimodal" and sum(b["count"] for b in s["bins"]) == s["count"] for s in j["strata"])')" = True ] ||
	fail "each queue alone is one population: $HTTP_BODY"
for bad in "measure=nope" "measure=talk&by=day" "measure=qa_score" "measure=talk&bins=1e30" \
	"measure=talk&bins=4" "measure=talk&lsl=x" "measure=talk&tz=9999"; do
	http GET "/api/v1/reports/histogram?$bad&$R" "" "$SUP" >/dev/null
	expect_status 400 "$bad"
done
ok "the 90 answered calls' talk times are bimodal; by queue each is one population; bad asks refused"

http GET /api/v1/reports/kpi-targets "" "$SUP" >/dev/null
expect_status 200 "the KPIs' targets"
[ "$(jbody '[(k["target_lo"], k["target_hi"]) for k in j["items"] if k["id"] == "service_level"]')" = \
  "[(0.8, None)]" ] || fail "service level's target: $HTTP_BODY"

web_start reports.mjs "$YDAY"
web_end
stop_server
