# The live lists a department lead asks for over HTTP: GET /api/v1/agents
# and GET /api/v1/queues show each user what its CTI snapshot shows
# (tests/api/ws_lead.sh): the demo's support agents (1006–1010) are put in
# a department 售后 whose lead (a supervisor, scope departments) lists
# support's agents and the support queue alone; the administrator and sup
# (scope all) every agent and both queues; agent 1001 (scope own) its own
# agent and every queue, as its desk needs. One agent or queue outside the
# lead's scope is 403, as GET /api/v1/calls/{id} answers a call outside it;
# an unknown one stays 404. GET /api/v1/queue-config gives each supervisor
# the configuration of the queues its list holds, with all their members;
# an agent is refused it by role. A sub-department's agents are the lead's too,
# from its next request. The queues' figures of today are rounded as the
# KPI report rounds them (ratios to 6 decimals, seconds to 3), read off the
# raw text, and equal the report's.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib_lead.bash"

DATA_DIR=$TEST_DIR/data
DB="$DATA_DIR/hotline.db"
sql() { sqlite3 -cmd '.timeout 5000' "$DB" "$@"; }

# Today's first interval of each queue, with shares that no 17-digit
# double prints short (2/7, 4/7 …): the demo's tables made, then read back
# from the rows at the next start.
start_server
stop_server
NOW=$(($(date +%s) * 1000))
TODAY=$((NOW - NOW % 86400000))
sql "INSERT OR REPLACE INTO kpi_buckets (scope, name, start_ms, sl_ms, short_ms,
	entered, queued, answered, answered_in_sl, answer_wait_ms, abandoned,
	abandoned_in_sl, abandon_wait_ms) VALUES
 ('queue', 'sales', $TODAY, 20000, 5000, 7, 7, 3, 2, 10000, 4, 1, 50000),
 ('queue', 'support', $TODAY, 20000, 5000, 9, 9, 7, 5, 12345, 2, 1, 7000)" ||
	fail "seeding today's buckets"
start_server

ADMIN=$(login admin admin123)
support_lead "$ADMIN"
http POST /api/v1/users '{"username":"nodept","password":"password-nodept","role":"supervisor"}' "$ADMIN" >/dev/null
expect_status 201 "a supervisor of no department"
[ "$(jbody 'j["scope"]')" = departments ] || fail "nodept's scope: $HTTP_BODY"
LEAD=$(login lead password-lead)
NODEPT=$(login nodept password-nodept)
SUP=$(login sup sup123)
T1001=$(login 1001 secret1001)

SALES="1001 1002 1003 1004 1005"
SUPPORT="1006 1007 1008 1009 1010"

# sees TOKEN WHO AGENTS QUEUES: the exact lists TOKEN is given (sorted,
# space-separated).
sees() {
	local got
	http GET /api/v1/agents "" "$1" >/dev/null
	expect_status 200 "$2: GET /api/v1/agents"
	got=$(jbody '" ".join(sorted(a["ext"] for a in j["items"]))')
	[ "$got" = "$3" ] || fail "$2 lists agents '$got', want '$3'"
	http GET /api/v1/queues "" "$1" >/dev/null
	expect_status 200 "$2: GET /api/v1/queues"
	got=$(jbody '" ".join(sorted(q["name"] for q in j["items"]))')
	[ "$got" = "$4" ] || fail "$2 lists queues '$got', want '$4'"
}

# configs TOKEN WHO QUEUES: the queues GET /api/v1/queue-config gives
# TOKEN (sorted), each with the members the queue has (the demo's).
configs() {
	local got want q m
	http GET /api/v1/queue-config "" "$1" >/dev/null
	expect_status 200 "$2: GET /api/v1/queue-config"
	got=$(jbody '" ".join(sorted(q["name"] for q in j["items"]))')
	[ "$got" = "$3" ] || fail "$2 lists the configuration of '$got', want '$3'"
	got=$(jbody '" ".join("%s:%s" % (q["name"], ",".join(sorted(q["members"])))
		for q in sorted(j["items"], key=lambda q: q["name"]))')
	want=$(for q in $3; do
		case $q in sales) m=$SALES ;; support) m=$SUPPORT ;; esac
		printf '%s:%s ' "$q" "$(echo $m | tr ' ' ',')"
	done)
	[ "$got" = "${want% }" ] || fail "$2's queue members '$got', want '${want% }'"
}

sees "$LEAD" lead "$SUPPORT" "support"
configs "$LEAD" lead "support"
sees "$ADMIN" admin "$SALES $SUPPORT" "sales support"
configs "$ADMIN" admin "sales support"
sees "$SUP" sup "$SALES $SUPPORT" "sales support"
configs "$SUP" sup "sales support"
sees "$T1001" 1001 "1001" "sales support"
http GET /api/v1/queue-config "" "$T1001" >/dev/null
expect_status 403 "1001: GET /api/v1/queue-config (supervisors' route)"
sees "$NODEPT" nodept "" ""
configs "$NODEPT" nodept ""
ok "the lists: the lead its department's agents and queue (and its configuration), scope all everything, an agent itself and every queue"

# An agent's live entry keeps what the desk reads (desk.js finds its own).
http GET /api/v1/agents "" "$T1001" >/dev/null
[ "$(jbody '{"ext", "state", "reason", "time_in_state_s", "queues"} <= set(j["items"][0])')" = True ] &&
	[ "$(jbody '[m["queue"] for m in j["items"][0]["queues"]]')" = "['sales']" ] &&
	[ -n "$(jbody 'j["items"][0]["state"]')" ] || fail "1001's own entry: $HTTP_BODY"

# The one agent or queue: 403 outside the scope, 404 unknown, for the lead.
# code TOKEN PATH WANT
code() {
	http GET "$2" "" "$1" >/dev/null
	expect_status "$3" "GET $2"
}
code "$LEAD" /api/v1/agents/1006 200
[ "$(jbody '[m["queue"] for m in j["queues"]]')" = "['support']" ] || fail "1006: $HTTP_BODY"
code "$LEAD" /api/v1/agents/1001 403
[ "$(jbody 'j["error"]')" = "outside your data scope: agent 1001" ] || fail "1001 to the lead: $HTTP_BODY"
code "$LEAD" /api/v1/agents/1999 404
code "$LEAD" /api/v1/queues/support 200
[ "$(jbody 'j["name"]')" = support ] || fail "support to the lead: $HTTP_BODY"
code "$LEAD" /api/v1/queues/sales 403
[ "$(jbody 'j["error"]')" = "outside your data scope: queue sales" ] || fail "sales to the lead: $HTTP_BODY"
code "$LEAD" /api/v1/queues/nosuch 404
code "$NODEPT" /api/v1/agents/1006 403
code "$NODEPT" /api/v1/queues/support 403
for p in /api/v1/agents/1001 /api/v1/agents/1006 /api/v1/queues/sales /api/v1/queues/support; do
	code "$ADMIN" "$p" 200
	code "$SUP" "$p" 200
	code "$T1001" "$p" 403          # supervisors' routes, as before
done
code "$ADMIN" /api/v1/agents/1999 404
ok "one agent or queue outside the lead's scope 403, unknown 404; scope all sees each"

# Writes keep their roles: the lead may not change its own agents' queues.
http PUT /api/v1/agents/1006 '{"queues":[{"queue":"support","skill":3,"position":0}]}' "$LEAD" >/dev/null
expect_status 403 "the lead's PUT of 1006"
http PUT /api/v1/agents/1006 '{"queues":[{"queue":"support","skill":3,"position":0}]}' "$ADMIN" >/dev/null
expect_status 200 "the admin's PUT of 1006"
[ "$(jbody 'j["queues"][0]["skill"]')" = 3 ] || fail "PUT 1006: $HTTP_BODY"
http PUT /api/v1/agents/1006/state '{"state":"not_ready"}' "$T1001" >/dev/null
expect_status 403 "1001 setting 1006's state"
ok "writes keep their role checks"

# A department below 售后: its agent 1005 (sales) is the lead's from the
# next request, and with it the sales queue.
http POST /api/v1/departments "{\"name\":\"售后二线\",\"parent_id\":\"$DEPT\"}" "$ADMIN" >/dev/null
expect_status 201 "department 售后二线"
SUB=$(jbody 'j["id"]')
http PUT /api/v1/users/1005 "{\"department\":\"$SUB\"}" "$ADMIN" >/dev/null
expect_status 200 "1005 into 售后二线"
sees "$LEAD" lead "1005 $SUPPORT" "sales support"
configs "$LEAD" lead "sales support"
code "$LEAD" /api/v1/agents/1005 200
code "$LEAD" /api/v1/agents/1004 403
code "$LEAD" /api/v1/queues/sales 200
ok "a sub-department's agent and its queue join the lead's lists"

# Today's figures: at most 6 decimals (asa_s 3) in the text itself, equal
# to the KPI report's for the day, in the list and in the WebSocket's
# snapshot.
http GET /api/v1/queues "" "$ADMIN" >/dev/null
expect_status 200 "queues"
printf '%s' "$HTTP_BODY" >"$TEST_DIR/queues.json"
for q in sales support; do
	http GET "/api/v1/reports/kpi?queue=$q&interval=1d" "" "$ADMIN" >/dev/null
	expect_status 200 "the KPI report of $q"
	printf '%s' "$HTTP_BODY" >"$TEST_DIR/kpi_$q.json"
done
WS_SECONDS=10 WS_FRAMES=1 python3 "$(dirname "$0")/ws_client.py" 127.0.0.1 \
	"$HTTP_PORT" "/api/v1/events?token=$ADMIN" >"$TEST_DIR/admin.ws" ||
	fail "the admin's WebSocket"
python3 - "$TEST_DIR" <<'EOF' || fail "today's figures are not rounded as the report's"
import json, os, re, sys

d = sys.argv[1]
raw = open(os.path.join(d, "queues.json")).read()
snap = [l for l in open(os.path.join(d, "admin.ws")).read().splitlines()
        if l.startswith('{"type":"snapshot"')]
assert len(snap) == 1, snap
# Every today object as text: {"entered":…,…} holds no nested object.
todays = re.findall(r'"today":(\{[^{}]*\})', raw)
assert len(todays) == 2, raw
assert sorted(re.findall(r'"today":(\{[^{}]*\})', snap[0])) == sorted(todays), snap
DEC = {"service_level": 6, "abandon_rate": 6, "asa_s": 3}
for t in todays:
    for key, dec in DEC.items():
        m = re.search(r'"%s":(null|-?[0-9]+(?:\.([0-9]+))?(?:[eE][-+]?[0-9]+)?)' % key, t)
        assert m, (key, t)
        assert m.group(1) != "null", (key, t)
        assert "e" not in m.group(1).lower(), (key, t)
        assert len(m.group(2) or "") <= dec, (key, m.group(1), t)
lists = {q["name"]: q["today"] for q in json.loads(raw)["items"]}
# 2/7 of sales' offered answered in 20 s, as the report has it: 0.285714
for q in ("sales", "support"):
    rep = json.load(open(os.path.join(d, "kpi_%s.json" % q)))
    k = rep["rows"][0]["kpis"]
    for key, rkey in (("service_level", "service_level"),
                      ("abandon_rate", "abandon_rate"), ("asa_s", "asa")):
        assert lists[q][key] == k[rkey], (q, key, lists[q][key], k[rkey])
# The shares are really cut (none is a short binary fraction).
assert re.search(r'"service_level":0\.[0-9]{6}[,}]', todays[0] + todays[1]), todays
print(lists)
EOF
ok "today's ratios at most 6 decimals, seconds 3, equal to the KPI report's"
stop_server
