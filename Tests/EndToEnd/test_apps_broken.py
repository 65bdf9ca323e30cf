"""Broken apps fail clearly and alone: an invalid Spacefile or a failing build installs
nothing; a micro that crashes or never listens gets a 502 page saying why, with its log, while
the node and the other apps carry on."""
from __future__ import annotations

import re
import time

import pytest

from apps_helpers import FIXTURES, group_members, module_node, pid_alive, wait_for

START_TIMEOUT = 3


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    with module_node(tmp_path_factory, "broken", args=["--start-timeout", str(START_TIMEOUT)]) as n:
        n.installed = {name: n.install_ok(FIXTURES / "broken" / name) for name in ("crash-at-start", "never-listens", "wrong-port")}
        n.installed["notes-asgi"] = n.install_ok("notes-asgi")
        yield n


def assert_nothing_installed(node, before_dirs: set[str], before_slugs: list[str]):
    assert node.instance_dirs() == before_dirs, "the failed install left a directory behind"
    assert [entry["slug"] for entry in node.apps()] == before_slugs


def snapshot(node):
    return node.instance_dirs(), [entry["slug"] for entry in node.apps()]


# ----- install failures -------------------------------------------------------------------------

def test_bad_spacefile_names_fields_and_lines(node):
    before = snapshot(node)
    result = node.install(FIXTURES / "broken" / "bad-spacefile")
    assert result.returncode != 0
    assert "Spacefile is not valid" in result.stderr, result.stderr
    assert "micros[0].engine (line 5)" in result.stderr, result.stderr
    assert '"python3.7" is not an engine' in result.stderr, result.stderr
    assert "micros[0].colour (line 6)" in result.stderr, result.stderr
    assert "colour" in result.stderr and "unknown field" in result.stderr, result.stderr
    assert_nothing_installed(node, *before)


def test_bad_requirement_fails_with_pips_error_and_leaves_nothing(node):
    before = snapshot(node)
    result = node.install(FIXTURES / "broken" / "bad-requirements")
    assert result.returncode != 0
    assert "the install failed" in result.stderr, result.stderr
    assert "hearth-fixture-package-that-does-not-exist==9.9.9" in result.stderr, result.stderr
    assert "ERROR: No matching distribution found" in result.stderr, result.stderr
    assert_nothing_installed(node, *before)
    assert node.get("bad-requirements", "/").status_code == 404


def test_failing_build_command_names_it_and_shows_its_output(node):
    before = snapshot(node)
    result = node.install(FIXTURES / "broken" / "failing-command")
    assert result.returncode != 0
    assert "sh -c 'echo \"fatal: the widget is missing\" >&2; exit 7'" in result.stderr, result.stderr
    assert "exit status 7" in result.stderr, result.stderr
    assert "fatal: the widget is missing" in result.stderr, result.stderr
    assert_nothing_installed(node, *before)


# ----- runtime failures --------------------------------------------------------------------------

def start_attempts(node, app: str, micro: str) -> list[int]:
    return node.started_pids(node.installed[app]["id"], micro)


def assert_node_healthy(node):
    assert node.session.get(node.url + "/healthz", timeout=10).status_code == 200
    assert node.micro_env("notes-asgi")["DETA_SPACE_APP_MICRO_NAME"] == "notes"


def test_crash_at_start_shows_the_traceback(node):
    response = node.get("crash-at-start", "/")
    assert response.status_code == 502
    assert "text/html" in response.headers["Content-Type"]
    page = response.text
    assert "crash-at-start could not answer" in page
    assert "exited before listening on $PORT" in page
    assert "about to fail at import" in page  # the app's own output
    assert "Traceback (most recent call last)" in page
    assert "RuntimeError: this app cannot start: missing configuration" in page
    assert_node_healthy(node)


def test_crash_at_start_is_not_retried_within_the_backoff(node):
    first = node.get("crash-at-start", "/x")
    failed_at = time.monotonic()
    assert first.status_code == 502
    attempts = start_attempts(node, "crash-at-start", "crasher")
    began = time.monotonic()
    second = node.get("crash-at-start", "/y")
    elapsed = time.monotonic() - began
    assert second.status_code == 502
    assert "RuntimeError: this app cannot start" in second.text
    if time.monotonic() - failed_at < 1.0:  # the first backoff is one second
        assert start_attempts(node, "crash-at-start", "crasher") == attempts, "started again within the backoff"
        assert elapsed < 0.5, f"the second request took {elapsed:.2f}s"
    assert_node_healthy(node)


@pytest.mark.parametrize("app, micro", [("never-listens", "sleeper"), ("wrong-port", "stubborn")])
def test_micro_that_does_not_listen_on_port(node, app, micro):
    began = time.monotonic()
    response = node.get(app, "/")
    elapsed = time.monotonic() - began
    assert response.status_code == 502, response.text
    assert f"{app} could not answer" in response.text
    assert "did not listen on $PORT" in response.text
    assert f"within {START_TIMEOUT}" in response.text
    assert START_TIMEOUT * 0.8 <= elapsed < START_TIMEOUT + 10, f"failed after {elapsed:.1f}s"
    # The process (and its children: `sh -c` runs the command) was stopped.
    pid = start_attempts(node, app, micro)[-1]
    wait_for(lambda: not pid_alive(pid) and not group_members(pid), 10, f"{app}'s process group to be gone")
    # Within the backoff the failure is answered at once.
    again = node.get(app, "/")
    assert again.status_code == 502 and "did not listen on $PORT" in again.text
    assert_node_healthy(node)


def test_wrong_port_shows_the_apps_output(node):
    response = node.get("wrong-port", "/")
    assert response.status_code == 502
    assert "Serving HTTP on 127.0.0.1 port 8911" in response.text  # what the app said it did


def test_failures_are_in_the_log(node):
    result = node.app("logs", "never-listens", "-n", "50")
    assert result.returncode == 0, result.stderr
    assert "working on it" in result.stdout
    assert "did not listen on $PORT" in result.stdout
    assert node.running("never-listens") == []
