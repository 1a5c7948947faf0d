#!/usr/bin/env python3
"""Mass hang-up driver for tests/sip/bye_storm.sh (issue 18).

bye_storm.py SIP_PORT CALLS LO HI: places CALLS calls from one UDP socket to
extensions LO..HI at 127.0.0.1:SIP_PORT (INVITE retransmitted per RFC 3261
until a response, ACK for every 200), and once all are up sends every BYE
back to back, at once, and never retransmits one: a BYE the server's socket
dropped stays unanswered. Prints one JSON object; exits 0 if every call was
set up and every BYE answered with 200. Bounded: 180 s to set up, 30 s for
the answers."""
import json, os, random, select, socket, sys, time

port, calls, lo, hi = (int(a) for a in sys.argv[1:5])
dst = ("127.0.0.1", port)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
s.bind(("127.0.0.1", 0))
me = s.getsockname()[1]
tag = "%08x" % random.getrandbits(32)
WINDOW = 100          # INVITEs in flight without any response yet


def branch():
    return "z9hG4bK%016x" % random.getrandbits(64)


def request(method, uri, cid, cseq, to, body=b""):
    head = [f"{method} {uri} SIP/2.0",
            f"Via: SIP/2.0/UDP 127.0.0.1:{me};branch={branch()};rport",
            "Max-Forwards: 70",
            f"From: <sip:storm@127.0.0.1>;tag={tag}-{cid}",
            f"To: {to}", f"Call-ID: {cid}", f"CSeq: {cseq} {method}",
            f"Contact: <sip:storm@127.0.0.1:{me}>"]
    if body:
        head.append("Content-Type: application/sdp")
    head.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def sdp(n):
    return (f"v=0\r\no=storm {n} 1 IN IP4 127.0.0.1\r\ns=-\r\n"
            f"c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {20000 + 2 * (n % 5000)}"
            " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n").encode()


def parse(data):
    text = data.decode("utf-8", "replace")
    head = text.split("\r\n\r\n", 1)[0].split("\r\n")
    h = {}
    for line in head[1:]:
        k, _, v = line.partition(":")
        h.setdefault(k.strip().lower(), v.strip())
    return head[0], h


calls_ = {}           # call-id -> dict
for i in range(calls):
    ext = lo + i % (hi - lo + 1)
    cid = f"storm-{tag}-{i}"
    calls_[cid] = {"uri": f"sip:{ext}@127.0.0.1:{port}", "n": i,
                   "to": f"<sip:{ext}@127.0.0.1:{port}>", "state": "new",
                   "sent": 0.0, "rto": 0.5}
order = list(calls_)
up = failed = 0
answered_bye = 0
bye_codes = {}
invite_codes = {}
nxt = 0


def send_invite(c, cid):
    c["msg"] = c.get("msg") or request("INVITE", c["uri"], cid, 1, c["to"],
                                       sdp(c["n"]))
    s.sendto(c["msg"], dst)
    c["sent"] = time.monotonic()


def handle(data):
    global up, failed, answered_bye
    first, h = parse(data)
    if not first.startswith("SIP/2.0 "):
        # A request from the server (a BYE of its own, OPTIONS): answer it.
        cid, cseq = h.get("call-id", ""), h.get("cseq", "")
        via = h.get("via") or h.get("v", "")
        resp = ("SIP/2.0 200 OK\r\nVia: %s\r\nFrom: %s\r\nTo: %s\r\n"
                "Call-ID: %s\r\nCSeq: %s\r\nContent-Length: 0\r\n\r\n" %
                (via, h.get("from", ""), h.get("to", ""), cid, cseq))
        if not first.startswith("ACK"):
            s.sendto(resp.encode(), dst)
        return
    code = int(first.split()[1])
    c = calls_.get(h.get("call-id"))
    if not c:
        return
    method = h.get("cseq", "").split()[-1]
    if method == "INVITE":
        if c["state"] == "new":
            c["state"] = "trying"
        if 200 <= code < 300:
            c["to"] = h.get("to", c["to"])
            contact = h.get("contact") or h.get("m") or ""
            if "<" in contact:
                c["target"] = contact[contact.index("<") + 1:contact.index(">")]
            c.setdefault("target", c["uri"])
            s.sendto(request("ACK", c["target"], h["call-id"], 1, c["to"]), dst)
            if c["state"] != "up":
                c["state"] = "up"
                up += 1
        elif code >= 300 and c["state"] not in ("up", "failed"):
            c["state"] = "failed"
            failed += 1
            invite_codes[code] = invite_codes.get(code, 0) + 1
    elif method == "BYE" and c["state"] == "bye":
        c["state"] = "done"
        bye_codes[code] = bye_codes.get(code, 0) + 1
        if code == 200:
            answered_bye += 1


def pump(timeout):
    r, _, _ = select.select([s], [], [], timeout)
    while r:
        handle(s.recv(65535))
        r, _, _ = select.select([s], [], [], 0)


t0 = time.monotonic()
while up + failed < calls and time.monotonic() - t0 < 180:
    pending = sum(1 for c in calls_.values() if c["state"] == "new" and c["sent"])
    while nxt < calls and pending < WINDOW:
        send_invite(calls_[order[nxt]], order[nxt])
        nxt += 1
        pending += 1
    now = time.monotonic()
    for cid, c in calls_.items():
        if c["state"] == "new" and c["sent"] and now - c["sent"] > c["rto"]:
            c["rto"] *= 2
            send_invite(c, cid)
    pump(0.02)
setup_s = time.monotonic() - t0

# Let late 200 retransmissions settle, then hang everything up at once.
pump(0.5)
t1 = time.monotonic()
for cid in order:
    c = calls_[cid]
    if c["state"] == "up":
        c["state"] = "bye"
        s.sendto(request("BYE", c["target"], cid, 2, c["to"]), dst)
sent_s = time.monotonic() - t1
byes = sum(1 for c in calls_.values() if c["state"] == "bye")
while answered_bye + sum(v for k, v in bye_codes.items() if k != 200) < byes \
        and time.monotonic() - t1 < 30:
    pump(0.1)
out = {"calls": calls, "up": up, "failed": failed, "setup_s": round(setup_s, 2),
       "byes": byes, "bye_send_s": round(sent_s, 3), "bye_answered": answered_bye,
       "bye_codes": bye_codes, "invite_failures": invite_codes,
       "unanswered": [k for k, c in calls_.items() if c["state"] == "bye"][:5], "answers_s": round(time.monotonic() - t1, 2)}
print(json.dumps(out))
sys.exit(0 if up == calls and answered_bye == calls else 1)
