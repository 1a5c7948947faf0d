# The audit log: sign-ins ok and failed, a refused access (403, and 401
# with a forged token), a settings change, a recording downloaded and
# one refused, a password change and a sign-out appear with who, what,
# when and from where; what is not audited (reads, an agent's own call
# control) is not; filters and paging; the CSV export with its BOM;
# administrators only.
. "$(dirname "$0")/../lib.sh"

start_server
DB="$DATA_DIR/hotline.db"
ADMIN=$(login admin admin123)
AGENT=$(login 1001 secret1001)
http POST /api/v1/auth/login '{"username":"admin","password":"wrong-one"}' >/dev/null
expect_status 401 "wrong password"
http POST /api/v1/auth/login '{"username":"nobody","password":"wrong-one"}' >/dev/null
expect_status 401 "unknown user"
http GET /api/v1/users "" "$AGENT" >/dev/null
expect_status 403 "an agent lists users"
http GET /api/v1/calls "" "$(printf 'f%.0s' $(seq 1 64))" >/dev/null
expect_status 401 "a forged token"
http GET /api/v1/calls >/dev/null
expect_status 401 "no token at all"
http POST /api/v1/departments '{"name":"质检部"}' "$ADMIN" >/dev/null
expect_status 201 "a settings change"
DEPT=$(jbody 'j["id"]')
http GET /api/v1/queues "" "$ADMIN" >/dev/null       # a read: not audited

T0=1767254400000
sqlite3 -cmd '.timeout 5000' "$DB" "INSERT INTO calls (id, direction, caller, callee,
	started_at, agent, recording) VALUES
 ('r1','inbound','13800000001','4008001000',$T0,'1001','recordings/r1.wav'),
 ('r2','inbound','13800000002','4008001000',$T0,'1002','recordings/r2.wav');"
mkdir -p "$DATA_DIR/recordings"
head -c 4000 /dev/zero >"$DATA_DIR/recordings/r1.wav"
curl -s -o /dev/null -H "Authorization: Bearer $AGENT" "$BASE_URL/api/v1/calls/r1/recording"
# A player's later range of the same file is not an entry of its own.
curl -s -o /dev/null -H "Authorization: Bearer $AGENT" -H "Range: bytes=2000-" \
	"$BASE_URL/api/v1/calls/r1/recording"
http GET /api/v1/calls/r2/recording "" "$AGENT" >/dev/null
expect_status 403 "another agent's recording"
P=$(login 1002 secret1002)
http POST /api/v1/auth/password '{"current":"secret1002","new":"another-secret"}' "$P" >/dev/null
expect_status 200 "password change"
T=$(login 1003 secret1003)
http POST /api/v1/auth/logout "" "$T" >/dev/null
expect_status 200 "logout"

# The writer is asynchronous: wait for the last entry (the logout).
for _ in $(seq 1 100); do
	http GET "/api/v1/audit?limit=1000" "" "$ADMIN" >/dev/null
	expect_status 200 "audit list"
	[ "$(jbody 'sum(1 for e in j["items"] if e["action"] == "POST /api/v1/auth/logout")')" = 1 ] && break
	sleep 0.05
done
cp "$TEST_DIR/http.body" "$TEST_DIR/audit.json"
# entry USER ACTION OUTCOME [TARGET]: exactly one such entry, from 127.0.0.1
entry() {
	local n
	n=$(python3 - "$TEST_DIR/audit.json" "$@" <<'PY'
import json, sys
items = json.load(open(sys.argv[1]))["items"]
user, action, outcome = sys.argv[2:5]
target = sys.argv[5] if len(sys.argv) > 5 else None
print(sum(1 for e in items if e["username"] == user and e["action"] == action
          and e["outcome"] == outcome and e["ip"] == "127.0.0.1"
          and (target is None or e["target"] == target)
          and e["at"].endswith("Z")))
PY
)
	[ "$n" = 1 ] || fail "want one entry '$*', got $n: $(cat "$TEST_DIR/audit.json")"
}
entry admin "POST /api/v1/auth/login" ok
entry admin "POST /api/v1/auth/login" failed
entry nobody "POST /api/v1/auth/login" failed
entry 1001 "GET /api/v1/users" refused
entry "" "GET /api/v1/calls" refused
entry admin "POST /api/v1/departments" ok
entry 1001 "GET /api/v1/calls/{id}/recording" ok /api/v1/calls/r1/recording
entry 1001 "GET /api/v1/calls/{id}/recording" refused /api/v1/calls/r2/recording
entry 1002 "POST /api/v1/auth/password" ok
entry 1003 "POST /api/v1/auth/logout" ok
python3 - "$TEST_DIR/audit.json" <<'PY' || fail "audit entries"
import json, sys
items = json.load(open(sys.argv[1]))["items"]
acts = [e["action"] for e in items]
assert "GET /api/v1/queues" not in acts, "a read was audited"
# the no-token 401 is no refusal of anyone: only the forged token's is
assert sum(1 for e in items if e["action"] == "GET /api/v1/calls") == 1, acts
r = [e for e in items if e["outcome"] == "refused" and e["username"] == "1001"
     and e["action"] == "GET /api/v1/users"][0]
assert r["role"] == "agent" and r["detail"].startswith("403"), r
assert "your role may not use this route" in r["detail"], r
rec = [e for e in items if e["target"] == "/api/v1/calls/r2/recording"][0]
assert "outside your data scope" in rec["detail"], rec
assert [e["at"] for e in items] == sorted((e["at"] for e in items), reverse=True)
PY
ok "sign-ins, refusals, a settings change, recordings, password, sign-out: who, what, when, where"

# --- filters and paging
http GET "/api/v1/audit?username=admin&action=auth/login" "" "$ADMIN" >/dev/null
[ "$(jbody 'sorted(e["outcome"] for e in j["items"])')" = "['failed', 'ok']" ] ||
	fail "filters: $HTTP_BODY"
http GET "/api/v1/audit?limit=2" "" "$ADMIN" >/dev/null
C=$(jbody 'j["next_cursor"]'); FIRST=$(jbody '[e["id"] for e in j["items"]]')
[ "$C" != None ] || fail "no cursor: $HTTP_BODY"
http GET "/api/v1/audit?limit=2&cursor=$C" "" "$ADMIN" >/dev/null
[ "$(jbody 'len(j["items"])')" = 2 ] || fail "second page: $HTTP_BODY"
python3 -c "import sys; a=eval(sys.argv[1]); b=eval(sys.argv[2]); assert not set(a)&set(b)" \
	"$FIRST" "$(jbody '[e["id"] for e in j["items"]]')" || fail "pages overlap"
http GET "/api/v1/audit?from=2099-01-01T00:00:00Z" "" "$ADMIN" >/dev/null
[ "$(jbody 'len(j["items"])')" = 0 ] || fail "from: $HTTP_BODY"
for bad in "limit=0" "limit=x" "cursor=zzz" "from=yesterday"; do
	http GET "/api/v1/audit?$bad" "" "$ADMIN" >/dev/null
	expect_status 400 "$bad"
	jbody 'j["error"]' | grep -q "'${bad%%=*}'" || fail "$bad: reason: $HTTP_BODY"
done
ok "filters by user, action, time; keyset pages; bad parameters 400"

# --- CSV
curl -s -D "$TEST_DIR/csv.h" -o "$TEST_DIR/audit.csv" -H "Authorization: Bearer $ADMIN" \
	"$BASE_URL/api/v1/audit.csv?username=admin"
grep -qi '^Content-Type: text/csv; charset=utf-8' "$TEST_DIR/csv.h" || fail "csv type: $(cat "$TEST_DIR/csv.h")"
python3 - "$TEST_DIR/audit.csv" <<'PY' || fail "csv body"
import csv, io, sys
raw = open(sys.argv[1], "rb").read()
assert raw.startswith(b"\xef\xbb\xbf"), raw[:10]
rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
assert rows[0] == ["at", "username", "role", "action", "target", "detail",
                   "ip", "outcome"], rows[0]
assert all(r[1] == "admin" for r in rows[1:]), rows
assert any(r[3] == "POST /api/v1/departments" and r[7] == "ok" for r in rows), rows
assert any('"error"' in r[5] for r in rows), "a quoted detail survives"
PY
http GET /api/v1/audit "" "$AGENT" >/dev/null
expect_status 403 "an agent reads the audit log"
http GET /api/v1/audit.csv "" "$AGENT" >/dev/null
expect_status 403 "an agent exports the audit log"
ok "CSV with BOM and header, filtered; administrators only"

stop_server

# --- retention: audit.keep_days; entries older are deleted at start
now_ms=$(( $(date +%s) * 1000 ))
day_ms=86400000
sqlite3 "$DATA_DIR/hotline.db" "INSERT INTO audit_log VALUES
	('old400', $((now_ms - 400 * day_ms)), 'admin', 'admin', 'auth.login', '', '', '127.0.0.1', 'ok'),
	('old40',  $((now_ms - 40 * day_ms)),  'admin', 'admin', 'auth.login', '', '', '127.0.0.1', 'ok'),
	('new10',  $((now_ms - 10 * day_ms)),  'admin', 'admin', 'auth.login', '', '', '127.0.0.1', 'ok')"
seeded() { sqlite3 "$DATA_DIR/hotline.db" "SELECT group_concat(id) FROM (SELECT id FROM audit_log WHERE id IN ('old400', 'old40', 'new10') ORDER BY id)"; }
start_server            # the default keeps a year
stop_server
[ "$(seeded)" = "new10,old40" ] || fail "a year kept: $(seeded)"
printf '[audit]\nkeep_days = 30\n' >"$TEST_DIR/keep.ini"
start_server --config "$TEST_DIR/keep.ini"
for _ in $(seq 1 100); do [ "$(seeded)" = new10 ] && break; sleep 0.05; done
[ "$(seeded)" = new10 ] || fail "30 days kept: $(seeded)"
[ "$(sqlite3 "$DATA_DIR/hotline.db" "SELECT count(*) FROM audit_log")" -gt 10 ] ||
	fail "the recent entries went too"
stop_server
printf '[audit]\nkeep_days = 0\n' >"$TEST_DIR/keep0.ini"
sqlite3 "$DATA_DIR/hotline.db" "INSERT INTO audit_log VALUES
	('ancient', 0, 'admin', 'admin', 'auth.login', '', '', '127.0.0.1', 'ok')"
start_server --config "$TEST_DIR/keep0.ini"
stop_server
[ "$(sqlite3 "$DATA_DIR/hotline.db" "SELECT count(*) FROM audit_log WHERE id = 'ancient'")" = 1 ] ||
	fail "keep_days 0 deleted an entry"
ok "retention: a year by default; audit.keep_days = 30 deletes older entries at start; 0 keeps all"
