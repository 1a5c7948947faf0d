# Browser-test helpers (sourced after tests/lib.sh and tests/sip/lib_sip.bash).
# Not *.sh: tests/run.sh runs every tests/web/*.sh as a test.
#
# A browser test is a bash script (the server, the phones and the calls,
# with the same helpers as the SIP tests) and a node script (the person at
# the console: playwright-core driving Debian's headless Chromium). They
# meet through a step file: the node side appends a line when it has
# reached a point ("step: NAME"), the bash side waits for it with
# web_wait, and answers with web_say when the node side must wait for the
# telephony (web_step in common.mjs waits for a "go: NAME" line).

WEB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Screenshots stay after the test, beside its log, to be looked at.
SHOTS="$PWD/${BUILD:-build/rel}/test-logs/web"

# web_start SCRIPT [args…]: runs tests/web/SCRIPT with node in the
# background against BASE_URL.
web_start() {
	local script=$1; shift
	command -v node >/dev/null || fail "node is missing (scripts/deps.sh)"
	[ -x /usr/bin/chromium ] || fail "chromium is missing (scripts/deps.sh --test)"
	mkdir -p "$SHOTS"
	: >"$TEST_DIR/steps"
	BASE_URL="$BASE_URL" STEPS="$TEST_DIR/steps" SHOTS="$SHOTS" \
		node "$WEB_DIR/$script" "$@" >"$TEST_DIR/web.out" 2>&1 &
	WEB_PID=$!
}

# web_wait NAME [SECONDS]: waits until the browser side reached step NAME
# (SECONDS times WEB_PATIENCE, as the browser side's own waits: see
# common.mjs); fails the test, with what the browser printed, if it ended or
# failed.
web_wait() {
	local n=$1 max=$(( ${2:-60} * 10 * ${WEB_PATIENCE:-3} ))
	for _ in $(seq 1 "$max"); do
		grep -qx "step: $n" "$TEST_DIR/steps" && return 0
		if ! kill -0 "$WEB_PID" 2>/dev/null; then
			cat "$TEST_DIR/web.out" >&2
			fail "the browser side ended before step $n"
		fi
		sleep 0.1
	done
	cat "$TEST_DIR/web.out" >&2
	fail "the browser side did not reach step $n"
}

# web_say NAME: lets the browser side go on past its wait for NAME.
web_say() { echo "go: $1" >>"$TEST_DIR/steps"; }

# web_end: waits for the browser side to finish; fails with its output
# unless it ended well.
web_end() {
	wait "$WEB_PID" || { cat "$TEST_DIR/web.out" >&2; fail "browser side failed"; }
	grep '^ok: ' "$TEST_DIR/web.out" || true
}
