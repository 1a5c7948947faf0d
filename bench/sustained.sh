#!/usr/bin/env bash
# bench/sustained.sh BUILD [CALLS] [WINDOW]: issue 18's sustained set-up
# figure. Starts `hotline serve --demo` pinned to the first core, 10 agents
# and bench/calls --sustained pinned to the second, and prints CPU per
# set-up for every WINDOW (10,000) answered calls over CALLS (100,000), the
# last window against the first, and the SIP port's /proc/net/udp drops.
# HOTLINE may name another server binary (a build of main, to compare).
set -euo pipefail
BUILD=$(cd "${1:?usage: bench/sustained.sh BUILD_DIR [CALLS] [WINDOW]}" && pwd)
CALLS_N=${2:-100000}
WINDOW=${3:-10000}
cd "$(dirname "$0")/.."
export HOTLINE=${HOTLINE:-$BUILD/hotline}
source tests/lib.sh           # free_port, fail; TEST_DIR removed on exit
source bench/server.sh      # bench_server, CALLS, SERVER_CORE, GEN_CORE
bench_server

taskset -c "$GEN_CORE" "$CALLS" --target "127.0.0.1:$SIP_PORT" \
	--agents 10 --agent-base 1001 --agent-password-prefix secret \
	--dial 1001-1010 --sustained --calls "$CALLS_N" --window "$WINDOW" \
	--target-pid "$SERVER_PID" ${BENCH_SUSTAINED_ARGS:-}
