"""A stdlib HTTP micro that says which micro it is and what path it saw."""
import json
import os
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path == "/call-sibling":
            return self.call_sibling()
        body = json.dumps({"micro": os.environ["DETA_SPACE_APP_MICRO_NAME"],
                           "type": os.environ["DETA_SPACE_APP_MICRO_TYPE"], "path": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def call_sibling(self):
        """Calls the api micro server to server, as Deta documented: with X-API-Key: $DETA_API_KEY."""
        request = urllib.request.Request(os.environ["HEARTH_API_URL"] + "/api/from-web",
                                         headers={"X-API-Key": os.environ["DETA_API_KEY"]})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


ThreadingHTTPServer(("0.0.0.0", int(os.environ["PORT"])), Handler).serve_forever()
