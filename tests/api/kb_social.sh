# The knowledge base's people side: was-this-useful votes (one per user,
# a second replaces the first, only on articles the voter may read), the
# read counter behind most-read (drafts never listed), and links from
# articles to other articles, work orders and calls, found again from
# the call's side. Every role's reach is checked against the rule: editors
# (admin, supervisor, QA, back office) write, everyone reads published,
# agents may also link.
. "$(dirname "$0")/../lib.sh"

start_server
ADMIN=$(login admin admin123)
SUP=$(login sup sup123)
AGENT=$(login 1001 secret1001)
AGENT2=$(login 1002 secret1002)
for u in exec1:executive qa1:qa bo1:backoffice; do
	http POST /api/v1/users "{\"username\":\"${u%%:*}\",\"password\":\"password-${u%%:*}\",\"role\":\"${u#*:}\"}" "$ADMIN" >/dev/null
	expect_status 201 "user ${u%%:*}"
done
EXEC=$(login exec1 password-exec1)
QA=$(login qa1 password-qa1)
BO=$(login bo1 password-bo1)

article() {
	http POST /api/v1/kb/articles "$2" "$1" >/dev/null
	expect_status 201 "article $2"
	jbody 'j["id"]'
}
A=$(article "$SUP" '{"title":"退款流程","body":"七天无理由退款。","status":"published"}')
B=$(article "$SUP" '{"title":"宽带报修","body":"先重启光猫。","status":"published"}')
D=$(article "$SUP" '{"title":"内部草稿","body":"未发布"}')

# --- votes
vote() {
	http POST "/api/v1/kb/articles/$2/vote" "{\"useful\":$3}" "$1" >/dev/null
}
vote "$AGENT" "$A" true
expect_status 200 "agent votes up"
[ "$(jbody '(j["up"], j["down"], j["my_vote"])')" = "(1, 0, 'up')" ] || fail "first vote: $HTTP_BODY"
vote "$AGENT" "$A" false
[ "$(jbody '(j["up"], j["down"], j["my_vote"])')" = "(0, 1, 'down')" ] || fail "a second vote replaces: $HTTP_BODY"
vote "$AGENT2" "$A" true
vote "$EXEC" "$A" true
[ "$(jbody '(j["up"], j["down"])')" = "(2, 1)" ] || fail "three voters: $HTTP_BODY"
http GET "/api/v1/kb/articles/$A" "" "$AGENT" >/dev/null
[ "$(jbody '(j["up"], j["down"], j["my_vote"])')" = "(2, 1, 'down')" ] || fail "the article's votes: $HTTP_BODY"
vote "$AGENT" "$D" true
expect_status 404 "an agent votes on a draft"
vote "$SUP" "$D" true
expect_status 200 "an editor votes on a draft"
vote "$AGENT" nosuch true
expect_status 404 "vote on nothing"
for bad in '{}' '{"useful":1}' '{"useful":"yes"}' 'x'; do
	http POST "/api/v1/kb/articles/$A/vote" "$bad" "$AGENT" >/dev/null
	expect_status 400 "vote $bad"
done
http POST "/api/v1/kb/articles/$A/vote" '{"useful":"yes"}' "$AGENT" >/dev/null
case "$HTTP_BODY" in *useful*) ;; *) fail "names useful: $HTTP_BODY" ;; esac
http GET "/api/v1/kb/articles/$A" "" "$AGENT2" >/dev/null
[ "$(jbody '(j["up"], j["down"], j["my_vote"])')" = "(2, 1, 'up')" ] || fail "bad votes changed nothing: $HTTP_BODY"
ok "one vote per user and article, replaced by a second; none on drafts for agents; bad input 400"

# --- reads and most-read
for _ in 1 2 3; do
	http GET "/api/v1/kb/articles/$B" "" "$AGENT" >/dev/null
	expect_status 200 "read B"
done
[ "$(jbody 'j["reads"]')" = 3 ] || fail "the third read says 3: $HTTP_BODY"
for _ in 1 2 3 4 5; do http GET "/api/v1/kb/articles/$D" "" "$SUP" >/dev/null; done
sleep 0.5
http GET /api/v1/kb/popular "" "$AGENT" >/dev/null
expect_status 200 "popular"
# A: read twice above (by the agents); after them the demo's articles,
# never read.
[ "$(jbody '[(i["id"], i["reads"]) for i in j["items"]][:2]')" = "[('$B', 3), ('$A', 2)]" ] &&
	[ "$(jbody 'all(i["reads"] == 0 and i["title"].split("：")[0] in ("销售咨询", "技术支持") for i in j["items"][2:])')" = True ] ||
	fail "most-read, drafts left out: $HTTP_BODY"
http GET "/api/v1/kb/popular?limit=1" "" "$EXEC" >/dev/null
[ "$(jbody '[i["id"] for i in j["items"]]')" = "['$B']" ] || fail "popular limit: $HTTP_BODY"
http GET "/api/v1/kb/popular?limit=x" "" "$EXEC" >/dev/null
expect_status 400 "popular limit x"
ok "every read counts (off the loop, by the db writer); most-read lists published only"

# --- links
http POST "/api/v1/kb/articles/$A/links" '{"kind":"call","target":"c-123"}' "$AGENT" >/dev/null
expect_status 201 "an agent links the article to its call"
http POST "/api/v1/kb/articles/$A/links" '{"kind":"work_order","target":"WO-9"}' "$BO" >/dev/null
expect_status 201 "back office links a work order"
http POST "/api/v1/kb/articles/$A/links" "{\"kind\":\"article\",\"target\":\"$B\"}" "$SUP" >/dev/null
expect_status 201 "an article links to another"
http POST "/api/v1/kb/articles/$D/links" "{\"kind\":\"article\",\"target\":\"$A\"}" "$SUP" >/dev/null
expect_status 201 "a draft links to A"
http GET "/api/v1/kb/links?kind=call&target=c-123" "" "$AGENT" >/dev/null
[ "$(jbody '[i["id"] for i in j["items"]]')" = "['$A']" ] || fail "a call's articles: $HTTP_BODY"
http GET "/api/v1/kb/articles/$A" "" "$AGENT" >/dev/null
[ "$(jbody 'sorted((l["kind"], l["target"]) for l in j["links"])')" = \
  "[('article', '$B'), ('call', 'c-123'), ('work_order', 'WO-9')]" ] || fail "A's links: $HTTP_BODY"
[ "$(jbody '[l["title"] for l in j["links"] if l["kind"] == "article"]')" = "['宽带报修']" ] ||
	fail "a linked article's title: $HTTP_BODY"
[ "$(jbody 'j["linked_from"]')" = "[]" ] || fail "a draft's link shows to an agent: $HTTP_BODY"
http GET "/api/v1/kb/articles/$B" "" "$AGENT" >/dev/null
[ "$(jbody '[a["id"] for a in j["linked_from"]]')" = "['$A']" ] || fail "B linked from A: $HTTP_BODY"
for bad in '{"kind":"ticket","target":"1"}' '{"kind":"call","target":"a b"}' '{"kind":"call"}' \
	'{"kind":"article","target":"nosuch"}' "{\"kind\":\"article\",\"target\":\"$A\"}"; do
	http POST "/api/v1/kb/articles/$A/links" "$bad" "$SUP" >/dev/null
	expect_status 400 "link $bad"
done
http POST "/api/v1/kb/articles/$A/links" '{"kind":"ticket","target":"1"}' "$SUP" >/dev/null
case "$HTTP_BODY" in *kind*) ;; *) fail "names kind: $HTTP_BODY" ;; esac
http POST "/api/v1/kb/articles/$D/links" '{"kind":"call","target":"c-1"}' "$AGENT" >/dev/null
expect_status 404 "an agent links a draft"
http POST "/api/v1/kb/articles/$A/links" '{"kind":"call","target":"c-1"}' "$EXEC" >/dev/null
expect_status 403 "an executive links"
http DELETE "/api/v1/kb/articles/$A/links/call/c-123" "" "$AGENT" >/dev/null
expect_status 403 "an agent unlinks"
http DELETE "/api/v1/kb/articles/$A/links/call/c-123" "" "$SUP" >/dev/null
expect_status 200 "unlink"
http DELETE "/api/v1/kb/articles/$A/links/call/c-123" "" "$SUP" >/dev/null
expect_status 404 "unlink again"
http GET "/api/v1/kb/links?kind=call&target=c-123" "" "$AGENT" >/dev/null
[ "$(jbody 'j["items"]')" = "[]" ] || fail "unlinked: $HTTP_BODY"
http GET "/api/v1/kb/links?kind=x&target=c" "" "$AGENT" >/dev/null
expect_status 400 "links of kind x"
http DELETE "/api/v1/kb/articles/$B" "" "$SUP" >/dev/null
http GET "/api/v1/kb/articles/$A" "" "$SUP" >/dev/null
[ "$(jbody '[l["kind"] for l in j["links"]]')" = "['work_order']" ] || fail "a deleted article's links go: $HTTP_BODY"
ok "links to articles, work orders and calls, both ways; agents link, editors unlink"

# --- each role against the rule
# reach TOKEN: "W" when it may write articles, "R" when it may only read.
for r in "admin:$ADMIN:W" "supervisor:$SUP:W" "qa:$QA:W" "backoffice:$BO:W" \
	"executive:$EXEC:R" "agent:$AGENT:R"; do
	name=${r%%:*}; rest=${r#*:}; tok=${rest%%:*}; want=${rest#*:}
	http POST /api/v1/kb/articles "{\"title\":\"$name 的文章\",\"status\":\"published\"}" "$tok" >/dev/null
	got=$([ "$HTTP_STATUS" = 201 ] && echo W || echo R)
	[ "$got" = "$want" ] || fail "$name writes: HTTP $HTTP_STATUS"
	[ "$want" = R ] && { [ "$HTTP_STATUS" = 403 ] || fail "$name: want 403, got $HTTP_STATUS"; }
	http GET "/api/v1/kb/search?q=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("退款"))')" "" "$tok" >/dev/null
	expect_status 200 "$name searches"
	http GET "/api/v1/kb/articles/$D" "" "$tok" >/dev/null
	[ "$HTTP_STATUS" = "$([ "$want" = W ] && echo 200 || echo 404)" ] || fail "$name reads a draft: $HTTP_STATUS"
	http GET "/api/v1/kb/articles/$D/versions" "" "$tok" >/dev/null
	[ "$HTTP_STATUS" = "$([ "$want" = W ] && echo 200 || echo 403)" ] || fail "$name reads versions: $HTTP_STATUS"
done
http GET /api/v1/kb/search?q=a "" >/dev/null
expect_status 401 "no token"
ok "admin, supervisor, QA, back office write and see drafts; executive and agent read published only"

grep -q 'kb.index_created' "$TEST_DIR/server.err" || fail "the first start made no index"
stop_server

# --- after a restart: the index is kept (not rebuilt), still searched, and
# still follows writes (the tokenizer is on the new connections too)
start_server
SUP=$(login sup sup123)
grep -q 'kb.index_created' "$TEST_DIR/server.err" && fail "the index was made again at start"
http GET "/api/v1/kb/search?q=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("无理由"))')" "" "$SUP" >/dev/null
[ "$(jbody '[i["id"] for i in j["items"]]')" = "['$A']" ] || fail "search after a restart: $HTTP_BODY"
http PUT "/api/v1/kb/articles/$A" '{"body":"重启之后改写的正文"}' "$SUP" >/dev/null
expect_status 200 "save after a restart"
http GET "/api/v1/kb/search?q=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("改写"))')" "" "$SUP" >/dev/null
[ "$(jbody '[i["id"] for i in j["items"]]')" = "['$A']" ] || fail "the index follows writes after a restart: $HTTP_BODY"
ok "after a restart the search index is there and follows writes"
stop_server
