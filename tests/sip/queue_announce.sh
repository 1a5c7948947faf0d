#!/usr/bin/env bash
# Position and estimated-wait announcements in real calls. The sales queue
# announces every 2 s; nobody is ready. Two callers wait: each hears, by
# text-to-speech in place of the music, how many are ahead (the first 0,
# the second 1) again and again, and RTP flows to them all along. Then an
# agent's phone registers: the first caller is answered as usual and is
# told nothing more, while the second, still waiting, is now told that
# nobody is ahead.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

dbv() { sqlite3 "$DATA_DIR/hotline.db" "$1"; }
start_server
TOKEN=$(admin_token)

http PUT /api/v1/queues/sales '{"announce_lang":"fr"}' "$TOKEN" >/dev/null
expect_status 400 "unknown language"
echo "$HTTP_BODY" | grep -q announce_lang || fail "reason does not name the field: $HTTP_BODY"
http PUT /api/v1/queues/sales '{"announce_s":-2}' "$TOKEN" >/dev/null
expect_status 400 "negative period"
http PUT /api/v1/queues/sales '{"announce_s":2,"wrapup_ms":0}' "$TOKEN" >/dev/null
expect_status 200 "announce every 2 s"
http GET /api/v1/queues/sales "" "$TOKEN" >/dev/null
[ "$(jbody 'j["announce_s"], j["announce_position"], j["announce_wait"], j["announce_lang"]')" = "2 True True zh" ] ||
	fail "announcement settings not applied: $HTTP_BODY"
ok "announcement settings: bad ones refused, announce_s=2 applied (zh, position and wait)"

RTP_A=$(free_port); RTP_B=$(free_port)
python3 "$(dirname "$0")/rtp_sink.py" --ports "$RTP_A,$RTP_B" --seconds 60 \
	--out "$TEST_DIR/rtp.json" &
SINK_PID=$!
caller() {  # caller NAME STAY_MS RTP_PORT
	sipp -sf "$SCEN/caller_listen.xml" -s 4008003000 -d "$2" \
		-key rtp_port "$3" -i 127.0.0.1 -p "$(free_port)" \
		-mi 127.0.0.1 -mp "$(free_port)" -m 1 -timeout 60s \
		-timeout_error -trace_err -error_file "$TEST_DIR/$1.err" \
		"127.0.0.1:$SIP_PORT" >"$TEST_DIR/$1.out" 2>&1 &
	eval "PID_$1=$!"
}
caller a 20000 "$RTP_A"; sleep 0.5
caller b 28000 "$RTP_B"

# The callers' ids, in the order they entered the queue.
for _ in $(seq 1 50); do
	[ "$(dbv "SELECT count(*) FROM events WHERE type = 'queue.enter'")" = 2 ] && break
	sleep 0.1
done
read -r CALL_A CALL_B <<<"$(dbv "SELECT subject FROM events WHERE type = 'queue.enter' ORDER BY seq" | tr '\n' ' ')"
[ -n "$CALL_A" ] && [ -n "$CALL_B" ] || fail "the callers did not enter the queue"

# announced CALL [POSITION] [AFTER_MS]: how many announcements CALL had
# (saying POSITION, published after AFTER_MS).
announced() {
	dbv "SELECT count(*) FROM events WHERE type = 'queue.announce' AND
	     subject = '$1' AND ('${2:-}' = '' OR json_extract(data, '\$.position') = ${2:-0})
	     AND ts > ${3:-0}"
}
for _ in $(seq 1 200); do
	[ "$(announced "$CALL_A")" -ge 2 ] && [ "$(announced "$CALL_B")" -ge 2 ] && break
	sleep 0.1
done
[ "$(announced "$CALL_A")" -ge 2 ] && [ "$(announced "$CALL_B")" -ge 2 ] ||
	fail "announcements did not repeat: a=$(announced "$CALL_A") b=$(announced "$CALL_B")"
[ "$(announced "$CALL_A" 0)" = "$(announced "$CALL_A")" ] || fail "the first caller was not told 0 ahead"
[ "$(announced "$CALL_B" 1)" = "$(announced "$CALL_B")" ] || fail "the second caller was not told 1 ahead"
dbv "SELECT data FROM events WHERE type = 'queue.announce' AND subject = '$CALL_B' LIMIT 1" >"$TEST_DIR/ann.json"
python3 - "$TEST_DIR/ann.json" "$CALL_B" <<'PY' || fail "queue.announce event wrong: $(cat "$TEST_DIR/ann.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["call_id"] == sys.argv[2] and d["queue"] == "sales", d
assert d["position"] == 1 and d["lang"] == "zh", d
# Nobody staffed, no call handled today: 2 × 3 minutes for one agent.
assert d["ewt_s"] == 360, d
PY
ok "both callers told again and again: the first 0 ahead, the second 1 (ewt 6 min)"

# An agent becomes ready: the first caller is answered as usual.
AGENT_PORT=$(free_port)
sipp -sf "$SCEN/agent_answer.xml" -i 127.0.0.1 -p "$AGENT_PORT" \
	-mi 127.0.0.1 -mp "$(free_port)" -m 1 -timeout 60s -timeout_error \
	-trace_err -error_file "$TEST_DIR/agent.err" >"$TEST_DIR/agent.out" 2>&1 &
AGENT_PID=$!
sleep 0.3
register 1001 secret1001 "$AGENT_PORT"
for _ in $(seq 1 100); do
	[ "$(dbv "SELECT count(*) FROM events WHERE type = 'queue.answer' AND subject = '$CALL_A'")" = 1 ] && break
	sleep 0.1
done
ANSWERED=$(dbv "SELECT ts FROM events WHERE type = 'queue.answer' AND subject = '$CALL_A'")
[ -n "$ANSWERED" ] || fail "the first caller was not answered"
ok "agent 1001 ready: the first caller answered"

# The second caller, still waiting, is now first in line.
for _ in $(seq 1 150); do
	[ "$(announced "$CALL_B" 0 "$ANSWERED")" -ge 1 ] && break
	sleep 0.1
done
[ "$(announced "$CALL_B" 0 "$ANSWERED")" -ge 1 ] || fail "the second caller was not told 0 ahead after the first was answered"
[ "$(announced "$CALL_A" "" "$ANSWERED")" = 0 ] || fail "an answered caller got an announcement"
ok "after the answer: the second caller told 0 ahead, the first told nothing"

for n in a b; do
	eval "wait \$PID_$n" || { cat "$TEST_DIR/$n.err" >&2; fail "caller $n failed"; }
done
wait "$AGENT_PID" || { cat "$TEST_DIR/agent.err" >&2; fail "agent's phone failed"; }
kill -TERM "$SINK_PID"
wait "$SINK_PID" || fail "RTP sink failed"
python3 - "$TEST_DIR/rtp.json" "$RTP_A" "$RTP_B" <<'PY' || fail "RTP to the callers wrong: $(cat "$TEST_DIR/rtp.json")"
import json, sys
st = json.load(open(sys.argv[1]))
a, b = st[sys.argv[2]], st[sys.argv[3]]
# Both waited well over 10 s: music, speech and music again, 50 packets a
# second (counted loosely: the machine may be busy).
assert a["packets"] > 200 and b["packets"] > 200, st
# Speech peaks well above the music: the announcements reached the caller.
assert b["loud"] > 20, st
PY
ok "RTP flowed to both callers, the announcements audible in it"

# call_is CALL EXPR WANT: polls the call's record (written behind) for it.
call_is() {
	for _ in $(seq 1 50); do
		http GET "/api/v1/calls/$1" "" "$TOKEN" >/dev/null
		[ "$(jbody "$2")" = "$3" ] && return 0
		sleep 0.1
	done
	fail "call record $1: want $3 for $2: $HTTP_BODY"
}
call_is "$CALL_A" 'j["agent"], j["answered_at"] is not None, j["ended_at"] is not None' "1001 True True"
call_is "$CALL_B" 'j["agent"], j["answered_at"], j["hangup_by"]' "None None caller"
stop_server
[ "$(dbv "SELECT count(*) FROM events WHERE type = 'queue.abandon'")" = 1 ] || fail "abandon not logged"
ok "call records: the first answered by 1001, the second abandoned"

# The settings survive a restart.
DATA_DIR=$DATA_DIR start_server
TOKEN=$(admin_token)
http GET /api/v1/queues/sales "" "$TOKEN" >/dev/null
[ "$(jbody 'j["announce_s"], j["announce_lang"]')" = "2 zh" ] || fail "settings lost on restart: $HTTP_BODY"
ok "restart: announce_s kept"
# The same speech worker made the default voicemail greeting: spoken words
# (seconds of them) before the 0.7 s of pause and beep.
ms=$(sed -n 's/.*voicemail.greeting_ready ms=\([0-9]*\).*/\1/p' "$TEST_DIR/server.err" | tail -1)
[ -n "$ms" ] && [ "$ms" -gt 1500 ] || fail "no spoken voicemail greeting (ms=$ms)"
ok "the spoken voicemail greeting is ready (${ms} ms)"
stop_server
