#!/usr/bin/env bash
# Deleting a queue (DELETE /api/v1/queues/{name}): its agents keep their
# other queues, in the router (the live agents), in GET of the agent and
# after a restart; a queue another overflows into, and an unknown one, are
# refused and change nothing. (The demo puts its own agents back into its
# own queues at every start, so only the rest is checked after a restart.)
. "$(dirname "$0")/../lib.sh"

start_server
ADMIN=$(login admin admin123)
http PUT /api/v1/queues/temp '{"strategy":"random"}' "$ADMIN" >/dev/null
expect_status 200 "queue temp"
http PUT /api/v1/queues/spill '{"overflow":"queue:temp","max_wait_ms":60000}' "$ADMIN" >/dev/null
[ "$HTTP_STATUS" = 200 ] || [ "$HTTP_STATUS" = 201 ] || fail "queue spill: $HTTP_STATUS $HTTP_BODY"
http PUT /api/v1/agents/1003 '{"queues":[{"queue":"sales","skill":5,"position":0},{"queue":"temp","skill":7,"position":1}]}' "$ADMIN" >/dev/null
expect_status 200 "1003 into sales and temp"
http PUT /api/v1/agents/1004 '{"queues":[{"queue":"temp","skill":3,"position":0}]}' "$ADMIN" >/dev/null
expect_status 200 "1004 into temp alone"
http PUT /api/v1/agents/1005 '{"queues":[{"queue":"support","skill":2,"position":3},{"queue":"temp","skill":3,"position":0}]}' "$ADMIN" >/dev/null
expect_status 200 "1005 into support and temp"

http DELETE /api/v1/queues/temp "" "$ADMIN" >/dev/null
expect_status 400 "a queue another overflows into"
http DELETE /api/v1/queues/nosuch "" "$ADMIN" >/dev/null
expect_status 404 "an unknown queue"
http GET /api/v1/agents/1003 "" "$ADMIN" >/dev/null
[ "$(jbody '[m["queue"] for m in j["queues"]]')" = "['sales', 'temp']" ] ||
	fail "a refused delete changed 1003: $HTTP_BODY"
ok "refused: a queue overflowed into (400), an unknown queue (404); nothing changed"

http DELETE /api/v1/queues/spill "" "$ADMIN" >/dev/null
expect_status 200 "delete spill"
http DELETE /api/v1/queues/temp "" "$ADMIN" >/dev/null
expect_status 200 "delete temp"
check_members() { # when [1004 too]
	http GET /api/v1/agents/1003 "" "$ADMIN" >/dev/null
	[ "$(jbody 'json.dumps(j["queues"])')" = '[{"queue": "sales", "skill": 5, "position": 0}]' ] ||
		fail "$1: 1003 $HTTP_BODY"
	http GET /api/v1/agents/1005 "" "$ADMIN" >/dev/null
	[ "$(jbody 'json.dumps([m for m in j["queues"] if m["queue"] != "sales"])')" = '[{"queue": "support", "skill": 2, "position": 3}]' ] ||
		fail "$1: 1005 $HTTP_BODY"
	http GET /api/v1/agents "" "$ADMIN" >/dev/null
	[ "$(jbody '[[m["queue"] for m in a["queues"]] for a in j["items"] if a["ext"] == "1003"][0]')" = "['sales']" ] ||
		fail "$1: the live 1003 $HTTP_BODY"
	[ "${2:-}" != 1004 ] ||
		[ "$(jbody '[a["queues"] for a in j["items"] if a["ext"] == "1004"][0]')" = "[]" ] ||
		fail "$1: the live 1004 $HTTP_BODY"
	http GET /api/v1/queues "" "$ADMIN" >/dev/null
	[ "$(jbody '"temp" in [q["name"] for q in j["items"]]')" = False ] || fail "$1: temp listed"
}
check_members "after the delete" 1004
ok "deleted: 1003 keeps sales and 1005 support with their skills, 1004 serves nothing, live and stored"

stop_server
start_server
check_members "after a restart"
ok "the same after a restart (the demo gives 1004 and 1005 their demo queues back)"
stop_server
