# SIP helpers for integration tests (sourced after tests/lib.sh). Not *.sh:
# tests/run.sh runs every tests/sip/*.sh as a test.

# register EXT PASSWORD CONTACT_PORT [EXPIRES]: registers EXT with its Contact
# on CONTACT_PORT (where a sipp agent will answer); fails the test if refused.
register() {
	local ext=$1 pw=$2 cport=$3 exp=${4:-300}
	sipp -sf "$SCEN/register.xml" -s "$ext" -au "$ext" -ap "$pw" \
		-key contact_port "$cport" -key expires "$exp" \
		-i 127.0.0.1 -p "$(free_port)" -m 1 -timeout 10s -timeout_error \
		-trace_err -error_file "$TEST_DIR/reg-$ext.err" \
		"127.0.0.1:$SIP_PORT" >"$TEST_DIR/reg-$ext.out" 2>&1 ||
		{ cat "$TEST_DIR/reg-$ext.err" >&2; fail "register $ext failed"; }
}

# sipp_bg NAME SCENARIO [args…]: runs sipp in the background (its pid in
# SIPP_PID_<NAME>, exit status collected by sipp_wait NAME).
sipp_bg() {
	local name=$1 scen=$2; shift 2
	sipp -sf "$SCEN/$scen" -i 127.0.0.1 -m 1 -timeout 30s -timeout_error \
		-trace_err -error_file "$TEST_DIR/$name.err" "$@" \
		>"$TEST_DIR/$name.out" 2>&1 &
	eval "SIPP_PID_$name=$!"
}

# sipp_wait NAME: waits for a background sipp, returns its exit status.
sipp_wait() {
	local pid
	eval "pid=\$SIPP_PID_$1"
	wait "$pid"
}

# call_to NAME SCENARIO NUMBER [sipp args…]: places one call to NUMBER with
# sipp (a trunk call from loopback, or an extension's with -au/-ap) and
# waits for the scenario to end; fails the test, showing sipp's errors, if
# the scenario does not go as written.
call_to() {
	local name=$1 scen=$2 number=$3; shift 3
	sipp -sf "$scen" -s "$number" -i 127.0.0.1 -p "$(free_port)" \
		-mi 127.0.0.1 -mp "$(free_port)" -m 1 -timeout 20s -timeout_error \
		-trace_err -error_file "$TEST_DIR/$name.err" "$@" \
		"127.0.0.1:$SIP_PORT" >"$TEST_DIR/$name.out" 2>&1 ||
		{ cat "$TEST_DIR/$name.err" >&2; fail "$name: the call did not go as scripted"; }
}

# stay_caller NAME NUMBER STAY_MS FROM [sipp args…]: a trunk call from FROM
# to NUMBER that hangs up STAY_MS after the answer (caller_stay.xml), in the
# background; its pid in PID_NAME, for `eval "wait \$PID_NAME"`.
stay_caller() {
	local name=$1 number=$2 stay=$3 from=$4; shift 4
	sed "s/13800138000/$from/g" "$SCEN/caller_stay.xml" >"$TEST_DIR/$name.xml"
	sipp -sf "$TEST_DIR/$name.xml" -s "$number" -d "$stay" -i 127.0.0.1 \
		-p "$(free_port)" -mi 127.0.0.1 -mp "$(free_port)" -m 1 -timeout 30s \
		-timeout_error -trace_err -error_file "$TEST_DIR/$name.err" \
		"127.0.0.1:$SIP_PORT" "$@" >"$TEST_DIR/$name.out" 2>&1 &
	eval "PID_$name=$!"
}

# last_call TOKEN: prints the newest call record (JSON) once it has ended.
last_call() {
	local calls
	for _ in $(seq 1 50); do
		calls=$(http GET "/api/v1/calls?limit=1" "" "$1")
		[ "$(echo "$calls" | json 'bool(j["items"]) and j["items"][0]["ended_at"] is not None')" = True ] && break
		sleep 0.1
	done
	echo "$calls" | json 'json.dumps(j["items"][0])'
}

# live_call TOKEN: prints the id of the newest call once it is answered and
# not yet ended, waiting up to 15 s; fails (status 1, nothing printed) if
# it never is.
live_call() {
	local id
	for _ in $(seq 1 150); do
		http GET "/api/v1/calls?limit=1" "" "$1" >/dev/null
		id=$(jbody '(j["items"][0]["id"] if j["items"] and j["items"][0]["answered_at"] and not j["items"][0]["ended_at"] else "")')
		[ -n "$id" ] && { echo "$id"; return 0; }
		sleep 0.1
	done
	return 1
}

# call_event_at TOKEN CALL_ID TYPE STATE [N]: waits up to 15 s for the Nth
# (default 1st) event TYPE with data.state STATE on the call; prints its
# server time (epoch s), or fails (status 1, nothing printed).
call_event_at() {
	local t
	for _ in $(seq 1 150); do
		http GET "/api/v1/calls/$2" "" "$1" >/dev/null
		t=$(jbody '([__import__("datetime").datetime.fromisoformat(e["ts"].replace("Z", "+00:00")).timestamp() for e in j["events"] if e["type"] == "'"$3"'" and e["data"].get("state") == "'"$4"'"] + ["", "", ""])['"${5:-1}"' - 1]')
		[ -n "$t" ] && { echo "$t"; return 0; }
		sleep 0.1
	done
	return 1
}

# admin_token: logs in as the demo administrator, prints the token.
# A refusal fails the test with the status and body (a bare KeyError in
# CI's log said nothing of why).
admin_token() {
	login admin admin123
}

SCEN="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/scenarios"

# ivr_caller NAME DID FROM SCENARIO STEPS…: a trunk call to DID from FROM
# that, after the 200, pauses ("p:MS") or presses a key ("k:DIGIT", an RFC
# 4733 event from sipp's pcaps) in order, then ends as SCENARIO does
# (caller_stay: hangs up; caller_wait_bye: waits for our BYE); in the
# background (sipp_wait NAME).
ivr_caller() {
	local name=$1 did=$2 from=$3 scen=$4; shift 4
	python3 - "$SCEN/$scen.xml" "$TEST_DIR/$name.xml" "$from" "$@" <<'PY'
import sys
src, out, frm, steps = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
text = open(src).read().replace("13800138000", frm)
mark = "<pause/>" if "<pause/>" in text else '<recv request="BYE"/>'
head, tail = text.split(mark)
body = ""
for s in steps:
    kind, val = s.split(":")
    if kind == "p":
        body += '  <pause milliseconds="%s"/>\n' % val
    else:
        name = {"*": "star", "#": "pound"}.get(val, val)
        body += ('  <nop><action><exec play_pcap_audio="/usr/share/'
                 'sip-tester/dtmf_2833_%s.pcap"/></action></nop>\n' % name)
if mark != "<pause/>":
    body += "  " + mark
open(out, "w").write(head + body + tail)
PY
	sipp -sf "$TEST_DIR/$name.xml" -s "$did" -i 127.0.0.1 -p "$(free_port)" \
		-mi 127.0.0.1 -mp "$(free_port)" -m 1 -timeout "${IVR_CALLER_TIMEOUT:-60s}" -timeout_error \
		-trace_err -error_file "$TEST_DIR/$name.err" "127.0.0.1:$SIP_PORT" \
		>"$TEST_DIR/$name.out" 2>&1 &
	eval "SIPP_PID_$name=$!"
}

# hears FILE LO HI HZ: the share of the frames in FILE (rtp_party.py's
# --out) between LO and HI (epoch s) in which HZ was heard, two decimals;
# high SHARE: more than 0.8; none SHARE: 0.
hears() {
	python3 -c '
import json, sys
p = json.load(open(sys.argv[1])); lo, hi, hz = float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
fr = [h for ms, h in p["frames"] if lo <= p["answered_at"] + ms / 1000 <= hi]
assert len(fr) >= 15, ("too few frames", sys.argv[1], lo, hi, len(fr))
print("%.2f" % (sum(hz in h for h in fr) / len(fr)))' "$@"
}
high() { python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) > 0.8 else 1)' "$1"; }
none() { [ "$1" = "0.00" ]; }

# wait_log ERE [TENTHS]: until the server's log has a line matching ERE
# (default 10 s). A test that needs one call to reach the server before
# the next starts waits for it, not for a fixed time a loaded machine
# can outrun.
wait_log() {
	for _ in $(seq 1 "${2:-100}"); do
		grep -Eq "$1" "$TEST_DIR/server.err" && return 0
		sleep 0.1
	done
	return 1
}

# db_row SQL WHY: the first row SQL returns from the server's database,
# asked every 0.1 s until there is one (writes reach the file through the
# writer thread a moment after the reply); after 10 s the test fails with
# WHY.
db_row() {
	local v
	for _ in $(seq 1 100); do
		v=$(sqlite3 "$DATA_DIR/hotline.db" "$1")
		[ -n "$v" ] && { echo "$v"; return 0; }
		sleep 0.1
	done
	fail "$2"
}
