#!/usr/bin/env bash
# The recording consent prompt (本次通话可能会被录音), per DID and per queue,
# checked by what the caller hears and by when the queue hears of the call.
# The DID's prompt is an uploaded 2 s tone of 1,100 Hz, queue sales's an
# uploaded 1 s tone of 1,500 Hz; the caller speaks 400 Hz, agent 1001's
# phone 700 Hz (tests/sip/rtp_party.py).
#  - the DID with a prompt: the caller hears 1,100 Hz for its length, never
#    the queue's 1,500 Hz (not twice), and the agent only after it; the
#    queue is entered (queue.enter) only once it is over;
#  - the queue's own DID: its 1,500 Hz, then the agent;
#  - the demo's DID 4008006000: the spoken prompt, the queue's not after it;
#  - a caller transferred to queue support, which has a prompt too, after
#    hearing the DID's: no second prompt, the queue entered at once;
#  - refusals: a consent_file that is not an uploaded prompt, for a queue
#    and for a DID (400, nothing changed).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

PARTY="$(dirname "$0")/rtp_party.py"
start_server
TOKEN=$(admin_token)
http PUT /api/v1/queues/sales '{"wrapup_ms":0}' "$TOKEN" >/dev/null
expect_status 200 "no wrap-up"

python3 - "$TEST_DIR" <<'PY'
import math, struct, sys, wave
for name, hz, secs in (("did", 1100, 2.0), ("queue", 1500, 1.0)):
    with wave.open("%s/%s.wav" % (sys.argv[1], name), "wb") as w:
        w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)
        n = int(secs * 8000)
        w.writeframes(struct.pack("<%dh" % n, *(int(8000 * math.sin(2 * math.pi * hz * i / 8000)) for i in range(n))))
PY
for p in did queue; do
	http PUT "/api/v1/prompts/consent_$p" "" "$TOKEN" -H 'Content-Type: audio/wav' \
		--data-binary "@$TEST_DIR/$p.wav" >/dev/null
	expect_status 201 "upload consent_$p"
done

http PUT /api/v1/queues/sales '{"consent_file":"nosuch"}' "$TOKEN" >/dev/null
expect_status 400 "a queue's consent_file must be an uploaded prompt"
http PUT /api/v1/queues/sales '{"consent_file":"../etc/passwd"}' "$TOKEN" >/dev/null
expect_status 400 "a consent_file is a prompt's name, not a path"
http PUT /api/v1/dids/4008009000 '{"target_kind":"queue","target":"sales","consent_file":"nosuch"}' "$TOKEN" >/dev/null
expect_status 400 "a DID's consent_file must be an uploaded prompt"
http GET /api/v1/dids "" "$TOKEN" >/dev/null
[ "$(jbody '[d for d in j["items"] if d["did"] == "4008009000"]')" = "[]" ] || fail "a refused DID was stored: $HTTP_BODY"
http PUT /api/v1/queues/sales '{"consent_file":"consent_queue"}' "$TOKEN" >/dev/null
expect_status 200 "queue sales plays consent_queue"
[ "$(jbody '(j["consent_file"], j["consent_text"])')" = "('consent_queue', '')" ] || fail "the queue: $HTTP_BODY"
http PUT /api/v1/dids/4008009000 '{"target_kind":"queue","target":"sales","consent_file":"consent_did"}' "$TOKEN" >/dev/null
expect_status 200 "DID 4008009000 plays consent_did"
[ "$(jbody 'j["consent_file"]')" = consent_did ] || fail "the DID: $HTTP_BODY"
http GET /api/v1/dids "" "$TOKEN" >/dev/null
[ "$(jbody '[d["consent_text"] for d in j["items"] if d["did"] == "4008006000"]')" = "['本次通话可能会被录音']" ] ||
	fail "the demo's consent DID: $HTTP_BODY"
ok "consent prompts set on a DID and a queue; bad ones refused"

AGENT_PORT=$(free_port)
register 1001 secret1001 "$AGENT_PORT"

# call NUMBER NAME: a call from a 400 Hz caller to NUMBER, answered by
# 1001's 700 Hz phone; the caller hangs up 2 s after the answer. Leaves
# what each party heard and the call record in $TEST_DIR/NAME.*.json.
call() {
	local number=$1 name=$2 id=
	python3 "$PARTY" answer --bind "$AGENT_PORT" --hz 700 --timeout 90 \
		--out "$TEST_DIR/$name.agent.json" &
	local agent_pid=$!
	python3 "$PARTY" call --port "$SIP_PORT" --number "$number" --hz 400 \
		--bye-file "$TEST_DIR/$name.bye" --timeout 90 \
		--out "$TEST_DIR/$name.caller.json" &
	local caller_pid=$!
	for _ in $(seq 1 300); do
		http GET "/api/v1/calls?limit=1" "" "$TOKEN" >/dev/null
		id=$(jbody '(j["items"][0]["id"] if j["items"] and j["items"][0]["to"] == "'"$number"'" and j["items"][0]["answered_at"] and not j["items"][0]["ended_at"] else "")')
		[ -n "$id" ] && break
		sleep 0.1
	done
	[ -n "$id" ] || fail "$name: the call to $number was never answered"
	sleep 2
	touch "$TEST_DIR/$name.bye"
	wait "$caller_pid" || fail "$name: the caller failed"
	wait "$agent_pid" || fail "$name: the agent failed"
	last_call "$TOKEN" >/dev/null
	http GET "/api/v1/calls/$id" "" "$TOKEN" >/dev/null
	echo "$HTTP_BODY" >"$TEST_DIR/$name.call.json"
}

# check NAME HZ SECONDS NOT_HZ: the caller heard HZ for about SECONDS, never
# NOT_HZ, and the agent's 700 Hz only after HZ; queue.enter came SECONDS
# after call.created at least. HZ 0 and NOT_HZ 0: a spoken prompt, whose
# frames may carry any frequency (only the timing).
check() {
	python3 - "$TEST_DIR/$1" "$2" "$3" "$4" <<'PY'
import datetime, json, sys
base, hz, secs, not_hz = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
caller, call = json.load(open(base + ".caller.json")), json.load(open(base + ".call.json"))
def at(kind):
    ts = [e["ts"] for e in call["events"] if e["type"] == kind][0]
    return datetime.datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp()
waited = at("queue.enter") - at("call.created")
assert waited >= secs - 0.1, ("the queue heard of the call before the prompt ended", waited)
assert at("queue.offer") >= at("queue.enter"), "offered before entering"
fr = caller["frames"]
talk = [ms for ms, h in fr if 700 in h]
assert talk, "the caller never heard the agent"
assert not not_hz or not [ms for ms, h in fr if not_hz in h], ("the other consent prompt was heard too", not_hz)
if hz:
    prompt = [ms for ms, h in fr if hz in h]
    assert prompt, "the caller never heard the consent prompt"
    assert prompt[-1] - prompt[0] >= (secs - 0.4) * 1000, ("the prompt was cut", prompt[0], prompt[-1])
    assert len(prompt) * 20 >= (secs - 0.4) * 1000, ("too little of the prompt", len(prompt))
    # >=: the frame where the prompt ends may already carry the agent
    assert talk[0] >= prompt[-1], ("the agent before the end of the prompt", talk[0], prompt[-1])
    print("%s: prompt heard %d..%d ms, agent from %d ms" % (base.split("/")[-1], prompt[0], prompt[-1], talk[0]))
print("%s: queue entered %.2f s after the call came" % (base.split("/")[-1], waited))
PY
}

call 4008009000 did
check did 1100 2.0 1500 || fail "the DID's consent prompt"
ok "DID 4008009000: its 2 s prompt, then the agent; the queue's not repeated; queue.enter after it"

call 4008003000 queue
check queue 1500 1.0 1100 || fail "the queue's consent prompt"
ok "queue sales (DID without a prompt): its 1 s prompt, then the agent"

call 4008006000 demo
check demo 0 1.0 0 || fail "the demo's spoken consent prompt"
# Speech may carry 1,500 Hz: whose prompt played is asked of the log.
DEMO_ID=$(json 'j["id"]' <"$TEST_DIR/demo.call.json")
[ "$(grep -c "call.consent id=$DEMO_ID " "$TEST_DIR/server.err")" = 1 ] &&
	grep -q "call.consent id=$DEMO_ID queue=sales from=did file= *\$" "$TEST_DIR/server.err" ||
	fail "one consent prompt, the DID's: $(grep "call.consent" "$TEST_DIR/server.err")"
ok "demo DID 4008006000: the spoken prompt (本次通话可能会被录音), the queue's not after it"
# A caller who heard the DID's prompt and is transferred to queue support,
# which has a prompt too, does not hear that one: straight into the queue.
http PUT /api/v1/queues/support '{"wrapup_ms":0,"consent_file":"consent_queue"}' "$TOKEN" >/dev/null
expect_status 200 "queue support plays consent_queue"
SUPPORT_PORT=$(free_port)
register 1006 secret1006 "$SUPPORT_PORT"
python3 "$PARTY" answer --bind "$SUPPORT_PORT" --hz 700 --timeout 90 \
	--out "$TEST_DIR/moved.agent2.json" &
AGENT2_PID=$!
python3 "$PARTY" answer --bind "$AGENT_PORT" --hz 700 --timeout 90 \
	--out "$TEST_DIR/moved.agent.json" &
AGENT1_PID=$!
python3 "$PARTY" call --port "$SIP_PORT" --number 4008009000 --hz 400 \
	--bye-file "$TEST_DIR/moved.bye" --timeout 90 --out "$TEST_DIR/moved.caller.json" &
CALLER_PID=$!
ID=
for _ in $(seq 1 300); do
	http GET "/api/v1/calls?limit=1" "" "$TOKEN" >/dev/null
	ID=$(jbody '(j["items"][0]["id"] if j["items"] and j["items"][0]["agent"] == "1001" and not j["items"][0]["ended_at"] else "")')
	[ -n "$ID" ] && break
	sleep 0.1
done
[ -n "$ID" ] || fail "the call to transfer was never answered"
http POST "/api/v1/calls/$ID/transfer" '{"to":"support"}' "$TOKEN" >/dev/null
expect_status 202 "transfer to support"
for _ in $(seq 1 300); do
	http GET "/api/v1/calls/$ID" "" "$TOKEN" >/dev/null
	[ "$(jbody 'j["agent"]')" = 1006 ] && break
	sleep 0.1
done
[ "$(jbody 'j["agent"]')" = 1006 ] || fail "support never answered: $HTTP_BODY"
sleep 2
touch "$TEST_DIR/moved.bye"
wait "$CALLER_PID" || fail "the transferred caller failed"
wait "$AGENT1_PID" "$AGENT2_PID" || fail "an agent failed"
last_call "$TOKEN" >/dev/null
http GET "/api/v1/calls/$ID" "" "$TOKEN" >/dev/null
echo "$HTTP_BODY" >"$TEST_DIR/moved.call.json"
python3 - "$TEST_DIR/moved" <<'PY' || fail "the transferred caller heard a second prompt"
import datetime, json, sys
caller, call = json.load(open(sys.argv[1] + ".caller.json")), json.load(open(sys.argv[1] + ".call.json"))
def ts(e):
    return datetime.datetime.fromisoformat(e["ts"].replace("Z", "+00:00")).timestamp()
fr = caller["frames"]
assert [ms for ms, h in fr if 1100 in h], "the DID's prompt was not heard"
assert not [ms for ms, h in fr if 1500 in h], "support's prompt was heard after the DID's"
enters = [e for e in call["events"] if e["type"] == "queue.enter"]
moved = [e for e in call["events"] if e["type"] == "call.transfer"]
assert [e["data"]["queue"] for e in enters] == ["sales", "support"], enters
assert ts(enters[1]) - ts(moved[0]) < 0.9, ("support's queue was entered late", ts(enters[1]) - ts(moved[0]))
PY
ok "transferred to a queue with a prompt: not heard a second time, the queue entered at once"
stop_server
