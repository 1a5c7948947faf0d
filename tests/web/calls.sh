#!/usr/bin/env bash
# The calls page in a real browser: calls with real WAV recordings are
# seeded (sqlite3 CLI and files under the data directory, as
# tests/api/recordings_archive.sh does); the supervisor filters by number,
# selects two calls, downloads them as one archive (the browser's own
# download) and the test checks it is a ZIP holding both recordings and
# the manifest. A measured call's player draws its two lanes as the API
# gives them, and a click on them seeks the recording. Screenshots in
# Chinese and English at 1366×768.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../sip/lib_sip.bash"
source "$(dirname "$0")/lib_web.bash"

start_server
DB="$DATA_DIR/hotline.db"
NOW=$(( $(date +%s) * 1000 - 3600000 ))
# With the calls, in one transaction, their audio measures: w1 measured,
# with the lanes of its recording player (the timeline calls.mjs checks
# against the API and seeks on), w3's file missing (the measuring
# thread's catch-up at start sees either none of these calls or calls
# that have their rows).
sqlite3 -cmd '.timeout 5000' "$DB" "BEGIN; INSERT INTO calls (id, direction, caller, callee,
	started_at, answered_at, ended_at, duration_s, talk_s, agent, queue, hangup_by, recording) VALUES
 ('w1','inbound','13800138001','4008001000',$NOW,$NOW,$((NOW+60000)),60,55,'1001','sales','caller','recordings/w1.wav'),
 ('w2','inbound','13800138002','4008001000',$((NOW+60000)),$((NOW+61000)),$((NOW+90000)),30,29,'1002','sales','agent','recordings/w2.wav'),
 ('w3','inbound','13912345678','4008002000',$((NOW+120000)),$((NOW+121000)),$((NOW+130000)),10,9,'1002','support','agent','recordings/w3.wav');
 INSERT INTO call_audio (call_id, status, error, measured_at, duration_ms, customer_talk_ms,
	agent_talk_ms, overtalk_ms, longest_silence_ms, silences_over_10s, hold_ms, agent_words_per_min, timeline) VALUES
 ('w1','ok',NULL,$NOW,60000,30000,24000,6000,12500,1,0,182.5,
  '{\"duration_ms\":60000,\"merge_ms\":200,\"silence_min_ms\":5000,\"customer\":[[1000,20000],[33000,44000]],\"agent\":[[15000,33000],[39000,45000]],\"overtalk\":[[15000,20000],[39000,44000]],\"silence\":[[47500,60000]],\"hold\":[[45000,47500]]}'),
 ('w3','missing','w3.wav: no such file',$NOW,0,0,0,0,0,0,0,0,NULL);
 COMMIT;"
sqlite3 -cmd '.timeout 5000' "$DB" "UPDATE calls SET wrapup_code = 'inquiry' WHERE id = 'w2'"
mkdir -p "$DATA_DIR/recordings"
# w1's file lasts the 60 s its timeline says, so a click can seek into it.
for c in w1:480000 w2:16000 w3:16000; do
	python3 -c 'import sys, wave
w = wave.open(sys.argv[1], "wb"); w.setnchannels(2); w.setsampwidth(2); w.setframerate(8000)
w.writeframes(b"\x01\x00\x02\x00" * int(sys.argv[2])); w.close()' "$DATA_DIR/recordings/${c%:*}.wav" "${c#*:}"
done
web_start calls.mjs "$TEST_DIR/download.zip"
web_end
python3 - "$TEST_DIR/download.zip" <<'PY' || fail "the downloaded archive"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
n = sorted(z.namelist())
assert len(n) == 3 and n[0] == "manifest.csv", n
assert n[1].startswith("w1_13800138001_4008001000_") and n[2].startswith("w2_13800138002_"), n
PY
ok "the browser saved a ZIP with the two selected recordings and the manifest"
stop_server
