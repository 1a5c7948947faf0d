#!/usr/bin/env bash
# Runs every test against one build: tests/run.sh build/rel (or build/asan).
# Unit tests first (cmocka binaries), then the integration scripts, each of
# which starts its own server on free loopback ports.
set -uo pipefail
cd "$(dirname "$0")/.."
export BUILD=${1:?usage: tests/run.sh BUILD_DIR}
export HOTLINE="$PWD/$BUILD/hotline"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

pass=0 fail=0 failed=()
run() {
	local name=$1; shift
	local log="$BUILD/test-logs/${name//\//_}.log"
	mkdir -p "$BUILD/test-logs"
	local t0=$SECONDS
	if timeout 300 "$@" >"$log" 2>&1; then
		pass=$((pass + 1)); printf 'PASS %-40s %3ds\n' "$name" $((SECONDS - t0))
	else
		fail=$((fail + 1)); failed+=("$name")
		printf 'FAIL %-40s (log: %s)\n' "$name" "$log"
		tail -n 30 "$log" | sed 's/^/    /'
	fi
}

for t in $(find "$BUILD/tests/unit" -type f -name 'test_*' -perm -u+x 2>/dev/null | sort); do
	run "unit/${t#"$BUILD"/tests/unit/}" "$t"
done
for t in tests/api/*.sh tests/sip/*.sh; do
	[ -f "$t" ] && run "${t#tests/}" bash "$t"
done

echo "$BUILD: $pass passed, $fail failed"
[ "$fail" -eq 0 ] || { printf '  failed: %s\n' "${failed[@]}"; exit 1; }
