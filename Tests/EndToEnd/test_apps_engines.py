"""Apps built the way Deta built them: a Flask app with no `run` and packages from PyPI
(requirements in UTF-16, with a `deta` line Hearth satisfies itself), a Node micro with no `run`
(`node index.js`), and a C micro compiled by its `commands` (engine `custom`)."""
from __future__ import annotations

import os

import pytest

from apps_helpers import FIXTURES, module_node
from conftest import json_of


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    with module_node(tmp_path_factory, "engines") as n:
        n.installed = {app: n.install_ok(app) for app in ("flask-hello", "custom-bin", "node-hello")}
        yield n


def test_flask_index(node):
    response = node.get("flask-hello", "/")
    assert response.status_code == 200, response.text
    assert "text/html" in response.headers["Content-Type"]
    assert "<h1>Hello from Flask</h1>" in response.text


def test_flask_route_with_query(node):
    response = node.get("flask-hello", "/greet/x?q=1")
    assert json_of(response, 200) == {"hello": "x", "query": "1", "micro": "hello"}


def test_flask_request_body(node):
    body = os.urandom(300_000)
    response = node.request("flask-hello", "POST", "/upload", data=body)
    assert json_of(response, 200) == {"bytes": len(body)}


def test_flask_404_is_flasks(node):
    response = node.get("flask-hello", "/nope")
    assert response.status_code == 404
    assert "Not Found" in response.text


def test_flask_build_used_pypi_and_hearths_deta(node):
    build = "\n".join(node.app("logs", "flask-hello", "--micro", "build", "-n", "500").stdout.splitlines())
    assert "Hearth's deta module" in build, build  # the `Deta[async]>=1.0` line
    assert "Successfully installed" in build and "flask" in build.lower(), build
    venv = node.instance_dir(node.installed["flask-hello"]["id"]) / "build" / "hello" / "venv"
    site = list(venv.glob("lib/python3*/site-packages"))
    assert site and (site[0] / "flask").is_dir(), "flask is not in the instance's venv"
    assert not (site[0] / "deta").exists(), "PyPI's deta was installed"


def test_compiled_micro_serves_ok(node):
    response = node.get("custom-bin", "/")
    assert response.status_code == 200
    assert response.text == "ok"
    assert response.headers["Content-Type"] == "text/plain"
    app = node.instance_dir(node.installed["custom-bin"]["id"]) / "app"
    assert os.access(app / "tiny-server", os.X_OK)  # built by `commands`, in the installed copy
    assert not (FIXTURES / "custom-bin" / "tiny-server").exists(), "the build wrote into the source directory"


def test_include_keeps_only_the_listed_paths(node):
    app = node.instance_dir(node.installed["custom-bin"]["id"]) / "app"
    assert (app / "tiny-server").exists()
    assert not (app / "tiny-server.c").exists()


def test_node_micro_without_run_starts_index_js(node):
    seen = json_of(node.get("node-hello", "/some/path?x=1"), 200)
    assert seen == {"engine": "node", "path": "/some/path?x=1", "micro": "hello", "hasKey": True}
    assert node.running("node-hello") == ["hello"]
