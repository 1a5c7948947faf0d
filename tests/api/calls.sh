# Calls API over the real SQLite file: rows are seeded with the sqlite3 CLI
# while the server runs (WAL lets both write and read), a real WAV file
# lies under the data directory. Paging, time filters, who sees what, one
# call with its events, and the recording with Range requests.
. "$(dirname "$0")/../lib.sh"

start_server
DB="$DATA_DIR/hotline.db"
ADMIN=$(login admin admin123)
AGENT=$(login 1001 secret1001)

# 7 calls a minute apart from 2026-01-01T08:00:00Z; c3 and c4 start at the
# same instant (ties are broken by id). Agent 1001 answered c1, c3 and c6.
T0=1767254400000
sql() { sqlite3 -cmd '.timeout 5000' "$DB" "$@"; }
sql "INSERT INTO calls (id, direction, caller, callee, started_at, answered_at,
	ended_at, duration_s, talk_s, agent, queue, hangup_by, recording) VALUES
 ('c1','inbound','13800000001','4008001000',$T0,$((T0+5000)),$((T0+65000)),65,60,'1001','sales','caller','recordings/2026-01-01/c1.wav'),
 ('c2','inbound','13800000002','4008002000',$((T0+60000)),NULL,$((T0+90000)),30,0,NULL,'support','caller',NULL),
 ('c3','inbound','13800000003','4008003000',$((T0+120000)),$((T0+121000)),$((T0+180000)),60,59,'1001','sales','agent',NULL),
 ('c4','outbound','1002','13900000004',$((T0+120000)),$((T0+125000)),$((T0+150000)),30,25,'1002',NULL,'agent',NULL),
 ('c5','inbound','13800000005','4008001000',$((T0+240000)),NULL,NULL,NULL,NULL,NULL,'support',NULL,NULL),
 ('c6','inbound','13800000006','4008001000',$((T0+300000)),$((T0+301000)),$((T0+360000)),60,59,'1001','sales','caller','../../etc/passwd'),
 ('c7','internal','1003','1004',$((T0+360000)),$((T0+361000)),$((T0+420000)),60,59,'1004',NULL,'caller',NULL);
 INSERT INTO events (boot, seq, ts, type, subject, data) VALUES
 ('b',1,$T0,'call.created','c1','{\"from\":\"13800000001\"}'),
 ('b',3,$((T0+5000)),'call.answered','c1','{\"agent\":\"1001\"}'),
 ('b',2,$((T0+1000)),'call.queued','c1','{\"queue\":\"sales\"}'),
 ('b',4,$((T0+1000)),'call.created','c2','{}');"

# --- list: newest first, ties by id descending, fields and nulls
http GET /api/v1/calls "" "$ADMIN" >/dev/null
expect_status 200 "list"
[ "$(jbody '",".join(c["id"] for c in j["items"])')" = "c7,c6,c5,c4,c3,c2,c1" ] ||
	fail "order: $HTTP_BODY"
[ "$(jbody 'j["next_cursor"]')" = None ] || fail "single page has a cursor"
C1=$(jbody '[c for c in j["items"] if c["id"]=="c1"][0]')
[ "$C1" = "{'id': 'c1', 'direction': 'inbound', 'from': '13800000001', 'to': '4008001000', 'started_at': '2026-01-01T08:00:00Z', 'answered_at': '2026-01-01T08:00:05Z', 'ended_at': '2026-01-01T08:01:05Z', 'duration_s': 65, 'talk_s': 60, 'agent': '1001', 'queue': 'sales', 'hangup_by': 'caller', 'recording': 'recordings/2026-01-01/c1.wav', 'transfer_by': None, 'transfer_to': None, 'hold_s': None, 'province': None, 'city': None, 'rating': None, 'trunk': None, 'wrapup_code': None, 'wrapup_notes': None, 'wrapup_by': None, 'wrapup_at': None}" ] ||
	fail "c1 fields: $C1"
[ "$(jbody '[c for c in j["items"] if c["id"]=="c5"][0]["ended_at"]')" = None ] ||
	fail "an open call's ended_at is not null"
ok "list: newest first, API field names, RFC 3339 times, nulls"

# --- paging: limit 3 walks the same order without repeats or gaps
seen=""; cursor=""; pages=0
while :; do
	q="limit=3"; [ -n "$cursor" ] && q="$q&cursor=$cursor"
	http GET "/api/v1/calls?$q" "" "$ADMIN" >/dev/null
	expect_status 200 "page $pages"
	[ "$(jbody 'len(j["items"])')" -le 3 ] || fail "page larger than limit"
	seen="$seen$(jbody '"".join(c["id"]+"," for c in j["items"])')"
	cursor=$(jbody 'j["next_cursor"] or ""')
	pages=$((pages + 1))
	[ -n "$cursor" ] || break
	[ $pages -lt 10 ] || fail "paging does not end"
done
[ "$seen" = "c7,c6,c5,c4,c3,c2,c1," ] || fail "pages: $seen"
[ $pages -eq 3 ] || fail "want 3 pages, got $pages"
ok "cursor paging returns every call once, in order"

# --- filters: from inclusive, to exclusive, offsets accepted
http GET "/api/v1/calls?from=2026-01-01T08:02:00Z&to=2026-01-01T08:05:00Z" "" "$ADMIN" >/dev/null
expect_status 200 "time filter"
[ "$(jbody '",".join(c["id"] for c in j["items"])')" = "c5,c4,c3" ] || fail "filter: $HTTP_BODY"
http GET "/api/v1/calls?from=2026-01-01T16:05:00%2B08:00" "" "$ADMIN" >/dev/null
[ "$(jbody '",".join(c["id"] for c in j["items"])')" = "c7,c6" ] || fail "offset filter: $HTTP_BODY"
ok "from/to filter on started_at"

for bad in "limit=0" "limit=501" "limit=x" "from=yesterday" "to=2026-13-01T00:00:00Z" "cursor=bogus"; do
	http GET "/api/v1/calls?$bad" "" "$ADMIN" >/dev/null
	expect_status 400 "$bad"
	jbody 'j["error"]' | grep -q "'${bad%%=*}'" || fail "$bad: reason does not name it: $HTTP_BODY"
done
ok "bad query parameters get 400 naming the parameter"

# --- who sees what
http GET /api/v1/calls "" "$AGENT" >/dev/null
expect_status 200 "agent list"
[ "$(jbody '",".join(c["id"] for c in j["items"])')" = "c6,c3,c1" ] || fail "agent sees: $HTTP_BODY"
http GET /api/v1/calls/c4 "" "$AGENT" >/dev/null
expect_status 403 "agent reads another agent's call"
[ "$(jbody 'j["error"]')" = "outside your data scope" ] || fail "403 reason: $HTTP_BODY"
http GET /api/v1/calls >/dev/null
expect_status 401 "list without token"
ok "an agent sees only their own calls"

# --- one call with its events in order
http GET /api/v1/calls/c1 "" "$AGENT" >/dev/null
expect_status 200 "call c1"
[ "$(jbody '",".join(e["type"] for e in j["events"])')" = "call.created,call.queued,call.answered" ] ||
	fail "events: $HTTP_BODY"
[ "$(jbody 'j["events"][1]["data"]["queue"]')" = sales ] || fail "event data: $HTTP_BODY"
[ "$(jbody 'j["events"][0]["ts"]')" = "2026-01-01T08:00:00.000Z" ] || fail "event ts: $HTTP_BODY"
[ "$(jbody 'j["from"]')" = 13800000001 ] || fail "call fields: $HTTP_BODY"
http GET /api/v1/calls/nope "" "$ADMIN" >/dev/null
expect_status 404 "unknown call"
[ "$(jbody 'j["error"]')" = "no such call" ] || fail "404 reason: $HTTP_BODY"
ok "a call comes with its events in order; unknown ids are 404"

# --- the recording: a real 8 kHz stereo WAV, whole and in ranges
mkdir -p "$DATA_DIR/recordings/2026-01-01"
WAV="$DATA_DIR/recordings/2026-01-01/c1.wav"
python3 - "$WAV" <<'PY'
import math, struct, sys, wave
with wave.open(sys.argv[1], "wb") as w:
    w.setnchannels(2); w.setsampwidth(2); w.setframerate(8000)
    w.writeframes(b"".join(struct.pack("<hh", int(8000 * math.sin(i / 9)), i % 3000)
                           for i in range(8000 * 20)))   # 20 s, 640 044 bytes
PY
SIZE=$(stat -c %s "$WAV")
curl -s -o "$TEST_DIR/whole.wav" -D "$TEST_DIR/h1" -H "Authorization: Bearer $AGENT" \
	"$BASE_URL/api/v1/calls/c1/recording"
grep -q '^HTTP/1.1 200' "$TEST_DIR/h1" || fail "whole file: $(head -1 "$TEST_DIR/h1")"
grep -qi '^Content-Type: audio/wav' "$TEST_DIR/h1" || fail "content type"
grep -qi '^Accept-Ranges: bytes' "$TEST_DIR/h1" || fail "Accept-Ranges"
cmp -s "$WAV" "$TEST_DIR/whole.wav" || fail "whole file differs"
ok "recording: whole file, audio/wav, Accept-Ranges"

curl -s -o "$TEST_DIR/part" -D "$TEST_DIR/h2" -H "Authorization: Bearer $ADMIN" \
	-H "Range: bytes=100-1099" "$BASE_URL/api/v1/calls/c1/recording"
grep -q '^HTTP/1.1 206' "$TEST_DIR/h2" || fail "range: $(head -1 "$TEST_DIR/h2")"
grep -qi "^Content-Range: bytes 100-1099/$SIZE" "$TEST_DIR/h2" || fail "Content-Range: $(cat "$TEST_DIR/h2")"
cmp -s "$TEST_DIR/part" <(tail -c +101 "$WAV" | head -c 1000) || fail "range bytes differ"
curl -s -o "$TEST_DIR/tail" -D "$TEST_DIR/h3" -H "Authorization: Bearer $ADMIN" \
	-H "Range: bytes=-44" "$BASE_URL/api/v1/calls/c1/recording"
grep -q '^HTTP/1.1 206' "$TEST_DIR/h3" || fail "suffix range"
cmp -s "$TEST_DIR/tail" <(tail -c 44 "$WAV") || fail "suffix bytes differ"
curl -s -o "$TEST_DIR/rest" -H "Authorization: Bearer $ADMIN" \
	-H "Range: bytes=600000-" "$BASE_URL/api/v1/calls/c1/recording"
cmp -s "$TEST_DIR/rest" <(tail -c +600001 "$WAV") || fail "open range bytes differ"
ok "recording: 206 for closed, suffix and open ranges"

http GET /api/v1/calls/c1/recording "" "$ADMIN" -H "Range: bytes=$SIZE-" >/dev/null
expect_status 416 "range past the end"
[ "$(http_header Content-Range)" = "bytes */$SIZE" ] || fail "416 Content-Range: $(http_header Content-Range)"
jbody 'j["error"]' >/dev/null || fail "416 body"
http GET /api/v1/calls/c2/recording "" "$ADMIN" >/dev/null
expect_status 404 "call without recording"
http GET /api/v1/calls/c6/recording "" "$ADMIN" >/dev/null
expect_status 404 "recording path outside the data directory"
http GET /api/v1/calls/c4/recording "" "$AGENT" >/dev/null
expect_status 403 "another agent's recording"
ok "recording: 416 past the end, 404 when none, 403 when not yours"

# A client that walks away mid-download leaves the server serving.
curl -s --max-filesize 1 -H "Authorization: Bearer $ADMIN" --limit-rate 10k -m 1 \
	"$BASE_URL/api/v1/calls/c1/recording" >/dev/null || true
http GET /healthz >/dev/null
expect_status 200 "healthz after an aborted download"
ok "aborted download is harmless"

stop_server
ok "stopped"
