#!/usr/bin/env bash
# bench/ivr_load.sh BUILD: IVR callers on one core (issue 12). For each
# concurrency step a fresh `hotline serve --demo`, pinned to one core, gets a
# flow that keeps callers in the IVR (a greeting, then a menu whose keys and
# timeout lead to a prompt and back to the menu) on its own DID; bench/calls,
# pinned to the other core, dials it with RFC 4733 keys and holds every call
# through a measured window. Prints per step: callers connected, set-up
# failures, the server's CPU % of its core, RSS, RTP the callers received and
# its loss, digits sent, and the media late ticks the server logs when it
# stops (media.stats); then the interpreter's steps/s (bench/ivr). Figures,
# not a pass/fail test; every run is bounded by --duration. Loopback only.
#
# Knobs (environment): IVR_STEPS (default 500,1000,1500), IVR_WINDOW (seconds
# measured per step, default 20), IVR_RATE (new calls/s, default 100),
# IVR_DTMF (keys each caller presses, default 12121212), IVR_CORE (the
# server's core, default 1; the generator takes the others).
set -euo pipefail
BUILD=$(cd "${1:?usage: bench/ivr_load.sh BUILD_DIR}" && pwd)
cd "$(dirname "$0")/.."
export HOTLINE=${HOTLINE:-$BUILD/hotline}
CALLS="$BUILD/bench/calls"
# shellcheck source=../tests/lib.sh
source tests/lib.sh           # free_port, http, fail; TEST_DIR removed on exit
[ -x "$CALLS" ] || fail "$CALLS not built (make test-build)"

STEPS=${IVR_STEPS:-500,1000,1500}
WINDOW=${IVR_WINDOW:-20}
RATE=${IVR_RATE:-100}
DTMF=${IVR_DTMF:-12121212}
CORE=${IVR_CORE:-1}
DID=4008009000
NCPU=$(nproc)
GEN_CORES=$(seq -s, 0 $((NCPU - 1)) | tr ',' '\n' | grep -vx "$CORE" | paste -sd, -)
[ -n "$GEN_CORES" ] || GEN_CORES=$CORE
OUT=$TEST_DIR/results
mkdir -p "$OUT"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# Every exit leads back to the menu, and the menu waits: callers stay until
# they hang up, hearing a prompt most of the time.
FLOW='{"name": "bench_loop", "start": "welcome", "voice": "zh",
 "description": "bench/ivr_load.sh: callers stay in the IVR",
 "nodes": {
  "welcome": {"kind": "play", "next": "menu",
              "prompt": "您好，欢迎致电热线服务中心，本次通话用于性能测试。"},
  "menu": {"kind": "menu", "prompt": "查询信息请按1，重听欢迎词请按2。",
           "keys": {"1": "info", "2": "welcome"},
           "timeout_ms": 1000, "timeout_retries": 0, "invalid_retries": 0,
           "default": "again"},
  "info": {"kind": "play", "next": "menu",
           "prompt": "这是信息播报：我们的服务时间是每天八点到二十点。"},
  "again": {"kind": "play", "next": "menu",
            "prompt": "没有收到您的按键，请再听一遍。"}}}'

# serve LABEL: starts the demo server on CORE, sets SERVER_PID, SIP_PORT,
# BASE_URL, and points DID at the flow.
serve() {
	local label=$1 token
	SIP_PORT=$(free_port); HTTP_PORT=$(free_port)
	BASE_URL="http://127.0.0.1:$HTTP_PORT"
	taskset -c "$CORE" "$HOTLINE" serve --demo --data "$TEST_DIR/data-$label" \
		--sip "127.0.0.1:$SIP_PORT" --http "127.0.0.1:$HTTP_PORT" \
		--rtp-ports 30000-39999 --log-level info \
		>"$TEST_DIR/$label.out" 2>"$TEST_DIR/$label.err" &
	SERVER_PID=$!
	for _ in $(seq 1 200); do
		grep -q '^hotline ready ' "$TEST_DIR/$label.out" 2>/dev/null && break
		kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TEST_DIR/$label.err" >&2; fail "server died at start"; }
		sleep 0.05
	done
	grep -q '^hotline ready ' "$TEST_DIR/$label.out" || fail "server not ready in 10 s"
	http POST /api/v1/auth/login '{"username":"admin","password":"admin123"}' >/dev/null
	expect_status 200 "admin login"
	token=$(jbody 'j["token"]')
	http PUT /api/v1/ivr-flows/bench_loop "$FLOW" "$token" >/dev/null
	expect_status 200 "the bench flow"
	http PUT "/api/v1/dids/$DID" '{"target_kind":"ivr","target":"bench_loop"}' "$token" >/dev/null
	expect_status 200 "DID $DID to the bench flow"
}

# unserve LABEL: SIGTERM (the media engine logs its counters as it stops),
# KILL after 10 s: a benchmark reports, never fails.
unserve() {
	kill -TERM "$SERVER_PID" 2>/dev/null || true
	for _ in $(seq 1 200); do
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.05
	done
	kill -KILL "$SERVER_PID" 2>/dev/null || true
	wait "$SERVER_PID" 2>/dev/null || true
	grep ' media.stats ' "$TEST_DIR/$1.err" | tail -1 >"$OUT/$1.media" || true
}

# sched PID: the server's threads' CPU and run-queue wait (ns, summed from
# /proc/PID/task/*/schedstat) and the time now (ms): waiting for the
# core while runnable is what makes a media tick late on a shared machine.
sched() {
	local cpu=0 wait=0 a b _
	for f in /proc/"$1"/task/*/schedstat; do
		read -r a b _ <"$f" 2>/dev/null || continue
		cpu=$((cpu + a)); wait=$((wait + b))
	done
	echo "$cpu $wait $(($(date +%s%N) / 1000000))"
}

# udp_drops: the kernel's UDP datagrams dropped for a full receive or send
# buffer (RcvbufErrors SndbufErrors of /proc/net/snmp), all sockets: on a
# machine running only this bench, the server's and the callers'.
udp_drops() {
	awk '/^Udp:/ && $2 ~ /^[0-9]/ {print $6, $7}' /proc/net/snmp
}

IFS=, read -ra STEP_LIST <<<"$STEPS"
for n in "${STEP_LIST[@]}"; do
	label=ivr-$n
	serve "$label"
	echo $(($(date +%s%N) / 1000000)) >"$OUT/$label.start"
	udp_drops >"$OUT/$label.udp0"
	echo "--- $label: $n callers into DID $DID, keys $DTMF, window ${WINDOW}s" >&2
	taskset -c "$GEN_CORES" "$CALLS" --json --target "127.0.0.1:$SIP_PORT" \
		--dial "$DID" --dtmf "$DTMF" --ramp "$n" --step-seconds "$WINDOW" \
		--rate "$RATE" --max-loss 100 --target-pid "$SERVER_PID" \
		--duration $((n / RATE + WINDOW + 60)) \
		>"$OUT/$label.json" 2>"$OUT/$label.calls.err" || true
	[ -s "$OUT/$label.json" ] || echo '{}' >"$OUT/$label.json"
	sched "$SERVER_PID" >"$OUT/$label.sched"
	unserve "$label"
	udp_drops >"$OUT/$label.udp1"
	sqlite3 "$TEST_DIR/data-$label/hotline.db" \
		"SELECT count(*) FROM ivr_visits WHERE node = 'menu' AND exit IN ('1', '2')" \
		>"$OUT/$label.keys" 2>/dev/null || true
done

IVR_STEPS_PS=$(timeout 120 "$BUILD/bench/ivr" 2>/dev/null |
	awk '$1 == "ivr" && $2 == "steps" {print $3}' || true)

python3 - "$OUT" "$STEPS" "$WINDOW" "${IVR_STEPS_PS:-}" "$CORE" <<'PY'
import json, os, re, sys
out, steps, window, ivr_steps, core = sys.argv[1:6]
print(f"\n== IVR callers on one core (server on core {core}, {window} s window per step) ==")
print(f"{'callers':>7} {'reached':>7} {'failed':>6} {'cpu%':>6} {'rss kB':>8} "
      f"{'rtp rx':>8} {'rx%':>5} {'loss%':>6} {'digits':>6} {'keys':>6} {'late ticks':>10} "
      f"{'runq%':>6} {'gen late':>8} {'gen sent%':>9} {'srv tx':>8} {'got%':>6} {'buf drops':>9}")
def read(label, ext):
    p = os.path.join(out, label + ext)
    return open(p).read().split() if os.path.exists(p) else []
best = 0
for n in steps.split(","):
    label = "ivr-" + n
    try:
        r = json.load(open(os.path.join(out, label + ".json")))
    except ValueError:
        r = {}
    media = open(os.path.join(out, label + ".media")).read() if os.path.exists(
        os.path.join(out, label + ".media")) else ""
    m = re.search(r"late_ticks=(\d+)", media)
    late = int(m.group(1)) if m else None
    # Where packets go missing: the callers' whole-run RTP against what
    # the server's media engine sent (media.stats tx=, every leg is a
    # caller's here), and the kernel's buffer drops over the step.
    m = re.search(r" tx=(\d+)", media)
    srv_tx = int(m.group(1)) if m else None
    got_all = r.get("rtp", {}).get("caller", {}).get("received")
    got_pct = 100.0 * got_all / srv_tx if srv_tx and got_all is not None else None
    u0, u1 = read(label, ".udp0"), read(label, ".udp1")
    drops = sum(int(b) - int(a) for a, b in zip(u0, u1)) if len(u0) == 2 and len(u1) == 2 else None
    s = (r.get("steps") or [{}])[0]
    c = s.get("caller", {})
    calls = r.get("calls", {})
    digits = r.get("rtp", {}).get("caller", {}).get("digits_sent")
    keys = read(label, ".keys")
    keys = int(keys[0]) if keys else None
    # RTP the callers got, % of one packet per 20 ms per call-second: a
    # missed server tick sends nothing, so it shows here, not as loss.
    rx_pct = 100.0 * c["received"] / (50 * s["call_seconds"]) if c.get("received") is not None and s.get("call_seconds") else None
    # run-queue wait of the server's threads over its life, % of wall time
    sc, st = read(label, ".sched"), read(label, ".start")
    runq = 100.0 * int(sc[1]) / 1e6 / (int(sc[2]) - int(st[0])) if len(sc) >= 3 and st else None
    fmt = lambda v, f="{}": "-" if v is None else f.format(v)
    print(f"{n:>7} {fmt(s.get('reached')):>7} {fmt(calls.get('failed')):>6} "
          f"{fmt(s.get('target_cpu_pct'), '{:.1f}'):>6} {fmt(s.get('target_rss_kb_after')):>8} "
          f"{fmt(c.get('received')):>8} {fmt(rx_pct, '{:.1f}'):>5} {fmt(c.get('loss_pct'), '{:.3f}'):>6} "
          f"{fmt(digits):>6} {fmt(keys):>6} {fmt(late):>10} {fmt(runq, '{:.1f}'):>6} "
          f"{fmt(s.get('late_ticks')):>8} {fmt(s.get('caller_send_pct'), '{:.1f}'):>9} "
          f"{fmt(srv_tx):>8} {fmt(got_pct, '{:.1f}'):>6} {fmt(drops):>9}")
    clean = (s.get("reached") == int(n) and not calls.get("failed") and late == 0
             and c.get("received", 0) > 0 and c.get("loss_pct", 100) <= 0.5
             and (rx_pct or 0) >= 99)
    if clean:
        best = int(n)
print(f"largest step with every caller connected, prompts heard (loss <= 0.5%, rx >= 99%) "
      f"and no late media tick: {best} callers (target 1500)")
print(f"IVR interpreter: {ivr_steps or '-'} steps/s (bench/ivr, target 1000000)")
print("rx%: RTP callers received, % of 50 packets per call-second; keys: menu choices the IVR "
      "took (ivr_visits); late ticks: 20 ms ticks the server's media threads missed (media.stats "
      "at stop, whole run); runq%: time the server's threads waited for a core while runnable, "
      "% of its wall time, summed over its threads (can pass 100); gen late/sent%: the generator's own, off means it fell behind; "
      "srv tx: RTP the server sent (media.stats, whole run); got%: the callers' whole-run RTP of srv tx (100: nothing lost on the way, "
      "so a low rx% is ticks the server had nothing to send); buf drops: UDP datagrams the kernel dropped for full socket buffers.")
PY
