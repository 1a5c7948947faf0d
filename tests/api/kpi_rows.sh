# KPI buckets as rows (migration 012): a database written before it, with
# buckets as JSON blobs, is converted at start; today's buckets are held in
# memory, older ones are read from their rows when a report asks, and both
# give the same report JSON as before. A blob that is no JSON, or a start
# that is no interval start, is skipped as the old loader skipped it.
. "$(dirname "$0")/../lib.sh"

DATA_DIR=$TEST_DIR/data
mkdir -p "$DATA_DIR"
DB="$DATA_DIR/hotline.db"
sql() { sqlite3 -cmd '.timeout 5000' "$DB" "$@"; }

# The schema as migrations 001..011 left it.
sql "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY,
	name TEXT NOT NULL, applied_at INTEGER NOT NULL)"
# (Each module keeps its migrations in its own folder; they are numbered in
# one sequence.)
for f in $(for p in "$(dirname "$0")"/../../src/*/migrations/0[01][0-9]_*.sql; do
	   echo "$(basename "$p") $p"; done | sort | cut -d' ' -f2); do
	n=$(basename "$f" .sql)
	v=$((10#${n%%_*}))
	[ "$v" -le 11 ] || continue
	sql <"$f" || fail "migration $n"
	sql "INSERT INTO schema_migrations VALUES ($v, '$n', 0)"
done
[ "$(sql 'SELECT count(*) FROM schema_migrations')" = 11 ] || fail "setup: $(sql 'SELECT name FROM schema_migrations')"

# 2026-01-01T08:00Z and 08:15Z: two old queue buckets of sales, one agent
# bucket; today's first interval; two rows the old loader skipped.
T0=1767254400000
NOW=$(($(date +%s) * 1000))
TODAY=$((NOW - NOW % 86400000))
sql "INSERT INTO kpi_buckets (scope, name, start_ms, data) VALUES
 ('queue', 'sales', $T0, '{\"entered\":4,\"queued\":2,\"answered\":3,\"answered_in_sl\":2,\"answer_wait_ms\":30000,\"abandoned\":1,\"abandon_wait_ms\":40000,\"sl_ms\":20000,\"short_ms\":20000}'),
 ('queue', 'sales', $((T0 + 900000)), '{\"entered\":1,\"answered\":1,\"answered_in_sl\":1,\"answer_wait_ms\":1000,\"completed\":1,\"talk_ms\":60000,\"sl_ms\":20000,\"short_ms\":20000}'),
 ('agent', '1001', $T0, '{\"answered\":3,\"completed\":3,\"talk_ms\":180000,\"ready_ms\":300000,\"talking_ms\":180000}'),
 ('queue', 'sales', $TODAY, '{\"entered\":2,\"answered\":2,\"answered_in_sl\":2,\"answer_wait_ms\":4000,\"sl_ms\":20000,\"short_ms\":20000}'),
 ('queue', 'support', $T0, 'not json'),
 ('queue', 'support', $((T0 + 1)), '{\"entered\":9}')"

start_server
ADMIN=$(login admin admin123)
[ "$(sql "SELECT count(*) FROM kpi_buckets WHERE name != '*'")" = 4 ] || fail "converted rows: $(sql 'SELECT scope, name, start_ms FROM kpi_buckets')"
[ "$(sql "SELECT entered, queued, answered, abandon_wait_ms, sl_ms FROM kpi_buckets WHERE start_ms = $T0 AND name = 'sales'")" = "4|2|3|40000|20000" ] ||
	fail "converted columns: $(sql "SELECT * FROM kpi_buckets WHERE start_ms = $T0")"
# Migration 048 summed every queue's rows per interval as '*'.
[ "$(sql "SELECT start_ms - $T0, entered, answered FROM kpi_buckets WHERE name = '*' ORDER BY start_ms" | head -2 | tr '\n' ' ')" = "0|4|3 900000|1|1 " ] ||
	fail "the center's rows: $(sql "SELECT * FROM kpi_buckets WHERE name = '*'")"
ok "blobs converted to rows, the ones the old loader skipped left out"

# An old day, read from its rows: per interval and summed over the hour.
http GET "/api/v1/reports/kpi?queue=sales&from=2026-01-01T08:00:00Z&to=2026-01-01T09:00:00Z" "" "$ADMIN" >/dev/null
expect_status 200 "old 15m rows"
[ "$(jbody '[(r["start_ms"], r["counts"]["entered"], r["counts"]["answered"], r["counts"]["offered"]) for r in j["rows"]]')" = "[($T0, 4, 3, 4), ($((T0 + 900000)), 1, 1, 1)]" ] ||
	fail "old rows: $HTTP_BODY"
[ "$(jbody 'j["rows"][0]["kpis"]["service_level"]')" = 0.5 ] || fail "old service level: $HTTP_BODY"
http GET "/api/v1/reports/kpi?queue=sales&from=2026-01-01T08:00:00Z&to=2026-01-01T09:00:00Z&interval=1h" "" "$ADMIN" >/dev/null
[ "$(jbody '[(r["counts"]["entered"], r["counts"]["answered"], r["counts"]["talk_ms"]) for r in j["rows"]]')" = "[(5, 4, 60000)]" ] ||
	fail "old hour: $HTTP_BODY"
http GET "/api/v1/reports/kpi?agent=1001&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&interval=1d" "" "$ADMIN" >/dev/null
[ "$(jbody '[(r["counts"]["completed"], r["counts"]["ready_ms"]) for r in j["rows"]]')" = "[(3, 300000)]" ] ||
	fail "old agent day: $HTTP_BODY"
ok "older intervals read from their rows on demand"

# Today's bucket was loaded at start: the live view and the report agree.
http GET "/api/v1/reports/kpi?queue=sales&interval=1d" "" "$ADMIN" >/dev/null
[ "$(jbody '[r["counts"]["entered"] for r in j["rows"]]')" = "[2]" ] || fail "today: $HTTP_BODY"
http GET "/api/v1/queues" "" "$ADMIN" >/dev/null
[ "$(jbody '[q["today"]["entered"] for q in j["items"] if q["name"] == "sales"]')" = "[2]" ] ||
	fail "live today: $HTTP_BODY"
# A span over both: the old rows and today's memory.
http GET "/api/v1/reports/kpi?from=2026-01-01T00:00:00Z&interval=1d" "" "$ADMIN" >/dev/null
[ "$(jbody 'sum(r["counts"]["entered"] for r in j["rows"])')" = 7 ] || fail "every queue, both sides: $HTTP_BODY"
ok "today's buckets from memory, a span over both adds up"
stop_server
[ "$(sql "SELECT entered FROM kpi_buckets WHERE scope = 'queue' AND name = 'sales' AND start_ms = $TODAY")" = 2 ] ||
	fail "today's row after stop: $(sql "SELECT * FROM kpi_buckets WHERE start_ms = $TODAY")"
ok "today's row stored whole at stop"
