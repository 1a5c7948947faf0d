#!/usr/bin/env python3
"""The OpenAPI document of a running server, checked three ways:

  shape   it is OpenAPI 3: every operation has responses, every {name} of
          a path has its path parameter and no other, every $ref and
          security scheme resolves, every error is the Error schema;
  source  its operations are exactly the rows of the route tables in the
          C sources (struct api_route NAME[] = {...}), both directions;
  server  each operation is served as documented: without a token a
          non-public route answers 401 and a public one never does, no
          route answers 405 or "no such route"; with each role's token a
          role outside x-roles gets 403, and one inside it is let through.

Usage: openapi_check.py DOC.json BASE_URL SRC_DIR ROLE=USER:PASSWORD...
Prints one "ok: ..." line per check; exits 1 with every problem listed.
Requests with a token that pass the role check reach their handler, so
they go to made-up names ("x1") with no body: nothing real is changed."""
import glob
import http.client
import json
import re
import sys
import urllib.parse

METHODS = {"get", "put", "post", "delete", "patch", "head", "options",
           "trace"}
ROLE_REFUSED = "your role may not use this route"   # api/server.c's
problems = []


def problem(msg):
    problems.append(msg)


def say(before, msg):
    """Prints ok: msg when nothing went wrong since problems had before."""
    if len(problems) == before:
        print("ok: " + msg)


def operations(doc):
    for path, item in doc.get("paths", {}).items():
        for method, op in item.items():
            yield path, method, op


def resolve(doc, ref):
    if not ref.startswith("#/"):
        return None
    node = doc
    for part in ref[2:].split("/"):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def refs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref":
                yield v
            else:
                yield from refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from refs(v)


def check_shape(doc):
    before = len(problems)
    if not str(doc.get("openapi", "")).startswith("3.0."):
        problem("openapi is %r, want 3.0.x" % doc.get("openapi"))
    info = doc.get("info", {})
    if not isinstance(info.get("title"), str) or \
            not isinstance(info.get("version"), str):
        problem("info lacks title or version: %r" % info)
    schemes = doc.get("components", {}).get("securitySchemes", {})
    if schemes.get("bearerAuth", {}).get("scheme") != "bearer":
        problem("no bearerAuth http bearer scheme")
    error = doc.get("components", {}).get("schemas", {}).get("Error", {})
    if error.get("required") != ["error"] or \
            error.get("properties", {}).get("error", {}).get("type") != "string":
        problem("Error schema is not {error: string}: %r" % error)
    for ref in refs(doc):
        if resolve(doc, ref) is None:
            problem("$ref %s does not resolve" % ref)
    ids = set()
    n = 0
    for path, method, op in operations(doc):
        n += 1
        where = "%s %s" % (method.upper(), path)
        if not path.startswith("/"):
            problem("%s: path does not start with /" % where)
        if method not in METHODS:
            problem("%s: not an HTTP method" % where)
            continue
        if not op.get("summary"):
            problem("%s: no summary" % where)
        oid = op.get("operationId")
        if not oid or oid in ids:
            problem("%s: operationId %r missing or repeated" % (where, oid))
        ids.add(oid)
        resp = op.get("responses") or {}
        if not resp:
            problem("%s: no responses" % where)
        for status, r in resp.items():
            if not re.fullmatch(r"[1-5](\d\d|XX)|default", status):
                problem("%s: response key %r" % (where, status))
            if "description" not in r:
                problem("%s %s: no description" % (where, status))
            if status.startswith(("4", "5")):
                schema = r.get("content", {}).get("application/json", {}) \
                    .get("schema", {})
                if schema.get("$ref") != "#/components/schemas/Error":
                    problem("%s %s: not the Error schema" % (where, status))
        want = re.findall(r"\{([^}]+)\}", path)
        got = [p.get("name") for p in op.get("parameters", [])
               if p.get("in") == "path"]
        if sorted(want) != sorted(got):
            problem("%s: path parameters %r, want %r" % (where, got, want))
        for p in op.get("parameters", []):
            if p.get("in") == "path" and p.get("required") is not True:
                problem("%s: path parameter %s not required" %
                        (where, p.get("name")))
        for req in op.get("security", []):
            for name in req:
                if name not in schemes:
                    problem("%s: unknown security scheme %s" % (where, name))
        public = op.get("security") == []
        if public != ("401" not in resp):
            problem("%s: security %r but 401 %s" % (
                where, op.get("security"),
                "listed" if "401" in resp else "not listed"))
        if not public and not op.get("x-roles"):
            problem("%s: signed-in route without x-roles" % where)
    say(before, "shape: %d operations, OpenAPI 3 as far as checked" % n)
    return n


def source_rows(src):
    """(METHOD, pattern) of every row of every route table under src."""
    rows = set()
    for f in sorted(glob.glob(src + "/*/*.c")):
        text = open(f, encoding="utf-8").read()
        for table in re.findall(
                r"struct api_route \w+\[\]\s*=\s*\{(.*?)\n\};", text, re.S):
            for method, pattern in re.findall(
                    r'\{\s*"([A-Z]+)",\s*"([^"]+)"', table):
                if (method, pattern) in rows:
                    problem("source: %s %s in two tables" % (method, pattern))
                rows.add((method, pattern))
    return rows


def check_source(doc, src):
    before = len(problems)
    rows = source_rows(src)
    ops = {(m.upper(), p) for p, m, _ in operations(doc)}
    if len(rows) < 50:
        problem("source: only %d route rows found under %s" % (len(rows), src))
    for m, p in sorted(rows - ops):
        problem("source row %s %s is not in the document" % (m, p))
    for m, p in sorted(ops - rows):
        problem("document's %s %s is in no route table" % (m, p))
    say(before, "source: the document's %d operations are the %d table rows"
        % (len(ops), len(rows)))


def request(base, method, path, token=None, body=None):
    """(status, the reply's "error" or None); the reply is kept in last."""
    u = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    headers = {"Authorization": "Bearer " + token} if token else {}
    if body is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(body)
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    request.last = r.read()
    conn.close()
    try:
        error = json.loads(request.last).get("error")
    except (ValueError, AttributeError):
        error = None
    return r.status, error


def login(base, user, password):
    status, error = request(base, "POST", "/api/v1/auth/login", None,
                            {"username": user, "password": password})
    if status != 200:
        sys.exit("FAIL: login %s: %d %s" % (user, status, error))
    return json.loads(request.last)["token"]


def concrete(path):
    return re.sub(r"\{[^}]+\}", lambda m: m.group(0)[1:-1] + "1", path)


def routed(where, status, error):
    """The request reached its route: not 405, not the router's 404."""
    if status == 405 or (status == 404 and error == "no such route"):
        problem("%s: %d %s: the route is not served" % (where, status, error))
        return False
    return True


def check_anonymous(doc, base):
    before = len(problems)
    n = 0
    for path, method, op in operations(doc):
        where = "%s %s (no token)" % (method.upper(), path)
        status, error = request(base, method.upper(), concrete(path))
        n += 1
        if not routed(where, status, error):
            continue
        public = op.get("security") == []
        if public and status == 401:
            problem("%s: documented public, got 401" % where)
        if not public and status != 401:
            problem("%s: documented signed-in, got %d" % (where, status))
        if status >= 400 and not isinstance(error, str):
            problem("%s: %d without {\"error\": ...}" % (where, status))
    say(before, "server: %d operations without a token: 401 exactly where "
        "documented, none unserved" % n)


def check_roles(doc, base, users):
    before = len(problems)
    let = refused = 0
    for role, (user, password) in users.items():
        token = login(base, user, password)
        for path, method, op in operations(doc):
            if op.get("security") == []:
                continue
            where = "%s %s as %s" % (method.upper(), path, role)
            allowed = role in op.get("x-roles", [])
            status, error = request(base, method.upper(), concrete(path),
                                    token)
            if not routed(where, status, error):
                continue
            # A handler may refuse too (an agent setting another's
            # state): the role check is the 403 with its own reason.
            by_role = status == 403 and error == ROLE_REFUSED
            if status == 401:
                problem("%s: 401 with a valid token (%s)" % (where, error))
            elif allowed and by_role:
                problem("%s: in x-roles, got 403" % where)
            elif not allowed and not by_role:
                problem("%s: not in x-roles %r, got %d %s" %
                        (where, op.get("x-roles"), status, error))
            if status == 404 and "404" not in op.get("responses", {}):
                problem("%s: 404 (%s) not documented" % (where, error))
            let += allowed
            refused += not allowed
            if allowed and method != "get" and \
                    request(base, "GET", "/api/v1/auth/me", token)[0] != 200:
                token = login(base, user, password)   # it was logout
    say(before, "server: %d requests let through and %d refused with 403, "
        "as x-roles says, for %s" % (let, refused, ", ".join(users)))


def main():
    doc_file, base, src = sys.argv[1:4]
    users = {role: tuple(who.split(":", 1)) for role, who in
             (a.split("=", 1) for a in sys.argv[4:])}
    doc = json.load(open(doc_file, encoding="utf-8"))
    check_shape(doc)
    check_source(doc, src)
    check_anonymous(doc, base)
    check_roles(doc, base, users)
    for p in problems:
        print("FAIL: " + p, file=sys.stderr)
    sys.exit(1 if problems else 0)


main()
