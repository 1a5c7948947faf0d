#!/usr/bin/env bash
# hotline sim: the simulator's command line (docs/contract.md, docs/simulator.md).
source "$(dirname "$0")/../lib.sh"
EX="$(cd "$(dirname "$0")/../.." && pwd)/examples"

# Every example runs and prints one JSON object with the contract's keys;
# every interval has its start and the same figures; counts add up.
for f in "$EX"/*.json; do
	name=$(basename "$f")
	"$HOTLINE" sim "$f" --json >"$TEST_DIR/out.json" 2>"$TEST_DIR/err" \
		|| fail "$name: exit $? ($(cat "$TEST_DIR/err"))"
	[ "$(wc -l <"$TEST_DIR/out.json")" -eq 1 ] || fail "$name: --json prints one line"
	python3 - "$TEST_DIR/out.json" "$name" <<'PY' || fail "$name: $(head -c 600 "$TEST_DIR/out.json")"
import json, sys
j = json.load(open(sys.argv[1]))
name = sys.argv[2]
need = {"offered", "answered", "abandoned", "service_level", "asa_s",
        "abandon_rate", "occupancy"}
t = j["total"]
assert need <= set(t), (name, sorted(need - set(t)))
assert t["offered"] == t["answered"] + t["abandoned"] + t["overflowed"], t
assert t["offered"] > 0 and 0 <= t["service_level"] <= 1, t
assert 0 < t["occupancy"] < 1 and 0 <= t["abandon_rate"] < 1, t
assert t["asa_s"] >= 0, t
rows = j["intervals"]
assert rows and rows[0]["start_s"] == 0, rows[:1]
step = j["run"]["interval_s"]
for i, r in enumerate(rows):
    assert r["start_s"] == i * step, (i, r["start_s"])
    assert need <= set(r), (i, sorted(need - set(r)))
# A row's calls are the calls that entered in it: the rows add up.
for k in ("offered", "answered", "abandoned", "entered"):
    assert sum(r[k] for r in rows) == t[k], k
assert sum(q["offered"] for q in j["queues"].values()) == t["offered"]
assert j["run"]["arrivals"] >= t["offered"] - sum(
    q["overflowed"] for q in j["queues"].values())
PY
done
ok "every example: keys and sums"

# The contract's scenario (basic.json) is Erlang C for 10 erlangs on 14
# agents: 88.8% within 20 s. One simulated day: within 6 points.
"$HOTLINE" sim "$EX/basic.json" --json >"$TEST_DIR/b1.json"
json "abs(j['total']['service_level'] - 0.888) < 0.06 and j['total']['abandoned'] == 0 \
	and abs(j['total']['occupancy'] - 10/14) < 0.05 and len(j['intervals']) == 96" \
	<"$TEST_DIR/b1.json" | grep -qx True || fail "basic vs Erlang C: $(json "j['total']" <"$TEST_DIR/b1.json")"
ok "basic.json near Erlang C"

# Deterministic: the same seed prints the same bytes; another seed does not.
"$HOTLINE" sim "$EX/basic.json" --json | cmp -s - "$TEST_DIR/b1.json" || fail "default seed not repeatable"
"$HOTLINE" sim "$EX/basic.json" --seed 1 --json | cmp -s - "$TEST_DIR/b1.json" || fail "default seed is not 1"
"$HOTLINE" sim "$EX/basic.json" --json --seed=2 >"$TEST_DIR/b2.json"
cmp -s "$TEST_DIR/b1.json" "$TEST_DIR/b2.json" && fail "--seed 2 printed the same run"
"$HOTLINE" sim --seed 2 "$EX/basic.json" --json | cmp -s - "$TEST_DIR/b2.json" || fail "--seed 2 not repeatable"
[ "$(json "j['run']['seed']" <"$TEST_DIR/b2.json")" = 2 ] || fail "run.seed"
ok "same seed, same output"

# Human output: a row per interval and a total line.
"$HOTLINE" sim "$EX/erlang-a.json" >"$TEST_DIR/h.txt"
grep -q '^00:15 ' "$TEST_DIR/h.txt" || fail "human rows: $(head -5 "$TEST_DIR/h.txt")"
grep -q '^total ' "$TEST_DIR/h.txt" || fail "human total"
"$HOTLINE" sim --help | grep -q -- '--seed' || fail "--help"
ok "human output and --help"

# A bad scenario or flag: one line on stderr naming the problem, exit 2,
# nothing on stdout.
bad() {
	local want=$1 rc=0; shift
	"$HOTLINE" sim "$@" >"$TEST_DIR/bad.out" 2>"$TEST_DIR/bad.err" || rc=$?
	[ "$rc" -eq 2 ] || fail "sim $* exited $rc, want 2"
	[ "$(wc -l <"$TEST_DIR/bad.err")" -eq 1 ] || fail "sim $*: stderr $(cat "$TEST_DIR/bad.err")"
	grep -qF -- "$want" "$TEST_DIR/bad.err" || fail "sim $*: '$(cat "$TEST_DIR/bad.err")' lacks '$want'"
	[ ! -s "$TEST_DIR/bad.out" ] || fail "sim $*: printed $(cat "$TEST_DIR/bad.out")"
}
sed 's/"strategy"/"stratgy"/' "$EX/basic.json" >"$TEST_DIR/typo.json"
bad 'unknown key "queues[0].stratgy"' "$TEST_DIR/typo.json" --json
sed 's/"sl_seconds": 20/"sl_seconds": "twenty"/' "$EX/basic.json" >"$TEST_DIR/type.json"
bad 'queues[0].sl_seconds: want a number' "$TEST_DIR/type.json"
sed 's/"count": 14/"count": 0/' "$EX/basic.json" >"$TEST_DIR/range.json"
bad 'agents[0].count' "$TEST_DIR/range.json"
echo '{"duration_s": 60,' >"$TEST_DIR/broken.json"
bad 'not valid JSON' "$TEST_DIR/broken.json"
bad 'cannot read' "$TEST_DIR/missing.json"
bad 'a scenario file is required' --json
bad "unknown flag '--fast'" "$EX/basic.json" --fast
bad "bad --seed 'x'" "$EX/basic.json" --seed x
bad "unexpected argument" "$EX/basic.json" "$EX/basic.json"
ok "bad scenarios and flags exit 2 with one line"
