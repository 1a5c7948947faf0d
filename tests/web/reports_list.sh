#!/usr/bin/env bash
# 报表 in a real browser: calls of the last days seeded with sqlite3 (as
# tests/api/reports_list.sh does, plus 105 more inbound calls so a detail
# has a second page). The administrator picks reports from the list
# grouped as the manual groups them: 来电分类统计 with its total, by queue;
# 呼入电话明细 filtered by queue, and paged on; the region traffic; CSV
# and Excel downloads, which the bash side reads back with csv and
# openpyxl against the API's JSON.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../sip/lib_sip.bash"
source "$(dirname "$0")/lib_web.bash"

start_server
DB="$DATA_DIR/hotline.db"
ADMIN=$(login admin admin123)
T0=$(( ($(date +%s) - 2 * 86400) * 1000 ))
sqlite3 -cmd '.timeout 5000' "$DB" "INSERT INTO calls (id, direction, caller, callee,
	started_at, answered_at, ended_at, duration_s, talk_s, agent, queue, hangup_by, trunk,
	province, city, wrapup_code) VALUES
 ('c01','inbound','13800138001','4008001000',$T0,$((T0+5000)),$((T0+65000)),65,60,'1001','sales','caller','t1','广东省','深圳市','complaint'),
 ('c02','inbound','13912345678','4008001000',$((T0+60000)),NULL,$((T0+70000)),10,0,NULL,'sales','caller','t1','北京市','北京市',NULL),
 ('c03','inbound','13700000003','4008002000',$((T0+120000)),$((T0+122000)),$((T0+242000)),122,120,'1002','support','agent','t2','广东省','广州市','inquiry'),
 ('c04','inbound','13800138004','4008001000',$((T0+180000)),$((T0+181000)),$((T0+211000)),31,30,'1001','sales','caller','t1','广东省','深圳市','inquiry'),
 ('c07','inbound','13500000007','4008002000',$((T0+240000)),$((T0+245000)),$((T0+285000)),45,40,'1001','support','caller','t1','浙江省','杭州市','complaint');
 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 105)
 INSERT INTO calls (id, direction, caller, callee, started_at, duration_s, talk_s, queue, hangup_by)
 SELECT printf('p%03d', i), 'inbound', '13600000000', '4008003000', $((T0+3600000)) + i * 1000, 5, 0,
	'sales', 'caller' FROM n;"

web_start reports_list.mjs "$TEST_DIR/out"
web_end
python3 - "$TEST_DIR/out" <<'EOF2' || fail "the downloads differ from the page's numbers"
import csv, io, sys, openpyxl
out = sys.argv[1]
rows = list(csv.reader(io.StringIO(open(out + ".csv", "rb").read().decode("utf-8-sig"))))
assert rows[0][:3] == ["来电类型", "名称", "来电量"], rows[0]
by = {r[0]: r for r in rows[1:]}
assert by["complaint"][2] == "2" and by["合计"][2] == "110", (by["complaint"], by["合计"])
ws = openpyxl.load_workbook(out + ".xlsx").active
x = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
assert x["complaint"][2] == 2 and x["合计"][2] == 110, (x["complaint"], x["合计"])
EOF2
ok "the CSV and Excel the browser saved hold the page's numbers"
stop_server
