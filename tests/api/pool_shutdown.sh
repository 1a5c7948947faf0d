# The house pool at shutdown: SIGTERM while sign-ins (api's serial lane,
# Argon2id, tens of ms each) and list reads (api's wide lane) are queued
# and running. The server stops in order (exit 0 within 5 s: api's lanes
# are stopped, the modules' lanes after, the pool last; under ASan no leak
# and no use after free, which would change the exit status), and every
# reply a client got is a whole one: 200/401 from work that ran, or 503
# {"error"} for work cancelled before it started. ticket's time-limit
# check runs every 100 ms meanwhile, so its lane has work too.
. "$(dirname "$0")/../lib.sh"

CONF="$TEST_DIR/hotline.conf"
printf '[ticket]\ncheck_ms = 100\n' >"$CONF"
start_server --config "$CONF"
ADMIN=$(login admin admin123)

# A burst that outlasts the signal: 48 sign-ins take the password lane
# one at a time, 48 reads share the request lane.
mkdir -p "$TEST_DIR/r"
for i in $(seq 1 48); do
	curl -s -m 10 -o "$TEST_DIR/r/login$i.body" -w '%{http_code}' \
		-H 'Content-Type: application/json' \
		--data-binary '{"username":"admin","password":"wrong-password"}' \
		"$BASE_URL/api/v1/auth/login" >"$TEST_DIR/r/login$i.code" &
	for p in calls users customers tasks; do
		[ $((i % 4)) = 0 ] || [ $p = calls ] || continue
		curl -s -m 10 -o "$TEST_DIR/r/$p$i.body" -w '%{http_code}' \
			-H "Authorization: Bearer $ADMIN" \
			"$BASE_URL/api/v1/$p" >"$TEST_DIR/r/$p$i.code" &
	done
done
sleep 0.3
# Work must still be waiting when the signal comes, or this proves nothing.
pending=0
for f in "$TEST_DIR"/r/login*.code; do [ -s "$f" ] || pending=$((pending + 1)); done
[ "$pending" -gt 0 ] || fail "every sign-in was answered before the stop: the burst is too small"
stop_server
ok "SIGTERM with $pending sign-ins still waiting: exit 0 within 5 s"
wait

answered=0 cancelled=0 cut=0
for f in "$TEST_DIR"/r/*.code; do
	code=$(cat "$f"); body="${f%.code}.body"
	case "$code" in
	200|401) answered=$((answered + 1)) ;;
	503)	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["error"]' "$body" ||
			fail "$(basename "$f"): 503 without an error body: $(cat "$body")"
		cancelled=$((cancelled + 1)) ;;
	000)	cut=$((cut + 1)) ;;   # the connection closed with no reply
	*)	fail "$(basename "$f"): HTTP $code $(cat "$body" 2>/dev/null)" ;;
	esac
done
[ "$answered" -gt 0 ] || fail "no request was answered before the stop"
ok "replies: $answered answered, $cancelled 503 (cancelled), $cut closed unanswered"

if grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error' "$TEST_DIR/server.err"; then
	cat "$TEST_DIR/server.err" >&2
	fail "sanitizer report at shutdown"
fi
ok "no sanitizer report at shutdown"
