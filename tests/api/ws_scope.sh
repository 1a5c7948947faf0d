# The CTI WebSocket, scoped and state first, on real calls: admin, sup, a
# back-office user and agents 1001 and 1002 listen while a sipp caller
# dials 4008003000 (queue sales) and 1001's sipp phone answers. Each
# stream must be exactly what the scope rule lets its user see
# (ws_scope.py recomputes it from the admin's stream, which must miss no
# seq): admin and sup everything, 1001 its call and its own state, 1002 and
# the back office none of it. Two clients that connect during the call (an
# admin, and 1001 again), while the API holds it, first get a snapshot
# with the live call held, its call data and 1001 talking, then every
# later event (the resume …) with a higher seq, none missing. dsup, a
# supervisor whose department tree holds 1001 alone, sees what 1001 sees;
# mqa (QA, numbers masked) sees everything with every number masked.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../sip/lib_sip.bash"

start_server
ADMIN=$(login admin admin123)
http POST /api/v1/users '{"username":"bo","password":"backoffice1","role":"backoffice"}' "$ADMIN" >/dev/null
expect_status 201 "a back-office user"
# A supervisor scoped to a department holding only agent 1001 (its team
# below a top department), and a QA inspector who sees numbers masked.
http POST /api/v1/departments '{"name":"呼叫中心"}' "$ADMIN" >/dev/null
expect_status 201 "top department"
TOP=$(jbody 'j["id"]')
http POST /api/v1/departments "{\"name\":\"一组\",\"parent_id\":\"$TOP\"}" "$ADMIN" >/dev/null
expect_status 201 "team department"
TEAM=$(jbody 'j["id"]')
http PUT /api/v1/users/1001 "{\"department\":\"$TEAM\"}" "$ADMIN" >/dev/null
expect_status 200 "1001 in the team"
http POST /api/v1/users "{\"username\":\"dsup\",\"password\":\"dsupervisor\",\"role\":\"supervisor\",\"department\":\"$TOP\"}" "$ADMIN" >/dev/null
expect_status 201 "a department supervisor"
[ "$(jbody 'j["scope"]')" = departments ] || fail "supervisor's default scope: $HTTP_BODY"
http POST /api/v1/users '{"username":"mqa","password":"maskedqa1","role":"qa","mask_numbers":true}' "$ADMIN" >/dev/null
expect_status 201 "a masked QA user"
# A short wrap-up, so the agent is ready again within the test.
http PUT /api/v1/queues/sales '{"wrapup_ms":1000}' "$ADMIN" >/dev/null
expect_status 200 "sales: wrap-up 1 s"
SUP=$(login sup sup123)
T1001=$(login 1001 secret1001)
T1002=$(login 1002 secret1002)
TBO=$(login bo backoffice1)
TDSUP=$(login dsup dsupervisor)
TMQA=$(login mqa maskedqa1)

# listen NAME TOKEN: a client in the background, its frames in NAME.ws.
listen() {
	WS_SECONDS=240 WS_FRAMES=100000 python3 "$(dirname "$0")/ws_client.py" \
		127.0.0.1 "$HTTP_PORT" "/api/v1/events?token=$2" >"$TEST_DIR/$1.ws" &
	eval "WS_PID_$1=$!"
}

# wait_for FILE PATTERN: up to 15 s for a line matching PATTERN.
wait_for() {
	for _ in $(seq 1 300); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	fail "no '$2' in $1: $(tail -c 2000 "$1")"
}

for c in admin:$ADMIN sup:$SUP a1001:$T1001 a1002:$T1002 bo:$TBO \
	 dsup:$TDSUP mqa:$TMQA; do
	listen "${c%%:*}" "${c#*:}"
done
for c in admin sup a1001 a1002 bo dsup mqa; do
	wait_for "$TEST_DIR/$c.ws" '"type":"snapshot"'
done
ok "seven clients connected, each got its snapshot first"

# 1001's phone answers; the caller stays 12 s after the queue answers it
# (time enough for two clients to join mid-call on a loaded machine).
P1=$(free_port)
register 1001 secret1001 "$P1"
sipp_bg phone agent_answer.xml -p "$P1" -mi 127.0.0.1 -mp "$(free_port)"
wait_for "$TEST_DIR/admin.ws" '"type":"agent.state","subject":"1001".*"state":"ready"'
sipp_bg caller caller_stay.xml -s 4008003000 -d 12000 -p "$(free_port)" \
	-mi 127.0.0.1 -mp "$(free_port)" "127.0.0.1:$SIP_PORT"

# During the call: two more clients connect and must see it at once.
talking=""
for _ in $(seq 1 100); do
	http GET /api/v1/agents "" "$ADMIN" >/dev/null
	talking=$(jbody '[a["state"] for a in j["items"] if a["ext"] == "1001"][0]')
	[ "$talking" = talking ] && break
	sleep 0.05
done
[ "$talking" = talking ] || fail "1001 never talking: $HTTP_BODY"
# The shapes the snapshot must share, and call data a screen pop shows.
cp "$TEST_DIR/http.body" "$TEST_DIR/agents.json"
http GET /api/v1/queues "" "$ADMIN" >"$TEST_DIR/queues.json"
CALL=$(grep -o '"type":"call.answered","subject":"[0-9a-f]*"' "$TEST_DIR/admin.ws" |
	head -1 | sed 's/.*"subject":"//; s/"$//')
[ -n "$CALL" ] || fail "no call.answered in the admin's stream"
http PUT "/api/v1/calls/$CALL/data" '{"crm":{"ticket":"T-1"}}' "$ADMIN" >/dev/null
expect_status 200 "call data on the live call"
# The agent on the call and the administrator see the data set, live.
wait_for "$TEST_DIR/a1001.ws" '"type":"call.data".*"ticket":"T-1"'
wait_for "$TEST_DIR/admin.ws" '"type":"call.data".*"ticket":"T-1"'
http POST "/api/v1/calls/$CALL/hold" "" "$ADMIN" >/dev/null
expect_status 200 "hold from the API"
listen late_admin "$ADMIN"
listen late_1001 "$T1001"
wait_for "$TEST_DIR/late_admin.ws" '"type":"snapshot"'
wait_for "$TEST_DIR/late_1001.ws" '"type":"snapshot"'
http POST "/api/v1/calls/$CALL/resume" "" "$ADMIN" >/dev/null
expect_status 200 "resume from the API"

sipp_wait caller || { cat "$TEST_DIR/caller.err" >&2; fail "the caller's scenario failed"; }
sipp_wait phone || { cat "$TEST_DIR/phone.err" >&2; fail "1001's phone failed"; }
wait_for "$TEST_DIR/admin.ws" '"type":"call.ended"'
# After the wrap-up 1001 is ready again.
wait_for "$TEST_DIR/admin.ws" '"type":"queue.wrapup_end"'
ok "a queue call answered by 1001 came and went"

# A last event each user sees about itself closes every stream's window;
# sup's comes last, so admin's window holds everyone's.
for u in 1001:secret1001 1002:secret1002 bo:backoffice1 dsup:dsupervisor sup:sup123; do
	login "${u%%:*}" "${u#*:}" >/dev/null
done
for c in admin:sup sup:sup a1001:1001 late_1001:1001 a1002:1002 bo:bo late_admin:sup \
	 dsup:dsup mqa:sup; do
	wait_for "$TEST_DIR/${c%%:*}.ws" "\"type\":\"auth.login\",\"subject\":\"${c#*:}\""
done
for c in admin sup a1001 a1002 bo late_admin late_1001 dsup mqa; do
	eval "pid=\$WS_PID_$c"
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
done

python3 "$(dirname "$0")/ws_scope.py" "$TEST_DIR" || fail "streams not as scoped"
ok "every client got exactly what its scope allows, state first, in seq order"

stop_server
