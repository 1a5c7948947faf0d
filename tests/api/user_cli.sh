#!/usr/bin/env bash
# `hotline user`: add, list, passwd, del on a fresh data directory and on a
# running center's (whose users sign in with what the command wrote, at
# once); --help for each; exit status 0 done, 1 refused, 2 bad usage; the
# password only ever on standard input.
source "$(dirname "$0")/../lib.sh"

DATA_DIR=$TEST_DIR/center
user() { "$HOTLINE" user "$@" 2>"$TEST_DIR/user.err"; }
rc_of() { local rc=0; "$@" >"$TEST_DIR/user.out" || rc=$?; echo "$rc"; }

# --- help, usage
"$HOTLINE" user --help | grep -q "hotline user add NAME --role ROLE --password-stdin" ||
	fail "user --help"
for sub in add list passwd del; do
	"$HOTLINE" user $sub --help | grep -q "^usage: hotline user $sub" || fail "user $sub --help"
done
"$HOTLINE" --help | grep -q '^  user ' || fail "hotline --help lists user"
[ "$(rc_of user add)" = 2 ] || fail "add without a name: want 2"
[ "$(rc_of user add carol --role admin --data "$DATA_DIR")" = 2 ] ||
	fail "add without --password-stdin: want 2"
grep -q "password-stdin" "$TEST_DIR/user.err" || fail "says --password-stdin is needed"
[ "$(rc_of user add carol --role admin --password carol123 --data "$DATA_DIR")" = 2 ] ||
	fail "a password flag: want 2"
[ "$(rc_of user frobnicate)" = 2 ] || fail "unknown subcommand: want 2"
[ "$(echo pw-long-enough | rc_of user add carol --role boss --password-stdin --data "$DATA_DIR")" = 2 ] ||
	fail "unknown role: want 2"
grep -q "admin, supervisor, agent, qa, backoffice or executive" "$TEST_DIR/user.err" ||
	fail "the roles are listed: $(cat "$TEST_DIR/user.err")"
[ ! -e "$DATA_DIR" ] || fail "bad usage created the data directory"
ok "--help for user and each subcommand; bad usage exits 2 and creates nothing"

# --- a fresh data directory: the first administrator
[ "$(echo carol-admin-pw | rc_of user add carol --role admin --password-stdin \
	--display "Carol" --data "$DATA_DIR")" = 0 ] || fail "add carol: $(cat "$TEST_DIR/user.err")"
[ -f "$DATA_DIR/hotline.db" ] || fail "no database made"
[ "$(echo other-pw-123 | rc_of user add carol --role agent --password-stdin --data "$DATA_DIR")" = 1 ] ||
	fail "duplicate: want 1"
grep -q "exists" "$TEST_DIR/user.err" || fail "duplicate reason"
[ "$(echo short | rc_of user add dave --role agent --password-stdin --data "$DATA_DIR")" = 1 ] ||
	fail "short password: want 1"
[ "$(echo dave-pass-123 | rc_of user add dave --role agent --password-stdin \
	--department nowhere --data "$DATA_DIR")" = 1 ] || fail "unknown department: want 1"
[ "$(rc_of user del carol --data "$DATA_DIR")" = 1 ] || fail "delete the last admin: want 1"
grep -q "last administrator" "$TEST_DIR/user.err" || fail "last admin reason"
[ "$(rc_of user del nobody --data "$DATA_DIR")" = 1 ] || fail "delete unknown: want 1"
user list --data "$DATA_DIR" >"$TEST_DIR/list"
[ "$(grep -c . "$TEST_DIR/list")" = 2 ] || fail "list: $(cat "$TEST_DIR/list")"
grep -q '^carol  *admin  *-  *-  *all  *no  *Carol$' "$TEST_DIR/list" || fail "list row: $(cat "$TEST_DIR/list")"
ok "a fresh data dir gets its administrator; duplicate, short password, unknown department, last admin refused with 1"

# --- against the running center
NO_DEMO=1 start_server
CAROL=$(login carol carol-admin-pw)

# A session of a user deleted by the CLI: the server takes a checked
# token on trust for a minute (api_int.h, API_TOKEN_RECHECK_MS), then
# reads it again and finds it gone. hank's session is opened and hank
# deleted first; the rest of the test runs during that minute, and the
# session is looked at last (the test used to sleep the minute through).
[ "$(echo hank-pass-123 | rc_of user add hank --role agent --password-stdin --data "$DATA_DIR")" = 0 ] ||
	fail "add hank: $(cat "$TEST_DIR/user.err")"
HANK=$(login hank hank-pass-123)
[ "$(rc_of user del hank --data "$DATA_DIR")" = 0 ] || fail "del hank: $(cat "$TEST_DIR/user.err")"
hank_gone_ms=$(( ${EPOCHREALTIME/./} / 1000 ))
[ "$(echo erin-pass-123 | rc_of user add erin --role supervisor --password-stdin --data "$DATA_DIR")" = 0 ] ||
	fail "add while running: $(cat "$TEST_DIR/user.err")"
ERIN=$(login erin erin-pass-123)
http GET /api/v1/auth/me "" "$ERIN" >/dev/null
[ "$(jbody 'j["role"]')" = supervisor ] || fail "erin: $HTTP_BODY"
[ "$(jbody 'j["scope"]')" = departments ] || fail "erin's default scope: $HTTP_BODY"
ok "a user added beside the running server signs in at once"

# --scope and --mask-numbers: checked before anything is written
[ "$(echo gina-pass-123 | rc_of user add gina --role qa --password-stdin \
	--scope mine --data "$DATA_DIR")" = 2 ] || fail "bad --scope: want 2"
grep -q -- "--scope" "$TEST_DIR/user.err" || fail "bad scope reason: $(cat "$TEST_DIR/user.err")"
[ "$(echo gina-pass-123 | rc_of user add gina --role qa --password-stdin \
	--mask-numbers maybe --data "$DATA_DIR")" = 2 ] || fail "bad --mask-numbers: want 2"
[ "$(echo gina-pass-123 | rc_of user add gina --role qa --password-stdin \
	--scope own --mask-numbers yes --data "$DATA_DIR")" = 0 ] || fail "gina: $(cat "$TEST_DIR/user.err")"
http GET /api/v1/auth/me "" "$(login gina gina-pass-123)" >/dev/null
[ "$(jbody 'j["scope"]')" = own ] && [ "$(jbody 'j["mask_numbers"]')" = True ] ||
	fail "gina: $HTTP_BODY"
user list --data "$DATA_DIR" >"$TEST_DIR/list"
grep -q '^gina  *qa  *-  *-  *own  *yes  *-$' "$TEST_DIR/list" || fail "gina's row: $(cat "$TEST_DIR/list")"
[ "$(rc_of user del gina --data "$DATA_DIR")" = 0 ] || fail "del gina"
ok "user add --scope own --mask-numbers yes; bad values refused with 2"

[ "$(echo erin-new-pass-1 | rc_of user passwd erin --password-stdin --data "$DATA_DIR")" = 0 ] ||
	fail "passwd: $(cat "$TEST_DIR/user.err")"
http POST /api/v1/auth/login '{"username":"erin","password":"erin-pass-123"}' >/dev/null
expect_status 401 "the old password"
login erin erin-new-pass-1 >/dev/null
[ "$(echo x | rc_of user passwd nobody --password-stdin --data "$DATA_DIR")" = 1 ] ||
	fail "passwd of nobody: want 1"
ok "passwd: the new password signs in, the old one no more"

ERIN=$(login erin erin-new-pass-1)
[ "$(rc_of user del erin --data "$DATA_DIR")" = 0 ] || fail "del: $(cat "$TEST_DIR/user.err")"
http POST /api/v1/auth/login '{"username":"erin","password":"erin-new-pass-1"}' >/dev/null
expect_status 401 "a deleted user"
http GET /api/v1/users "" "$CAROL" >/dev/null
[ "$(jbody '[u["username"] for u in j["items"]]')" = "['carol']" ] || fail "users: $HTTP_BODY"
ok "del: the user is gone for the running server too"

# --db names the database the same way
[ "$(echo frank-pass-12 | rc_of user add frank --role qa --password-stdin \
	--db "sqlite:$DATA_DIR/hotline.db")" = 0 ] || fail "--db: $(cat "$TEST_DIR/user.err")"
login frank frank-pass-12 >/dev/null
ok "--db URL works as --data DIR"

# hank's session (deleted at the start): refused within 61 s of the del.
while http GET /api/v1/auth/me "" "$HANK" >/dev/null; [ "$HTTP_STATUS" != 401 ] &&
	[ $(( ${EPOCHREALTIME/./} / 1000 - hank_gone_ms )) -lt 61000 ]; do
	sleep 0.5
done
expect_status 401 "a session of a user deleted by the CLI, a minute later"
ok "a running server ends the sessions of a user deleted by the CLI within a minute"
stop_server
