# The report pages' tables as files (issue 17: every report with CSV and
# XLSX): the calls by region (a row per province, its cities under it, the
# calls of no known region, the total) and a stored measure's histogram (a
# row per bin, then per stratum), each as CSV and as XLSX opened with
# openpyxl, holding the same numbers as the JSON the page shows; a format
# nobody writes is refused. Seeded as the reports browser test is
# (tests/web/reports_seed.py: yesterday's 96 calls, 广东省 40 of them).
. "$(dirname "$0")/../lib.sh"

start_server
DB="$DATA_DIR/hotline.db"
NOW=$(date +%s%3N)
TODAY=$((NOW - NOW % 86400000))
iso() { date -u -d "@$(( $1 / 1000 ))" +%Y-%m-%dT%H:%M:%SZ; }
[ "$(python3 "$(dirname "$0")/../web/reports_seed.py" "$DB" "$NOW")" = 96 ] || fail "seeding"
SUP=$(login sup sup123)
R="from=$(iso $((TODAY - 86400000)))&to=$(iso "$TODAY")"
PY3=/usr/bin/python3; [ -x "$PY3" ] || PY3=python3

# get PATH FILE: the file the API answers, with its status checked.
get() {
	[ "$(curl -s -o "$TEST_DIR/$2" -D "$TEST_DIR/h" -w '%{http_code}' -H "Authorization: Bearer $SUP" \
		"$BASE_URL$1")" = 200 ] || fail "$1: $(cat "$TEST_DIR/$2")"
}

http GET "/api/v1/reports/calls-by-region?$R" "" "$SUP" >"$TEST_DIR/region.json"
expect_status 200 "calls by region"
get "/api/v1/reports/calls-by-region?$R&format=csv" region.csv
grep -qi '^content-disposition: attachment; filename="calls-by-region.csv"' "$TEST_DIR/h" ||
	fail "the CSV's name: $(cat "$TEST_DIR/h")"
get "/api/v1/reports/calls-by-region?$R&format=xlsx" region.xlsx
"$PY3" - "$TEST_DIR/region.json" "$TEST_DIR/region.csv" "$TEST_DIR/region.xlsx" <<'PY' || fail "the region files"
import csv, json, sys, openpyxl
j = json.load(open(sys.argv[1]))
want = []
for p in j["provinces"]:
    want.append((p["province"], "", p["calls"], p["answered"]))
    want += [(p["province"], c["city"], c["calls"], c["answered"]) for c in p["cities"]]
want.append(("未知归属地", "", j["unknown"]["calls"], j["unknown"]["answered"]))
want.append(("合计", "", j["total"], sum(p["answered"] for p in j["provinces"]) + j["unknown"]["answered"]))
assert want[0][:3] == ("广东省", "", 40) and want[-1][2] == 96, want
rows = list(csv.reader(open(sys.argv[2], encoding="utf-8-sig")))
assert rows[0] == ["province", "city", "calls", "answered", "answered_rate", "share"], rows[0]
got = [(r[0], r[1], int(r[2]), int(r[3])) for r in rows[1:]]
assert got == want, (got, want)
assert abs(float(rows[1][5]) - 40 / 96) < 1e-9, rows[1]
ws = openpyxl.load_workbook(sys.argv[3]).active
x = list(ws.iter_rows(values_only=True))
assert list(x[0]) == rows[0], x[0]
got = [(r[0], r[1] or "", int(r[2]), int(r[3])) for r in x[1:]]
assert got == want, (got, want)
assert isinstance(x[1][2], (int, float)) and abs(x[1][4] - want[0][3] / 40) < 1e-9, x[1]
PY
ok "calls by region as CSV and XLSX: each province, its cities, no known region, the total of 96"

Q="measure=talk&by=queue&$R"
http GET "/api/v1/reports/histogram?$Q" "" "$SUP" >"$TEST_DIR/hist.json"
expect_status 200 "the talk times' histogram"
get "/api/v1/reports/histogram?$Q&format=csv" hist.csv
grep -qi 'filename="histogram-talk.csv"' "$TEST_DIR/h" || fail "the histogram CSV's name"
get "/api/v1/reports/histogram?$Q&format=xlsx" hist.xlsx
"$PY3" - "$TEST_DIR/hist.json" "$TEST_DIR/hist.csv" "$TEST_DIR/hist.xlsx" <<'PY' || fail "the histogram files"
import csv, json, sys, openpyxl
j = json.load(open(sys.argv[1]))
want = [("", j["shape"], i + 1, b["lo"], b["hi"], b["count"]) for i, b in enumerate(j["bins"])]
for s in j["strata"]:
    want += [(s["group"], s["shape"], i + 1, b["lo"], b["hi"], b["count"]) for i, b in enumerate(s["bins"])]
assert j["shape"] == "bimodal" and sum(b["count"] for b in j["bins"]) == 90, j
rows = list(csv.reader(open(sys.argv[2], encoding="utf-8-sig")))
assert rows[0] == ["group", "shape", "bin", "lo", "hi", "count", "share"], rows[0]
assert len(rows) == len(want) + 1, (len(rows), len(want))
for r, w in zip(rows[1:], want):
    assert (r[0], r[1], int(r[2]), int(r[5])) == (w[0], w[1], w[2], w[5]), (r, w)
    assert abs(float(r[3]) - w[3]) < 1e-6 and abs(float(r[4]) - w[4]) < 1e-6, (r, w)
assert abs(sum(float(r[6]) for r in rows[1:] if r[0] == "") - 1) < 1e-9
ws = openpyxl.load_workbook(sys.argv[3]).active
x = list(ws.iter_rows(values_only=True))
assert list(x[0]) == rows[0] and len(x) == len(rows), x[0]
for r, w in zip(x[1:], want):
    assert ((r[0] or ""), r[1], r[2], r[5]) == (w[0], w[1], w[2], w[5]) and abs(r[3] - w[3]) < 1e-9, (r, w)
PY
ok "the histogram as CSV and XLSX: every bin of all the talk times, then of each queue"

for p in "calls-by-region?$R&format=pdf" "histogram?$Q&format=pdf"; do
	http GET "/api/v1/reports/$p" "" "$SUP" >/dev/null
	expect_status 400 "$p"
	jbody 'j["error"]' | grep -q "format: want json, csv or xlsx" || fail "$p: $HTTP_BODY"
	[ "$(jbody '(j["code"], j["param"])')" = "('bad_param', 'format')" ] || fail "$p's code: $HTTP_BODY"
done
ok "an unknown format is refused with the reason and its code"

# Too few values for a histogram (no work order was ever done): the reason,
# and the code with the counts the console's words take.
http GET "/api/v1/reports/histogram?measure=wo_handle&$R" "" "$SUP" >/dev/null
expect_status 400 "no work orders"
[ "$(jbody '(j["error"], j["code"], j["count"], j["min"])')" = \
  "('wo_handle: 0 values in the period; a histogram needs at least 20', 'too_few_values', 0, 20)" ] ||
	fail "too few values: $HTTP_BODY"
for p in "calls-by-region?$R&direction=up:bad_param" "histogram?measure=talk&by=day&$R:bad_param" \
	 "calls-by-region?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z:bad_period" \
	 "histogram?measure=talk&from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z:bad_period"; do
	http GET "/api/v1/reports/${p%:*}" "" "$SUP" >/dev/null
	expect_status 400 "${p%:*}"
	[ "$(jbody 'j["code"]')" = "${p##*:}" ] || fail "${p%:*}'s code: $HTTP_BODY"
done
ok "the histogram's and the region table's refusals carry their codes"
stop_server
