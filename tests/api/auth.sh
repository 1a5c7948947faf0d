# HTTP API, sign-in and access: health, login in all its failure modes,
# bearer tokens (401), roles (403), logout, unknown routes (404/405),
# restart keeps the demo users, and the command-line exits.
. "$(dirname "$0")/../lib.sh"

start_server

http GET /healthz >/dev/null
expect_status 200 healthz
[ "$(jbody 'j["status"]')" = ok ] || fail "healthz body: $HTTP_BODY"
ok "healthz"

# --- login
http POST /api/v1/auth/login '{"username":"admin","password":"admin123"}' >/dev/null
expect_status 200 "admin login"
ADMIN=$(jbody 'j["token"]')
[ ${#ADMIN} -eq 64 ] || fail "token is not 64 characters: $ADMIN"
[ "$(jbody 'j["user"]["role"]')" = admin ] || fail "admin role: $HTTP_BODY"
[ "$(jbody 'j["user"]["extension"]')" = None ] || fail "admin extension: $HTTP_BODY"
jbody 'j["expires_at"]' | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' ||
	fail "expires_at is not RFC 3339: $HTTP_BODY"
ok "login returns token, expiry and user"

http POST /api/v1/auth/login '{"username":"1003","password":"secret1003"}' >/dev/null
expect_status 200 "agent login"
[ "$(jbody 'j["user"]["extension"]')" = 1003 ] || fail "agent extension: $HTTP_BODY"
[ "$(jbody 'j["user"]["role"]')" = agent ] || fail "agent role: $HTTP_BODY"
AGENT=$(jbody 'j["token"]')
SUP=$(login sup sup123)
ok "demo agent and supervisor can sign in"

http POST /api/v1/auth/login '{"username":"admin","password":"wrong"}' >/dev/null
expect_status 401 "wrong password"
WRONG=$(jbody 'j["error"]')
http POST /api/v1/auth/login '{"username":"nobody","password":"wrong"}' >/dev/null
expect_status 401 "unknown user"
[ "$(jbody 'j["error"]')" = "$WRONG" ] ||
	fail "unknown user and wrong password answer differently: $WRONG / $HTTP_BODY"
ok "wrong password and unknown user get the same 401"

http POST /api/v1/auth/login '{"username":' >/dev/null
expect_status 400 "garbage JSON"
jbody 'j["error"]' | grep -q "not valid JSON" || fail "garbage reason: $HTTP_BODY"
http POST /api/v1/auth/login '{"username":"admin"}' >/dev/null
expect_status 400 "missing password"
jbody 'j["error"]' | grep -q "'password'" || fail "missing field not named: $HTTP_BODY"
http POST /api/v1/auth/login '{"username":7,"password":"x"}' >/dev/null
expect_status 400 "mistyped username"
jbody 'j["error"]' | grep -q "'username' must be a string" || fail "type: $HTTP_BODY"
http POST /api/v1/auth/login '[1]' >/dev/null
expect_status 400 "array body"
http POST /api/v1/auth/login >/dev/null
expect_status 400 "empty body"
ok "bad bodies get 400 naming the problem"

python3 -c 'print("{\"username\":\"" + "a" * 300000 + "\",\"password\":\"x\"}")' \
	>"$TEST_DIR/big.json"
http POST /api/v1/auth/login "@$TEST_DIR/big.json" >/dev/null
expect_status 413 "oversized body"
jbody 'j["error"]' | grep -q "larger than" || fail "413 reason: $HTTP_BODY"
ok "oversized body gets 413"

# --- bearer tokens and roles
http GET /api/v1/auth/me >/dev/null
expect_status 401 "no token"
[ "$(jbody 'j["error"]')" = "missing bearer token" ] || fail "401 reason: $HTTP_BODY"
http GET /api/v1/auth/me "" "$(printf 'f%.0s' $(seq 64))" >/dev/null
expect_status 401 "unknown token"
http GET /api/v1/auth/me "" "" -H "Authorization: Basic YWRtaW46YWRtaW4xMjM=" >/dev/null
expect_status 401 "basic auth"
http GET /api/v1/auth/me "" "$AGENT" >/dev/null
expect_status 200 "me"
[ "$(jbody 'j["username"]')" = 1003 ] || fail "me: $HTTP_BODY"
ok "token required, checked, and names its user"

http GET /api/v1/users "" "$AGENT" >/dev/null
expect_status 403 "agent lists users"
http GET /api/v1/users "" "$SUP" >/dev/null
expect_status 403 "supervisor lists users"
http GET /api/v1/users "" "$ADMIN" >/dev/null
expect_status 200 "admin lists users"
[ "$(jbody 'len(j["items"])')" -eq 12 ] || fail "want 12 demo users: $HTTP_BODY"
echo "$HTTP_BODY" | grep -q 'argon2' && fail "password hashes leak: $HTTP_BODY"
ok "roles: admin only route gives 403 to others"

# The database holds only hashes of tokens.
sqlite3 "$DATA_DIR/hotline.db" "SELECT token_hash FROM auth_tokens" | grep -q "$ADMIN" &&
	fail "a token is stored in clear"
sqlite3 "$DATA_DIR/hotline.db" "SELECT password_hash FROM users WHERE username='admin'" |
	grep -q '^\$argon2id\$' || fail "admin password is not an Argon2id hash"
ok "only hashes are stored"

http POST /api/v1/auth/logout "" "$AGENT" >/dev/null
expect_status 200 logout
http GET /api/v1/auth/me "" "$AGENT" >/dev/null
expect_status 401 "token after logout"
ok "logout revokes the token"

# --- routing
http GET /api/v1/nothing-here >/dev/null
expect_status 404 "unknown route"
[ "$(jbody 'j["error"]')" = "no such route" ] || fail "404 body: $HTTP_BODY"
http DELETE /healthz >/dev/null
expect_status 405 "wrong method"
[ "$(http_header Allow)" = GET ] || fail "Allow header: $(http_header Allow)"
jbody 'j["error"]' >/dev/null || fail "405 body is not JSON: $HTTP_BODY"
ok "404 for unknown routes, 405 with Allow for a wrong method"

# --- restart: users stay, nothing is re-created, tokens survive
stop_server
ok "SIGTERM stops with status 0"
start_server
grep -q 'demo.ready users_created=0' "$TEST_DIR/server.err" || fail "demo users re-created"
http GET /api/v1/auth/me "" "$ADMIN" >/dev/null
expect_status 200 "token after restart"
login admin admin123 >/dev/null
ok "restart keeps users and tokens (demo is idempotent)"

# --- command line
BUSY=$HTTP_PORT
rc=0
"$HOTLINE" serve --data "$TEST_DIR/other" --sip "127.0.0.1:$(free_port)" \
	--http "127.0.0.1:$BUSY" >"$TEST_DIR/busy.out" 2>"$TEST_DIR/busy.err" || rc=$?
[ "$rc" -eq 2 ] || fail "port in use: want exit 2, got $rc"
[ "$(wc -l <"$TEST_DIR/busy.err")" -eq 1 ] || fail "want one stderr line: $(cat "$TEST_DIR/busy.err")"
grep -q "in use" "$TEST_DIR/busy.err" || fail "reason: $(cat "$TEST_DIR/busy.err")"
[ ! -e "$TEST_DIR/other" ] || fail "data directory created despite the busy port"
grep -q ready "$TEST_DIR/busy.out" && fail "ready printed despite the busy port"
ok "HTTP port in use: one line, exit 2, nothing created"

rc=0
"$HOTLINE" serve --data "$TEST_DIR/other" --no-such-flag 2>"$TEST_DIR/flag.err" || rc=$?
[ "$rc" -eq 2 ] || fail "bad flag: want exit 2, got $rc"
[ ! -e "$TEST_DIR/other" ] || fail "data directory created despite the bad flag"
ok "bad flag: exit 2, nothing created"

stop_server
ok "stopped"
