#!/usr/bin/env bash
# Ring-all on live calls: the sales queue rings every ready agent at once.
# Three registered phones: 1001 answers after a second, 1002 rings until it
# is cancelled, 1003 refuses at once (486). The caller is bridged to 1001
# (both sides' audio in the recording), 1002 gets CANCEL, 1003's refusal is
# a missed ring; the event log shows an offer to each, one answer, and no
# ring-no-answer for 1002, whose ring was cancelled because another agent
# answered. Then a race: 1001 and 1002 both answer at once; exactly one is
# connected, the other's 200 OK crosses Hotline's CANCEL and that dialog is
# acknowledged and hung up with BYE while the call goes on.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

start_server
TOKEN=$(admin_token)
http PUT /api/v1/queues/sales '{"strategy":"ring-all","wrapup_ms":0}' "$TOKEN" >/dev/null
expect_status 200 "ring-all for a live queue"
http GET /api/v1/queues/sales "" "$TOKEN" >/dev/null
[ "$(jbody 'j["strategy"]')" = ring-all ] || fail "strategy not stored: $HTTP_BODY"
ok "sales: strategy ring-all accepted"

P1=$(free_port); P2=$(free_port); P3=$(free_port)
register 1001 secret1001 "$P1"
register 1002 secret1002 "$P2"
register 1003 secret1003 "$P3"

# 1001 answers only after a second, so 1003's refusal comes first and 1002
# is still ringing when the call is answered.
sed 's/<pause milliseconds="300"\/>/<pause milliseconds="1000"\/>/' \
	"$SCEN/agent_answer.xml" >"$TEST_DIR/agent_late.xml"
sipp -sf "$TEST_DIR/agent_late.xml" -i 127.0.0.1 -p "$P1" -mi 127.0.0.1 \
	-mp "$(free_port)" -m 1 -timeout 30s -timeout_error -trace_err \
	-error_file "$TEST_DIR/a1.err" >"$TEST_DIR/a1.out" 2>&1 &
A1=$!
sipp_bg a2 agent_ring.xml -p "$P2"
sipp_bg a3 agent_busy.xml -p "$P3"
sleep 0.3
call_to talk "$SCEN/caller_talk.xml" 4008003000
wait "$A1" || { cat "$TEST_DIR/a1.err" >&2; fail "1001 did not answer and talk"; }
sipp_wait a2 || { cat "$TEST_DIR/a2.err" >&2; fail "1002 was not cancelled"; }
sipp_wait a3 || { cat "$TEST_DIR/a3.err" >&2; fail "1003's refusal went wrong"; }
ok "three phones rang at once: 1001 answered, 1002 got CANCEL, 1003 refused"

last_call "$TOKEN" >"$TEST_DIR/call.json"
CALL_ID=$(python3 - "$TEST_DIR/call.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
assert c["queue"] == "sales" and c["agent"] == "1001", c
assert c["answered_at"] and c["hangup_by"] == "caller", c
assert c["recording"], c
print(c["id"])
PY
) || fail "call record wrong: $(cat "$TEST_DIR/call.json")"
curl -s -o "$TEST_DIR/rec.wav" -H "Authorization: Bearer $TOKEN" \
	"$BASE_URL/api/v1/calls/$CALL_ID/recording"
python3 - "$TEST_DIR/rec.wav" <<'PY' || fail "the bridge carried no audio"
import math, struct, sys, wave
w = wave.open(sys.argv[1])
n = w.getnframes()
data = struct.unpack("<%dh" % (2 * n), w.readframes(n))
for ch, name in ((0, "customer"), (1, "agent")):
    rms = math.sqrt(sum(x * x for x in data[ch::2]) / max(n, 1))
    assert rms > 100, (name, rms)
PY
ok "call $CALL_ID bridged to 1001: record answered, audio both ways in the recording"

# The race. 1003 is out of it; 1001 and 1002 answer (200 OK, no 180) the
# moment they ring, so both answers reach Hotline and one comes second.
http PUT /api/v1/agents/1003/state '{"state":"logged_out"}' "$TOKEN" >/dev/null
expect_status 200 "log 1003 out"
for n in r1:"$P1" r2:"$P2"; do
	sipp -sf "$SCEN/agent_race.xml" -i 127.0.0.1 -p "${n#*:}" -mi 127.0.0.1 \
		-mp "$(free_port)" -m 1 -timeout 30s -timeout_error -trace_err \
		-error_file "$TEST_DIR/${n%%:*}.err" -trace_msg \
		-message_file "$TEST_DIR/${n%%:*}.msg" >"$TEST_DIR/${n%%:*}.out" 2>&1 &
	eval "PID_${n%%:*}=$!"
done
sleep 0.3
sipp_bg race caller_stay.xml -s 4008003000 -d 4000 -p "$(free_port)" \
	-mi 127.0.0.1 -mp "$(free_port)" -trace_msg \
	-message_file "$TEST_DIR/race.msg" "127.0.0.1:$SIP_PORT"
# While the caller is still on the line: one agent talking, the other not.
states=""
for _ in $(seq 1 30); do
	http GET /api/v1/agents "" "$TOKEN" >/dev/null
	states=$(jbody 'sorted(a["state"] for a in j["items"] if a["ext"] in ("1001", "1002"))')
	[ "$states" = "['ready', 'talking']" ] && break
	sleep 0.1
done
[ "$states" = "['ready', 'talking']" ] || fail "mid-call, want one agent talking and one ready: $HTTP_BODY"
sipp_wait race || { cat "$TEST_DIR/race.err" >&2; fail "race caller failed"; }
# Each phone's scenario ends only with a BYE from Hotline after its 200.
wait "$PID_r1" || { cat "$TEST_DIR/r1.err" >&2; fail "1001's phone (race) failed"; }
wait "$PID_r2" || { cat "$TEST_DIR/r2.err" >&2; fail "1002's phone (race) failed"; }
last_call "$TOKEN" >"$TEST_DIR/race.json"
RACE_ID=$(python3 - "$TEST_DIR/race.json" <<'PY2'
import json, sys
c = json.load(open(sys.argv[1]))
assert c["agent"] in ("1001", "1002") and c["answered_at"], c
assert c["hangup_by"] == "caller", c
print(c["id"])
PY2
) || fail "race call record wrong: $(cat "$TEST_DIR/race.json")"
WINNER=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["agent"])' "$TEST_DIR/race.json")
LOSER=$([ "$WINNER" = 1001 ] && echo r2 || echo r1)
WON=$([ "$WINNER" = 1001 ] && echo r1 || echo r2)
# The loser was hung up while the call went on: its BYE came before the
# caller's, the winner's after it. (sipp stamps every message it traces.)
python3 - "$TEST_DIR/$LOSER.msg" "$TEST_DIR/$WON.msg" "$TEST_DIR/race.msg" <<'PY2' || fail "the loser was not hung up during the call"
import re, sys
def when(path, first_line):
    """Time of the first traced message whose first line starts so."""
    text = open(path, errors="replace").read()
    for stamp, body in re.findall(r"-{20,} (\S+ \S+)\n(.*?)(?=\n-{20,} |\Z)", text, re.S):
        lines = [l for l in body.splitlines() if l.strip() and not l.startswith("UDP message")]
        if lines and lines[0].startswith(first_line):
            return stamp
    raise SystemExit("%s: no %s" % (path, first_line))
from datetime import datetime
def t(stamp):
    return datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S.%f").timestamp()
loser_bye = t(when(sys.argv[1], "BYE sip:"))
winner_bye = t(when(sys.argv[2], "BYE sip:"))
caller_bye = t(when(sys.argv[3], "BYE sip:"))
# Three sipp processes stamp their own traces after the fact: on a loaded
# machine the winner can log the relayed BYE a fraction of a millisecond
# before the caller logs sending it. What matters is seconds apart: the
# loser hung up while the caller talked on (4 s), the winner only at the end.
assert loser_bye < caller_bye - 1, (loser_bye, caller_bye, winner_bye)
assert winner_bye > caller_bye - 0.2, (loser_bye, caller_bye, winner_bye)
PY2
ok "race: $WINNER connected; the other phone's late 200 OK was acknowledged and hung up at once"

http GET /api/v1/agents "" "$TOKEN" >/dev/null
[ "$(jbody 'sorted(a["state"] for a in j["items"] if a["ext"] in ("1001", "1002"))')" = "['ready', 'ready']" ] ||
	fail "agents not ready after the calls: $HTTP_BODY"

stop_server
python3 - "$DATA_DIR/hotline.db" "$CALL_ID" "$RACE_ID" "$WINNER" <<'PY' || fail "event log wrong"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
def evs(call):
    return [(t, json.loads(d)) for t, d in db.execute(
        "SELECT type, data FROM events WHERE subject = ? ORDER BY ts, seq", (call,))]
e = evs(sys.argv[2])
offers = sorted(d["agent"] for t, d in e if t == "queue.offer")
assert offers == ["1001", "1002", "1003"], e
rung = sorted(d["agent"] for t, d in e if t == "call.ringing")
assert rung == ["1001", "1002", "1003"], e
answers = [d["agent"] for t, d in e if t == "queue.answer"]
assert answers == ["1001"], e
noans = [(d["agent"], d.get("reason")) for t, d in e if t == "queue.ring_noanswer"]
assert noans == [("1003", "486")], noans   # 1002 was cancelled, not unanswered
r = evs(sys.argv[3])
assert sorted(d["agent"] for t, d in r if t == "queue.offer") == ["1001", "1002"], r
assert [d["agent"] for t, d in r if t == "queue.answer"] == [sys.argv[4]], r
assert not [1 for t, d in r if t == "queue.ring_noanswer"], r
assert len([1 for t, d in r if t == "queue.complete"]) == 1, r
PY
ok "event log: queue.offer to each phone, one queue.answer, ring_noanswer only for 1003's 486"
