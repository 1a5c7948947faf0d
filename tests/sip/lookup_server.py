#!/usr/bin/env python3
"""A web service for the IVR's http node to look up, on loopback.

    lookup_server.py PORT_FILE

Listens on 127.0.0.1 at a free port, writes the port to PORT_FILE, and
answers GET /lookup/N by N:
    1  200 {"status": "found-1", "amount": "12.30"}   (JSON: the ok exit)
    2  the same, but only after 5 s                    (past the timeout)
    3  500 {"error": "broken"}                         (an error status)
    4  200 text/plain "all good"                       (not JSON)
anything else 404. Each request is logged on stdout as "GET /path".
"""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def reply(self, code, ctype, body):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        # One write per line: print("GET", path) writes its parts one by
        # one, and two look-ups at once logged "GETGET /lookup/1 /lookup/2".
        sys.stdout.write(f"GET {self.path}\n")
        sys.stdout.flush()
        found = json.dumps({"status": "found-1", "amount": "12.30"})
        key = self.path.rsplit("/", 1)[-1]
        if key == "1":
            self.reply(200, "application/json", found)
        elif key == "2":
            time.sleep(5)
            self.reply(200, "application/json", found)
        elif key == "3":
            self.reply(500, "application/json", '{"error": "broken"}')
        elif key == "4":
            self.reply(200, "text/plain", "all good")
        else:
            self.reply(404, "application/json", '{"error": "no such"}')

    def log_message(self, *args):
        pass


srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
srv.daemon_threads = True
with open(sys.argv[1], "w") as f:
    f.write(str(srv.server_address[1]))
srv.serve_forever()
