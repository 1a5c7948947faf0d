#!/usr/bin/env bash
# GET /api/v1/openapi.json on the demo server: served without a token, the
# same document every time, and true to the server both ways
# (openapi_check.py): OpenAPI 3 shaped, its operations exactly the rows of
# the C route tables, each one served, 401 exactly where it says a token
# is needed, and 403 exactly for the roles x-roles leaves out, checked
# with a user of every role.
. "$(dirname "$0")/../lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

start_server

http GET /api/v1/openapi.json >"$TEST_DIR/openapi.json"
expect_status 200 "openapi.json without a token"
http_header Content-Type | grep -q '^application/json' ||
	fail "openapi.json type: $(http_header Content-Type)"
[ "$(jbody 'j["openapi"]')" = 3.0.3 ] || fail "openapi version: ${HTTP_BODY:0:200}"
want_version=$("$HOTLINE" --version | awk '{print $2}')
[ "$(jbody 'j["info"]["version"]')" = "$want_version" ] ||
	fail "info.version is not the binary's $want_version"
[ "$(jbody '"/api/v1/openapi.json" in j["paths"]')" = True ] ||
	fail "the document does not describe itself"
http GET /api/v1/openapi.json >"$TEST_DIR/again.json"
cmp -s "$TEST_DIR/openapi.json" "$TEST_DIR/again.json" ||
	fail "a second fetch differs from the first"
http POST /api/v1/openapi.json >/dev/null
expect_status 405 "POST openapi.json"
jbody 'j["error"]' | grep -q . || fail "405 without an error: $HTTP_BODY"
ok "the document is public JSON, OpenAPI 3.0.3 at the binary's version, made once"

ADMIN=$(login admin admin123)
for role in qa backoffice executive; do
	http POST /api/v1/users "{\"username\":\"oa_$role\",\"password\":\"pw-$role-123\",\"role\":\"$role\"}" "$ADMIN" >/dev/null
	expect_status 201 "create a $role user"
done

python3 "$HERE/openapi_check.py" "$TEST_DIR/openapi.json" "$BASE_URL" \
	"$HERE/../../src" admin=admin:admin123 supervisor=sup:sup123 \
	agent=1001:secret1001 qa=oa_qa:pw-qa-123 \
	backoffice=oa_backoffice:pw-backoffice-123 \
	executive=oa_executive:pw-executive-123 ||
	fail "the document and the server disagree (above)"
ok "the document is the route tables, and the server serves it as written"

http GET /healthz >/dev/null
expect_status 200 "healthz after every route was tried"
stop_server
ok "the server stops cleanly after every route was tried"
