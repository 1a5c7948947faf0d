#!/usr/bin/env bash
# bench/api.sh BUILD: the API figures of issue 14. Seeds a data directory
# with BENCH_API_CALLS call records (bench/api_seed.sql), starts the demo
# server on it pinned to one core (taskset), and from the other core puts
# bench/api on GET /api/v1/queues and GET /api/v1/calls?limit=50 (newest
# first, and filtered to a day or an afternoon), then times call.answered
# reaching BENCH_API_WS WebSocket consoles (bench/api_ws) while bench/calls
# places real SIP calls to an answering agent. Prints every figure next to
# its target. Not a pass/fail test; every step is bounded.
#
# Knobs (environment): BENCH_API_CALLS (1000000), BENCH_API_WS (500
# clients), BENCH_API_EVENTS (calls timed, 5), BENCH_API_SECONDS (per
# load run, 5), BENCH_API_CONNS (keep-alive connections, 8),
# BENCH_API_CORE (the server's core, 0; the generators get the next one),
# BENCH_API_OUT (a directory to keep the JSON results in).
set -euo pipefail
BUILD=$(cd "${1:?usage: bench/api.sh BUILD_DIR}" && pwd)
cd "$(dirname "$0")/.."
export HOTLINE=${HOTLINE:-$BUILD/hotline}
# shellcheck source=../tests/lib.sh
source tests/lib.sh           # free_port, fail; TEST_DIR removed on exit
for t in api api_ws calls; do
	[ -x "$BUILD/bench/$t" ] || fail "$BUILD/bench/$t not built (make test-build)"
done

N=${BENCH_API_CALLS:-1000000}
WS=${BENCH_API_WS:-500}
EVENTS=${BENCH_API_EVENTS:-5}
SECONDS_RUN=${BENCH_API_SECONDS:-5}
CONNS=${BENCH_API_CONNS:-8}
OUT=${BENCH_API_OUT:-$TEST_DIR/results}
mkdir -p "$OUT"
DATA=$TEST_DIR/data

# One core for the server, the next for everything that loads it; on a
# single-core machine nothing is pinned and the figures say so.
SRV=() GEN=() PINNED="server and generators share the machine's cores"
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
	core=${BENCH_API_CORE:-0}
	SRV=(taskset -c "$core") GEN=(taskset -c "$(( (core + 1) % $(nproc) ))")
	PINNED="server pinned to core $core, generators to core $(( (core + 1) % $(nproc) ))"
fi

# serve [PIN...]: starts the demo server on DATA, sets SERVER_PID and ports.
serve() {
	SIP_PORT=$(free_port); HTTP_PORT=$(free_port)
	"$@" "$HOTLINE" serve --demo --data "$DATA" --sip "127.0.0.1:$SIP_PORT" \
		--http "127.0.0.1:$HTTP_PORT" --rtp-ports 30000-30999 --log-level warn \
		>"$TEST_DIR/server.out" 2>"$TEST_DIR/server.err" &
	SERVER_PID=$!
	for _ in $(seq 1 600); do
		grep -q '^hotline ready ' "$TEST_DIR/server.out" 2>/dev/null && return 0
		kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TEST_DIR/server.err" >&2; fail "server died at start"; }
		sleep 0.05
	done
	fail "server not ready in 30 s"
}

unserve() {
	kill -TERM "$SERVER_PID" 2>/dev/null || true
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=""
	: >"$TEST_DIR/server.out"
}

# The first start creates the schema and the demo tenant; the calls go in
# while no server holds the database.
serve
unserve
t0=$(date +%s%N)
python3 - "$DATA/hotline.db" "$N" bench/api_seed.sql <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("CREATE TEMP TABLE bench_n(v)")
db.execute("INSERT INTO bench_n VALUES (?)", (int(sys.argv[2]),))
db.executescript(open(sys.argv[3]).read())
PY
seeded=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM calls').fetchone()[0])" "$DATA/hotline.db")
echo "seeded $seeded calls in $(( ($(date +%s%N) - t0) / 1000000 )) ms" >&2

serve "${SRV[@]}"
BASE_URL="http://127.0.0.1:$HTTP_PORT"   # for login (tests/lib.sh)
export BASE_URL
TOKEN=$(login admin admin123)
TARGET=127.0.0.1:$HTTP_PORT

# load NAME PATH...: one bench/api run, its JSON kept as $OUT/NAME.json.
load() {
	local name=$1 args=(); shift
	for p in "$@"; do args+=(--path "$p"); done
	echo "--- $name: $1${2:+ and $(( $# - 1 )) more}" >&2
	"${GEN[@]}" "$BUILD/bench/api" --json --target "$TARGET" --token "$TOKEN" \
		--target-pid "$SERVER_PID" --conns "$CONNS" --duration "$SECONDS_RUN" \
		"${args[@]}" >"$OUT/$name.json" 2>"$OUT/$name.err" || true
	[ -s "$OUT/$name.json" ] || echo '{}' >"$OUT/$name.json"
}

# The filters: whole days and afternoons inside the seeded 30 days, so every
# request seeks into the middle of the index rather than reading its end.
day() { date -u -d "@$(( $(date +%s) - $1 * 86400 ))" +%Y-%m-%d; }
FILTERED=()
for d in 2 5 9 14 20 27; do
	FILTERED+=("/api/v1/calls?limit=50&from=$(day "$d")T00:00:00Z&to=$(day "$((d - 1))")T00:00:00Z"
		   "/api/v1/calls?limit=50&from=$(day "$d")T13:00:00Z&to=$(day "$d")T18:00:00Z")
done
load queues /api/v1/queues
load calls '/api/v1/calls?limit=50'
load calls-filtered "${FILTERED[@]}"

# The screen pop: consoles first, then one agent and one call a second.
echo "--- events: $WS WebSocket clients, $EVENTS calls" >&2
"${GEN[@]}" "$BUILD/bench/api_ws" --json --target "$TARGET" --token "$TOKEN" \
	--clients "$WS" --events "$EVENTS" --duration $((EVENTS * 3 + 60)) \
	--ready "$TEST_DIR/ws.ready" >"$OUT/events.json" 2>"$OUT/events.err" &
WS_PID=$!
for _ in $(seq 1 600); do
	[ -f "$TEST_DIR/ws.ready" ] || ! kill -0 "$WS_PID" 2>/dev/null && break
	sleep 0.05
done
"${GEN[@]}" "$BUILD/bench/calls" --target "127.0.0.1:$SIP_PORT" --dial 1001 \
	--agents 1 --register-wait 10 --calls "$EVENTS" --concurrent 1 --rate 1 \
	--hold 1 --no-media --duration $((EVENTS * 3 + 30)) \
	>"$OUT/events-calls.out" 2>&1 || true
wait "$WS_PID" || true
[ -s "$OUT/events.json" ] || echo '{}' >"$OUT/events.json"
unserve

python3 - "$OUT" "$seeded" "$WS" "$PINNED" <<'PY'
import json, os, sys
out, seeded, ws, pinned = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
def load(name):
    try:
        return json.load(open(os.path.join(out, name + ".json")))
    except (OSError, ValueError):
        return {}
def met(v, ok):
    return "-" if v is None else ("met" if ok(v) else "NOT met")
print(f"\n== bench/api: {seeded} calls in the database; {pinned} ==")
print(f"{'':28} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>6}"
      f" {'CPU ms/req':>10} {'req/s/core':>10}  target")
for name, label, want in (("queues", "GET /queues", 20000),
                          ("calls", "GET /calls?limit=50", 5000),
                          ("calls-filtered", "GET /calls?limit=50&from&to", 5000)):
    r = load(name)
    if not r:
        print(f"{label:28} no figures (see {name}.err)")
        continue
    cpu = r.get("server_cpu_ms_per_request")
    core = 1000 / cpu if cpu and cpu > 0 else None
    print(f"{label:28} {r['rps']:8.0f} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f} {r['max_ms']:8.2f}"
          f" {r['errors']:6d} {cpu if cpu is not None else -1:10.3f} {core or 0:10.0f}"
          f"  >= {want} req/s: measured {met(r['rps'], lambda v: v >= want)},"
          f" by CPU {met(core, lambda v: v >= want)}; p99 < 10 ms {met(r['p99_ms'], lambda v: v < 10)}")
e = load("events")
if e:
    print(f"call.answered to {e['connected']}/{ws} WebSocket clients over {e['events']} calls"
          f" ({e['events_complete']} reached all): last client max {e['last_client_ms_max']:.1f} ms,"
          f" p99 {e['last_client_ms_p99']:.1f} ms; per delivery p50 {e['delivery_ms_p50']:.1f} ms"
          f" p99 {e['delivery_ms_p99']:.1f} ms; first to last client max {e['spread_ms_max']:.2f} ms"
          f"  < 50 ms: {met(e['last_client_ms_max'] if e['events_complete'] else None, lambda v: v < 50)}")
else:
    print("call.answered to WebSocket clients: no figures (see events.err)")
print("req/s/core = 1000 / server CPU ms per request: what one whole core would serve;"
      " wall figures share the machine with whatever else runs.", flush=True)
PY
