# Helpers for the SIP scenario tests; sourced after tests/lib.sh. (Not *.sh:
# tests/run.sh runs every tests/sip/*.sh as a test.)
SIP_TESTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SIPP_N=0

# sipp_run SCENARIO [sipp flags]: one call of tests/sip/SCENARIO.xml from
# $SIPP_IP (127.0.0.1) to the server; 0 when every step went as written.
# Its logs stay in $SIPP_LOGS (messages: $SIPP_LOGS/*_messages.log).
sipp_run() {
	local sc=$1; shift
	SIPP_N=$((SIPP_N + 1))
	SIPP_LOGS="$TEST_DIR/sipp.$SIPP_N"
	mkdir -p "$SIPP_LOGS"
	(cd "$SIPP_LOGS" && timeout 30 sipp "127.0.0.1:$SIP_PORT" \
		-sf "$SIP_TESTS/$sc.xml" -m 1 -timeout 10 -timeout_error \
		-trace_err -trace_msg -nostdin -i "${SIPP_IP:-127.0.0.1}" \
		-p "${SIPP_PORT:-$(free_port)}" "$@" >sipp.out 2>&1)
}

# sipp_ok SCENARIO [flags]: sipp_run, failing the test with sipp's errors.
sipp_ok() {
	sipp_run "$@" || { cat "$SIPP_LOGS"/*errors.log "$SIPP_LOGS/sipp.out" 2>/dev/null | tail -40 >&2; fail "sipp $1 ${*:2}"; }
}

# sipp_received STATUS: the last answer with that status sipp received in
# its last run ("200"), headers only, as its -trace_msg log holds it.
sipp_received() {
	python3 - "$1" "$SIPP_LOGS" <<'PY'
import glob, sys
found = ""
for f in glob.glob(sys.argv[2] + "/*_messages.log"):
    for block in open(f, errors="replace").read().split("\n-----"):
        head, _, msg = block.partition("\n\n")
        if "message received" in head and msg.startswith("SIP/2.0 " + sys.argv[1]):
            found = msg.strip()
print(found)
PY
}

# sip_raw [sipraw.py flags] <<MSG: one hand-written message (see sipraw.py).
sip_raw() { python3 "$SIP_TESTS/sipraw.py" --port "$SIP_PORT" "$@"; }

# db_value SQL: the first column of the first row, read with the sqlite3 CLI.
db_value() { sqlite3 "$DATA_DIR/hotline.db" "$1"; }

# wait_value SQL WANT: polls (at most 10 s) until db_value SQL prints WANT;
# writes reach the file through the writer thread a moment after the reply.
wait_value() {
	local got=""
	for _ in $(seq 1 100); do
		got=$(db_value "$1" 2>/dev/null || true)
		[ "$got" = "$2" ] && return 0
		sleep 0.1
	done
	fail "$1: got '$got', want '$2'"
}

# wait_log REGEX: polls (at most 10 s) until the server's log has a match.
wait_log() {
	for _ in $(seq 1 100); do
		grep -Eq "$1" "$TEST_DIR/server.err" && return 0
		sleep 0.1
	done
	fail "no log line matching $1"
}
