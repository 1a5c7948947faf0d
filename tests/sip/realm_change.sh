#!/usr/bin/env bash
# Changing the digest realm locks no phone out. HA1 = MD5(ext:realm:pw) and
# the password is never stored, so an extension made under realm "hotline"
# keeps being challenged with "hotline" after sip.realm becomes "acme" (a
# warning at start says how many); it moves to "acme" when its password is
# set again, and a new extension is made for "acme" at once.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

DATA_DIR=$TEST_DIR/center
echo 'realm-admin-pw' | "$HOTLINE" user add root --role admin --password-stdin \
	--data "$DATA_DIR" >/dev/null || fail "user add"
NO_DEMO=1 start_server
ADMIN=$(login root realm-admin-pw)
http POST /api/v1/extensions '{"ext":"1001","password":"old-realm-pw"}' "$ADMIN" >/dev/null
expect_status 201 "extension 1001"
[ "$(jbody 'j["realm"]')" = hotline ] || fail "made for the default realm: $HTTP_BODY"
register 1001 old-realm-pw "$(free_port)"
stop_server
ok "1001 made and registered under realm hotline"

printf '[sip]\nrealm = acme\n' >"$TEST_DIR/acme.ini"
NO_DEMO=1 start_server --config "$TEST_DIR/acme.ini"
ADMIN=$(login root realm-admin-pw)
grep -q 'sip.realm_kept extensions=1 realm=acme' "$TEST_DIR/server.err" ||
	fail "no warning about the kept realm: $(grep realm "$TEST_DIR/server.err")"
http GET /api/v1/extensions/1001 "" "$ADMIN" >/dev/null
[ "$(jbody 'j["realm"]')" = hotline ] || fail "1001's realm: $HTTP_BODY"
register 1001 old-realm-pw "$(free_port)"
ok "after the realm changed to acme, 1001 still registers (challenged with hotline), with a warning"

http POST /api/v1/extensions '{"ext":"1002","password":"new-realm-pw"}' "$ADMIN" >/dev/null
expect_status 201 "extension 1002"
[ "$(jbody 'j["realm"]')" = acme ] || fail "1002's realm: $HTTP_BODY"
register 1002 new-realm-pw "$(free_port)"
http PUT /api/v1/extensions/1001 '{"password":"moved-realm-pw"}' "$ADMIN" >/dev/null
expect_status 200 "1001's new password"
[ "$(jbody 'j["realm"]')" = acme ] || fail "1001 moved: $HTTP_BODY"
register 1001 moved-realm-pw "$(free_port)"
ok "a new extension and a new password are made for acme and register"
stop_server
