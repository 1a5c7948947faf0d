#!/usr/bin/env bash
# bench/outbound.sh BUILD: outbound call set-ups against inbound ones (issue
# 13: "outbound set-ups at least as fast as inbound"). One demo server; a
# trunk "carrier" points at bench/calls' answering side, which does not
# register (--no-register: the trunk names its address); a dial plan sends
# mobiles there. Then, in set-up mode (short calls, no media):
#   inbound   trunk-style calls from loopback to the demo's extensions
#             1001-1010, which bench/calls' agents register and answer
#   outbound  extension 1001 (digest-authenticated, as a phone dials) calls
#             13800000000-13800009999: the outbound app, the dial plan,
#             the trunk, the carrier answers
#   click     click-to-dial, the API-originated call the issue names:
#             POST /api/v1/calls for agents 1001-1010 (round robin) and
#             those numbers; the agent's phone rings and answers, then the
#             carrier is called through the trunk and answers; the carrier
#             hangs up
# and prints each rate, its ratio to inbound and the server's CPU per
# set-up. Not a pass/fail test; every run is bounded by --duration.
# Loopback only.
#
# Knobs (environment): OUT_CALLS (set-ups per run, default 2000),
# OUT_CONCURRENT (default 20), OUT_DATA (the server's data directory's
# parent; default /dev/shm when there is one). Both directions record
# every call (the demo's default), and creating thousands of WAV files on
# a disk filesystem costs what that filesystem's state says: after a test
# run had deleted thousands of files, ext4's inode allocator was 18 % of
# the inbound run's CPU and none of the next run's. In memory, the two
# directions compare by what the server does.
set -euo pipefail
BUILD=$(cd "${1:?usage: bench/outbound.sh BUILD_DIR}" && pwd)
cd "$(dirname "$0")/.."
export HOTLINE=${HOTLINE:-$BUILD/hotline}
CALLS="$BUILD/bench/calls"
# shellcheck source=../tests/lib.sh
source tests/lib.sh           # free_port, http, fail; TEST_DIR removed on exit
[ -x "$CALLS" ] || fail "$CALLS not built (make test-build)"
N=${OUT_CALLS:-2000}
CONC=${OUT_CONCURRENT:-20}
OUT=$TEST_DIR/results
mkdir -p "$OUT"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

SIP_PORT=$(free_port); HTTP_PORT=$(free_port); CARRIER=$(free_port)
BASE_URL="http://127.0.0.1:$HTTP_PORT"
DATA_PARENT=${OUT_DATA:-$([ -d /dev/shm ] && echo /dev/shm || echo "$TEST_DIR")}
DATA="$DATA_PARENT/hotline-outbound.$$"
mkdir "$DATA"
trap 'rc=$?; rm -rf "$DATA"; (exit $rc); cleanup' EXIT
"$HOTLINE" serve --demo --data "$DATA" --sip "127.0.0.1:$SIP_PORT" \
	--http "127.0.0.1:$HTTP_PORT" --rtp-ports 30000-39999 --log-level warn \
	>"$TEST_DIR/server.out" 2>"$TEST_DIR/server.err" &
SERVER_PID=$!
for _ in $(seq 1 200); do
	grep -q '^hotline ready ' "$TEST_DIR/server.out" 2>/dev/null && break
	sleep 0.05
done
grep -q '^hotline ready ' "$TEST_DIR/server.out" || fail "server not ready"
TOKEN=$(http POST /api/v1/auth/login '{"username":"admin","password":"admin123"}' | json 'j["token"]')
http POST /api/v1/trunks '{"name": "carrier", "outbound": {"address": "127.0.0.1:'"$CARRIER"'"}, "caller_id": "4008001000", "ping_interval_s": 0}' "$TOKEN" >/dev/null
expect_status 201 "the carrier trunk"
http POST /api/v1/dial-plans '{"pattern": "^1[3-9][0-9]{9}$", "trunks": ["carrier"]}' "$TOKEN" >/dev/null
expect_status 201 "the mobile dial plan"

run() {  # run NAME ARGS...: one bench/calls run, its JSON kept
	local name=$1; shift
	echo "--- $name: calls $*" >&2
	"$CALLS" --json --target "127.0.0.1:$SIP_PORT" --setup --calls "$N" \
		--concurrent "$CONC" --target-pid "$SERVER_PID" --duration 120 \
		"$@" >"$OUT/$name.json" 2>"$OUT/$name.err" || true
	[ -s "$OUT/$name.json" ] || echo '{}' >"$OUT/$name.json"
	cp "$OUT/$name.json" "/tmp/outbound-$name.json"
}
run inbound --dial 1001-1010 --agents 10 --agent-base 1001 \
	--agent-password-prefix secret --register-wait 10
run outbound --dial 13800000000-13800009999 --from-user 1001 \
	--auth-user 1001 --auth-password secret1001 \
	--agents 1 --no-register --agent-port "$CARRIER"
run click --dial 13800000000-13800009999 --agents 10 --agent-base 1001 \
	--agent-password-prefix secret --register-wait 10 \
	--click "127.0.0.1:$HTTP_PORT" --token "$TOKEN" --carrier-port "$CARRIER"
kill -TERM "$SERVER_PID" 2>/dev/null || true
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""

python3 - "$OUT" <<'PY'
import json, os, sys
out = sys.argv[1]
r = {}
for name in ("inbound", "outbound", "click"):
    j = json.load(open(os.path.join(out, name + ".json")))
    c, t = j.get("calls", {}), j.get("target_process", {})
    r[name] = c.get("setup_rate_cps")
    done = c.get("answered") or 0
    # bench/calls counts the server's CPU over its own run only.
    cpu = (f"{t['cpu_s'] * 1000 / done:.2f}"
           if done and t.get("cpu_s", -1) >= 0 else "-")
    rate = f"{r[name]:.0f}" if r[name] else "-"
    print(f"{name:9s} set-ups/s {rate}  answered {done}/{c.get('attempted')}"
          f"  failed {c.get('failed')}  server CPU ms/set-up {cpu}"
          f"  p50 {c.get('setup_ms_p50')} ms")
for name in ("outbound", "click"):
    if r.get("inbound") and r.get(name):
        print(f"{name} / inbound set-up rate: {r[name] / r['inbound']:.2f}")
PY
