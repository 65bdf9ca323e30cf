"""Outbound connections of sandboxed micros: only through the node's proxy (HTTP_PROXY inside),
which refuses this machine and loopback unless the operator allow-listed the endpoint
(`--outbound-allow`), and answers 403 when the owner turned outbound off for the instance.

"The internet" here is an HTTP server on this machine's own network address: the proxy treats it
as local (refused) unless allow-listed, which is exactly what the allow-list is for."""
from __future__ import annotations

import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from apps_helpers import module_node
from sandbox_helpers import probe


def own_address() -> str:
    """This machine's first IPv4 address on its network (not loopback)."""
    listed = subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()
    addresses = [a for a in listed if "." in a and not a.startswith("127.")]
    assert addresses, f"the machine has no network address besides loopback ({listed})"
    return addresses[0]


class Answer(BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"outside says hi to {self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def outside():
    server = ThreadingHTTPServer(("0.0.0.0", 0), Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield own_address(), server.server_address[1]
    server.shutdown()


@pytest.fixture(scope="module")
def node(tmp_path_factory, outside):
    address, port = outside
    with module_node(tmp_path_factory, "outbound",
                     args=["--sandbox", "required", "--outbound-allow", f"{address}:{port}"]) as n:
        n.install_ok("hostile", name="alpha")
        yield n


def fetch(node, url, proxy="env"):
    return probe(node, "alpha", "/fetch", url=url, proxy=proxy)


def test_an_allowed_endpoint_is_reached_through_the_proxy(node, outside):
    address, port = outside
    outcome = fetch(node, f"http://{address}:{port}/hello")
    assert outcome["ok"] and outcome["result"] == {"status": 200, "body": "outside says hi to /hello"}, outcome


def test_without_the_proxy_nothing_is_reachable(node, outside):
    address, port = outside
    outcome = fetch(node, f"http://{address}:{port}/hello", proxy="none")
    assert not outcome["ok"], outcome


def test_this_machine_and_loopback_are_refused(node, outside):
    address, port = outside
    for url in [f"http://{address}:{node.port}/healthz", f"http://127.0.0.2:{node.port}/healthz",
                "http://169.254.169.254/latest/meta-data/"]:
        outcome = fetch(node, url)
        assert outcome["ok"] and outcome["result"]["status"] == 403, f"{url}: {outcome}"


def test_the_owner_can_turn_outbound_off_and_on(node, outside):
    address, port = outside
    result = node.app("limits", "alpha", "--outbound", "off")
    assert result.returncode == 0, result.stderr
    refused = fetch(node, f"http://{address}:{port}/x")
    assert refused["ok"] and refused["result"]["status"] == 403, refused
    assert "--outbound on" in refused["result"]["body"], refused
    result = node.app("limits", "alpha", "--outbound", "on")
    assert result.returncode == 0, result.stderr
    assert fetch(node, f"http://{address}:{port}/x")["result"]["status"] == 200
