#!/usr/bin/env bash
# Phone feature codes: a registered extension dials *22 (not ready), *21
# (ready), *23 (log out). Each is answered, confirmed with a short tone and
# hung up by Hotline; the agent's state changes as asked. An unknown code is
# refused with 404.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

start_server
TOKEN=$(admin_token)
register 1003 secret1003 "$(free_port)"

BYE='<recv request="BYE"/>
  <send>
    <![CDATA[

      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]>
  </send>'
python3 - "$SCEN/feature_code.xml" "$TEST_DIR" "$BYE" <<'PY'
import sys
s = open(sys.argv[1]).read()
open(sys.argv[2] + "/fc_ok.xml", "w").write(s.replace("EXPECTED", "200").replace("BYEPART", sys.argv[3]))
open(sys.argv[2] + "/fc_404.xml", "w").write(s.replace("EXPECTED", "404").replace(' rrs="true"', "").replace("      ACK [next_url]", "      ACK sip:[service]@[remote_ip]:[remote_port]").replace("BYEPART", ""))
PY
printf 'SEQUENTIAL\n1003;\n' >"$TEST_DIR/user.csv"
dial() {  # dial CODE SCENARIO
	sipp -sf "$TEST_DIR/$2" -s "$1" -inf "$TEST_DIR/user.csv" -au 1003 -ap secret1003 \
		-i 127.0.0.1 -p "$(free_port)" -mi 127.0.0.1 -mp "$(free_port)" -m 1 \
		-timeout 15s -timeout_error -trace_err -error_file "$TEST_DIR/fc.err" \
		"127.0.0.1:$SIP_PORT" >/dev/null 2>&1 || { cat "$TEST_DIR/fc.err" >&2; fail "dialling $1"; }
}
state() {
	http GET /api/v1/agents "" "$TOKEN" >/dev/null
	jbody '[a["state"] + "/" + a["reason"] for a in j["items"] if a["ext"] == "1003"][0]'
}
[ "$(state)" = "ready/" ] || fail "1003 not ready after registering: $(state)"
dial '*22' fc_ok.xml
[ "$(state)" = "not_ready/phone" ] || fail "*22: $(state)"
ok "*22: answered, confirmed, hung up; 1003 not ready (phone)"
dial '*21' fc_ok.xml
[ "$(state)" = "ready/" ] || fail "*21: $(state)"
ok "*21: ready"
dial '*23' fc_ok.xml
[ "$(state)" = "logged_out/" ] || fail "*23: $(state)"
ok "*23: logged out"
dial '*99' fc_404.xml
ok "*99: 404"
[ "$(db_value 'SELECT count(*) FROM calls' 2>/dev/null || sqlite3 "$DATA_DIR/hotline.db" 'SELECT count(*) FROM calls')" = 0 ] ||
	fail "a feature code left a call record"
stop_server

# queue.phone_login = false over --demo (which turns it on when unset): a
# phone registering leaves its logged-out agent logged out, and *21 still
# logs it in.
printf '[queue]\nphone_login = false\n' >"$TEST_DIR/pl.ini"
start_server --config "$TEST_DIR/pl.ini"
TOKEN=$(admin_token)
register 1003 secret1003 "$(free_port)"
sleep 0.5
[ "$(state)" = "logged_out/" ] || fail "phone_login false: 1003 after registering: $(state)"
dial '*21' fc_ok.xml
[ "$(state)" = "ready/" ] || fail "phone_login false, *21: $(state)"
ok "queue.phone_login = false: registering logs nobody in; *21 does"
stop_server
