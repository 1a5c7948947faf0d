#!/usr/bin/env bash
# bench/compare.sh OLD_BUILD NEW_BUILD [ROUNDS]: the same benchmarks on two
# builds of Hotline (say, main before and after a change), interleaved
# (old, new, old, new …) so that a machine that drifts during the run
# drifts for both, then each figure's median per build side by side with
# the ratio new/old. A build is a folder as `make test-build` leaves it
# (build/rel); copy the old one aside before rebuilding. Not a pass/fail
# test: it prints figures.
#
# Knobs: ROUNDS (default 2), and bench/run.sh's own (BENCH_STEP, BENCH_RAMP,
# BENCH_SETUP_CALLS); the sipp peer is skipped (BENCH_PEER=none).
set -euo pipefail
OLD=$(cd "${1:?usage: bench/compare.sh OLD_BUILD NEW_BUILD [ROUNDS]}" && pwd)
NEW=$(cd "${2:?usage: bench/compare.sh OLD_BUILD NEW_BUILD [ROUNDS]}" && pwd)
ROUNDS=${3:-2}
cd "$(dirname "$0")/.."
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

for r in $(seq 1 "$ROUNDS"); do
	for side in old new; do
		build=$OLD
		[ "$side" = new ] && build=$NEW
		echo "--- round $r: $side ($build)" >&2
		HOTLINE="$build/hotline" BENCH_PEER=none bench/run.sh "$build" \
			>"$OUT/$side.$r.txt" 2>"$OUT/$side.$r.err" || true
	done
done

python3 - "$OUT" "$ROUNDS" <<'PY'
import os, re, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
# A figure is a line "<name>  <number> [<number>]" of the calls table
# (columns hotline, hotline-rec) or a "strategy  dec/s  p99  dec/s  p99"
# row of bench/acd, or one of bench/sim's and bench/db's lines.
def figures(path):
    f, section = {}, ""
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        m = re.match(r"^== (bench/\w+)", line)
        if m:
            section = m.group(1)
            continue
        if section == "bench/calls" and "  " in line and not line.startswith(("hotline", "sipp")):
            name, _, rest = line.partition("  ")
            nums = re.findall(r"-?\d+(?:\.\d+)?", rest)
            if name.strip() and nums:
                for col, v in zip(("hotline", "hotline-rec"), nums):
                    f[f"calls {col}: {name.strip()}"] = float(v)
        elif section == "bench/acd":
            p = line.split()
            if len(p) == 5 and re.match(r"^[a-z-]+$", p[0]):
                f[f"acd {p[0]}: backlog dec/s"] = float(p[1])
                f[f"acd {p[0]}: backlog p99 us"] = float(p[2])
                f[f"acd {p[0]}: idle dec/s"] = float(p[3])
                f[f"acd {p[0]}: idle p99 us"] = float(p[4])
        elif section == "bench/sim":
            m = re.match(r"^\s+time\s+([\d.]+) s wall, ([\d.]+) s CPU", line)
            if m:
                f["sim: month of 500 seats, s CPU"] = float(m.group(2))
        elif section == "bench/db":
            m = re.match(r"^db group commit:\s+\d+ rows\s+(\d+) rows/s", line)
            if m:
                f["db: group commit rows/s"] = float(m.group(1))
    return f
runs = {s: [figures(os.path.join(out, f"{s}.{r}.txt")) for r in range(1, rounds + 1)]
        for s in ("old", "new")}
keys = [k for k in runs["old"][0] if all(k in x for s in runs for x in runs[s])]
print(f"\n== old vs new, medians of {rounds} interleaved runs ==")
print(f"{'figure':58} {'old':>12} {'new':>12} {'new/old':>8}")
for k in keys:
    o = statistics.median(x[k] for x in runs["old"])
    n = statistics.median(x[k] for x in runs["new"])
    print(f"{k:58} {o:12.2f} {n:12.2f} {n / o if o else float('nan'):8.2f}")
PY
