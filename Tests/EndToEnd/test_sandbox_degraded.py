"""A host that cannot sandbox: the node still runs, says at start exactly what is missing, and
marks its instances unisolated; `--sandbox required` refuses to start instead. The missing part
is simulated by pointing `HEARTH_BUBBLEWRAP` at nothing."""
from __future__ import annotations

import os
import subprocess

import pytest

from apps_helpers import module_node
from conftest import HEARTH_BIN
from sandbox_helpers import probe

BROKEN = {"HEARTH_BUBBLEWRAP": "/nonexistent/bwrap"}


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    with module_node(tmp_path_factory, "degraded", env=BROKEN) as n:
        n.install_ok("hostile", name="plain")
        yield n


def test_the_node_says_what_is_missing(node):
    log = node.stderr_path.read_text()
    assert "Sandbox incomplete" in log and "bubblewrap was not found" in log, log
    assert "UNISOLATED" in log, log


def test_instances_are_marked_unisolated(node):
    probe(node, "plain", "/whoami")
    listed = node.listing("plain")
    assert listed["isolation"] == "unisolated", listed
    text = node.app("ls")
    assert "unisolated" in text.stdout and "Unisolated apps can read the node's files" in text.stdout, text.stdout
    stats = node.app("stats", "plain")
    assert "unisolated" in stats.stdout, stats.stdout


def test_apps_still_run(node):
    identity = probe(node, "plain", "/whoami")["result"]
    assert identity["uid"] == 0  # the node's own user: exactly what unisolated means


def test_required_refuses_to_start(tmp_path):
    data = tmp_path / "data"
    result = subprocess.run([HEARTH_BIN, "serve", "--data", str(data), "--port", "0", "--sandbox", "required"],
                            capture_output=True, text=True, timeout=30, env={**os.environ, **BROKEN})
    assert result.returncode != 0
    assert "sandbox is required but incomplete" in result.stderr and "bubblewrap" in result.stderr, result.stderr
