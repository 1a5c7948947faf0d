#!/usr/bin/env bash
# 工单统计 in a real browser: departments, a back-office lead and routing
# rules set up through the API, orders of three categories written by an
# agent, one taken, done and reopened. The supervisor opens the 工单统计
# tab: the figures, the three charts and the tables are the API's
# (GET /api/v1/reports/work-orders), a department filter gives that
# department's, FCR stands beside it with its definition and the API's
# value, CSV and Excel downloads are the API's files (read back here with
# csv and openpyxl). The back-office lead sees the tab with their scope;
# an agent does not see it.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_web.bash"

start_server
ADMIN=$(login admin admin123)
dept() {
	http POST /api/v1/departments "{\"name\":\"$1\"}" "$ADMIN" >/dev/null
	expect_status 201 "department $1"
	jbody 'j["id"]'
}
AS=$(dept 售后部); TECH=$(dept 技术部)
http POST /api/v1/users "{\"username\":\"bolead\",\"password\":\"pw-bolead-123\",\"role\":\"backoffice\",\"department\":\"$TECH\"}" "$ADMIN" >/dev/null
expect_status 201 "back-office lead"
http PUT "/api/v1/work-order-departments/$TECH" '{"assign":"manual","lead":"bolead"}' "$ADMIN" >/dev/null
expect_status 200 "bolead leads 技术部"
http PUT /api/v1/work-order-routes "{\"items\":[{\"category\":\"投诉\",\"service\":\"*\",\"department\":\"$AS\"},{\"category\":\"故障申报\",\"service\":\"*\",\"department\":\"$TECH\"}]}" "$ADMIN" >/dev/null
expect_status 200 "routing rules"
AGENT=$(login 1001 secret1001)
BOLEAD=$(login bolead pw-bolead-123)
order() {   # order TITLE CATEGORY PRIORITY: prints its id
	http POST /api/v1/work-orders "{\"title\":\"$1\",\"category\":\"$2\",\"service\":\"商城售后\",\"priority\":\"$3\"}" "$AGENT" >/dev/null
	expect_status 201 "order $1"
	jbody 'j["id"]'
}
order 退款未到账 投诉 紧急 >/dev/null
order 发票问题 投诉 中 >/dev/null
order 物流太慢 投诉 低 >/dev/null
F1=$(order 宽带断线 故障申报 高)
order 无法登录 故障申报 中 >/dev/null
order 营业时间 咨询 低 >/dev/null
http POST "/api/v1/work-orders/$F1/claim" '{}' "$BOLEAD" >/dev/null
expect_status 200 "bolead claims an order"
http POST "/api/v1/work-orders/$F1/transitions" '{"to":"done"}' "$BOLEAD" >/dev/null
expect_status 200 "done"
http POST "/api/v1/work-orders/$F1/transitions" '{"to":"reopened","reason":"客户说还是断线"}' "$ADMIN" >/dev/null
expect_status 200 "reopened"
SUP=$(login sup sup123)
http GET /api/v1/reports/work-orders "" "$SUP" >/dev/null
expect_status 200 "the supervisor's report"
[ "$(jbody 'j["total"]')" = 6 ] || fail "six orders: $HTTP_BODY"
export WEB_TECH=$TECH
web_start wo_report.mjs "$TEST_DIR/out"
web_end
python3 - "$TEST_DIR/out" "$BASE_URL" "$SUP" "$TECH" <<'PY' || fail "the downloads are not the API's files"
import csv, io, sys, urllib.request, openpyxl
out, base, tok, tech = sys.argv[1:]
def api(q):
    r = urllib.request.Request(base + "/api/v1/reports/work-orders?" + q, headers={"Authorization": "Bearer " + tok})
    return urllib.request.urlopen(r).read()
got = list(csv.reader(io.StringIO(open(out + ".csv", "rb").read().decode("utf-8-sig"))))
want = list(csv.reader(io.StringIO(api("format=csv&department=" + tech).decode("utf-8-sig"))))
assert got == want and got[1] == ["汇总", "工单总数", "2"], (got, want)
ws = openpyxl.load_workbook(out + ".xlsx").active
x = {(r[0], r[1]): r[2] for r in ws.iter_rows(min_row=2, values_only=True)}
assert x[("汇总", "工单总数")] == 2 and x[("按分类", "故障申报")] == 2 and x[("汇总", "重开率")] == 0.5, x
PY
ok "the CSV and Excel the browser saved are the API's, for 技术部"
stop_server
