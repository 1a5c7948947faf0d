#!/usr/bin/env bash
# Customers (/api/v1/customers, /api/v1/customer-fields) on the demo
# server: created with normalised numbers, tags and custom fields, looked
# up by number, searched and paged; changed, soft-deleted and restored;
# each role's rights (level, owner and blacklist are the supervisors'),
# the data scope through the owner, masked numbers; bad input refused with
# the field named and nothing stored; the contact history.
. "$(dirname "$0")/../lib.sh"

start_server
A=$(login admin admin123)
S=$(login sup sup123)
G=$(login 1001 secret1001)
http POST /api/v1/users '{"username":"bo","password":"backoffice1","role":"backoffice"}' "$A" >/dev/null
expect_status 201 "backoffice user"
http POST /api/v1/users '{"username":"ex","password":"executive1","role":"executive","mask_numbers":true}' "$A" >/dev/null
expect_status 201 "masked executive"
B=$(login bo backoffice1)
E=$(login ex executive1)

# ---- custom fields
http POST /api/v1/customer-fields '{"name":"size","label":"规模","type":"choice","options":["大","小"]}' "$A" >/dev/null
expect_status 201 "choice field"
http POST /api/v1/customer-fields '{"name":"born","label":"生日","type":"date"}' "$A" >/dev/null
expect_status 201 "date field"
http POST /api/v1/customer-fields '{"name":"born","label":"x","type":"date"}' "$A" >/dev/null
expect_status 409 "a field twice"
for bad in '{"name":"Bad","label":"x","type":"text"}:name' '{"name":"ok","label":"","type":"text"}:label' \
	'{"name":"ok","label":"x","type":"blob"}:type' '{"name":"ok","label":"x","type":"choice"}:options' \
	'{"name":"ok","label":"x","type":"text","colour":1}:colour' '{"name":"ok","label":"x","type":"text","required":"y"}:required'; do
	http POST /api/v1/customer-fields "${bad%:*}" "$A" >/dev/null
	expect_status 400 "bad field ${bad%:*}"
	jbody 'j["error"]' | grep -q "^${bad##*:}" || fail "reason does not name ${bad##*:}: $HTTP_BODY"
done
http POST /api/v1/customer-fields '{"name":"ok","label":"x","type":"text"}' "$S" >/dev/null
expect_status 403 "a supervisor defines no fields"
http PUT /api/v1/customer-fields/born '{"type":"text"}' "$A" >/dev/null
expect_status 400 "a field's type never changes"
http PUT /api/v1/customer-fields/born '{"label":"出生日期","position":2}' "$A" >/dev/null
expect_status 200 "relabel"
[ "$(jbody '(j["label"], j["position"], j["type"])')" = "('出生日期', 2, 'date')" ] || fail "relabelled: $HTTP_BODY"
http PUT /api/v1/customer-fields/nope '{"label":"x"}' "$A" >/dev/null
expect_status 404 "no such field"
http GET /api/v1/customer-fields "" "$G" >/dev/null
expect_status 200 "agents read fields"
[ "$(jbody '[f["name"] for f in j["items"]]')" = "['size', 'born']" ] || fail "fields: $HTTP_BODY"
ok "custom fields defined, checked (the field named), relabelled; only admins define them"

# ---- create
http POST /api/v1/customers '{"name":"张三","company":"华联商厦","region":"北京","phones":["+86 138-0013-8000",{"number":"010 6512 3456","label":"office"}],"tags":["大客户","北京"],"fields":{"size":"大","born":"1980-02-29"},"notes":"喜欢喝茶"}' "$G" >/dev/null
expect_status 201 "an agent creates a customer"
ID=$(jbody 'j["id"]')
[ "$(jbody '([p["number"] for p in j["phones"]], j["phones"][1]["label"], j["tags"], j["fields"], j["level"], j["source"], j["deleted_at"])')" = \
  "(['13800138000', '01065123456'], 'office', ['北京', '大客户'], {'born': '1980-02-29', 'size': '大'}, 'normal', 'manual', None)" ] ||
	fail "created: $HTTP_BODY"
count() { sqlite3 "$DATA_DIR/hotline.db" "SELECT count(*) FROM customers"; }
N=$(count)
bad_create() {   # bad_create BODY FIELD STATUS TOKEN
	http POST /api/v1/customers "$1" "${4:-$A}" >/dev/null
	expect_status "${3:-400}" "bad customer $1"
	jbody 'j["error"]' | grep -q "^$2" || fail "reason does not name $2: $HTTP_BODY"
}
bad_create '{"company":"x"}' name
bad_create '{"name":"x","phones":["12ab"]}' 'phones\[0\]'
bad_create '{"name":"x","phones":["138 0013 8001","13800138001"]}' 'phones\[1\]'
bad_create '{"name":"x","phones":"13800138001"}' phones
bad_create '{"name":"x","phones":["13800138000"]}' phones 409
bad_create '{"name":"x","level":"platinum"}' level
bad_create '{"name":"x","owner":"9999"}' owner
bad_create '{"name":"x","tags":[""]}' 'tags\[0\]'
bad_create '{"name":"x","colour":"red"}' colour
bad_create '{"name":"x","fields":{"size":"中"}}' fields.size
bad_create '{"name":"x","fields":{"born":"1980-13-01"}}' fields.born
bad_create '{"name":"x","fields":{"shoe":"42"}}' fields.shoe
bad_create '{"name":"x","blacklisted":true}' blacklisted 403 "$G"
bad_create '{"name":"x","level":"vip"}' level 403 "$B"
bad_create '{"name":"x","owner":"1001"}' owner 403 "$G"
http POST /api/v1/customers '{"name":' "$A" >/dev/null
expect_status 400 "garbage JSON"
[ "$(count)" = "$N" ] || fail "a refused customer was stored"
http POST /api/v1/customers '{"name":"x"}' "$E" >/dev/null
expect_status 403 "an executive creates no customers"
ok "bad customers refused naming the field (400/403/409), nothing stored"

# ---- look-up, search, pages
http GET "/api/v1/customers?phone=%2B8613800138000" "" "$G" >/dev/null
expect_status 200 "look-up by number"
[ "$(jbody '[c["id"] for c in j["items"]]')" = "['$ID']" ] || fail "look-up: $HTTP_BODY"
http GET "/api/v1/customers?phone=010-65123456" "" "$B" >/dev/null
[ "$(jbody 'len(j["items"])')" = 1 ] || fail "look-up by the office number: $HTTP_BODY"
http GET "/api/v1/customers?phone=13900000000" "" "$G" >/dev/null
[ "$(jbody 'j["items"]')" = "[]" ] || fail "unknown number found: $HTTP_BODY"
http GET "/api/v1/customers?phone=abc" "" "$G" >/dev/null
expect_status 400 "bad phone"
jbody 'j["error"]' | grep -q "'phone'" || fail "reason: $HTTP_BODY"
for i in 1 2 3 4 5; do
	http POST /api/v1/customers "{\"name\":\"李四$i\",\"phones\":[\"1390000000$i\"],\"tags\":[\"潜在\"]}" "$S" >/dev/null
	expect_status 201 "customer $i"
done
http GET "/api/v1/customers?q=%E5%8D%8E%E8%81%94" "" "$G" >/dev/null
[ "$(jbody '[c["name"] for c in j["items"]]')" = "['张三']" ] || fail "search by company: $HTTP_BODY"
http GET "/api/v1/customers?q=1390000000" "" "$G" >/dev/null
[ "$(jbody 'len(j["items"])')" = 5 ] || fail "search by digits: $HTTP_BODY"
http GET "/api/v1/customers?tag=%E6%BD%9C%E5%9C%A8&limit=2" "" "$G" >/dev/null
[ "$(jbody 'len(j["items"])')" = 2 ] || fail "page 1: $HTTP_BODY"
seen=$(jbody '",".join(c["name"] for c in j["items"])')
CUR=$(jbody 'j["next_cursor"]')
http GET "/api/v1/customers?tag=%E6%BD%9C%E5%9C%A8&limit=2&cursor=$CUR" "" "$G" >/dev/null
seen="$seen,$(jbody '",".join(c["name"] for c in j["items"])')"
CUR=$(jbody 'j["next_cursor"]')
http GET "/api/v1/customers?tag=%E6%BD%9C%E5%9C%A8&limit=2&cursor=$CUR" "" "$G" >/dev/null
seen="$seen,$(jbody '",".join(c["name"] for c in j["items"])')"
[ "$(jbody 'j["next_cursor"]')" = None ] || fail "a fourth page: $HTTP_BODY"
# Newest first; customers made in the same millisecond follow their ids.
[ "$(echo "$seen" | tr , '\n' | sort | tr '\n' ,)" = "李四1,李四2,李四3,李四4,李四5," ] || fail "pages: $seen"
http POST /api/v1/customers '{"name":"下划线","tags":["vip_1"]}' "$S" >/dev/null
expect_status 201 "a tag with an underscore"
http GET "/api/v1/customers?tag=vip_1" "" "$G" >/dev/null
[ "$(jbody '[c["name"] for c in j["items"]]')" = "['下划线']" ] || fail "tag with _: $HTTP_BODY"
http GET "/api/v1/customers?q=%25" "" "$G" >/dev/null
[ "$(jbody 'j["items"]')" = "[]" ] || fail "q=% matched as a wildcard: $HTTP_BODY"
http GET "/api/v1/customers?q=%E4%B8%8B_" "" "$G" >/dev/null
[ "$(jbody 'j["items"]')" = "[]" ] || fail "q with _ matched as a wildcard: $HTTP_BODY"
for q in 'limit=0' 'limit=201' 'cursor=zzz' 'level=gold1' 'blacklisted=maybe' 'deleted=2'; do
	http GET "/api/v1/customers?$q" "" "$G" >/dev/null
	expect_status 400 "bad query $q"
	jbody 'j["error"]' | grep -q "'${q%%=*}'" || fail "reason does not name ${q%%=*}: $HTTP_BODY"
done
ok "look-up by any form of a number, search by name/company/digits/tag, keyset pages"

# ---- change, rights, masking
http PUT "/api/v1/customers/$ID" '{"notes":"喜欢喝咖啡","tags":["大客户"]}' "$G" >/dev/null
expect_status 200 "an agent changes notes"
[ "$(jbody '(j["notes"], j["tags"], j["name"], len(j["phones"]))')" = "('喜欢喝咖啡', ['大客户'], '张三', 2)" ] || fail "changed: $HTTP_BODY"
http PUT "/api/v1/customers/$ID" '{"level":"gold"}' "$G" >/dev/null
expect_status 403 "an agent sets no level"
http PUT "/api/v1/customers/$ID" '{"level":"gold","owner":"1002","fields":{"born":null}}' "$S" >/dev/null
expect_status 200 "a supervisor sets level and owner"
[ "$(jbody '(j["level"], j["priority_raise"], j["owner"], j["fields"])')" = "('gold', 20, '1002', {'size': '大'})" ] || fail "level: $HTTP_BODY"
http PUT "/api/v1/customers/nope" '{"notes":"x"}' "$S" >/dev/null
expect_status 404 "no such customer"
http GET "/api/v1/customers/$ID" "" "$E" >/dev/null
expect_status 200 "an executive reads"
[ "$(jbody '[p["number"] for p in j["phones"]]')" = "['138****8000', '010****3456']" ] || fail "masked: $HTTP_BODY"
ok "changes by field; level and owner are the supervisors'; numbers masked"

# ---- scope: owned by 1002, so agent 1001 (scope own) no longer sees it
http GET "/api/v1/customers/$ID" "" "$G" >/dev/null
expect_status 403 "another agent's customer"
http GET "/api/v1/customers?phone=13800138000" "" "$G" >/dev/null
[ "$(jbody 'j["items"]')" = "[]" ] || fail "listed outside the scope: $HTTP_BODY"
http PUT "/api/v1/customers/$ID" '{"notes":"x"}' "$G" >/dev/null
expect_status 403 "changing another agent's customer"
G2=$(login 1002 secret1002)
http GET "/api/v1/customers/$ID" "" "$G2" >/dev/null
expect_status 200 "the owner reads"
ok "data scope through the owner: unowned are everyone's, owned ones the owner's"

# ---- delete and restore
http DELETE "/api/v1/customers/$ID" "" "$G2" >/dev/null
expect_status 403 "agents delete nothing"
http DELETE "/api/v1/customers/$ID" "" "$S" >/dev/null
expect_status 200 "delete"
[ "$(jbody 'j["deleted_at"] is not None')" = True ] || fail "deleted: $HTTP_BODY"
http DELETE "/api/v1/customers/$ID" "" "$S" >/dev/null
expect_status 404 "deleted twice"
http GET "/api/v1/customers?phone=13800138000" "" "$S" >/dev/null
[ "$(jbody 'j["items"]')" = "[]" ] || fail "a deleted customer is looked up: $HTTP_BODY"
http GET "/api/v1/customers?deleted=true" "" "$S" >/dev/null
[ "$(jbody '[c["id"] for c in j["items"]]')" = "['$ID']" ] || fail "deleted list: $HTTP_BODY"
http PUT "/api/v1/customers/$ID" '{"notes":"x"}' "$S" >/dev/null
expect_status 409 "changing a deleted customer"
http POST /api/v1/customers '{"name":"王五","phones":["13800138000"]}' "$S" >/dev/null
expect_status 201 "the freed number taken by another"
W=$(jbody 'j["id"]')
http POST "/api/v1/customers/$ID/restore" "" "$S" >/dev/null
expect_status 409 "restore with a taken number"
jbody 'j["error"]' | grep -q 13800138000 || fail "reason does not name the number: $HTTP_BODY"
http DELETE "/api/v1/customers/$W" "" "$A" >/dev/null
expect_status 200 "delete the other"
http POST "/api/v1/customers/$ID/restore" "" "$S" >/dev/null
expect_status 200 "restore"
[ "$(jbody '(j["deleted_at"], j["name"])')" = "(None, '张三')" ] || fail "restored: $HTTP_BODY"
http POST "/api/v1/customers/$ID/restore" "" "$S" >/dev/null
expect_status 409 "restoring a live customer"
ok "soft delete frees the numbers; restore refused while one is taken, then done"

# ---- history
http GET "/api/v1/customers/$ID/history" "" "$S" >/dev/null
expect_status 200 "history"
[ "$(jbody '[(i["kind"], i["body"]) for i in j["items"]]')" = "[('note', '喜欢喝咖啡'), ('note', '喜欢喝茶')]" ] ||
	fail "history: $HTTP_BODY"
http GET "/api/v1/customers/nope/history" "" "$S" >/dev/null
expect_status 404 "history of nobody"
http DELETE /api/v1/customer-fields/size "" "$A" >/dev/null
expect_status 200 "delete a field"
http GET "/api/v1/customers/$ID" "" "$S" >/dev/null
[ "$(jbody 'j["fields"]')" = "{}" ] || fail "a deleted field's value stayed: $HTTP_BODY"
ok "the history lists the notes' changes; a deleted field takes its values"
stop_server
