# GET /api/v1/wfm/forecast: four weeks of stored KPI rows of the sales
# queue (10 calls every quarter hour, 180 s each: talk 150 s, wrap-up
# 30 s) are forecast flat with no error (MAPE 0 over the held-out week),
# and each interval is staffed as `hotline erlang` staffs 20 calls a half
# hour (an independent path to the same Erlang C), grossed up for
# shrinkage. Bad queries get 400 with the reason, an unknown queue 404,
# an agent 403.
. "$(dirname "$0")/../lib.sh"

start_server
stop_server
DB="$DATA_DIR/hotline.db"
FROM_MS=1770076800000           # 2026-02-03T00:00:00Z
FROM=2026-02-03T00:00:00Z
python3 - "$FROM_MS" >"$TEST_DIR/seed.sql" <<'PY'
import sys
start = int(sys.argv[1]) - 28 * 86400000
rows = ",".join(
    "('queue','sales',%d,20000,20000,10,10,10,1500000,300000)" % (start + i * 900000)
    for i in range(28 * 96))
print("INSERT INTO kpi_buckets (scope, name, start_ms, sl_ms, short_ms, "
      "entered, answered, completed, talk_ms, wrap_ms) VALUES " + rows + ";")
PY
sqlite3 "$DB" <"$TEST_DIR/seed.sql" || fail "seeding the KPI rows"
start_server
SUP=$(login sup sup123)
ADMIN=$(login admin admin123)
AGENT=$(login 1001 secret1001)

WANT=$("$HOTLINE" erlang --calls 20 --interval 1800 --aht 180 --sl 0.8 --sl-time 20 --json |
	json 'j["agents"]')
[ "$WANT" -ge 2 ] || fail "erlang: $WANT agents"

http GET "/api/v1/wfm/forecast?queue=sales&from=$FROM&history=4" "" "$SUP" >/dev/null
expect_status 200 "forecast"
[ "$(jbody '(j["queue"], j["interval_ms"], j["from_ms"], j["history_weeks"], len(j["rows"]))')" = \
  "('sales', 1800000, $FROM_MS, 4, 336)" ] || fail "forecast shape: $HTTP_BODY"
[ "$(jbody '(j["accuracy"]["mape"] < 1e-9, j["accuracy"]["intervals"])')" = "(True, 336)" ] ||
	fail "held-out MAPE: $(jbody 'j["accuracy"]')"
[ "$(jbody 'sorted({(round(r["calls"], 6), round(r["aht_s"], 6), r["agents"], r["scheduled"]) for r in j["rows"]})')" = \
  "[(20.0, 180.0, $WANT, $(( (WANT * 10 + 6) / 7 )))]" ] || fail "rows: $(jbody 'j["rows"][:2]')"
[ "$(jbody '[r["start_ms"] for r in j["rows"][:2]]')" = "[$FROM_MS, $((FROM_MS + 1800000))]" ] ||
	fail "row starts"
[ "$(jbody '(j["held_out"]["from_ms"], len(j["held_out"]["actual"]), len(j["held_out"]["forecast"]), sorted({round(x, 6) for x in j["held_out"]["actual"] + j["held_out"]["forecast"]}))')" = \
  "($((FROM_MS - 7 * 86400000)), 336, 336, [20.0])" ] || fail "held-out week: $(jbody 'j["held_out"]["forecast"][:3]')"
ok "flat history: 20 calls of 180 s per half hour, MAPE 0, $WANT agents as hotline erlang says; the held-out week shown"

http GET "/api/v1/wfm/forecast?queue=sales&from=$FROM&history=4&interval=15m&weeks=2&shrinkage=0&model=additive" "" "$ADMIN" >/dev/null
expect_status 200 "two weeks of quarter hours"
[ "$(jbody '(len(j["rows"]), j["model"], {r["scheduled"] - r["agents"] for r in j["rows"]}, round(j["rows"][-1]["calls"], 6))')" = \
  "(1344, 'additive', {0}, 10.0)" ] || fail "quarter hours: $(jbody 'j["rows"][-1]')"
ok "15-minute intervals for two weeks; without shrinkage scheduled = agents"

# Eight weeks asked, four stored: the quiet weeks before the queue's first
# call are dropped, not smoothed as zeros.
http GET "/api/v1/wfm/forecast?queue=sales&from=$FROM&history=8" "" "$SUP" >/dev/null
expect_status 200 "eight weeks asked"
[ "$(jbody '(j["history_weeks"], j["history_from_ms"], j["accuracy"]["mape"] < 1e-9, round(j["rows"][0]["calls"], 6))')" = \
  "(4, $((FROM_MS - 28 * 86400000)), True, 20.0)" ] || fail "quiet weeks: $(jbody '{k: j[k] for k in j if k != "rows"}')"
ok "weeks before the first call are left out of the model"

# Erlang A: callers who hang up after 60 s on average need no more agents
# than Erlang C's, and exactly what `hotline erlang --patience` says.
WANT_A=$("$HOTLINE" erlang --calls 20 --interval 1800 --aht 180 --sl 0.8 --sl-time 20 --patience 60 --json |
	json 'j["agents"]')
http GET "/api/v1/wfm/forecast?queue=sales&from=$FROM&history=4&patience=60" "" "$SUP" >/dev/null
expect_status 200 "Erlang A"
[ "$(jbody 'sorted({r["agents"] for r in j["rows"]})')" = "[$WANT_A]" ] && [ "$WANT_A" -le "$WANT" ] ||
	fail "Erlang A: $WANT_A vs $(jbody 'sorted({r["agents"] for r in j["rows"]})')"
ok "with patience: Erlang A, $WANT_A agents as hotline erlang --patience says"

bad() {
	http GET "/api/v1/wfm/forecast?$1" "" "$SUP" >/dev/null
	expect_status "$2" "$1"
	case "$(jbody 'j["error"]')" in *"$3"*) ;; *) fail "$1: $HTTP_BODY" ;; esac
}
bad "queue=sales&weeks=520&interval=15m" 400 "349440 intervals"
bad "weeks=1" 400 "queue: required"
bad "queue=nosuch" 404 "no such queue"
bad "queue=sales&interval=1h" 400 "interval"
bad "queue=sales&weeks=1.5" 400 "weeks"
bad "queue=sales&history=2" 400 "history"
bad "queue=sales&sl=1" 400 "sl"
bad "queue=sales&shrinkage=0.95" 400 "shrinkage"
bad "queue=sales&model=neural" 400 "model"
bad "queue=sales&from=2026-02-03T00:10:00Z" 400 "from"
bad "queue=sales&from=2099-01-01T00:00:00Z" 400 "from"
bad "queue=support&from=$FROM&history=4" 400 "no handled call"
bad "queue=sales&from=2026-01-20T00:00:00Z" 400 "only the last 2 weeks"
ok "bad queries: 400 with the reason (ten years of quarter hours among them), unknown queue 404"

http GET "/api/v1/wfm/forecast?queue=sales" "" "$AGENT" >/dev/null
expect_status 403 "an agent"
http GET "/api/v1/wfm/forecast?queue=sales" >/dev/null
expect_status 401 "no token"
ok "agents and strangers are refused"
stop_server
