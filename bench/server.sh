# bench/server.sh, sourced by the issue 18 benchmarks (sustained.sh,
# memory.sh) after tests/lib.sh: bench_server [serve flags…] starts
# `hotline serve --demo` pinned to BENCH_SERVER_CORE (0) on free loopback
# ports and RTP 30000-39999, waits for its ready line, and sets SERVER_PID
# and SIP_PORT. GEN_CORE (BENCH_GEN_CORE, 1) is where the load goes, and
# CALLS the generator of BUILD.
CALLS="$BUILD/bench/calls"
[ -x "$CALLS" ] || fail "$CALLS not built (make test-build)"
SERVER_CORE=${BENCH_SERVER_CORE:-0}
GEN_CORE=${BENCH_GEN_CORE:-1}

bench_server() {
	SIP_PORT=$(free_port); HTTP_PORT=$(free_port)
	taskset -c "$SERVER_CORE" "$HOTLINE" serve --demo --data "$TEST_DIR/data" \
		--sip "127.0.0.1:$SIP_PORT" --http "127.0.0.1:$HTTP_PORT" \
		--rtp-ports 30000-39999 --log-level warn "$@" \
		>"$TEST_DIR/server.out" 2>"$TEST_DIR/server.err" &
	SERVER_PID=$!
	for _ in $(seq 1 200); do
		grep -q '^hotline ready ' "$TEST_DIR/server.out" 2>/dev/null && return 0
		kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TEST_DIR/server.err" >&2; fail "server died at start"; }
		sleep 0.05
	done
	fail "server not ready in 10 s"
}
