#!/usr/bin/env bash
# Media around the bridge, on direct calls to extension 1006 (a queue DID
# answers at once with music on hold instead): early media (a 183 with SDP
# and the ringback tone while the agent's phone rings) and hold/resume by re-INVITE after the
# answer (Hotline answers sendonly with recvonly, then sendrecv again).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

# A ringback that cannot be read is a configuration error: one line on
# standard error, exit 2, nothing created.
printf '[call]\nringback = %s\n' "$TEST_DIR/missing.wav" >"$TEST_DIR/bad.ini"
rc=0
"$HOTLINE" serve --demo --config "$TEST_DIR/bad.ini" --data "$TEST_DIR/never" \
	--sip "127.0.0.1:$(free_port)" --http "127.0.0.1:$(free_port)" \
	>/dev/null 2>"$TEST_DIR/bad.err" || rc=$?
[ "$rc" = 2 ] && [ "$(wc -l <"$TEST_DIR/bad.err")" = 1 ] && [ ! -e "$TEST_DIR/never" ] ||
	fail "unreadable ringback: rc=$rc, stderr: $(cat "$TEST_DIR/bad.err")"
ok "unreadable ringback file: $(cat "$TEST_DIR/bad.err")"

printf '[call]\nringback = cn\n' >"$TEST_DIR/ringback.ini"
start_server --config "$TEST_DIR/ringback.ini"
AGENT_PORT=$(free_port)
register 1006 secret1006 "$AGENT_PORT"

sipp_bg agent agent_answer.xml -p "$AGENT_PORT" -mi 127.0.0.1 -mp "$(free_port)"
sleep 0.3
call_to early "$SCEN/caller_early.xml" 1006
sipp_wait agent || { cat "$TEST_DIR/agent.err" >&2; fail "agent (early media) failed"; }
ok "ringback: 183 Session Progress with SDP, then 200"

# The ringback may be any sound file libsndfile reads: a 16 kHz stereo WAV
# is resampled to 8 kHz mono at start-up.
stop_server
python3 - "$TEST_DIR/ringback.wav" <<'PY'
import math, struct, sys, wave
w = wave.open(sys.argv[1], "wb"); w.setnchannels(2); w.setsampwidth(2); w.setframerate(16000)
w.writeframes(b"".join(struct.pack("<hh", *(2 * [int(5000 * math.sin(2 * math.pi * 425 * i / 16000))]))
                       for i in range(16000)))
PY
printf '[call]\nringback = %s\n' "$TEST_DIR/ringback.wav" >"$TEST_DIR/ringback-file.ini"
DATA_DIR="$TEST_DIR/data2" start_server --config "$TEST_DIR/ringback-file.ini"
register 1006 secret1006 "$AGENT_PORT"
sipp_bg agent3 agent_answer.xml -p "$AGENT_PORT" -mi 127.0.0.1 -mp "$(free_port)"
sleep 0.3
call_to early2 "$SCEN/caller_early.xml" 1006
sipp_wait agent3 || { cat "$TEST_DIR/agent3.err" >&2; fail "agent (WAV ringback) failed"; }
ok "ringback from a 16 kHz stereo WAV: 183 with SDP, then 200"

sipp_bg agent2 agent_answer.xml -p "$AGENT_PORT" -mi 127.0.0.1 -mp "$(free_port)"
sleep 0.3
call_to hold "$SCEN/caller_hold.xml" 1006
sipp_wait agent2 || { cat "$TEST_DIR/agent2.err" >&2; fail "agent (hold) failed"; }
ok "hold: sendonly answered recvonly; resume: sendrecv"
stop_server
