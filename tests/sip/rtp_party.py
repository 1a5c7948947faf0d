#!/usr/bin/env python3
"""One party of a call that speaks a tone and tells what it hears, for
tests that check who hears whom (hold, transfer, conference, monitoring).

It sends a continuous PCMU sine at --hz and classifies every 20 ms packet
it receives with Goertzel filters at the --listen frequencies: a frequency
is heard in a frame when it carries at least 10 % of the frame's energy
(two equal tones carry about half each) and the frame is not silent.
RFC 4733 telephone-events it receives are collected as digits.

  call:    rtp_party.py call --port SIP_PORT --number N --hz 400 ...
           (a trunk caller from loopback: INVITE, ACK the 200)
  answer:  rtp_party.py answer --bind PORT --hz 700 ...
           (an extension's phone already registered at HOST:PORT:
           answers the first INVITE with 200)
Both: --talk "A-B,C-D" speaks only from A to B and C to D s after the
answer, in syllables (the tone swelling and fading five times a second),
with a line's faint noise between (for tests that measure talk and
silence in the recording); --seconds S hangs up S s after the answer (BYE), --bye-file F once
file F exists; without them the party waits for the other side's BYE, at
most --timeout s. Re-INVITEs are
answered 200 with the same SDP (488 with --refuse-reinvite, the media left
where they were). Writes one JSON object to --out (or
stdout): {"answered", "bye_from": "us"|"them"|null, "call_id",
"answered_at": epoch seconds, "frames": [[ms_since_answer, [hz heard...]],
...], "digits": "...", "rtp_ports": [the server's RTP port, each new one an
SDP named]}."""
import argparse, json, math, os, random, re, select, socket, struct, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("mode", choices=["call", "answer"])
ap.add_argument("--port", type=int, help="the server's SIP port (call)")
ap.add_argument("--number", help="the number to call (call)")
ap.add_argument("--from-user", default="13800138000")
ap.add_argument("--bind", type=int, default=0, help="our SIP port (answer)")
ap.add_argument("--hz", type=float, required=True)
ap.add_argument("--listen", default="400,700,1100,1500")
ap.add_argument("--seconds", type=float)
ap.add_argument("--talk", help="A-B,C-D: speak only in these spans (s after the answer)")
ap.add_argument("--timeout", type=float, default=30.0)
ap.add_argument("--bye-file", help="hang up (BYE) once this file exists")
ap.add_argument("--refuse-reinvite", action="store_true",
                help="answer a re-INVITE 488, keeping the media where they were")
ap.add_argument("--host", default="127.0.0.1", help="our address (SIP, RTP)")
ap.add_argument("--sdp-host", help="the address our SDP names (default --host:"
                " another plays a phone behind NAT, reached only by symmetric RTP)")
ap.add_argument("--out")
a = ap.parse_args()
LISTEN = [float(x) for x in a.listen.split(",") if x]
TALK = [tuple(float(v) for v in s.split("-")) for s in a.talk.split(",")] if a.talk else None

sip = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sip.bind((a.host, a.bind))
rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rtp.bind((a.host, 0))
lport, mport = sip.getsockname()[1], rtp.getsockname()[1]


def ulaw_dec(b):
    b = ~b & 0xFF
    t = ((b & 0x0F) << 3) + 0x84
    t <<= (b & 0x70) >> 4
    return (0x84 - t) if b & 0x80 else (t - 0x84)


def ulaw_enc(v):
    sign = 0x80 if v < 0 else 0
    v = min(abs(v), 32635) + 0x84
    exp = 7
    while exp > 0 and not v & (0x4000 >> (7 - exp)):
        exp -= 1
    return ~(sign | (exp << 4) | ((v >> (exp + 3)) & 0x0F)) & 0xFF


ULAW = [ulaw_dec(i) for i in range(256)]
N = 160
COEF = [2 * math.cos(2 * math.pi * f / 8000) for f in LISTEN]


def heard(payload):
    x = [ULAW[b] for b in payload[:N]]
    energy = sum(v * v for v in x)
    if len(x) < N or energy < N * 200 * 200:   # below ~ -44 dBFS: silence
        return []
    out = []
    for f, c in zip(LISTEN, COEF):
        s1 = s2 = 0.0
        for v in x:
            s1, s2 = v + c * s1 - s2, s1
        power = s1 * s1 + s2 * s2 - c * s1 * s2
        if power / (N / 2 * energy) >= 0.1:
            out.append(int(f))
    return out


def sdp():
    host = a.sdp_host or a.host
    return (f"v=0\r\no=party 1 1 IN IP4 {host}\r\ns=-\r\n"
            f"c=IN IP4 {host}\r\nt=0 0\r\n"
            f"m=audio {mport} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
            "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n"
            "a=sendrecv\r\n")


def parse(data):
    text = data.decode("utf-8", "replace")
    head, _, body = text.partition("\r\n\r\n")
    lines = head.split("\r\n")
    hdrs = {}
    for ln in lines[1:]:
        k, _, v = ln.partition(":")
        hdrs.setdefault(k.strip().lower(), []).append(v.strip())
    return lines[0], hdrs, body


def h(hdrs, name):
    return hdrs.get(name, [""])[0]


def remote_rtp(body):
    c = re.search(r"c=IN IP4 (\S+)", body)
    m = re.search(r"m=audio (\d+)", body)
    return (c.group(1), int(m.group(1))) if c and m else None


def reply(req_hdrs, code, reason, src, body="", to_tag=None):
    to = h(req_hdrs, "to")
    if to_tag and "tag=" not in to:
        to += ";tag=" + to_tag
    msg = [f"SIP/2.0 {code} {reason}"]
    msg += ["Via: " + v for v in req_hdrs.get("via", [])]
    msg += [f"From: {h(req_hdrs, 'from')}", f"To: {to}",
            f"Call-ID: {h(req_hdrs, 'call-id')}",
            f"CSeq: {h(req_hdrs, 'cseq')}",
            f"Contact: <sip:party@{a.host}:{lport}>"]
    if body:
        msg.append("Content-Type: application/sdp")
    msg.append(f"Content-Length: {len(body)}")
    sip.sendto(("\r\n".join(msg) + "\r\n\r\n" + body).encode(), src)


state = {"answered": False, "bye_from": None, "call_id": None,
         "frames": [], "digits": "", "rtp_ports": []}
peer = None           # (sip address) of the dialog's other end
dialog = {}           # call-id, from, to, cseq: for our BYE
remote = None


def moved_to(r):
    """Notes the server's RTP port each time an SDP names a new one."""
    if r and (not state["rtp_ports"] or state["rtp_ports"][-1] != r[1]):
        state["rtp_ports"].append(r[1])
t_answer = None
tag = os.urandom(4).hex()
server = ("127.0.0.1", a.port or 0)

if a.mode == "call":
    callid = os.urandom(8).hex()
    uri = f"sip:{a.number}@127.0.0.1:{a.port}"
    body = sdp()
    dialog = {"call-id": callid, "from": f"<sip:{a.from_user}@127.0.0.1>;tag={tag}",
              "to": f"<{uri}>", "uri": uri, "cseq": 1}
    invite = (f"INVITE {uri} SIP/2.0\r\n"
              f"Via: SIP/2.0/UDP {a.host}:{lport};branch=z9hG4bK{os.urandom(6).hex()};rport\r\n"
              f"From: {dialog['from']}\r\nTo: <{uri}>\r\nCall-ID: {callid}\r\n"
              f"CSeq: 1 INVITE\r\nContact: <sip:{a.from_user}@{a.host}:{lport}>\r\n"
              "Max-Forwards: 70\r\nContent-Type: application/sdp\r\n"
              f"Content-Length: {len(body)}\r\n\r\n{body}")
    sip.sendto(invite.encode(), server)
    peer = server
    state["call_id"] = callid

deadline = time.time() + a.timeout
seq, ts, ssrc = 0, 0, int.from_bytes(os.urandom(4), "big")
phase = 0.0
step = 2 * math.pi * a.hz / 8000
next_send = time.time()
last_ev_ts = None


def level(t):
    """The tone's amplitude t s after the answer: 8000, or with --talk
    syllables inside the spans and a line's faint noise outside them. By
    the clock, not by packets sent: a party stalled on a loaded machine
    leaves a gap in its talk, it does not stretch it."""
    if TALK is None:
        return 8000.0
    if any(lo <= t < hi for lo, hi in TALK):
        return 8000.0 * (0.15 + 0.85 * abs(math.sin(math.pi * 5 * t)))
    return 0.0


def send_frame():
    global seq, ts, phase
    pl = bytearray()
    t0 = time.time() - t_answer
    for i in range(N):
        amp = level(t0 + i / 8000.0)
        noise = random.randint(-20, 20) if TALK is not None else 0
        pl.append(ulaw_enc(int(amp * math.sin(phase)) + noise))
        phase += step
    pkt = struct.pack("!BBHII", 0x80, 0, seq & 0xFFFF, ts & 0xFFFFFFFF, ssrc) + pl
    rtp.sendto(pkt, remote)
    seq += 1
    ts += N


def send_bye():
    dialog["cseq"] += 1
    msg = (f"BYE {dialog['uri']} SIP/2.0\r\n"
           f"Via: SIP/2.0/UDP {a.host}:{lport};branch=z9hG4bK{os.urandom(6).hex()};rport\r\n"
           f"From: {dialog['from']}\r\nTo: {dialog['to']}\r\nCall-ID: {dialog['call-id']}\r\n"
           f"CSeq: {dialog['cseq']} BYE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
    sip.sendto(msg.encode(), peer)


while time.time() < deadline and state["bye_from"] is None:
    now = time.time()
    if t_answer and ((a.seconds is not None and now - t_answer >= a.seconds) or
                     (a.bye_file and os.path.exists(a.bye_file))):
        send_bye()
        state["bye_from"] = "us"
        break
    # Every frame due goes now: a party stalled for a moment catches up
    # (up to 100 ms, what the server's receive buffer takes at once)
    # instead of sending one frame a turn and lagging further.
    while remote and t_answer and now >= next_send:
        send_frame()
        next_send += 0.02
        if next_send < now - 0.1:
            next_send = now
    r, _, _ = select.select([sip, rtp], [], [], 0.005)
    if rtp in r:
        data, _ = rtp.recvfrom(2048)
        if len(data) > 12 and t_answer:
            pt = data[1] & 0x7F
            cc = data[0] & 0x0F
            payload = data[12 + 4 * cc:]
            if pt == 0:
                state["frames"].append([int((time.time() - t_answer) * 1000),
                                        heard(payload)])
            elif len(payload) >= 4 and payload[1] & 0x80:
                ev_ts = struct.unpack("!I", data[4:8])[0]
                if ev_ts != last_ev_ts:
                    last_ev_ts = ev_ts
                    state["digits"] += "0123456789*#ABCD"[payload[0]] if payload[0] < 16 else "?"
    if sip in r:
        data, src = sip.recvfrom(65535)
        first, hdrs, body = parse(data)
        if first.startswith("SIP/2.0"):
            code = int(first.split()[1])
            if "INVITE" in h(hdrs, "cseq") and code >= 200:
                if code >= 300:
                    state["bye_from"] = "refused %d" % code
                    break
                dialog["to"] = h(hdrs, "to")
                m = re.search(r"<([^>]+)>", h(hdrs, "contact"))
                if m:
                    dialog["uri"] = m.group(1)
                ack = (f"ACK {dialog['uri']} SIP/2.0\r\n"
                       f"Via: SIP/2.0/UDP {a.host}:{lport};branch=z9hG4bK{os.urandom(6).hex()};rport\r\n"
                       f"From: {dialog['from']}\r\nTo: {dialog['to']}\r\n"
                       f"Call-ID: {dialog['call-id']}\r\nCSeq: 1 ACK\r\nMax-Forwards: 70\r\n"
                       "Content-Length: 0\r\n\r\n")
                sip.sendto(ack.encode(), peer)
                if not t_answer:
                    remote = remote_rtp(body)
                    moved_to(remote)
                    t_answer = next_send = time.time()
                    state["answered"] = True
            continue
        method = first.split()[0]
        if method == "INVITE" and t_answer and a.refuse_reinvite:
            reply(hdrs, 488, "Not Acceptable Here", src, to_tag=tag)
            continue
        if method == "INVITE":
            rr = remote_rtp(body)
            if rr:
                remote = rr
                moved_to(rr)
            if not t_answer and a.mode == "answer":
                peer = src
                state["call_id"] = h(hdrs, "call-id")
                m = re.search(r"<([^>]+)>", h(hdrs, "contact"))
                dialog = {"call-id": h(hdrs, "call-id"),
                          "from": h(hdrs, "to") + ";tag=" + tag,
                          "to": h(hdrs, "from"),
                          "uri": m.group(1) if m else f"sip:x@{src[0]}:{src[1]}",
                          "cseq": 100}
                reply(hdrs, 180, "Ringing", src, to_tag=tag)
                t_answer = next_send = time.time()
                state["answered"] = True
            reply(hdrs, 200, "OK", src, sdp(), to_tag=tag)
        elif method == "BYE":
            reply(hdrs, 200, "OK", src, to_tag=tag)
            state["bye_from"] = "them"
        elif method in ("OPTIONS", "NOTIFY", "INFO", "UPDATE"):
            reply(hdrs, 200, "OK", src, to_tag=tag)
        elif method in ("ACK",):
            pass
        else:
            reply(hdrs, 501, "Not Implemented", src, to_tag=tag)

# Our BYE's answer is not waited for: the server's log says it arrived.
state["answered_at"] = t_answer
out = json.dumps(state)
if a.out:
    with open(a.out, "w") as f:
        f.write(out)
else:
    print(out)
