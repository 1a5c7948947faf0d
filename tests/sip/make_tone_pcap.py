#!/usr/bin/env python3
"""Writes a pcap of RTP/PCMU packets (20 ms each) carrying in-band DTMF:
silence, then each digit as 120 ms of its two tones and 120 ms of silence.
sipp's play_pcap_audio replays it as a phone without RFC 4733 would send.
usage: make_tone_pcap.py OUT.pcap DIGITS"""
import math, struct, sys

ROWS = {"1": 697, "2": 697, "3": 697, "4": 770, "5": 770, "6": 770,
        "7": 852, "8": 852, "9": 852, "*": 941, "0": 941, "#": 941}
COLS = {"1": 1209, "2": 1336, "3": 1477, "4": 1209, "5": 1336, "6": 1477,
        "7": 1209, "8": 1336, "9": 1477, "*": 1209, "0": 1336, "#": 1477}

def samples(digits):
    out = [0] * 1600                      # 200 ms of silence first
    for d in digits:
        lo, hi = ROWS[d], COLS[d]
        out += [int(6000 * (math.sin(2 * math.pi * lo * i / 8000) +
                            math.sin(2 * math.pi * hi * i / 8000)) / 2)
                for i in range(960)]      # 120 ms tone
        out += [0] * 960                  # 120 ms gap
    out += [0] * 1600
    return out

def ulaw(x):
    """G.711 mu-law of one 16-bit sample (bias 132, clip 32635)."""
    sign = 0x80 if x < 0 else 0
    x = min(abs(x), 32635) + 132
    exp = max(0, x.bit_length() - 8)
    return ~(sign | (exp << 4) | ((x >> (exp + 3)) & 0x0f)) & 0xff

def main(path, digits):
    ulaw_bytes = bytes(ulaw(x) for x in samples(digits))
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for n in range(len(ulaw_bytes) // 160):
            rtp = struct.pack("!BBHII", 0x80, 0, n, n * 160, 0x5eed) + ulaw_bytes[n * 160:(n + 1) * 160]
            udp = struct.pack("!HHHH", 4000, 4000, 8 + len(rtp), 0) + rtp
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                             bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1])) + udp
            eth = b"\0" * 12 + b"\x08\x00" + ip
            us = n * 20000
            f.write(struct.pack("<IIII", us // 1000000, us % 1000000, len(eth), len(eth)) + eth)

main(sys.argv[1], sys.argv[2])
