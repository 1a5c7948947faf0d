#!/usr/bin/env python3
"""A trunk caller that listens: INVITE (PCMU) to NUMBER, ACK the 200, then
receive RTP until the server's BYE (answered 200) or --timeout seconds.
Every 20 ms packet is classified by what it carries: "tone" when at least
80% of its energy is at --hz, "silence" when nearly silent, else "other".
Prints one JSON object: {"answered", "bye", "frames": [class, ...]}.

  rtp_listen_call.py --port SIP_PORT --number N --hz 1600 [--timeout 20]"""
import argparse, json, math, os, re, select, socket, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--number", required=True)
ap.add_argument("--hz", type=float, required=True)
ap.add_argument("--timeout", type=float, default=20.0)
a = ap.parse_args()

sip = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sip.bind(("127.0.0.1", 0))
rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rtp.bind(("127.0.0.1", 0))
lport, mport = sip.getsockname()[1], rtp.getsockname()[1]
server = ("127.0.0.1", a.port)
callid, tag = os.urandom(8).hex(), os.urandom(4).hex()
uri = f"sip:{a.number}@127.0.0.1:{a.port}"


def ulaw(b):
    b = ~b & 0xFF
    t = ((b & 0x0F) << 3) + 0x84
    t <<= (b & 0x70) >> 4
    return (0x84 - t) if b & 0x80 else (t - 0x84)


ULAW = [ulaw(i) for i in range(256)]


def classify(payload):
    x = [ULAW[b] for b in payload]
    energy = sum(v * v for v in x)
    if energy / max(len(x), 1) < 100:
        return "silence"
    w = 2 * math.pi * a.hz / 8000
    re_ = sum(v * math.cos(w * i) for i, v in enumerate(x))
    im = sum(v * math.sin(w * i) for i, v in enumerate(x))
    at_hz = 2 * (re_ * re_ + im * im) / len(x)
    return "tone" if at_hz >= 0.8 * energy else "other"


def send(text):
    sip.sendto(text.replace("\n", "\r\n").encode(), server)


sdp = (f"v=0\no=caller 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\n"
       f"m=audio {mport} RTP/AVP 0 101\na=rtpmap:0 PCMU/8000\n"
       f"a=rtpmap:101 telephone-event/8000\na=fmtp:101 0-15\n").replace("\n", "\r\n")
head = (f"Via: SIP/2.0/UDP 127.0.0.1:{lport};branch=z9hG4bK{{branch}}\n"
        f"From: <sip:13800138000@127.0.0.1:{lport}>;tag={tag}\n"
        f"To: <{uri}>{{totag}}\nCall-ID: {callid}\n")
invite = (f"INVITE {uri} SIP/2.0\n" + head.format(branch=os.urandom(6).hex(), totag="") +
          f"CSeq: 1 INVITE\nContact: <sip:13800138000@127.0.0.1:{lport}>\n"
          f"Max-Forwards: 70\nContent-Type: application/sdp\n"
          f"Content-Length: {len(sdp)}\n\n")
sip.sendto(invite.replace("\n", "\r\n").encode() + sdp.encode(), server)

out = {"answered": False, "bye": False, "frames": []}


def take(pkt):
    """Counts one received packet: a PCMU frame's class, anything else not."""
    if len(pkt) > 12 and (pkt[1] & 0x7F) == 0:
        out["frames"].append(classify(pkt[12:]))


deadline = time.monotonic() + a.timeout
while time.monotonic() < deadline:
    ready, _, _ = select.select([sip, rtp], [], [], max(0.0, deadline - time.monotonic()))
    if rtp in ready:
        take(rtp.recv(2048))
    if sip not in ready:
        continue
    msg = sip.recv(65535).decode(errors="replace")
    first = msg.split("\r\n", 1)[0]
    if first.startswith("SIP/2.0 200") and "INVITE" in re.search(r"CSeq: (.*)", msg).group(1):
        totag = re.search(r"\r\nTo: [^\r]*?(;tag=[^;\r]+)", msg).group(1)
        send(f"ACK {uri} SIP/2.0\n" + head.format(branch=os.urandom(6).hex(), totag=totag) +
             "CSeq: 1 ACK\nMax-Forwards: 70\nContent-Length: 0\n\n")
        out["answered"] = True
    elif first.startswith("BYE "):
        hdrs = [l for l in msg.split("\r\n")
                if re.match(r"(Via|From|To|Call-ID|CSeq):", l, re.I)]
        send("SIP/2.0 200 OK\n" + "\n".join(hdrs) + "\nContent-Length: 0\n\n")
        out["bye"] = True
        break
# What arrived before the BYE but was not read yet (a listener slowed by a
# loaded machine reads one packet a turn) is the call's too.
rtp.setblocking(False)
while True:
    try:
        take(rtp.recv(2048))
    except BlockingIOError:
        break
print(json.dumps(out))
