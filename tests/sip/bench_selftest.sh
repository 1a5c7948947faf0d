#!/usr/bin/env bash
# bench/calls checks itself: its callers dial its own answering agents over
# loopback (no server), and it must see every call answered, no loss, the
# DTMF digits arrive, loss it causes on purpose measured, and a 404 counted;
# its RTP receiver must count gaps, late, duplicate and wrapped packets.
set -euo pipefail
: "${BUILD:?run through tests/run.sh}"
CALLS="$BUILD/bench/calls"
[ -x "$CALLS" ] || { echo "FAIL: $CALLS not built" >&2; exit 1; }

out=$(timeout 120 "$CALLS" --self-test) || { echo "$out"; echo "FAIL: self-test" >&2; exit 1; }
echo "$out"
! grep -q '^FAIL' <<<"$out" || { echo "FAIL: a self-test case failed" >&2; exit 1; }
[ "$(grep -c '^ok: ' <<<"$out")" -eq 10 ] || { echo "FAIL: expected 10 ok lines" >&2; exit 1; }

# A bad flag is one line on stderr and exit status 2.
rc=0; "$CALLS" --rate fast 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || { echo "FAIL: bad flag exited $rc, not 2" >&2; exit 1; }
rc=0; "$CALLS" --dial 1001 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || { echo "FAIL: missing --target exited $rc, not 2" >&2; exit 1; }
echo "ok: bench/calls self-test"
