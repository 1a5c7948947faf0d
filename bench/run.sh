#!/usr/bin/env bash
# bench/run.sh BUILD: the call benchmarks `make bench` prints. Starts the
# demo server on free loopback ports, puts the same load on it with
# recording off and on, then on sipp (a SIP server nobody here wrote) as the
# peer of the same run, and prints the figures and the ratios. Not a
# pass/fail test; every run is bounded by --duration, the whole in minutes.
#
# Knobs (environment): BENCH_DIAL (default 1001-1010: the demo extensions,
# dialled round robin; 4008002000 once queues answer), BENCH_RAMP
# (concurrency steps), BENCH_STEP (seconds measured per step),
# BENCH_SETUP_CALLS, BENCH_PEER=none to skip sipp, BENCH_IVR=none to skip
# the IVR load (bench/ivr_load.sh, its own IVR_* knobs), BENCH_API=none to
# skip the API figures (bench/api.sh, its own BENCH_API_* knobs),
# BENCH_RECORDS=none to skip bench/records (BENCH_RECORDS_DIR keeps its
# database), BENCH_REPORTS=none to skip bench/reports (BENCH_REPORTS_DIR
# keeps its database).
set -euo pipefail
BUILD=$(cd "${1:?usage: bench/run.sh BUILD_DIR}" && pwd)
cd "$(dirname "$0")/.."
export HOTLINE=${HOTLINE:-$BUILD/hotline}
CALLS="$BUILD/bench/calls"
# shellcheck source=../tests/lib.sh
source tests/lib.sh           # free_port, fail; TEST_DIR removed on exit
[ -x "$CALLS" ] || fail "$CALLS not built (make test-build)"

DIAL=${BENCH_DIAL:-1001-1010}
RAMP=${BENCH_RAMP:-50,100,200,400,800}
STEP=${BENCH_STEP:-6}
SETUP_CALLS=${BENCH_SETUP_CALLS:-2000}
PEER=${BENCH_PEER:-sipp}
OUT=$TEST_DIR/results
mkdir -p "$OUT"

# The recording switch is whatever setting `serve --help` lists with
# "record" in its key (e.g. [record.enabled]); absent, it is not measured.
REC_KEY=$("$HOTLINE" serve --help | grep -o '\[[a-z_.]*record[a-z_.]*\]' \
	| head -1 | tr -d '[]' || true)

# serve LABEL RECORD: starts the demo server, sets SERVER_PID and SIP_PORT.
serve() {
	local label=$1 record=$2 args=()
	SIP_PORT=$(free_port); HTTP_PORT=$(free_port)
	if [ -n "$REC_KEY" ]; then
		printf '[%s]\n%s = %s\n' "${REC_KEY%%.*}" "${REC_KEY#*.}" "$record" \
			>"$TEST_DIR/$label.ini"
		args+=(--config "$TEST_DIR/$label.ini")
	fi
	"$HOTLINE" serve --demo "${args[@]}" --data "$TEST_DIR/data-$label" \
		--sip "127.0.0.1:$SIP_PORT" --http "127.0.0.1:$HTTP_PORT" \
		--rtp-ports 30000-39999 --log-level warn \
		>"$TEST_DIR/$label.out" 2>"$TEST_DIR/$label.err" &
	SERVER_PID=$!
	for _ in $(seq 1 200); do
		grep -q '^hotline ready ' "$TEST_DIR/$label.out" 2>/dev/null && return 0
		kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TEST_DIR/$label.err" >&2; fail "server died at start"; }
		sleep 0.05
	done
	fail "server not ready in 10 s"
}

# unserve: SIGTERM, then KILL after 5 s (a benchmark reports, never fails).
unserve() {
	[ -n "$SERVER_PID" ] || return 0
	kill -TERM "$SERVER_PID" 2>/dev/null || true
	for _ in $(seq 1 100); do
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.05
	done
	kill -KILL "$SERVER_PID" 2>/dev/null || true
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=""
}

# load NAME ARGS...: one bench/calls run, its JSON kept as $OUT/NAME.json.
load() {
	local name=$1; shift
	echo "--- $name: calls $*" >&2
	"$CALLS" --json "$@" >"$OUT/$name.json" 2>"$OUT/$name.err" || true
	[ -s "$OUT/$name.json" ] || echo '{}' >"$OUT/$name.json"
}

answers() {
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("calls",{}).get("answered",0))' "$1"
}

# figures LABEL TARGET PID AGENTS...: probe, set-up rate, ramp.
figures() {
	local label=$1 target=$2 pid=$3; shift 3
	load "$label-probe" --target "$target" --dial "$DIAL" "$@" \
		--calls 3 --concurrent 3 --rate 10 --hold 1 --duration 20
	if [ "$(answers "$OUT/$label-probe.json")" -eq 0 ]; then
		echo "$label: calls are not answered; see $label-probe below" >&2
		cat "$OUT/$label-probe.json" >&2
		return 0
	fi
	load "$label-setup" --target "$target" --dial "$DIAL" "$@" --setup \
		--calls "$SETUP_CALLS" --concurrent 20 --target-pid "$pid" --duration 60
	load "$label-ramp" --target "$target" --dial "$DIAL" "$@" \
		--ramp "$RAMP" --step-seconds "$STEP" --rate 100 \
		--target-pid "$pid" --duration 120
}

AGENTS=(--agents 10 --agent-base 1001 --agent-password-prefix secret --register-wait 10)

serve hotline false
figures hotline "127.0.0.1:$SIP_PORT" "$SERVER_PID" "${AGENTS[@]}"
unserve

if [ -n "$REC_KEY" ]; then
	serve hotline-rec true
	figures hotline-rec "127.0.0.1:$SIP_PORT" "$SERVER_PID" "${AGENTS[@]}"
	unserve
else
	echo "recording: serve --help lists no *record* setting; not measured" >&2
fi

if [ "$PEER" = sipp ] && command -v sipp >/dev/null; then
	PEER_PORT=$(free_port)
	# sipp answers every INVITE and echoes RTP back: one leg, no agents.
	sipp -sn uas -i 127.0.0.1 -p "$PEER_PORT" -mp 40000 -rtp_echo \
		-max_socket 4096 -nostdin >"$TEST_DIR/sipp.out" 2>&1 &
	SIPP_PID=$!
	sleep 0.5
	figures sipp "127.0.0.1:$PEER_PORT" "$SIPP_PID"
	kill -TERM "$SIPP_PID" 2>/dev/null || true
	wait "$SIPP_PID" 2>/dev/null || true
fi

python3 - "$OUT" "$RAMP" <<'PY'
import json, os, sys
out, ramp = sys.argv[1], sys.argv[2]
def load(name):
    p = os.path.join(out, name + ".json")
    try:
        return json.load(open(p)) if os.path.exists(p) else {}
    except ValueError:
        return {}
cols = [c for c in ("hotline", "hotline-rec", "sipp") if load(c + "-probe")]
def best_step(r):
    # A step counts only when the generator really put its load on (sent at
    # least 98% of the nominal packets): past that the generator, not the
    # target, is what the figure measures.
    ok = [s for s in r.get("steps", []) if not s["not_reached"] and not s["over_loss"]
          and s.get("caller_send_pct", 100) >= 98]
    return ok[-1] if ok else None
def rss_per_call(r, b):
    steps = r.get("steps", [])
    if not b or not steps or b["concurrency"] == steps[0]["concurrency"]:
        return None
    d = b.get("target_rss_kb_after", 0) - steps[0].get("target_rss_kb_after", 0)
    return d / (b["concurrency"] - steps[0]["concurrency"])
def rows():
    for c in cols:
        s, r = load(c + "-setup"), load(c + "-ramp")
        b = best_step(r)
        yield c, {
            "answered in probe": load(c + "-probe").get("calls", {}).get("answered"),
            "set-up rate (calls/s)": s.get("calls", {}).get("setup_rate_cps"),
            "set-up p50 (ms)": s.get("calls", {}).get("setup_ms_p50"),
            "set-up p99 (ms)": s.get("calls", {}).get("setup_ms_p99"),
            "target CPU ms per set-up": (s["target_process"]["cpu_s"] * 1000 / s["calls"]["answered"])
                if s.get("target_process") and s.get("calls", {}).get("answered") else None,
            "max calls at <= 0.5% loss, full load": b["concurrency"] if b else 0,
            "loss % at that step": b["loss_pct"] if b else None,
            "target CPU ms per call-second": b.get("target_cpu_ms_per_call_s") if b else None,
            "target RSS kB at that step": b.get("target_rss_kb_after") if b else None,
            "target RSS kB per added call": rss_per_call(r, b),
            "generator CPU % at that step": b["generator_cpu_pct"] if b else None,
            "packets sent, % of nominal": b.get("caller_send_pct") if b else None,
        }
table = dict(rows())
if not table:
    print("no figures: nothing answered calls"); sys.exit(0)
keys = list(next(iter(table.values())).keys())
def fmt(v):
    return "-" if v is None else (f"{v:.2f}" if isinstance(v, float) else str(v))
w = max(len(k) for k in keys)
print("\n== bench/calls figures (ramp " + ramp + ") ==")
print(f"{'':{w}}  " + "  ".join(f"{c:>12}" for c in cols) +
      ("  " + f"{'hotline/sipp':>12}" if "hotline" in table and "sipp" in table else ""))
for k in keys:
    line = f"{k:{w}}  " + "  ".join(f"{fmt(table[c][k]):>12}" for c in cols)
    if "hotline" in table and "sipp" in table:
        a, b = table["hotline"][k], table["sipp"][k]
        ratio = a / b if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b else None
        line += f"  {fmt(ratio):>12}"
    print(line)
for c in cols:
    r = load(c + "-ramp")
    for s in r.get("steps", []):
        print(f"{c} step {s['concurrency']}: reached {s['reached']} loss {s['loss_pct']:.3f}% "
              f"target cpu {s.get('target_cpu_pct', 0):.1f}% rss {s.get('target_rss_kb_after', '-')} kB "
              f"generator cpu {s['generator_cpu_pct']:.1f}% late ticks {s['late_ticks']} "
              f"sent {s.get('caller_send_pct', 0):.1f}% of nominal"
              + (" (not reached)" if s["not_reached"] else "") + (" (over loss)" if s["over_loss"] else ""))
print("sipp is a one-leg peer (it echoes RTP); hotline bridges two legs per call.")
PY

# IVR callers on one core (bench/ivr_load.sh): BENCH_IVR=none skips it.
if [ "${BENCH_IVR:-}" != none ]; then
	echo
	bench/ivr_load.sh "$BUILD" || echo "(bench/ivr_load.sh exited $?)"
fi

# The API of issue 14 over a million calls (bench/api.sh, its own
# BENCH_API_* knobs): BENCH_API=none skips it.
if [ "${BENCH_API:-}" != none ]; then
	echo
	bench/api.sh "$BUILD" || echo "(bench/api.sh exited $?)"
fi

# Issue 15's records: a million work orders and customers, 100,000
# articles (minutes to fill): BENCH_RECORDS=none skips it, BENCH_RECORDS_DIR
# keeps its database between runs (filled once).
if [ "${BENCH_RECORDS:-}" != none ] && [ -x "$BUILD/bench/records" ]; then
	echo
	echo "== bench/records =="
	timeout 3600 "$BUILD/bench/records" \
		${BENCH_RECORDS_DIR:+--dir "$BENCH_RECORDS_DIR"} \
		|| echo "(bench/records exited $?)"
fi

# Issue 17's report figures against their targets (bench/reports: a year
# of KPIs over 100 queues and 1,000 agents, the call detail over 10
# million calls through bench/reports_list, a year's control chart through
# bench/spc; minutes to fill): BENCH_REPORTS=none skips it,
# BENCH_REPORTS_DIR keeps its database between runs (filled once).
if [ "${BENCH_REPORTS:-}" != none ] && [ -x "$BUILD/bench/reports" ]; then
	echo
	echo "== bench/reports =="
	timeout 3600 "$BUILD/bench/reports" \
		${BENCH_REPORTS_DIR:+--dir "$BENCH_REPORTS_DIR"} \
		|| echo "(bench/reports exited $?)"
fi

# The cores: storage, routing, the simulator, speech synthesis, IVR
# conditions and the interpreter, the caller's region, the conference
# mixer, quality inspection's audio measures and sampling (bench/qa), the
# control charts, the KPI report's side figures and the workforce
# forecast, each printing its own figures (none needs a server).
for core in db acd sim tts expr ivr region mix qa spc kpi_side wfm; do
	[ -x "$BUILD/bench/$core" ] || continue
	echo
	echo "== bench/$core =="
	timeout 300 "$BUILD/bench/$core" || echo "(bench/$core exited $?)"
done
