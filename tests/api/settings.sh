# Settings are held to their field descriptors everywhere: a server setting
# that is not one of its words stops the start with one line and exit 2
# (nothing created); the API refuses a skill or position past 32 bits
# naming the field and its range, and stores nothing; a queue's
# configuration survives a restart through the table-built store.
. "$(dirname "$0")/../lib.sh"

# --- server settings: every bool is strict, from a flag or the file
bad_start() {  # bad_start WHAT GREP ARGS...: exit 2, one line naming GREP
	local what=$1 want=$2 rc=0
	shift 2
	"$HOTLINE" serve --data "$TEST_DIR/never" --sip "127.0.0.1:$(free_port)" \
		--http "127.0.0.1:$(free_port)" "$@" >"$TEST_DIR/bad.out" \
		2>"$TEST_DIR/bad.err" || rc=$?
	[ "$rc" -eq 2 ] || fail "$what: want exit 2, got $rc"
	[ "$(wc -l <"$TEST_DIR/bad.err")" -eq 1 ] ||
		fail "$what: want one stderr line: $(cat "$TEST_DIR/bad.err")"
	grep -qF -- "$want" "$TEST_DIR/bad.err" ||
		fail "$what: reason: $(cat "$TEST_DIR/bad.err")"
	[ ! -e "$TEST_DIR/never" ] || fail "$what: data directory created"
	[ ! -s "$TEST_DIR/bad.out" ] || fail "$what: printed $(cat "$TEST_DIR/bad.out")"
}
bad_start "--record maybe" "bad --record 'maybe' (want true or false)" \
	--record maybe
bad_start "--demo=perhaps" "--demo 'perhaps'" --demo=perhaps
printf '[record]\nenabled = maybe\n' >"$TEST_DIR/rec.ini"
bad_start "record.enabled = maybe" "'maybe' (want true or false)" \
	--config "$TEST_DIR/rec.ini"
printf '[queue]\nphone_login = sometimes\n' >"$TEST_DIR/pl.ini"
bad_start "queue.phone_login = sometimes" \
	"bad queue.phone_login 'sometimes' (want true or false)" \
	--config "$TEST_DIR/pl.ini"
bad_start "media.threads past 32 bits" "bad media.threads '4294967297'" \
	--config <(printf '[media]\nthreads = 4294967297\n')
ok "a bool setting given another word, or a number out of range: exit 2, one line"

# Each module's rows, read once into its values (queue, report, ticket, qa,
# audio): a value out of its row's range or words stops the start the same way.
bad_ini() {  # bad_ini SECTION KEY VALUE WANT
	printf '[%s]\n%s = %s\n' "$1" "$2" "$3" >"$TEST_DIR/mod.ini"
	bad_start "$1.$2 = $3" "bad $1.$2 '$3' (want $4)" --config "$TEST_DIR/mod.ini"
}
bad_ini queue flush_ms 99 "an integer 100..3600000"
bad_ini report fcr_window_h 9999 "an integer 0..8760"
bad_ini report ring_period_ms 999 "an integer 1000..60000"
bad_ini ticket check_ms 0 "an integer 100..3600000"
bad_ini ticket attach_max_bytes 20971521 "an integer 1..20971520"
bad_ini ticket attach_max_files 0 "an integer 1..1000"
bad_ini qa appeal_days 366 "an integer 0..365"
bad_ini qa appeal_days -1 "an integer 0..365"
bad_ini audio language fr '"zh" or "en"'
ok "queue, report, ticket, qa and audio settings out of their rows: exit 2, one line naming the key"

# --- agents: skill and position are 32-bit integers
start_server
TOKEN=$(login admin admin123)
http GET /api/v1/agents/1001 "" "$TOKEN" >/dev/null
expect_status 200 "agent 1001"
BEFORE=$HTTP_BODY
for f in skill position; do
	for v in 2147483648 -2147483649; do
		http PUT /api/v1/agents/1001 "{\"queues\":[{\"queue\":\"sales\",\"$f\":$v}]}" \
			"$TOKEN" >/dev/null
		expect_status 400 "$f $v"
		[ "$(jbody 'j["error"]')" = "queues[0].$f: want an integer -2147483648..2147483647" ] ||
			fail "$f $v: reason: $HTTP_BODY"
	done
done
http GET /api/v1/agents/1001 "" "$TOKEN" >/dev/null
[ "$HTTP_BODY" = "$BEFORE" ] || fail "a refused change was stored: $HTTP_BODY (was $BEFORE)"
http PUT /api/v1/agents/1001 '{"queues":[{"queue":"sales","skill":2147483647,"position":-2147483648}]}' \
	"$TOKEN" >/dev/null
expect_status 200 "skill and position at their edges"
for _ in $(seq 1 50); do
	http GET /api/v1/agents/1001 "" "$TOKEN" >/dev/null
	[ "$(jbody '[(q["skill"], q["position"]) for q in j["queues"]]')" = "[(2147483647, -2147483648)]" ] && break
	sleep 0.1
done
[ "$(jbody '[(q["skill"], q["position"]) for q in j["queues"]]')" = "[(2147483647, -2147483648)]" ] ||
	fail "edges not stored as given: $HTTP_BODY"
ok "skill and position: 2147483648 refused naming the field and range, the edges kept"

# --- queues: refusals name the field; the stored row comes back after a restart
http PUT /api/v1/queues/sales '{"ring_timeout_ms":999}' "$TOKEN" >/dev/null
expect_status 400 "ring timeout below 1 s"
[ "$(jbody 'j["error"]')" = "ring_timeout_ms: want an integer 1000..600000" ] ||
	fail "ring_timeout_ms reason: $HTTP_BODY"
http PUT /api/v1/queues/sales '{"max_len":4294967296}' "$TOKEN" >/dev/null
expect_status 400 "max_len past 32 bits"
http PUT /api/v1/queues/sales '{"announce_wait":"yes"}' "$TOKEN" >/dev/null
expect_status 400 "a bool as a string"
[ "$(jbody 'j["error"]')" = "announce_wait: want true or false" ] ||
	fail "announce_wait reason: $HTTP_BODY"
http PUT /api/v1/queues/sales '{"ring_timeout_ms":600000,"max_len":100000,"sticky_window_ms":7776000000,"join_empty":"no_available","overflow":"queue:support","weight":1000}' \
	"$TOKEN" >/dev/null
expect_status 200 "queue settings at their edges"
http GET /api/v1/queues/sales "" "$TOKEN" >/dev/null
SALES=$HTTP_BODY
stop_server
start_server
TOKEN=$(login admin admin123)
http GET /api/v1/queues/sales "" "$TOKEN" >/dev/null
[ "$HTTP_BODY" = "$SALES" ] || fail "after a restart: $HTTP_BODY, was $SALES"
[ "$(jbody '(j["sticky_window_ms"], j["overflow"], j["join_empty"])')" = "(7776000000, 'queue:support', 'no_available')" ] ||
	fail "stored values: $HTTP_BODY"
ok "queue settings: refusals name the field; every stored column comes back after a restart"
stop_server
# The store binds each column in its field's text form; INTEGER columns
# must still hold integers.
[ "$(sqlite3 "$DATA_DIR/hotline.db" "SELECT typeof(id), typeof(ring_timeout_ms),
	typeof(sticky_window_ms), typeof(strategy) FROM queues WHERE name = 'sales'")" = \
	"integer|integer|integer|text" ] || fail "column types of the stored queue"
ok "stored integers are integers"
