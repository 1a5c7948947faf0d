#!/usr/bin/env python3
"""Listens for RTP on loopback ports and counts what arrives, for tests
that check what a caller hears.

  rtp_sink.py --ports P1,P2 --out FILE [--seconds S]

Runs until S seconds pass (default 60) or SIGTERM, then writes one JSON
object to FILE: {"P1": {"packets": n, "loud": k, "gap_ms": g}, …}. PCMA
(payload type 8) is decoded; a packet is loud when a sample reaches 9000
(about -11 dBFS): Hotline's music on hold never does, its spoken prompts
do. gap_ms is the longest wait between two packets, from the first on."""
import argparse, json, select, signal, socket, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("--ports", required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--seconds", type=float, default=60)
a = ap.parse_args()


def alaw(v):
    """G.711 A-law to linear."""
    v ^= 0x55
    t = (v & 0x0F) << 4
    seg = (v & 0x70) >> 4
    if seg == 0:
        t += 8
    elif seg == 1:
        t += 0x108
    else:
        t = (t + 0x108) << (seg - 1)
    return t if v & 0x80 else -t


LOUD = {b for b in range(256) if abs(alaw(b)) >= 9000}
socks, stats = {}, {}
for p in a.ports.split(","):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", int(p)))
    socks[s] = p
    stats[p] = {"packets": 0, "loud": 0, "gap_ms": 0}
last = {}
stop = False


def on_term(sig, frame):
    global stop
    stop = True


signal.signal(signal.SIGTERM, on_term)
end = time.monotonic() + a.seconds
while not stop and time.monotonic() < end:
    ready, _, _ = select.select(list(socks), [], [], 0.2)
    for s in ready:
        pkt = s.recv(2048)
        now = time.monotonic()
        st = stats[socks[s]]
        st["packets"] += 1
        if s in last:
            st["gap_ms"] = max(st["gap_ms"], round((now - last[s]) * 1000))
        last[s] = now
        if len(pkt) > 12 and pkt[1] & 0x7F == 8 and any(b in LOUD for b in pkt[12:]):
            st["loud"] += 1
with open(a.out, "w") as f:
    json.dump(stats, f)
