"""Records every scheduled-action delivery in Base, and lists them."""
import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from deta import Base

runs = Base("runs")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def reply(self, status, value):
        body = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path != "/__space/v0/actions":
            return self.reply(404, {"error": "no route"})
        event = json.loads(body)["event"]
        runs.put({"id": event["id"], "trigger": event["trigger"], "type": self.headers.get("Content-Type")})
        self.reply(200, {"ok": True})

    def do_GET(self):
        self.reply(200, runs.fetch().items)


ThreadingHTTPServer(("0.0.0.0", int(os.environ["PORT"])), Handler).serve_forever()
