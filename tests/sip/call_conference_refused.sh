#!/usr/bin/env bash
# A three-way conference whose third party's phone refuses the re-INVITE to
# the conference's one RTP port (tests/sip/rtp_party.py --refuse-reinvite,
# 488): the caller's and the agent's phones move there, the third party's
# stays on its own port, and all three still hear each other (caller
# 400 Hz, agent 1001 700 Hz, third party 1002 1,100 Hz).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

PARTY="$(dirname "$0")/rtp_party.py"
start_server
TOKEN=$(admin_token)
AGENT=$(login 1001 secret1001)
http PUT /api/v1/queues/sales '{"wrapup_ms":0}' "$TOKEN" >/dev/null
expect_status 200 "no wrap-up"
P1=$(free_port); P2=$(free_port)
register 1001 secret1001 "$P1"
python3 "$PARTY" answer --bind "$P1" --hz 700 --timeout 60 --out "$TEST_DIR/agent.json" &
A_PID=$!
python3 "$PARTY" call --port "$SIP_PORT" --number 4008003000 --hz 400 \
	--timeout 60 --out "$TEST_DIR/caller.json" &
C_PID=$!
CALL_ID=$(live_call "$TOKEN") || fail "the call was never answered"
register 1002 secret1002 "$P2"
http PUT /api/v1/agents/1002/state '{"state":"not_ready","reason":"meeting"}' "$TOKEN" >/dev/null
expect_status 200 "1002 takes no queue calls"
python3 "$PARTY" answer --bind "$P2" --hz 1100 --timeout 60 --refuse-reinvite \
	--out "$TEST_DIR/third.json" &
T_PID=$!

http POST "/api/v1/calls/$CALL_ID/conference" '{"to":"1002"}' "$AGENT" >/dev/null
expect_status 202 "1001 brings 1002 in"
JOINED=$(call_event_at "$TOKEN" "$CALL_ID" call.conference joined) ||
	fail "1002 never joined"
sleep 3.2
http POST "/api/v1/calls/$CALL_ID/hangup" '{}' "$TOKEN" >/dev/null
expect_status 200 "the call is hung up"
wait "$C_PID" "$A_PID" "$T_PID" || fail "a party failed"

# From 0.9 s after the join (the third party's tone starts with its
# answer) to 2.9 s: everyone hears the other two; the caller and the agent
# moved to one port, the third party kept its own.
python3 - "$TEST_DIR" "$JOINED" <<'PY' || fail "the conference with a phone that stayed (above)"
import json, sys
d, joined = sys.argv[1], float(sys.argv[2])
p = {n: json.load(open(f"{d}/{n}.json")) for n in ("caller", "agent", "third")}
C, A, T = 400, 700, 1100
bad = []
for who, hz in (("caller", (A, T)), ("agent", (C, T)), ("third", (C, A))):
    fr = [h for ms, h in p[who]["frames"]
          if joined + 0.9 <= p[who]["answered_at"] + ms / 1000 <= joined + 2.9]
    if len(fr) < 20:
        bad.append(f"{who}: {len(fr)} frames in the window")
        continue
    for f in hz:
        s = sum(f in h for h in fr) / len(fr)
        if s < 0.8:
            bad.append(f"{who} hears {f} Hz in {s:.0%} of frames")
ports = {n: p[n]["rtp_ports"] for n in p}
mux = ports["caller"][-1]
if not (len(ports["caller"]) == 2 and ports["agent"] == [ports["agent"][0], mux]):
    bad.append(f"caller and agent did not move to one port: {ports}")
if len(ports["third"]) != 1 or ports["third"][0] == mux:
    bad.append(f"the third party's port: {ports}")
print("\n".join(bad), file=sys.stderr)
assert not bad
PY
grep -q "call.mux id=$CALL_ID leg=1002 port=[0-9]* err=0" "$TEST_DIR/server.err" ||
	fail "no re-INVITE to 1002: $(grep call.mux "$TEST_DIR/server.err")"
ok "a phone that refuses the move to the conference's port is mixed from its own; the others moved and all three hear each other"
stop_server
