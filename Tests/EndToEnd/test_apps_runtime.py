"""How micros run (spec §5.1, §5.2): their environment, their data through the `deta` module,
restarts after a crash, `hearth app env/restart/logs`, and scale to zero.

These nodes run micros unsandboxed (`--sandbox off`): the tests follow micro processes by the
pids the micros report, which a sandbox's pid namespace would hide, and they keep the path of
hosts that cannot sandbox covered. The sandboxed path of the same mechanics is covered by the
other app suites and test_sandbox_*.py."""
from __future__ import annotations

import os
import select
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from apps_helpers import TIMESTAMP, log_lines, module_node, pid_alive, wait_for
from conftest import HEARTH_BIN, json_of, put_ok

# Variables of the node's own environment, which micros must not inherit.
LEAK_PROBES = {"HEARTH_E2E_LEAK_PROBE": "node-secret", "DETA_E2E_LEAK_PROBE": "node-secret"}


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    with module_node(tmp_path_factory, "runtime", args=["--sandbox", "off"], env=LEAK_PROBES) as n:
        yield n


@pytest.fixture(scope="module")
def notes(node):
    """notes-asgi installed on the module's node; returns its `install --json` record."""
    return node.install_ok("notes-asgi")


# ----- environment (spec §5.2) --------------------------------------------------------------

def test_runtime_variables(node, notes):
    env = node.micro_env("notes-asgi")
    instance_id = notes["id"]
    assert env["DETA_SPACE_APP"] == "true"
    assert env["DETA_SPACE_APP_HOSTNAME"] == f"notes-asgi.localhost:{node.port}"
    assert env["DETA_SPACE_APP_MICRO_NAME"] == "notes"
    assert env["DETA_SPACE_APP_MICRO_TYPE"] == "primary"
    assert env["DETA_SPACE_APP_INSTANCE_ID"] == instance_id
    assert env["DETA_SPACE_APP_VERSION"], env
    port = int(env["PORT"])
    assert 0 < port < 65536 and port != node.port
    assert env["DETA_PROJECT_KEY"] == node.data_key(instance_id)
    assert env["DETA_PROJECT_KEY"].startswith(instance_id + "_")
    for name in LEAK_PROBES:
        assert name not in env, f"the node's own {name} leaked into the micro"


def test_project_key_works_for_the_base_api(node, notes):
    key = node.micro_env("notes-asgi")["DETA_PROJECT_KEY"]
    base = node.base_of(notes["id"], "from-env-key", data_key=key)
    put_ok(base, {"key": "k", "value": 1})
    assert json_of(base.get("k"), 200) == {"key": "k", "value": 1}


def test_presets(node, notes):
    env = node.micro_env("notes-asgi")
    assert env["GREETING"] == "hello"  # the preset's default
    assert "UNSET_WITHOUT_DEFAULT" not in env  # a preset without default and without value


def test_working_directory_and_read_only_app(node, notes):
    env = node.micro_env("notes-asgi")
    app_dir = node.instance_dir(notes["id"]) / "app"
    assert Path(env["cwd"]).resolve() == app_dir.resolve()  # the micro's src (`.`) in the installed copy
    assert Path(env["HOME"]).resolve() == (node.instance_dir(notes["id"]) / "tmp").resolve()
    assert (app_dir / "main.py").read_text() == (Path(__file__).parents[1] / "Fixtures/apps/notes-asgi/main.py").read_text()
    if os.geteuid() != 0:
        answer = node.get_json("notes-asgi", "/write-app")
        assert answer["written"] is False, answer
    else:
        # Root ignores permissions; check that the installed copy is read-only (`a-w`) instead.
        writable = [str(path) for path in [app_dir, *app_dir.rglob("*")] if path.lstat().st_mode & 0o222]
        assert writable == [], f"writable files in the installed app: {writable}"


def test_micros_inherit_no_descriptors_of_the_node(node, notes):
    """A micro gets stdin, stdout and stderr only: not the node's listening socket (a micro
    holding it could answer the node's requests, and keeps the port after the node dies), its
    upstream connections, or other micros' log files."""
    pid = node.micro_env("notes-asgi")["pid"]

    def links(process: int) -> set[str]:
        found = set()
        for fd in os.listdir(f"/proc/{process}/fd"):
            try:
                found.add(os.readlink(f"/proc/{process}/fd/{fd}"))
            except OSError:
                pass  # closed meanwhile
        return found

    # Sockets and files by identity (the output pipe is shared by design; epoll links all look alike).
    shared = {link for link in links(pid) & links(node.proc.pid)
              if link.startswith("socket:") or (link.startswith("/") and not link.startswith("/dev/"))}
    assert shared == set(), f"the micro holds the node's descriptors: {shared}"


def test_env_set_and_unset(node, notes):
    before = node.micro_env("notes-asgi")
    assert before["GREETING"] == "hello"

    result = node.app("env", "notes-asgi", "set", "GREETING=bye")
    assert result.returncode == 0, result.stderr
    assert "GREETING" in result.stdout
    after = node.micro_env("notes-asgi")  # the CLI restarted the micro through the node
    assert after["GREETING"] == "bye"
    assert after["pid"] != before["pid"]

    listing = node.app("env", "notes-asgi")
    assert listing.returncode == 0, listing.stderr
    row = next(line for line in listing.stdout.splitlines() if line.startswith("GREETING"))
    assert "bye" in row and "hello" in row, listing.stdout  # value and default

    assert node.app("env", "notes-asgi", "set", "UNSET_WITHOUT_DEFAULT=a=b c").returncode == 0
    assert node.micro_env("notes-asgi")["UNSET_WITHOUT_DEFAULT"] == "a=b c"

    for name in ("GREETING", "UNSET_WITHOUT_DEFAULT"):
        result = node.app("env", "notes-asgi", "unset", name)
        assert result.returncode == 0, result.stderr
    restored = node.micro_env("notes-asgi")
    assert restored["GREETING"] == "hello"
    assert "UNSET_WITHOUT_DEFAULT" not in restored


def test_env_refuses_unknown_variable(node, notes):
    result = node.app("env", "notes-asgi", "set", "NOT_A_PRESET=1")
    assert result.returncode != 0
    assert "'NOT_A_PRESET' is not a variable of notes-asgi" in result.stderr, result.stderr
    assert "GREETING" in result.stderr  # it says which ones exist
    assert "NOT_A_PRESET" not in node.micro_env("notes-asgi")
    bad_form = node.app("env", "notes-asgi", "set", "GREETING")
    assert bad_form.returncode != 0 and "VAR=VALUE" in bad_form.stderr, bad_form.stderr


# ----- data through the deta module ----------------------------------------------------------

def test_base_through_the_deta_module(node, notes):
    key = uuid.uuid4().hex
    written = node.request("notes-asgi", "PUT", f"/notes/{key}", json={"title": "Milk", "tags": ["a", 1]})
    assert written.status_code == 200, written.text
    assert written.json() == {"key": key, "title": "Milk", "tags": ["a", 1]}
    assert node.get_json("notes-asgi", f"/notes/{key}") == {"key": key, "title": "Milk", "tags": ["a", 1]}
    # The same item through the Base HTTP API with the instance's data key ...
    base = node.base_of(notes["id"], "notes")
    assert json_of(base.get(key), 200) == {"key": key, "title": "Milk", "tags": ["a", 1]}
    # ... and the other way round.
    put_ok(base, {"key": key + "-api", "from": "api"})
    assert node.get_json("notes-asgi", f"/notes/{key}-api") == {"key": key + "-api", "from": "api"}
    assert node.get("notes-asgi", "/notes/missing-" + key).status_code == 404


def test_drive_through_the_deta_module(node, notes):
    name = f"f-{uuid.uuid4().hex}.bin"
    content = bytes(range(256)) * 40
    stored = node.request("notes-asgi", "PUT", f"/files/{name}", data=content)
    assert stored.status_code == 200, stored.text
    assert stored.json() == {"name": name}
    fetched = node.get("notes-asgi", f"/files/{name}")
    assert fetched.status_code == 200 and fetched.content == content
    drive = node.drive_of(notes["id"], "files")
    download = drive.get(name)
    assert download.status_code == 200 and download.content == content
    assert drive.put(name + ".api", b"from the api").status_code == 201
    assert node.get("notes-asgi", f"/files/{name}.api").content == b"from the api"


# ----- starting on demand -------------------------------------------------------------------------

def test_concurrent_first_requests_start_one_process(node, notes):
    assert node.app("restart", "notes-asgi").returncode == 0
    assert node.running("notes-asgi") == []
    starts = node.micro_log(notes["id"], "notes").read_text().count("[hearth] starting pid")

    cookie = node.owner_cookie("notes-asgi")

    def hit(_):
        response = node.session.get(node.url + "/env", headers={"Host": node.host("notes-asgi"), "Cookie": cookie}, timeout=30)
        return response.status_code, response.json()["pid"] if response.status_code == 200 else response.text[:300]

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(hit, range(20)))
    assert {status for status, _ in answers} == {200}, answers
    assert len({pid for _, pid in answers}) == 1, answers
    assert node.micro_log(notes["id"], "notes").read_text().count("[hearth] starting pid") == starts + 1


def test_first_request_waits_for_a_slow_start(node):
    node.install_ok("slow-start")
    began = time.time()
    response = node.get("slow-start", "/")
    answer = json_of(response, 200)
    assert answer["began"] >= began - 1  # this request started it ...
    assert answer["listening"] - answer["began"] >= 1.4  # ... and was held while it warmed up
    log = "\n".join(log_lines(node, "slow-start", "-n", "20"))
    assert "warming up" in log and "ready in" in log, log


# ----- crash, restart, logs -----------------------------------------------------------------

def test_crash_restarts_the_micro(node, notes):
    pid = node.micro_env("notes-asgi")["pid"]
    crashed = node.get("notes-asgi", "/crash")
    assert crashed.status_code == 502, crashed.text

    # Requests right after the crash wait for the restart (backoff: 1 s); none may hang on the
    # dead process's port (the proxy's client would retry it until its 5 s connect timeout).
    crashed_at = time.monotonic()
    while True:
        began = time.monotonic()
        response = node.get("notes-asgi", "/env")
        took = time.monotonic() - began
        assert took < 4.5, f"a request after the crash took {took:.1f}s: {response.status_code} {response.text[:300]}"
        if response.status_code == 200:
            break
        assert time.monotonic() - crashed_at < 15, "the micro did not come back"
        time.sleep(0.05)
    env = response.json()
    assert env["pid"] != pid
    log = "\n".join(log_lines(node, "notes-asgi", "-n", "200"))
    assert f"pid {pid} exited with status 3; restarting in" in log, log
    assert f"starting pid {env['pid']}" in log, log
    assert not pid_alive(pid)
    # The node itself is fine.
    assert node.session.get(node.url + "/healthz", timeout=10).status_code == 200


def test_restart_gives_a_new_process(node, notes):
    pid = node.micro_env("notes-asgi")["pid"]
    assert node.running("notes-asgi") == ["notes"]
    result = node.app("restart", "notes-asgi")
    assert result.returncode == 0, result.stderr
    assert "Restarted 'notes-asgi'" in result.stdout
    assert node.running("notes-asgi") == []
    wait_for(lambda: not pid_alive(pid), 10, f"pid {pid} to stop")
    assert node.micro_env("notes-asgi")["pid"] != pid
    assert node.running("notes-asgi") == ["notes"]


def test_logs_show_the_newest_timestamped_lines(node, notes):
    marker = f"/log-marker-{uuid.uuid4().hex}"
    for _ in range(3):
        node.get("notes-asgi", "/env")
    assert node.get("notes-asgi", marker).status_code == 404
    lines = log_lines(node, "notes-asgi", "-n", "5")
    assert len(lines) == 5, lines
    for line in lines:
        assert TIMESTAMP.match(line), line
    assert marker in lines[-1], lines  # the newest line is the last request
    assert len(log_lines(node, "notes-asgi", "--lines", "2")) == 2


def test_logs_of_the_build(node, notes):
    lines = log_lines(node, "notes-asgi", "--micro", "build")
    text = "\n".join(lines)
    assert "==> Building notes (python3.9)" in text, text
    assert "Hearth's deta module" in text, text  # the requirements' `deta` line
    # In the order written: each tool's command line after the step that runs it.
    position = {name: next(i for i, line in enumerate(lines) if name in line)
                for name in ("Copying the app", "Building notes", "Creating the Python environment", "-m venv")}
    assert position["Copying the app"] < position["Building notes"] < position["Creating the Python environment"], text
    assert position["Creating the Python environment"] < position["-m venv"], text
    # The build log is the build's, not the micro's.
    assert not any("GET /" in line for line in lines), text


def test_logs_follow_prints_new_lines(node, notes):
    node.get("notes-asgi", "/env")
    follower = subprocess.Popen([HEARTH_BIN, "app", "logs", "notes-asgi", "-f", "-n", "1", "--data", str(node.data_dir)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        received = b""

        def read_available(timeout: float) -> None:
            nonlocal received
            ready, _, _ = select.select([follower.stdout], [], [], timeout)
            if ready:
                chunk = os.read(follower.stdout.fileno(), 65536)
                assert chunk, f"logs -f exited: {follower.stderr.read().decode()}"
                received += chunk

        read_available(2)  # the one old line
        marker = f"/follow-marker-{uuid.uuid4().hex}"
        node.get("notes-asgi", marker)
        deadline = time.monotonic() + 10
        while marker.encode() not in received and time.monotonic() < deadline:
            read_available(0.5)
        assert marker.encode() in received, received.decode(errors="replace")
        line = next(l for l in received.decode().splitlines() if marker in l)
        assert TIMESTAMP.match(line), line
    finally:
        follower.kill()
        follower.wait(timeout=10)


def test_logs_of_an_unknown_instance_fail(node):
    result = node.app("logs", "no-such-app")
    assert result.returncode != 0 and "no-such-app" in result.stderr, result.stderr


# ----- scale to zero ---------------------------------------------------------------------------

IDLE = 2.0


@pytest.fixture(scope="module")
def sleepy(tmp_path_factory):
    """A node stopping micros after IDLE seconds without requests, with notes-asgi installed."""
    with module_node(tmp_path_factory, "idle", args=["--idle-timeout", str(IDLE), "--sandbox", "off"]) as n:
        n.install_ok("notes-asgi")
        n.install_ok("slow-start")
        yield n


def test_idle_micro_stops_and_wakes_with_its_data(sleepy):
    node = sleepy
    assert node.running("notes-asgi") == []  # nothing runs before the first request
    assert node.request("notes-asgi", "PUT", "/notes/kept", json={"text": "still here"}).status_code == 200
    first = node.micro_env("notes-asgi")
    last_request = time.monotonic()
    assert pid_alive(first["pid"])
    assert node.running("notes-asgi") == ["notes"]

    wait_for(lambda: not pid_alive(first["pid"]), IDLE + 15, "the idle micro to stop")
    assert time.monotonic() - last_request >= IDLE * 0.9, "stopped before the idle timeout"
    assert node.running("notes-asgi") == []
    log = "\n".join(log_lines(node, "notes-asgi", "-n", "20"))
    assert "without requests" in log and f"stopped pid {first['pid']}" in log, log

    # The next request wakes it: a new process, the same data.
    assert node.get_json("notes-asgi", "/notes/kept") == {"key": "kept", "text": "still here"}
    second = node.micro_env("notes-asgi")
    assert second["pid"] != first["pid"]
    assert node.running("notes-asgi") == ["notes"]


def test_requests_keep_an_idle_micro_awake(sleepy):
    node = sleepy
    pid = node.micro_env("notes-asgi")["pid"]
    deadline = time.monotonic() + IDLE * 2
    while time.monotonic() < deadline:  # a request every IDLE/4 seconds for twice the timeout
        assert node.micro_env("notes-asgi")["pid"] == pid
        time.sleep(IDLE / 4)
    assert pid_alive(pid)


def test_a_request_longer_than_the_idle_timeout_is_not_cut(sleepy):
    node = sleepy
    pid = node.get_json("slow-start", "/")["pid"]
    answer = node.get_json("slow-start", f"/sleep/{IDLE * 2}")  # no other request meanwhile
    assert answer["pid"] == pid
    # Once answered, the micro goes idle like any other.
    wait_for(lambda: not pid_alive(pid), IDLE + 15, "the micro to stop once idle")
