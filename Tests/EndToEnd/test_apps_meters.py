"""Per-instance meters: `hearth app stats` counts requests, wakes and body bytes exactly, the node
samples them into node.sqlite (`--meter-interval`), and totals survive a restart."""
from __future__ import annotations

import sqlite3

import pytest

from apps_helpers import module_node, wait_for

STATIC = ("/", "/data.json", "/assets/app.js")


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    # Unsandboxed, so the counts are the same on every host (test_apps_meters_sandboxed.py has the rest).
    with module_node(tmp_path_factory, "meters", args=["--meter-interval", "1", "--sandbox", "off"]) as n:
        yield n


@pytest.fixture(scope="module")
def notes(node):
    return node.install_ok("notes-asgi", name="metered")


@pytest.fixture(scope="module")
def site(node):
    return node.install_ok("static-site", name="metered-site")


def stats(node, slug: str, *args: str) -> dict:
    return node.cli_json("app", "stats", slug, *args)


def stored_samples(node, instance_id: str) -> list[dict]:
    db = sqlite3.connect(node.data_dir / "node.sqlite", timeout=10)
    try:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute("SELECT * FROM instance_meters WHERE instance = ? ORDER BY at", (instance_id,))]
    finally:
        db.close()


def test_proxied_requests_wakes_and_bytes_are_counted_exactly(node, notes):
    before = stats(node, "metered")
    assert before["live"] is True and before["isolation"] == "unisolated", before
    assert before["meters"]["requests"] == 0 and before["meters"]["wakes"] == 0, before

    sent, received = 0, 0
    for _ in range(3):
        response = node.get("metered", "/")
        assert response.status_code == 200
        received += len(response.content)
    for size in (1000, 2345):
        response = node.request("metered", "POST", "/echo", data=b"x" * size)
        assert response.status_code == 200 and response.json()["body"] == "x" * size
        sent += size
        received += len(response.content)
    missing = node.get("metered", "/no-such-route")
    assert missing.status_code == 404
    received += len(missing.content)

    after = stats(node, "metered")["meters"]
    assert after["requests"] == 6, after
    assert after["wakes"] == 1, after  # the first request woke the micro; the rest found it running
    assert after["bytes_in"] == sent, after
    assert after["bytes_out"] == received, after
    assert stats(node, "metered")["running"] == ["notes"]


def test_static_files_are_counted_and_wake_nothing(node, site):
    received = 0
    for path in STATIC:
        response = node.get("metered-site", path)
        assert response.status_code == 200, path
        received += len(response.content)
    assert node.request("metered-site", "HEAD", "/").status_code == 200
    meters = stats(node, "metered-site")["meters"]
    assert meters["requests"] == len(STATIC) + 1, meters
    assert meters["bytes_out"] == received, meters
    assert meters["wakes"] == 0 and meters["bytes_in"] == 0, meters


def test_samples_are_written_every_interval(node, notes):
    stored = node.request("metered", "PUT", "/notes/first", json={"text": "hello"})  # the micro writes to its Base
    assert stored.status_code == 200, stored.text
    live = stats(node, "metered")["meters"]["requests"]
    rows = wait_for(lambda: [r for r in stored_samples(node, notes["id"]) if r["requests"] == live], timeout=10,
                    message="a sample with the latest request count")
    row = rows[-1]
    assert row["wakes"] == 1 and row["sandboxed"] == 0
    assert row["base_bytes"] > 0 and row["drive_bytes"] == 0
    assert {"cpu_seconds", "memory_bytes", "memory_peak_bytes", "bytes_in", "bytes_out", "oom_kills",
            "process_limit_hits"} <= set(row)
    count = len(stored_samples(node, notes["id"]))
    wait_for(lambda: len(stored_samples(node, notes["id"])) > count + 1, timeout=10, message="two more samples")

    history = stats(node, "metered", "--history", "3")["history"]
    assert len(history) == 3
    assert [h["at"] for h in history] == sorted(h["at"] for h in history)
    assert history[-1]["requests"] == live

    text = node.app("stats", "metered", "--history", "2")
    assert text.returncode == 0, text.stderr
    assert "requests" in text.stdout and "Samples of 'metered'" in text.stdout, text.stdout


def test_totals_survive_a_restart_and_show_while_the_node_is_down(node, notes, site):
    node.get("metered", "/")
    before = stats(node, "metered")["meters"]
    node.restart()
    carried = stats(node, "metered")["meters"]
    for name in ("requests", "wakes", "bytes_in", "bytes_out"):
        assert carried[name] == before[name], (name, before, carried)

    node.get("metered", "/")  # the micro wakes again in the new node
    now = stats(node, "metered")["meters"]
    assert now["requests"] == before["requests"] + 1 and now["wakes"] == before["wakes"] + 1, now

    node.stop()  # the last sample is taken as the node stops
    try:
        offline = stats(node, "metered")
        assert offline["live"] is False
        assert offline["meters"]["requests"] == now["requests"], offline
        everything = node.cli_json("app", "stats")
        assert {entry["slug"] for entry in everything} >= {"metered", "metered-site"}
        text = node.app("stats")
        assert text.returncode == 0 and "not running" in text.stdout, text.stdout
    finally:
        node.start()


def test_unknown_instance_fails_clearly(node):
    result = node.app("stats", "nope")
    assert result.returncode != 0 and "No instance 'nope'" in result.stderr, result.stderr
