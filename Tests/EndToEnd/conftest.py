"""Shared fixtures and helpers for Hearth's end-to-end tests.

The tests run the real `hearth` binary (env HEARTH_BIN, default <repo>/.build/debug/hearth)
against a temporary data directory and talk to it over HTTP exactly as Deta clients would
(spec /work/shared/spec/deta-compat.md §1).
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
HEARTH_BIN = os.environ.get("HEARTH_BIN", str(REPO / ".build" / "debug" / "hearth"))
HTTP_TIMEOUT = 30  # seconds, for every request
STARTUP_TIMEOUT = 30
CLI_TIMEOUT = 60
_LIVE_NODES: list["Node"] = []
# `hearth login` state of the machine running the tests never leaks in: every CLI call sees an
# empty configuration directory unless a test sets its own.
os.environ["HEARTH_CONFIG_DIR"] = tempfile.mkdtemp(prefix="hearth-config-")
os.environ.pop("HEARTH_TOKEN", None)


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:12]}"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_cli(*args: str, timeout: float = CLI_TIMEOUT) -> subprocess.CompletedProcess:
    """Runs `hearth ARGS...` and returns the completed process (text output)."""
    return subprocess.run([HEARTH_BIN, *args], capture_output=True, text=True, timeout=timeout)


@dataclass(frozen=True)
class Collection:
    name: str
    project_id: str
    data_key: str


class Node:
    """One `hearth serve` process on a data directory; can be stopped, killed and restarted."""

    def __init__(self, data_dir: Path, args: tuple[str, ...] | list[str] = (), env: dict[str, str] | None = None):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.args = list(args)  # extra `hearth serve` flags, e.g. ["--drive-quota", "5MB"]
        self.env = env  # extra environment variables for the serve process
        self.proc: subprocess.Popen | None = None
        self.port: int | None = None
        self.starts = 0
        self.stdout_path = self.stderr_path = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def verify(self) -> bool | str:
        """What `requests` verifies the node's certificate with (a node serving HTTPS overrides it)."""
        return True

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> "Node":
        assert not self.alive, "node already running"
        if not os.access(HEARTH_BIN, os.X_OK):
            raise RuntimeError(f"hearth binary not found or not executable: {HEARTH_BIN}")
        self.starts += 1
        self.port = free_port()
        logs = self.data_dir.parent / f"{self.data_dir.name}-logs"
        logs.mkdir(exist_ok=True)
        self.stdout_path = logs / f"stdout-{self.starts}.log"
        self.stderr_path = logs / f"stderr-{self.starts}.log"
        cmd = [HEARTH_BIN, "serve", "--data", str(self.data_dir), "--host", "127.0.0.1", "--port", str(self.port),
               *self.args]
        env = None if self.env is None else {**os.environ, **self.env}
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        if self not in _LIVE_NODES:
            _LIVE_NODES.append(self)
        self._wait_healthy()
        return self

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        last_error = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"hearth exited with {self.proc.returncode} during startup\n{self.logs()}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=2, verify=self.verify).status_code == 200:
                    return
            except (requests.RequestException, OSError) as error:  # OSError: no CA file yet
                last_error = error
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"hearth not healthy after {STARTUP_TIMEOUT}s ({last_error})\n{self.logs()}")

    def stop(self) -> int | None:
        """SIGTERM, then SIGKILL if it does not exit within 15 s. Returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        self._forget()
        return self.proc.returncode

    def kill(self) -> None:
        """SIGKILL: the crash the durability tests simulate."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=15)
        self._forget()

    def restart(self) -> "Node":
        self.stop()
        return self.start()

    def _forget(self) -> None:
        if self in _LIVE_NODES:
            _LIVE_NODES.remove(self)

    def logs(self, lines: int = 80) -> str:
        out = []
        for label, path in (("stdout", self.stdout_path), ("stderr", self.stderr_path)):
            if path and Path(path).exists():
                text = Path(path).read_text(errors="replace").splitlines()[-lines:]
                out.append(f"--- hearth {label} ({path}) ---\n" + "\n".join(text))
        return "\n".join(out)

    # CLI against this node's data directory (works while the node runs: shared SQLite).
    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return run_cli(*args, "--data", str(self.data_dir))

    def cli_json(self, *args: str):
        result = self.cli(*args, "--json")
        assert result.returncode == 0, f"hearth {' '.join(args)} failed ({result.returncode}): {result.stderr}"
        try:
            return json.loads(result.stdout)
        except json.JSONDecodeError:
            pytest.fail(f"hearth {' '.join(args)} --json printed non-JSON: {result.stdout!r}")

    def create_collection(self, name: str | None = None) -> Collection:
        name = name or unique("e2e-")
        out = self.cli_json("collection", "create", name)
        assert out["name"] == name
        assert out["data_key"].startswith(out["project_id"] + "_"), out
        return Collection(name, out["project_id"], out["data_key"])

    def base(self, collection: Collection, name: str | None = None, data_key: str | None = None) -> "BaseClient":
        return BaseClient(self.url, collection.project_id, data_key or collection.data_key, name or unique("b"))

    def drive(self, collection: Collection, name: str | None = None, data_key: str | None = None) -> "DriveClient":
        return DriveClient(self.url, collection.project_id, data_key or collection.data_key, name or unique("d"))

    def collection_dir(self, collection: Collection) -> Path:
        """The collection's directory (data.sqlite and drive/blobs) under the data directory."""
        return self.data_dir / "spaces" / "default" / "collections" / collection.project_id

    def blob_files(self, collection: Collection) -> set[Path]:
        """Every Drive blob file of the collection: drive/blobs/<2 hex>/<32 hex id>."""
        root = self.collection_dir(collection) / "drive" / "blobs"
        return {p for p in root.glob("*/*") if p.is_file()} if root.exists() else set()

    def stderr_text(self) -> str:
        """Everything this node (all its starts) wrote to stderr so far."""
        logs = self.data_dir.parent / f"{self.data_dir.name}-logs"
        return "".join(p.read_text(errors="replace") for p in sorted(logs.glob("stderr-*.log")))


_NO_BODY = object()


class BaseClient:
    """A thin Deta Base HTTP client returning raw `requests.Response` objects."""

    def __init__(self, url: str, project_id: str, data_key: str | None, name: str):
        self.url, self.project_id, self.data_key, self.name = url, project_id, data_key, name
        self.root = f"{url}/v1/{project_id}/{name}"
        self.session = requests.Session()

    def item_url(self, key: str) -> str:
        return f"{self.root}/items/{quote(key, safe='')}"

    def request(self, method: str, url: str, body=_NO_BODY, *, raw: bytes | str | None = None,
                headers: dict | None = None, api_key: str | None = "default") -> requests.Response:
        hdrs = {}
        api_key = self.data_key if api_key == "default" else api_key
        if api_key is not None:
            hdrs["X-API-Key"] = api_key
        data = None
        if body is not _NO_BODY:
            data = json.dumps(body)
            hdrs["Content-Type"] = "application/json"
        elif raw is not None:
            data = raw.encode() if isinstance(raw, str) else raw
            hdrs["Content-Type"] = "application/json"
        hdrs.update(headers or {})
        hdrs = {k: v for k, v in hdrs.items() if v is not None}
        return self.session.request(method, url, data=data, headers=hdrs, timeout=HTTP_TIMEOUT)

    def put(self, *items, **kw):
        return self.request("PUT", f"{self.root}/items", {"items": list(items)}, **kw)

    def get(self, key: str, **kw):
        return self.request("GET", self.item_url(key), **kw)

    def delete(self, key: str, **kw):
        return self.request("DELETE", self.item_url(key), **kw)

    def insert(self, item, **kw):
        return self.request("POST", f"{self.root}/items", {"item": item}, **kw)

    def update(self, key: str, body: dict, **kw):
        return self.request("PATCH", self.item_url(key), body, **kw)

    def query(self, body: dict | None = None, **kw):
        return self.request("POST", f"{self.root}/query", {} if body is None else body, **kw)


class DriveClient:
    """A thin Deta Drive HTTP client (spec §2) returning raw `requests.Response` objects.

    Names go in the query string form-encoded the way the Python and Go SDKs send them
    (`quote_plus`, space → `+`); pass `query=` to send a raw query string instead."""

    def __init__(self, url: str, project_id: str, data_key: str | None, name: str):
        self.url, self.project_id, self.data_key, self.name = url, project_id, data_key, name
        self.root = f"{url}/v1/{project_id}/{name}"
        self.session = requests.Session()

    def request(self, method: str, path: str, *, params: dict | None = None, query: str | None = None,
                data=None, headers: dict | None = None, api_key: str | None = "default",
                timeout: float = HTTP_TIMEOUT, **kw) -> requests.Response:
        hdrs = {}
        api_key = self.data_key if api_key == "default" else api_key
        if api_key is not None:
            hdrs["X-API-Key"] = api_key
        hdrs.update(headers or {})
        url = f"{self.root}{path}"
        if query is not None:
            url += "?" + query
        elif params:
            url += "?" + urlencode(params)
        return self.session.request(method, url, data=data, headers=hdrs, timeout=timeout, **kw)

    def put(self, name: str, data: bytes | str = b"", content_type: str | None = None, **kw):
        """`POST /files?name=` (single-request upload)."""
        headers = {"Content-Type": content_type} if content_type else {}
        headers.update(kw.pop("headers", {}))
        return self.request("POST", "/files", params={"name": name}, data=data, headers=headers, **kw)

    def get(self, name: str, range: str | None = None, **kw):
        headers = {"Range": range} if range else {}
        headers.update(kw.pop("headers", {}))
        return self.request("GET", "/files/download", params={"name": name}, headers=headers, **kw)

    def head(self, name: str, range: str | None = None, **kw):
        headers = {"Range": range} if range else {}
        return self.request("HEAD", "/files/download", params={"name": name}, headers=headers, **kw)

    def list(self, **params):
        """`GET /files` with the given parameters (None values are left out)."""
        kw = {k: params.pop(k) for k in ("api_key", "query", "headers") if k in params}
        params = {k: ("true" if v is True else "false" if v is False else v) for k, v in params.items() if v is not None}
        return self.request("GET", "/files", params=params, **kw)

    def delete_many(self, names, **kw):
        body = json.dumps({"names": names}) if not isinstance(names, (str, bytes)) else names
        return self.request("DELETE", "/files", data=body, headers={"Content-Type": "application/json"}, **kw)

    def start_upload(self, name: str, content_type: str | None = None, **kw):
        headers = {"Content-Type": content_type} if content_type else {}
        return self.request("POST", "/uploads", params={"name": name}, headers=headers, **kw)

    def upload_part(self, upload_id: str, name: str, part, data=b"", content_type: str | None = None, **kw):
        headers = {"Content-Type": content_type} if content_type else {}
        headers.update(kw.pop("headers", {}))
        return self.request("POST", f"/uploads/{upload_id}/parts", params={"name": name, "part": part},
                            data=data, headers=headers, **kw)

    def complete(self, upload_id: str, name: str, **kw):
        return self.request("PATCH", f"/uploads/{upload_id}", params={"name": name}, **kw)

    def abort(self, upload_id: str, name: str, **kw):
        return self.request("DELETE", f"/uploads/{upload_id}", params={"name": name}, **kw)


# ----- response assertions ---------------------------------------------------------------

def describe(resp: requests.Response) -> str:
    return f"{resp.request.method} {resp.request.url} -> {resp.status_code} {resp.text[:400]!r}"


def json_of(resp: requests.Response, status: int):
    """Asserts the status and a JSON content type, returns the parsed body."""
    assert resp.status_code == status, describe(resp)
    ctype = resp.headers.get("Content-Type", "")
    assert "application/json" in ctype, f"Content-Type {ctype!r}: {describe(resp)}"
    try:
        return resp.json()
    except ValueError:
        pytest.fail(f"body is not JSON: {describe(resp)}")


def assert_errors(resp: requests.Response, status: int, message: str | None = None) -> list[str]:
    """Asserts `status` with body exactly `{"errors": [non-empty strings...]}`."""
    body = json_of(resp, status)
    assert isinstance(body, dict) and set(body) == {"errors"}, describe(resp)
    errors = body["errors"]
    assert isinstance(errors, list) and errors, describe(resp)
    assert all(isinstance(e, str) and e for e in errors), describe(resp)
    if message is not None:
        assert errors == [message], describe(resp)
    return errors


def put_ok(base: BaseClient, *items, **kw) -> list[dict]:
    body = json_of(base.put(*items, **kw), 207)
    assert body["failed"] == {"items": []}, body
    return body["processed"]["items"]


def get_item(base: BaseClient, key: str):
    """The stored item, or None after asserting the exact 404 body."""
    resp = base.get(key)
    if resp.status_code == 404:
        assert json_of(resp, 404) == {"key": key}
        return None
    return json_of(resp, 200)


def fetch_all(base: BaseClient, body: dict | None = None, limit: int | None = None) -> list[dict]:
    """Follows `paging.last` until it is absent; checks paging invariants on every page."""
    body = dict(body or {})
    items, last, pages = [], None, 0
    while True:
        page_body = dict(body)
        if limit is not None:
            page_body["limit"] = limit
        if last is not None:
            page_body["last"] = last
        page = json_of(base.query(page_body), 200)
        assert set(page) == {"paging", "items"}, page
        assert page["paging"]["size"] == len(page["items"]), page["paging"]
        if limit is not None:
            assert len(page["items"]) <= limit
        items.extend(page["items"])
        pages += 1
        assert pages < 10_000, "pagination does not terminate"
        if "last" not in page["paging"]:
            return items
        new_last = page["paging"]["last"]
        assert isinstance(new_last, str) and new_last != last, page["paging"]
        if page["items"]:
            assert new_last == page["items"][-1]["key"], page["paging"]
        last = new_last


def all_keys(base: BaseClient) -> list[str]:
    return [item["key"] for item in fetch_all(base)]


# ----- fixtures ----------------------------------------------------------------------------

@pytest.fixture(scope="session")
def node(tmp_path_factory):
    """One node for the whole session; must still be alive at the end."""
    n = Node(tmp_path_factory.mktemp("node") / "data").start()
    yield n
    died = not n.alive
    code = n.proc.returncode if died else None
    logs = n.logs()
    n.stop()
    if died:
        pytest.fail(f"the shared hearth node died during the session (exit {code})\n{logs}")


@pytest.fixture
def node_factory(tmp_path):
    """Starts private nodes (for crash/CLI tests); all are killed at teardown."""
    nodes: list[Node] = []

    def start(data_dir: Path | None = None, args=(), env: dict[str, str] | None = None) -> Node:
        n = Node(data_dir or tmp_path / f"data{len(nodes)}", args=args, env=env).start()
        nodes.append(n)
        return n

    yield start
    for n in nodes:
        n.stop()


@pytest.fixture
def collection(node) -> Collection:
    """A fresh collection created with `hearth collection create --json`."""
    return node.create_collection()


@pytest.fixture(scope="session")
def shared_collection(node) -> Collection:
    return node.create_collection()


@pytest.fixture
def base(node, shared_collection) -> BaseClient:
    """An empty Base (unique name) in the shared collection."""
    return node.base(shared_collection)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for n in list(_LIVE_NODES):
            report.sections.append((f"hearth node {n.url} ({n.data_dir})", n.logs()))


@pytest.fixture
def drive(node, shared_collection) -> DriveClient:
    """An empty Drive (unique name) in the shared collection."""
    return node.drive(shared_collection)


# ----- Hearth's Python SDK (sdk/python), imported from the source tree ----------------------

SDK_PYTHON = REPO / "sdk" / "python"


@pytest.fixture
def deta_sdk(node, shared_collection, monkeypatch):
    """The `deta` package from sdk/python, with HEARTH_API_URL and DETA_PROJECT_KEY set for the
    shared node and collection (and the DETA_*_HOST variables cleared)."""
    import sys

    if str(SDK_PYTHON) not in sys.path:
        sys.path.insert(0, str(SDK_PYTHON))
    for name in ("DETA_BASE_HOST", "DETA_DRIVE_HOST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HEARTH_API_URL", node.url)
    monkeypatch.setenv("DETA_PROJECT_KEY", shared_collection.data_key)
    import deta

    assert Path(deta.__file__).resolve().is_relative_to(SDK_PYTHON), deta.__file__
    return deta


def wait_for(condition, timeout: float, message: str = "condition", interval: float = 0.05):
    """Polls `condition()` until it returns something truthy (returned) or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


# The `serve` fixture of the hearth_serve tests (test_hearth_serve_*.py).
from hearth_serve_helpers import serve  # noqa: E402,F401
