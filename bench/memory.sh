#!/usr/bin/env bash
# bench/memory.sh BUILD [CALLS] [SETTLE]: issue 18's memory figure. Starts
# a demo server pinned to the first core (bench/server.sh), reads its RSS
# idle, puts CALLS (10,000) bridged calls with audio on it from bench/calls
# pinned to the second core (BENCH_MEMORY_ARGS replaces the default
# "--concurrent 400 --rate 100 --hold 3"), and prints RSS idle before, at
# its peak (VmHWM) and every 10 s for SETTLE (60) seconds after the last
# call ended, then after/idle (issue 18: within 20 %, a ratio ≤ 1.20).
# BENCH_RECORD=false runs it with recording off; HOTLINE names another
# server binary. Extra arguments after SETTLE go to `hotline serve`.
set -euo pipefail
BUILD=$(cd "${1:?usage: bench/memory.sh BUILD_DIR [CALLS] [SETTLE] [serve flags…]}" && pwd)
CALLS_N=${2:-10000}
SETTLE=${3:-60}
shift $(( $# < 3 ? $# : 3 ))
cd "$(dirname "$0")/.."
export HOTLINE=${HOTLINE:-$BUILD/hotline}
source tests/lib.sh           # free_port, fail; TEST_DIR removed on exit
source bench/server.sh      # bench_server, CALLS, SERVER_CORE, GEN_CORE
bench_server --record "${BENCH_RECORD:-true}" "$@"

# status FIELD: a kB field of /proc/PID/status (VmRSS, VmHWM).
status() { awk -v f="$1:" '$1 == f {print $2}' "/proc/$SERVER_PID/status"; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f MiB", k / 1024}'; }

sleep 2
IDLE=$(status VmRSS)
echo "rss idle before: $(mib "$IDLE")"
START=$(date +%s)
# shellcheck disable=SC2086
taskset -c "$GEN_CORE" "$CALLS" --target "127.0.0.1:$SIP_PORT" \
	--agents 10 --agent-base 1001 --agent-password-prefix secret \
	--dial 1001-1010 --calls "$CALLS_N" \
	${BENCH_MEMORY_ARGS:---concurrent 400 --rate 100 --hold 3} \
	--duration 3000 --target-pid "$SERVER_PID" >"$TEST_DIR/calls.out" 2>"$TEST_DIR/calls.err"
grep -E '^(calls|target|rtp)' "$TEST_DIR/calls.out" || true
echo "load: $(( $(date +%s) - START )) s; rss at the end $(mib "$(status VmRSS)"), peak (VmHWM) $(mib "$(status VmHWM)")"
AFTER=$(status VmRSS)
for t in $(seq 10 10 "$SETTLE"); do
	sleep 10
	AFTER=$(status VmRSS)
	echo "  +${t} s: rss $(mib "$AFTER")"
done
awk -v i="$IDLE" -v a="$AFTER" -v p="$(status VmHWM)" -v s="$SETTLE" 'BEGIN {
	printf "rss idle %.1f MiB, peak %.1f MiB, %d s after %.1f MiB: after/idle %.2f (issue 18: <= 1.20)\n",
	       i / 1024, p / 1024, s, a / 1024, a / i }'
