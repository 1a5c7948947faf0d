#!/usr/bin/env bash
# hotline erlang: the staffing calculator's command line (docs/contract.md).
source "$(dirname "$0")/../lib.sh"

# keys FILE: the JSON object's keys, sorted, comma-separated.
keys() { json "','.join(sorted(j))" <"$1"; }

# 100 calls per half hour at 180 s (10 erlangs): 80% within 20 s needs 14.
"$HOTLINE" erlang --calls 100 --interval 1800 --aht 180 --json >"$TEST_DIR/c.json"
[ "$(wc -l <"$TEST_DIR/c.json")" -eq 1 ] || fail "--json prints one line"
[ "$(keys "$TEST_DIR/c.json")" = "agents,asa_s,occupancy,p_wait,service_level" ] \
	|| fail "Erlang C keys: $(cat "$TEST_DIR/c.json")"
[ "$(json "j['agents']" <"$TEST_DIR/c.json")" = 14 ] || fail "agents for 80/20"
json "abs(j['service_level'] - 0.88835) < 1e-4 and abs(j['p_wait'] - 0.17413) < 1e-4 \
	and abs(j['asa_s'] - 7.8359) < 1e-3 and abs(j['occupancy'] - 10/14) < 1e-6" \
	<"$TEST_DIR/c.json" | grep -qx True || fail "Erlang C figures: $(cat "$TEST_DIR/c.json")"
ok "staffing for 80% in 20 s"

# Defaults are --sl 0.80 --sl-time 20; a stricter target needs more agents.
"$HOTLINE" erlang --calls 100 --interval 1800 --aht 180 --sl 0.80 --sl-time 20 --json \
	| cmp -s - "$TEST_DIR/c.json" || fail "defaults differ from --sl 0.80 --sl-time 20"
n=$("$HOTLINE" erlang --calls=100 --interval=1800 --aht=180 --sl=0.95 --sl-time=10 --json \
	| json "j['agents']")
[ "$n" -gt 14 ] || fail "95% in 10 s needs more than 14 agents, got $n"
ok "defaults and --flag=value"

# --agents evaluates instead: 13 agents answer 79.6% within 20 s.
"$HOTLINE" erlang --calls 100 --interval 1800 --aht 180 --agents 13 --json >"$TEST_DIR/e.json"
json "j['agents'] == 13 and abs(j['service_level'] - 0.795595) < 1e-5" \
	<"$TEST_DIR/e.json" | grep -qx True || fail "evaluate 13: $(cat "$TEST_DIR/e.json")"
ok "--agents evaluates a staffing"

# Too few agents for the load: reported, not an error.
"$HOTLINE" erlang --calls 100 --interval 1800 --aht 180 --agents 9 --json >"$TEST_DIR/u.json" \
	|| fail "an overloaded staffing is still an answer"
json "j['p_wait'] == 1 and j['service_level'] == 0 and j['asa_s'] is None" \
	<"$TEST_DIR/u.json" | grep -qx True || fail "overloaded: $(cat "$TEST_DIR/u.json")"
ok "overloaded staffing"

# --patience: Erlang A, with p_abandon; abandonment never needs more agents.
"$HOTLINE" erlang --calls 100 --interval 1800 --aht 180 --patience 120 --json >"$TEST_DIR/a.json"
[ "$(keys "$TEST_DIR/a.json")" = "agents,asa_s,occupancy,p_abandon,p_wait,service_level" ] \
	|| fail "Erlang A keys: $(cat "$TEST_DIR/a.json")"
json "0 < j['p_abandon'] < 0.2 and j['agents'] <= 14 and j['service_level'] >= 0.8" \
	<"$TEST_DIR/a.json" | grep -qx True || fail "Erlang A figures: $(cat "$TEST_DIR/a.json")"
ok "Erlang A with --patience"

# Human output names the staffing and the service level.
"$HOTLINE" erlang --calls 100 --interval 1800 --aht 180 >"$TEST_DIR/h.txt"
grep -q '^agents  *14' "$TEST_DIR/h.txt" || fail "human output: $(cat "$TEST_DIR/h.txt")"
grep -q '88.8% answered within 20 s' "$TEST_DIR/h.txt" || fail "human service level"
"$HOTLINE" erlang --help | grep -q -- '--patience' || fail "--help lists the flags"
ok "human output and --help"

# Bad flags: one line on stderr, exit 2, nothing on stdout.
bad() {
	local rc=0
	"$HOTLINE" erlang "$@" >"$TEST_DIR/bad.out" 2>"$TEST_DIR/bad.err" || rc=$?
	[ "$rc" -eq 2 ] || fail "erlang $* exited $rc, want 2"
	[ "$(wc -l <"$TEST_DIR/bad.err")" -eq 1 ] || fail "erlang $*: stderr $(cat "$TEST_DIR/bad.err")"
	[ ! -s "$TEST_DIR/bad.out" ] || fail "erlang $*: printed $(cat "$TEST_DIR/bad.out")"
}
bad --interval 1800 --aht 180
bad --calls 100 --interval 1800 --aht
bad --calls -5 --interval 1800 --aht 180
bad --calls abc --interval 1800 --aht 180
bad --calls 100 --interval 0 --aht 180
bad --calls 100 --interval 1800 --aht 180 --sl 80
bad --calls 100 --interval 1800 --aht 180 --sl 1
bad --calls 100 --interval 1800 --aht 180 --agents 0
bad --calls 100 --interval 1800 --aht 180 --agents 2.5
bad --calls 100 --interval 1800 --aht 180 --patience 0
bad --calls 100 --interval 1800 --aht 180 --sl-time -1
bad --calls 100 --interval 1800 --aht 180 --frobnicate 3
bad --calls 100 --interval 1800 --aht 180 stray
bad --calls 1e9 --interval 1 --aht 180
ok "bad flags exit 2 with one line"
