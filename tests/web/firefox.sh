#!/usr/bin/env bash
# The console in Firefox (firefox.mjs says what the browser side checks):
# every page in Chinese and English at 1366×768, then a real call to the
# main line, key 1, pops up on agent 1001's desktop.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../sip/lib_sip.bash"
source "$(dirname "$0")/lib_web.bash"

[ -x /usr/bin/firefox-esr ] || fail "firefox-esr is missing (scripts/deps.sh --test)"
start_server
P1=$(free_port)
register 1001 secret1001 "$P1"
sipp_bg a1 agent_answer.xml -p "$P1" -mi 127.0.0.1 -mp "$(free_port)" -timeout 290s
# Firefox's own profile and caches stay in the test's directory.
export HOME="$TEST_DIR/home"
mkdir -p "$HOME"
web_start firefox.mjs
web_wait ready 150
ok "every page opened in Firefox in both languages; 1001 ready"
ivr_caller caller 4008001000 13800138000 caller_stay p:1500 k:1 p:8000
web_wait popped 60
web_say done
web_end
sipp_wait caller || { cat "$TEST_DIR/caller.err" >&2; fail "caller failed"; }
sipp_wait a1 || { cat "$TEST_DIR/a1.err" >&2; fail "1001's phone failed"; }
stop_server
