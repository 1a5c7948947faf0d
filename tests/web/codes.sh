#!/usr/bin/env bash
# Reasons and wrap-up codes in a real browser: the administrator sees the
# seeded lists on 示忙原因与小结代码, a taken code is refused with the
# server's reason, a reason and a queue's wrap-up code are added, and
# support is switched to require a wrap-up code; the API has all of it.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../sip/lib_sip.bash"
source "$(dirname "$0")/lib_web.bash"

start_server
TOKEN=$(admin_token)
web_start codes.mjs
web_wait done 90
http GET /api/v1/not-ready-reasons "" "$TOKEN" >/dev/null
[ "$(jbody '[(r["label_zh"], r["active"]) for r in j["items"] if r["code"]=="coaching"]')" = "[('辅导', True)]" ] ||
	fail "reason coaching: $HTTP_BODY"
[ "$(jbody '[r["label_en"] for r in j["items"] if r["code"]=="break"]')" = "['Break']" ] ||
	fail "the refused duplicate changed break: $HTTP_BODY"
http GET /api/v1/wrapup-codes "" "$TOKEN" >/dev/null
[ "$(jbody '[(r["label_zh"], r["queue"]) for r in j["items"] if r["code"]=="refund"]')" = "[('退款', 'support')]" ] ||
	fail "code refund: $HTTP_BODY"
http GET /api/v1/queues/support "" "$TOKEN" >/dev/null
[ "$(jbody 'j["wrapup_required"]')" = True ] || fail "support: $HTTP_BODY"
ok "the console's reason, code and queue setting are stored"
web_end
stop_server
