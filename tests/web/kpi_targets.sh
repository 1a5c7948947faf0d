#!/usr/bin/env bash
# The KPI targets screen (指标目标, opened from the 日报 page) in the
# browser: over the reports test's seeded days (sales' service level 60 %
# yesterday, ASA 15 s), an admin lowers the center's service-level target
# to 50 % and the day's tile turns from missed to met; sets sales' own ASA
# ceiling to 10 s and sales' ASA tile turns red while the center's stays
# as it was; resets it and the tile is met again (kpi_targets.mjs). The
# stored rows are then checked through the API.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_web.bash"

start_server
DB="$DATA_DIR/hotline.db"
NOW=$(date +%s%3N)
TODAY=$((NOW - NOW % 86400000))
YDAY=$(date -u -d "@$(( TODAY / 1000 - 86400 ))" +%Y-%m-%d)
[ "$(python3 "$(dirname "$0")/reports_seed.py" "$DB" "$NOW")" = 96 ] || fail "seeding"

web_start kpi_targets.mjs "$YDAY"
web_end
ADMIN=$(login admin admin123)
http GET /api/v1/kpi-targets "" "$ADMIN" >/dev/null
expect_status 200 "the targets after the browser"
[ "$(jbody "[(x['center'], x['queues']) for x in j['items'] if x['id'] in ('service_level', 'asa')]")" = \
  "[({'target_lo': 0.5, 'target_hi': None}, []), (None, [])]" ] ||
	fail "the center's 50 % stored, sales' ASA removed: $HTTP_BODY"
ok "what the screen set is what is stored"
stop_server
