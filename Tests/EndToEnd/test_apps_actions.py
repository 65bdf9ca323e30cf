"""Scheduled actions (spec §4.6, §5.8): `hearth app trigger`, the owner's
`POST /__space/v0/actions`, and the node's scheduler, which runs a missed action once when the
node is back rather than once per missed interval."""
from __future__ import annotations

import math
import sqlite3
import time
import uuid

import pytest

from apps_helpers import log_lines, module_node, wait_for
from conftest import fetch_all, json_of


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    with module_node(tmp_path_factory, "actions") as n:
        n.instance = n.install_ok("scheduled")
        yield n


def runs(node) -> list[dict]:
    """What the micro recorded (GET / lists its Base `runs`)."""
    return node.get_json("scheduled", "/")


def stored_runs(node, action: str) -> list[dict]:
    """The same records through the Base HTTP API (works without waking the micro)."""
    return [item for item in fetch_all(node.base_of(node.instance["id"], "runs")) if item["id"] == action]


def test_trigger_delivers_the_event(node):
    before = [run for run in runs(node) if run["id"] == "nightly"]
    result = node.app("trigger", "scheduled", "nightly")
    assert result.returncode == 0, result.stderr
    assert "action nightly succeeded: 200" in result.stdout, result.stdout
    after = [run for run in runs(node) if run["id"] == "nightly"]
    assert len(after) == len(before) + 1
    new = [run for run in after if run not in before][0]
    assert new["trigger"] == "schedule"
    assert new["type"] == "application/json"
    log = "\n".join(log_lines(node, "scheduled", "-n", "50"))
    assert "action nightly succeeded" in log, log


def test_trigger_starts_an_asleep_micro(node):
    assert node.app("restart", "scheduled").returncode == 0
    assert node.running("scheduled") == []
    count = len(stored_runs(node, "tick"))
    result = node.app("trigger", "scheduled", "tick")
    assert result.returncode == 0 and "action tick succeeded" in result.stdout, result
    assert len(stored_runs(node, "tick")) >= count + 1  # the scheduler may add its own on a minute boundary
    assert node.running("scheduled") == ["jobs"]


def test_trigger_of_an_unknown_action_fails(node):
    result = node.app("trigger", "scheduled", "no-such-action")
    assert result.returncode != 0
    assert "no-such-action" in result.stderr, result.stderr


def test_owner_post_reaches_the_micro(node):
    event_id = f"owner-{uuid.uuid4().hex[:8]}"
    response = node.request("scheduled", "POST", "/__space/v0/actions",
                            json={"event": {"id": event_id, "trigger": "schedule"}})
    assert json_of(response, 200) == {"ok": True}
    recorded = [run for run in runs(node) if run["id"] == event_id]
    assert len(recorded) == 1 and recorded[0]["trigger"] == "schedule", recorded
    assert recorded[0]["type"] == "application/json"


def test_actions_path_takes_post_only(node):
    response = node.get("scheduled", "/__space/v0/actions")
    assert response.status_code == 405
    assert "POST" in response.headers.get("Allow", "")


def minute_boundaries(start: float, end: float) -> int:
    """Whole UTC minutes that began in (start, end]."""
    return math.floor(end / 60) - math.floor(start / 60)


def test_a_run_missed_while_the_node_was_down_runs_once(node):
    instance_id = node.instance["id"]
    started = time.time()
    before = len(stored_runs(node, "tick"))
    node.stop()
    # The instance was installed, and tick last ran, ten minutes ago: ten `1 minute` runs were
    # missed while the node was down. (Rates count from the install time, so it moves too;
    # nightly is marked as just run so that its cron cannot come due in the rewound window.)
    now = time.time()
    with sqlite3.connect(node.data_dir / "node.sqlite") as db:
        db.execute("UPDATE instances SET created_at = ? WHERE id = ?", (now - 660, instance_id))
        db.executemany("INSERT OR REPLACE INTO action_runs (instance, action, last_run) VALUES (?, ?, ?)",
                       [(instance_id, "tick", now - 600), (instance_id, "nightly", now)])
    node.start()

    wait_for(lambda: len(stored_runs(node, "tick")) > before, 20, "the missed tick to run", interval=0.2)
    # The scheduler checks every 5 s; a catch-up that ran once per missed minute would have shown
    # in the same pass, and one that keeps catching up in the next pass.
    time.sleep(6)
    count = len(stored_runs(node, "tick")) - before
    # Each UTC minute that began meanwhile is a regular run of its own.
    extra = minute_boundaries(started, time.time())
    assert 1 <= count <= 1 + extra, f"{count} tick runs after the restart ({extra} minute boundaries passed)"
    with sqlite3.connect(node.data_dir / "node.sqlite") as db:
        (last_run,) = db.execute("SELECT last_run FROM action_runs WHERE instance = ? AND action = 'tick'",
                                 (instance_id,)).fetchone()
    assert last_run >= started, "the catch-up run was not recorded"
    log = "\n".join(log_lines(node, "scheduled", "-n", "100"))
    assert "action tick succeeded" in log, log
