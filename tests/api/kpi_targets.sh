# The KPI targets a center sets (/api/v1/kpi-targets, issue 17): the
# reference's defaults until one is set; only admins set them, supervisors
# read them, agents neither; bad targets (unknown KPI or queue, a ratio
# outside 0..1, low above high, the wrong unit) are refused with the
# reason and change nothing, every item of a batch or none; and what the
# readers get (GET /api/v1/reports/kpi-targets, the daily summary's and
# the wallboard's targets) is the queue's own over the center's over the
# default, back to what lies under once a row is removed; a supervisor
# limited to departments reads and charts only their department's queues.
. "$(dirname "$0")/../lib.sh"

start_server
ADMIN=$(login admin admin123)
SUP=$(login sup sup123)
AGENT=$(login 1001 secret1001)
# kpi ID: "(target_lo, target_hi, source)" of the last reports/kpi-targets.
eff() { jbody "[(x['target_lo'], x['target_hi'], x['source']) for x in j['items'] if x['id'] == '$1'][0]"; }

http GET /api/v1/kpi-targets "" "$SUP" >/dev/null
expect_status 200 "a supervisor reads the targets"
[ "$(jbody "[(x['default_lo'], x['center'], x['queues'], x['ceiling_only']) for x in j['items'] if x['id'] == 'service_level'][0]")" = \
  "(0.8, None, [], False)" ] || fail "service level before any is set: $HTTP_BODY"
[ "$(jbody "[x['ceiling_only'] for x in j['items'] if x['id'] == 'abandon_rate'][0]")" = True ] ||
	fail "abandonment's range is a ceiling: $HTTP_BODY"
http GET /api/v1/kpi-targets "" "$AGENT" >/dev/null
expect_status 403 "an agent reads the targets"
http PUT /api/v1/kpi-targets '{"kpi":"service_level","target_lo":0.9}' "$SUP" >/dev/null
expect_status 403 "a supervisor sets a target"
http DELETE "/api/v1/kpi-targets?kpi=service_level" "" "$SUP" >/dev/null
expect_status 403 "a supervisor removes a target"
ok "admins set targets, supervisors read them, agents neither"

bad() {
	http PUT /api/v1/kpi-targets "$1" "$ADMIN" >/dev/null
	expect_status 400 "$1"
	case "$(jbody 'j["error"]')" in *"$2"*) ;; *) fail "$1: want '$2' in $HTTP_BODY" ;; esac
}
bad '{"kpi":"nope","target_lo":1}' "kpi: no KPI nope"
bad '{"target_lo":1}' "kpi"
bad '{"kpi":"service_level","target_lo":80}' "0 to 1"
bad '{"kpi":"service_level","target_lo":-0.1}' "0 to 1"
bad '{"kpi":"asa","target_hi":-5}' "not below 0"
bad '{"kpi":"abandon_rate","target_lo":0.05,"target_hi":0.03}' "target_lo: above target_hi"
bad '{"kpi":"asa","target_hi":20,"unit":"ratio"}' "unit: asa is measured in s"
bad '{"kpi":"asa","target_hi":"20"}' "target_hi: want a number"
bad '{"kpi":"asa","queue":"nowhere","target_hi":20}' "queue: no queue nowhere"
bad '{"items":[{"kpi":"asa","target_hi":15},{"kpi":"service_level","target_lo":2}]}' "items[1]: target_lo"
bad '{"items":[]}' "items"
http GET /api/v1/kpi-targets "" "$ADMIN" >/dev/null
[ "$(jbody "[x['id'] for x in j['items'] if x['center'] or x['queues']]")" = "[]" ] ||
	fail "a refused PUT changed something: $HTTP_BODY"
http DELETE "/api/v1/kpi-targets?kpi=nope" "" "$ADMIN" >/dev/null
expect_status 400 "removing an unknown KPI's target"
ok "bad targets are refused with the reason and change nothing, a batch's good items included"

http GET /api/v1/reports/kpi-targets "" "$SUP" >/dev/null
[ "$(eff service_level)" = "(0.8, None, 'default')" ] || fail "the default in force: $HTTP_BODY"
http PUT /api/v1/kpi-targets '{"items":[{"kpi":"service_level","target_lo":0.9,"unit":"ratio"},
	{"kpi":"service_level","queue":"sales","target_lo":0.7,"target_hi":null},
	{"kpi":"asa","queue":"sales","target_hi":15}]}' "$ADMIN" >/dev/null
expect_status 200 "setting the center's and sales' targets"
[ "$(jbody "[(x['center'], x['queues']) for x in j['items'] if x['id'] == 'service_level'][0]")" = \
  "({'target_lo': 0.9, 'target_hi': None}, [{'target_lo': 0.7, 'target_hi': None, 'queue': 'sales'}])" ] ||
	fail "the stored targets: $HTTP_BODY"
http GET /api/v1/reports/kpi-targets "" "$SUP" >/dev/null
[ "$(eff service_level)" = "(0.9, None, 'center')" ] || fail "the center's in force: $HTTP_BODY"
[ "$(eff asa)" = "(None, 20.0, 'default')" ] || fail "asa's default for the center: $HTTP_BODY"
http GET "/api/v1/reports/kpi-targets?queue=sales" "" "$SUP" >/dev/null
expect_status 200 "targets for sales"
[ "$(eff service_level)" = "(0.7, None, 'queue')" ] || fail "sales' own service level: $HTTP_BODY"
[ "$(eff asa)" = "(None, 15.0, 'queue')" ] || fail "sales' own ASA: $HTTP_BODY"
[ "$(jbody "[(x['default_lo'], x['target']) for x in j['items'] if x['id'] == 'service_level'][0]")" = \
  "(0.8, '80% answered within 20 s')" ] || fail "the reference's target beside it: $HTTP_BODY"
http GET "/api/v1/reports/kpi-targets?queue=support" "" "$SUP" >/dev/null
[ "$(eff service_level)" = "(0.9, None, 'center')" ] || fail "support under the center's: $HTTP_BODY"
http GET "/api/v1/reports/kpi-targets?queue=nowhere" "" "$SUP" >/dev/null
expect_status 404 "targets of an unknown queue"
ok "a queue's own target over the center's over the reference's"

# An open end set on purpose: no ceiling for ASA in support.
http PUT /api/v1/kpi-targets '{"kpi":"asa","queue":"support","target_lo":null,"target_hi":null}' "$ADMIN" >/dev/null
expect_status 200 "no ASA target for support"
http GET "/api/v1/reports/kpi-targets?queue=support" "" "$SUP" >/dev/null
[ "$(eff asa)" = "(None, None, 'queue')" ] || fail "support's open ASA: $HTTP_BODY"
http PUT /api/v1/kpi-targets '{"kpi":"service_level","queue":"sales","target_lo":0.75}' "$ADMIN" >/dev/null
expect_status 200 "sales' service level changed"
http DELETE "/api/v1/kpi-targets?kpi=service_level" "" "$ADMIN" >/dev/null
expect_status 200 "the center's service level removed"
http GET "/api/v1/reports/kpi-targets?queue=sales" "" "$SUP" >/dev/null
[ "$(eff service_level)" = "(0.75, None, 'queue')" ] || fail "sales' changed target: $HTTP_BODY"
http DELETE "/api/v1/kpi-targets?kpi=service_level&queue=sales" "" "$ADMIN" >/dev/null
expect_status 200 "sales' service level removed"
http GET "/api/v1/reports/kpi-targets?queue=sales" "" "$SUP" >/dev/null
[ "$(eff service_level)" = "(0.8, None, 'default')" ] || fail "back to the default: $HTTP_BODY"
ok "an open target may be set; removing a row restores what lies under it"

# --- data scope: a team lead of 一组 (1001, who serves sales) sees sales'
# targets and charts, not support's nor the center's whole figures.
http POST /api/v1/departments '{"name":"一组"}' "$ADMIN" >/dev/null
expect_status 201 "a department"
G1=$(jbody 'j["id"]')
http PUT /api/v1/users/1001 "{\"department\":\"$G1\"}" "$ADMIN" >/dev/null
expect_status 200 "1001 in 一组"
http POST /api/v1/users "{\"username\":\"lead1\",\"password\":\"password-lead1\",\"role\":\"supervisor\",\"department\":\"$G1\"}" "$ADMIN" >/dev/null
expect_status 201 "the lead of 一组"
LEAD=$(login lead1 password-lead1)
http GET "/api/v1/reports/kpi-targets?queue=sales" "" "$LEAD" >/dev/null
expect_status 200 "the lead reads sales' targets"
[ "$(eff asa)" = "(None, 15.0, 'queue')" ] || fail "the lead's sales ASA: $HTTP_BODY"
http GET "/api/v1/reports/kpi-targets?queue=support" "" "$LEAD" >/dev/null
expect_status 403 "the lead reads support's targets"
case "$(jbody 'j["error"]')" in *"outside your data scope: queue support"*) ;; *) fail "why: $HTTP_BODY" ;; esac
http GET /api/v1/kpi-targets "" "$LEAD" >/dev/null
expect_status 200 "the lead reads the targets table"
[ "$(jbody "sorted({q['queue'] for x in j['items'] for q in x['queues']})")" = "['sales']" ] ||
	fail "the lead sees sales' rows only: $HTTP_BODY"
http GET /api/v1/kpi-targets "" "$SUP" >/dev/null
[ "$(jbody "sorted({q['queue'] for x in j['items'] for q in x['queues']})")" = "['sales', 'support']" ] ||
	fail "sup (all) sees every queue's rows: $HTTP_BODY"
for q in "queue=support" "agent=1006" ""; do
	http GET "/api/v1/reports/spc?kpi=asa&$q" "" "$LEAD" >/dev/null
	expect_status 403 "the lead charts '$q'"
done
for q in "queue=sales" "agent=1001"; do
	http GET "/api/v1/reports/spc?kpi=asa&$q" "" "$LEAD" >/dev/null
	[ "$HTTP_STATUS" != 403 ] || fail "the lead charts $q: $HTTP_BODY"
	http GET "/api/v1/reports/spc?kpi=asa&$q" "" "$SUP" >/dev/null
	[ "$HTTP_STATUS" != 403 ] || fail "sup charts $q: $HTTP_BODY"
done
http GET "/api/v1/reports/spc?kpi=asa" "" "$SUP" >/dev/null
[ "$HTTP_STATUS" != 403 ] || fail "sup charts the center: $HTTP_BODY"
ok "data scope: a team lead reads and charts their department's queue and agents only"

stop_server
start_server
SUP=$(login sup sup123)
http GET "/api/v1/reports/kpi-targets?queue=sales" "" "$SUP" >/dev/null
[ "$(eff asa)" = "(None, 15.0, 'queue')" ] || fail "after a restart: $HTTP_BODY"
ok "the targets are stored: a restart keeps them"
