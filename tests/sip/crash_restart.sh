#!/usr/bin/env bash
# kill -9 during a recorded call, then a restart. Before: the call's record
# has no end and its WAV header covers less than the file holds (the
# recorder rewrites it every 5 s). After the restart: the record is closed
# with hangup_by system, cause crash, ended at the end of its audio, and
# the WAV's header covers every frame on disk, so it reads whole. The
# recording was paused 3 s into the call and never resumed: the restart
# ends that pause where the file ends, resumed by the system.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"
source "$(dirname "$0")/common.bash"

start_server
AGENT_PORT=$(free_port)
register 1006 secret1006 "$AGENT_PORT"
sipp_bg agent agent_answer.xml -p "$AGENT_PORT" -mi 127.0.0.1 -mp "$(free_port)"
sleep 0.3
sipp_bg caller caller_stay.xml -s 4008002000 -p "$(free_port)" \
	-mi 127.0.0.1 -mp "$(free_port)" -d 30000 "127.0.0.1:$SIP_PORT"
wait_value "SELECT count(*) FROM calls WHERE answered_at IS NOT NULL AND ended_at IS NULL" 1
sleep 3
TOKEN=$(admin_token)
http POST "/api/v1/calls/$(db_value "SELECT id FROM calls WHERE ended_at IS NULL")/recording" \
	'{"action":"pause"}' "$TOKEN" >/dev/null
expect_status 200 "the recording paused"
sleep 5
kill -KILL "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
kill "$SIPP_PID_caller" "$SIPP_PID_agent" 2>/dev/null || true
wait "$SIPP_PID_caller" "$SIPP_PID_agent" 2>/dev/null || true

ID=$(db_value "SELECT id FROM calls WHERE ended_at IS NULL")
[ -n "$ID" ] || fail "no open call after kill -9"
REC="$DATA_DIR/$(db_value "SELECT recording FROM calls WHERE id = '$ID'")"
[ -f "$REC" ] || fail "no recording at $REC"

# wav_state FILE: "HEADER_FRAMES FILE_FRAMES RATE" of a PCM WAV.
wav_state() {
	python3 - "$1" <<'PY'
import os, sys, wave
w = wave.open(sys.argv[1])
align = w.getnchannels() * w.getsampwidth()
size = os.path.getsize(sys.argv[1])
data = size - 44          # libsndfile's PCM WAV header: RIFF, fmt, data
print(w.getnframes(), data // align, w.getframerate())
PY
}
read -r hdr held rate <<<"$(wav_state "$REC")"
[ "$hdr" -lt "$held" ] || fail "the crash left a whole header ($hdr of $held frames): nothing to repair"
ok "after kill -9: call $ID open, its WAV header covers $hdr of $held frames"

start_server
wait_log "call.crash_closed id=$ID"
row=$(db_value "SELECT hangup_by, hangup_cause, talk_s, ended_at - answered_at FROM calls WHERE id = '$ID'")
IFS='|' read -r by cause talk ms <<<"$row"
[ "$by|$cause" = "system|crash" ] || fail "record after restart: $row"
[ "$talk" -ge 7 ] || fail "talk_s $talk: the call talked 8 s"
# Ended at the end of its audio: the recording's length, to the second.
audio_ms=$(( held * 1000 / rate ))
[ $(( ms - audio_ms )) -ge -1000 ] && [ $(( ms - audio_ms )) -le 1000 ] ||
	fail "ended $ms ms after the answer, the audio lasts $audio_ms ms"
ok "the restart closed the call: system/crash, talk_s $talk"

read -r hdr2 held2 _ <<<"$(wav_state "$REC")"
[ "$hdr2" = "$held2" ] && [ "$held2" = "$held" ] ||
	fail "WAV after restart: header $hdr2, file $held2 frames (was $held)"
if command -v soxi >/dev/null; then
	[ "$(soxi -s "$REC")" = "$held" ] || fail "soxi reads $(soxi -s "$REC") samples, not $held"
fi
ok "the WAV reads whole: $held2 frames ($((held2 / rate)) s)"
row=$(db_value "SELECT to_ms, resumed_by, resumed_at IS NOT NULL FROM call_recording_pauses WHERE call_id = '$ID'")
IFS='|' read -r to by closed <<<"$row"
[ "$by|$closed" = "system|1" ] && [ $(( to - audio_ms )) -ge -100 ] && [ $(( to - audio_ms )) -le 100 ] ||
	fail "the open pause after restart: $row (the audio lasts $audio_ms ms)"
ok "the pause the crash left open ends where the file ends ($to ms), by the system"
stop_server

# A second restart finds nothing to close.
start_server
sleep 0.5
! grep -q "call.crash_closed" "$TEST_DIR/server.err" || fail "closed again"
stop_server
ok "nothing is closed twice"
