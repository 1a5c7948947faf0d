#!/usr/bin/env bash
# Runs every test against one build or more: tests/run.sh build/rel
# build/asan. Every test is an independent program (a cmocka binary, or a
# script that starts its own server on free loopback ports with its own data
# directory), so they run TEST_JOBS at a time (default: three per core: the
# SIP tests spend most of their time waiting on timers and the network --
# a test takes as long under ASan as without it -- and at one per core
# plus one, the CPU sat half idle).
# The builds share one pool, so the second build's long tests start while
# the first's short ones finish instead of after the last of them. The
# integration scripts (the long ones) start first so that the fast ones fill
# the gaps, the browser tests spread among them (below); results are
# printed as tests finish, and the summary lists every failure per build.
set -uo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: tests/run.sh BUILD_DIR..." >&2; exit 2; }
builds=("$@")
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
JOBS=${TEST_JOBS:-$(($(nproc) * 3))}
for b in "${builds[@]}"; do
	rm -rf "$b/test-logs" && mkdir -p "$b/test-logs"
done

# One line per test and build: the build, the test's name, the command.
# The browser tests are spread through the SIP and API scripts, one every
# few, instead of run together: a browser takes most of a core while the
# scripts mostly wait on timers, so six browsers at once (at the end, or
# at the start) starved each other and the servers they drive (load 30,
# sign-ins and pages timing out), while spread out about two run at a
# time. The longest (Firefox) goes first so the run does not end on it.
scripts=() browsers=()
for t in tests/sip/*.sh tests/api/*.sh; do
	for b in "${builds[@]}"; do
		[ -f "$t" ] && scripts+=("$b|${t#tests/}|bash $t")
	done
done
for t in tests/web/firefox.sh tests/web/*.sh; do
	[ "$t" = tests/web/firefox.sh ] && [ ${#browsers[@]} -gt 0 ] && continue
	for b in "${builds[@]}"; do
		[ -f "$t" ] && browsers+=("$b|${t#tests/}|bash $t")
	done
done
# Tests that time real audio against the clock (a party speaking at
# scripted instants, the recording measured to 0.4 s) say so with a line
# "# run.sh: quiet": they run first, together, before the load starts —
# under a full run's load a stalled sender shifts its own talk.
quiet=()
for i in "${!scripts[@]}"; do
	IFS='|' read -r _ name _ <<<"${scripts[i]}"
	if grep -q '^# run.sh: quiet' "tests/$name"; then
		quiet+=("${scripts[i]}"); unset 'scripts[i]'
	fi
done
scripts=("${scripts[@]}")
tests=()
every=$(( (${#scripts[@]} + ${#browsers[@]} - 1) / (${#browsers[@]} > 0 ? ${#browsers[@]} : 1) ))
wi=0
for i in "${!scripts[@]}"; do
	if [ $((i % every)) -eq 0 ] && [ "$wi" -lt ${#browsers[@]} ]; then
		tests+=("${browsers[wi]}"); wi=$((wi + 1))
	fi
	tests+=("${scripts[i]}")
done
tests+=("${browsers[@]:wi}")
# The console's pure modules, in node (no browser).
for t in tests/web/*.test.mjs; do
	for b in "${builds[@]}"; do
		[ -f "$t" ] && tests+=("$b|${t#tests/}|node --test $t")
	done
done
for b in "${builds[@]}"; do
	for t in $(find "$b/tests/unit" -type f -name 'test_*' -perm -u+x 2>/dev/null | sort); do
		tests+=("$b|unit/${t#"$b"/tests/unit/}|$t")
	done
done

# cpu_s FILE: the CPU seconds (user and system) in FILE, what `times` said
# of a shell's children. times runs in run's shell itself (a subshell's
# children are not ours), and run is a shell of its own (started with &),
# so they are its test's: which tests load a machine, where CI's is slower
# than this one. Only processes that were waited for count (one that
# detached itself would not): in a full run here they add up to about four
# fifths of the CPU the run used, the builds most of the rest.
cpu_s() {
	awk 'NR == 2 { for (i = 1; i <= NF; i++) { split($i, t, /[ms]/)
	               s += t[1] * 60 + t[2] }
	               printf "%.1f\n", s }' "$1"
}

# run BUILD NAME CMD: one test, its output in its log, its verdict in
# NAME.rc under the build's test-logs. A test still running after 10
# minutes has hung: the longest (web/firefox.sh) takes about 100 s here
# under a full run's load, and CI's machines have run 2.5 times slower.
run() {
	local log="$1/test-logs/${2//\//_}"
	local t0=$SECONDS rc=0
	export BUILD=$1 HOTLINE="$PWD/$1/hotline"
	timeout 600 $3 >"$log.log" 2>&1 || rc=$?
	echo "$rc $((SECONDS - t0))" >"$log.rc"
	times >"$log.times"
	if [ "$rc" -eq 0 ]; then
		printf 'PASS %-10s %-40s %3ds %6.1fs CPU\n' "${1#build/}" "$2" \
			$((SECONDS - t0)) "$(cpu_s "$log.times")"
	else
		printf 'FAIL %-10s %-40s (log: %s.log)\n' "${1#build/}" "$2" "$log"
		# The verdict first: a failing script's FAIL line sits above the
		# server log it prints, which the tail alone would show instead;
		# so does a browser side's error (node's "Error: …", playwright's
		# "page.click: …"), which says which wait ran out.
		grep -m 5 -E '^(FAIL: |Error: |[a-z]+\.[a-zA-Z]+: )' "$log.log" |
			sed 's/^/    /'
		tail -n 30 "$log.log" | sed 's/^/    /'
	fi
}

t0=$SECONDS
for row in "${quiet[@]}"; do
	IFS='|' read -r b name cmd <<<"$row"
	run "$b" "$name" "$cmd" &
done
wait
running=0
for row in "${tests[@]}"; do
	if [ "$running" -ge "$JOBS" ]; then
		wait -n
		running=$((running - 1))
	fi
	IFS='|' read -r b name cmd <<<"$row"
	run "$b" "$name" "$cmd" &
	running=$((running + 1))
done
wait

status=0
for b in "${builds[@]}"; do
	pass=0 fail=0 failed=()
	for row in "${quiet[@]}" "${tests[@]}"; do
		IFS='|' read -r rb name _ <<<"$row"
		[ "$rb" = "$b" ] || continue
		read -r rc _ <"$b/test-logs/${name//\//_}.rc" 2>/dev/null || rc=1
		if [ "$rc" -eq 0 ]; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1)); failed+=("$name")
		fi
	done
	echo "$b: $pass passed, $fail failed in $((SECONDS - t0)) s ($JOBS at a time, builds together)"
	[ "$fail" -eq 0 ] || { printf '  failed: %s\n' "${failed[@]}"; status=1; }
done
exit $status
