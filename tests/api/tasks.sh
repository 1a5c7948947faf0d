#!/usr/bin/env bash
# Callback tasks (issue 15, 计划任务 / 回访):
#  - an agent makes a task for itself, not for others nor for a pool;
#    a supervisor assigns one to an agent and puts one in the sales pool;
#  - lists: mine, pool (only the queues the agent serves), overdue, all;
#    the data scope (an agent sees its own, a department lead its
#    subtree's users' tasks), keyset pages, masked numbers;
#  - claim from the pool (a member of the queue; a second claim 409),
#    done / cancel (someone else's 403, an ended task 409), outcome kept;
#  - completion statistics: on time, late, open, overdue per assignee;
#  - the abandoned-call switch, overall and per queue;
#  - bad input: 400 naming the field, nothing stored.
# The tasks events make (voicemail, abandon, ticket.reply_due, a call
# made) are tests/unit/task/test_events.c and tests/sip/task_abandon.sh;
# who hears task.* on the WebSocket, tests/unit/api/test_scope_ws.c.
source "$(dirname "$0")/../lib.sh"

start_server
DB="$DATA_DIR/hotline.db"
ADMIN=$(login admin admin123)
SUP=$(login sup sup123)
AG1=$(login 1001 secret1001)
AG2=$(login 1002 secret1002)
AG6=$(login 1006 secret1006)
for u in exec1:executive qa1:qa bo1:backoffice; do
	http POST /api/v1/users "{\"username\":\"${u%%:*}\",\"password\":\"password-${u%%:*}\",\"role\":\"${u#*:}\"}" "$ADMIN" >/dev/null
	expect_status 201 "user ${u%%:*}"
done
EXEC=$(login exec1 password-exec1)
QA=$(login qa1 password-qa1)
BO=$(login bo1 password-bo1)
count() { sqlite3 "$DB" "SELECT COUNT(*) FROM tasks $1"; }

# --- creating
http POST /api/v1/tasks '{"title":"回访张先生","phone":"13812348000","due_at":"2030-01-01T09:00:00Z","notes":"问安装情况"}' "$AG1" >/dev/null
expect_status 201 "agent makes its own task"
T1=$(jbody 'j["id"]')
[ "$(jbody '(j["assignee"], j["state"], j["origin"], j["overdue"], j["pool"])')" = "('1001', 'open', 'manual', False, None)" ] ||
	fail "created: $HTTP_BODY"
http POST /api/v1/tasks '{"title":"x","due_at":"2030-01-01T09:00:00Z","assignee":"1002"}' "$AG1" >/dev/null
expect_status 403 "an agent assigns to another"
http POST /api/v1/tasks '{"title":"x","due_at":"2030-01-01T09:00:00Z","pool":"sales"}' "$AG1" >/dev/null
expect_status 403 "an agent fills a pool"
http POST /api/v1/tasks '{"title":"回拨","phone":"13900001111","due_at":"2020-01-01T09:00:00Z","assignee":"1002"}' "$SUP" >/dev/null
expect_status 201 "supervisor assigns (already overdue)"
T2=$(jbody 'j["id"]')
[ "$(jbody '(j["assignee"], j["overdue"])')" = "('1002', True)" ] || fail "assigned: $HTTP_BODY"
http POST /api/v1/tasks '{"title":"池任务","phone":"13700002222","due_at":"2030-01-02T09:00:00Z","pool":"sales"}' "$SUP" >/dev/null
expect_status 201 "pool task"
T3=$(jbody 'j["id"]')
http POST /api/v1/tasks '{"title":"售后池","phone":"13700003333","due_at":"2030-01-03T09:00:00Z","pool":"support"}' "$ADMIN" >/dev/null
expect_status 201 "support pool task"
T4=$(jbody 'j["id"]')
http POST /api/v1/tasks '{"title":"后台回访","due_at":"2030-01-03T09:00:00Z"}' "$BO" >/dev/null
expect_status 201 "backoffice makes its own"
http POST /api/v1/tasks '{"title":"x","due_at":"2030-01-03T09:00:00Z"}' "$QA" >/dev/null
expect_status 403 "qa does not make tasks"
http POST /api/v1/tasks '{"title":"x","due_at":"2030-01-03T09:00:00Z"}' "$EXEC" >/dev/null
expect_status 403 "executive does not make tasks"
http POST /api/v1/tasks '{"title":"x","due_at":"2030-01-03T09:00:00Z"}' >/dev/null
expect_status 401 "no token"
ok "create: own task, assigned, pools; refusals by role"

# --- bad input: the field named, nothing stored
before=$(count "")
bad() {
	http POST /api/v1/tasks "$1" "$SUP" >/dev/null
	expect_status 400 "bad $1"
	[ "$(jbody "j['error'].startswith('$2')")" = True ] || fail "names $2: $HTTP_BODY"
}
bad '{"due_at":"2030-01-01T09:00:00Z"}' "title:"
bad '{"title":"x"}' "due_at:"
bad '{"title":"x","due_at":"tomorrow"}' "due_at:"
bad '{"title":"x","due_at":"2030-01-01T09:00:00Z","phone":"12a45"}' "phone:"
bad '{"title":"x","due_at":"2030-01-01T09:00:00Z","assignee":"nobody"}' "assignee:"
bad '{"title":"x","due_at":"2030-01-01T09:00:00Z","pool":"nowhere"}' "pool:"
bad '{"title":"x","due_at":"2030-01-01T09:00:00Z","pool":"sales","assignee":"1001"}' "pool:"
bad '{"title":"x","due_at":"2030-01-01T09:00:00Z","colour":"red"}' "colour:"
bad '{"title":"","due_at":"2030-01-01T09:00:00Z"}' "title:"
bad '{"title":5,"due_at":"2030-01-01T09:00:00Z"}' "title:"
bad '{"title":"x","due_at":"2030-01-01T09:00:00Z","origin":"fax"}' "origin:"
http POST /api/v1/tasks 'not json' "$SUP" >/dev/null
expect_status 400 "not json"
[ "$(count "")" = "$before" ] || fail "a refusal stored a task"
ok "bad input refused naming the field, nothing stored"

# --- lists
http GET /api/v1/tasks "" "$AG1" >/dev/null
expect_status 200 "mine"
[ "$(jbody '[t["id"] for t in j["items"]]')" = "['$T1']" ] || fail "1001 mine: $HTTP_BODY"
[ "$(jbody 'j["next_cursor"]')" = None ] || fail "one page: $HTTP_BODY"
http GET "/api/v1/tasks?view=pool" "" "$AG1" >/dev/null
[ "$(jbody '[t["id"] for t in j["items"]]')" = "['$T3']" ] || fail "1001 (sales) pool: $HTTP_BODY"
http GET "/api/v1/tasks?view=pool" "" "$AG6" >/dev/null
[ "$(jbody '[t["id"] for t in j["items"]]')" = "['$T4']" ] || fail "1006 (support) pool: $HTTP_BODY"
http GET "/api/v1/tasks?view=all" "" "$AG1" >/dev/null
[ "$(jbody 'sorted(t["id"] for t in j["items"])')" = "$(python3 -c "print(sorted(['$T1','$T3']))")" ] ||
	fail "an agent sees its own and its pools: $HTTP_BODY"
http GET "/api/v1/tasks?view=overdue" "" "$SUP" >/dev/null
[ "$(jbody '[t["id"] for t in j["items"]]')" = "['$T2']" ] || fail "overdue: $HTTP_BODY"
http GET "/api/v1/tasks?view=all" "" "$ADMIN" >/dev/null
[ "$(jbody 'len(j["items"])')" = 5 ] || fail "admin sees all: $HTTP_BODY"
http GET "/api/v1/tasks?view=all&limit=2" "" "$ADMIN" >/dev/null
[ "$(jbody 'j["items"][0]["id"]')" = "$T2" ] || fail "soonest due first: $HTTP_BODY"
CUR=$(jbody 'j["next_cursor"]')
http GET "/api/v1/tasks?view=all&limit=2&cursor=$CUR" "" "$ADMIN" >/dev/null
[ "$(jbody 'len(j["items"])')" = 2 ] || fail "page 2: $HTTP_BODY"
[ "$(jbody 'j["items"][0]["id"]')" = "$T3" ] || fail "page 2 order: $HTTP_BODY"
http GET "/api/v1/tasks?view=all&assignee=1002&state=open" "" "$EXEC" >/dev/null
[ "$(jbody '[t["id"] for t in j["items"]]')" = "['$T2']" ] || fail "executive filters by assignee: $HTTP_BODY"
http GET "/api/v1/tasks?view=sideways" "" "$SUP" >/dev/null
expect_status 400 "bad view"
[ "$(jbody 'j["error"].startswith("view:")')" = True ] || fail "names view"
http GET "/api/v1/tasks?state=maybe" "" "$SUP" >/dev/null
expect_status 400 "bad state"
http GET "/api/v1/tasks?limit=0" "" "$SUP" >/dev/null
expect_status 400 "bad limit"
http GET "/api/v1/tasks?cursor=zzz" "" "$SUP" >/dev/null
expect_status 400 "bad cursor"
http GET "/api/v1/tasks/$T2" "" "$AG1" >/dev/null
expect_status 404 "another agent's task is not there for 1001"
http GET "/api/v1/tasks/$T2" "" "$AG2" >/dev/null
expect_status 200 "own task"
ok "lists: mine, pool by queue, overdue, all by scope, pages, filters"

# --- a department lead sees its department's users' tasks and the pools
http POST /api/v1/departments '{"name":"一组"}' "$ADMIN" >/dev/null
expect_status 201 "department"
G1=$(jbody 'j["id"]')
http PUT /api/v1/users/1001 "{\"department\":\"$G1\"}" "$ADMIN" >/dev/null
expect_status 200 "1001 in 一组"
AG1=$(login 1001 secret1001)   # a changed user signs in again
http POST /api/v1/users "{\"username\":\"lead1\",\"password\":\"password-lead1\",\"role\":\"supervisor\",\"department\":\"$G1\"}" "$ADMIN" >/dev/null
expect_status 201 "lead of 一组"
LEAD=$(login lead1 password-lead1)
http GET "/api/v1/tasks?view=all" "" "$LEAD" >/dev/null
[ "$(jbody 'sorted(t["id"] for t in j["items"])')" = "$(python3 -c "print(sorted(['$T1','$T3','$T4']))")" ] ||
	fail "the lead sees 1001's task and the pools, not 1002's: $HTTP_BODY"
http GET "/api/v1/tasks/$T2" "" "$LEAD" >/dev/null
expect_status 404 "1002's task is outside the lead's departments"
ok "departments scope: the lead sees its department's users' tasks and every pool"

# --- masked numbers
http POST /api/v1/users '{"username":"qa2","password":"password-qa2","role":"qa","mask_numbers":true}' "$ADMIN" >/dev/null
QA2=$(login qa2 password-qa2)
http GET "/api/v1/tasks?view=all&assignee=1001" "" "$QA2" >/dev/null
[ "$(jbody 'j["items"][0]["phone"]')" = "138****8000" ] || fail "masked: $HTTP_BODY"
ok "numbers masked for a masked user"

# --- changing, claiming, ending
http PATCH "/api/v1/tasks/$T1" '{"notes":"改到下午","due_at":"2030-01-01T14:00:00Z"}' "$AG1" >/dev/null
expect_status 200 "agent changes own task"
[ "$(jbody '(j["notes"], j["due_at"], j["title"])')" = "('改到下午', '2030-01-01T14:00:00Z', '回访张先生')" ] ||
	fail "changed: $HTTP_BODY"
http PATCH "/api/v1/tasks/$T2" '{"notes":"x"}' "$AG1" >/dev/null
expect_status 404 "change another's (unseen)"
http PATCH "/api/v1/tasks/$T1" '{"phone":"abc"}' "$AG1" >/dev/null
expect_status 400 "bad phone on change"
http PATCH "/api/v1/tasks/$T1" '{"assignee":"1002"}' "$AG1" >/dev/null
expect_status 403 "agent reassigns"
http GET "/api/v1/tasks/$T1" "" "$AG1" >/dev/null
[ "$(jbody '(j["phone"], j["assignee"])')" = "('13812348000', '1001')" ] || fail "refusals changed it: $HTTP_BODY"
http POST "/api/v1/tasks/$T3/done" '{}' "$AG1" >/dev/null
expect_status 403 "done on a pool task unclaimed"
http POST "/api/v1/tasks/$T4/claim" "" "$AG1" >/dev/null
expect_status 404 "claim from a queue 1001 does not serve"
http POST "/api/v1/tasks/$T3/claim" "" "$AG1" >/dev/null
expect_status 200 "claim"
[ "$(jbody '(j["assignee"], j["pool"])')" = "('1001', 'sales')" ] || fail "claimed: $HTTP_BODY"
http POST "/api/v1/tasks/$T3/claim" "" "$SUP" >/dev/null
expect_status 409 "second claim"
http POST "/api/v1/tasks/$T1/done" '{"outcome":"客户满意"}' "$AG1" >/dev/null
expect_status 200 "done"
[ "$(jbody '(j["state"], j["outcome"], j["ended_at"] is not None)')" = "('done', '客户满意', True)" ] ||
	fail "done: $HTTP_BODY"
http POST "/api/v1/tasks/$T1/done" "" "$AG1" >/dev/null
expect_status 409 "done twice"
http POST "/api/v1/tasks/$T1/cancel" "" "$AG1" >/dev/null
expect_status 409 "cancel a done task"
http PATCH "/api/v1/tasks/$T1" '{"notes":"x"}' "$AG1" >/dev/null
expect_status 409 "change a done task"
http POST "/api/v1/tasks/$T2/cancel" '{"outcome":"号码错误","extra":1}' "$SUP" >/dev/null
expect_status 400 "unknown field on cancel"
http POST "/api/v1/tasks/$T2/cancel" '{"outcome":"号码错误"}' "$SUP" >/dev/null
expect_status 200 "supervisor cancels"
[ "$(jbody '(j["state"], j["outcome"])')" = "('cancelled', '号码错误')" ] || fail "cancelled: $HTTP_BODY"
http POST "/api/v1/tasks/nosuch/done" "" "$SUP" >/dev/null
expect_status 404 "no such task"
ok "change, claim (once), done and cancel with outcomes; ended tasks stay ended"

# --- statistics: T1 done on time (due 2030), T2 cancelled, T3 open,
# T4 open (pool), bo1's open; plus one done late by 1002.
http POST /api/v1/tasks '{"title":"迟到","due_at":"2021-01-01T00:00:00Z","assignee":"1002"}' "$SUP" >/dev/null
T5=$(jbody 'j["id"]')
http POST "/api/v1/tasks/$T5/done" "" "$AG2" >/dev/null
expect_status 200 "late done"
http GET "/api/v1/tasks/stats?from=2019-01-01T00:00:00Z&to=2031-01-01T00:00:00Z" "" "$SUP" >/dev/null
expect_status 200 "stats"
[ "$(jbody '{i["assignee"]: (i["total"], i["on_time"], i["late"], i["open"], i["overdue"], i["cancelled"]) for i in j["items"]}["1001"]')" = "(2, 1, 0, 1, 0, 0)" ] ||
	fail "1001's stats: $HTTP_BODY"
[ "$(jbody '{i["assignee"]: (i["total"], i["on_time"], i["late"], i["cancelled"], i["on_time_rate"]) for i in j["items"]}["1002"]')" = "(2, 0, 1, 1, 0.0)" ] ||
	fail "1002's stats: $HTTP_BODY"
[ "$(jbody '(j["total"]["total"], j["total"]["on_time"], j["total"]["late"])')" = "(6, 1, 1)" ] ||
	fail "totals: $HTTP_BODY"
http GET "/api/v1/tasks/stats?from=2019-01-01T00:00:00Z&to=2031-01-01T00:00:00Z" "" "$AG1" >/dev/null
[ "$(jbody '[i["assignee"] for i in j["items"]]')" = "['1001']" ] || fail "an agent's stats are its own: $HTTP_BODY"
http GET "/api/v1/tasks/stats?from=2031-01-01T00:00:00Z&to=2019-01-01T00:00:00Z" "" "$SUP" >/dev/null
expect_status 400 "to before from"
[ "$(jbody 'j["error"].startswith("to:")')" = True ] || fail "names to"
ok "completion statistics per assignee: on time, late, open, overdue, cancelled"

# --- the abandoned-call switch
http GET /api/v1/tasks/abandon-rules "" "$SUP" >/dev/null
expect_status 200 "rules"
[ "$(jbody '(j["enabled"], j["queues"])')" = "(True, {})" ] || fail "default on: $HTTP_BODY"
http PUT /api/v1/tasks/abandon-rules '{"queue":"support","enabled":false}' "$SUP" >/dev/null
expect_status 200 "queue off"
[ "$(jbody 'j["queues"]')" = "{'support': False}" ] || fail "support off: $HTTP_BODY"
http PUT /api/v1/tasks/abandon-rules '{"queue":"nowhere","enabled":false}' "$SUP" >/dev/null
expect_status 400 "unknown queue"
[ "$(jbody 'j["error"]')" = "queue: no queue 'nowhere'" ] || fail "names queue: $HTTP_BODY"
http PUT /api/v1/tasks/abandon-rules '{"queue":"sales","enabled":"yes"}' "$SUP" >/dev/null
expect_status 400 "enabled type"
http PUT /api/v1/tasks/abandon-rules '{"queue":"*","enabled":null}' "$SUP" >/dev/null
expect_status 400 "global null"
http PUT /api/v1/tasks/abandon-rules '{"queue":"support","enabled":null}' "$SUP" >/dev/null
expect_status 200 "back to the overall switch"
[ "$(jbody 'j["queues"]')" = "{}" ] || fail "removed: $HTTP_BODY"
http GET /api/v1/tasks/abandon-rules "" "$AG1" >/dev/null
expect_status 403 "agent reads rules"
ok "abandoned-call switch: overall, per queue, back to overall"
stop_server
ok "the server stops cleanly"
