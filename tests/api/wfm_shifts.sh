# /api/v1/wfm/shifts, /staffing and /adherence. Shifts are planned and
# read back, an overlap is 409, bad bodies 400 with the reason, a team
# lead plans and sees only their department's agents, an agent reads only
# their own. Then agent time seeded as stored KPI rows gives hand-computed
# adherence, attendance (出勤率), utilization (实际工作率) and planned
# against actual staffing.
. "$(dirname "$0")/../lib.sh"

D=1767571200000                  # 2026-01-05T00:00:00Z
H=3600000; Q=900000
start_server
stop_server
DB="$DATA_DIR/hotline.db"
# 1001 on D: 08-09 ready, 09-10 not ready, 10-12 ready (quarter hours).
# 1003 on D+1: 08-09 ready. 1002 never signs in.
python3 - "$D" >"$TEST_DIR/seed.sql" <<'PY'
import sys
d = int(sys.argv[1]); h = 3600000; q = 900000
rows = []
for i in range(16):
    t = d + 8 * h + i * q
    ready, nr = (0, q) if 4 <= i < 8 else (q, 0)
    rows.append("('agent','1001',%d,%d,%d)" % (t, ready, nr))
for i in range(4):
    rows.append("('agent','1003',%d,%d,0)" % (d + 86400000 + 8 * h + i * q, q))
print("INSERT INTO kpi_buckets (scope, name, start_ms, ready_ms, not_ready_ms) VALUES "
      + ",".join(rows) + ";")
PY
sqlite3 "$DB" <"$TEST_DIR/seed.sql" || fail "seeding agent time"
start_server
ADMIN=$(login admin admin123)
SUP=$(login sup sup123)

shift_body() {  # AGENT START_H END_H [BREAKS_JSON] [DAY_MS]
	local day=${5:-$D}
	printf '{"agent":"%s","start_ms":%d,"end_ms":%d,"breaks":%s,"note":"早班"}' \
		"$1" $((day + $2 * H)) $((day + $3 * H)) "${4:-[]}"
}
http POST /api/v1/wfm/shifts "$(shift_body 1001 8 12 "[{\"start_ms\":$((D + 10 * H)),\"end_ms\":$((D + 10 * H + Q))}]")" "$SUP" >/dev/null
expect_status 201 "1001's shift"
S1=$(jbody 'j["id"]')
[ "$(jbody '(j["agent"], j["start_ms"], j["end_ms"], len(j["breaks"]), j["note"], j["created_by"])')" = \
  "('1001', $((D + 8 * H)), $((D + 12 * H)), 1, '早班', 'sup')" ] || fail "shift: $HTTP_BODY"
http POST /api/v1/wfm/shifts "$(shift_body 1002 8 12)" "$SUP" >/dev/null
expect_status 201 "1002's shift"
S2=$(jbody 'j["id"]')
http POST /api/v1/wfm/shifts "$(shift_body 1003 8 9 '[]' $((D + 86400000)))" "$ADMIN" >/dev/null
expect_status 201 "1003's shift"
http GET "/api/v1/wfm/shifts/$S1" "" "$ADMIN" >/dev/null
expect_status 200 "one shift"
[ "$(jbody 'j["breaks"][0]["end_ms"] - j["breaks"][0]["start_ms"]')" = "$Q" ] || fail "breaks: $HTTP_BODY"
ok "shifts planned with breaks and read back"

http POST /api/v1/wfm/shifts "$(shift_body 1001 11 13)" "$SUP" >/dev/null
expect_status 409 "an overlapping shift"
http PUT "/api/v1/wfm/shifts/$S2" "$(shift_body 1001 11 13)" "$SUP" >/dev/null
expect_status 409 "moved onto 1001's shift"
http GET "/api/v1/wfm/shifts?from=2026-01-05T00:00:00Z&to=2026-01-07T00:00:00Z" "" "$ADMIN" >/dev/null
[ "$(jbody '[(s["agent"], s["start_ms"]) for s in j["items"]]')" = \
  "[('1001', $((D + 8 * H))), ('1002', $((D + 8 * H))), ('1003', $((D + 86400000 + 8 * H)))]" ] ||
	fail "nothing changed by the refused writes: $HTTP_BODY"
ok "an agent's shifts never overlap: 409, nothing changed"

bad() {
	http POST /api/v1/wfm/shifts "$1" "$SUP" >/dev/null
	expect_status 400 "$1"
	case "$(jbody 'j["error"]')" in *"$2"*) ;; *) fail "$1: $HTTP_BODY" ;; esac
}
bad "$(shift_body 1004 12 8)" "end_ms"
bad "$(shift_body 1004 0 17)" "16 hours"
bad "$(shift_body 1004 8 12 "[{\"start_ms\":$((D + 7 * H)),\"end_ms\":$((D + 9 * H))}]")" "breaks"
bad "$(shift_body 1004 8 12 "[{\"start_ms\":$((D + 10 * H)),\"end_ms\":$((D + 11 * H))},{\"start_ms\":$((D + 10 * H)),\"end_ms\":$((D + 10 * H + Q))}]")" "overlapping"
bad '{"agent":"sales","start_ms":0,"end_ms":1}' "agent"
bad "{\"agent\":\"1004\",\"start_ms\":\"8:00\",\"end_ms\":1}" "start_ms"
bad "{\"agent\":\"1004\",\"start_ms\":1,\"end_ms\":2,\"colour\":\"red\"}" "unknown field"
http GET "/api/v1/wfm/shifts?agent=1004&from=2026-01-05T00:00:00Z" "" "$ADMIN" >/dev/null
[ "$(jbody 'len(j["items"])')" = 0 ] || fail "a refused shift was stored: $HTTP_BODY"
http GET "/api/v1/wfm/shifts?from=2026-01-05T00:00:00Z&to=2026-06-05T00:00:00Z" "" "$ADMIN" >/dev/null
expect_status 400 "a period over 92 days"
ok "bad shifts: 400 with the reason, nothing stored"

# Scope: lead1 leads 一组 (1001); 1004 is in 二组.
dept() { http POST /api/v1/departments "$1" "$ADMIN" >/dev/null; expect_status 201 "$1"; jbody 'j["id"]'; }
G1=$(dept '{"name":"一组"}'); G2=$(dept '{"name":"二组"}')
http PUT /api/v1/users/1001 "{\"department\":\"$G1\"}" "$ADMIN" >/dev/null
http PUT /api/v1/users/1004 "{\"department\":\"$G2\"}" "$ADMIN" >/dev/null
http POST /api/v1/users "{\"username\":\"lead1\",\"password\":\"password-lead1\",\"role\":\"supervisor\",\"department\":\"$G1\"}" "$ADMIN" >/dev/null
expect_status 201 "lead1"
LEAD=$(login lead1 password-lead1)
http POST /api/v1/wfm/shifts "$(shift_body 1004 8 12 '[]' $((D + 2 * 86400000)))" "$LEAD" >/dev/null
expect_status 403 "lead1 planning 二组's 1004"
http GET "/api/v1/wfm/shifts?from=2026-01-05T00:00:00Z&to=2026-01-07T00:00:00Z" "" "$LEAD" >/dev/null
[ "$(jbody '[s["agent"] for s in j["items"]]')" = "['1001']" ] || fail "lead1 sees: $HTTP_BODY"
A2=$(login 1002 secret1002)
http GET "/api/v1/wfm/shifts?from=2026-01-05T00:00:00Z&to=2026-01-07T00:00:00Z" "" "$A2" >/dev/null
[ "$(jbody '[s["agent"] for s in j["items"]]')" = "['1002']" ] || fail "1002 sees: $HTTP_BODY"
http GET "/api/v1/wfm/shifts/$S1" "" "$A2" >/dev/null
expect_status 404 "1002 reading 1001's shift"
http DELETE "/api/v1/wfm/shifts/$S1" "" "$A2" >/dev/null
expect_status 403 "an agent deleting"
ok "the data scope: a team lead plans their department only, an agent reads their own"

# Adherence over D and D+1. 1001: on duty 08-12 less the 10:00 quarter
# (13.5 M ms); available 08-09 and 10-12 (10.8 M), of which on duty all
# but the break quarter (9.9 M): adherence 9.9 / 13.5. 1002: 14.4 M on
# duty, never signed in. 1003: 3.6 M on duty, all available.
P="from=2026-01-05T00:00:00Z&to=2026-01-07T00:00:00Z"
http GET "/api/v1/wfm/adherence?$P" "" "$SUP" >/dev/null
expect_status 200 "adherence"
[ "$(jbody '[(a["agent"], a["scheduled_ms"], a["signed_in_ms"], a["available_ms"], a["in_adherence_ms"], round(a["adherence"], 9)) for a in j["agents"]]')" = \
  "[('1001', 13500000, 14400000, 10800000, 9900000, $(python3 -c 'print(round(9.9/13.5, 9))')), ('1002', 14400000, 0, 0, 0, 0.0), ('1003', 3600000, 3600000, 3600000, 3600000, 1.0)]" ] ||
	fail "agents: $(jbody 'j["agents"]')"
[ "$(jbody '[(d["agents_scheduled"], d["agents_worked"], d["attendance"]) for d in j["days"]]')" = \
  "[(2, 1, 0.5), (1, 1, 1.0)]" ] || fail "days: $(jbody 'j["days"]')"
# 出勤率 = 2 agent-days worked / 3 scheduled; 实际工作率 = (10.8 + 0 +
# 3.6) M available / (13.5 + 14.4 + 3.6) M scheduled.
[ "$(jbody '(round(j["kpis"]["attendance"]["value"], 9), round(j["kpis"]["utilization"]["value"], 9), j["kpis"]["attendance"]["name_zh"], j["kpis"]["utilization"]["name_zh"])')" = \
  "($(python3 -c 'print(round(2/3, 9))'), $(python3 -c 'print(round(14.4/31.5, 9))'), '出勤率', '实际工作率')" ] ||
	fail "kpis: $(jbody 'j["kpis"]')"
[ "$(jbody '(j["kpis"]["attendance"]["target_lo"], j["kpis"]["utilization"]["target_lo"])')" = "(0.95, 0.92)" ] ||
	fail "targets: $(jbody 'j["kpis"]')"
ok "adherence, attendance 2/3 and utilization 14.4/31.5 as computed by hand"

# One team (一个班组): 一组 holds 1001 only, whose one day was worked.
http GET "/api/v1/wfm/adherence?$P&department=$G1" "" "$ADMIN" >/dev/null
expect_status 200 "adherence of 一组"
[ "$(jbody '([a["agent"] for a in j["agents"]], j["kpis"]["attendance"]["value"])')" = "(['1001'], 1.0)" ] ||
	fail "一组: $HTTP_BODY"
ok "a team's attendance: ?department="

http GET "/api/v1/wfm/staffing?from=2026-01-05T00:00:00Z&to=2026-01-06T00:00:00Z&interval=1h" "" "$SUP" >/dev/null
expect_status 200 "staffing"
[ "$(jbody '[(r["start_ms"] - j["from_ms"]) // 3600000 for r in j["rows"]][:3] + [len(j["rows"])]')" = "[0, 1, 2, 24]" ] ||
	fail "staffing rows: $HTTP_BODY"
[ "$(jbody '[(r["planned"], r["signed_in"], r["available"]) for r in j["rows"][8:12]]')" = \
  "[(2.0, 1.0, 1.0), (2.0, 1.0, 0.0), (1.75, 1.0, 1.0), (2.0, 1.0, 1.0)]" ] ||
	fail "planned vs actual: $(jbody 'j["rows"][8:12]')"
ok "planned against actual agents per hour"

# A day of the console in Beijing (UTC+8): 00:00 local is 16:00 UTC the
# day before; the same hours land 8 rows later, the days of adherence
# start there too.
http GET "/api/v1/wfm/staffing?from=2026-01-04T16:00:00Z&to=2026-01-05T16:00:00Z&interval=1h" "" "$SUP" >/dev/null
expect_status 200 "a local day"
[ "$(jbody '(len(j["rows"]), j["rows"][0]["start_ms"], [(r["planned"], r["signed_in"], r["available"]) for r in j["rows"][16:20]])')" = \
  "(24, $((D - 8 * H)), [(2.0, 1.0, 1.0), (2.0, 1.0, 0.0), (1.75, 1.0, 1.0), (2.0, 1.0, 1.0)])" ] ||
	fail "a local day: $(jbody 'j["rows"][16:20]')"
http GET "/api/v1/wfm/adherence?from=2026-01-04T16:00:00Z&to=2026-01-06T16:00:00Z" "" "$SUP" >/dev/null
expect_status 200 "adherence over local days"
[ "$(jbody '[(d["day_ms"], d["agents_scheduled"], d["agents_worked"]) for d in j["days"]]')" = \
  "[($((D - 8 * H)), 2, 1), ($((D + 16 * H)), 1, 1)]" ] || fail "local days: $(jbody 'j["days"]')"
ok "whole days from a local midnight (UTC+8)"

for q in "from=2026-01-05T00:00:00Z&to=2026-03-05T00:00:00Z" "from=2026-01-05T01:00:00Z&to=2026-01-06T00:00:00Z" \
	 "from=2026-01-04T16:05:00Z&to=2026-01-05T16:05:00Z" \
	 "$P&interval=5m"; do
	http GET "/api/v1/wfm/adherence?$q" "" "$SUP" >/dev/null
	expect_status 400 "$q"
done
http GET "/api/v1/wfm/staffing?from=2016-01-05T00:00:00Z&to=2026-01-05T00:00:00Z&interval=15m" "" "$SUP" >/dev/null
expect_status 400 "ten years of quarter hours"
case "$(jbody 'j["error"]')" in *"31 days"*) ;; *) fail "ten years: $HTTP_BODY" ;; esac
http GET "/api/v1/wfm/adherence?$P" "" "$A2" >/dev/null
expect_status 403 "an agent reading adherence"
ok "bad periods and intervals: 400 with the reason; agents refused"

http PUT "/api/v1/wfm/shifts/$S2" "$(shift_body 1002 9 12)" "$SUP" >/dev/null
expect_status 200 "moving 1002's shift"
[ "$(jbody 'j["start_ms"]')" = $((D + 9 * H)) ] || fail "moved: $HTTP_BODY"
http DELETE "/api/v1/wfm/shifts/$S2" "" "$SUP" >/dev/null
expect_status 204 "removing it"
http GET "/api/v1/wfm/shifts/$S2" "" "$SUP" >/dev/null
expect_status 404 "removed"
ok "a shift replaced and removed"
stop_server
