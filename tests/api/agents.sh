# Agent configuration: the queues an agent serves. A PUT answers with what
# it stored, every time (its own write is read back, never the previous
# value); GET of the agent, the queue configuration list and the live
# agents show the same; bad input is refused and changes nothing.
. "$(dirname "$0")/../lib.sh"

start_server
ADMIN=$(login admin admin123)
SUP=$(login sup sup123)
AGENT=$(login 1001 secret1001)

http GET /api/v1/agents/1003 "" "$SUP" >/dev/null
expect_status 200 "get agent"
[ "$(jbody 'j["ext"]')" = 1003 ] || fail "ext: $HTTP_BODY"
[ "$(jbody '[m["queue"] for m in j["queues"]]')" = "['sales']" ] ||
	fail "demo member: $HTTP_BODY"
ok "GET agent: the demo agent 1003 serves sales"

# --- PUT then its reply, 20 times in a row, each different from the last
for i in $(seq 1 20); do
	if [ $((i % 2)) -eq 0 ]; then
		want="[{\"queue\": \"sales\", \"skill\": $i, \"position\": 1}]"
	else
		want="[{\"queue\": \"sales\", \"skill\": $i, \"position\": 0}, {\"queue\": \"support\", \"skill\": $((i + 1)), \"position\": 2}]"
	fi
	http PUT /api/v1/agents/1003 "{\"queues\": $want}" "$ADMIN" >/dev/null
	expect_status 200 "put $i"
	got=$(jbody 'json.dumps(j["queues"])')
	[ "$got" = "$want" ] || fail "put $i answered $got, want $want"
	[ "$(jbody 'j["ext"]')" = 1003 ] || fail "put $i ext: $HTTP_BODY"
done
ok "PUT agent answers the value it stored, 20 times in a row"

# the last PUT (i = 20) as every reader shows it
http GET /api/v1/agents/1003 "" "$SUP" >/dev/null
expect_status 200 "get after put"
[ "$(jbody 'json.dumps(j["queues"])')" = "$want" ] || fail "get: $HTTP_BODY"
http GET /api/v1/queue-config "" "$SUP" >/dev/null
expect_status 200 "queue-config"
[ "$(jbody '"1003" in [q for q in j["items"] if q["name"]=="sales"][0]["members"]')" = True ] ||
	fail "sales members: $HTTP_BODY"
[ "$(jbody '"1003" in [q for q in j["items"] if q["name"]=="support"][0]["members"]')" = False ] ||
	fail "support members: $HTTP_BODY"
http GET /api/v1/agents "" "$SUP" >/dev/null
expect_status 200 "live agents"
[ "$(jbody 'json.dumps([a for a in j["items"] if a["ext"]=="1003"][0]["queues"])')" = "$want" ] ||
	fail "live agents: $HTTP_BODY"
[ "$(jbody 'len(j["items"])')" = 10 ] || fail "live agents count: $HTTP_BODY"
ok "GET agent, queue-config and live agents show the stored members"

# --- refusals
http PUT /api/v1/agents/1003 '{"queues":[{"queue":"nowhere"}]}' "$ADMIN" >/dev/null
expect_status 400 "unknown queue"
http PUT /api/v1/agents/1003 '{"queues":"sales"}' "$ADMIN" >/dev/null
expect_status 400 "not an array"
http PUT /api/v1/agents/9999 '{"queues":[]}' "$ADMIN" >/dev/null
expect_status 404 "unknown agent put"
http GET /api/v1/agents/9999 "" "$SUP" >/dev/null
expect_status 404 "unknown agent get"
[ "$(jbody 'j["error"]')" = "no agent 9999" ] || fail "404 reason: $HTTP_BODY"
http PUT /api/v1/agents/1003 '{"queues":[]}' "$AGENT" >/dev/null
expect_status 403 "agent may not configure"
http GET /api/v1/agents/1003 "" "$SUP" >/dev/null
[ "$(jbody 'json.dumps(j["queues"])')" = "$want" ] || fail "changed by a refusal: $HTTP_BODY"
ok "unknown queue 400, unknown agent 404, agents 403; nothing changed"

# --- an empty list: the agent serves no queue
http PUT /api/v1/agents/1003 '{"queues":[]}' "$ADMIN" >/dev/null
expect_status 200 "empty"
[ "$(jbody 'j["queues"]')" = "[]" ] || fail "empty: $HTTP_BODY"
ok "PUT an empty list answers []"

# --- many reads at once all answer (pool: completions on the loop)
pids=()
for i in $(seq 1 30); do
	curl -s -o "$TEST_DIR/par.$i" -w '%{http_code}' -H "Authorization: Bearer $SUP" \
		"$BASE_URL/api/v1/agents/100$((i % 10))" >"$TEST_DIR/code.$i" &
	pids+=($!)
done
wait "${pids[@]}"
for i in $(seq 1 30); do
	c=$(cat "$TEST_DIR/code.$i")
	[ "$c" = 200 ] || [ "$c" = 404 ] || fail "parallel read $i: $c"
done
ok "30 parallel reads answered"

# --- clients that leave before their answer: the server shrugs
pids=()
for i in $(seq 1 20); do
	python3 - "$HTTP_PORT" "$SUP" <<'PY' &
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(("GET /api/v1/queue-config HTTP/1.1\r\nHost: x\r\n"
           "Authorization: Bearer %s\r\n\r\n" % sys.argv[2]).encode())
s.close()
PY
	pids+=($!)
done
wait "${pids[@]}"
http GET /api/v1/agents/1003 "" "$SUP" >/dev/null
expect_status 200 "after clients left"
ok "clients that hang up before the reply harm nothing"

stop_server
