#!/usr/bin/env bash
# A user changes their own password: the current one must be proved, the
# new one must be long enough and new; a refusal changes nothing; success
# ends every session of the user (this one and another) and the new
# password signs in where the old one no longer does.
. "$(dirname "$0")/../lib.sh"

start_server
A=$(login 1003 secret1003)
B=$(login 1003 secret1003)

http POST /api/v1/auth/password '{"current":"wrong-one","new":"new-password-1003"}' "$A" >/dev/null
expect_status 400 "wrong current password"
[ "$(jbody 'j["error"]')" = "current: not the current password" ] || fail "reason: $HTTP_BODY"
http POST /api/v1/auth/password '{"current":"secret1003","new":"short"}' "$A" >/dev/null
expect_status 400 "short new password"
jbody 'j["error"]' | grep -q '^new: ' || fail "reason names new: $HTTP_BODY"
http POST /api/v1/auth/password '{"current":"secret1003","new":"secret1003"}' "$A" >/dev/null
expect_status 400 "unchanged password"
http POST /api/v1/auth/password '{"current":"secret1003"}' "$A" >/dev/null
expect_status 400 "no new password"
http POST /api/v1/auth/password 'not json' "$A" >/dev/null
expect_status 400 "garbage body"
http POST /api/v1/auth/password '{"current":"secret1003","new":"new-password-1003"}' >/dev/null
expect_status 401 "no token"
http GET /api/v1/auth/me "" "$B" >/dev/null
expect_status 200 "refusals changed nothing: the other session lives"
login 1003 secret1003 >/dev/null
ok "wrong, short, unchanged, missing, garbage and anonymous changes refused; nothing changed"

http POST /api/v1/auth/password '{"current":"secret1003","new":"new-password-1003"}' "$A" >/dev/null
expect_status 200 "change"
[ "$(jbody 'j["signed_out"]')" = True ] || fail "reply: $HTTP_BODY"
for t in "$A" "$B"; do
	http GET /api/v1/auth/me "" "$t" >/dev/null
	expect_status 401 "every session ended"
done
http POST /api/v1/auth/login '{"username":"1003","password":"secret1003"}' >/dev/null
expect_status 401 "the old password is gone"
N=$(login 1003 new-password-1003)
http GET /api/v1/auth/me "" "$N" >/dev/null
expect_status 200 "the new password signs in"
ok "changed: every session ended, the old password refused, the new one signs in"

stop_server
# Across a restart the new password holds.
start_server
login 1003 new-password-1003 >/dev/null
ok "the new password survives a restart"
stop_server
