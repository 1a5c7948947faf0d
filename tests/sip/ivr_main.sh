#!/usr/bin/env bash
# The demo's main line, 4008001000, is the IVR "main" of docs/contract.md:
# a greeting, then "1 for sales, 2 for support". Real calls with RFC 4733
# keys from sipp: 1 (pressed during the greeting: barge-in, the menu takes
# it) reaches a sales agent, 2 a support agent; a wrong key twice reaches
# support, and so does silence, 10 s after the menu has been heard. Every
# node visit is written with the exit taken.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

start_server
TOKEN=$(admin_token)

# ivr_caller NAME FROM STEPS…: a trunk call to 4008001000 from FROM that
# then, in order, pauses ("p:MS") or presses a key ("k:DIGIT"), then hangs
# up; runs in the background (sipp_wait NAME).
ivr_caller() {
	local name=$1 from=$2; shift 2
	python3 - "$SCEN/caller_stay.xml" "$TEST_DIR/$name.xml" "$from" "$@" <<'PY'
import sys
src, out, frm, steps = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
head, tail = open(src).read().replace("13800138000", frm).split("<pause/>")
body = ""
for s in steps:
    kind, val = s.split(":")
    if kind == "p":
        body += '  <pause milliseconds="%s"/>\n' % val
    else:
        name = {"*": "star", "#": "pound"}.get(val, val)
        body += ('  <nop><action><exec play_pcap_audio="/usr/share/'
                 'sip-tester/dtmf_2833_%s.pcap"/></action></nop>\n' % name)
open(out, "w").write(head + body + tail)
PY
	sipp -sf "$TEST_DIR/$name.xml" -s 4008001000 -i 127.0.0.1 -p "$(free_port)" \
		-mi 127.0.0.1 -mp "$(free_port)" -m 1 -timeout 60s -timeout_error \
		-trace_err -error_file "$TEST_DIR/$name.err" "127.0.0.1:$SIP_PORT" \
		>"$TEST_DIR/$name.out" 2>&1 &
	eval "SIPP_PID_$name=$!"
}

# One sales agent, three support agents: each phone answers one call.
for ext in 1001 1006 1007 1008; do
	port=$(free_port)
	register "$ext" "secret$ext" "$port"
	sipp_bg "a$ext" agent_answer.xml -p "$port" -mi 127.0.0.1 -mp "$(free_port)" -timeout 60s
done
sleep 0.3

ivr_caller one 13900000001 p:1500 k:1 p:4000           # barge-in: 1 during the greeting
ivr_caller two 13900000002 p:9000 k:2 p:3000           # 2 after the menu was heard
# sipp's key captures come from one RTP stream, in key order: a call plays
# them in rising order, or the later key looks like an old packet.
ivr_caller bad 13900000003 p:9000 k:7 p:1500 k:9 p:3000  # wrong twice
ivr_caller mute 13900000004 p:30000                    # silence
for n in one two bad mute; do
	sipp_wait "$n" || { cat "$TEST_DIR/$n.err" >&2; fail "caller $n: the call did not go as scripted"; }
done
for ext in 1001 1006 1007 1008; do
	sipp_wait "a$ext" || { cat "$TEST_DIR/a$ext.err" >&2; fail "agent $ext's phone failed"; }
done

for _ in $(seq 1 50); do
	http GET "/api/v1/calls?limit=10" "" "$TOKEN" >"$TEST_DIR/calls.json"
	[ "$(json 'sum(1 for c in j["items"] if c["ended_at"])' <"$TEST_DIR/calls.json")" = 4 ] && break
	sleep 0.1
done
python3 - "$TEST_DIR/calls.json" <<'PY' || fail "where the callers went: $(cat "$TEST_DIR/calls.json")"
import json, sys
c = {x["from"]: x for x in json.load(open(sys.argv[1]))["items"]}
want = {"13900000001": ("sales", {"1001"}),
        "13900000002": ("support", {"1006", "1007", "1008"}),
        "13900000003": ("support", {"1006", "1007", "1008"}),
        "13900000004": ("support", {"1006", "1007", "1008"})}
for frm, (queue, agents) in want.items():
    x = c[frm]
    assert x["to"] == "4008001000", x
    assert x["queue"] == queue and x["agent"] in agents, x
    assert x["answered_at"] and x["ended_at"], x
PY
ok "1 → sales, 2 → support, two wrong keys → support, silence → support"

# The visits: node, exit taken and keys, in order, per caller.
sqlite3 "$DATA_DIR/hotline.db" "SELECT c.caller, v.node, v.exit, v.digits, v.retries,
	v.left_at - v.entered_at FROM ivr_visits v JOIN calls c ON c.id = v.call_id
	ORDER BY c.caller, v.seq" >"$TEST_DIR/visits.txt"
python3 - "$TEST_DIR/visits.txt" <<'PY' || fail "visits: $(cat "$TEST_DIR/visits.txt")"
import sys
v = {}
for line in open(sys.argv[1]):
    caller, node, exit, digits, retries, ms = line.rstrip("\n").split("|")
    v.setdefault(caller, []).append((node, exit, digits, int(retries), int(ms)))
one, two, bad, mute = (v["1390000000%d" % i] for i in (1, 2, 3, 4))
assert [x[:2] for x in one] == [("welcome", "next"), ("menu", "1"), ("sales", "queue")], one
assert one[0][2] == "1", one               # the key cut the greeting short
assert [x[:3] for x in two] == [("welcome", "next", ""), ("menu", "2", "2"), ("support", "queue", "")], two
assert [x[:4] for x in bad][1] == ("menu", "invalid", "79", 1), bad
assert [x[:2] for x in mute] == [("welcome", "next"), ("menu", "timeout"), ("support", "queue")], mute
# Silence: the menu waited its 10 s after its prompt, not from its start.
assert mute[1][4] >= 10000, mute
PY
ok "every node visit written with its exit, keys and retries"
stop_server
ok "the server stops cleanly after IVR calls"
