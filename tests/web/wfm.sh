#!/usr/bin/env bash
# Workforce management (排班与人力预测) in a real browser, in Beijing time
# (the console's days are local: 00:00 there is 16:00 UTC). Five weeks of
# the sales queue's KPI rows are seeded before the latest Beijing midnight
# the forecast may start at (a day profile, quieter weekends, ±10 % noise).
# In the browser, sup: forecasts sales (the MAPE of the held-out week, its
# actual against its forecast, the agents needed per interval, a table by
# day, the rows as CSV), is refused support's forecast with the reason (no
# history); plans 1001 today 09:00–18:00 with a lunch break from the week
# view, is refused an overlapping 17:00–21:00 with the server's reason,
# plans 1002 a night shift (晚班), sees sales' daily requirement red under
# the plan; copies the week to the next, there shortens 1001's copy and
# removes 1002's; reads today's planned staffing (1 at 09:00, 0 over
# lunch) with sales' requirement over it and the adherence table (1001
# never signed in: red); the administrator narrows adherence to the team
# 一组 (1001 alone). The API then holds what the browser did, and
# every figure checked on the page is the API's.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_web.bash"

H=3600000
NOW=$(( $(date +%s) * 1000 ))
T=$(( NOW - NOW % 86400000 ))          # today 00:00 UTC: the stored days end here
FROM=$(( T - 8 * H ))                  # the latest Beijing midnight before it
start_server
stop_server
python3 - "$FROM" >"$TEST_DIR/seed.sql" <<'PY'
import math, random, sys
start = int(sys.argv[1]) - 35 * 86400000
rnd = random.Random(7)
rows = []
for i in range(35 * 96):
    t = start + i * 900000
    local_h = ((t // 900000) % 96) / 4 + 8       # Beijing hour of day
    local_h %= 24
    dow = ((t + 8 * 3600000) // 86400000 + 3) % 7  # 0 = Monday
    day = 2 + 14 * math.exp(-((local_h - 11) / 3) ** 2) + 10 * math.exp(-((local_h - 16) / 2.5) ** 2)
    if local_h < 7 or local_h >= 22:
        day = 1
    n = max(0, round(day * (0.6 if dow >= 5 else 1) * (1 + rnd.uniform(-0.1, 0.1))))
    rows.append("('queue','sales',%d,20000,20000,%d,%d,%d,%d,%d)" % (t, n, n, n, n * 150000, n * 30000))
print("INSERT INTO kpi_buckets (scope, name, start_ms, sl_ms, short_ms, entered, answered, "
      "completed, talk_ms, wrap_ms) VALUES " + ",".join(rows) + ";")
PY
sqlite3 "$DATA_DIR/hotline.db" <"$TEST_DIR/seed.sql" || fail "seeding sales' history"
start_server
SUP=$(login sup sup123)
ADMIN=$(login admin admin123)
# 一组, a team of one (1001): the administrator's team filter.
http POST /api/v1/departments '{"name":"一组"}' "$ADMIN" >/dev/null
expect_status 201 "the team 一组"
http PUT /api/v1/users/1001 "{\"department\":\"$(jbody 'j["id"]')\"}" "$ADMIN" >/dev/null
expect_status 200 "1001 in 一组"

web_start wfm.mjs "$TEST_DIR/seen.json" "$TEST_DIR/forecast.csv"
web_end
seen() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($1)" "$TEST_DIR/seen.json"; }

# The forecast the page showed is the server's for the same query.
F=$(date -u -d "@$((FROM / 1000))" +%Y-%m-%dT%H:%M:%SZ)
http GET "/api/v1/wfm/forecast?queue=sales&from=$F&interval=30m&weeks=1&history=8" "" "$SUP" >/dev/null
expect_status 200 "sales' forecast"
WANT=$(jbody '"%.1f%%" % (j["accuracy"]["mape"] * 100)')
[ "$(seen 'j["mape"]')" = "$WANT" ] || fail "the page showed MAPE $(seen 'j["mape"]'), the API says $WANT"
[ "$(jbody 'max(r["scheduled"] for r in j["rows"])')" = "$(seen 'j["peak"]')" ] ||
	fail "peak scheduled: page $(seen 'j["peak"]'), API $(jbody 'max(r["scheduled"] for r in j["rows"])')"
python3 - "$TEST_DIR/forecast.csv" "$HTTP_BODY" <<'PY' || fail "the downloaded CSV"
import csv, io, json, sys
rows = list(csv.reader(io.open(sys.argv[1], encoding="utf-8-sig")))
api = json.loads(sys.argv[2])["rows"]
assert rows[0] == ["start", "calls", "aht_s", "agents", "scheduled", "service_level"], rows[0]
assert len(rows) == 1 + len(api) == 337, len(rows)
assert [(round(float(r[1]), 3), int(r[3]), int(r[4])) for r in rows[1:]] == \
       [(round(a["calls"], 3), a["agents"], a["scheduled"]) for a in api], "rows differ"
assert rows[1][0].endswith(" 00:00"), rows[1][0]   # a Beijing midnight
PY
ok "the page's MAPE ($WANT) and peak staffing are the API's, and so is every row of the CSV"

# Today in Beijing: what the browser planned.
D=$(seen 'j["today_ms"]')
http GET "/api/v1/wfm/shifts?from=$(date -u -d "@$((D / 1000))" +%Y-%m-%dT%H:%M:%SZ)&to=$(date -u -d "@$((D / 1000 + 14 * 86400))" +%Y-%m-%dT%H:%M:%SZ)" "" "$SUP" >/dev/null
expect_status 200 "the shifts"
[ "$(jbody "[(s['agent'], (s['start_ms'] - $D) // $H, (s['end_ms'] - $D) // $H, [((b['start_ms'] - $D) // $H, (b['end_ms'] - $D) // $H) for b in s['breaks']], s['created_by']) for s in j['items']]")" = \
  "[('1001', 9, 18, [(12, 13)], 'sup'), ('1002', 18, 27, [(22, 23)], 'sup'), ('1001', 177, 185, [(180, 181)], 'sup')]" ] ||
	fail "shifts: $HTTP_BODY"
ok "the API holds 1001's day shift with its lunch, 1002's night shift, 1001's copy a week on as changed, 1002's copy removed; no overlap stored"

DAY=$(date -u -d "@$((D / 1000))" +%Y-%m-%dT%H:%M:%SZ)
NEXT=$(date -u -d "@$((D / 1000 + 86400))" +%Y-%m-%dT%H:%M:%SZ)
http GET "/api/v1/wfm/staffing?from=$DAY&to=$NEXT&interval=30m" "" "$SUP" >/dev/null
expect_status 200 "today's staffing"
[ "$(jbody '[j["rows"][k]["planned"] for k in (17, 18, 24, 26, 36, 44)]')" = "[0.0, 1.0, 0.0, 1.0, 1.0, 0.0]" ] ||
	fail "planned: $(jbody '[r["planned"] for r in j["rows"]]')"
[ "$(seen '[float(x) for x in j["planned"]]')" = "$(jbody '[r["planned"] for r in j["rows"]]')" ] || fail "the chart's planned: $(seen 'j["planned"]')"
# The requirement line: sales' forecast from the latest Beijing midnight,
# the most scheduled of each half hour of today.
http GET "/api/v1/wfm/forecast?queue=sales&from=$F&interval=30m&weeks=1" "" "$SUP" >/dev/null
[ "$(jbody "[r['scheduled'] for r in j['rows'] if $D <= r['start_ms'] < $D + 86400000]")" = "$(seen 'j["need"]')" ] ||
	fail "the requirement drawn: $(seen 'j["need"]')"
# The week's requirement row: today's agent-hours and peak of the same
# forecast.
[ "$(seen 'j["needDay"]')" = "$(jbody "'%.1f 小时 · 峰值 %d 人' % (sum(r['scheduled'] * 0.5 for r in j['rows'] if $D <= r['start_ms'] < $D + 86400000), max(r['scheduled'] for r in j['rows'] if $D <= r['start_ms'] < $D + 86400000))")" ] ||
	fail "the week's requirement today: $(seen 'j["needDay"]')"
ok "today's planned staffing in the chart and the requirement are the API's"
stop_server
