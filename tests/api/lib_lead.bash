# The department lead of the demo's support agents, for the tests of what
# a lead's data scope shows (sourced after tests/lib.sh). Not *.sh:
# tests/run.sh runs every tests/api/*.sh as a test.

# support_lead ADMIN_TOKEN: agents 1006–1010 (support's members) into a
# new department 售后, its id in DEPT, and its lead: user `lead`, password
# `password-lead`, a supervisor, whose scope is then departments.
support_lead() {
	local e
	http POST /api/v1/departments '{"name":"售后"}' "$1" >/dev/null
	expect_status 201 "department 售后"
	DEPT=$(jbody 'j["id"]')
	for e in 1006 1007 1008 1009 1010; do
		http PUT "/api/v1/users/$e" "{\"department\":\"$DEPT\"}" "$1" >/dev/null
		expect_status 200 "$e into 售后"
	done
	http POST /api/v1/users "{\"username\":\"lead\",\"password\":\"password-lead\",\"role\":\"supervisor\",\"department\":\"$DEPT\"}" "$1" >/dev/null
	expect_status 201 "the lead of 售后"
	[ "$(jbody 'j["scope"]')" = departments ] || fail "the lead's scope: $HTTP_BODY"
}
