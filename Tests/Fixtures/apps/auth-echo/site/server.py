"""A stdlib micro that echoes each request (method, path, headers) as JSON; `/set-cookies` and
`/public/set-cookies` also set cookies: ordinary ones, ones scoped to a parent domain, and ones
with Hearth's own cookie names."""
import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COOKIES = [
    "plain=1; Path=/",
    "scoped=2; Domain=localhost; Path=/; HttpOnly",
    "dotted=3; Path=/; domain=.localhost",
    "hearth_session=forged-by-micro; Path=/",
    "hearth_csrf=forged-by-micro; Path=/",
    "__Host-hearth_session=forged-by-micro; Path=/; Secure",
]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        seen = {
            "micro": os.environ["DETA_SPACE_APP_MICRO_NAME"],
            "method": self.command,
            "path": self.path,
            "headers": [[name.lower(), value] for name, value in self.headers.items()],
            "body": body.decode("utf-8", "replace"),
        }
        payload = json.dumps(seen).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        if self.path.split("?")[0] in ("/set-cookies", "/public/set-cookies"):
            for cookie in COOKIES:
                self.send_header("Set-Cookie", cookie)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = answer

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("0.0.0.0", int(os.environ["PORT"])), Handler).serve_forever()
