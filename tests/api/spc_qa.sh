# GET /api/v1/reports/spc/qa: QA scores as an X̄-R (or X̄-S) chart, one
# subgroup a day. Twenty days of agent 1001's evaluations, four a day, are
# written as rows (a day's scores vary; day 15 is a bad day far below the
# rest); day 20 has two evaluations only and is skipped at n = 4. The
# limits are checked against the textbook's formulas computed here apart
# (X̿ ± A2·R̄, A2 = 0.729 for n = 4, printed rounded: compared to 0.1; R
# chart D4·R̄, D4 = 2.282), the bad
# day is rule 1 at its point; the chart as CSV and XLSX holds the JSON's
# numbers, a row per day; too few subgroups and bad queries are 400s with
# their code, and the data scope holds (an agent outside it: 403 with
# its code); a QA inspector reads the chart, an agent may not.
. "$(dirname "$0")/../lib.sh"

start_server
stop_server
DB="$DATA_DIR/hotline.db"
T0=1767254400000      # 2026-01-01T08:00Z
score() {  # score DAY K: the K-th evaluation of day DAY
	if [ "$1" = 15 ]; then echo $((60 + 2 * $2)); else echo $((80 + ($1 * 7 + $2 * 5) % 13)); fi
}
rows=""
for d in $(seq 0 19); do
	for k in 0 1 2 3; do
		rows+="${rows:+,}('e$d-$k','c$d-$k','1001','sales','u','card1',1,'{}',0,0,0,0,'[]',$(score "$d" "$k"),$((T0 + d * 86400000 + k * 60000)))"
	done
done
rows+=",('e20-0','c20-0','1001','sales','u','card1',1,'{}',0,0,0,0,'[]',85,$((T0 + 20 * 86400000)))"
rows+=",('e20-1','c20-1','1001','sales','u','card1',1,'{}',0,0,0,0,'[]',87,$((T0 + 20 * 86400000 + 60000)))"
rows+=",('x0','x0','1006','support','u','card2',1,'{}',0,0,0,0,'[]',10,$((T0 + 86400000)))"
sqlite3 "$DB" "INSERT INTO qa_evaluations (id, call_id, agent, queue, inspector,
	scorecard_id, scorecard_version, answers, score, earned, possible,
	failed_critical, sections, final_score, created_at) VALUES $rows" ||
	fail "seeding the evaluations"
start_server
ADMIN=$(login admin admin123)
Q="from=2026-01-01T00:00:00Z&to=2026-01-22T00:00:00Z&subgroup=day"

# What the chart must be, from the same scores by the book.
want=$(python3 - <<PY
g = [[$(for d in $(seq 0 19); do printf '[%s,%s,%s,%s],' $(score $d 0) $(score $d 1) $(score $d 2) $(score $d 3); done)]][0]
m = [sum(x) / 4 for x in g]
r = [max(x) - min(x) for x in g]
xx, rr = sum(m) / 20, sum(r) / 20
print(round(xx, 6), round(xx + 0.729 * rr, 1), round(xx - 0.729 * rr, 1), round(2.282 * rr, 6), round(m[15], 6))
PY
)
http GET "/api/v1/reports/spc/qa?$Q&agent=1001&scorecard=card1&n=4" "" "$ADMIN" >/dev/null
expect_status 200 "the X̄-R chart"
got=$(jbody '" ".join(str(x) for x in (round(j["center"], 6), round(j["ucl"], 1), round(j["lcl"], 1), round(j["r"]["ucl"], 6), round(j["points"][15], 6)))')
[ "$got" = "$want" ] || fail "limits: want $want, got $got: $HTTP_BODY"
[ "$(jbody '(j["chart"], j["n"], len(j["points"]), j["start_ms"][15], j["evaluations"][0], j["skipped"])')" = \
  "('xbar-r', 4, 20, $((T0 - 8 * 3600000 + 15 * 86400000)), 4, [{'start_ms': $((T0 - 8 * 3600000 + 20 * 86400000)), 'evaluations': 2}])" ] ||
	fail "subgroups: $HTTP_BODY"
case "$(jbody '",".join(s["rule"] + ":" + ",".join(map(str, s["points"])) for s in j["signals"])')" in
*"1:15"*) ;; *) fail "the bad day is no rule 1: $HTTP_BODY" ;; esac
[ "$(jbody 'j["checks"]["name_zh"]')" = 监听分值 ] || fail "checks: $HTTP_BODY"
ok "QA scores by day as X̄-R: the book's limits, the bad day is rule 1, a short day skipped"

http GET "/api/v1/reports/spc/qa?$Q&agent=1001&chart=xbar-s" "" "$ADMIN" >/dev/null
expect_status 200 "the X̄-S chart"
[ "$(jbody '(j["chart"], j["n"], "s" in j, len(j["points"]))')" = "('xbar-s', 4, True, 20)" ] || fail "xbar-s: $HTTP_BODY"
ok "X̄-S on the same subgroups, n the median subgroup size"

# The chart as files (issue 17: every chart with CSV and XLSX): a row per
# day in time order, the short day 20 among them with its start and
# evaluations only, each charted day with the numbers of the JSON (mean,
# limits, zones, range or s with its limits, the rules of its signals).
PY3=/usr/bin/python3; [ -x "$PY3" ] || PY3=python3
getfile() {  # getfile PATH FILE: the file the API answers, its status checked
	[ "$(curl -s -o "$TEST_DIR/$2" -D "$TEST_DIR/h" -w '%{http_code}' -H "Authorization: Bearer $ADMIN" \
		"$BASE_URL$1")" = 200 ] || fail "$1: $(cat "$TEST_DIR/$2")"
}
for c in xbar-r:range xbar-s:sd; do
	P="/api/v1/reports/spc/qa?$Q&agent=1001&n=4&chart=${c%%:*}"
	http GET "$P" "" "$ADMIN" >"$TEST_DIR/qa.json"
	expect_status 200 "the ${c%%:*} chart"
	getfile "$P&format=csv" qa.csv
	grep -qi "^content-disposition: attachment; filename=\"spc-qa-day.csv\"" "$TEST_DIR/h" ||
		fail "the CSV's name: $(cat "$TEST_DIR/h")"
	getfile "$P&format=xlsx" qa.xlsx
	grep -qi '^content-type: application/vnd.openxmlformats' "$TEST_DIR/h" || fail "the XLSX's type"
	"$PY3" - "$TEST_DIR/qa.json" "$TEST_DIR/qa.csv" "$TEST_DIR/qa.xlsx" "${c#*:}" <<'PY' || fail "the ${c%%:*} files"
import csv, json, sys, datetime, openpyxl
j, d = json.load(open(sys.argv[1])), sys.argv[4]
disp = j["r" if d == "range" else "s"]
cols = ["subgroup", "start", "evaluations", "mean", "center", "lcl", "ucl", "minus_2sigma", "minus_1sigma",
        "plus_1sigma", "plus_2sigma", d, d + "_center", d + "_lcl", d + "_ucl", "signals"]
rules = {}
for s in j["signals"]:
    for p in s["points"]:
        rules.setdefault(p, []).append(s["rule"])
want = []
for i, v in enumerate(j["points"]):
    sg = j["sigma"]
    want.append([i, j["start_ms"][i], j["evaluations"][i], v, j["center"], j["lcl"], j["ucl"],
                 j["center"] - 2 * sg, j["center"] - sg, j["center"] + sg, j["center"] + 2 * sg,
                 disp["points"][i], disp["center"], disp["lcl"], disp["ucl"], " ".join(rules.get(i, []))])
for s in j["skipped"]:
    want.append([None, s["start_ms"], s["evaluations"]] + [None] * 12 + [""])
want.sort(key=lambda r: r[1])
assert len(want) == 21 and want[-1][0] is None and want[-1][2] == 2, want[-1]
assert "1" in want[15][15].split(), want[15]
ms = lambda t: int(datetime.datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp() * 1000)
def same(got, w, where):
    assert got[0] == w[0] and got[1] == w[1] and got[2] == w[2] and got[15] == w[15], (where, got, w)
    for k in range(3, 15):
        assert (got[k] is None) == (w[k] is None), (where, k, got, w)
        # the CSV writes 10 significant digits, the XLSX the double
        assert got[k] is None or abs(got[k] - w[k]) <= 1e-9 * max(1, abs(w[k])), (where, cols[k], got[k], w[k])
rows = list(csv.reader(open(sys.argv[2], encoding="utf-8-sig")))
assert rows[0] == cols, rows[0]
assert len(rows) == len(want) + 1, len(rows)
for r, w in zip(rows[1:], want):
    same([int(r[0]) if r[0] else None, ms(r[1]), int(r[2])] + [float(x) if x else None for x in r[3:15]] + [r[15]], w, "csv")
ws = openpyxl.load_workbook(sys.argv[3]).active
x = list(ws.iter_rows(values_only=True))
assert list(x[0]) == cols and len(x) == len(rows), x[0]
for r, w in zip(x[1:], want):
    t = r[1].replace(tzinfo=datetime.timezone.utc) if isinstance(r[1], datetime.datetime) else r[1]
    same([r[0], int(t.timestamp() * 1000) if t else None, r[2]] + list(r[3:15]) + [r[15] or ""], w, "xlsx")
PY
done
http GET "/api/v1/reports/spc/qa?$Q&format=pdf" "" "$ADMIN" >/dev/null
expect_status 400 "format=pdf"
[ "$(jbody '(j["error"], j["code"], j["param"])')" = "('format: want json, csv or xlsx', 'bad_param', 'format')" ] ||
	fail "format refused: $HTTP_BODY"
ok "X̄-R and X̄-S as CSV and XLSX: every day, the short one among them, the JSON's numbers"

# Filters: card2 is one evaluation of 1006: no subgroup of 2.
http GET "/api/v1/reports/spc/qa?$Q&scorecard=card2" "" "$ADMIN" >/dev/null
expect_status 400 "too few subgroups"
[ "$(jbody "(j[\"code\"], j[\"points\"], j[\"baseline\"])")" = "('too_few_points', 0, 0)" ] || fail "code: $HTTP_BODY"
jbody 'j["error"]' | grep -q "too few points for limits" || fail "reason: $HTTP_BODY"
# Each refusal names its field in English and carries the code (and the
# parameter) the console words in Chinese.
for bad in "n=11:n:bad_param" "subgroup=month:subgroup:bad_param" "chart=p:chart:bad_param" \
	   "rules=x:rules:bad_param" "tz=9999:tz:bad_param" \
	   "from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z:from:bad_period" \
	   "$Q&baseline_from=2026-01-05T00:00:00Z&baseline_to=2026-01-02T00:00:00Z:baseline_from:bad_baseline" \
	   "$Q&baseline_from=2025-01-05T00:00:00Z&baseline_to=2025-01-06T00:00:00Z:baseline_from:empty_baseline"; do
	q=${bad%:*:*} f=${bad#"$q":} f=${f%:*} code=${bad##*:}
	http GET "/api/v1/reports/spc/qa?$q" "" "$ADMIN" >/dev/null
	expect_status 400 "bad $q"
	jbody 'j["error"]' | grep -q "^$f" || fail "reason names $f: $HTTP_BODY"
	[ "$(jbody 'j["code"]')" = "$code" ] || fail "code $code: $HTTP_BODY"
	[ "$code" != bad_param ] || [ "$(jbody 'j["param"]')" = "$f" ] || fail "param $f: $HTTP_BODY"
done
ok "too few subgroups and bad queries: 400 with the reason"

# A supervisor of a department holding 1006 only: 1001 is 403, and the
# center's chart holds 1006's evaluations only (too few: 400).
http POST /api/v1/departments '{"name":"二组"}' "$ADMIN" >/dev/null
expect_status 201 "department"
G2=$(jbody 'j["id"]')
http PUT /api/v1/users/1006 "{\"department\":\"$G2\"}" "$ADMIN" >/dev/null
expect_status 200 "1006 in 二组"
http POST /api/v1/users "{\"username\":\"lead2\",\"password\":\"password-lead2\",\"role\":\"supervisor\",\"department\":\"$G2\"}" "$ADMIN" >/dev/null
expect_status 201 "lead of 二组"
LEAD=$(login lead2 password-lead2)
http GET "/api/v1/reports/spc/qa?$Q&agent=1001" "" "$LEAD" >/dev/null
expect_status 403 "another team's agent"
[ "$(jbody '(j["error"], j["code"], j["agent"])')" = "('outside your data scope: agent 1001', 'scope_agent', '1001')" ] ||
	fail "the scope's refusal: $HTTP_BODY"
http GET "/api/v1/reports/spc/qa?$Q" "" "$LEAD" >/dev/null
expect_status 400 "the team's own evaluations: one"
http GET "/api/v1/reports/spc/qa?$Q&team=$G2" "" "$ADMIN" >/dev/null
expect_status 400 "team 二组: one evaluation"
ok "the data scope: another team's agent refused, only the team's evaluations read"

# Quality inspectors read this chart (issue 17): a QA user (scope all by
# default) sees the same chart as the admin; an agent is refused.
http POST /api/v1/users '{"username":"qa1","password":"password-qa1","role":"qa"}' "$ADMIN" >/dev/null
expect_status 201 "a QA inspector"
QA=$(login qa1 password-qa1)
http GET "/api/v1/reports/spc/qa?$Q&agent=1001&n=4" "" "$ADMIN" >/dev/null
want=$(jbody '(j["center"], j["ucl"], len(j["points"]))')
http GET "/api/v1/reports/spc/qa?$Q&agent=1001&n=4" "" "$QA" >/dev/null
expect_status 200 "the QA inspector's chart"
[ "$(jbody '(j["center"], j["ucl"], len(j["points"]))')" = "$want" ] || fail "the QA inspector's chart: $HTTP_BODY"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $QA" \
	"$BASE_URL/api/v1/reports/spc/qa?$Q&agent=1001&n=4&format=csv")" = 200 ] || fail "the QA inspector's CSV"
AGENT=$(login 1001 secret1001)
http GET "/api/v1/reports/spc/qa?$Q&agent=1001" "" "$AGENT" >/dev/null
expect_status 403 "an agent"
ok "a QA inspector reads the chart and its file; an agent is refused"
stop_server
