#!/usr/bin/env bash
# Queues through the CLI (hotline queue, which talks to the running
# center's API): a queue created and changed with text and JSON settings
# (its supervisors among them), shown, listed, refused with the server's
# reason, and deleted; usage errors exit 2 before any request.
. "$(dirname "$0")/../lib.sh"

start_server
ADMIN=$(login admin admin123)
API="http://127.0.0.1:$HTTP_PORT"
export HOTLINE_TOKEN=$ADMIN

out=$("$HOTLINE" queue set vip --api "$API" strategy=ring-all \
	ring_timeout_ms:=20000 wrapup_required:=true supervisors=sup,dept:d1) ||
	fail "queue set: $out"
[ "$(echo "$out" | json '(j["name"], j["strategy"], j["ring_timeout_ms"], j["wrapup_required"], j["supervisors"])')" = \
  "('vip', 'ring-all', 20000, True, 'sup,dept:d1')" ] || fail "queue set said: $out"
http GET /api/v1/queues/vip "" "$ADMIN" >/dev/null
expect_status 200 "the queue the CLI made"
[ "$(jbody 'j["supervisors"]')" = "sup,dept:d1" ] || fail "stored: $HTTP_BODY"
ok "hotline queue set → created with text and JSON settings"

"$HOTLINE" queue set vip --api "$API" supervisors= >/dev/null || fail "clearing supervisors"
[ "$("$HOTLINE" queue show vip --api "$API" | json '(j["supervisors"], j["strategy"])')" = "('', 'ring-all')" ] ||
	fail "show after a change"
"$HOTLINE" queue list --api "$API" | grep -q '^vip  *ring-all  *ring=20000ms' ||
	fail "list: $("$HOTLINE" queue list --api "$API")"
[ "$("$HOTLINE" queue list --json --api "$API" | json 'sorted(q["name"] for q in j["items"])[-1]')" = vip ] ||
	fail "list --json"
ok "show, list and list --json; a setting changed alone"

err=$("$HOTLINE" queue set vip --api "$API" 'supervisors=lead ann' 2>&1 >/dev/null) && fail "bad supervisors taken"
echo "$err" | grep -q "400: supervisors" || fail "no server reason: $err"
rc=0; err=$("$HOTLINE" queue set vip --api "$API" ring_timeout_ms:=soon 2>&1 >/dev/null) || rc=$?
[ "$rc" = 2 ] && echo "$err" | grep -q "no JSON value" || fail "bad JSON: exit $rc ($err)"
for args in "set" "set vip =x" "show" "list extra" "frob vip"; do
	# shellcheck disable=SC2086
	rc=0; "$HOTLINE" queue $args --api "$API" >/dev/null 2>&1 || rc=$?
	[ "$rc" = 2 ] || fail "queue $args: exit $rc, want 2"
done
"$HOTLINE" queue --help | grep -q "hotline queue set NAME" || fail "--help"
ok "refusals: the server's reason (exit 1), usage and bad JSON (exit 2)"

out=$("$HOTLINE" queue del vip --api "$API") || fail "del: $out"
[ "$out" = "queue vip deleted" ] || fail "del said: $out"
http GET /api/v1/queues/vip "" "$ADMIN" >/dev/null
expect_status 404 "the deleted queue"
ok "hotline queue del"
stop_server
