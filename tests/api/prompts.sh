# Uploaded prompts: an admin uploads audio in any common format (here a
# 44.1 kHz stereo float WAV made with sox), it is listed with its length
# and original format and served back as 8 kHz mono; an IVR flow may then
# name it (and a flow naming an unknown prompt is refused), and a prompt a
# flow plays cannot be deleted. Not audio, too large, unknown names and
# callers without the role are refused with a reason.
. "$(dirname "$0")/../lib.sh"

start_server
ADMIN=$(login admin admin123)
SUP=$(login sup sup123)
AGENT=$(login 1001 secret1001)

# upload NAME FILE TOKEN: PUT the file as the body, as a client would.
upload() {
	http PUT "/api/v1/prompts/$1" "" "$3" -H 'Content-Type: audio/wav' \
		--data-binary "@$2" >/dev/null
}

sox -n -r 44100 -c 2 -e floating-point -b 32 "$TEST_DIR/hello.wav" \
	synth 3 sine 440 vol 0.5
upload hello "$TEST_DIR/hello.wav" "$ADMIN"
expect_status 201 "upload"
[ "$(jbody '(j["name"], j["duration_ms"], j["orig_rate"], j["orig_channels"], j["uploaded_by"])')" = \
  "('hello', 3000, 44100, 2, 'admin')" ] || fail "upload reply: $HTTP_BODY"
ok "a 44.1 kHz stereo float WAV is taken: 3000 ms, original format kept"

http GET /api/v1/prompts "" "$SUP" >/dev/null
expect_status 200 "list"
[ "$(jbody '[(p["name"], p["duration_ms"]) for p in j["items"]]')" = "[('hello', 3000)]" ] ||
	fail "list: $HTTP_BODY"
[ "$(curl -s -o "$TEST_DIR/got.wav" -w '%{http_code}' -H "Authorization: Bearer $SUP" \
	"$BASE_URL/api/v1/prompts/hello")" = 200 ] || fail "get"
[ "$(soxi -r "$TEST_DIR/got.wav")/$(soxi -c "$TEST_DIR/got.wav")/$(soxi -s "$TEST_DIR/got.wav")" = "8000/1/24000" ] ||
	fail "stored audio: $(soxi "$TEST_DIR/got.wav")"
ok "listed, and served as 8 kHz mono of the same length"

upload hello "$TEST_DIR/hello.wav" "$ADMIN"
expect_status 200 "replace"
ok "uploading again replaces (200)"

# --- refusals
printf '{"not": "audio"}' >"$TEST_DIR/junk.wav"
upload junk "$TEST_DIR/junk.wav" "$ADMIN"
expect_status 415 "not audio"
[ "$(jbody '"not an audio file" in j["error"]')" = True ] || fail "415 reason: $HTTP_BODY"
head -c $((20 * 1024 * 1024 + 1)) /dev/zero >"$TEST_DIR/big.wav"
upload big "$TEST_DIR/big.wav" "$ADMIN"
expect_status 413 "too large"
sox -n -r 1000 -c 1 "$TEST_DIR/long.wav" synth 601 sine 100
upload long "$TEST_DIR/long.wav" "$ADMIN"
expect_status 422 "too long"
[ "$(jbody '"10 minutes" in j["error"]')" = True ] || fail "422 reason: $HTTP_BODY"
upload '.hidden' "$TEST_DIR/hello.wav" "$ADMIN"
expect_status 400 "bad name"
upload other "$TEST_DIR/hello.wav" "$SUP"
expect_status 403 "supervisor upload"
http GET /api/v1/prompts "" "$AGENT" >/dev/null
expect_status 403 "agent list"
http GET /api/v1/prompts/nothing "" "$SUP" >/dev/null
expect_status 404 "unknown get"
http DELETE /api/v1/prompts/nothing "" "$ADMIN" >/dev/null
expect_status 404 "unknown delete"
http GET /api/v1/prompts "" "$SUP" >/dev/null
[ "$(jbody '[p["name"] for p in j["items"]]')" = "['hello']" ] || fail "after refusals: $HTTP_BODY"
[ -z "$(ls -A "$DATA_DIR/prompts" | grep -v -e '^hello.wav$' -e '^tts$')" ] ||
	fail "left in prompts/: $(ls -A "$DATA_DIR/prompts")"
ok "not audio 415, over 20 MiB 413, over 10 min 422, bad name 400, no role 403, unknown 404; nothing left behind"

# --- flows name prompts
flow() {
	printf '{"name": "%s", "start": "hi", "nodes": {"hi": {"kind": "play", "prompt": {"file": "%s"}, "next": "bye"}, "bye": {"kind": "hangup"}}}' "$1" "$2"
}
http PUT /api/v1/ivr-flows/greet "$(flow greet nosuch)" "$ADMIN" >/dev/null
expect_status 422 "flow with an unknown prompt"
[ "$(jbody '"nosuch" in json.dumps(j, ensure_ascii=False)')" = True ] ||
	fail "422 does not name the prompt: $HTTP_BODY"
http PUT /api/v1/ivr-flows/greet "$(flow greet hello)" "$ADMIN" >/dev/null
expect_status 200 "flow with an uploaded prompt"
http DELETE /api/v1/prompts/hello "" "$ADMIN" >/dev/null
expect_status 409 "delete a prompt a flow plays"
[ "$(jbody '"greet" in j["error"]')" = True ] || fail "409 reason: $HTTP_BODY"
ok "a flow may name an uploaded prompt, not an unknown one; a prompt in use is kept (409)"

http DELETE /api/v1/ivr-flows/greet "" "$ADMIN" >/dev/null
http DELETE /api/v1/prompts/hello "" "$ADMIN" >/dev/null
expect_status 200 "delete"
[ "$(jbody 'j["deleted"]')" = True ] || fail "delete reply: $HTTP_BODY"
http GET /api/v1/prompts/hello "" "$SUP" >/dev/null
expect_status 404 "get after delete"
for _ in $(seq 1 50); do [ -e "$DATA_DIR/prompts/hello.wav" ] || break; sleep 0.05; done
[ ! -e "$DATA_DIR/prompts/hello.wav" ] || fail "file kept after delete"
ok "deleted once no flow plays it: row and file gone"

# --- a restart keeps them
upload hello "$TEST_DIR/hello.wav" "$ADMIN"
expect_status 201 "upload again"
stop_server
start_server
SUP=$(login sup sup123)
http GET /api/v1/prompts "" "$SUP" >/dev/null
[ "$(jbody '[(p["name"], p["duration_ms"], p["orig_rate"]) for p in j["items"]]')" = "[('hello', 3000, 44100)]" ] ||
	fail "after restart: $HTTP_BODY"
ok "prompts survive a restart"
stop_server
# The voicemail greeting is spoken at every start: this second start read
# it back from DATA/prompts/tts instead.
ls "$DATA_DIR"/prompts/tts/*.wav >/dev/null || fail "no spoken prompt kept on disk"
grep -Eq 'tts.stats .*disk_hits=[1-9]' "$TEST_DIR/server.err" ||
	fail "no disk hit after the restart: $(grep tts.stats "$TEST_DIR/server.err")"
ok "speech made before the restart is read back from disk"
