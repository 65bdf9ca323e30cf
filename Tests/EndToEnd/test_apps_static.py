"""Static micros (engine `static`, spec §5.1): the node serves the `serve` directory itself,
with content types, directory indexes, SPA fallback, validators, and no way out of the root."""
from __future__ import annotations

from urllib.parse import urljoin

import pytest

from apps_helpers import FIXTURES, module_node, raw_request

PUBLIC = FIXTURES / "static-site" / "public"


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    with module_node(tmp_path_factory, "static") as n:
        n.instance = n.install_ok("static-site")
        yield n


def get(node, path, **kwargs):
    return node.get("static-site", path, **kwargs)


def test_index(node):
    response = get(node, "/")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.content == (PUBLIC / "index.html").read_bytes()


@pytest.mark.parametrize("path, content_type", [
    ("/assets/style.css", "text/css"),
    ("/assets/app.js", "javascript"),
    ("/data.json", "application/json"),
    ("/index.html", "text/html"),
])
def test_files_with_their_content_types(node, path, content_type):
    response = get(node, path)
    assert response.status_code == 200, response.text
    assert content_type in response.headers["Content-Type"], response.headers
    assert response.content == (PUBLIC / path.lstrip("/")).read_bytes()
    assert int(response.headers["Content-Length"]) == len(response.content)


def test_directory_index(node):
    response = get(node, "/docs/")
    assert response.status_code == 200
    assert response.content == (PUBLIC / "docs" / "index.html").read_bytes()


def test_directory_without_trailing_slash_redirects(node):
    response = get(node, "/docs")
    assert response.status_code == 301
    assert urljoin(f"http://{node.host('static-site')}/docs", response.headers["Location"]).endswith("/docs/")
    with_query = get(node, "/docs?tab=2")
    assert with_query.status_code == 301
    assert with_query.headers["Location"].endswith("/docs/?tab=2"), with_query.headers["Location"]


@pytest.mark.parametrize("path", ["/some/client/route", "/settings", "/docs/unknown-page"])
def test_spa_fallback_for_extensionless_paths(node, path):
    response = get(node, path)
    assert response.status_code == 200, path
    assert response.content == (PUBLIC / "index.html").read_bytes()


@pytest.mark.parametrize("path", ["/missing.png", "/assets/nope.js", "/docs/gone.html"])
def test_missing_file_with_extension_is_404(node, path):
    response = get(node, path)
    assert response.status_code == 404, path
    assert b"Static fixture" not in response.content  # not the SPA index


def test_etag_and_if_none_match(node):
    first = get(node, "/assets/style.css")
    tag = first.headers["ETag"]
    assert tag.startswith('"') and tag.endswith('"'), tag
    assert get(node, "/assets/style.css").headers["ETag"] == tag  # stable
    assert get(node, "/").headers["ETag"] != tag  # per file

    cached = get(node, "/assets/style.css", headers={"If-None-Match": tag})
    assert cached.status_code == 304
    assert cached.content == b""
    assert cached.headers["ETag"] == tag

    assert get(node, "/assets/style.css", headers={"If-None-Match": '"other"'}).status_code == 200
    assert get(node, "/assets/style.css", headers={"If-None-Match": "*"}).status_code == 304
    # RFC 9110 §13.1.2: a list of tags, compared weakly.
    assert get(node, "/assets/style.css", headers={"If-None-Match": f'"other", W/{tag}'}).status_code == 304


def test_head(node):
    full = get(node, "/assets/app.js")
    head = node.request("static-site", "HEAD", "/assets/app.js")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["Content-Length"] == str(len(full.content))
    assert head.headers["Content-Type"] == full.headers["Content-Type"]
    assert head.headers["ETag"] == full.headers["ETag"]


def test_other_methods_are_refused(node):
    response = node.request("static-site", "POST", "/index.html", data=b"x")
    assert response.status_code == 405
    assert "GET" in response.headers.get("Allow", "")


@pytest.mark.parametrize("path", [
    "/../Spacefile",
    "/../../../../etc/passwd",
    "/%2e%2e/Spacefile",
    "/.%2e/Spacefile",
    "/assets/%2e%2e/%2e%2e/Spacefile",
    "/..%2fSpacefile",
    "/%2e%2e%2fSpacefile",
    "/assets/..%5c..%5cSpacefile",
    "/.spaceignore",
])
def test_path_traversal_is_refused(node, path):
    status, _, body = raw_request(node.port, node.host("static-site"), path, cookie=node.owner_cookie("static-site"))
    # Dot segments, plain or escaped, are resolved at the root (RFC 3986, WHATWG URL), so `/../x`
    # is `/x`, which the SPA fallback may answer with the site's own index page; others are refused.
    resolved_inside = status == 200 and b"<title>Static fixture</title>" in body
    assert resolved_inside or status in (400, 403, 404), (path, status)
    assert b"engine: static" not in body and b"root:" not in body, path


def test_no_process_is_started(node):
    for path in ("/", "/assets/app.js", "/docs/", "/spa/route"):
        assert get(node, path).status_code == 200
    assert node.running("static-site") == []
    logs = node.instance_dir(node.instance["id"]) / "logs"
    assert not (logs / "site.log").exists(), "a static micro got a process log"
