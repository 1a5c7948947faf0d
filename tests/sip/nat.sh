#!/usr/bin/env bash
# A phone behind NAT (RFC 3581). Agent 1001 registers from 127.0.0.2 (the
# "NAT's public address") with a Via and Contact naming 192.168.77.7:5060,
# a private address nobody can reach, and its SDP names that address too.
# A caller's call must still ring it — at the REGISTER's source — and both
# must hear each other, the RTP sent where the phone's packets come from
# (symmetric RTP). The binding keeps both addresses.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

PARTY="$(dirname "$0")/rtp_party.py"
start_server
TOKEN=$(admin_token)
NAT_PORT=$(free_port)
sipp -sf "$SCEN/register_nat.xml" -s 1001 -au 1001 -ap secret1001 \
	-key contact_host 192.168.77.7 -key expires 300 \
	-i 127.0.0.2 -p "$NAT_PORT" -m 1 -timeout 10s -timeout_error \
	-trace_err -error_file "$TEST_DIR/reg.err" "127.0.0.1:$SIP_PORT" \
	>"$TEST_DIR/reg.out" 2>&1 || { cat "$TEST_DIR/reg.err" >&2; fail "the REGISTER from behind NAT was refused"; }
grep -q "sip.registered ext=1001 contact=sip:1001@192.168.77.7:5060 source=127.0.0.2:$NAT_PORT" "$TEST_DIR/server.err" ||
	fail "the binding: $(grep sip.registered "$TEST_DIR/server.err")"
ok "1001 registered from 127.0.0.2:$NAT_PORT with Contact 192.168.77.7:5060"

python3 "$PARTY" answer --host 127.0.0.2 --bind "$NAT_PORT" --sdp-host 192.168.77.7 \
	--hz 700 --timeout 60 --out "$TEST_DIR/agent.json" &
A_PID=$!
sleep 0.3
python3 "$PARTY" call --port "$SIP_PORT" --number 4008003000 --hz 400 \
	--seconds 5 --timeout 60 --out "$TEST_DIR/caller.json" &
C_PID=$!
wait "$C_PID" "$A_PID" || fail "a party failed"
python3 - "$TEST_DIR/caller.json" "$TEST_DIR/agent.json" <<'PY' || fail "behind NAT: who heard whom"
import json, sys
caller, agent = (json.load(open(p)) for p in sys.argv[1:3])
assert agent["answered"], "the phone behind NAT was never rung"
def share(p, hz):
    fr = [h for ms, h in p["frames"] if h]
    assert len(fr) >= 50, ("frames", len(fr))
    return sum(hz in h for h in fr) / len(fr)
assert share(caller, 700) > 0.8, "the caller does not hear the agent"
assert share(agent, 400) > 0.8, "the agent behind NAT does not hear the caller"
assert agent["bye_from"] == "them", agent["bye_from"]
PY
ok "the call rang 1001 at its REGISTER's source; both heard each other by symmetric RTP; BYE reached it"
grep -q "call.ringing.*\|call.offer.*agent=1001" "$TEST_DIR/server.err" || fail "no offer to 1001"
stop_server
