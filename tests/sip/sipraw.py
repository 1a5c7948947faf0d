#!/usr/bin/env python3
"""Sends one hand-written SIP message to the server and prints the status
line of the answer, or NO REPLY. For messages sipp will not send: broken
ones, oversized ones, ones from another loopback address.

  sipraw.py --port P [--src IP] [--tcp] [--wait S] [--auth USER:PASS] [--full]
            [--own-via]

The message comes on stdin; lines end in CRLF on the wire unless --raw.
{lport} {src} {branch} {callid} in it are filled in. With --auth, a 401 is
answered once with digest credentials (RFC 2617, qop=auth) and the answer
to that is printed. With --own-via, the top Via gains ";rport" (RFC 3581),
so that a UDP answer comes back to our port and not to the Via's sent-by
(5060 when it names none, which a test cannot listen on), and an RFC 3261
branch gets a unique suffix, so that two messages with the same branch are
two transactions."""
import argparse, hashlib, os, re, socket, sys

ap = argparse.ArgumentParser()
ap.add_argument("--host", default="127.0.0.1")
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--src", default="127.0.0.1")
ap.add_argument("--tcp", action="store_true")
ap.add_argument("--raw", action="store_true")
ap.add_argument("--wait", type=float, default=2.0)
ap.add_argument("--auth")
ap.add_argument("--full", action="store_true")
ap.add_argument("--own-via", action="store_true")
a = ap.parse_args()

tmpl = sys.stdin.buffer.read()
if a.tcp:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((a.src, 0))
    sock.settimeout(a.wait)
    sock.connect((a.host, a.port))
else:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((a.src, 0))
    sock.settimeout(a.wait)
lport = sock.getsockname()[1]
callid = os.urandom(8).hex()


def fill(data, extra=b""):
    data = data.replace(b"{lport}", str(lport).encode())
    data = data.replace(b"{src}", a.src.encode())
    data = data.replace(b"{branch}", b"z9hG4bK" + os.urandom(6).hex().encode())
    data = data.replace(b"{callid}", callid.encode())
    if not a.raw:
        head, sep, body = data.partition(b"\n\n")
        head = head.strip(b"\n").replace(b"\n", b"\r\n") + b"\r\n" + extra
        data = head + b"\r\n" + body if sep else head + b"\r\n"
    return data


def own_via(data):
    """The top Via (long or compact name, folded or not): see --own-via."""
    head, sep, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    for i, line in enumerate(lines):
        if i and re.match(rb"(?i)(via|v)[ \t]*:", line):
            j = i
            while j + 1 < len(lines) and lines[j + 1][:1] in (b" ", b"\t"):
                j += 1
            value = b"\r\n".join(lines[i:j + 1])
            k = value.find(b",")
            k = len(value) if k < 0 else k
            first, rest = value[:k], value[k:]
            if b"rport" not in first:
                first += b";rport"
            # Many of RFC 4475's messages share a branch (z9hG4bKkdjuw):
            # sent one after another to one server, a later one would be
            # taken for a retransmission of an earlier transaction.
            first = re.sub(rb"(branch\s*=\s*z9hG4bK[^;,\s]+)",
                           lambda m: m.group(1) + b"-" + os.urandom(3).hex().encode(),
                           first, count=1)
            value = first + rest
            lines[i:j + 1] = [value]
            break
    return b"\r\n".join(lines) + sep + body


def exchange(msg):
    """Sends msg; returns the first final answer (bytes) or None."""
    if a.tcp:
        sock.sendall(msg)
    else:
        sock.sendto(msg, (a.host, a.port))
    buf = b""
    while True:
        try:
            chunk = sock.recv(65535)
        except (socket.timeout, ConnectionResetError):
            return None
        if not chunk:
            return None
        buf = chunk if not a.tcp else buf + chunk
        m = re.match(rb"SIP/2.0 (\d{3})", buf)
        if m and int(m.group(1)) >= 200:
            return buf
        if a.tcp and m:
            buf = b""


def md5(s):
    return hashlib.md5(s.encode()).hexdigest()


first = fill(tmpl)
reply = exchange(own_via(first) if a.own_via else first)
if reply and a.auth and reply.startswith(b"SIP/2.0 401"):
    user, pw = a.auth.split(":", 1)
    hdr = re.search(rb"WWW-Authenticate: Digest (.*)\r\n", reply).group(1).decode()
    p = dict(re.findall(r'(\w+)="?([^",]*)"?', hdr))
    method = re.match(rb"(\S+) (\S+)", tmpl).group(1).decode()
    uri = re.match(rb"(\S+) (\S+)", tmpl).group(2).decode()
    cnonce, nc = os.urandom(4).hex(), "00000001"
    resp = md5(":".join([md5(f"{user}:{p['realm']}:{pw}"), p["nonce"], nc,
                         cnonce, "auth", md5(f"{method}:{uri}")]))
    auth = (f'Authorization: Digest username="{user}", realm="{p["realm"]}", '
            f'nonce="{p["nonce"]}", uri="{uri}", response="{resp}", '
            f'qop=auth, nc={nc}, cnonce="{cnonce}", algorithm=MD5\r\n')
    again = re.sub(rb"CSeq: (\d+)", lambda m: b"CSeq: %d" % (int(m.group(1)) + 1), tmpl)
    reply = exchange(fill(again, auth.encode()))
if reply is None:
    print("NO REPLY")
elif a.full:
    print(reply.decode(errors="replace"))
else:
    print(reply.split(b"\r\n", 1)[0].decode(errors="replace"))
