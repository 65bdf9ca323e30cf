"""A micro that takes a while before it listens on $PORT (say, loading a model), so tests can
see the node hold the first request until the port answers; `/sleep/<seconds>` answers late."""
import json
import os
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DELAY = 1.5
began = time.time()
print(f"warming up for {DELAY} s", flush=True)
time.sleep(DELAY)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go in separate writes

    def do_GET(self):
        if self.path.startswith("/sleep/"):  # a long request: /sleep/<seconds>
            time.sleep(float(self.path[len("/sleep/"):]))
        body = json.dumps({"pid": os.getpid(), "began": began, "listening": listening}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


server = ThreadingHTTPServer(("0.0.0.0", int(os.environ["PORT"])), Handler)
listening = time.time()
server.serve_forever()
