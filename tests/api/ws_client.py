"""A tiny WebSocket client on the standard library only: raw socket, the
RFC 6455 handshake and frame parsing, so the server is tested against code
that shares nothing with it.

usage: ws_client.py HOST PORT PATH [HEADER ...]
Prints "status=101" once upgraded (or the HTTP status and body, then exits
1), then each text frame on its own line, flushed; answers pings and the
server's close frame, and exits 0 when the connection ends. Stops after 200
frames or 30 s, whichever comes first (WS_FRAMES and WS_SECONDS in the
environment change those).

WS_ACTION in the environment makes the client speak first, right after the
upgrade: "ping-close" sends a ping ("hi") then a close (1000); "unmasked"
sends an unmasked text frame, which RFC 6455 forbids. Pongs and the close
code the server sends are printed as "pong PAYLOAD" and "close CODE"."""
import base64, hashlib, os, socket, struct, sys, time

host, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
extra = sys.argv[4:]
key = base64.b64encode(os.urandom(16)).decode()
s = socket.create_connection((host, port), timeout=30)
req = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
       f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
       f"Sec-WebSocket-Version: 13\r\n" + "".join(h + "\r\n" for h in extra) + "\r\n")
s.sendall(req.encode())

buf = b""
while b"\r\n\r\n" not in buf:
    chunk = s.recv(4096)
    if not chunk:
        break
    buf += chunk
head, _, buf = buf.partition(b"\r\n\r\n")
lines = head.decode().split("\r\n")
status = int(lines[0].split()[1])
if status != 101:
    print(f"status={status}", flush=True)
    print(buf.decode(errors="replace"), flush=True)
    sys.exit(1)
accept = base64.b64encode(hashlib.sha1(
    (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()
if not any(l.lower() == f"sec-websocket-accept: {accept}".lower() for l in lines):
    print("bad Sec-WebSocket-Accept", flush=True)
    sys.exit(1)
print("status=101", flush=True)


def need(n):
    global buf
    while len(buf) < n:
        chunk = s.recv(65536)
        if not chunk:
            raise EOFError
        buf += chunk
    out, buf = buf[:n], buf[n:]
    return out


def send(opcode, payload=b""):
    mask = os.urandom(4)
    hdr = bytes([0x80 | opcode])
    n = len(payload)
    hdr += bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack(">H", n)
    s.sendall(hdr + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))


action = os.environ.get("WS_ACTION", "")
if action == "ping-close":
    send(9, b"hi")
    send(8, struct.pack(">H", 1000))
elif action == "unmasked":
    s.sendall(b"\x81\x02hi")

max_frames = int(os.environ.get("WS_FRAMES", "200"))
deadline, frames = time.monotonic() + float(os.environ.get("WS_SECONDS", "30")), 0
s.settimeout(max(deadline - time.monotonic(), 1))
try:
    while time.monotonic() < deadline and frames < max_frames:
        b0, b1 = need(2)
        if b1 & 0x80:
            print("server frames must not be masked", flush=True)
            sys.exit(1)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack(">H", need(2))[0]
        elif n == 127:
            n = struct.unpack(">Q", need(8))[0]
        payload = need(n)
        op = b0 & 0x0F
        frames += 1
        if op == 1:
            print(payload.decode(), flush=True)
        elif op == 9:
            send(10, payload)
        elif op == 10:
            print("pong", payload.decode(), flush=True)
        elif op == 8:
            if len(payload) >= 2:
                print("close", struct.unpack(">H", payload[:2])[0], flush=True)
            if not action:
                send(8, payload[:2])
            print("closed", flush=True)
            break
except (EOFError, ConnectionResetError, socket.timeout):
    pass
s.close()
