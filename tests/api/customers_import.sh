#!/usr/bin/env bash
# Customer import and export (/api/v1/customers/import, …/export): good,
# bad and mixed files in CSV and XLSX (written by openpyxl); check stores
# nothing, all stores every row or none (422 with the report), valid
# stores the good rows; each bad row names its row, column and reason;
# the file's header refused whole (400); each role's rights; the export
# read back by Python's csv and openpyxl, with scope and masking.
. "$(dirname "$0")/../lib.sh"

PY=/usr/bin/python3
start_server
A=$(login admin admin123)
S=$(login sup sup123)
G=$(login 1001 secret1001)
http POST /api/v1/users '{"username":"bo","password":"backoffice1","role":"backoffice"}' "$A" >/dev/null
expect_status 201 "backoffice user"
http POST /api/v1/users '{"username":"ex","password":"executive1","role":"executive","mask_numbers":true}' "$A" >/dev/null
expect_status 201 "masked executive"
http POST /api/v1/users '{"username":"qq","password":"qualityqa1","role":"qa"}' "$A" >/dev/null
expect_status 201 "qa user"
B=$(login bo backoffice1)
E=$(login ex executive1)
Q=$(login qq qualityqa1)
http POST /api/v1/customer-fields '{"name":"size","label":"规模","type":"choice","options":["大","小"]}' "$A" >/dev/null
expect_status 201 "choice field"
http POST /api/v1/customers '{"name":"老客户","phones":["13900000000"]}' "$A" >/dev/null
expect_status 201 "a customer already there"
OLD=$(jbody 'j["id"]')

F=$TEST_DIR/files
mkdir -p "$F"
# xlsx NAME ROWS...: rows as Python lists, first the header
xlsx() {
	local out=$F/$1; shift
	"$PY" - "$out" "$@" <<'PYEOF'
import ast, sys, openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "客户"
for r in sys.argv[2:]:
    ws.append(ast.literal_eval(r))
wb.save(sys.argv[1])
PYEOF
}
# upload MODE FILE TOKEN
upload() {
	http POST "/api/v1/customers/import?mode=$1" "" "$3" -H 'Content-Type: application/octet-stream' \
		--data-binary "@$F/$2" >/dev/null
}
count() { sqlite3 "$DATA_DIR/hotline.db" "SELECT count(*) FROM customers"; }
N0=$(count)

printf '\xef\xbb\xbf姓名,电话,公司,地区,标签,备注,规模\r\n王五,138 0013 8101；010-6512-0001,华联,北京,大客户;北京,喜欢茶,大\r\n赵六,13800138102,,上海,,,小\r\n' > "$F/good.csv"
printf 'name,phone,company\n甲,13800138201,a\n,13800138202,b\n乙,12ab,c\n丙,13800138201,d\n丁,13900000000,e\n戊,13800138203,f\n' > "$F/mixed.csv"
xlsx good.xlsx "['Name','Phone','Region','Level']" "['孙七','13800138301','广州','vip']" "['周八','13800138302; 13800138303','深圳','']"
xlsx mixed.xlsx "['姓名','电话','规模']" "['吴九','13800138401','大']" "['郑十','13800138402','中']" "['冯一','13800138401','']"

# ---- who may import
for t in "$G" "$Q" "$E"; do
	upload check good.csv "$t"
	expect_status 403 "import refused to agents, qa and executives"
done
http POST "/api/v1/customers/import?mode=check" "" "" --data-binary "@$F/good.csv" >/dev/null
expect_status 401 "import without a token"
ok "only admins, supervisors and the back office import"

# ---- check stores nothing
upload check good.csv "$B"
expect_status 200 "check good.csv"
[ "$(jbody '(j["format"], j["encoding"], j["sheet"], j["rows"], j["valid"], j["imported"], j["errors"], j["errors_truncated"])')" = \
  "('csv', 'UTF-8', None, 2, 2, 0, [], False)" ] || fail "check report: $HTTP_BODY"
[ "$(count)" = "$N0" ] || fail "check stored customers"
upload check mixed.csv "$S"
expect_status 200 "check mixed.csv"
[ "$(jbody '(j["rows"], j["valid"], j["imported"])')" = "(6, 2, 0)" ] || fail "mixed counts: $HTTP_BODY"
[ "$(jbody '[(e["row"], e["column"], e["heading"]) for e in j["errors"]]')" = \
  "[(3, 'name', 'name'), (4, 'phone', 'phone'), (5, 'phone', 'phone'), (6, 'phone', 'phone')]" ] || fail "mixed errors: $HTTP_BODY"
jbody 'j["errors"][0]["reason"]' | grep -q required || fail "row 3 reason: $HTTP_BODY"
jbody 'j["errors"][1]["reason"]' | grep -q 'phones' || fail "row 4 reason: $HTTP_BODY"
jbody 'j["errors"][2]["reason"]' | grep -q 'same phone as row 2' || fail "row 5 reason: $HTTP_BODY"
jbody 'j["errors"][3]["reason"]' | grep -q "belongs to customer $OLD" || fail "row 6 reason: $HTTP_BODY"
[ "$(count)" = "$N0" ] || fail "check stored customers"
ok "check reports row, column, heading and reason; stores nothing"

# ---- all: every row or none
upload all mixed.csv "$A"
expect_status 422 "all with bad rows"
[ "$(jbody '(j["rows"], j["valid"], j["imported"], len(j["errors"]))')" = "(6, 2, 0, 4)" ] || fail "all report: $HTTP_BODY"
upload all mixed.xlsx "$A"
expect_status 422 "all with bad xlsx rows"
[ "$(jbody '(j["format"], j["sheet"], j["rows"], j["valid"], [(e["row"], e["column"], e["heading"]) for e in j["errors"]])')" = \
  "('xlsx', '客户', 3, 1, [(3, 'size', '规模'), (4, 'phone', '电话')])" ] || fail "all xlsx report: $HTTP_BODY"
[ "$(count)" = "$N0" ] || fail "a rejected all import stored customers"
[ "$(sqlite3 "$DATA_DIR/hotline.db" "SELECT count(*) FROM customer_phones")" = 1 ] || fail "a rejected import stored numbers"
upload all good.csv "$B"
expect_status 200 "all good.csv"
[ "$(jbody '(j["rows"], j["valid"], j["imported"])')" = "(2, 2, 2)" ] || fail "all good: $HTTP_BODY"
[ "$(count)" = $((N0 + 2)) ] || fail "all good stored $(count)"
http GET "/api/v1/customers?phone=01065120001" "" "$A" >/dev/null
[ "$(jbody '[(c["name"], c["company"], c["region"], [p["number"] for p in c["phones"]], sorted(c["tags"]), c["fields"], c["notes"], c["source"], c["deleted_at"]) for c in j["items"]]')" = \
  "[('王五', '华联', '北京', ['13800138101', '01065120001'], ['北京', '大客户'], {'size': '大'}, '喜欢茶', 'import', None)]" ] ||
	fail "imported customer: $HTTP_BODY"
upload all good.csv "$B"
expect_status 422 "the same file again: every number is taken"
[ "$(count)" = $((N0 + 2)) ] || fail "a second import stored customers"
ok "all stores every row in one go, or none with 422 and the report"

# ---- valid: the good rows, the rest reported
upload valid good.xlsx "$B"
expect_status 200 "valid xlsx by back office"
[ "$(jbody '(j["rows"], j["valid"], j["imported"], [(e["row"], e["column"], e["heading"]) for e in j["errors"]])')" = \
  "(2, 1, 1, [(2, 'level', 'Level')])" ] || fail "backoffice may not set the level: $HTTP_BODY"
upload valid good.xlsx "$S"
expect_status 200 "valid xlsx by supervisor"
[ "$(jbody '(j["rows"], j["valid"], j["imported"])')" = "(2, 1, 1)" ] || fail "valid: $HTTP_BODY"
[ "$(jbody 'j["errors"][0]["reason"]')" != "" ] && jbody 'j["errors"][0]["reason"]' | grep -q "13800138302 belongs to" ||
	fail "row 3 of good.xlsx was imported before: $HTTP_BODY"
http GET "/api/v1/customers?phone=13800138301" "" "$A" >/dev/null
[ "$(jbody '[(c["name"], c["level"], c["region"]) for c in j["items"]]')" = "[('孙七', 'vip', '广州')]" ] || fail "vip import: $HTTP_BODY"
ok "valid stores the valid rows and reports the rest"

# ---- a file that cannot be read, or a header that is wrong: 400, nothing stored
N1=$(count)
printf 'name,phone\n"甲,13800138501\n' > "$F/quote.csv"
printf 'name,phone,colour\n甲,13800138502,red\n' > "$F/unknown.csv"
printf 'name,company\n甲,a\n' > "$F/nophone.csv"
printf 'name,姓名,phone\n甲,甲,13800138503\n' > "$F/twice.csv"
printf 'PK\003\004garbage' > "$F/broken.xlsx"
for c in quote.csv:'^file: row 2' unknown.csv:'colour' nophone.csv:'"phone" (电话) is missing' twice.csv:'twice' broken.xlsx:'^file'; do
	upload all "${c%%:*}" "$A"
	expect_status 400 "bad file ${c%%:*}"
	jbody 'j["error"]' | grep -q "${c#*:}" || fail "${c%%:*}: reason does not say ${c#*:}: $HTTP_BODY"
done
http POST "/api/v1/customers/import?mode=all" "" "$A" -H 'Content-Type: text/csv' --data-binary '' >/dev/null
expect_status 400 "empty body"
jbody 'j["error"]' | grep -q '^file' || fail "empty body: $HTTP_BODY"
upload everything good.csv "$A"
expect_status 400 "bad mode"
jbody 'j["error"]' | grep -q "'mode'" || fail "bad mode: $HTTP_BODY"
http POST "/api/v1/customers/import" "" "$A" --data-binary "@$F/good.csv" >/dev/null
expect_status 400 "no mode"
[ "$(count)" = "$N1" ] || fail "a refused file stored customers"
ok "unreadable files and bad headers: 400 naming row, column or heading; nothing stored"

# ---- export: CSV and XLSX, read back
export_to() {   # export_to FILE QUERY TOKEN
	HTTP_STATUS=$(curl -s -o "$F/$1" -D "$TEST_DIR/http.headers" -w '%{http_code}' \
		-H "Authorization: Bearer $3" "$BASE_URL/api/v1/customers/export?$2")
}
export_to all.csv "format=csv" "$A"
expect_status 200 "csv export"
http_header Content-Disposition | grep -q 'attachment; filename="customers.csv"' || fail "csv disposition"
head -c 3 "$F/all.csv" | od -An -tx1 | grep -q 'ef bb bf' || fail "csv has no BOM"
"$PY" - "$F/all.csv" "$(count)" <<'PYEOF' || fail "csv export read back"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
assert rows[0] == ["姓名", "电话", "公司", "地区", "级别", "标签", "备注", "规模"], rows[0]
assert len(rows) == 1 + int(sys.argv[2]), len(rows)
w = [r for r in rows if r[0] == "王五"][0]
assert w == ["王五", "13800138101; 01065120001", "华联", "北京", "normal", "北京; 大客户", "喜欢茶", "大"], w
PYEOF
export_to vip.xlsx "format=xlsx&level=vip" "$A"
expect_status 200 "xlsx export"
http_header Content-Type | grep -q spreadsheetml || fail "xlsx content type"
"$PY" - "$F/vip.xlsx" <<'PYEOF' || fail "xlsx export read back"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
rows = [[c if c is not None else "" for c in r] for r in ws.iter_rows(values_only=True)]
assert rows == [["姓名", "电话", "公司", "地区", "级别", "标签", "备注", "规模"],
                ["孙七", "13800138301", "", "广州", "vip", "", "", ""]], rows
PYEOF
export_to masked.xlsx "format=xlsx" "$E"
expect_status 200 "masked export"
"$PY" - "$F/masked.xlsx" <<'PYEOF' || fail "a masked user's export shows numbers"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
phones = [r[1] for r in ws.iter_rows(min_row=2, values_only=True) if r[1]]
assert phones and all("*" in p for p in phones), phones
assert not any("13800138301" in p for p in phones), phones
PYEOF
# the re-exported file imports back as a check: every number is taken
cp "$F/vip.xlsx" "$F/again.xlsx"
upload check again.xlsx "$S"
expect_status 200 "an export re-imports"
[ "$(jbody '(j["rows"], j["valid"], [e["reason"] for e in j["errors"]])')" != "" ] &&
	jbody '[e["reason"] for e in j["errors"]]' | grep -q '13800138301 belongs to' || fail "re-import: $HTTP_BODY"
http PUT "/api/v1/customers/$OLD" '{"owner":"1002"}' "$A" >/dev/null
expect_status 200 "owned by another agent"
export_to agent.csv "format=csv" "$G"
expect_status 200 "agent export"
grep -q 老客户 "$F/agent.csv" && fail "the agent's export shows a customer outside their scope"
grep -q 王五 "$F/agent.csv" || fail "the agent's export misses an unowned customer"
export_to x "format=pdf" "$A"
expect_status 400 "bad format"
grep -q "'format'" "$F/x" || fail "bad format reason"
export_to x "level=platinum" "$A"
expect_status 400 "bad filter"
ls "$DATA_DIR/exports" | grep -q . && fail "an export file was left behind"
ok "export: CSV with BOM and XLSX read back; filters, data scope and masking apply"

stop_server
ok "the server stops cleanly"
