"""Requests on instance hosts (spec §5.3, §5.4, §5.7): routing by micro path with the prefix
stripped, the platform's reserved `/__space` paths, unknown hosts, forwarded headers, pooled
upstream connections, and loopback-only access."""
from __future__ import annotations

import subprocess
import uuid

import pytest
import requests

from apps_helpers import AppNode, module_node
from conftest import json_of, put_ok


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    with module_node(tmp_path_factory, "routing") as n:
        n.installed = {app: n.install_ok(app) for app in ("two-micros", "notes-asgi", "peer-echo", "custom-bin")}
        n.installed["notes-asgi-2"] = n.install_ok("notes-asgi")
        yield n


def seen_by(node: AppNode, path: str, method: str = "GET") -> dict:
    response = node.request("two-micros", method, path)
    return json_of(response, 200)


# ----- path routing ---------------------------------------------------------------------------

@pytest.mark.parametrize("path, micro, seen", [
    ("/", "web", "/"),
    ("/x", "web", "/x"),
    ("/x/y?z=1", "web", "/x/y?z=1"),
    ("/apix", "web", "/apix"),  # a prefix matches whole segments only
    ("/apix/y", "web", "/apix/y"),
    ("/ap", "web", "/ap"),
    ("/api", "api", "/"),
    ("/api/", "api", "/"),
    ("/api?q=2", "api", "/?q=2"),
    ("/api/x?q=1", "api", "/x?q=1"),
    ("/api/x/y/", "api", "/x/y/"),
    ("/api/api", "api", "/api"),
])
def test_path_routing(node, path, micro, seen):
    answer = seen_by(node, path)
    assert answer["micro"] == micro, (path, answer)
    assert answer["path"] == seen, (path, answer)
    assert answer["type"] == ("primary" if micro == "web" else "normal")


def test_other_methods_are_routed_too(node):
    assert seen_by(node, "/api/items?x=1", method="POST") == {"micro": "api", "type": "normal", "path": "/items?x=1"}
    assert seen_by(node, "/items", method="POST") == {"micro": "web", "type": "primary", "path": "/items"}


def test_both_micros_run_as_separate_processes(node):
    seen_by(node, "/api/x")
    seen_by(node, "/x")
    assert node.running("two-micros") == ["api", "web"]


def test_logs_of_two_micros_are_merged_with_labels(node):
    marker = uuid.uuid4().hex
    seen_by(node, f"/web-{marker}")
    seen_by(node, f"/api/api-{marker}")
    result = node.app("logs", "two-micros", "-n", "50")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    web = next(line for line in lines if f"/web-{marker}" in line)
    api = next(line for line in lines if f"/api-{marker}" in line)
    assert " web | " in web and " api | " in api, (web, api)
    assert lines.index(web) < lines.index(api)  # in time order
    only_api = node.app("logs", "two-micros", "--micro", "api", "-n", "50").stdout
    assert f"/api-{marker}" in only_api and f"/web-{marker}" not in only_api, only_api


# ----- what the micro receives ------------------------------------------------------------------

def test_request_reaches_the_micro_intact(node):
    body = "héllo " * 1000
    response = node.request("notes-asgi", "POST", "/echo?a=1&b=%20x", data=body.encode(),
                            headers={"Content-Type": "text/plain; charset=utf-8", "X-Custom": "yes"})
    echo = json_of(response, 200)
    assert echo["method"] == "POST"
    assert echo["query"] == "a=1&b=%20x"
    assert echo["body"] == body
    headers = echo["headers"]
    assert headers["x-custom"] == "yes"
    assert headers["content-type"] == "text/plain; charset=utf-8"
    assert headers["host"] == node.host("notes-asgi")


def test_forwarded_headers_are_the_nodes(node):
    response = node.request("notes-asgi", "GET", "/echo", headers={
        "X-Forwarded-For": "203.0.113.9", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https",
        "Connection": "keep-alive, X-Hop-Only", "X-Hop-Only": "secret"})
    headers = json_of(response, 200)["headers"]
    assert headers["x-forwarded-host"] == node.host("notes-asgi")
    assert headers["x-forwarded-proto"] == "http"
    assert "203.0.113.9" not in headers.get("x-forwarded-for", ""), headers
    assert "x-hop-only" not in headers, "a header named in Connection was forwarded"


def test_many_sequential_requests_reuse_upstream_connections(node):
    session = requests.Session()
    cookie = node.owner_cookie("peer-echo")
    peers = set()
    for _ in range(60):
        response = session.get(node.url + "/", headers={"Host": node.host("peer-echo"), "Cookie": cookie}, timeout=30)
        answer = json_of(response, 200)
        peers.add(tuple(answer["peer"]))
    # Without a pool every request would come on a new connection (60 peers).
    assert len(peers) <= 4, f"{len(peers)} upstream connections for 60 sequential requests"


def test_compiled_micro_serves_many_requests(node):
    session = requests.Session()
    cookie = node.owner_cookie("custom-bin")
    for _ in range(200):
        response = session.get(node.url + "/anything", headers={"Host": node.host("custom-bin"), "Cookie": cookie}, timeout=30)
        assert response.status_code == 200 and response.text == "ok", response.text


# ----- reserved paths (spec §5.4, §5.7) ---------------------------------------------------------

def test_browser_base_proxy_reaches_the_instances_own_collection(node):
    key = uuid.uuid4().hex
    assert node.request("notes-asgi", "PUT", f"/notes/{key}", json={"via": "micro"}).status_code == 200
    response = node.get("notes-asgi", f"/__space/v0/base/v1/dummy/notes/items/{key}", headers={"X-API-Key": "dummy"})
    assert json_of(response, 200) == {"key": key, "via": "micro"}

    # Writes through the proxy land in the same collection.
    written = node.request("notes-asgi", "PUT", "/__space/v0/base/v1/anything/notes/items",
                           json={"items": [{"key": key + "-b", "via": "proxy"}]})
    assert json_of(written, 207)["processed"]["items"] == [{"key": key + "-b", "via": "proxy"}]
    assert node.get_json("notes-asgi", f"/notes/{key}-b") == {"key": key + "-b", "via": "proxy"}
    assert json_of(node.base_of(node.installed["notes-asgi"]["id"], "notes").get(key + "-b"), 200)["via"] == "proxy"

    # Another instance's proxy sees its own collection only.
    other = node.get("notes-asgi-2", f"/__space/v0/base/v1/dummy/notes/items/{key}")
    assert json_of(other, 404) == {"key": key}


def test_browser_base_proxy_query(node):
    base = node.base_of(node.installed["notes-asgi"]["id"], "proxied-" + uuid.uuid4().hex[:8])
    put_ok(base, {"key": "a", "n": 1}, {"key": "b", "n": 2})
    response = node.request("notes-asgi", "POST", f"/__space/v0/base/v1/dummy/{base.name}/query",
                            json={"query": [{"n?gt": 1}]})
    assert json_of(response, 200)["items"] == [{"key": "b", "n": 2}]


def test_browser_drive_proxy(node):
    name = f"p-{uuid.uuid4().hex}.txt"
    assert node.request("notes-asgi", "PUT", f"/files/{name}", data=b"drive bytes").status_code == 200
    response = node.get("notes-asgi", "/__space/v0/drive/v1/dummy/files/files/download", params={"name": name})
    assert response.status_code == 200 and response.content == b"drive bytes", response.text
    assert node.get("notes-asgi-2", "/__space/v0/drive/v1/dummy/files/files/download",
                    params={"name": name}).status_code == 404


@pytest.mark.parametrize("path", ["/__space/v0/unknown", "/__space/", "/__space/v1/base/x", "/__space/v0/base/v2/x/y"])
def test_other_reserved_paths_are_not_the_apps(node, path):
    response = node.get("notes-asgi", path)
    assert response.status_code == 404, response.text
    assert '"no route"' not in response.text, "a reserved path reached the micro"


def test_unknown_host_gets_a_404_page(node):
    response = node.session.get(node.url + "/", headers={"Host": f"nothing-here.localhost:{node.port}"}, timeout=30)
    assert response.status_code == 404
    assert "text/html" in response.headers["Content-Type"]
    assert "No app here" in response.text
    # A deeper name under the domain is not an instance either.
    response = node.session.get(node.url + "/", headers={"Host": f"a.notes-asgi.localhost:{node.port}"}, timeout=30)
    assert response.status_code == 404


def test_host_matching_ignores_case_and_port(node):
    response = node.session.get(
        node.url + "/api/x", headers={"Host": "TWO-MICROS.LocalHost", "Cookie": node.owner_cookie("two-micros")}, timeout=30)
    assert json_of(response, 200)["micro"] == "api"


# ----- from the network ----------------------------------------------------------------------------

def non_loopback_ipv4() -> str | None:
    try:
        output = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return next((a for a in output.split() if "." in a and not a.startswith("127.")), None)


def test_instances_on_the_network_need_the_owner(tmp_path_factory):
    address = non_loopback_ipv4()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address to connect from (hostname -I)")
    with module_node(tmp_path_factory, "open", args=["--host", "0.0.0.0"]) as open_node:
        open_node.install_ok("static-site")  # public: true
        open_node.install_ok("peer-echo")  # private
        remote_url = f"http://{address}:{open_node.port}"
        assert requests.get(remote_url + "/healthz", timeout=30).status_code == 200  # the address reaches the node
        public = requests.get(remote_url + "/", headers={"Host": open_node.host("static-site")}, timeout=30)
        assert public.status_code == 200 and "Static fixture" in public.text
        host = open_node.host("peer-echo")
        refused = requests.get(remote_url + "/", headers={"Host": host}, timeout=30, allow_redirects=False)
        assert refused.status_code == 401, refused.text
        assert "peer" not in refused.text
        page = requests.get(remote_url + "/", headers={"Host": host, "Accept": "text/html"}, timeout=30, allow_redirects=False)
        assert page.status_code == 302 and "/open?to=" in page.headers["Location"], page.headers
        owner = requests.get(remote_url + "/", headers={"Host": host, "Cookie": open_node.owner_cookie("peer-echo")}, timeout=30)
        assert owner.status_code == 200 and "connections" in owner.json(), owner.text
