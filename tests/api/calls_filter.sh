# GET /api/v1/calls search filters over a real SQLite file (rows seeded with
# the sqlite3 CLI while the server runs, as calls.sh does): each filter
# alone, filters combined, the department subtree, an agent still limited to
# their own calls, keyset paging under filters (every page walks the
# filtered set once, in order, with ties on started_at), and 400 naming the
# parameter for each bad value.
. "$(dirname "$0")/../lib.sh"

start_server
DB="$DATA_DIR/hotline.db"
ADMIN=$(login admin admin123)
AGENT=$(login 1001 secret1001)
sql() { sqlite3 -cmd '.timeout 5000' "$DB" "$@"; }

# Departments: 销售部 (d1) with 北区 (d2) under it; 客服部 (d3) apart.
# 1001 is in 北区, 1002 in 客服部.
T0=1767254400000
sql "INSERT INTO departments (id, name, parent_id, created_at) VALUES
 ('d1','销售部',NULL,$T0), ('d2','北区','d1',$T0), ('d3','客服部',NULL,$T0);
 UPDATE users SET department_id = 'd2' WHERE username = '1001';
 UPDATE users SET department_id = 'd3' WHERE username = '1002';
 INSERT INTO calls (id, direction, caller, callee, started_at, answered_at,
	ended_at, duration_s, talk_s, agent, queue, hangup_by, recording, province, city) VALUES
 ('f01','inbound','13800138001','4008001000',$T0,$T0,$((T0+60000)),60,55,'1001','sales','caller','recordings/f01.wav','广东省','深圳市'),
 ('f02','inbound','13912345678','4008002000',$((T0+60000)),NULL,$((T0+70000)),10,0,NULL,'support','caller',NULL,'北京市','北京市'),
 ('f03','outbound','1002','02150001234',$((T0+120000)),$((T0+121000)),$((T0+300000)),180,179,'1002',NULL,'agent','recordings/f03.wav','上海市','上海市'),
 ('f04','inbound','13800138004','4008001000',$((T0+120000)),$((T0+121000)),$((T0+150000)),30,29,'1001','sales','agent','',NULL,NULL),
 ('f05','internal','1001','1002',$((T0+120000)),$((T0+121000)),$((T0+130000)),10,9,'1002',NULL,'caller',NULL,NULL,NULL),
 ('f06','inbound','075588880006','4008001000',$((T0+240000)),$((T0+241000)),$((T0+841000)),601,600,'1002','support','caller','recordings/f06.wav','广东省','深圳市'),
 ('f07','inbound','13800138007','4008001000',$((T0+300000)),$((T0+301000)),$((T0+331000)),31,30,'1001','sales','caller','recordings/f07.wav','广东省','广州市'),
 ('f08','inbound','18600000008','4008003000',$((T0+300000)),$((T0+301000)),$((T0+321000)),21,20,'1003','support','caller',NULL,'浙江省','杭州市');
 INSERT INTO call_audio (call_id, status, error, measured_at, duration_ms, overtalk_ms, longest_silence_ms) VALUES
 ('f01','ok',NULL,$T0,60000,6000,12000), ('f03','ok',NULL,$T0,180000,3600,31000),
 ('f06','unreadable','not audio',$T0,0,0,0), ('f07','ok',NULL,$T0,30000,2999,0);"

ids() { jbody '",".join(c["id"] for c in j["items"])'; }
expect() {  # expect QUERY IDS [TOKEN]
	http GET "/api/v1/calls?$1" "" "${3:-$ADMIN}" >/dev/null
	expect_status 200 "$1"
	[ "$(ids)" = "$2" ] || fail "$1: want $2, got $(ids)"
}

expect "" "f08,f07,f06,f05,f04,f03,f02,f01"
expect "number=138001" "f07,f04,f01"
expect "number=4008003000" "f08"
expect "number=%2B1380013800" "" # a '+' is allowed, matches nothing stored with it
expect "number_prefix=0755" "f06"
expect "number_prefix=1002" "f05,f03"
expect "number_prefix=38001" ""
expect "agent=1001" "f07,f04,f01"
expect "direction=outbound" "f03"
expect "direction=internal" "f05"
expect "queue=support" "f08,f06,f02"
expect "min_duration=30" "f07,f06,f03,f01"
expect "max_duration=29" "f08,f05,f04,f02"
expect "min_duration=30&max_duration=179" "f07,f03,f01"
expect "province=%E5%B9%BF%E4%B8%9C%E7%9C%81" "f07,f06,f01"
expect "city=%E6%B7%B1%E5%9C%B3%E5%B8%82" "f06,f01"
expect "has_recording=1" "f07,f06,f03,f01"
expect "has_recording=0" "f08,f05,f04,f02"
expect "overtalk_pct_min=10" "f01"          # f07: 9.997 %
expect "overtalk_pct_min=2" "f07,f03,f01"
expect "overtalk_pct_min=0" "f07,f03,f01"   # f06's file was unreadable
expect "silence_s_min=12" "f03,f01"
expect "silence_s_min=31" "f03"
expect "silence_s_min=32" ""
ok "each filter alone: number (from or to, contains or prefix), agent, direction, queue, talk seconds, region, recording, audio measures"

expect "department=d1" "f07,f04,f01"     # 北区 is under 销售部
expect "department=d2" "f07,f04,f01"
expect "department=d3" "f06,f05,f03"
expect "department=nosuch" ""
ok "department: calls answered by extensions in the department's subtree"

expect "queue=sales&has_recording=1&min_duration=40" "f01"
expect "province=%E5%B9%BF%E4%B8%9C%E7%9C%81&department=d3" "f06"
expect "from=2026-01-01T08:02:00Z&to=2026-01-01T08:05:00Z&direction=inbound" "f06,f04"
ok "filters combine with each other and with from/to"

expect "number=1380013800" "f07,f04,f01" "$AGENT"
expect "queue=support" "" "$AGENT"
expect "agent=1002" "" "$AGENT"
ok "an agent's filtered list holds only their own calls"

# Paging under filters: f03, f04 and f05 start at the same instant, so
# the cursor's id tie-break is exercised inside a filtered set.
# The walks run in one Python process: a page each through curl and a
# Python start per field took minutes on a loaded machine.
python3 - "$BASE_URL" "$ADMIN" <<'PY' || fail "keyset paging under filters"
import json, sys, urllib.request
base, token = sys.argv[1], sys.argv[2]
def page(q):
    r = urllib.request.Request(base + "/api/v1/calls?" + q,
                               headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(r) as resp:
        assert resp.status == 200, (q, resp.status)
        return json.load(resp)
for q in ["min_duration=5", "has_recording=0", "number=100", "department=d3",
          "direction=inbound&max_duration=600"]:
    whole = [c["id"] for c in page(q)["items"]]
    assert whole, (q, "the set is empty, the walk proves nothing")
    for limit in (1, 2, 3):
        seen, cursor, pages = [], "", 0
        while True:
            j = page("%s&limit=%d%s" % (q, limit, "&cursor=" + cursor if cursor else ""))
            assert len(j["items"]) <= limit, (q, limit, "page larger than limit")
            seen += [c["id"] for c in j["items"]]
            cursor = j["next_cursor"] or ""
            pages += 1
            if not cursor:
                break
            assert pages < 20, (q, limit, "paging does not end")
        assert seen == whole, (q, limit, "pages give", seen, "the list", whole)
PY
ok "keyset paging under filters: every row once, in order, ties included, page sizes 1-3"

for bad in "number=12a" "number=" "number_prefix=--" "agent=10%2001" "department=a'b" \
	"direction=sideways" "queue=sa%20les" "min_duration=-1" "max_duration=x" \
	"min_duration=1000001" "has_recording=yes" "overtalk_pct_min=101" \
	"overtalk_pct_min=5.5" "silence_s_min=-3" "province=%0A" "city=$(printf 'x%.0s' $(seq 70))"; do
	http GET "/api/v1/calls?$bad" "" "$ADMIN" >/dev/null
	expect_status 400 "$bad"
	jbody 'j["error"]' | grep -q "'${bad%%=*}'" || fail "$bad: reason does not name it: $HTTP_BODY"
done
ok "bad filter values get 400 naming the parameter"

stop_server
ok "stopped"
