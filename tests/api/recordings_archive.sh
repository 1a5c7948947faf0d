# POST /api/v1/recordings/archive and GET …/archive/{name} over a real
# SQLite file and real WAV files under the data directory (calls seeded
# with the sqlite3 CLI while the server runs, as calls.sh does): the ZIP
# opens in Python's zipfile and unzip -t, holds each recording byte for
# byte under CALLID_FROM_TO_YYYYmmdd-HHMMSS.wav and a manifest.csv listing
# every call asked for; an agent is refused another agent's call (403 for
# the whole request), unknown ids are 404, bad bodies 400; archives are
# the user's own.
. "$(dirname "$0")/../lib.sh"

start_server
DB="$DATA_DIR/hotline.db"
ADMIN=$(login admin admin123)
AGENT=$(login 1001 secret1001)
SUP=$(login sup sup123)
sql() { sqlite3 -cmd '.timeout 5000' "$DB" "$@"; }

T0=1767254400000
sql "INSERT INTO calls (id, direction, caller, callee, started_at, answered_at,
	ended_at, duration_s, talk_s, agent, queue, hangup_by, recording, province, city) VALUES
 ('a1','inbound','13800138001','4008001000',$T0,$T0,$((T0+60000)),60,55,'1001','sales','caller','recordings/a1.wav','广东省','深圳市'),
 ('a2','inbound','13800138002','4008001000',$((T0+60000)),$((T0+61000)),$((T0+90000)),30,29,'1001','sales','agent','recordings/a2.wav',NULL,NULL),
 ('a3','inbound','13800138003','4008001000',$((T0+120000)),NULL,$((T0+130000)),10,0,NULL,'sales','caller',NULL,NULL,NULL),
 ('a4','outbound','1002','0215000,1234',$((T0+180000)),$((T0+181000)),$((T0+200000)),20,19,'1002',NULL,'agent','recordings/a4.wav',NULL,NULL),
 ('a5','inbound','13800138005','4008001000',$((T0+240000)),$((T0+241000)),$((T0+250000)),10,9,'1001','sales','agent','recordings/gone.wav',NULL,NULL);"
mkdir -p "$DATA_DIR/recordings"
for c in a1 a2 a4; do
	python3 - "$DATA_DIR/recordings/$c.wav" "$c" <<'PY'
import math, struct, sys, wave
n = {"a1": 3, "a2": 5, "a4": 2}[sys.argv[2]]
with wave.open(sys.argv[1], "wb") as w:
    w.setnchannels(2); w.setsampwidth(2); w.setframerate(8000)
    w.writeframes(b"".join(struct.pack("<hh", int(6000 * math.sin(i / (n + 3))), i % 2000)
                           for i in range(8000 * n)))
PY
done

http POST /api/v1/recordings/archive '{"ids":["a1","a2","a3","a4","a5","a1"]}' "$SUP" >/dev/null
expect_status 201 "archive as supervisor"
NAME=$(jbody 'j["name"]'); URL=$(jbody 'j["url"]')
[ "$(jbody 'j["count"]')" = 3 ] || fail "count: $HTTP_BODY"
[ "$URL" = "/api/v1/recordings/archive/$NAME" ] || fail "url: $HTTP_BODY"
SIZE=$(jbody 'j["size"]')
curl -s -o "$TEST_DIR/a.zip" -D "$TEST_DIR/h" -H "Authorization: Bearer $SUP" "$BASE_URL$URL"
grep -q '^HTTP/1.1 200' "$TEST_DIR/h" || fail "download: $(head -1 "$TEST_DIR/h")"
grep -qi '^Content-Type: application/zip' "$TEST_DIR/h" || fail "type: $(cat "$TEST_DIR/h")"
grep -qi "^Content-Disposition: attachment; filename=\"$NAME\"" "$TEST_DIR/h" || fail "disposition: $(cat "$TEST_DIR/h")"
[ "$(stat -c %s "$TEST_DIR/a.zip")" = "$SIZE" ] || fail "size differs from the answer's"
unzip -tq "$TEST_DIR/a.zip" >/dev/null || fail "unzip -t"
python3 - "$TEST_DIR/a.zip" "$DATA_DIR/recordings" <<'PY' || fail "the archive's content"
import csv, io, sys, wave, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
names = z.namelist()
want = ["a1_13800138001_4008001000_20260101-080000.wav",
        "a2_13800138002_4008001000_20260101-080100.wav",
        "a4_1002_0215000_1234_20260101-080300.wav", "manifest.csv"]
assert names == want, names
for n in want[:3]:
    data = z.read(n)
    assert data == open("%s/%s.wav" % (sys.argv[2], n[:2]), "rb").read(), n
    w = wave.open(io.BytesIO(data))
    assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (2, 2, 8000), n
man = z.read("manifest.csv").decode("utf-8-sig")
rows = list(csv.DictReader(io.StringIO(man)))
got = [(r["id"], r["status"], r["file"]) for r in rows]
assert got == [("a1", "included", want[0]), ("a2", "included", want[1]),
               ("a3", "no recording", ""), ("a4", "included", want[2]),
               ("a5", "file missing", "")], got
assert rows[0]["province"] == "广东省" and rows[0]["city"] == "深圳市", rows[0]
assert rows[3]["to"] == "0215000,1234" and rows[0]["started_at"] == "2026-01-01T08:00:00Z", rows
print("ok: %d entries" % len(names))
PY
ok "supervisor: a ZIP of three WAVs byte for byte, named CALLID_FROM_TO_TIME, manifest lists all five calls"

http GET "$URL" "" "$ADMIN" >/dev/null
expect_status 404 "another user's archive"
http GET "/api/v1/recordings/archive/..%2F..%2Fhotline.db" "" "$SUP" >/dev/null
expect_status 404 "a name that climbs"
curl -s -o "$TEST_DIR/q.zip" "$BASE_URL$URL?token=$SUP"
cmp -s "$TEST_DIR/q.zip" "$TEST_DIR/a.zip" || fail "?token= download"
ok "archives are their user's own; ?token= works for browser downloads"

http POST /api/v1/recordings/archive '{"ids":["a1","a2"]}' "$AGENT" >/dev/null
expect_status 201 "agent archives their own"
[ "$(jbody 'j["count"]')" = 2 ] || fail "agent count: $HTTP_BODY"
http POST /api/v1/recordings/archive '{"ids":["a1","a4"]}' "$AGENT" >/dev/null
expect_status 403 "agent asks for another agent's call"
jbody 'j["error"]' | grep -q "a4" || fail "403 reason: $HTTP_BODY"
ok "an agent archives their own calls; one call of another agent refuses the whole request"

http POST /api/v1/recordings/archive '{"ids":["a1","nosuch"]}' "$SUP" >/dev/null
expect_status 404 "unknown id"
jbody 'j["error"]' | grep -q "nosuch" || fail "404 reason: $HTTP_BODY"
many=$(python3 -c 'import json; print(json.dumps({"ids": ["a%d" % i for i in range(201)]}))')
for bad in '{}' '{"ids":[]}' '{"ids":"a1"}' '{"ids":[1]}' '{"ids":["a b"]}' '{"ids":["../x"]}' "$many" 'nope'; do
	http POST /api/v1/recordings/archive "$bad" "$SUP" >/dev/null
	expect_status 400 "body $bad"
done
ok "unknown ids 404, bad bodies 400"

# An archive older than an hour is removed by the next request.
OLD=$(ls "$DATA_DIR"/archives/*/"$NAME")
touch -d '2 hours ago' "$OLD"
http POST /api/v1/recordings/archive '{"ids":["a3"]}' "$SUP" >/dev/null
expect_status 201 "archive without recordings"
[ "$(jbody 'j["count"]')" = 0 ] || fail "count 0: $HTTP_BODY"
[ ! -e "$OLD" ] || fail "the old archive is still there"
ok "archives older than an hour are swept"

stop_server
ok "stopped"
