#!/usr/bin/env python3
"""The permission table of issue 14, written out by hand (apart from the
route tables in C and from the OpenAPI document's x-roles) and asserted
row by row against a running server: for every route, every role's
token either passes the role check (anything but 401 and 403) or gets
403; no token gets 401 unless the route is public. The routes come from
the server's /api/v1/openapi.json: a route missing here, or a row here
for no route, fails the test, so every new route needs a row.

Requests that pass the check go to made-up names (x1) with an empty JSON
body, so nothing real changes. usage: permissions.py BASE_URL
ROLE=USER:PASSWORD... (roles: admin executive supervisor qa backoffice
agent)."""
import http.client
import json
import sys
import urllib.parse

# Who may call what. Letters: a admin, e executive, s supervisor, q qa,
# b backoffice, g agent; "*" every signed-in user; "-" public (no token).
CALL_READERS = "aesqg"
CALL_HANDLERS = "asg"
# Who writes and works work orders: not executives and QA, who read them.
WO_WRITERS = "asbg"
TABLE = {
    "GET /": "-",
    "GET /app/{file}": "-",
    "GET /vendor/{file}": "-",
    "GET /healthz": "-",
    "GET /api/v1/openapi.json": "-",
    "POST /api/v1/auth/login": "-",
    "POST /api/v1/auth/logout": "*",
    "GET /api/v1/auth/me": "*",
    "POST /api/v1/auth/password": "*",
    "GET /api/v1/users": "a",
    "POST /api/v1/users": "a",
    "PUT /api/v1/users/{username}": "a",
    "DELETE /api/v1/users/{username}": "a",
    "GET /api/v1/departments": "a",
    "POST /api/v1/departments": "a",
    "PUT /api/v1/departments/{id}": "a",
    "DELETE /api/v1/departments/{id}": "a",
    "GET /api/v1/audit": "a",
    "GET /api/v1/audit.csv": "a",
    "GET /api/v1/extensions": "as",
    "POST /api/v1/extensions": "a",
    "GET /api/v1/extensions/{ext}": "as",
    "PUT /api/v1/extensions/{ext}": "a",
    "DELETE /api/v1/extensions/{ext}": "a",
    "GET /api/v1/calls": CALL_READERS,
    "POST /api/v1/calls": CALL_HANDLERS,
    "GET /api/v1/calls/{id}": CALL_READERS,
    "GET /api/v1/calls/{id}/recording": CALL_READERS,
    "GET /api/v1/calls/{id}/audio-timeline": CALL_READERS,
    "POST /api/v1/calls/{id}/recording": CALL_HANDLERS,
    "GET /api/v1/calls/{id}/data": CALL_READERS,
    "PUT /api/v1/calls/{id}/data": CALL_HANDLERS,
    "GET /api/v1/reports/satisfaction": CALL_READERS,
    "POST /api/v1/calls/{id}/transfer": CALL_HANDLERS,
    "POST /api/v1/calls/{id}/transfer/complete": CALL_HANDLERS,
    "POST /api/v1/calls/{id}/transfer/cancel": CALL_HANDLERS,
    "POST /api/v1/calls/{id}/conference": CALL_HANDLERS,
    "POST /api/v1/calls/{id}/monitor": "as",
    "POST /api/v1/calls/{id}/hold": CALL_HANDLERS,
    "POST /api/v1/calls/{id}/resume": CALL_HANDLERS,
    "POST /api/v1/calls/{id}/dtmf": CALL_HANDLERS,
    "POST /api/v1/calls/{id}/hangup": CALL_HANDLERS,
    "GET /api/v1/voicemails": CALL_HANDLERS,
    "GET /api/v1/voicemails/{id}/audio": CALL_HANDLERS,
    "PATCH /api/v1/voicemails/{id}": CALL_HANDLERS,
    "DELETE /api/v1/voicemails/{id}": CALL_HANDLERS,
    "POST /api/v1/calls/{id}/wrapup": CALL_HANDLERS,
    "GET /api/v1/calls/{id}/wrapup": CALL_READERS,
    "POST /api/v1/recordings/archive": CALL_READERS,
    "GET /api/v1/recordings/archive/{name}": CALL_READERS,
    "GET /api/v1/not-ready-reasons": "*",
    "POST /api/v1/not-ready-reasons": "as",
    "PUT /api/v1/not-ready-reasons/{code}": "as",
    "DELETE /api/v1/not-ready-reasons/{code}": "as",
    "GET /api/v1/wrapup-codes": "*",
    "POST /api/v1/wrapup-codes": "as",
    "PUT /api/v1/wrapup-codes/{code}": "as",
    "DELETE /api/v1/wrapup-codes/{code}": "as",
    "GET /api/v1/queues": CALL_READERS,
    "GET /api/v1/queues/{name}": "as",
    "PUT /api/v1/queues/{name}": "a",
    "DELETE /api/v1/queues/{name}": "a",
    "GET /api/v1/queue-config": "as",
    "GET /api/v1/agents": CALL_READERS,
    "GET /api/v1/agents/{ext}": "as",
    "PUT /api/v1/agents/{ext}": "a",
    # an agent only its own extension (x1 is not): 403 from the handler
    "PUT /api/v1/agents/{ext}/state": "as",
    "GET /api/v1/reports/kpi": CALL_READERS,
    "GET /api/v1/reports/turnover": "aes",
    "GET /api/v1/reports/fcr": "aesq",
    "GET /api/v1/reports/spc": "as",
    "GET /api/v1/reports/spc/qa": "asq",
    "POST /api/v1/reports/spc": "as",
    "POST /api/v1/reports/histogram": "as",
    # sched/: workforce management (issue 17)
    "GET /api/v1/wfm/forecast": "as",
    # shifts: planned by supervisors within their scope, read by the
    # agents they are for (own scope) and executives
    "GET /api/v1/wfm/shifts": "aesg",
    "POST /api/v1/wfm/shifts": "as",
    "GET /api/v1/wfm/shifts/{id}": "aesg",
    "PUT /api/v1/wfm/shifts/{id}": "as",
    "DELETE /api/v1/wfm/shifts/{id}": "as",
    "GET /api/v1/wfm/staffing": "as",
    "GET /api/v1/wfm/adherence": "as",
    "GET /api/v1/reports/histogram": "as",
    "GET /api/v1/reports/calls-by-region": "as",
    "GET /api/v1/reports/kpi-targets": "aesq",
    "GET /api/v1/kpi-targets": "as",
    "PUT /api/v1/kpi-targets": "a",
    "DELETE /api/v1/kpi-targets": "a",
    "GET /api/v1/reports/list": "aes",
    # x1 is no report: 400 from the handler, after the role check
    "GET /api/v1/reports/{id}": "aes",
    "GET /api/v1/dids": "as",
    "PUT /api/v1/dids/{did}": "a",
    "DELETE /api/v1/dids/{did}": "a",
    "GET /api/v1/trunks": "as",
    "POST /api/v1/trunks": "a",
    "GET /api/v1/trunks/{name}": "as",
    "PUT /api/v1/trunks/{name}": "a",
    "DELETE /api/v1/trunks/{name}": "a",
    "GET /api/v1/dial-plans": "as",
    "POST /api/v1/dial-plans": "a",
    "GET /api/v1/dial-plans/{id}": "as",
    "PUT /api/v1/dial-plans/{id}": "a",
    "DELETE /api/v1/dial-plans/{id}": "a",
    "GET /api/v1/ivr-flows": "as",
    "POST /api/v1/ivr-flows/check": "as",
    "GET /api/v1/ivr-flows/{name}": "as",
    "PUT /api/v1/ivr-flows/{name}": "a",
    "DELETE /api/v1/ivr-flows/{name}": "a",
    "GET /api/v1/ivr-kinds": "as",
    "GET /api/v1/demo/orders/{number}": "-",
    "GET /api/v1/reports/ivr": "as",
    "GET /api/v1/prompts": "as",
    "GET /api/v1/prompts/{name}": "as",
    "PUT /api/v1/prompts/{name}": "a",
    "DELETE /api/v1/prompts/{name}": "a",
    "GET /api/v1/events": "*",
    # customers (crm/): readers everyone (the data scope filters), writers
    # those who talk to customers and the back office
    "GET /api/v1/customers": "*",
    "POST /api/v1/customers": "asgb",
    "GET /api/v1/customers/{id}": "*",
    "PUT /api/v1/customers/{id}": "asgb",
    "DELETE /api/v1/customers/{id}": "as",
    "POST /api/v1/customers/{id}/restore": "as",
    "POST /api/v1/customers/{id}/merge": "as",
    "GET /api/v1/customers/duplicates": "as",
    "GET /api/v1/customers/{id}/history": "*",
    "GET /api/v1/screen-pop": "*",
    # imports: the back office and those who run the center
    "POST /api/v1/customers/import": "asb",
    "GET /api/v1/customers/export": "*",
    "GET /api/v1/customer-fields": "*",
    "POST /api/v1/customer-fields": "a",
    "PUT /api/v1/customer-fields/{name}": "a",
    "DELETE /api/v1/customer-fields/{name}": "a",
    "GET /api/v1/calendars": "as",
    "PUT /api/v1/calendars/{name}": "a",
    "GET /api/v1/work-orders": "*",
    "POST /api/v1/work-orders": WO_WRITERS,
    "GET /api/v1/work-orders/{id}": "*",
    "POST /api/v1/work-orders/{id}/transitions": WO_WRITERS,
    "POST /api/v1/work-orders/{id}/claim": WO_WRITERS,
    "POST /api/v1/work-orders/{id}/assign": WO_WRITERS,
    "POST /api/v1/work-orders/{id}/forward": WO_WRITERS,
    "POST /api/v1/work-orders/{id}/cohandle": WO_WRITERS,
    "POST /api/v1/work-orders/{id}/return": WO_WRITERS,
    "POST /api/v1/work-orders/{id}/links": WO_WRITERS,
    "POST /api/v1/work-orders/{id}/extensions": WO_WRITERS,
    "POST /api/v1/work-orders/{id}/extensions/{ext}": WO_WRITERS,
    "GET /api/v1/work-orders/{id}/attachments": "*",
    "POST /api/v1/work-orders/{id}/attachments": WO_WRITERS,
    "GET /api/v1/work-orders/{id}/attachments/{file}": "*",
    "DELETE /api/v1/work-orders/{id}/attachments/{file}": WO_WRITERS,
    "GET /api/v1/work-order-meta": "*",
    "GET /api/v1/work-order-categories": "*",
    "PUT /api/v1/work-order-categories": "a",
    "GET /api/v1/work-order-services": "*",
    "PUT /api/v1/work-order-services": "a",
    "GET /api/v1/work-order-routes": "as",
    "PUT /api/v1/work-order-routes": "a",
    "GET /api/v1/work-order-limits": "as",
    "PUT /api/v1/work-order-limits": "a",
    "GET /api/v1/work-order-departments": WO_WRITERS + "e",
    "PUT /api/v1/work-order-departments/{id}": "a",
    "GET /api/v1/reports/work-orders": "asbe",
    # knowledge base: editors (admin, supervisor, QA, back office) write,
    # everyone reads published articles, agents also link
    "GET /api/v1/kb/categories": "*",
    "POST /api/v1/kb/categories": "asqb",
    "PUT /api/v1/kb/categories/{id}": "asqb",
    "DELETE /api/v1/kb/categories/{id}": "asqb",
    "GET /api/v1/kb/articles": "*",
    "POST /api/v1/kb/articles": "asqb",
    "GET /api/v1/kb/articles/{id}": "*",
    "PUT /api/v1/kb/articles/{id}": "asqb",
    "DELETE /api/v1/kb/articles/{id}": "asqb",
    "GET /api/v1/kb/articles/{id}/versions": "asqb",
    "GET /api/v1/kb/articles/{id}/versions/{version}": "asqb",
    "POST /api/v1/kb/articles/{id}/vote": "*",
    "POST /api/v1/kb/articles/{id}/links": "asqbg",
    "DELETE /api/v1/kb/articles/{id}/links/{kind}/{target}": "asqb",
    "GET /api/v1/kb/links": "*",
    "GET /api/v1/kb/search": "*",
    "GET /api/v1/kb/popular": "*",
    # task/: callback tasks and notices (issue 15)
    "GET /api/v1/tasks": "*",
    "POST /api/v1/tasks": "asgb",
    "GET /api/v1/tasks/stats": "*",
    "GET /api/v1/tasks/abandon-rules": "as",
    "PUT /api/v1/tasks/abandon-rules": "as",
    "GET /api/v1/tasks/{id}": "*",
    "PATCH /api/v1/tasks/{id}": "asgb",
    "POST /api/v1/tasks/{id}/done": "asgb",
    "POST /api/v1/tasks/{id}/cancel": "asgb",
    "POST /api/v1/tasks/{id}/claim": "asgb",
    "GET /api/v1/notices": "*",
    "POST /api/v1/notices": "as",
    "PUT /api/v1/notices/{id}": "as",
    "DELETE /api/v1/notices/{id}": "as",
    "POST /api/v1/notices/{id}/read": "*",
    "GET /api/v1/notices/{id}/receipts": "as",
    # qa/: quality inspection (issue 16): QA inspectors score, agents read
    # their own evaluations and appeal, leads decide appeals
    "GET /api/v1/qa/scorecards": "*",
    "POST /api/v1/qa/scorecards": "asq",
    "GET /api/v1/qa/scorecards/{id}": "*",
    "PUT /api/v1/qa/scorecards/{id}": "asq",
    "GET /api/v1/qa/evaluations": CALL_READERS,
    "POST /api/v1/qa/evaluations": "aq",
    "GET /api/v1/qa/evaluations/{id}": CALL_READERS,
    "POST /api/v1/qa/evaluations/{id}/appeal": "g",
    "POST /api/v1/qa/evaluations/{id}/decision": "as",
    "POST /api/v1/qa/samples": "asq",
    "GET /api/v1/qa/samples": "asq",
    "GET /api/v1/qa/reports": "aesq",
    "GET /api/v1/qa/calibration": "asq",
    "GET /api/v1/qa/calibrations": "asq",
    "POST /api/v1/qa/calibrations": "as",
    "GET /api/v1/qa/calibrations/{id}": "asq",
    "POST /api/v1/qa/calibrations/{id}/close": "as",
    "GET /api/v1/qa/inspectors": "asq",
    "GET /api/v1/qa/cases": CALL_READERS,
    "POST /api/v1/qa/cases": "asq",
    "GET /api/v1/qa/cases/{id}": CALL_READERS,
    "GET /api/v1/qa/cases/{id}/clip": CALL_READERS,
    "DELETE /api/v1/qa/cases/{id}": "asq",
    "GET /api/v1/qa/teams": "asq",
}
LETTER = {"admin": "a", "executive": "e", "supervisor": "s", "qa": "q",
          "backoffice": "b", "agent": "g"}

base = urllib.parse.urlparse(sys.argv[1])
problems = []


def request(method, path, token=None, body=None):
    c = http.client.HTTPConnection(base.hostname, base.port, timeout=20)
    h = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        h["Authorization"] = "Bearer " + token
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data


def login(user, pw):
    st, data = request("POST", "/api/v1/auth/login",
                       body=json.dumps({"username": user, "password": pw}))
    assert st == 200, (user, st, data)
    return json.loads(data)["token"]


creds = {}
for a in sys.argv[2:]:
    role, up = a.split("=", 1)
    creds[role] = up.split(":", 1)
assert set(creds) == set(LETTER), ("a user of every role", sorted(creds))
tokens = {r: login(*creds[r]) for r in creds}

st, data = request("GET", "/api/v1/openapi.json")
assert st == 200, st
doc = json.loads(data)
served = {"%s %s" % (m.upper(), p) for p, ops in doc["paths"].items()
          for m in ops if m in ("get", "put", "post", "delete", "patch")}
for r in sorted(served - set(TABLE)):
    problems.append("route without a row in the permission table: " + r)
for r in sorted(set(TABLE) - served):
    problems.append("row for a route not served: " + r)

rows = 0
for key in sorted(served & set(TABLE)):
    method, pattern = key.split(" ", 1)
    path = pattern
    for part in [s for s in pattern.split("/") if s.startswith("{")]:
        path = path.replace(part, "x1")
    body = "{}" if method in ("POST", "PUT", "PATCH") else None
    allowed = TABLE[key]
    st, data = request(method, path, None, body)
    rows += 1
    if allowed == "-":
        if st in (401, 403):
            problems.append("%s without a token: %d (public)" % (key, st))
    elif st != 401:
        problems.append("%s without a token: %d, want 401" % (key, st))
    for role, letter in LETTER.items():
        tok = tokens[role]
        if key == "POST /api/v1/auth/logout":
            tok = login(*creds[role])      # the session it ends is its own
        st, data = request(method, path, tok, body)
        rows += 1
        ok = allowed in ("-", "*") or letter in allowed
        if ok and st in (401, 403):
            problems.append("%s as %s: %d %s, want let through" %
                            (key, role, st, data[:80]))
        if not ok and st != 403:
            problems.append("%s as %s: %d, want 403" % (key, role, st))
        if not ok and st == 403 and b"error" not in data:
            problems.append("%s as %s: 403 without an error body" %
                            (key, role))

for p in problems:
    print("FAIL: " + p)
if problems:
    sys.exit(1)
print("ok: %d routes x (no token + %d roles) = %d rows as the table says"
      % (len(served), len(LETTER), rows))
