#!/usr/bin/env bash
# bench/media_ramp.sh BUILD [RAMP] [STEP_S]: issue 18's bridged-call figure.
# Starts `hotline serve --demo` with one media thread and recording off,
# pinned to the first core, and bench/calls (10 agents, its callers dialling
# them through the server, so every call is a bridged G.711 pair) pinned to
# the second, and ramps the number of calls held (RAMP, default
# 1000,1500,2000,2500; STEP_S seconds measured per step, default 10). Each
# step prints delivered and sequence loss, the server's CPU ms per
# call-second and the generator's. Bounded: the ramp stops at the first
# step over 0.5 % delivered loss, and bench/calls at --duration.
# HOTLINE may name another server binary (a build of main, to compare);
# BENCH_RAMP_ARGS adds bench/calls flags (--json, --media-threads N).
set -euo pipefail
BUILD=$(cd "${1:?usage: bench/media_ramp.sh BUILD_DIR [RAMP] [STEP_S]}" && pwd)
RAMP=${2:-1000,1500,2000,2500}
STEP_S=${3:-10}
cd "$(dirname "$0")/.."
export HOTLINE=${HOTLINE:-$BUILD/hotline}
source tests/lib.sh           # start_server, stop_server; TEST_DIR removed on exit
CALLS="$BUILD/bench/calls"
[ -x "$CALLS" ] || fail "$CALLS not built (make test-build)"
SERVER_CORE=${BENCH_SERVER_CORE:-0}
GEN_CORE=${BENCH_GEN_CORE:-1}

printf '[media]\nthreads = 1\n' >"$TEST_DIR/media.ini"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
# Ports 10000-29999 (10,000 legs): below the tests' blocks (30000 and up)
# and the generator's ephemeral ports; the later --rtp-ports wins.
start_server --config "$TEST_DIR/media.ini" --record false \
	--rtp-ports 10000-29999 --log-level warn
taskset -a -p -c "$SERVER_CORE" "$SERVER_PID" >/dev/null

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
taskset -c "$GEN_CORE" "$CALLS" --target "127.0.0.1:$SIP_PORT" \
	--agents 10 --agent-base 1001 --agent-password-prefix secret \
	--dial 1001-1010 --ramp "$RAMP" --step-seconds "$STEP_S" --rate 100 \
	--duration 600 --target-pid "$SERVER_PID" ${BENCH_RAMP_ARGS:-} || true
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
stop_server
