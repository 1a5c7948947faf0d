#!/usr/bin/env bash
# Files on work orders (附件): uploaded as the body with ?name= (or as the
# one file of a multipart form), stored under the data directory by their
# id and never by the name given, listed, read back byte for byte with
# their type and name, removed (soft) by whoever uploaded them or a lead;
# each add and removal in the order's history. Refused with the reason
# and nothing stored: a name that is a path, an extension not taken, a
# form without exactly one file, an empty file, one past the size limit
# (413) or the count limit (409, limits from the settings), an unknown
# order (404); someone outside the order's data scope sees and touches
# none of its files (403).
. "$(dirname "$0")/../lib.sh"

CONF="$TEST_DIR/hotline.ini"
printf '[ticket]\nattach_max_bytes = 4096\nattach_max_files = 3\n' >"$CONF"
start_server --config "$CONF"
DB="$DATA_DIR/hotline.db"
FILES="$DATA_DIR/work-orders"
sql() { sqlite3 -cmd '.timeout 5000' "$DB" "$@"; }
ADMIN=$(login admin admin123)
SUP=$(login sup sup123)
AGENT=$(login 1001 secret1001)
OTHER=$(login 1002 secret1002)
urlenc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
# upload ORDER NAME FILE TOKEN [CURL ARGS]: POSTs FILE's bytes as the body.
upload() {
	http POST "/api/v1/work-orders/$1/attachments?name=$(urlenc "$2")" "@$3" "$4" "${@:5}"
}
# stored: the rows and the files on disk, for "nothing changed" checks.
stored() { echo "$(sql "SELECT count(*) FROM work_order_files")/$(ls -A "$FILES" 2>/dev/null | wc -l)"; }

http POST /api/v1/work-orders '{"title":"发票抬头错误","category":"投诉","service":"商城售后","priority":"中","customer_phone":"13800138000"}' "$AGENT" >/dev/null
expect_status 201 "a work order"
WO=$(jbody 'j["id"]')

# ---- one file, round trip
python3 -c 'import os, sys; sys.stdout.buffer.write(b"%PDF-1.4\n" + bytes(range(256)) * 8)' >"$TEST_DIR/quote.pdf"
upload "$WO" "报价单 (2).pdf" "$TEST_DIR/quote.pdf" "$AGENT" >/dev/null
expect_status 201 "upload"
F1=$(jbody 'j["id"]')
[ "$(jbody '(j["order_id"], j["name"], j["type"], j["size"], j["uploaded_by_name"])')" = \
  "('$WO', '报价单 (2).pdf', 'application/pdf', 2057, '1001')" ] || fail "uploaded: $HTTP_BODY"
cmp -s "$TEST_DIR/quote.pdf" "$FILES/$F1" || fail "the stored file is not the upload"
[ "$(ls -A "$FILES")" = "$F1" ] || fail "the directory holds more than the file named by its id: $(ls -A "$FILES")"
ok "an upload is stored whole, named by its id"

http GET "/api/v1/work-orders/$WO/attachments" "" "$AGENT" >/dev/null
expect_status 200 "list"
[ "$(jbody '([f["id"] for f in j["items"]], j["max_bytes"], j["max_files"], "pdf" in j["extensions"])')" = \
  "(['$F1'], 4096, 3, True)" ] || fail "list: $HTTP_BODY"
curl -s -D "$TEST_DIR/dl.h" -o "$TEST_DIR/dl.bin" -H "Authorization: Bearer $SUP" \
	"$BASE_URL/api/v1/work-orders/$WO/attachments/$F1"
cmp -s "$TEST_DIR/quote.pdf" "$TEST_DIR/dl.bin" || fail "the download differs from the upload"
grep -qi '^content-type: application/pdf' "$TEST_DIR/dl.h" || fail "type: $(cat "$TEST_DIR/dl.h")"
grep -qi "^content-disposition: attachment; filename=\"___ (2).pdf\"; filename\*=UTF-8''%E6%8A%A5%E4%BB%B7%E5%8D%95%20%282%29.pdf" \
	"$TEST_DIR/dl.h" || fail "disposition: $(cat "$TEST_DIR/dl.h")"
grep -qi '^x-content-type-options: nosniff' "$TEST_DIR/dl.h" || fail "nosniff: $(cat "$TEST_DIR/dl.h")"
http GET "/api/v1/work-orders/$WO" "" "$AGENT" >/dev/null
[ "$(jbody '[(h["action"], h["actor_name"], h["data"]) for h in j["history"] if h["action"].startswith("attachment")]')" = \
  "[('attachment_added', '1001', {'id': '$F1', 'name': '报价单 (2).pdf', 'size': 2057})]" ] ||
	fail "history: $HTTP_BODY"
ok "listed with the limits, read back byte for byte with its type and UTF-8 name, in the history"

# ---- refusals: a reason each, nothing stored
before=$(stored)
printf 'x' >"$TEST_DIR/one.txt"
for bad in "../../etc/passwd.pdf:400" "a/b.pdf:400" 'a\b.pdf:400' ".hidden.pdf:400" \
	   "$(printf 'tab\there.pdf'):400" "readme.:400" "page.html:415" "run.exe:415" \
	   "noextension:415" "$(printf '%0201d.pdf' 0):400"; do
	upload "$WO" "${bad%:*}" "$TEST_DIR/one.txt" "$AGENT" >/dev/null
	expect_status "${bad##*:}" "name ${bad%:*}"
	jbody 'j["error"]' | grep -q '^name' || fail "the reason names the name: $HTTP_BODY"
done
http POST "/api/v1/work-orders/$WO/attachments" "@$TEST_DIR/one.txt" "$AGENT" >/dev/null
expect_status 400 "no name"
http POST "/api/v1/work-orders/$WO/attachments?name=a%zz.pdf" "@$TEST_DIR/one.txt" "$AGENT" >/dev/null
expect_status 400 "bad percent-encoding"
: >"$TEST_DIR/empty.txt"
upload "$WO" "empty.txt" "$TEST_DIR/empty.txt" "$AGENT" >/dev/null
expect_status 422 "empty file"
jbody 'j["error"]' | grep -q empty || fail "empty: $HTTP_BODY"
head -c 4097 /dev/zero >"$TEST_DIR/big.txt"
upload "$WO" "big.txt" "$TEST_DIR/big.txt" "$AGENT" >/dev/null
expect_status 413 "past the size limit"
jbody 'j["error"]' | grep -q '4097 bytes.*4096' || fail "413 says the sizes: $HTTP_BODY"
head -c 4096 /dev/zero >"$TEST_DIR/edge.txt"
HTTP_STATUS=$(curl -s -o "$TEST_DIR/http.body" -w '%{http_code}' -H "Authorization: Bearer $AGENT" \
	-F "note=no file here" "$BASE_URL/api/v1/work-orders/$WO/attachments")
expect_status 400 "a form without a file"
grep -q 'no file' "$TEST_DIR/http.body" || fail "400 says why: $(cat "$TEST_DIR/http.body")"
HTTP_STATUS=$(curl -s -o "$TEST_DIR/http.body" -w '%{http_code}' -H "Authorization: Bearer $AGENT" \
	-F "a=@$TEST_DIR/one.txt;filename=a.txt" -F "b=@$TEST_DIR/one.txt;filename=b.txt" \
	"$BASE_URL/api/v1/work-orders/$WO/attachments")
expect_status 400 "a form with two files"
HTTP_STATUS=$(curl -s -o "$TEST_DIR/http.body" -w '%{http_code}' -H "Authorization: Bearer $AGENT" \
	-F "f=@$TEST_DIR/one.txt;filename=../x.txt" "$BASE_URL/api/v1/work-orders/$WO/attachments")
expect_status 400 "a form whose file name is a path"
HTTP_STATUS=$(curl -s -o "$TEST_DIR/http.body" -w '%{http_code}' -H "Authorization: Bearer $AGENT" \
	-H 'Content-Type: multipart/mixed; boundary=x' --data-binary "@$TEST_DIR/one.txt" \
	"$BASE_URL/api/v1/work-orders/$WO/attachments?name=one.txt")
expect_status 415 "multipart that is not a form"
upload nosuchorder "one.txt" "$TEST_DIR/one.txt" "$AGENT" >/dev/null
expect_status 404 "unknown order"
[ "$(stored)" = "$before" ] || fail "a refused upload stored something: $before → $(stored)"
ok "path tricks, extensions not taken, bad forms, empty, oversized, unknown order: refused with the reason, nothing stored"

# ---- data scope: 1002 (scope own) may not see 1001's order, nor its files
http GET "/api/v1/work-orders/$WO" "" "$OTHER" >/dev/null
expect_status 403 "1002 and the order"
http GET "/api/v1/work-orders/$WO/attachments" "" "$OTHER" >/dev/null
expect_status 403 "1002 lists"
http GET "/api/v1/work-orders/$WO/attachments/$F1" "" "$OTHER" >/dev/null
expect_status 403 "1002 reads"
upload "$WO" "one.txt" "$TEST_DIR/one.txt" "$OTHER" >/dev/null
expect_status 403 "1002 uploads"
http DELETE "/api/v1/work-orders/$WO/attachments/$F1" "" "$OTHER" >/dev/null
expect_status 403 "1002 removes"
[ "$(stored)" = "$before" ] || fail "outside the scope something changed"
http GET "/api/v1/work-orders/$WO/attachments/nosuchfile" "" "$AGENT" >/dev/null
expect_status 404 "no such attachment"
ok "outside the order's data scope: no list, no file, no upload, no removal (403)"

# ---- removal and the count limit (3 here)
upload "$WO" "scan.png" "$TEST_DIR/edge.txt" "$ADMIN" >/dev/null
expect_status 201 "an upload of exactly the limit"
F2=$(jbody 'j["id"]'); [ "$(jbody 'j["type"]')" = image/png ] || fail "png: $HTTP_BODY"
upload "$WO" "notes.TXT" "$TEST_DIR/one.txt" "$AGENT" >/dev/null
expect_status 201 "a third"
F3=$(jbody 'j["id"]'); [ "$(jbody 'j["type"]')" = "text/plain; charset=utf-8" ] || fail "TXT: $HTTP_BODY"
before=$(stored)
upload "$WO" "four.txt" "$TEST_DIR/one.txt" "$AGENT" >/dev/null
expect_status 409 "a fourth"
jbody 'j["error"]' | grep -q 'attach_max_files' || fail "409 names the setting: $HTTP_BODY"
[ "$(stored)" = "$before" ] || fail "a fourth was stored"
http DELETE "/api/v1/work-orders/$WO/attachments/$F2" "" "$AGENT" >/dev/null
expect_status 403 "1001 removes the admin's file"
jbody 'j["error"]' | grep -q 'uploaded it' || fail "403 says who may: $HTTP_BODY"
http DELETE "/api/v1/work-orders/$WO/attachments/$F3" "" "$AGENT" >/dev/null
expect_status 200 "1001 removes its own"
http DELETE "/api/v1/work-orders/$WO/attachments/$F2" "" "$SUP" >/dev/null
expect_status 200 "a lead removes anyone's"
http DELETE "/api/v1/work-orders/$WO/attachments/$F2" "" "$SUP" >/dev/null
expect_status 404 "removed twice"
http GET "/api/v1/work-orders/$WO/attachments/$F2" "" "$SUP" >/dev/null
expect_status 404 "a removed file is not served"
http GET "/api/v1/work-orders/$WO/attachments" "" "$AGENT" >/dev/null
[ "$(jbody '[f["id"] for f in j["items"]]')" = "['$F1']" ] || fail "after removal: $HTTP_BODY"
[ "$(sql "SELECT count(*) FROM work_order_files WHERE deleted_at IS NOT NULL AND id IN ('$F2','$F3')")" = 2 ] ||
	fail "removal is soft"
[ -f "$FILES/$F2" ] && [ -f "$FILES/$F3" ] || fail "a removed file's bytes are kept"
http GET "/api/v1/work-orders/$WO" "" "$AGENT" >/dev/null
[ "$(jbody '[(h["action"], h["actor_name"], h["data"]["name"]) for h in j["history"] if h["action"].startswith("attachment")]')" = \
  "[('attachment_added', '1001', '报价单 (2).pdf'), ('attachment_added', 'admin', 'scan.png'), ('attachment_added', '1001', 'notes.TXT'), ('attachment_removed', '1001', 'notes.TXT'), ('attachment_removed', 'sup', 'scan.png')]" ] ||
	fail "history: $HTTP_BODY"
upload "$WO" "four.txt" "$TEST_DIR/one.txt" "$AGENT" >/dev/null
expect_status 201 "room again after removal"
ok "removed (soft) by the uploader or a lead, not by another; the count limit counts live files; all in the history"

# ---- a form, as curl -F and browsers post it: the file part's name and bytes
HTTP_STATUS=$(curl -s -o "$TEST_DIR/http.body" -w '%{http_code}' -H "Authorization: Bearer $AGENT" \
	-F "note=附言" -F "file=@$TEST_DIR/quote.pdf;filename=扫描件 1.pdf;type=application/pdf" \
	"$BASE_URL/api/v1/work-orders/$WO/attachments")
HTTP_BODY=$(cat "$TEST_DIR/http.body")
expect_status 201 "a multipart form"
[ "$(jbody '(j["name"], j["size"], j["type"])')" = "('扫描件 1.pdf', 2057, 'application/pdf')" ] ||
	fail "the form's file: $HTTP_BODY"
cmp -s "$TEST_DIR/quote.pdf" "$FILES/$(jbody 'j["id"]')" || fail "the form's file is not stored as sent"
ok "a multipart form's one file is taken with its name"

stop_server
