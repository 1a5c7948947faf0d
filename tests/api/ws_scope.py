"""Checks the streams ws_scope.sh recorded (one NAME.ws per client: the
status line, then one frame per line).

The scope rule is written here again, from docs/api.md and apart from the
server's code: each client's events must be exactly what the rule keeps of
the admin's stream over the same seqs, and the admin's stream (which sees
all) must have no gap. usage: ws_scope.py TEST_DIR"""
import json, os, sys

d = sys.argv[1]
ALL = ("admin", "supervisor", "qa", "executive")
# client file → (username, role, extension)
CLIENTS = {
    "admin": ("admin", "admin", ""), "sup": ("sup", "supervisor", ""),
    "late_admin": ("admin", "admin", ""),
    "a1001": ("1001", "agent", "1001"), "late_1001": ("1001", "agent", "1001"),
    "a1002": ("1002", "agent", "1002"), "bo": ("bo", "backoffice", ""),
    # a supervisor with scope departments over a tree holding 1001 alone:
    # an agent's view of 1001's agent and calls, its own sessions
    "dsup": ("dsup", "dept", "1001"),
    # QA, everything, numbers masked
    "mqa": ("mqa", "qa", ""),
}
MINE = ("agent", "dept")   # the roles whose view is "their extensions"
NUMBERS = ("from", "to", "caller", "callee", "transfer_to")


def mask(n):
    """docs/api.md: first 3 and last 4 kept; up to 7 characters, last 2."""
    if len(n) <= 7:
        return "*" * (len(n) - min(len(n), 2)) + n[len(n) - min(len(n), 2):]
    return n[:3] + "*" * (len(n) - 7) + n[-4:]


def frames(name):
    lines = open(os.path.join(d, name + ".ws")).read().splitlines()
    assert lines and lines[0] == "status=101", (name, lines[:2])
    out = []
    for l in lines[1:]:
        if l.startswith("{"):
            out.append(json.loads(l))
    assert out and out[0]["type"] == "snapshot", (name, out[:1])
    assert not [f for f in out[1:] if f["type"] == "snapshot"], name
    return out


def sees(user, role, ext, follow, e):
    """The rule, for one event in stream order; updates follow."""
    if role in ALL:
        return True
    t, subj, agent = e["type"], e["subject"], e["data"].get("agent")
    if t.startswith("auth."):
        return subj == user and role in ("agent", "backoffice", "dept")
    if role not in MINE:
        return False
    if t.startswith("agent."):
        return subj == ext
    if t == "queue.blocked":
        # a department's lead: the queues its agents serve (1001: sales)
        return role == "agent" or subj == "sales"
    if t.startswith("queue."):
        return agent == ext or subj in follow
    if t.startswith("call.") or t.startswith("voicemail."):
        if subj in follow:
            if t == "call.ended":
                follow.discard(subj)
            return True
        if agent == ext:
            if t != "call.ended":
                follow.add(subj)
            return True
    return False


streams = {n: frames(n) for n in CLIENTS}
admin = streams["admin"]
admin_ev = [f for f in admin[1:] if f["type"] != "queue.stats"]
# The call: the one 1001 answered.
calls = [e["subject"] for e in admin_ev
         if e["type"] == "call.answered" and e["data"].get("agent") == "1001"]
assert len(calls) == 1, calls
call = calls[0]

# Admin: every seq after its snapshot's, none missing, none twice.
seqs = [e["seq"] for e in admin_ev]
first = admin[0]["seq"] + 1
assert seqs == list(range(first, first + len(seqs))), ("gap in admin", seqs)
by_seq = {e["seq"]: e for e in admin_ev}
for name in ("admin", "late_admin"):
    assert [e for e in streams[name][1:] if e["type"] == "call.ringing"
            and e["subject"] == call] or name == "late_admin", name

for name, (user, role, ext) in CLIENTS.items():
    fs = streams[name]
    snap = fs[0]
    ev = [f for f in fs[1:] if f["type"] != "queue.stats"]
    stats = [f for f in fs[1:] if f["type"] == "queue.stats"]
    got = [e["seq"] for e in ev]
    # in order, all after the snapshot
    assert got == sorted(set(got)), (name, "out of order", got)
    assert not got or got[0] > snap["seq"], (name, snap["seq"], got[:3])
    # the window: up to the client's own last sign-in
    own = "sup" if role in ALL else user
    if name == "mqa":
        # same events as the admin's, every number masked
        masked = 0
        for e in ev:
            a = by_seq[e["seq"]]
            for k in NUMBERS:
                v = a["data"].get(k)
                if isinstance(v, str) and v:
                    assert e["data"][k] == mask(v), (k, v, e["data"][k])
                    assert "*" in e["data"][k], (k, e)
                    masked += 1
        assert masked >= 2, ("mqa saw no number to mask", masked)
        for c in snap["data"]["calls"]:
            for k in NUMBERS:
                if isinstance(c.get(k), str) and c[k]:
                    assert "*" in c[k], ("snapshot", k, c)
    last = max(e["seq"] for e in ev if e["type"] == "auth.login"
               and e["subject"] == own)
    assert last <= seqs[-1], (name, last)
    # what the rule keeps of the admin's stream over the same seqs; the
    # snapshot's calls are followed from the start
    follow = set()
    if role in MINE:
        follow = {c["id"] for c in snap["data"]["calls"]}
    want = [s for s in range(snap["seq"] + 1, last + 1)
            if sees(user, role, ext, follow, by_seq[s])]
    mine = [s for s in got if s <= last]
    assert mine == want, (name, "got", mine, "want", want,
                          [by_seq[s]["type"] for s in set(mine) ^ set(want)])
    # the snapshot: same rule
    data = snap["data"]
    assert set(data) == {"agents", "queues", "calls"}, (name, data.keys())
    agents = {a["ext"] for a in data["agents"]}
    if role in ALL:
        assert {"1001", "1002"} <= agents, (name, agents)
        assert {q["name"] for q in data["queues"]} >= {"sales"}, name
    elif role in MINE:
        assert agents == {ext}, (name, agents)
        assert {q["name"] for q in data["queues"]} >= {"sales"}, name
    else:
        assert data == {"agents": [], "queues": [], "calls": []}, (name, data)
    # queue statistics: everyone but the back office, as GET /queues
    if role == "backoffice":
        assert not stats, (name, stats[:1])
    else:
        assert stats, name
        q = stats[-1]["data"]["queues"]
        sales = [x for x in q if x["name"] == "sales"][0]
        assert {"waiting", "longest_wait_s", "agents", "today"} <= set(sales), sales
        assert sales["today"]["answered"] >= 1, sales

# 1001 saw its call from ringing to the end, and its own state; 1002 and
# the back office saw nothing of either.
def types(name, subject):
    return [e["type"] for e in streams[name][1:] if e.get("subject") == subject]

t1 = types("a1001", call)
for t in ("call.ringing", "call.answered", "call.hold", "call.resume",
          "call.ended", "queue.answer", "queue.hold_start", "queue.hold_stop"):
    assert t in t1, ("1001 lacks", t, t1)
states = [e["data"]["state"] for e in streams["a1001"][1:]
          if e["type"] == "agent.state" and e["subject"] == "1001"]
assert "talking" in states, states
for name in ("a1002", "bo"):
    assert not types(name, call), (name, types(name, call))
    assert not types(name, "1001"), (name, types(name, "1001"))

# The late clients: their snapshot shows the call live and 1001 talking.
for name in ("late_admin", "late_1001"):
    snap = streams[name][0]["data"]
    live = [c for c in snap["calls"] if c["id"] == call]
    assert live, (name, snap["calls"])
    c = live[0]
    assert c["agent"] == "1001" and c["state"] == "held", c
    assert c["queue"] == "sales" and c["from"] == "13800138000", c
    assert c["to"] == "4008003000" and c["answered_at"], c
    assert c["data"] == {"crm": {"ticket": "T-1"}}, c
    later = types(name, call)
    assert "call.resume" in later and "call.ended" in later, (name, later)
    a = [x for x in snap["agents"] if x["ext"] == "1001"][0]
    assert a["state"] == "talking", a

# The snapshot's items are those of GET /api/v1/agents and /queues.
api_agents = {a["ext"]: a for a in json.load(open(os.path.join(d, "agents.json")))["items"]}
api_queues = {q["name"]: q for q in json.load(open(os.path.join(d, "queues.json")))["items"]}
snap = streams["late_admin"][0]["data"]
assert {a["ext"] for a in snap["agents"]} == set(api_agents), snap["agents"]
for a in snap["agents"]:
    b = api_agents[a["ext"]]
    assert set(a) == set(b) and a["queues"] == b["queues"], (a, b)
    assert a["state"] == b["state"], (a, b)
for q in snap["queues"]:
    assert set(q) == set(api_queues[q["name"]]), (q, api_queues[q["name"]])
assert {q["name"] for q in snap["queues"]} == set(api_queues)
print("ok")
