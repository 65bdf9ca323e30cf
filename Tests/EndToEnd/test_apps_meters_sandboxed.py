"""Meters and limits of a sandboxed instance: its control groups get the instance's own limits
(`hearth app limits`), and `hearth app stats` reads CPU, memory and processes from them. Like
the other sandbox suites this needs root, bubblewrap and cgroups (`--sandbox required`).

The micro is woken with `hearth app trigger`, which starts it whether or not the action's
delivery reaches it, so these checks need nothing but the sandbox itself."""
from __future__ import annotations

import pytest

from apps_helpers import module_node
from conftest import wait_for
from sandbox_helpers import instance_groups

MiB = 1 << 20


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    with module_node(tmp_path_factory, "meters-sandboxed", args=["--sandbox", "required", "--meter-interval", "1"]) as n:
        n.jobs = n.install_ok("scheduled", name="jobs")
        yield n


def stats(node) -> dict:
    return node.cli_json("app", "stats", "jobs")


def wake(node) -> None:
    node.app("trigger", "jobs", "tick")  # starts the micro; the delivery's outcome does not matter here
    wait_for(lambda: node.running("jobs") == ["jobs"], timeout=30, message="the micro to run")


def group_value(node, *names: str) -> int:
    """A number from the instance's control groups: the first of `names` found (v2, then v1)."""
    for name in names:
        for directory in instance_groups(node, node.jobs["id"]):
            if (directory / name).exists():
                return int((directory / name).read_text().strip())
    raise AssertionError(f"no {names} for the instance")


def test_a_sandboxed_micro_reports_cpu_memory_and_processes(node):
    wake(node)
    shown = stats(node)
    assert shown["isolation"] == "sandboxed", shown
    meters = shown["meters"]
    assert meters["wakes"] == 1, meters
    assert meters["cpu_seconds"] > 0, meters
    assert 0 < meters["memory_bytes"] <= shown["limits"]["memory_bytes"], meters
    assert meters["memory_peak_bytes"] >= meters["memory_bytes"], meters
    assert meters["processes"] >= 1, meters
    assert meters["oom_kills"] == 0 and meters["process_limit_hits"] == 0, meters
    text = node.app("stats", "jobs")
    assert text.returncode == 0 and "of 512 MiB" in text.stdout and "sandboxed" in text.stdout, text.stdout
    def sandboxed_sample():
        history = node.cli_json("app", "stats", "jobs", "--history", "1")["history"]
        return bool(history) and history[-1]["sandboxed"]

    wait_for(sandboxed_sample, timeout=10, message="a sandboxed sample")


def test_the_sandbox_applies_the_instances_own_limits(node):
    wake(node)
    assert group_value(node, "memory.max", "memory.limit_in_bytes") == 512 * MiB  # the node's default
    result = node.app("limits", "jobs", "--memory", "256M", "--processes", "64")
    assert result.returncode == 0, result.stderr
    assert node.running("jobs") == []
    wake(node)
    assert group_value(node, "memory.max", "memory.limit_in_bytes") == 256 * MiB
    assert group_value(node, "pids.max") == 64
    assert "of 256 MiB" in node.app("stats", "jobs").stdout
    assert node.app("limits", "jobs", "--reset").returncode == 0
