#!/usr/bin/env bash
# Runs every test against one build: tests/run.sh build/rel (or build/asan).
# Every test is an independent program (a cmocka binary, or a script that
# starts its own server on free loopback ports with its own data directory),
# so they run TEST_JOBS at a time (default: cores + 1, since the SIP tests
# spend much of their time waiting on the network, not the CPU). The
# slowest are started first so that the fast ones fill the gaps; results
# are printed as tests finish, and the summary lists every failure.
set -uo pipefail
cd "$(dirname "$0")/.."
export BUILD=${1:?usage: tests/run.sh BUILD_DIR}
export HOTLINE="$PWD/$BUILD/hotline"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
JOBS=${TEST_JOBS:-$(($(nproc) + 1))}
LOGS="$BUILD/test-logs"
rm -rf "$LOGS" && mkdir -p "$LOGS"

# One line per test: its name, then the command. Integration scripts come
# first (they are the long ones), then the unit binaries.
tests=()
for t in tests/sip/*.sh tests/api/*.sh tests/web/*.sh; do
	[ -f "$t" ] && tests+=("${t#tests/}|bash $t")
done
# The console's pure modules, in node (no browser).
for t in tests/web/*.test.mjs; do
	[ -f "$t" ] && tests+=("${t#tests/}|node --test $t")
done
for t in $(find "$BUILD/tests/unit" -type f -name 'test_*' -perm -u+x 2>/dev/null | sort); do
	tests+=("unit/${t#"$BUILD"/tests/unit/}|$t")
done

# run NAME CMD: one test, its output in its log, its verdict in NAME.rc.
run() {
	local name=$1 cmd=$2 log="$LOGS/${1//\//_}"
	local t0=$SECONDS rc=0
	timeout 300 $cmd >"$log.log" 2>&1 || rc=$?
	echo "$rc $((SECONDS - t0))" >"$log.rc"
	if [ "$rc" -eq 0 ]; then
		printf 'PASS %-40s %3ds\n' "$name" $((SECONDS - t0))
	else
		printf 'FAIL %-40s (log: %s.log)\n' "$name" "$log"
		# The verdict first: a failing script's FAIL line sits above the
		# server log it prints, which the tail alone would show instead.
		grep -m 3 '^FAIL: ' "$log.log" | sed 's/^/    /'
		tail -n 30 "$log.log" | sed 's/^/    /'
	fi
}

t0=$SECONDS
running=0
for row in "${tests[@]}"; do
	if [ "$running" -ge "$JOBS" ]; then
		wait -n
		running=$((running - 1))
	fi
	run "${row%%|*}" "${row#*|}" &
	running=$((running + 1))
done
wait

pass=0 fail=0 failed=()
for row in "${tests[@]}"; do
	name=${row%%|*}
	read -r rc _ <"$LOGS/${name//\//_}.rc" 2>/dev/null || rc=1
	if [ "$rc" -eq 0 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1)); failed+=("$name")
	fi
done
echo "$BUILD: $pass passed, $fail failed in $((SECONDS - t0)) s ($JOBS at a time)"
[ "$fail" -eq 0 ] || { printf '  failed: %s\n' "${failed[@]}"; exit 1; }
