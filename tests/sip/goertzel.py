#!/usr/bin/env python3
"""Which tones a party hears, for SIP tests of conference and supervisor
monitoring: give each party its own tone (400, 700, 1,100 Hz; 1,500 Hz for a
supervisor), then measure with a Goertzel filter what arrives at each.
The same filter as tests/unit/media/goertzel.h.

  goertzel.py tone-pcap OUT.pcap --hz 400 [--seconds 30] [--law pcmu|pcma]
      an RTP pcap of one tone for sipp's play_pcap_audio
  goertzel.py listen --ports P1,P2 --out FILE [--seconds 60] [--window-ms 400] [--ready FILE]
      receives RTP on loopback ports until S seconds pass or SIGTERM, then
      writes {"P1": {"packets": n, "windows": [{"t": s, "400": amp, ...}],
      "last": {"400": amp, ...}}, ...}: amplitudes per window of audio (t:
      seconds since start when the window began arriving) and over the last
      whole window; PCMU (0) and PCMA (8) are decoded, other types skipped
  goertzel.py wav FILE [--window-ms 400]
      the same figures for each channel of a 16-bit WAV (a recording)
  goertzel.py self-test

Amplitudes are in sample units: a tone sent at amplitude A reads about A.
`hears(amp, sent)` is the test's rule: at least a quarter of what was sent;
a tone nobody sent stays under a tenth (G.711 noise, a lost packet)."""
import argparse, json, math, select, signal, socket, struct, sys, time, wave

RATE = 8000
FREQS = (400, 700, 1100, 1500)


def goertzel(x, hz, rate=RATE):
    """The amplitude of the hz component of the samples x."""
    if not x:
        return 0.0
    coeff = 2 * math.cos(2 * math.pi * hz / rate)
    s1 = s2 = 0.0
    for v in x:
        s1, s2 = v + coeff * s1 - s2, s1
    power = s1 * s1 + s2 * s2 - coeff * s1 * s2
    return 2 * math.sqrt(max(power, 0.0)) / len(x)


def hears(amp, sent):
    """True when a tone sent at `sent` is clearly there."""
    return amp >= sent / 4


def silent(amp, sent):
    """True when a tone sent at `sent` is clearly not there."""
    return amp < sent / 10


def ulaw_decode(u):
    u = ~u & 0xFF
    t = (((u & 0x0F) << 3) + 0x84) << ((u & 0x70) >> 4)
    return (0x84 - t) if u & 0x80 else (t - 0x84)


def alaw_decode(a):
    a ^= 0x55
    t = (a & 0x0F) << 4
    seg = (a & 0x70) >> 4
    if seg == 0:
        t += 8
    elif seg == 1:
        t += 0x108
    else:
        t = (t + 0x108) << (seg - 1)
    return t if a & 0x80 else -t


def ulaw_encode(x):
    sign = 0x80 if x < 0 else 0
    x = min(abs(x), 32635) + 132
    exp = max(0, x.bit_length() - 8)
    return ~(sign | (exp << 4) | ((x >> (exp + 3)) & 0x0F)) & 0xFF


def alaw_encode(x):
    sign = 0x80 if x >= 0 else 0
    x = min(abs(x), 32767) >> 3
    if x < 32:
        v = x >> 1
    else:
        exp = x.bit_length() - 5
        v = (exp << 4) | ((x >> exp) & 0x0F)
    return (v | sign) ^ 0x55


ULAW = [ulaw_decode(b) for b in range(256)]
ALAW = [alaw_decode(b) for b in range(256)]


def tone(hz, n, amp=6000, rate=RATE):
    return [int(amp * math.sin(2 * math.pi * hz * i / rate)) for i in range(n)]


def figures(pcm, window):
    """Amplitudes per window of `window` samples, and over the last one."""
    wins = []
    for start in range(0, len(pcm) - window + 1, window):
        w = pcm[start:start + window]
        wins.append({str(f): round(goertzel(w, f), 1) for f in FREQS})
    last = pcm[-window:] if len(pcm) >= window else pcm
    return wins, {str(f): round(goertzel(last, f), 1) for f in FREQS}


def cmd_tone_pcap(a):
    enc, pt = (alaw_encode, 8) if a.law == "pcma" else (ulaw_encode, 0)
    n = int(a.seconds * 50)
    pcm = tone(a.hz, n * 160)
    with open(a.out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for k in range(n):
            payload = bytes(enc(x) for x in pcm[k * 160:(k + 1) * 160])
            rtp = struct.pack("!BBHII", 0x80, pt, k, k * 160, 0x70E0 + a.hz) + payload
            udp = struct.pack("!HHHH", 4000, 4000, 8 + len(rtp), 0) + rtp
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64,
                             17, 0, bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1])) + udp
            eth = b"\0" * 12 + b"\x08\x00" + ip
            us = k * 20000
            f.write(struct.pack("<IIII", us // 1000000, us % 1000000, len(eth), len(eth)))
            f.write(eth)


def cmd_listen(a):
    window = a.window_ms * 8
    socks, audio, packets, starts = {}, {}, {}, {}
    for p in a.ports.split(","):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", int(p)))
        socks[s] = p
        audio[p], packets[p], starts[p] = [], 0, []
    if a.ready:
        open(a.ready, "w").close()
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    t0 = time.monotonic()
    end = t0 + a.seconds
    while not stop and time.monotonic() < end:
        ready, _, _ = select.select(list(socks), [], [], 0.2)
        for s in ready:
            pkt = s.recv(2048)
            p = socks[s]
            packets[p] += 1
            if len(pkt) <= 12 or pkt[0] >> 6 != 2:
                continue
            cc, pt = pkt[0] & 0x0F, pkt[1] & 0x7F
            table = ULAW if pt == 0 else ALAW if pt == 8 else None
            if table is None:
                continue
            if len(audio[p]) % window == 0:
                starts[p].append(round(time.monotonic() - t0, 3))
            audio[p].extend(table[b] for b in pkt[12 + 4 * cc:])
    out = {}
    for p in audio:
        wins, last = figures(audio[p], window)
        for w, t in zip(wins, starts[p]):
            w["t"] = t
        out[p] = {"packets": packets[p], "windows": wins, "last": last}
    with open(a.out, "w") as f:
        json.dump(out, f)


def cmd_wav(a):
    with wave.open(a.file) as w:
        ch, n = w.getnchannels(), w.getnframes()
        if w.getsampwidth() != 2:
            sys.exit("goertzel.py: only 16-bit WAV")
        raw = struct.unpack("<%dh" % (n * ch), w.readframes(n))
        rate = w.getframerate()
    window = a.window_ms * rate // 1000
    out = {}
    for c in range(ch):
        wins, last = figures(list(raw[c::ch]), window)
        out[("left", "right")[c] if ch == 2 else str(c)] = {"windows": wins, "last": last}
    json.dump(out, sys.stdout)
    print()


def cmd_self_test(_):
    mix = [a + b for a, b in zip(tone(400, 3200), tone(1500, 3200))]
    for law in (ULAW, ALAW):
        enc = ulaw_encode if law is ULAW else alaw_encode
        x = [law[enc(v)] for v in mix]
        assert hears(goertzel(x, 400), 6000), "400 Hz not heard"
        assert hears(goertzel(x, 1500), 6000), "1500 Hz not heard"
        assert silent(goertzel(x, 700), 6000), "700 Hz heard"
        assert silent(goertzel(x, 1100), 6000), "1100 Hz heard"
    assert all(abs(ULAW[ulaw_encode(v)] - v) <= abs(v) / 16 + 8 for v in range(-32000, 32000, 97))
    assert all(abs(ALAW[alaw_encode(v)] - v) <= abs(v) / 16 + 16 for v in range(-32000, 32000, 97))
    print("goertzel.py: self-test ok")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("tone-pcap")
    t.add_argument("out")
    t.add_argument("--hz", type=int, required=True)
    t.add_argument("--seconds", type=float, default=30)
    t.add_argument("--law", choices=("pcmu", "pcma"), default="pcmu")
    t.set_defaults(fn=cmd_tone_pcap)
    li = sub.add_parser("listen")
    li.add_argument("--ports", required=True)
    li.add_argument("--out", required=True)
    li.add_argument("--seconds", type=float, default=60)
    li.add_argument("--window-ms", type=int, default=400)
    li.add_argument("--ready", help="file created once every port is bound")
    li.set_defaults(fn=cmd_listen)
    w = sub.add_parser("wav")
    w.add_argument("file")
    w.add_argument("--window-ms", type=int, default=400)
    w.set_defaults(fn=cmd_wav)
    sub.add_parser("self-test").set_defaults(fn=cmd_self_test)
    a = ap.parse_args()
    a.fn(a)


if __name__ == "__main__":
    main()
