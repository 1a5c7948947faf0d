"""Raw HTTP/1.1 over a socket, standard library only, so the server's
framing is tested by bytes nobody else shaped (curl would fix them up).

usage: raw_http.py PORT CASE
Each CASE sends its bytes and prints what came back, one reply per line as
STATUS BODY, then "eof" if the server closed the connection, or "open" if
it was still open when the case stopped reading. Exits 1 on a timeout
(10 s per read), so a server that never answers fails the test."""
import socket, sys, time  # noqa: E401

port, case = int(sys.argv[1]), sys.argv[2]


def connect():
    return socket.create_connection(("127.0.0.1", port), timeout=10)


def read_reply(s, buf):
    """One reply: (status, body, rest of buf). Raises EOFError at EOF."""
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(65536)
        if not chunk:
            raise EOFError
        buf += chunk
    head, _, buf = buf.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    status = int(lines[0].split()[1])
    n = 0
    for line in lines[1:]:
        k, _, v = line.partition(":")
        if k.strip().lower() == "content-length":
            n = int(v)
    while len(buf) < n:
        chunk = s.recv(65536)
        if not chunk:
            raise EOFError
        buf += chunk
    return status, buf[:n].decode(errors="replace"), buf[n:]


def replies(s, count, buf=b""):
    for _ in range(count):
        status, body, buf = read_reply(s, buf)
        print(status, body, flush=True)
    return buf


def closed(s, buf=b""):
    """Prints eof if the server closes (after any bytes), open otherwise."""
    s.settimeout(1.0)
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                print("eof", flush=True)
                return
    except socket.timeout:
        print("open", flush=True)
    except ConnectionResetError:
        print("reset", flush=True)


def get(path, extra=""):
    return f"GET {path} HTTP/1.1\r\nHost: x\r\n{extra}\r\n".encode()


s = connect()
try:
    if case == "big-body":          # 1 MiB body sent at once
        body = b'{"username":"' + b"a" * (1 << 20) + b'"}'
        s.sendall(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Type: application/json\r\n"
                  b"Content-Length: %d\r\n\r\n" % len(body))
        try:
            s.sendall(body)
        except (BrokenPipeError, ConnectionResetError):
            pass                     # the server may stop reading; fine
        replies(s, 1)
        closed(s)
    elif case == "announced":       # 100 MiB announced, nothing sent
        s.sendall(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Length: 104857600\r\n\r\n")
        replies(s, 1)
        closed(s)
    elif case == "big-head":        # 20 KiB of headers
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n" +
                  b"".join(b"X-Pad-%d: %s\r\n" % (i, b"p" * 100)
                           for i in range(200)) + b"\r\n")
        replies(s, 1)
        closed(s)
    elif case == "garbage":
        s.sendall(b"HELLO THERE\r\n\r\n")
        replies(s, 1)
        closed(s)
    elif case == "chunked":
        s.sendall(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
                  b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
        replies(s, 1)
        closed(s)
    elif case == "keep-alive":      # two requests, one after the other
        s.sendall(get("/healthz"))
        buf = replies(s, 1)
        s.sendall(get("/nope"))
        replies(s, 1, buf)
        closed(s)
    elif case == "pipelined":       # three at once, answered in order
        s.sendall(get("/healthz") + get("/nope") +
                  get("/healthz", "Connection: close\r\n"))
        replies(s, 3)
        closed(s)
    elif case == "stall":           # half a head, then nothing
        s.sendall(b"GET /healthz HTTP/1.1\r\nHo")
        replies(s, 1)
        closed(s)
    elif case == "hold":            # one request, then stay connected
        s.sendall(get("/healthz"))
        replies(s, 1)
        print("holding", flush=True)
        time.sleep(float(sys.argv[3]))
    else:
        sys.exit(f"unknown case {case}")
except socket.timeout:
    print("timeout", flush=True)
    sys.exit(1)
except EOFError:
    print("eof before a reply", flush=True)
    sys.exit(1)
