# GET /api/v1/reports/spc: a KPI's stored series (the rows of GET
# /api/v1/reports/kpi, one point per day) charted. Twenty days of the
# sales queue are written as stored KPI rows; ASA (a time: XmR) has one
# day far out, abandonment (a rate of offered calls: p-chart, n = that
# day's offered calls) one bad day; each is found at its point, and bad
# queries are refused with the reason.
. "$(dirname "$0")/../lib.sh"

start_server
stop_server
DB="$DATA_DIR/hotline.db"
# 2026-01-01T08:00Z, then one 15-minute row per day for 20 days.
T0=1767254400000
ASA=(10 12 11 13 10 12 11 13 10 12 11 13 10 12 60 11 13 10 12 11)
ABANDONED=(1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 8 1 1)
rows=""
for i in $(seq 0 19); do
	rows+="${rows:+,}('queue','sales',$((T0 + i * 86400000)),20000,20000,$((10 + ${ABANDONED[$i]})),10,10,$((ASA[i] * 10000)),${ABANDONED[$i]},$((ABANDONED[i] * 30000)))"
done
sqlite3 "$DB" "INSERT INTO kpi_buckets (scope, name, start_ms, sl_ms, short_ms,
	entered, answered, answered_in_sl, answer_wait_ms, abandoned,
	abandon_wait_ms) VALUES $rows" || fail "seeding the KPI rows"
start_server
SUP=$(login sup sup123)
AGENT=$(login 1001 secret1001)
Q="queue=sales&from=2026-01-01T00:00:00Z&to=2026-01-21T00:00:00Z&interval=1d"
sigs() { jbody '"|".join(s["rule"] + ":" + ",".join(map(str, s["points"])) for s in j["signals"])'; }

http GET "/api/v1/reports/spc?kpi=asa&$Q" "" "$SUP" >/dev/null
expect_status 200 "asa chart"
[ "$(jbody '(j["chart"], j["kpi"], len(j["points"]), j["start_ms"][14] - j["start_ms"][0], j["interval_ms"])')" = \
  "('xmr', 'asa', 20, $((14 * 86400000)), 86400000)" ] || fail "asa series: $HTTP_BODY"
[ "$(jbody 'round(j["center"], 6)')" = "$(IFS=,; python3 -c "print(round(sum([${ASA[*]}]) / 20, 6))")" ] ||
	fail "asa centre: $HTTP_BODY"
# The slow day lifts the mean above the fourteen days before it: they are
# a run of "8" as well.
[ "$(sigs)" = "8:0,1,2,3,4,5,6,7,8,9,10,11,12,13|1:14" ] || fail "asa signals: $HTTP_BODY"
[ "$(jbody '(j["checks"]["name_zh"], len(j["checks"]["items"]), j["checks"]["items"][0])')" = \
  "('平均应答速度', 5, '平均应答速度过高')" ] || fail "asa checks: $HTTP_BODY"
ok "ASA per day as XmR: the slow day is rule 1 at its point, with the reference's checks"

http GET "/api/v1/reports/spc?kpi=abandon_rate&$Q" "" "$SUP" >/dev/null
expect_status 200 "abandonment chart"
[ "$(jbody '(j["chart"], round(j["center"], 6), round(j["points"][17], 6))')" = \
  "('p', $(python3 -c 'print(round(27 / 227, 6))'), $(python3 -c 'print(round(8 / 18, 6))'))" ] ||
	fail "abandonment p: $HTTP_BODY"
[ "$(sigs)" = "8:0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16|1:17" ] || fail "abandonment signals: $HTTP_BODY"
http GET "/api/v1/reports/spc?kpi=abandon_rate&chart=xmr&rules=nelson&$Q" "" "$SUP" >/dev/null
expect_status 200 "abandonment as XmR"
[ "$(jbody '(j["chart"], j["rules"])')" = "('xmr', 'nelson')" ] || fail "xmr asked: $HTTP_BODY"
ok "abandonment per day as a p-chart (n = offered), or XmR when asked"

# Limits from the first ten days only (before the slow day): the centre is
# their mean, and the slow day is still rule 1.
http GET "/api/v1/reports/spc?kpi=asa&$Q&baseline_from=2026-01-01T00:00:00Z&baseline_to=2026-01-11T00:00:00Z" "" "$SUP" >/dev/null
expect_status 200 "asa with a baseline"
[ "$(jbody 'round(j["center"], 6)')" = 11.4 ] || fail "baseline centre: $HTTP_BODY"
case "$(sigs)" in *"1:14"*) ;; *) fail "baseline signals: $HTTP_BODY" ;; esac
ok "limits from a chosen baseline period"

# bad QUERY REASON CODE: 400, the English reason naming the field and
# the code the console words in its own language (docs/api.md).
bad() {
	http GET "/api/v1/reports/spc?$1" "" "$SUP" >/dev/null
	expect_status 400 "$1"
	case "$(jbody 'j["error"]')" in *"$2"*) ;; *) fail "reason for $1: $HTTP_BODY" ;; esac
	[ "$(jbody 'j.get("code", "") + ":" + j.get("param", "")')" = "$3" ] || fail "code for $1: $HTTP_BODY"
}
bad "kpi=nosuch&$Q" kpi bad_param:kpi
bad "$Q" kpi bad_param:kpi
bad "kpi=asa&queue=sales&interval=5m" interval bad_param:interval
bad "kpi=asa&queue=sales&from=2016-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&interval=15m" 'at most' too_many_intervals:
bad "kpi=asa&chart=p&$Q" 'p-chart' p_needs_rate:
bad "kpi=asa&rules=qcc&$Q" rules bad_param:rules
bad "kpi=asa&format=pdf&$Q" format bad_param:format
bad "kpi=asa&$Q&baseline_from=2025-01-01T00:00:00Z&baseline_to=2025-02-01T00:00:00Z" baseline empty_baseline:
bad "kpi=asa&$Q&baseline_from=2026-01-05T00:00:00Z&baseline_to=2026-01-02T00:00:00Z" baseline bad_baseline:
bad "kpi=asa&$Q&baseline_from=2026-01-05T00:00:00Z&baseline_to=2026-01-06T00:00:00Z" 'too few' too_few_points:
bad "kpi=asa&queue=sales&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&interval=1d" 'too few' too_few_points:
bad "kpi=asa&queue=sales&from=2025-01-01T00:00:00Z&to=2025-01-20T00:00:00Z&interval=1d" 'too few' too_few_points:
http GET "/api/v1/reports/spc?kpi=asa&$Q" "" "$AGENT" >/dev/null
expect_status 403 "an agent"
ok "bad queries refused with the reason; supervisors and admins only"
