#!/usr/bin/env python3
"""An agent's desk phone doing an attended transfer by itself (RFC 5589
section 7), for tests/sip/call_replaces.sh.

Registered beforehand at --bind, it answers the first INVITE (the
customer's call, dialog D1), talks --talk s, calls --target through the
server as extension --ext with digest --password (the consultation, D2),
talks --consult s, then sends a REFER in D1 whose Refer-To names the
target with Replaces=D2 (--replaces-callid overrides D2's Call-ID, for
the refusal). It answers whatever comes (NOTIFY, BYE, re-INVITE) with 200
and writes one JSON object to --out: {"refer": status, "notify": the
sipfrag body or null, "bye_d1": bool, "bye_d2": bool, "d2_answered":
bool}. It sends no RTP: the other parties' tones tell who hears whom."""
import argparse, hashlib, json, os, re, select, socket, time

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, required=True, help="server SIP port")
ap.add_argument("--bind", type=int, required=True)
ap.add_argument("--ext", required=True)
ap.add_argument("--password", required=True)
ap.add_argument("--target", required=True)
ap.add_argument("--talk", type=float, default=1.5)
ap.add_argument("--consult", type=float, default=1.5)
ap.add_argument("--replaces-callid")
ap.add_argument("--timeout", type=float, default=40.0)
ap.add_argument("--out", required=True)
a = ap.parse_args()

HOST = "127.0.0.1"
SERVER = (HOST, a.port)
sip = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sip.bind((HOST, a.bind))
rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rtp.bind((HOST, 0))
CONTACT = f"<sip:{a.ext}@{HOST}:{a.bind}>"
SDP = (f"v=0\r\no=phone 1 1 IN IP4 {HOST}\r\ns=-\r\nc=IN IP4 {HOST}\r\n"
       f"t=0 0\r\nm=audio {rtp.getsockname()[1]} RTP/AVP 0 101\r\n"
       "a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
       "a=sendrecv\r\n")
deadline = time.time() + a.timeout
out = {"refer": None, "notify": None, "bye_d1": False, "bye_d2": False,
       "d2_answered": False}


def md5(s):
    return hashlib.md5(s.encode()).hexdigest()


def branch():
    return "z9hG4bK" + os.urandom(6).hex()


def parse(data):
    head, _, body = data.decode("utf-8", "replace").partition("\r\n\r\n")
    lines = head.split("\r\n")
    hdrs = {}
    for ln in lines[1:]:
        k, _, v = ln.partition(":")
        hdrs.setdefault(k.strip().lower(), []).append(v.strip())
    return lines[0], hdrs, body


def h(hdrs, name):
    return hdrs.get(name, [""])[0]


def tag_of(value):
    m = re.search(r";tag=([^;>\s]+)", value)
    return m.group(1) if m else ""


def send(text):
    sip.sendto(text.encode(), SERVER)


def reply(hdrs, code, reason, body="", to_tag=None):
    to = h(hdrs, "to")
    if to_tag and "tag=" not in to:
        to += ";tag=" + to_tag
    lines = [f"SIP/2.0 {code} {reason}"] + ["Via: " + v for v in hdrs["via"]]
    lines += [f"From: {h(hdrs, 'from')}", f"To: {to}",
              f"Call-ID: {h(hdrs, 'call-id')}", f"CSeq: {h(hdrs, 'cseq')}",
              f"Contact: {CONTACT}"]
    if body:
        lines.append("Content-Type: application/sdp")
    lines.append(f"Content-Length: {len(body)}")
    send("\r\n".join(lines) + "\r\n\r\n" + body)


def request(method, uri, frm, to, cid, cseq, extra="", body="", br=None):
    lines = [f"{method} {uri} SIP/2.0",
             f"Via: SIP/2.0/UDP {HOST}:{a.bind};branch={br or branch()};rport",
             f"From: {frm}", f"To: {to}", f"Call-ID: {cid}",
             f"CSeq: {cseq} {method}", f"Contact: {CONTACT}",
             "Max-Forwards: 70"]
    if extra:
        lines.append(extra.rstrip("\r\n"))
    if body:
        lines.append("Content-Type: application/sdp")
    lines.append(f"Content-Length: {len(body)}")
    send("\r\n".join(lines) + "\r\n\r\n" + body)


d1 = None                 # the customer's call: Hotline called us
d2 = {"cid": os.urandom(8).hex() + "@phone", "tag": os.urandom(4).hex(),
      "cseq": 1, "branch": branch()}
d2["uri"] = f"sip:{a.target}@{HOST}:{a.port}"
d2["from"] = f"<sip:{a.ext}@{HOST}>;tag={d2['tag']}"
phase, t_next = "wait_call", None


def handle_request(first, hdrs, body):
    global d1, phase, t_next
    method, cid = first.split()[0], h(hdrs, "call-id")
    if method == "ACK":
        return
    if method == "INVITE" and d1 is None:
        m = re.search(r"<([^>]+)>", h(hdrs, "contact"))
        tag = os.urandom(4).hex()
        d1 = {"cid": cid, "tag": tag, "local": h(hdrs, "to") + ";tag=" + tag,
              "remote": h(hdrs, "from"), "uri": m.group(1), "cseq": 1}
        reply(hdrs, 180, "Ringing", to_tag=tag)
        reply(hdrs, 200, "OK", SDP, to_tag=tag)
        phase, t_next = "talk", time.time() + a.talk
        return
    if method == "BYE":
        out["bye_d1"] |= d1 is not None and cid == d1["cid"]
        out["bye_d2"] |= cid == d2["cid"]
    if method == "NOTIFY" and "sipfrag" in h(hdrs, "content-type"):
        out["notify"] = body.strip()
    tag = d1["tag"] if d1 and cid == d1["cid"] else d2["tag"]
    reply(hdrs, 200, "OK", SDP if method == "INVITE" else "", to_tag=tag)


def handle_response(first, hdrs):
    global phase, t_next
    code, method = int(first.split()[1]), h(hdrs, "cseq").split()[-1]
    if method == "REFER" and code >= 200:
        out["refer"] = code
        phase = "after_refer"
    if method != "INVITE" or h(hdrs, "call-id") != d2["cid"] or code < 200:
        return
    to = h(hdrs, "to")
    if code in (401, 407) and d2["cseq"] == 1:
        request("ACK", d2["uri"], d2["from"], to, d2["cid"], 1,
                br=d2["branch"])
        ch = h(hdrs, "www-authenticate") or h(hdrs, "proxy-authenticate")
        realm = re.search(r'realm="([^"]*)"', ch).group(1)
        nonce = re.search(r'nonce="([^"]*)"', ch).group(1)
        cnonce, nc = os.urandom(4).hex(), "00000001"
        ha1 = md5(f"{a.ext}:{realm}:{a.password}")
        ha2 = md5(f"INVITE:{d2['uri']}")
        resp = md5(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
        auth = (f'Authorization: Digest username="{a.ext}", realm="{realm}", '
                f'nonce="{nonce}", uri="{d2["uri"]}", response="{resp}", '
                f'algorithm=MD5, qop=auth, nc={nc}, cnonce="{cnonce}"')
        d2["cseq"] = 2
        request("INVITE", d2["uri"], d2["from"], f"<{d2['uri']}>", d2["cid"],
                2, auth, SDP)
        return
    if code >= 300:
        phase = "done"
        return
    d2["to"] = to
    m = re.search(r"<([^>]+)>", h(hdrs, "contact"))
    d2["contact"] = m.group(1) if m else d2["uri"]
    request("ACK", d2["contact"], d2["from"], to, d2["cid"], d2["cseq"])
    if not out["d2_answered"]:
        out["d2_answered"] = True
        phase, t_next = "consult", time.time() + a.consult


def refer():
    cid = a.replaces_callid or d2["cid"]
    esc = lambda s: s.replace("%", "%25").replace("@", "%40").replace(
        ";", "%3B").replace("=", "%3D")
    rep = esc(cid) + "%3Bto-tag%3D" + esc(tag_of(d2.get("to", ""))) + \
        "%3Bfrom-tag%3D" + esc(d2["tag"])
    d1["cseq"] += 1
    request("REFER", d1["uri"], d1["local"], d1["remote"], d1["cid"],
            d1["cseq"], f"Refer-To: <sip:{a.target}@{HOST}:{a.port}"
            f"?Replaces={rep}>\r\nReferred-By: <sip:{a.ext}@{HOST}>")


while time.time() < deadline and phase != "done":
    if phase == "talk" and time.time() >= t_next:
        phase = "consulting"
        request("INVITE", d2["uri"], d2["from"], f"<{d2['uri']}>", d2["cid"],
                1, body=SDP, br=d2["branch"])
    elif phase == "consult" and time.time() >= t_next:
        phase = "referring"
        refer()
    elif phase == "after_refer":
        # Accepted, the server hangs up both of our dialogs; refused,
        # neither, and the test goes on with them.
        if out["refer"] != 202 or (out["bye_d1"] and out["bye_d2"]):
            phase = "done"
    r, _, _ = select.select([sip, rtp], [], [], 0.02)
    if rtp in r:
        rtp.recvfrom(2048)
    if sip in r:
        data, _ = sip.recvfrom(65535)
        first, hdrs, body = parse(data)
        if first.startswith("SIP/2.0"):
            handle_response(first, hdrs)
        else:
            handle_request(first, hdrs, body)

with open(a.out, "w") as f:
    json.dump(out, f)
