#!/usr/bin/env bash
# Callback tasks and notices in a real browser (issue 15). The scene, set
# through the API: agent 1001 has an overdue callback and one due
# tomorrow, the sales pool holds one; two notices are out (everyone, and
# agents). In the browser 1001 sees its to-do list on the desk, the overdue
# one in red, finishes tomorrow's with an outcome and claims the pool's;
# on the personal page (个人中心) it sees 待办事宜 and 消息 with 2 unread,
# reads one (1 unread left). The supervisor opens 计划任务与公告: every
# task, overdue in red, the completion statistics, and publishes a notice
# to agents, which reaches 1001's open page live. Screenshots in zh and en
# at 1366×768. The server then has what the console did.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../sip/lib_sip.bash"
source "$(dirname "$0")/lib_web.bash"

start_server
SUP=$(login sup sup123)
task() {
	http POST /api/v1/tasks "$1" "$SUP" >/dev/null
	expect_status 201 "task $1"
	jbody 'j["id"]'
}
LATE=$(task "{\"title\":\"回访王女士（安装进度）\",\"phone\":\"13911112222\",\"due_at\":\"$(date -u -d '-2 days' +%Y-%m-%dT%H:%M:%SZ)\",\"assignee\":\"1001\"}")
SOON=$(task "{\"title\":\"回访李先生（报价）\",\"phone\":\"13833334444\",\"due_at\":\"$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)\",\"assignee\":\"1001\"}")
POOL=$(task "{\"title\":\"放弃来电回拨\",\"phone\":\"13755556666\",\"due_at\":\"$(date -u -d '+2 hours' +%Y-%m-%dT%H:%M:%SZ)\",\"pool\":\"sales\"}")
http POST /api/v1/notices '{"title":"系统升级通知","body":"本周六 22:00 系统升级，约 30 分钟。"}' "$SUP" >/dev/null
expect_status 201 "notice to everyone"
http POST /api/v1/notices '{"title":"座席排班调整","body":"下周起早班 8:30 开始。","roles":["agent"]}' "$SUP" >/dev/null
expect_status 201 "notice to agents"

web_start tasks.mjs
web_wait done 150
web_end

http GET "/api/v1/tasks/$SOON" "" "$SUP" >/dev/null
[ "$(jbody '(j["state"], j["outcome"])')" = "('done', '已报价，客户考虑中')" ] || fail "the desk's done: $HTTP_BODY"
http GET "/api/v1/tasks/$POOL" "" "$SUP" >/dev/null
[ "$(jbody 'j["assignee"]')" = 1001 ] || fail "the desk's claim: $HTTP_BODY"
http GET "/api/v1/tasks/$LATE" "" "$SUP" >/dev/null
[ "$(jbody '(j["state"], j["overdue"])')" = "('open', True)" ] || fail "the overdue one: $HTTP_BODY"
http GET "/api/v1/notices?all=1" "" "$SUP" >/dev/null
N=$(jbody '[n["id"] for n in j["items"] if n["title"]=="质检抽查提醒"][0]')
[ "$(jbody '[n["roles"] for n in j["items"] if n["title"]=="质检抽查提醒"][0]')" = "['agent']" ] ||
	fail "the published notice: $HTTP_BODY"
http GET "/api/v1/notices" "" "$(login 1001 secret1001)" >/dev/null
[ "$(jbody 'j["unread"]')" = 2 ] || fail "1001 read one of three: $HTTP_BODY"
ok "the server has it: done with the outcome, claimed, the overdue one open, the notice to agents, one read"
stop_server
