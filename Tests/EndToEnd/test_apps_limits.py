"""Per-instance limits (`hearth app limits`), the node's defaults (`hearth serve --memory-limit …`),
and the storage quota: Base and Drive writes over it get 507 with Deta's error body."""
from __future__ import annotations

import json

import pytest

from apps_helpers import module_node
from conftest import assert_errors, json_of, put_ok, run_cli

FULL = "The collection's storage quota is full"
MiB = 1 << 20


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    with module_node(tmp_path_factory, "limits", args=["--memory-limit", "1G", "--outbound", "off", "--sandbox", "off"]) as n:
        yield n


@pytest.fixture(scope="module")
def notes(node):
    return node.install_ok("notes-asgi", name="limited")


@pytest.fixture(scope="module")
def site(node):
    return node.install_ok("static-site", name="quota-site")


def limits(node, slug: str, *args: str) -> dict:
    return node.cli_json("app", "limits", slug, *args)


def test_shows_the_node_defaults(node, notes):
    shown = limits(node, "limited")
    assert shown["overrides"] == {}
    assert shown["limits"]["memory_bytes"] == 1 << 30  # --memory-limit 1G
    assert shown["limits"]["outbound"] is False  # --outbound off
    assert shown["limits"]["processes"] == 256 and shown["limits"]["storage_bytes"] == 10 << 30
    text = node.app("limits", "limited")
    assert text.returncode == 0, text.stderr
    memory = next(line for line in text.stdout.splitlines() if line.startswith("memory"))
    assert "1 GiB" in memory and "node default" in memory, text.stdout


def test_set_restarts_the_micros_and_reset_returns_to_the_defaults(node, notes):
    assert node.get("limited", "/").status_code == 200
    assert node.running("limited") == ["notes"]
    result = node.app("limits", "limited", "--memory", "256M", "--processes", "64", "--cpu", "0.5", "--cpu-weight", "50",
                      "--tmp", "1G", "--storage", "5G", "--outbound", "on")
    assert result.returncode == 0, result.stderr
    assert "restart" in result.stdout
    rows = {line.split("  ")[0]: line for line in result.stdout.splitlines()}
    assert "256 MiB" in rows["memory"] and rows["memory"].rstrip().endswith("instance"), result.stdout
    assert node.running("limited") == [], "the micros stopped so the new limits apply"

    shown = limits(node, "limited")
    assert shown["overrides"] == {"memory_bytes": 256 * MiB, "processes": 64, "cpu_cores": 0.5, "cpu_weight": 50,
                                  "tmp_bytes": 1 << 30, "storage_bytes": 5 << 30, "outbound": True}
    assert shown["limits"]["memory_bytes"] == 256 * MiB

    # Setting one value keeps the others; --reset first clears them all.
    assert limits(node, "limited", "--processes", "128")["overrides"]["memory_bytes"] == 256 * MiB
    reset = limits(node, "limited", "--reset", "--cpu", "2")
    assert reset["overrides"] == {"cpu_cores": 2.0}
    assert reset["limits"]["memory_bytes"] == 1 << 30
    assert limits(node, "limited", "--reset")["overrides"] == {}
    assert node.get("limited", "/").status_code == 200  # and it starts again


@pytest.mark.parametrize("args, message", [
    (["--memory", "1M"], "at least 16 MiB"),
    (["--memory", "12X"], "--memory"),
    (["--processes", "2"], "at least 8"),
    (["--cpu", "0"], "CPU"),
    (["--cpu-weight", "0"], "between 1 and 10000"),
    (["--storage", "-5G"], "--storage"),
    (["--outbound", "maybe"], "--outbound"),
])
def test_bad_values_are_refused_clearly(node, notes, args, message):
    result = node.app("limits", "limited", *args)
    assert result.returncode != 0
    assert message in result.stderr, result.stderr
    assert limits(node, "limited")["overrides"] == {}


def test_limits_set_while_the_node_is_down_apply_when_it_starts(node, notes):
    node.stop()
    try:
        result = node.app("limits", "limited", "--storage", "2G")
        assert result.returncode == 0, result.stderr
        assert "when the node starts" in result.stdout
        assert limits(node, "limited")["limits"]["memory_bytes"] == 1 << 30  # the defaults it last ran with
    finally:
        node.start()
    assert limits(node, "limited")["overrides"] == {"storage_bytes": 2 << 30}
    assert limits(node, "limited", "--reset")["overrides"] == {}


def test_serve_refuses_bad_defaults(tmp_path):
    result = run_cli("serve", "--data", str(tmp_path / "data"), "--port", "0", "--memory-limit", "1M", timeout=30)
    assert result.returncode != 0
    assert "Memory must be at least 16 MiB" in result.stderr, result.stderr


def test_writes_over_the_storage_quota_get_507_and_reads_go_on(node, site):
    base = node.base_of(site["id"], "items")
    drive = node.drive_of(site["id"], "files")
    put_ok(base, {"key": "small", "text": "hello"})
    assert drive.put("small.txt", b"hi").status_code == 201

    assert limits(node, "quota-site", "--storage", "1M")["limits"]["storage_bytes"] == MiB
    refused = None
    for index in range(10):
        response = base.put({"key": f"k{index}", "text": "x" * 200_000})
        if response.status_code == 507:
            refused = response
            break
        json_of(response, 207)
    assert refused is not None, "a 1 MiB quota holds fewer than ten 200 kB items"
    assert_errors(refused, 507, FULL)
    assert_errors(base.insert({"key": "big", "text": "y" * 300_000}), 507, FULL)
    assert_errors(drive.put("big.bin", b"z" * 400_000), 507, FULL)

    # Reads and deletes keep working.
    assert json_of(base.get("small"), 200)["text"] == "hello"
    assert drive.get("small.txt").content == b"hi"
    assert "small.txt" in json_of(drive.list(), 200)["names"]
    assert json_of(base.delete("k0"), 200) == {"key": "k0"}
    assert drive.delete_many(["small.txt"]).status_code == 200

    stats = node.cli_json("app", "stats", "quota-site")
    assert stats["limits"]["storage_bytes"] == MiB
    assert stats["meters"]["base_bytes"] > 500_000, stats

    # A larger quota takes effect at once.
    limits(node, "quota-site", "--storage", "50M")
    put_ok(base, {"key": "after", "text": "x" * 200_000})
    assert drive.put("big.bin", b"z" * 400_000).status_code == 201
    limits(node, "quota-site", "--reset")


def test_the_browser_proxy_is_refused_the_same_way(node, site):
    limits(node, "quota-site", "--storage", "1M")
    try:
        body = {"items": [{"key": f"p{i}", "text": "x" * 200_000} for i in range(6)]}
        response = node.request("quota-site", "PUT", "/__space/v0/base/v1/ignored/items/items", data=json.dumps(body),
                                headers={"Content-Type": "application/json"})
        assert_errors(response, 507, FULL)
        listing = node.get("quota-site", "/__space/v0/drive/v1/ignored/files/files")
        assert listing.status_code == 200, listing.text
    finally:
        limits(node, "quota-site", "--reset")
