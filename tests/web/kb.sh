#!/usr/bin/env bash
# The knowledge base in a real browser: a supervisor writes an article in
# the editor (Markdown, tags, published) whose <script> shows as text, saves
# a second version and reads the first in the history; an agent searches
# 退款 and gets the marked snippet but never the draft, reads the article
# and votes it useful; the desk's search panel finds 5G套餐 while the agent
# works; the page fits 1366×768 in Chinese and English. The API then has
# what the browser did.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../sip/lib_sip.bash"
source "$(dirname "$0")/lib_web.bash"

start_server
SUP=$(login sup sup123)
http POST /api/v1/kb/categories '{"name":"业务办理"}' "$SUP" >/dev/null
TOP=$(jbody 'j["id"]')
http POST /api/v1/kb/categories "{\"name\":\"售后服务\",\"parent_id\":\"$TOP\"}" "$SUP" >/dev/null
AFTER=$(jbody 'j["id"]')
http POST /api/v1/kb/articles "{\"title\":\"退款流程\",\"body\":\"## 退款条件\\n七天无理由**退款**，退款在3个工作日内到账。\\n\\n- 登录账户\\n- 提交退款申请\",\"status\":\"published\",\"category_id\":\"$AFTER\",\"tags\":[\"退款\",\"售后\"]}" "$SUP" >/dev/null
expect_status 201 "article 退款流程"
REFUND=$(jbody 'j["id"]')
http POST /api/v1/kb/articles "{\"title\":\"5G套餐资费说明\",\"body\":\"畅享5G套餐每月100G流量，套餐可随时变更。\",\"status\":\"published\",\"category_id\":\"$TOP\",\"tags\":[\"5G\"]}" "$SUP" >/dev/null
http POST /api/v1/kb/articles '{"title":"退款内部审批","body":"草稿：退款审批内部流程"}' "$SUP" >/dev/null

web_start kb.mjs
web_wait done 120
http GET "/api/v1/kb/articles?limit=100" "" "$SUP" >/dev/null
[ "$(jbody '[(a["version"], a["status"], a["tags"]) for a in j["items"] if a["title"] == "宽带故障报修"]')" = \
  "[(2, 'published', ['宽带', '报修'])]" ] || fail "the article written in the browser: $HTTP_BODY"
http GET "/api/v1/kb/articles/$REFUND" "" "$SUP" >/dev/null
[ "$(jbody '(j["up"], j["down"])')" = "(1, 0)" ] || fail "the agent's vote: $HTTP_BODY"
ok "the API has the browser's article (version 2, published, tagged) and vote"
web_end
stop_server
