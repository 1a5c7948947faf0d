# GET /api/v1/reports/list and /api/v1/reports/{id}: the manual's report
# list over calls, queue and agent events and IVR visits seeded with the
# sqlite3 CLI while the server runs (as calls_filter.sh does), each figure
# checked against the number worked out by hand in the comments; the same
# numbers in JSON, CSV and XLSX (read back by Python's csv and openpyxl);
# detail paging by cursor under filters; the data scope of a supervisor of
# one department; 400 naming the parameter for each bad request.
. "$(dirname "$0")/../lib.sh"

start_server
DB="$DATA_DIR/hotline.db"
ADMIN=$(login admin admin123)
sql() { sqlite3 -cmd '.timeout 5000' "$DB" "$@"; }

# 2026-01-01T08:00:00Z. Seven calls over two days:
#  c01 in  sales   1001 answered talk 60  t1 广东省深圳 complaint rating 5
#  c02 in  sales   —    abandoned         t1 北京市
#  c03 in  support 1002 answered talk 120 t2 广东省广州 inquiry   rating 3
#  c04 in  sales   1001 answered talk 30  t1 广东省深圳 inquiry   rating 4 (+1 h)
#  c05 out —       1001 answered talk 90  t2 上海市                        (+2 h)
#  c06 out —       1002 no answer          t2                               (+2 h)
#  c07 in  support 1001 (passed on by 1002) talk 40 t1 浙江省 complaint rating 1 (+1 day)
T0=1767254400000
H=3600000
D=86400000
sql "INSERT INTO departments (id, name, parent_id, created_at) VALUES
 ('d1','销售部',NULL,$T0);
 UPDATE users SET department_id = 'd1' WHERE username IN ('1001', 'sup');
 UPDATE users SET scope = 'departments' WHERE username = 'sup';
 INSERT INTO calls (id, direction, caller, callee, started_at, answered_at,
	ended_at, duration_s, talk_s, agent, queue, hangup_by, trunk, province,
	city, wrapup_code, rating, transfer_by) VALUES
 ('c01','inbound','13800138001','4008001000',$T0,$((T0+5000)),$((T0+65000)),65,60,'1001','sales','caller','t1','广东省','深圳市','complaint',5,NULL),
 ('c02','inbound','13912345678','4008001000',$((T0+60000)),NULL,$((T0+70000)),10,0,NULL,'sales','caller','t1','北京市','北京市',NULL,NULL,NULL),
 ('c03','inbound','13700000003','4008002000',$((T0+120000)),$((T0+122000)),$((T0+242000)),122,120,'1002','support','agent','t2','广东省','广州市','inquiry',3,NULL),
 ('c04','inbound','13800138004','4008001000',$((T0+H)),$((T0+H+1000)),$((T0+H+31000)),31,30,'1001','sales','caller','t1','广东省','深圳市','inquiry',4,NULL),
 ('c05','outbound','1001','02150001234',$((T0+2*H)),$((T0+2*H+10000)),$((T0+2*H+100000)),100,90,'1001',NULL,'agent','t2','上海市','上海市',NULL,NULL,NULL),
 ('c06','outbound','1002','13600000006',$((T0+2*H+60000)),NULL,$((T0+2*H+80000)),20,0,'1002',NULL,'system','t2',NULL,NULL,NULL,NULL,NULL),
 ('c07','inbound','13500000007','4008002000',$((T0+D)),$((T0+D+5000)),$((T0+D+45000)),45,40,'1001','support','caller','t1','浙江省','杭州市','complaint',1,'1002');"

# Queue events (docs/api.md, Bus events). sales: c01 answered after 5 s,
# c02 hung up after 10 s (short: under 20 s), x1 after 60 s, c04 answered
# after 30 s; support: c03 answered after 2 s, y1 overflowed after 60 s.
ev() { # ev SEQ TS TYPE SUBJECT DATA
	printf "('t',%s,%s,'%s','%s','%s')," "$1" "$2" "$3" "$4" "$5"
}
EVENTS=$(
ev 1 $T0 queue.enter c01 '{"queue":"sales","enter_ms":'$T0'}'
ev 2 $((T0+5000)) queue.answer c01 '{"queue":"sales","agent":"1001","wait_ms":5000}'
ev 3 $((T0+60000)) queue.enter c02 '{"queue":"sales"}'
ev 4 $((T0+70000)) queue.abandon c02 '{"queue":"sales","wait_ms":10000}'
ev 5 $((T0+100000)) queue.enter x1 '{"queue":"sales"}'
ev 6 $((T0+160000)) queue.abandon x1 '{"queue":"sales","wait_ms":60000}'
ev 7 $((T0+H)) queue.enter c04 '{"queue":"sales"}'
ev 8 $((T0+H+30000)) queue.answer c04 '{"queue":"sales","agent":"1001","wait_ms":30000}'
ev 9 $((T0+120000)) queue.enter c03 '{"queue":"support"}'
ev 10 $((T0+122000)) queue.answer c03 '{"queue":"support","agent":"1002","wait_ms":2000}'
ev 11 $((T0+130000)) queue.enter y1 '{"queue":"support"}'
ev 12 $((T0+190000)) queue.overflow y1 '{"queue":"support","wait_ms":60000}'
# 1001 signs in at 08:00, not ready (break) 08:10-08:20 with a checkpoint at
# 08:15, ready, not ready (meal) 08:30, signs out at 08:50. 1002 signs in
# at 08:01, not ready (break) 08:11-08:12, and stays signed in.
ev 20 $T0 agent.state 1001 '{"state":"ready","prev_state":"logged_out","dur_ms":0}'
ev 21 $((T0+600000)) agent.state 1001 '{"state":"not_ready","prev_state":"ready","dur_ms":600000,"reason":"break"}'
ev 22 $((T0+900000)) agent.state 1001 '{"state":"not_ready","prev_state":"not_ready","dur_ms":300000,"reason":"checkpoint"}'
ev 23 $((T0+1200000)) agent.state 1001 '{"state":"ready","prev_state":"not_ready","dur_ms":300000}'
ev 24 $((T0+1800000)) agent.state 1001 '{"state":"not_ready","prev_state":"ready","dur_ms":600000,"reason":"meal"}'
ev 25 $((T0+3000000)) agent.state 1001 '{"state":"logged_out","prev_state":"not_ready","dur_ms":1200000}'
ev 26 $((T0+60000)) agent.state 1002 '{"state":"ready","prev_state":"logged_out","dur_ms":0}'
ev 27 $((T0+660000)) agent.state 1002 '{"state":"not_ready","prev_state":"ready","dur_ms":600000,"reason":"break"}'
ev 28 $((T0+720000)) agent.state 1002 '{"state":"ready","prev_state":"not_ready","dur_ms":60000}'
)
sql "INSERT INTO events (boot, seq, ts, type, subject, data) VALUES ${EVENTS%,};
 UPDATE queues SET short_abandon_ms = 20000, sl_ms = 20000;
 INSERT INTO ivr_visits (call_id, flow, version, seq, node, kind, entered_at, left_at, exit, retries) VALUES
 ('c01','main',1,1,'menu','menu',$T0,$((T0+3000)),'1',0),
 ('c01','main',1,2,'sales','queue',$((T0+3000)),$((T0+5000)),'done',0),
 ('c02','main',1,1,'menu','menu',$((T0+60000)),$((T0+64000)),'hangup',0),
 ('c03','main',1,1,'menu','menu',$((T0+120000)),$((T0+121000)),'2',1);"

DAY1="from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z"
BOTH="from=2026-01-01T00:00:00Z&to=2026-01-03T00:00:00Z"

# report ID QUERY [TOKEN]: GET it, 200 expected, into HTTP_BODY
report() {
	http GET "/api/v1/reports/$1?$2" "" "${3:-$ADMIN}" >/dev/null
	expect_status 200 "$1?$2"
}
# row KEY COLUMNS: the row with that key, its columns joined by spaces
row() {
	jbody "' '.join(str(r.get(c)) for r in (j['rows'] + [j.get('total') or {}]) if r.get('key') == '$1' for c in '$2'.split())"
}
want() { # want WHAT GOT EXPECTED
	[ "$2" = "$3" ] || fail "$1: want '$3', got '$2'"
}

# ---- the list
http GET /api/v1/reports/list "" "$ADMIN" >/dev/null
expect_status 200 "the list"
[ "$(jbody 'len(j["reports"])')" -ge 16 ] || fail "the list: $(jbody 'len(j["reports"])') reports"
want "the manual's names" "$(jbody '",".join(r["manual"] for r in j["reports"] if r["section"] != "话务分析")')" \
	"来电分类统计,满意度统计,满意度明细查询,质检考评报表,坐席签入签出报表,坐席示忙报表,呼入电话明细,外呼统计,外呼明细,ACD排队统计,队列呼损情况明细,队列呼损统计,中继呼叫明细,自动呼入数据分析"
want "a report's groupings" "$(jbody '",".join(g["name"] for r in j["reports"] if r["id"] == "traffic" for g in r["groups"])')" \
	"day,year,month,hour,hour_of_day,province,city,direction,queue,trunk"
ok "the list: every report of the manual, its section, groupings, filters and columns"

# ---- 来电分类统计: inbound calls by wrap-up code. 5 calls; complaint c01 c07
# (talk 100), inquiry c03 c04 (talk 150), none c02.
report call-types "$BOTH"
want "complaint" "$(row complaint 'label calls answered share_pct talk_s avg_talk_s')" "投诉 2 2 40.0 100 50.0"
want "inquiry" "$(row inquiry 'calls answered share_pct talk_s avg_talk_s')" "2 2 40.0 150 75.0"
want "no code" "$(row '' 'calls answered share_pct talk_s avg_talk_s')" "1 0 20.0 0 None"
want "total" "$(row 合计 'calls answered share_pct talk_s avg_talk_s')" "5 4 100.0 250 62.5"
ok "来电分类统计 by wrap-up code: counts, shares, talk and the total"

# ---- 满意度统计 by agent: 1001 rated 5, 4, 1; 1002 rated 3.
report satisfaction-summary "$BOTH"
want "1001" "$(row 1001 'rated mean satisfied satisfied_pct r1 r4 r5')" "3 3.33 2 66.67 1 1 1"
want "1002" "$(row 1002 'rated mean satisfied satisfied_pct r3')" "1 3.0 0 0.0 1"
want "total" "$(row 合计 'rated mean satisfied satisfied_pct')" "4 3.25 2 50.0"
report satisfaction-detail "$BOTH"
want "detail" "$(jbody '",".join("%s:%s" % (r["call_id"], r["rating"]) for r in j["rows"])')" "c01:5,c03:3,c04:4,c07:1"
ok "满意度统计 and 满意度明细 from the survey's ratings (calls.rating)"

# ---- 质检考评报表: two evaluations of 1001, 90 (given 80, appealed and
# changed) and 70 with a failed critical item; one of 1002, 60.
sql "INSERT INTO qa_evaluations (id, call_id, agent, queue, inspector, scorecard_id,
	scorecard_version, answers, score, earned, possible, failed_critical, sections,
	final_score, created_at) VALUES
 ('e1','c01','1001','sales','u','sc',1,'{}',80,80,100,0,'[]',90,$((T0+H))),
 ('e2','c04','1001','sales','u','sc',1,'{}',70,70,100,1,'[]',70,$((T0+2*H))),
 ('e3','c03','1002','support','u','sc',1,'{}',60,60,100,0,'[]',60,$((T0+2*H)));
 INSERT INTO qa_appeals (evaluation_id, reason, appealed_by, appealed_at, outcome, old_score, new_score)
 VALUES ('e1','r','u',$((T0+H)),'changed',80,90);"
report qa "$DAY1"
want "1001" "$(row 1001 'evaluations avg_score avg_given_score failed_critical appeals appeal_pct changed upheld')" \
	"2 80.0 75.0 1 1 50.0 1 0"
want "total" "$(row 合计 'evaluations avg_score appeals')" "3 73.33 1"
ok "质检考评报表: evaluations, 监听分值 (mean final score), failed critical items, appeals"

# ---- 坐席签入签出报表 by agent
report sign-in "$DAY1"
want "1001" "$(row 1001 'sign_ins sign_outs first_in last_out signed_in_s ready_s not_ready_s')" \
	"1 1 2026-01-01 08:00:00 2026-01-01 08:50:00 3000.0 1200.0 1800.0"
want "1002" "$(row 1002 'sign_ins sign_outs last_out signed_in_s ready_s not_ready_s')" "1 0 None 660.0 600.0 60.0"
report sign-in "$DAY1&tz=%2B08:00"
want "in the center's time zone" "$(row 1001 'first_in')" "2026-01-01 16:00:00"
ok "坐席签入签出报表: sign-ins and outs, first and last, time per state, in a time zone"

# ---- 坐席示忙报表 by reason: break 1001 300+300 s (a checkpoint between),
# 1002 60 s; meal 1001 1200 s.
report not-ready "$DAY1"
want "break" "$(row break 'label times not_ready_s avg_s share_pct')" "休息 2 660.0 330.0 35.48"
want "meal" "$(row meal 'label times not_ready_s avg_s share_pct')" "就餐 1 1200.0 1200.0 64.52"
want "total" "$(row 合计 'times not_ready_s avg_s')" "3 1860.0 620.0"
report not-ready "$DAY1&group=agent"
want "by agent" "$(row 1001 'times not_ready_s')" "2 1800.0"
ok "坐席示忙报表: not-ready spans by reason (checkpoints kept in their span) and by agent"

# ---- ACD排队统计 by queue
report acd "$DAY1"
want "sales" "$(row sales 'entered answered answer_pct sl_pct asa_s max_wait_s abandoned short_abandoned overflowed')" \
	"4 2 66.67 33.33 17.5 30.0 1 1 0"
want "support" "$(row support 'entered answered answer_pct sl_pct asa_s abandoned overflowed')" "2 1 50.0 50.0 2.0 0 1"
want "total" "$(row 合计 'entered answered answer_pct sl_pct asa_s max_wait_s')" "6 3 60.0 40.0 12.3 30.0"
ok "ACD排队统计: entered, answered, service level, waits, abandons with short ones apart, overflows"

# ---- 队列呼损统计 and 明细: short abandons apart and out of the rate
report abandon-summary "$DAY1"
want "sales" "$(row sales 'entered abandoned_all short_abandoned abandoned abandon_pct avg_wait_s')" "4 2 1 1 33.33 60.0"
want "support" "$(row support 'abandoned abandon_pct avg_wait_s')" "0 0.0 None"
report abandon-detail "$DAY1"
want "detail" "$(jbody '",".join("%s:%s:%s:%s" % (r["call_id"], r["caller"], r["wait_s"], r["short"]) for r in j["rows"])')" \
	"c02:13912345678:10.0:1,x1:None:60.0:0"
sql "UPDATE queues SET short_abandon_ms = 5000 WHERE name = 'sales'"
report abandon-summary "$DAY1"
want "a shorter threshold" "$(row sales 'short_abandoned abandoned abandon_pct')" "0 2 50.0"
ok "队列呼损统计 and 队列呼损情况明细: the queue's short_abandon_ms setting separates short abandons"

# ---- 外呼统计 by agent
report outbound-summary "$DAY1"
want "1001" "$(row 1001 'calls answered answer_pct talk_s avg_talk_s duration_s')" "1 1 100.0 90 90.0 100"
want "total" "$(row 合计 'calls answered answer_pct talk_s')" "2 1 50.0 90"
ok "外呼统计: calls, answered, rate, talk"

# ---- 自动呼入数据分析: the IVR funnel in the order callers reach the nodes
report ivr-funnel "$DAY1"
want "order" "$(jbody '",".join(r["key"] for r in j["rows"])')" "main / menu,main / sales"
want "menu" "$(row 'main / menu' 'calls visits chose hung_up hung_up_pct replays reached_agent avg_s')" "3 3 2 1 33.33 1 2 2.7"
ok "自动呼入数据分析: entered, chose, hung up, replays, reached an agent per node"

# ---- 话务员工作量: c07 counts for 1002, who passed it on
report workload "$BOTH"
want "1001" "$(row 1001 'days inbound_answered outbound outbound_answered talk_s avg_talk_s transferred')" "1 2 1 1 180 60.0 0"
want "1002" "$(row 1002 'days inbound_answered outbound talk_s avg_talk_s transferred transfer_pct')" "2 2 1 160 80.0 1 50.0"
ok "话务员工作量: days with calls, calls in and out, talk, transfers out and their rate"

# ---- traffic by day, province; trunk traffic
report traffic "$BOTH"
want "day 1" "$(row 2026-01-01 'calls inbound inbound_answered inbound_answer_pct outbound outbound_answered talk_minutes share_pct')" \
	"6 4 3 75.0 2 1 5.0 85.71"
want "day 2" "$(row 2026-01-02 'calls talk_minutes share_pct')" "1 0.7 14.29"
report traffic "$BOTH&group=province"
want "广东省" "$(row 广东省 'calls inbound')" "3 3"
report traffic "$BOTH&group=month"
want "month" "$(row 2026-01 'calls')" "7"
report trunk-traffic "$DAY1"
want "t1" "$(row t1 'calls inbound outbound answered minutes')" "3 3 0 2 1.8"
want "t2" "$(row t2 'calls inbound outbound answered minutes')" "3 1 2 2 4.0"
report trunk-traffic "from=2026-01-01T08:00:00Z&to=2026-01-01T09:00:00Z&group=hour"
want "Erlangs of an hour" "$(row '2026-01-01 08:00' 'minutes erlangs')" "3.3 0.05"
ok "话务量统计 by day, month and province (归属地); 中继话务量 by trunk and hour, with Erlangs"

# ---- detail paging and filters
report inbound-detail "$BOTH&limit=2"
want "page 1" "$(jbody '",".join(r["call_id"] for r in j["rows"])')" "c01,c02"
CUR=$(jbody 'j["next_cursor"]')
report inbound-detail "$BOTH&limit=2&cursor=$CUR"
want "page 2" "$(jbody '",".join(r["call_id"] for r in j["rows"])')" "c03,c04"
CUR=$(jbody 'j["next_cursor"]')
report inbound-detail "$BOTH&limit=2&cursor=$CUR"
want "page 3" "$(jbody '",".join(r["call_id"] for r in j["rows"]) + ":" + str(j["next_cursor"])')" "c07:None"
report inbound-detail "$BOTH&queue=support"
want "queue" "$(jbody '",".join(r["call_id"] for r in j["rows"])')" "c03,c07"
report inbound-detail "$BOTH&region=%E5%B9%BF%E4%B8%9C%E7%9C%81"
want "region" "$(jbody '",".join(r["call_id"] for r in j["rows"])')" "c01,c03,c04"
report inbound-detail "$BOTH&department=d1&region=%E5%B9%BF%E4%B8%9C%E7%9C%81"
want "department and region" "$(jbody '",".join(r["call_id"] for r in j["rows"])')" "c01,c04"
report trunk-detail "$BOTH&trunk=t2"
want "trunk" "$(jbody '",".join(r["call_id"] for r in j["rows"])')" "c03,c05,c06"
report outbound-detail "$BOTH&agent=1002"
want "agent" "$(jbody '",".join("%s:%s" % (r["call_id"], r["answered"]) for r in j["rows"])')" "c06:0"
ok "details: keyset pages by cursor; queue, region, department, trunk and agent filters"

# ---- the data scope: sup sees the calls of 销售部 (1001) only
SUP=$(login sup sup123)
report satisfaction-summary "$BOTH" "$SUP"
want "scope" "$(jbody '",".join(r["key"] for r in j["rows"]) + ":" + str(j["total"]["rated"])')" "1001:3"
report inbound-detail "$BOTH" "$SUP"
want "scope detail" "$(jbody '",".join(r["call_id"] for r in j["rows"])')" "c01,c04,c07"
report acd "$DAY1" "$SUP"
want "a queue's figures whole" "$(row 合计 'entered answered')" "6 3"
ok "a supervisor of one department reads its agents' calls only, and the queues' figures whole"

# ---- JSON, CSV and XLSX hold the same numbers
same_everywhere() { # same_everywhere ID QUERY
	local q="/api/v1/reports/$1?$2"
	curl -s -H "Authorization: Bearer $ADMIN" "$BASE_URL$q" >"$TEST_DIR/r.json"
	curl -s -D "$TEST_DIR/csv.h" -H "Authorization: Bearer $ADMIN" "$BASE_URL$q&format=csv" >"$TEST_DIR/r.csv"
	curl -s -D "$TEST_DIR/xlsx.h" -H "Authorization: Bearer $ADMIN" "$BASE_URL$q&format=xlsx" >"$TEST_DIR/r.xlsx"
	grep -qi '^content-type: text/csv' "$TEST_DIR/csv.h" || fail "$1: CSV type"
	grep -qi '^content-disposition: attachment; filename="'"$1" "$TEST_DIR/csv.h" || fail "$1: CSV name"
	grep -qi '^content-type: application/vnd.openxmlformats' "$TEST_DIR/xlsx.h" || fail "$1: XLSX type"
	python3 - "$TEST_DIR" <<'EOF' || fail "$1: the formats differ"
import csv, io, json, sys, openpyxl
d = sys.argv[1]
j = json.load(open(d + "/r.json"))
rows = j["rows"] + ([j["total"]] if j.get("total") else [])
cols = j["columns"]
want = [[c["zh"] for c in cols]] + [[r.get(c["key"]) for c in cols] for r in rows]
raw = open(d + "/r.csv", "rb").read()
assert raw.startswith(b"\xef\xbb\xbf"), "no BOM"
got_csv = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
ws = openpyxl.load_workbook(d + "/r.xlsx").active
got_x = [list(r) for r in ws.iter_rows(values_only=True)]
assert len(got_csv) == len(want) == len(got_x), (len(got_csv), len(want), len(got_x))
assert len(want) > 2
def same(w, c, x):
    if w is None:
        return c == "" and x in (None, "")
    if isinstance(w, str):   # an empty text is an empty cell in Excel
        return c == w and (x == w or (w == "" and x is None))
    return float(c) == w and float(x) == w
for i, (w, c, x) in enumerate(zip(want, got_csv, got_x)):
    for k, col in enumerate(w):
        assert same(col, c[k], x[k]), (i, k, col, c[k], x[k])
EOF
}
same_everywhere call-types "$BOTH"
same_everywhere acd "$DAY1"
same_everywhere sign-in "$DAY1"
same_everywhere traffic "$BOTH&group=hour"
same_everywhere inbound-detail "$BOTH"
ok "JSON, CSV and XLSX (read by csv and openpyxl) hold the same cells, totals included"

# ---- bad requests: 400 naming the parameter, nothing read
bad() { # bad ID QUERY WORD
	http GET "/api/v1/reports/$1?$2" "" "$ADMIN" >/dev/null
	expect_status 400 "$1?$2"
	jbody 'j["error"]' | grep -q -- "$3" || fail "$1?$2: error '$(jbody 'j["error"]')' names no $3"
}
bad call-types "from=2026-01-01T00:00:00Z&to=2026-01-01T00:00:00Z" "empty"
bad call-types "from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z" "empty"
bad call-types "$BOTH&group=planet" "group"
bad nosuch "$BOTH" "report"
bad traffic "from=2015-01-01T00:00:00Z&to=2026-01-03T00:00:00Z" "days"
bad traffic "from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&group=hour" "group"
bad inbound-detail "from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z" "days"
bad inbound-detail "$BOTH&group=day" "group"
bad sign-in "$DAY1&trunk=t1" "trunk"
bad acd "$DAY1&agent=1001" "agent"
bad call-types "$BOTH&format=pdf" "format"
bad call-types "$BOTH&tz=Mars" "tz"
bad inbound-detail "$BOTH&cursor=zzz" "cursor"
bad inbound-detail "$BOTH&limit=0" "limit"
http GET "/api/v1/reports/call-types?$BOTH" "" "$(login 1001 secret1001)" >/dev/null
expect_status 403 "an agent reads no report"
ok "400 with the reason: an empty or reversed period, an unknown grouping or report, a period too long, a filter the report lacks, a bad format or tz, a bad page; 403 for an agent"
stop_server
