# GET /api/v1/reports/kpi in the caller's data scope (issue 17), on stored
# KPI rows of an old morning: sales (1001..1005) and support (1006..1010)
# each with its own figures, agents 1001 and 1006 likewise. Departments
# 中心 > 一组 (1001) and 二组 (1006); lead1 supervises 一组.
#  - all (admin, an executive): every queue summed, any queue or agent;
#  - own (agent 1001): its own figures, unasked or asked; another agent or
#    a queue is 403 with the reason, and the refusal is in the audit log;
#  - departments (lead1): 1001 and sales (a queue 1001 serves); 1006,
#    support and the center's whole figures are 403 with the reason.
. "$(dirname "$0")/../lib.sh"

start_server
stop_server
DB="$DATA_DIR/hotline.db"
T0=1767254400000      # 2026-01-01T08:00Z
sqlite3 "$DB" "INSERT INTO kpi_buckets (scope, name, start_ms, sl_ms, short_ms,
	entered, answered, answered_in_sl, answer_wait_ms, completed, talk_ms)
	VALUES ('queue', 'sales', $T0, 20000, 20000, 4, 3, 3, 30000, 3, 300000),
	       ('queue', 'support', $T0, 20000, 20000, 7, 5, 4, 90000, 5, 500000),
	       ('agent', '1001', $T0, 0, 0, 0, 3, 0, 0, 3, 300000),
	       ('agent', '1006', $T0, 0, 0, 0, 5, 0, 0, 5, 500000)" ||
	fail "seeding the KPI rows"
start_server
ADMIN=$(login admin admin123)
dept() {
	http POST /api/v1/departments "$1" "$ADMIN" >/dev/null
	expect_status 201 "department $1"
	jbody 'j["id"]'
}
TOP=$(dept '{"name":"中心"}')
G1=$(dept "{\"name\":\"一组\",\"parent_id\":\"$TOP\"}")
G2=$(dept "{\"name\":\"二组\",\"parent_id\":\"$TOP\"}")
for u in 1001:$G1 1006:$G2; do
	http PUT "/api/v1/users/${u%%:*}" "{\"department\":\"${u#*:}\"}" "$ADMIN" >/dev/null
	expect_status 200 "department of ${u%%:*}"
done
http POST /api/v1/users "{\"username\":\"lead1\",\"password\":\"password-lead1\",\"role\":\"supervisor\",\"department\":\"$G1\"}" "$ADMIN" >/dev/null
expect_status 201 "team lead of 一组"
[ "$(jbody 'j["scope"]')" = departments ] || fail "lead1's scope: $HTTP_BODY"
http POST /api/v1/users '{"username":"exec1","password":"password-exec1","role":"executive"}' "$ADMIN" >/dev/null
expect_status 201 "an executive"
LEAD=$(login lead1 password-lead1)
EXEC=$(login exec1 password-exec1)
AGENT=$(login 1001 secret1001)
SPAN="from=2026-01-01T08:00:00Z&to=2026-01-01T09:00:00Z&interval=1h"

# kpi TOKEN QUERY: the answer's queue, agent and the period's answered
# calls, "403: reason" when refused.
kpi() {
	http GET "/api/v1/reports/kpi?$SPAN${2:+&$2}" "" "$1" >/dev/null
	if [ "$HTTP_STATUS" = 403 ]; then
		echo "403: $(jbody 'j["error"]')"
	else
		expect_status 200 "kpi $2"
		jbody '"%s %s %d" % (j["queue"], j["agent"], j["period"]["counts"]["answered"])'
	fi
}
# want TOKEN QUERY EXPECTED
want() {
	got=$(kpi "$1" "$2")
	case "$got" in $3) ;; *) fail "kpi '$2': want '$3', got '$got'" ;; esac
}

want "$ADMIN" "" "None None 8"
want "$ADMIN" "queue=support" "support None 5"
want "$EXEC" "agent=1006" "None 1006 5"
ok "everything scope: every queue summed, any queue or agent"

want "$AGENT" "" "None 1001 3"
want "$AGENT" "agent=1001" "None 1001 3"
want "$AGENT" "agent=1006" "403: outside your data scope: you see your own figures only (?agent=1001)"
want "$AGENT" "queue=sales" "403: outside your data scope*"
ok "own scope: the agent's own figures, unasked; another agent or a queue refused"

want "$LEAD" "agent=1001" "None 1001 3"
want "$LEAD" "queue=sales" "sales None 3"
want "$LEAD" "agent=1006" "403: outside your data scope: agent 1006"
want "$LEAD" "queue=support" "403: outside your data scope: queue support"
want "$LEAD" "" "403: your data scope covers some queues only*"
ok "departments scope: the team's agents and the queues they serve, nothing else"

# Each refusal is an audit entry (written through the db writer: wait).
for _ in $(seq 1 100); do
	n=$(sqlite3 "$DB" "SELECT count(*) FROM audit_log WHERE action =
		'GET /api/v1/reports/kpi' AND outcome = 'refused' AND
		username IN ('1001', 'lead1') AND detail LIKE '403 %data scope%'")
	[ "$n" = 5 ] && break
	sleep 0.1
done
[ "$n" = 5 ] || fail "refusals audited: $n of 5: $(sqlite3 "$DB" "SELECT username, action, detail FROM audit_log")"
ok "every refusal is in the audit log"
