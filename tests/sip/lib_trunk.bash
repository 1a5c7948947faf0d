# Helpers for the trunk tests (sourced after tests/lib.sh and lib_sip.bash;
# not *.sh: tests/run.sh runs every tests/sip/*.sh as a test).

# start_center: a center without the demo's trust in loopback. The demo
# runs once first to create the administrator, the extensions 1001… and
# the DIDs (there is no other way to a first administrator yet), then the
# server restarts on the same data without --demo. Sets TOKEN.
start_center() {
	start_server
	TOKEN=$(admin_token)
	stop_server
	NO_DEMO=1 start_server
	TOKEN=$(admin_token)
}

# api METHOD PATH [BODY] WANT: one admin request that must answer WANT.
api() {
	local method=$1 path=$2 body=$3 want=$4
	http "$method" "$path" "$body" "$TOKEN" >/dev/null
	expect_status "$want" "$method $path $body"
}

# trunk_field NAME EXPR: the Python expression over GET /api/v1/trunks/NAME.
trunk_field() {
	http GET "/api/v1/trunks/$1" "" "$TOKEN" | json "$2"
}

# invite_from SRC NUMBER [sip_raw flags]: one INVITE (no SDP: refusals come
# before it is read) from address SRC to NUMBER; prints the status line of
# the final answer.
invite_from() {
	local src=$1 number=$2; shift 2
	sip_raw --src "$src" "$@" <<-MSG
	INVITE sip:$number@127.0.0.1:$SIP_PORT SIP/2.0
	Via: SIP/2.0/UDP {src}:{lport};branch={branch};rport
	From: <sip:${FROM_USER:-13800138000}@{src}>;tag=1
	To: <sip:$number@127.0.0.1:$SIP_PORT>
	Call-ID: {callid}
	CSeq: 1 INVITE
	Contact: <sip:${FROM_USER:-13800138000}@{src}:{lport}>
	Max-Forwards: 70
	Content-Length: 0
	MSG
}
