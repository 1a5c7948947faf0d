#!/usr/bin/env bash
# A center set up without the demo, as a new user would: a fresh data
# directory, the first administrator from `hotline user add`, `hotline
# serve` without --demo, then everything else through the API — a
# department, users, extensions 1001 (an agent's phone) and 2001 (a
# caller's phone), queue sales with agent 1001, DID 4000 to it. A phone
# registered as 1001 (digest) answers the call 2001 places to 4000.
# Bad input is refused with the reason and changes nothing.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../sip/lib_sip.bash"

DATA_DIR=$TEST_DIR/center
echo 'first-admin-pw' | "$HOTLINE" user add boss --role admin --password-stdin \
	--data "$DATA_DIR" >/dev/null || fail "user add on a fresh data dir"
NO_DEMO=1 start_server
ADMIN=$(login boss first-admin-pw)
http POST /api/v1/auth/login '{"username":"admin","password":"admin123"}' >/dev/null
expect_status 401 "no demo admin without --demo"
ok "a fresh data dir: the CLI's administrator signs in, the demo's does not exist"

# --- departments: a tree
http POST /api/v1/departments '{"name":"客服中心"}' "$ADMIN" >/dev/null
expect_status 201 "top department"
TOP=$(jbody 'j["id"]')
http POST /api/v1/departments "{\"name\":\"销售组\",\"parent_id\":\"$TOP\"}" "$ADMIN" >/dev/null
expect_status 201 "child department"
SALES_DEPT=$(jbody 'j["id"]')
[ "$(jbody 'j["parent_id"]')" = "$TOP" ] || fail "child's parent: $HTTP_BODY"
http GET /api/v1/departments "" "$ADMIN" >/dev/null
expect_status 200 "list departments"
[ "$(jbody 'j["tree"][0]["name"] + "/" + j["tree"][0]["children"][0]["name"]')" = "客服中心/销售组" ] ||
	fail "tree: $HTTP_BODY"
http PUT "/api/v1/departments/$TOP" "{\"parent_id\":\"$SALES_DEPT\"}" "$ADMIN" >/dev/null
expect_status 400 "a cycle"
jbody 'j["error"]' | grep -q "parent_id" || fail "cycle reason: $HTTP_BODY"
http PUT "/api/v1/departments/$TOP" "{\"parent_id\":\"$TOP\"}" "$ADMIN" >/dev/null
expect_status 400 "its own parent"
http PUT "/api/v1/departments/$SALES_DEPT" '{"parent_id":"nope"}' "$ADMIN" >/dev/null
expect_status 400 "unknown parent"
http DELETE "/api/v1/departments/$TOP" "" "$ADMIN" >/dev/null
expect_status 409 "delete a department with children"
http GET /api/v1/departments "" "$ADMIN" >/dev/null
[ "$(jbody 'len(j["items"])')" = 2 ] || fail "changed by refusals: $HTTP_BODY"
[ "$(jbody '[d["parent_id"] for d in j["items"] if d["id"] == "'"$TOP"'"][0]')" = None ] ||
	fail "top moved by a refusal: $HTTP_BODY"
ok "departments: a tree; a cycle or unknown parent 400, deleting a parent 409"

# --- extensions
http POST /api/v1/extensions '{"ext":"1001","password":"agent-1001-pw","display_name":"李娜"}' "$ADMIN" >/dev/null
expect_status 201 "extension 1001"
[ "$(jbody 'j["contacts"]')" = 0 ] || fail "new extension: $HTTP_BODY"
http POST /api/v1/extensions '{"ext":"2001","password":"caller-2001-pw","enabled":true}' "$ADMIN" >/dev/null
expect_status 201 "extension 2001"
for bad in '{"ext":"12a","password":"long-enough"}' '{"ext":"1","password":"long-enough"}' \
	'{"ext":"12345678901234567","password":"long-enough"}' '{"ext":"3001","password":"short"}' \
	'{"ext":"3001"}' '{"ext":"3001","password":"long-enough","colour":"red"}'; do
	http POST /api/v1/extensions "$bad" "$ADMIN" >/dev/null
	expect_status 400 "bad extension $bad"
	[ -n "$(jbody 'j["error"]')" ] || fail "no reason for $bad"
done
http POST /api/v1/extensions '{"ext":"1001","password":"another-pw"}' "$ADMIN" >/dev/null
expect_status 409 "duplicate extension"
http GET /api/v1/extensions "" "$ADMIN" >/dev/null
[ "$(jbody '[e["ext"] for e in j["items"]]')" = "['1001', '2001']" ] || fail "extensions: $HTTP_BODY"
grep -qi 'ha1\|password\|agent-1001-pw' <<<"$HTTP_BODY" && fail "secrets listed: $HTTP_BODY"
[ "$(jbody 'j["items"][0]["display_name"]')" = "李娜" ] || fail "display name: $HTTP_BODY"
http GET /api/v1/agents "" "$ADMIN" >/dev/null
[ "$(jbody '[(a["ext"], a["state"]) for a in j["items"]]')" = "[('1001', 'logged_out'), ('2001', 'logged_out')]" ] ||
	fail "live agents: $HTTP_BODY"
ok "extensions: 1001 and 2001 made (live agents at once); bad ext, short password, unknown field 400, duplicate 409; no HA1 shown"

# --- users
user_body() { # NAME ROLE PASSWORD [EXT] [DEPT]
	printf '{"username":"%s","role":"%s","password":"%s","display_name":"%s"%s%s}' \
		"$1" "$2" "$3" "$1" "${4:+,\"extension\":\"$4\"}" "${5:+,\"department\":\"$5\"}"
}
http POST /api/v1/users "$(user_body lina agent lina-pass-1 1001 "$SALES_DEPT")" "$ADMIN" >/dev/null
expect_status 201 "agent user"
[ "$(jbody 'j["department"] + "/" + j["extension"]')" = "$SALES_DEPT/1001" ] || fail "user: $HTTP_BODY"
http POST /api/v1/users "$(user_body wang supervisor wang-pass-1 "" "$TOP")" "$ADMIN" >/dev/null
expect_status 201 "supervisor user"
http DELETE "/api/v1/departments/$SALES_DEPT" "" "$ADMIN" >/dev/null
expect_status 409 "delete a department with users"
while IFS='|' read -r body status what; do
	http POST /api/v1/users "$body" "$ADMIN" >/dev/null
	expect_status "$status" "$what"
	jbody 'j["error"]' | grep -q "$(cut -d' ' -f1 <<<"$what")" ||
		fail "$what: the reason should name it: $HTTP_BODY"
done <<EOF
$(user_body zhao boss zhao-pass-1)|400|role unknown
$(user_body lina agent lina-pass-2)|409|lina exists
$(user_body zhao agent short)|400|password short
$(user_body zhao agent zhao-pass-1 9999)|400|extension unknown
$(user_body zhao agent zhao-pass-1 "" nowhere)|400|department unknown
{"username":"zhao","role":"agent","password":"zhao-pass-1","age":3}|400|age unknown field
EOF
LINA=$(login lina lina-pass-1)
http POST /api/v1/users "$(user_body zhao agent zhao-pass-1)" "$LINA" >/dev/null
expect_status 403 "an agent creates users"
http GET /api/v1/users "" "$ADMIN" >/dev/null
[ "$(jbody '[u["username"] for u in j["items"]]')" = "['boss', 'lina', 'wang']" ] ||
	fail "users after refusals: $HTTP_BODY"
http DELETE /api/v1/users/boss "" "$ADMIN" >/dev/null
expect_status 409 "delete the last admin"
http PUT /api/v1/users/boss '{"role":"agent"}' "$ADMIN" >/dev/null
expect_status 409 "demote the last admin"
http GET /api/v1/auth/me "" "$ADMIN" >/dev/null
expect_status 200 "admin still signed in"
[ "$(jbody 'j["role"]')" = admin ] || fail "admin demoted: $HTTP_BODY"
ok "users: unknown role, duplicate, short password, unknown extension or department refused with reasons; the last admin stays"

http PUT /api/v1/users/wang '{"display_name":"王主管","department":null}' "$ADMIN" >/dev/null
expect_status 200 "change wang"
[ "$(jbody 'j["display_name"] == "王主管" and j["department"] is None')" = True ] ||
	fail "wang: $HTTP_BODY"
WANG=$(login wang wang-pass-1)
http PUT /api/v1/users/wang '{"password":"wang-pass-2"}' "$ADMIN" >/dev/null
expect_status 200 "wang's new password"
http GET /api/v1/auth/me "" "$WANG" >/dev/null
expect_status 401 "a new password ends the old sessions"
WANG=$(login wang wang-pass-2)
http DELETE /api/v1/users/wang "" "$ADMIN" >/dev/null
expect_status 200 "delete wang"
http GET /api/v1/auth/me "" "$WANG" >/dev/null
expect_status 401 "a deleted user's session"
http PUT /api/v1/users/wang '{"display_name":"x"}' "$ADMIN" >/dev/null
expect_status 404 "change a deleted user"
http GET /api/v1/departments "" "$ADMIN" >/dev/null
[ "$(jbody '[d["users"] for d in j["items"] if d["id"] == "'"$SALES_DEPT"'"][0]')" = 1 ] ||
	fail "department user count: $HTTP_BODY"
ok "users: changed, re-passworded (old sessions end), deleted (its session ends)"

# --- the queue, the agent, the DID: all live, no restart
http PUT /api/v1/queues/sales '{"strategy":"longest-idle","ring_timeout_ms":15000}' "$ADMIN" >/dev/null
expect_status 200 "queue sales"
http PUT /api/v1/agents/1001 '{"queues":[{"queue":"sales","skill":0,"position":0}]}' "$ADMIN" >/dev/null
expect_status 200 "agent 1001 in sales"
http PUT /api/v1/dids/4000 '{"target_kind":"queue","target":"sales"}' "$ADMIN" >/dev/null
expect_status 200 "DID 4000"
http PUT /api/v1/agents/1001/state '{"state":"ready"}' "$LINA" >/dev/null
expect_status 200 "lina makes herself ready"
http GET /api/v1/agents "" "$ADMIN" >/dev/null
[ "$(jbody '[a["state"] for a in j["items"] if a["ext"] == "1001"][0]')" = ready ] ||
	fail "agent 1001 not ready: $HTTP_BODY"
ok "queue sales, agent 1001 in it (ready), DID 4000 → sales: made through the API, live"

# --- the phones: 1001 answers, 2001 calls 4000
AGENT_PORT=$(free_port)
register 1001 agent-1001-pw "$AGENT_PORT"
http GET /api/v1/extensions/1001 "" "$ADMIN" >/dev/null
[ "$(jbody 'j["contacts"]')" = 1 ] || fail "1001's binding: $HTTP_BODY"
sipp_bg agent agent_answer.xml -p "$AGENT_PORT" -mi 127.0.0.1 -mp "$(free_port)"
sleep 0.3
call_to caller "$SCEN/ext_call.xml" 4000 -au 2001 -ap caller-2001-pw -key auth_user 2001
sipp_wait agent || { cat "$TEST_DIR/agent.err" >&2; fail "the agent's phone did not answer"; }
last_call "$ADMIN" | python3 -c '
import json, sys
c = json.load(sys.stdin)
assert c["from"] == "2001" and c["to"] == "4000", c
assert c["queue"] == "sales" and c["agent"] == "1001", c
assert c["answered_at"] is not None, c' || fail "the call record: $(last_call "$ADMIN")"
ok "2001 (digest) called DID 4000: queue sales rang 1001, whose phone answered"

# --- a registered extension deleted: its binding goes with it
http DELETE /api/v1/extensions/1001 "" "$ADMIN" >/dev/null
expect_status 200 "delete 1001"
http GET /api/v1/extensions/1001 "" "$ADMIN" >/dev/null
expect_status 404 "1001 gone"
http PUT /api/v1/agents/1001 '{"queues":[]}' "$ADMIN" >/dev/null
expect_status 404 "no agent once its extension is gone"
http GET /api/v1/agents "" "$ADMIN" >/dev/null
[ "$(jbody '[a["ext"] for a in j["items"]]')" = "['2001']" ] ||
	fail "live agents after the delete: $HTTP_BODY"
http POST /api/v1/extensions '{"ext":"1001","password":"agent-1001-new"}' "$ADMIN" >/dev/null
expect_status 201 "1001 again"
[ "$(jbody 'j["contacts"]')" = 0 ] || fail "the old binding came back: $HTTP_BODY"
ok "deleting a registered extension drops its binding; no agent remains"

stop_server
