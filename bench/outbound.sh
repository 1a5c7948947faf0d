#!/usr/bin/env bash
# bench/outbound.sh BUILD: outbound call set-ups against inbound ones (issue
# 13: "outbound set-ups at least as fast as inbound"). Each run has its own
# fresh demo server, where a trunk "carrier" points at bench/calls'
# answering side, which does not register (--no-register: the trunk names
# its address), and a dial plan sends mobiles there. In set-up mode (short
# calls, no media), OUT_ROUNDS rounds (default 3) of three runs, the order
# turning each round:
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
# It prints each run's rate and server CPU per set-up, the medians, and the
# medians' ratios to inbound. Not a pass/fail test; every run is bounded
# by --duration.
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

DATA_PARENT=${OUT_DATA:-$([ -d /dev/shm ] && echo /dev/shm || echo "$TEST_DIR")}
DATA="$DATA_PARENT/hotline-outbound.$$"
ROUNDS=${OUT_ROUNDS:-3}
trap 'rc=$?; rm -rf "$DATA"; (exit $rc); cleanup' EXIT

# serve: a fresh demo server on fresh data, with the carrier's trunk and
# a dial plan for mobiles. Each run has its own: a run after another would
# otherwise meet a database the other had grown, and the order would
# decide the comparison.
serve() {
	SIP_PORT=$(free_port); HTTP_PORT=$(free_port); CARRIER=$(free_port)
	BASE_URL="http://127.0.0.1:$HTTP_PORT"
	rm -rf "$DATA"; mkdir "$DATA"
	"$HOTLINE" serve --demo --data "$DATA" --sip "127.0.0.1:$SIP_PORT" \
		--http "127.0.0.1:$HTTP_PORT" --rtp-ports 30000-39999 \
		--log-level warn >"$TEST_DIR/server.out" 2>"$TEST_DIR/server.err" &
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
	settle
}

# settle: waits (up to 15 s) until the server spends under 2 % of a core:
# a fresh server speaks its prompts (TTS) for a few seconds after it is
# ready, and that CPU would be counted to the run.
settle() {
	python3 - "$SERVER_PID" <<'PY'
import os, sys, time
pid, hz = sys.argv[1], os.sysconf("SC_CLK_TCK")
def cpu():
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / hz
end = time.time() + 15
while time.time() < end:
    a = cpu(); time.sleep(0.5)
    if cpu() - a < 0.01:
        break
PY
}

unserve() {
	kill -TERM "$SERVER_PID" 2>/dev/null || true
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=""
}

run() {  # run NAME ROUND: one bench/calls run on its own server, JSON kept
	local name=$1 round=$2 args
	serve
	case $name in
	inbound) args=(--dial 1001-1010 --agents 10 --agent-base 1001
		--agent-password-prefix secret --register-wait 10) ;;
	outbound) args=(--dial 13800000000-13800009999 --from-user 1001
		--auth-user 1001 --auth-password secret1001
		--agents 1 --no-register --agent-port "$CARRIER") ;;
	click) args=(--dial 13800000000-13800009999 --agents 10
		--agent-base 1001 --agent-password-prefix secret
		--register-wait 10 --click "127.0.0.1:$HTTP_PORT"
		--token "$TOKEN" --carrier-port "$CARRIER") ;;
	esac
	echo "--- $name, round $round: calls ${args[*]}" >&2
	"$CALLS" --json --target "127.0.0.1:$SIP_PORT" --setup --calls "$N" \
		--concurrent "$CONC" --target-pid "$SERVER_PID" --duration 120 \
		"${args[@]}" >"$OUT/$name.$round.json" 2>"$OUT/$name.$round.err" || true
	[ -s "$OUT/$name.$round.json" ] || echo '{}' >"$OUT/$name.$round.json"
	unserve
}
# The order turns each round, so no mode always runs first or last.
MODES=(inbound outbound click)
for round in $(seq 1 "$ROUNDS"); do
	for k in 0 1 2; do
		run "${MODES[(k + round - 1) % 3]}" "$round"
	done
done

python3 - "$OUT" "$ROUNDS" <<'PY'
import json, os, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
modes = ("inbound", "outbound", "click")
rate, cpu = {m: [] for m in modes}, {m: [] for m in modes}
for rnd in range(1, rounds + 1):
    line = []
    for m in modes:
        j = json.load(open(os.path.join(out, f"{m}.{rnd}.json")))
        c, t = j.get("calls", {}), j.get("target_process", {})
        done = c.get("answered") or 0
        r = c.get("setup_rate_cps") if done == c.get("attempted") else None
        # bench/calls counts the server's CPU over its own run only.
        ms = (t["cpu_s"] * 1000 / done
              if done and t.get("cpu_s", -1) >= 0 else None)
        if r:
            rate[m].append(r)
        if ms:
            cpu[m].append(ms)
        line.append(f"{m} {r or 0:.0f}/s {ms or 0:.2f} ms"
                    f" ({done}/{c.get('attempted')} answered)")
    print(f"round {rnd}: " + ", ".join(line))
med = {m: (statistics.median(rate[m]) if rate[m] else None,
           statistics.median(cpu[m]) if cpu[m] else None) for m in modes}
for m in modes:
    r, ms = med[m]
    print(f"{m:9s} median set-ups/s {r or 0:.0f}  server CPU ms/set-up "
          f"{ms or 0:.2f}")
for m in ("outbound", "click"):
    if med["inbound"][0] and med[m][0]:
        print(f"{m} / inbound: set-up rate {med[m][0] / med['inbound'][0]:.2f},"
              f" CPU per set-up {med[m][1] / med['inbound'][1]:.2f}")
PY
