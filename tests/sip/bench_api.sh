#!/usr/bin/env bash
# bench/api.sh at a tiny scale (2,000 calls, 50 WebSocket clients, one
# second per load run): it must complete, every request must be answered
# 200, every client must get every call.answered, and the figures must be
# well-formed numbers. No wall-clock assertion: the machine is shared.
# Also: bench/api and bench/api_ws refuse bad flags with status 2, and
# bench/api counts a non-200 answer as an error.
set -euo pipefail
: "${BUILD:?run through tests/run.sh}" "${HOTLINE:?}"
source "$(dirname "$0")/../lib.sh"
for t in api api_ws; do
	rc=0; "$BUILD/bench/$t" --target nowhere --token x 2>/dev/null || rc=$?
	[ "$rc" -eq 2 ] || fail "bench/$t with a bad --target exited $rc, not 2"
done
rc=0; "$BUILD/bench/api" --target 127.0.0.1:1 --token x 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || fail "bench/api without --path exited $rc, not 2"

rc=0
out=$(BENCH_API_CALLS=2000 BENCH_API_WS=50 BENCH_API_EVENTS=2 BENCH_API_SECONDS=1 \
	BENCH_API_CONNS=4 BENCH_API_OUT="$TEST_DIR/out" \
	timeout 240 bench/api.sh "$BUILD" 2>"$TEST_DIR/bench.err") || rc=$?
[ "$rc" -eq 0 ] || { echo "$out"; cat "$TEST_DIR/bench.err" >&2; fail "bench/api.sh exited $rc"; }
echo "$out"
grep -q '^seeded 2000 calls in [0-9]* ms$' "$TEST_DIR/bench.err" || fail "no 'seeded 2000 calls' line"
grep -q '^== bench/api: 2000 calls in the database' <<<"$out" || fail "no header"
# The generators' own stderr: under ASan/UBSan a finding lands there.
! grep -l 'Sanitizer\|runtime error' "$TEST_DIR"/out/*.err || fail "a sanitizer finding in a generator"

python3 - "$TEST_DIR/out" <<'PY'
import json, math, os, sys
out = sys.argv[1]
def load(name):
    return json.load(open(os.path.join(out, name + ".json")))
def num(r, k, lo=0.0):
    v = r[k]
    assert isinstance(v, (int, float)) and math.isfinite(v) and v >= lo, f"{k}={v!r}"
    return v
for name in ("queues", "calls", "calls-filtered"):
    r = load(name)
    assert num(r, "requests", 1) >= 1, name
    assert r["errors"] == 0 and r["reconnects"] == 0, f"{name}: {r}"
    for k in ("rps", "p50_ms", "p99_ms", "max_ms", "server_cpu_s",
              "server_cpu_ms_per_request", "generator_cpu_pct"):
        num(r, k)
    assert num(r, "rps") > 0 and r["p50_ms"] <= r["p99_ms"] <= r["max_ms"], f"{name}: {r}"
    # a page of calls is far larger than the queue view: proves the body was read
    assert num(r, "bytes_per_response", 100) > 0, name
assert load("calls")["bytes_per_response"] > 10 * 400, load("calls")
assert load("calls-filtered")["paths"] == 12, load("calls-filtered")
e = load("events")
assert e["clients"] == 50 and e["connected"] == 50, e
assert e["events"] == 2 and e["events_complete"] == 2, e
for k in ("last_client_ms_max", "last_client_ms_p99", "delivery_ms_p50",
          "delivery_ms_p99", "spread_ms_max", "connect_s"):
    num(e, k, -1.5)    # ts has whole milliseconds: an arrival may read as -1 ms
assert e["delivery_ms_p50"] <= e["delivery_ms_p99"] <= e["last_client_ms_max"] + 1e-9, e
print("ok: figures well-formed")
PY
python3 - "$out" <<'PY' || fail "the printed table is not well-formed"
import re, sys
text = sys.argv[1]
met = r"(NOT )?met"
for label in ("GET /queues", "GET /calls?limit=50", "GET /calls?limit=50&from&to"):
    row = (re.escape(label) + r" +\d+ +[\d.]+ +[\d.]+ +[\d.]+ +0 +[\d.]+ +\d+  >= \d+ req/s: "
           rf"measured {met}, by CPU {met}; p99 < 10 ms {met}$")
    assert re.search("^" + row, text, re.M), f"no well-formed line for {label}"
assert re.search(r"^call\.answered to 50/50 WebSocket clients over 2 calls \(2 reached all\): "
                 r"last client max -?[\d.]+ ms, p99 -?[\d.]+ ms;.*< 50 ms: (NOT )?met$", text, re.M), \
    "no well-formed WebSocket line"
print("ok: table well-formed")
PY

# A refused request is an error, not a figure: a bad token gets 401.
start_server
rc=0; "$BUILD/bench/api" --json --target "127.0.0.1:$HTTP_PORT" --token forged \
	--path /api/v1/queues --duration 0.5 --warmup 0 >"$TEST_DIR/bad.json" 2>/dev/null || rc=$?
[ "$rc" -eq 1 ] || fail "bench/api with only 401s exited $rc, not 1"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["requests"]==0 and r["errors"]>0, r' \
	"$TEST_DIR/bad.json" || fail "401s not counted as errors"
stop_server
ok "bench/api.sh at a tiny scale"
