# The permission table (issue 14, "Permissions, once"), row by row: every
# route of every module (from the OpenAPI document) under every role and
# without a token (permissions.py); then the data scope on real call
# records (seeded with sqlite3 as in calls.sh): an agent sees its own
# calls only and gets 403 for another's call and recording, a supervisor
# scoped to departments sees its subtree's agents' calls only, a QA
# inspector with masked numbers sees 138****8000, unknown ids stay 404.
. "$(dirname "$0")/../lib.sh"

start_server
DB="$DATA_DIR/hotline.db"
ADMIN=$(login admin admin123)
for u in exec1:executive qa1:qa bo1:backoffice; do
	http POST /api/v1/users "{\"username\":\"${u%%:*}\",\"password\":\"password-${u%%:*}\",\"role\":\"${u#*:}\"}" "$ADMIN" >/dev/null
	expect_status 201 "user ${u%%:*}"
done
python3 "$(dirname "$0")/permissions.py" "$BASE_URL" admin=admin:admin123 \
	executive=exec1:password-exec1 supervisor=sup:sup123 qa=qa1:password-qa1 \
	backoffice=bo1:password-bo1 agent=1001:secret1001 || fail "permission table"
ok "every route under every role as the permission table says"

# --- scope: departments 中心 > 一组 (1001, 1002) > 一组A (1003); 二组 (1004)
dept() {
	http POST /api/v1/departments "$1" "$ADMIN" >/dev/null
	expect_status 201 "department $1"
	jbody 'j["id"]'
}
TOP=$(dept '{"name":"中心"}')
G1=$(dept "{\"name\":\"一组\",\"parent_id\":\"$TOP\"}")
G1A=$(dept "{\"name\":\"一组A\",\"parent_id\":\"$G1\"}")
G2=$(dept "{\"name\":\"二组\",\"parent_id\":\"$TOP\"}")
for u in 1001:$G1 1002:$G1 1003:$G1A 1004:$G2; do
	http PUT "/api/v1/users/${u%%:*}" "{\"department\":\"${u#*:}\"}" "$ADMIN" >/dev/null
	expect_status 200 "department of ${u%%:*}"
done
http POST /api/v1/users "{\"username\":\"lead1\",\"password\":\"password-lead1\",\"role\":\"supervisor\",\"department\":\"$G1\"}" "$ADMIN" >/dev/null
expect_status 201 "team lead of 一组"
[ "$(jbody 'j["scope"]')" = departments ] || fail "a supervisor's default scope: $HTTP_BODY"
http POST /api/v1/users '{"username":"qa2","password":"password-qa2","role":"qa","mask_numbers":true}' "$ADMIN" >/dev/null
expect_status 201 "masked QA"
[ "$(jbody 'j["mask_numbers"]')" = True ] || fail "mask_numbers: $HTTP_BODY"
for bad in '{"username":"x2","password":"password-x2","role":"qa","scope":"mine"}:scope' \
	   '{"username":"x2","password":"password-x2","role":"qa","mask_numbers":"yes"}:mask_numbers'; do
	http POST /api/v1/users "${bad%:*}" "$ADMIN" >/dev/null
	expect_status 400 "bad ${bad##*:}"
	jbody 'j["error"]' | grep -q "^${bad##*:}" || fail "reason does not name ${bad##*:}: $HTTP_BODY"
done
http GET /api/v1/users/x2 "" "$ADMIN" >/dev/null
http GET /api/v1/users "" "$ADMIN" >/dev/null
[ "$(jbody '[u for u in j["items"] if u["username"] == "x2"]')" = "[]" ] || fail "a refused user was stored"
[ "$(jbody '[u["scope"] for u in j["items"] if u["username"] == "sup"][0]')" = all ] ||
	fail "the demo's sup must keep seeing everything: $HTTP_BODY"
[ "$(jbody '[u["scope"] for u in j["items"] if u["username"] == "1001"][0]')" = own ] ||
	fail "an agent's default scope: $HTTP_BODY"
ok "scope and mask_numbers: defaults by role, validated, shown in the users list"

T0=1767254400000
sqlite3 -cmd '.timeout 5000' "$DB" "INSERT INTO calls (id, direction, caller, callee,
	started_at, agent, transfer_by, recording) VALUES
 ('k1','inbound','13812348000','4008001000',$T0,'1001',NULL,'recordings/k1.wav'),
 ('k2','inbound','13812348001','4008001000',$((T0+1000)),'1002',NULL,NULL),
 ('k3','inbound','13812348002','4008001000',$((T0+2000)),'1003',NULL,NULL),
 ('k4','inbound','13812348003','4008001000',$((T0+3000)),'1004','1001',NULL),
 ('k5','inbound','13812348004','4008001000',$((T0+4000)),'1005',NULL,NULL);
 INSERT INTO events (boot, seq, ts, type, subject, data) VALUES
 ('b',1,$T0,'call.created','k1','{\"from\":\"13812348000\",\"to\":\"4008001000\"}');"
mkdir -p "$DATA_DIR/recordings"; printf 'RIFF' >"$DATA_DIR/recordings/k1.wav"

# sees USER:PASSWORD IDS: the calls listed for that user, oldest first.
sees() {
	local tok; tok=$(login "${1%%:*}" "${1#*:}")
	http GET "/api/v1/calls?limit=500" "" "$tok" >/dev/null
	expect_status 200 "list as ${1%%:*}"
	local got; got=$(jbody '",".join(sorted(c["id"] for c in j["items"] if c["id"].startswith("k")))')
	[ "$got" = "$2" ] || fail "${1%%:*} sees '$got', want '$2'"
}
sees admin:admin123 k1,k2,k3,k4,k5
sees sup:sup123 k1,k2,k3,k4,k5
sees 1001:secret1001 k1,k4
sees 1004:secret1004 k4
sees lead1:password-lead1 k1,k2,k3
sees qa2:password-qa2 k1,k2,k3,k4,k5
ok "lists: all, own (agent or transferred by), departments subtree"

# one USER:PASSWORD PATH STATUS. A user signs in at its first check and
# keeps that session for the next (a sign-in is an Argon2id hash, by
# design tens of milliseconds of CPU; sixteen of them were most of the
# test's time on a loaded machine).
declare -A ONE_TOKEN=()
one() {
	[ -n "${ONE_TOKEN[$1]:-}" ] || ONE_TOKEN[$1]=$(login "${1%%:*}" "${1#*:}")
	local tok=${ONE_TOKEN[$1]}
	http GET "$2" "" "$tok" >/dev/null
	expect_status "$3" "${1%%:*} GET $2"
	if [ "$3" = 403 ]; then
		[ "$(jbody 'j["error"]')" = "outside your data scope" ] || fail "403 reason: $HTTP_BODY"
	fi
}
one 1001:secret1001 /api/v1/calls/k1 200
one 1001:secret1001 /api/v1/calls/k4 200
one 1001:secret1001 /api/v1/calls/k2 403
one 1001:secret1001 /api/v1/calls/k2/recording 403
one 1001:secret1001 /api/v1/calls/k2/data 403
one 1001:secret1001 /api/v1/calls/k2/audio-timeline 403
one 1001:secret1001 /api/v1/calls/nosuch/audio-timeline 404
one 1001:secret1001 /api/v1/calls/nosuch 404
one 1002:secret1002 /api/v1/calls/k1/recording 403
one 1001:secret1001 /api/v1/calls/k1/recording 200
one lead1:password-lead1 /api/v1/calls/k3 200
one lead1:password-lead1 /api/v1/calls/k4 403
one lead1:password-lead1 /api/v1/calls/k5/data 403
one lead1:password-lead1 /api/v1/calls/k5/audio-timeline 403
one lead1:password-lead1 /api/v1/calls/k3/audio-timeline 200
one sup:sup123 /api/v1/calls/k5 200
ok "one call outside the scope: 403 with the reason; unknown: 404"

QA2=$(login qa2 password-qa2)
http GET /api/v1/calls/k1 "" "$QA2" >/dev/null
[ "$(jbody 'j["from"]')" = "138****8000" ] || fail "masked from: $HTTP_BODY"
[ "$(jbody 'j["to"]')" = "400***1000" ] || fail "masked to: $HTTP_BODY"
[ "$(jbody 'j["events"][0]["data"]["from"]')" = "138****8000" ] || fail "masked event: $HTTP_BODY"
http GET /api/v1/auth/me "" "$QA2" >/dev/null
[ "$(jbody 'j["mask_numbers"]')" = True ] || fail "me: $HTTP_BODY"
[ "$(jbody 'j["scope"]')" = all ] || fail "me scope: $HTTP_BODY"
http GET /api/v1/calls/k1 "" "$ADMIN" >/dev/null
[ "$(jbody 'j["from"]')" = "13812348000" ] || fail "unmasked from: $HTTP_BODY"
[ "$(jbody 'j["events"][0]["data"]["from"]')" = "13812348000" ] || fail "unmasked event: $HTTP_BODY"
ok "numbers masked for a user with mask_numbers, whole for the others"

# An administrator narrows sup to own: its cached session ends, and the
# next one sees its own calls only (none: sup has no extension).
SUPT=$(login sup sup123)
http PUT /api/v1/users/sup '{"scope":"own"}' "$ADMIN" >/dev/null
expect_status 200 "sup scope own"
http GET /api/v1/calls "" "$SUPT" >/dev/null
expect_status 401 "sup's old session after its scope changed"
sees sup:sup123 ""
http PUT /api/v1/users/sup '{"scope":null}' "$ADMIN" >/dev/null
[ "$(jbody 'j["scope"]')" = departments ] || fail "back to the role's default: $HTTP_BODY"
ok "a changed scope takes effect at once; null returns to the role's default"

stop_server
