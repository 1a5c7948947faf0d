#!/usr/bin/env bash
# Notices (公告, issue 15):
#  - admin and supervisor publish to departments (subtrees included)
#    and/or roles; none of either is everyone; both narrow;
#  - each user lists the live notices of their audience with a read flag
#    and the unread count; expired ones drop out; reading is a receipt
#    (once: reading again keeps the first time); a notice outside one's
#    audience is 404 to read;
#  - receipts: the audience, who read and when;
#  - notice.published reaches the audience alone over the CTI WebSocket;
#  - agents, qa, backoffice, executive may not publish; bad input names
#    the field and stores nothing.
source "$(dirname "$0")/../lib.sh"

start_server
DB="$DATA_DIR/hotline.db"
ADMIN=$(login admin admin123)
SUP=$(login sup sup123)
dept() {
	http POST /api/v1/departments "$1" "$ADMIN" >/dev/null
	expect_status 201 "department $1"
	jbody 'j["id"]'
}
TOP=$(dept '{"name":"中心"}')
G1=$(dept "{\"name\":\"一组\",\"parent_id\":\"$TOP\"}")
G1A=$(dept "{\"name\":\"一组A\",\"parent_id\":\"$G1\"}")
G2=$(dept "{\"name\":\"二组\",\"parent_id\":\"$TOP\"}")
for u in 1001:$G1 1002:$G1A 1004:$G2; do
	http PUT "/api/v1/users/${u%%:*}" "{\"department\":\"${u#*:}\"}" "$ADMIN" >/dev/null
	expect_status 200 "department of ${u%%:*}"
done
for u in exec1:executive qa1:qa bo1:backoffice; do
	http POST /api/v1/users "{\"username\":\"${u%%:*}\",\"password\":\"password-${u%%:*}\",\"role\":\"${u#*:}\",\"department\":\"$G2\"}" "$ADMIN" >/dev/null
	expect_status 201 "user ${u%%:*}"
done
AG1=$(login 1001 secret1001)
AG2=$(login 1002 secret1002)
AG4=$(login 1004 secret1004)
AG5=$(login 1005 secret1005)
EXEC=$(login exec1 password-exec1)
QA=$(login qa1 password-qa1)
BO=$(login bo1 password-bo1)
count() { sqlite3 "$DB" "SELECT COUNT(*) FROM $1"; }

# The CTI sockets of 1001 (一组) and 1004 (二组) listen throughout.
ws() {
	WS_SECONDS=120 WS_FRAMES=100000 python3 "$(dirname "$0")/ws_client.py" 127.0.0.1 "$HTTP_PORT" \
		"/api/v1/events?token=$1" >"$TEST_DIR/ws_$2.out" 2>&1 &
}
ws "$AG1" 1001
WS1=$!
ws "$AG4" 1004
WS4=$!
for _ in $(seq 1 100); do
	grep -q status=101 "$TEST_DIR/ws_1001.out" 2>/dev/null &&
		grep -q status=101 "$TEST_DIR/ws_1004.out" 2>/dev/null && break
	sleep 0.1
done

# --- publishing
http POST /api/v1/notices "{\"title\":\"一组培训\",\"body\":\"周五下午三点培训\",\"departments\":[\"$G1\"]}" "$SUP" >/dev/null
expect_status 201 "to 一组"
N1=$(jbody 'j["id"]')
[ "$(jbody '(j["departments"], j["roles"], j["read"], j["expires_at"])')" = "(['$G1'], [], False, None)" ] ||
	fail "created: $HTTP_BODY"
http POST /api/v1/notices '{"title":"主管例会","body":"周一例会","roles":["supervisor"]}' "$ADMIN" >/dev/null
expect_status 201 "to supervisors"
N2=$(jbody 'j["id"]')
http POST /api/v1/notices "{\"title\":\"二组座席\",\"body\":\"排班调整\",\"roles\":[\"agent\"],\"departments\":[\"$G2\"]}" "$ADMIN" >/dev/null
expect_status 201 "to 二组's agents"
N3=$(jbody 'j["id"]')
http POST /api/v1/notices '{"title":"全员通知","body":"系统升级","expires_at":"2099-01-01T00:00:00Z"}' "$SUP" >/dev/null
expect_status 201 "to everyone"
N4=$(jbody 'j["id"]')
http POST /api/v1/notices '{"title":"旧通知","body":"已过期","expires_at":"2020-01-01T00:00:00Z"}' "$SUP" >/dev/null
expect_status 201 "expired"
for t in "$AG1" "$QA" "$BO" "$EXEC"; do
	http POST /api/v1/notices '{"title":"x","body":"y"}' "$t" >/dev/null
	expect_status 403 "only admin and supervisor publish"
done
ok "publish to departments, roles, both, everyone; others may not"

# --- bad input
before=$(count notices)
bad() {
	http POST /api/v1/notices "$1" "$SUP" >/dev/null
	expect_status 400 "bad $1"
	[ "$(jbody "j['error'].startswith('$2')")" = True ] || fail "names $2: $HTTP_BODY"
}
bad '{"body":"y"}' "title:"
bad '{"title":"x"}' "body:"
bad '{"title":"x","body":"y","roles":["boss"]}' "roles:"
bad '{"title":"x","body":"y","roles":"agent"}' "roles:"
bad '{"title":"x","body":"y","departments":["nodept"]}' "departments:"
bad '{"title":"x","body":"y","expires_at":"soon"}' "expires_at:"
bad '{"title":"x","body":"y","pinned":true}' "pinned:"
[ "$(count notices)" = "$before" ] || fail "a refusal stored a notice"
[ "$(count notice_targets)" = 4 ] || fail "targets changed: $(count notice_targets)"
ok "bad input names the field, nothing stored"

# --- who sees what
titles() { http GET /api/v1/notices "" "$1" >/dev/null; expect_status 200 list; jbody '(sorted(n["title"] for n in j["items"]), j["unread"])'; }
[ "$(titles "$AG1")" = "(['一组培训', '全员通知'], 2)" ] || fail "1001: $HTTP_BODY"
[ "$(titles "$AG2")" = "(['一组培训', '全员通知'], 2)" ] || fail "1002 (一组A, under 一组): $HTTP_BODY"
[ "$(titles "$AG4")" = "(['二组座席', '全员通知'], 2)" ] || fail "1004: $HTTP_BODY"
[ "$(titles "$AG5")" = "(['全员通知'], 1)" ] || fail "1005 (no department): $HTTP_BODY"
[ "$(titles "$QA")" = "(['全员通知'], 1)" ] || fail "qa in 二组 is no agent: $HTTP_BODY"
[ "$(titles "$SUP")" = "(['主管例会', '全员通知'], 2)" ] || fail "sup: $HTTP_BODY"
http GET "/api/v1/notices?all=1" "" "$SUP" >/dev/null
[ "$(jbody 'len(j["items"])')" = 5 ] || fail "all for a publisher: $HTTP_BODY"
http GET "/api/v1/notices?all=1" "" "$AG1" >/dev/null
expect_status 403 "all for an agent"
http GET "/api/v1/notices?all=x" "" "$SUP" >/dev/null
expect_status 400 "all=x"
ok "audiences: department subtree, role, both, everyone, expiry"

# --- reading
http POST "/api/v1/notices/$N1/read" "" "$AG1" >/dev/null
expect_status 200 "read"
FIRST=$(jbody 'j["read_at"]')
sleep 1.1
http POST "/api/v1/notices/$N1/read" "" "$AG1" >/dev/null
[ "$(jbody 'j["read_at"]')" = "$FIRST" ] || fail "a second read keeps the first time: $HTTP_BODY"
[ "$(titles "$AG1")" = "(['一组培训', '全员通知'], 1)" ] || fail "unread after reading: $HTTP_BODY"
http GET /api/v1/notices "" "$AG1" >/dev/null
[ "$(jbody "[n['read'] for n in j['items'] if n['id']=='$N1'][0]")" = True ] || fail "read flag: $HTTP_BODY"
http POST "/api/v1/notices/$N3/read" "" "$AG1" >/dev/null
expect_status 404 "read outside the audience"
http POST "/api/v1/notices/$N2/read" "" "$SUP" >/dev/null
expect_status 200 "sup reads"
http GET "/api/v1/notices/$N1/receipts" "" "$SUP" >/dev/null
expect_status 200 "receipts"
[ "$(jbody '(j["read"], j["total"], [(i["username"], i["read_at"] is not None) for i in j["items"]])')" = "(1, 2, [('1001', True), ('1002', False)])" ] ||
	fail "receipts of 一组培训: $HTTP_BODY"
http GET "/api/v1/notices/$N1/receipts" "" "$AG1" >/dev/null
expect_status 403 "an agent reads receipts"
http GET "/api/v1/notices/nosuch/receipts" "" "$SUP" >/dev/null
expect_status 404 "receipts of nothing"
ok "read receipts: once, per user, only in the audience"

# --- changing and withdrawing
http PUT "/api/v1/notices/$N4" '{"title":"全员通知（更新）","expires_at":null}' "$SUP" >/dev/null
expect_status 200 "edit"
[ "$(jbody '(j["title"], j["body"], j["expires_at"])')" = "('全员通知（更新）', '系统升级', None)" ] || fail "edited: $HTTP_BODY"
http PUT "/api/v1/notices/$N4" '{"title":""}' "$SUP" >/dev/null
expect_status 400 "empty title"
http PUT "/api/v1/notices/nosuch" '{"title":"x"}' "$SUP" >/dev/null
expect_status 404 "edit nothing"
http PUT "/api/v1/notices/$N4" '{"title":"x"}' "$AG1" >/dev/null
expect_status 403 "agent edits"
http DELETE "/api/v1/notices/$N2" "" "$ADMIN" >/dev/null
expect_status 200 "withdraw"
[ "$(titles "$SUP")" = "(['全员通知（更新）'], 1)" ] || fail "withdrawn: $HTTP_BODY"
[ "$(count "notice_reads WHERE notice_id = '$N2'")" = 0 ] || fail "receipts of a withdrawn notice"
ok "edit (published again) and withdraw"

# --- the WebSocket: 1001 heard 一组培训 and the everyone notices, never
# 二组座席; 1004 the opposite for the first two.
sleep 0.5
kill "$WS1" "$WS4" 2>/dev/null; wait "$WS1" "$WS4" 2>/dev/null || true
heard() {
	python3 - "$TEST_DIR/ws_$1.out" <<'PY'
import json, sys
out = []
for line in open(sys.argv[1]):
    if line.startswith("{"):
        m = json.loads(line)
        if m.get("type") == "notice.published":
            out.append(m["data"]["title"])
print(out)
PY
}
[ "$(heard 1001)" = "['一组培训', '全员通知', '旧通知', '全员通知（更新）']" ] || fail "1001 heard $(heard 1001)"
[ "$(heard 1004)" = "['二组座席', '全员通知', '旧通知', '全员通知（更新）']" ] || fail "1004 heard $(heard 1004)"
ok "notice.published reaches its audience alone"
stop_server
ok "the server stops cleanly"
