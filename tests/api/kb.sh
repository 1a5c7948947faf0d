# The knowledge base (知识库): the category tree, articles with drafts and
# versions, and Chinese full-text search through the API. One-, two- and
# four-character queries and mixed Chinese/English find exactly the
# articles holding them, ranked (a title match first), with HTML-escaped
# snippets marking the terms; drafts stay invisible to agents and
# executives everywhere; every save keeps a version and a stale save is
# refused; bad input is refused naming the field with nothing changed.
. "$(dirname "$0")/../lib.sh"

start_server
ADMIN=$(login admin admin123)
SUP=$(login sup sup123)
AGENT=$(login 1001 secret1001)
for u in exec1:executive qa1:qa bo1:backoffice; do
	http POST /api/v1/users "{\"username\":\"${u%%:*}\",\"password\":\"password-${u%%:*}\",\"role\":\"${u#*:}\"}" "$ADMIN" >/dev/null
	expect_status 201 "user ${u%%:*}"
done
EXEC=$(login exec1 password-exec1)
QA=$(login qa1 password-qa1)
BO=$(login bo1 password-bo1)
q() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }

# --- the category tree
http POST /api/v1/kb/categories '{"name":"业务办理"}' "$SUP" >/dev/null
expect_status 201 "top category"
TOP=$(jbody 'j["id"]')
http POST /api/v1/kb/categories "{\"name\":\"套餐\",\"parent_id\":\"$TOP\",\"position\":2}" "$SUP" >/dev/null
expect_status 201 "child category"
PLAN=$(jbody 'j["id"]')
[ "$(jbody '(j["parent_id"], j["name"], j["position"])')" = "('$TOP', '套餐', 2)" ] ||
	fail "child category: $HTTP_BODY"
http POST /api/v1/kb/categories "{\"name\":\"售后\",\"parent_id\":\"$TOP\",\"position\":1}" "$SUP" >/dev/null
AFTER=$(jbody 'j["id"]')
http PUT "/api/v1/kb/categories/$TOP" "{\"parent_id\":\"$PLAN\"}" "$SUP" >/dev/null
expect_status 400 "a category under its own child"
case "$HTTP_BODY" in *parent_id*) ;; *) fail "cycle reason: $HTTP_BODY" ;; esac
http PUT "/api/v1/kb/categories/$TOP" "{\"parent_id\":\"$TOP\"}" "$SUP" >/dev/null
expect_status 400 "a category under itself"
http POST /api/v1/kb/categories '{"name":""}' "$SUP" >/dev/null
expect_status 400 "empty name"
case "$HTTP_BODY" in *name*) ;; *) fail "name reason: $HTTP_BODY" ;; esac
http POST /api/v1/kb/categories '{"name":"x","parent_id":"nosuch"}' "$SUP" >/dev/null
expect_status 400 "unknown parent"
case "$HTTP_BODY" in *parent_id*) ;; *) fail "parent reason: $HTTP_BODY" ;; esac
http POST /api/v1/kb/categories '{"name":"x"}' "$AGENT" >/dev/null
expect_status 403 "an agent adds a category"
http GET /api/v1/kb/categories "" "$AGENT" >/dev/null
expect_status 200 "an agent reads the tree"
[ "$(jbody '[(c["name"], c["parent_id"] is None) for c in j["items"]]')" = \
  "[('业务办理', True), ('售后', False), ('套餐', False)]" ] || fail "tree: $HTTP_BODY"
ok "category tree: children under parents in order, no cycles, editors only write"

# --- articles
# article TOKEN JSON: creates it, prints its id.
article() {
	http POST /api/v1/kb/articles "$2" "$1" >/dev/null
	expect_status 201 "article $2"
	jbody 'j["id"]'
}
A5G=$(article "$SUP" "{\"title\":\"5G套餐资费说明\",\"body\":\"# 资费\\n畅享**5G套餐**每月100G流量，套餐可随时变更。\",\"status\":\"published\",\"category_id\":\"$PLAN\",\"tags\":[\"5G\",\"套餐\"]}")
AREF=$(article "$QA" "{\"title\":\"退款流程\",\"body\":\"七天无理由退款。Refund within 7 days: 退款在3个工作日内到账。\",\"status\":\"published\",\"category_id\":\"$AFTER\",\"tags\":[\"退款\"]}")
ANET=$(article "$BO" '{"title":"宽带故障报修","body":"宽带故障请先重启光猫，仍不通再报修。","status":"published"}')
ADRAFT=$(article "$ADMIN" '{"title":"退款内部审批（草稿）","body":"退款审批内部流程，未发布。"}')
ASTYLE=$(article "$SUP" '{"title":"款式说明","body":"本产品有多种款式可选。","status":"published"}')
ABILL=$(article "$SUP" '{"title":"话费查询","body":"查询话费余额和套餐余量：拨打10086。","status":"published"}')
AXSS=$(article "$SUP" '{"title":"退订须知","body":"<script>alert(1)</script> 退订 & 取消","status":"published"}')
http GET "/api/v1/kb/articles/$ADRAFT" "" "$SUP" >/dev/null
[ "$(jbody '(j["status"], j["version"], j["published_at"])')" = "('draft', 1, None)" ] ||
	fail "a new article is a draft at version 1: $HTTP_BODY"
ok "editors (admin, supervisor, QA, back office) write articles; draft by default"

for t in "$EXEC" "$AGENT"; do
	http POST /api/v1/kb/articles '{"title":"x"}' "$t" >/dev/null
	expect_status 403 "a reader writes an article"
done
ok "executives and agents may not write"

# --- search
# search TOKEN Q: sets FOUND to the ids found, in order, as "id,id"
# (HTTP_BODY keeps the reply).
search() {
	http GET "/api/v1/kb/search?q=$(q "$2")" "" "$1" >/dev/null
	expect_status 200 "search $2"
	FOUND=$(jbody '",".join(i["id"] for i in j["items"])')
}
search "$AGENT" 修; [ "$FOUND" = "$ANET" ] || fail "one character 修: $HTTP_BODY"
search "$AGENT" 款; [ "$(echo "$FOUND" | tr , '\n' | sort | tr '\n' ' ')" = \
  "$(printf '%s\n' "$AREF" "$ASTYLE" | sort | tr '\n' ' ')" ] || fail "one character 款: $HTTP_BODY"
ok "one character finds it inside words (修 in 报修; 款 in 退款 and 款式)"

search "$AGENT" 退款; [ "$FOUND" = "$AREF" ] || fail "two characters as agent: $HTTP_BODY"
case "$(jbody 'j["items"][0]["snippet"]')" in
	*"<mark>退款</mark>"*) ;; *) fail "snippet marks 退款: $HTTP_BODY" ;; esac
search "$SUP" 退款; [ "$(echo "$FOUND" | tr , '\n' | sort | tr '\n' ' ')" = \
  "$(printf '%s\n' "$AREF" "$ADRAFT" | sort | tr '\n' ' ')" ] || fail "two characters as editor: $HTTP_BODY"
[ "$(jbody '{i["id"]: i["status"] for i in j["items"]}["'"$ADRAFT"'"]')" = draft ] ||
	fail "an editor's result says draft: $HTTP_BODY"
search "$AGENT" 款退; [ "$FOUND" = "" ] || fail "款退 is not 退款: $HTTP_BODY"
ok "two characters find the word only, marked; drafts for editors only"

search "$AGENT" 故障报修; [ "$FOUND" = "$ANET" ] || fail "four characters: $HTTP_BODY"
search "$AGENT" 宽带报修; [ "$FOUND" = "" ] || fail "宽带报修 is not in the text: $HTTP_BODY"
search "$AGENT" 无理由退款
case "$(jbody 'j["items"][0]["snippet"]')" in
	*"<mark>无理由退款</mark>"*) ;; *) fail "four-plus snippet: $HTTP_BODY" ;; esac
ok "four characters match as a phrase, never as scattered characters"

search "$AGENT" 5G套餐; [ "$FOUND" = "$A5G" ] || fail "5G套餐: $HTTP_BODY"
case "$(jbody 'j["items"][0]["snippet"]')" in
	*"<mark>5G</mark><mark>套餐</mark>"*) ;; *) fail "5G套餐 snippet: $HTTP_BODY" ;; esac
search "$AGENT" 5g; [ "$FOUND" = "$A5G" ] || fail "5g any case: $HTTP_BODY"
search "$AGENT" '退款 refund'; [ "$FOUND" = "$AREF" ] || fail "退款 refund: $HTTP_BODY"
case "$(jbody 'j["items"][0]["snippet"]')" in
	*"<mark>Refund</mark>"*"<mark>退款</mark>"*) ;; *) fail "mixed snippet: $HTTP_BODY" ;; esac
search "$AGENT" '退款 话费'; [ "$FOUND" = "" ] || fail "every term must match: $HTTP_BODY"
ok "mixed Chinese and English: 5G套餐, 退款 refund (terms ANDed, any case)"

search "$AGENT" 套餐; [ "$FOUND" = "$A5G,$ABILL" ] || fail "ranking 套餐: $HTTP_BODY"
search "$AGENT" 话费; [ "$FOUND" = "$ABILL" ] || fail "话费: $HTTP_BODY"
ok "ranked by bm25: the article titled 套餐 before the one mentioning it once"

search "$AGENT" 退订
S=$(jbody 'j["items"][0]["snippet"]')
case "$S" in *"<script"*) fail "snippet not escaped: $S" ;; esac
case "$S" in *"&lt;/script&gt; <mark>退订</mark> &amp;"*) ;; *) fail "escaped snippet: $S" ;; esac
ok "snippets are HTML-escaped; <mark> is the only markup"

for bad in "" "q=" "q=%20%20" "q=!!!" "q=a&limit=0" "q=a&limit=101" "q=a%20b%20c%20d%20e%20f%20g%20h%20i"; do
	http GET "/api/v1/kb/search?$bad" "" "$AGENT" >/dev/null
	expect_status 400 "search ?$bad"
	case "$HTTP_BODY" in *'"error"'*q:*|*'"error"'*limit:*) ;; *) fail "reason for ?$bad: $HTTP_BODY" ;; esac
done
ok "bad searches are 400 naming q or limit"

# --- drafts stay invisible to readers
for t in "$AGENT" "$EXEC"; do
	http GET "/api/v1/kb/articles/$ADRAFT" "" "$t" >/dev/null
	expect_status 404 "a reader reads a draft"
	http GET /api/v1/kb/articles "" "$t" >/dev/null
	expect_status 200 "reader's list"
	[ "$(jbody '"'"$ADRAFT"'" in [a["id"] for a in j["items"]]')" = False ] || fail "draft listed: $HTTP_BODY"
	http GET "/api/v1/kb/articles?status=draft" "" "$t" >/dev/null
	expect_status 403 "a reader lists drafts"
done
http GET "/api/v1/kb/articles?status=draft" "" "$SUP" >/dev/null
[ "$(jbody '[a["id"] for a in j["items"]]')" = "['$ADRAFT']" ] || fail "editor's drafts: $HTTP_BODY"
http GET /api/v1/kb/categories "" "$AGENT" >/dev/null
[ "$(jbody 'sum(c["articles"] for c in j["items"])')" = 2 ] || fail "reader's counts: $HTTP_BODY"
ok "drafts: 404 to agents and executives, never listed or counted for them"

# --- lists: category subtree, tag, pages
http GET "/api/v1/kb/articles?category=$TOP" "" "$AGENT" >/dev/null
[ "$(jbody 'sorted(a["id"] for a in j["items"])')" = "$(python3 -c "print(sorted(['$A5G', '$AREF']))")" ] ||
	fail "a category and those below it: $HTTP_BODY"
http GET "/api/v1/kb/articles?tag=$(q 退款)" "" "$AGENT" >/dev/null
[ "$(jbody '[a["id"] for a in j["items"]]')" = "['$AREF']" ] || fail "by tag: $HTTP_BODY"
SEEN=""; CUR=""
# 7 articles written here and the demo's two (one per IVR choice).
for _ in 1 2 3 4 5 6 7 8 9; do
	http GET "/api/v1/kb/articles?limit=2${CUR:+&cursor=$CUR}" "" "$SUP" >/dev/null
	expect_status 200 "page"
	SEEN="$SEEN $(jbody '" ".join(a["id"] for a in j["items"])')"
	CUR=$(jbody 'j["next_cursor"] or ""')
	[ -n "$CUR" ] || break
done
[ "$(echo $SEEN | wc -w)" = 9 ] && [ "$(echo $SEEN | tr ' ' '\n' | sort -u | wc -l)" = 9 ] ||
	fail "pages of 2 give every article once: $SEEN"
http GET "/api/v1/kb/articles?cursor=bogus" "" "$SUP" >/dev/null
expect_status 400 "bad cursor"
ok "lists: by category (with those below it), by tag, keyset pages"

# --- versions
http PUT "/api/v1/kb/articles/$AREF" '{"body":"退款在1个工作日内到账。Refund in 1 day.","version":1}' "$SUP" >/dev/null
expect_status 200 "save v2"
[ "$(jbody '(j["version"], j["updated_by"], j["title"])')" = "(2, 'sup', '退款流程')" ] ||
	fail "v2 keeps what was not sent: $HTTP_BODY"
http PUT "/api/v1/kb/articles/$AREF" '{"body":"stale","version":1}' "$QA" >/dev/null
expect_status 409 "a save from version 1 after version 2"
case "$HTTP_BODY" in *version*) ;; *) fail "409 reason: $HTTP_BODY" ;; esac
http GET "/api/v1/kb/articles/$AREF" "" "$SUP" >/dev/null
[ "$(jbody '(j["version"], j["body"])')" = "(2, '退款在1个工作日内到账。Refund in 1 day.')" ] ||
	fail "the stale save changed nothing: $HTTP_BODY"
http GET "/api/v1/kb/articles/$AREF/versions" "" "$SUP" >/dev/null
[ "$(jbody '[(v["version"], v["saved_by"]) for v in j["items"]]')" = "[(2, 'sup'), (1, 'qa1')]" ] ||
	fail "versions: $HTTP_BODY"
http GET "/api/v1/kb/articles/$AREF/versions/1" "" "$SUP" >/dev/null
[ "$(jbody 'j["body"]')" = "七天无理由退款。Refund within 7 days: 退款在3个工作日内到账。" ] ||
	fail "version 1 whole: $HTTP_BODY"
http GET "/api/v1/kb/articles/$AREF/versions/3" "" "$SUP" >/dev/null
expect_status 404 "no version 3"
http GET "/api/v1/kb/articles/$AREF/versions/x" "" "$SUP" >/dev/null
expect_status 400 "version x"
http GET "/api/v1/kb/articles/$AREF/versions" "" "$AGENT" >/dev/null
expect_status 403 "an agent reads versions"
search "$AGENT" 无理由; [ "$FOUND" = "" ] || fail "the index still has version 1: $HTTP_BODY"
search "$AGENT" 1个工作日; [ "$FOUND" = "$AREF" ] || fail "the index has version 2: $HTTP_BODY"
http PUT "/api/v1/kb/articles/$ADRAFT" '{"status":"published"}' "$ADMIN" >/dev/null
expect_status 200 "publish"
[ "$(jbody '(j["version"], j["published_at"] is not None)')" = "(2, True)" ] || fail "published: $HTTP_BODY"
http GET "/api/v1/kb/articles/$ADRAFT" "" "$AGENT" >/dev/null
expect_status 200 "an agent reads it once published"
search "$AGENT" 审批; [ "$FOUND" = "$ADRAFT" ] || fail "agent's search after publishing: $HTTP_BODY"
http PUT "/api/v1/kb/articles/$ADRAFT" '{"status":"draft"}' "$ADMIN" >/dev/null
search "$AGENT" 审批; [ "$FOUND" = "" ] || fail "agent's search after unpublishing: $HTTP_BODY"
search "$SUP" 审批; [ "$FOUND" = "$ADRAFT" ] || fail "editor's search after unpublishing: $HTTP_BODY"
ok "every save keeps a version; stale saves 409 with nothing changed; search follows the latest text and status"

# --- bad article input changes nothing
http GET "/api/v1/kb/articles?limit=100" "" "$SUP" >/dev/null
BEFORE=$(jbody '[(a["id"], a["version"]) for a in j["items"]]')
for bad in '{"body":"no title"}' '{"title":""}' '{"title":"x","status":"open"}' \
	'{"title":"x","tags":"a,b"}' '{"title":"x","tags":["a,b"]}' '{"title":"x","category_id":"nosuch"}' \
	'{"title":"x","category_id":5}' '{"title":"x","body":7}' '[1]' 'not json'; do
	http POST /api/v1/kb/articles "$bad" "$SUP" >/dev/null
	expect_status 400 "create $bad"
	case "$HTTP_BODY" in *'"error"'*) ;; *) fail "reason for $bad: $HTTP_BODY" ;; esac
done
http POST /api/v1/kb/articles '{"title":"x","category_id":"nosuch"}' "$SUP" >/dev/null
case "$HTTP_BODY" in *category_id*) ;; *) fail "names category_id: $HTTP_BODY" ;; esac
http POST /api/v1/kb/articles '{"title":"x","status":"open"}' "$SUP" >/dev/null
case "$HTTP_BODY" in *status*) ;; *) fail "names status: $HTTP_BODY" ;; esac
for bad in '{"title":""}' '{"status":"gone"}' '{"version":"1"}' '{"tags":[1]}'; do
	http PUT "/api/v1/kb/articles/$A5G" "$bad" "$SUP" >/dev/null
	expect_status 400 "save $bad"
done
http PUT /api/v1/kb/articles/nosuch '{"title":"x"}' "$SUP" >/dev/null
expect_status 404 "save an unknown article"
http GET "/api/v1/kb/articles?limit=100" "" "$SUP" >/dev/null
[ "$(jbody '[(a["id"], a["version"]) for a in j["items"]]')" = "$BEFORE" ] || fail "bad input changed articles"
ok "bad article input is 400 naming the field, and nothing changes"

# --- categories that hold something are kept
http DELETE "/api/v1/kb/categories/$AFTER" "" "$SUP" >/dev/null
expect_status 409 "delete a category holding an article"
http DELETE "/api/v1/kb/categories/$TOP" "" "$SUP" >/dev/null
expect_status 409 "delete a category holding categories"
http POST /api/v1/kb/categories '{"name":"空"}' "$SUP" >/dev/null
EMPTY=$(jbody 'j["id"]')
http DELETE "/api/v1/kb/categories/$EMPTY" "" "$SUP" >/dev/null
expect_status 200 "delete an empty category"
http DELETE "/api/v1/kb/categories/$EMPTY" "" "$SUP" >/dev/null
expect_status 404 "delete it again"
ok "only empty categories are deleted"

# --- delete an article
http DELETE "/api/v1/kb/articles/$AXSS" "" "$SUP" >/dev/null
expect_status 200 "delete an article"
http GET "/api/v1/kb/articles/$AXSS" "" "$SUP" >/dev/null
expect_status 404 "it is gone"
search "$SUP" 退订; [ "$FOUND" = "" ] || fail "a deleted article is found: $HTTP_BODY"
http DELETE "/api/v1/kb/articles/$AXSS" "" "$SUP" >/dev/null
expect_status 404 "delete it again"
ok "a deleted article is gone from reads and search"
stop_server
