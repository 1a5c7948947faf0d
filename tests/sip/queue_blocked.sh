#!/usr/bin/env bash
# Blocked calls (忙音): with call.max_calls = 1 the center has one line. A
# first caller waits in the sales queue; a second caller to sales gets 486
# Busy Here and never reaches the queue, and the KPIs count it as blocked:
# blocking rate = blocked / (entered + blocked) = 1/2.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

printf '[call]\nmax_calls = 1\n' >"$TEST_DIR/lines.ini"
start_server --config "$TEST_DIR/lines.ini"
TOKEN=$(admin_token)

sipp -sf "$SCEN/caller_stay.xml" -s 4008003000 -d 3000 -i 127.0.0.1 \
	-p "$(free_port)" -mi 127.0.0.1 -mp "$(free_port)" -m 1 -timeout 20s \
	-timeout_error -trace_err -error_file "$TEST_DIR/first.err" \
	"127.0.0.1:$SIP_PORT" >"$TEST_DIR/first.out" 2>&1 &
FIRST=$!
sleep 0.5
sed "s/EXPECTED/486/g; s|MLINE|m=audio [media_port] RTP/AVP 0\\na=rtpmap:0 PCMU/8000|" \
	"$SCEN/caller_expect.xml" >"$TEST_DIR/busy.xml"
call_to busy "$TEST_DIR/busy.xml" 4008003000
wait "$FIRST" || { cat "$TEST_DIR/first.err" >&2; fail "the first caller failed"; }
ok "one line: the second caller to sales heard busy (486)"

for _ in $(seq 1 50); do
	http GET "/api/v1/reports/kpi?queue=sales&interval=1d" "" "$TOKEN" >/dev/null
	[ "$(jbody 'j["rows"][0]["counts"]["entered"] if j["rows"] else 0')" = 1 ] && break
	sleep 0.1
done
echo "$HTTP_BODY" >"$TEST_DIR/kpi.json"
python3 - "$TEST_DIR/kpi.json" <<'PY' || fail "KPIs wrong: $(cat "$TEST_DIR/kpi.json")"
import json, sys
row = json.load(open(sys.argv[1]))["rows"][0]
c, k = row["counts"], row["kpis"]
assert c["entered"] == 1 and c["blocked"] == 1, c
assert abs(k["blocking_rate"] - 0.5) < 1e-9, k
PY
http GET "/api/v1/calls?limit=5" "" "$TOKEN" >/dev/null
[ "$(jbody 'len(j["items"])')" = 1 ] || fail "the blocked call made a call record: $HTTP_BODY"
ok "KPIs: entered 1, blocked 1, blocking rate 0.5"
stop_server
