#!/usr/bin/env bash
# Dead calls end: with call.rtp_timeout_s = 2, an answered caller who sends
# no RTP is hung up (system, rtp_timeout) about 2 s after the answer; a
# caller who talks is not; nor is one who holds (a=sendonly, sending
# nothing by design) for longer than the timeout and then resumes.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"
source "$(dirname "$0")/common.bash"

printf '[call]\nrtp_timeout_s = 2\n' >"$TEST_DIR/hotline.ini"
start_server --config "$TEST_DIR/hotline.ini"

sipp_bg silent caller_stay.xml -s 4008003000 -p "$(free_port)" \
	-mi 127.0.0.1 -mp "$(free_port)" -d 10000 "127.0.0.1:$SIP_PORT"
wait_value "SELECT hangup_by || ' ' || hangup_cause FROM calls WHERE ended_at IS NOT NULL" "system rtp_timeout"
sipp_wait silent && fail "the silent caller's call was not ended by us"
# The queue answers at once (music on hold): about 2 s after the start.
talk=$(db_value "SELECT ended_at - started_at FROM calls")
[ "$talk" -ge 1900 ] && [ "$talk" -le 4500 ] || fail "ended $talk ms after the start, want about 2000"
ok "a caller silent for 2 s is hung up: system, rtp_timeout ($talk ms after the answer)"

call_to talker "$SCEN/caller_talk.xml" 4008003000
wait_value "SELECT count(*) FROM calls WHERE hangup_by = 'caller'" 1
ok "a caller who talks for 4 s is not"

# caller_hold, holding for 3.5 s instead of 0.5 s (and sending no RTP).
awk '/<pause milliseconds="500"\/>/ && ++n == 2 { sub(/500/, "3500") } 1' \
	"$SCEN/caller_hold.xml" >"$TEST_DIR/hold.xml"
grep -q 'milliseconds="3500"' "$TEST_DIR/hold.xml" || fail "no long hold in the scenario"
call_to holder "$TEST_DIR/hold.xml" 4008003000
wait_value "SELECT count(*) FROM calls WHERE hangup_by = 'caller'" 2
ok "a caller on hold (sendonly) for 3.5 s is not either"
stop_server
