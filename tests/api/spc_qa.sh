# GET /api/v1/reports/spc/qa: QA scores as an X̄-R (or X̄-S) chart, one
# subgroup a day. Twenty days of agent 1001's evaluations, four a day, are
# written as rows (a day's scores vary; day 15 is a bad day far below the
# rest); day 20 has two evaluations only and is skipped at n = 4. The
# limits are checked against the textbook's formulas computed here apart
# (X̿ ± A2·R̄, A2 = 0.729 for n = 4, printed rounded: compared to 0.1; R
# chart D4·R̄, D4 = 2.282), the bad
# day is rule 1 at its point; too few subgroups is a 400 with its code,
# and the data scope holds (an agent outside it: 403).
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

# Filters: card2 is one evaluation of 1006: no subgroup of 2.
http GET "/api/v1/reports/spc/qa?$Q&scorecard=card2" "" "$ADMIN" >/dev/null
expect_status 400 "too few subgroups"
[ "$(jbody "(j[\"code\"], j[\"points\"], j[\"baseline\"])")" = "('too_few_points', 0, 0)" ] || fail "code: $HTTP_BODY"
jbody 'j["error"]' | grep -q "too few points for limits" || fail "reason: $HTTP_BODY"
for bad in "n=11:n" "subgroup=month:subgroup" "chart=p:chart" "rules=x:rules" \
	   "from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z:from"; do
	http GET "/api/v1/reports/spc/qa?${bad%:*}" "" "$ADMIN" >/dev/null
	expect_status 400 "bad ${bad%:*}"
	jbody 'j["error"]' | grep -q "^${bad##*:}" || fail "reason names ${bad##*:}: $HTTP_BODY"
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
http GET "/api/v1/reports/spc/qa?$Q" "" "$LEAD" >/dev/null
expect_status 400 "the team's own evaluations: one"
http GET "/api/v1/reports/spc/qa?$Q&team=$G2" "" "$ADMIN" >/dev/null
expect_status 400 "team 二组: one evaluation"
ok "the data scope: another team's agent refused, only the team's evaluations read"
