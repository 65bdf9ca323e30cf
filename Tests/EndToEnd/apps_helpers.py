"""Helpers for the end-to-end tests of installed apps (test_apps_*.py).

A node serves each instance at its own host, `<slug>.localhost:<port>`; the tests reach it on
127.0.0.1 with a `Host:` header (spec /work/shared/spec/deta-compat.md §5), signed in as the
space's owner with that host's own session cookie (auth_helpers.py) unless a test says not to. Apps come from
Tests/Fixtures/apps/. Each test module starts one node and installs its apps once
(`module_node`), since builds are the slow part.
"""
from __future__ import annotations

import contextlib
import http.client
import json
import re
import subprocess
from pathlib import Path

import pytest
import requests

from auth_helpers import Browser, create_owner
from conftest import CLI_TIMEOUT, HEARTH_BIN, HTTP_TIMEOUT, REPO, BaseClient, DriveClient, Node, describe, wait_for  # noqa: F401

FIXTURES = REPO / "Tests" / "Fixtures" / "apps"
INSTALL_TIMEOUT = 300  # a build may install packages from PyPI
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ ")


def pid_alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def group_members(pgid: int) -> list[int]:
    """Live processes in a process group (micros run as group leaders)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(entry.name))
    return members


def raw_request(port: int, host: str, path: str, method: str = "GET", cookie: str | None = None) -> tuple[int, dict, bytes]:
    """Sends `path` exactly as given (requests/urllib3 would remove `..` segments)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host)
        if cookie:
            connection.putheader("Cookie", cookie)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


class AppNode(Node):
    """A node with app helpers: install, list, and HTTP to instance hosts."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = requests.Session()
        self.browser: Browser | None = None

    @property
    def tls_ca(self) -> Path | None:
        """The authority to verify the node against when it serves TLS."""
        return None

    def start(self) -> "AppNode":
        """Starts the node and signs its owner in (creating the owner on first start)."""
        if self.starts == 0:
            result = create_owner(self.data_dir)
            assert result.returncode == 0, result.stderr
        super().start()
        self.browser = Browser(self.port, ca=self.tls_ca)
        status, _, body = self.browser.sign_in()
        assert status == 303, body
        return self

    def owner_cookie(self, slug: str, fresh: bool = False) -> str:
        """The owner's session cookie for an instance host, handed over from the dashboard."""
        host = self.host(slug)
        if fresh or self.browser.session(host) is None:
            self.browser.cookies.pop(host, None)
            self.browser.open(slug)  # no app there: no cookie, and the request shows what the node says
        return f"{self.browser.session_cookie}={self.browser.session(host) or ''}"

    # ----- CLI -----
    def app(self, *args: str, timeout: float = CLI_TIMEOUT) -> subprocess.CompletedProcess:
        return subprocess.run([HEARTH_BIN, "app", *args, "--data", str(self.data_dir)], capture_output=True,
                              text=True, timeout=timeout)

    def install(self, app: str | Path, *extra: str) -> subprocess.CompletedProcess:
        directory = app if isinstance(app, Path) else FIXTURES / app
        return self.app("install", str(directory), *extra, timeout=INSTALL_TIMEOUT)

    def install_ok(self, app: str | Path, name: str | None = None) -> dict:
        """Installs with `--json`; returns {id, name, slug, url}."""
        result = self.install(app, "--json", *(["--name", name] if name else []))
        assert result.returncode == 0, f"install {app} failed ({result.returncode}):\n{result.stderr}\n{result.stdout}"
        return json.loads(result.stdout)

    def apps(self) -> list[dict]:
        result = self.app("ls", "--json")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    def listing(self, slug: str) -> dict | None:
        return next((entry for entry in self.apps() if entry["slug"] == slug), None)

    def running(self, slug: str) -> list[str]:
        entry = self.listing(slug)
        assert entry is not None, f"{slug} is not installed"
        return entry["running"]

    # ----- files -----
    @property
    def instances_root(self) -> Path:
        return self.data_dir / "spaces" / "default" / "instances"

    def instance_dirs(self) -> set[str]:
        return {p.name for p in self.instances_root.iterdir()} if self.instances_root.exists() else set()

    def instance_dir(self, instance_id: str) -> Path:
        return self.instances_root / instance_id

    def data_key(self, instance_id: str) -> str:
        return (self.instance_dir(instance_id) / "secrets" / "data.key").read_text().strip()

    def micro_log(self, instance_id: str, micro: str) -> Path:
        return self.instance_dir(instance_id) / "logs" / f"{micro}.log"

    def base_of(self, instance_id: str, name: str, data_key: str | None = None) -> BaseClient:
        return BaseClient(self.url, instance_id, data_key or self.data_key(instance_id), name)

    def drive_of(self, instance_id: str, name: str, data_key: str | None = None) -> DriveClient:
        return DriveClient(self.url, instance_id, data_key or self.data_key(instance_id), name)

    # ----- HTTP to instance hosts -----
    def host(self, slug: str) -> str:
        return f"{slug}.localhost:{self.port}"

    def request(self, slug: str, method: str, path: str, signed_in: bool = True, **kwargs) -> requests.Response:
        """A request to an instance host, as its signed-in owner unless `signed_in` is False."""
        headers = {"Host": self.host(slug), **kwargs.pop("headers", {})}
        kwargs.setdefault("timeout", HTTP_TIMEOUT)
        kwargs.setdefault("allow_redirects", False)
        if not signed_in:
            return self.session.request(method, self.url + path, headers=headers, **kwargs)
        headers["Cookie"] = self.owner_cookie(slug)
        response = self.session.request(method, self.url + path, headers=headers, **kwargs)
        if response.status_code == 401 and response.headers.get("Server", "").startswith("Deta"):
            # The instance was installed again under the same name: a new host session.
            headers["Cookie"] = self.owner_cookie(slug, fresh=True)
            response = self.session.request(method, self.url + path, headers=headers, **kwargs)
        return response

    def get(self, slug: str, path: str, **kwargs) -> requests.Response:
        return self.request(slug, "GET", path, **kwargs)

    def get_json(self, slug: str, path: str, status: int = 200, **kwargs):
        response = self.get(slug, path, **kwargs)
        assert response.status_code == status, describe(response)
        assert response.headers.get("Content-Type", "").startswith("application/json"), describe(response)
        return response.json()

    def started_pids(self, instance_id: str, micro: str) -> list[int]:
        """The host pids of the micro's starts, as its log records them (sandboxed micros see
        other pids from inside their pid namespace)."""
        log = self.micro_log(instance_id, micro)
        return [int(pid) for pid in re.findall(r"\[hearth\] starting pid (\d+)", log.read_text() if log.exists() else "")]

    def micro_env(self, slug: str) -> dict:
        """What notes-asgi's `/env` reports: variables, cwd and pid of the micro."""
        return self.get_json(slug, "/env")


@contextlib.contextmanager
def module_node(tmp_path_factory, name: str, args=(), env: dict[str, str] | None = None, kind: type = None):
    """A node (an AppNode, or `kind`) for one test module, stopped (with its micros) at the end."""
    node = (kind or AppNode)(tmp_path_factory.mktemp(name) / "data", args=args, env=env).start()
    try:
        yield node
    finally:
        died = not node.alive
        node.stop()
        if died:
            pytest.fail(f"the {name} node died during the module\n{node.logs()}")


def log_lines(node: AppNode, slug: str, *args: str) -> list[str]:
    result = node.app("logs", slug, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()
