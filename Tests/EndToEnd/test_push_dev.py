"""The developer loop on a local node: `hearth push` installs an app directory as its builder
instance and updates it on later pushes, keeping its data; `hearth dev` runs a dev instance with
its own data and rebuilds it when a file changes."""
import json
import shutil
import subprocess
import time

import pytest

from apps_helpers import FIXTURES, module_node
from conftest import HEARTH_BIN
from test_releases import hearth
from test_update import heading, set_heading


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    with module_node(tmp_path_factory, "push") as node:
        yield node


@pytest.fixture
def app_dir(tmp_path):
    directory = tmp_path / "notes"
    shutil.copytree(FIXTURES / "notes-asgi", directory)
    return directory


def push(node, app_dir, *extra):
    return hearth(node, "push", str(app_dir), "--json", *extra)


def test_push_installs_then_updates_the_builder_instance(node, app_dir):
    first = push(node, app_dir, "--name", "builder")
    assert first.returncode == 0, first.stderr
    pushed = json.loads(first.stdout)
    assert pushed["slug"] == "builder"
    project = json.loads((app_dir / ".hearth/project.json").read_text())
    assert list(project["builders"].values()) == [pushed["id"]]
    assert node.request("builder", "PUT", "/notes/kept", json={"v": 1}).status_code == 200

    set_heading(app_dir, "Pushed again")
    second = push(node, app_dir)
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout)["id"] == pushed["id"]
    assert heading(node, "builder") == "Pushed again"
    assert node.get_json("builder", "/notes/kept") == {"v": 1, "key": "kept"}
    listing = node.listing("builder")
    assert listing["previous"] is not None and listing["deployment"] != ""
    # The project file stays out of the installed copy.
    app_copy = node.instance_dir(pushed["id"]) / "deployments" / listing["deployment"] / "app"
    assert (app_copy / "Spacefile").exists() and not (app_copy / ".hearth").exists()
    assert len([app for app in node.apps() if app["app_name"] == listing["app_name"]]) == 1


def test_push_after_the_instance_was_removed_installs_anew(node, app_dir):
    first = json.loads(push(node, app_dir, "--name", "gone").stdout)
    removed = node.app("rm", first["slug"], "--yes")
    assert removed.returncode == 0, removed.stderr
    again = push(node, app_dir, "--name", "gone")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["id"] != first["id"]
    assert "gone from this node" in again.stderr


def test_push_of_a_broken_app_changes_nothing(node, app_dir):
    before = node.apps()
    (app_dir / "Spacefile").write_text("v: 0\nmicros:\n  - name: x\n    engine: cobol\n")
    result = push(node, app_dir)
    assert result.returncode == 1 and "error" in result.stderr
    assert node.apps() == before
    assert not (app_dir / ".hearth").exists()


def read_until(process, marker, timeout=300):
    deadline, lines = time.monotonic() + timeout, []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if marker in line:
            return lines
    raise AssertionError(f"no {marker!r} in hearth dev output:\n{''.join(lines)}")


def test_dev_reloads_on_change_with_its_own_data(node, app_dir):
    builder = json.loads(push(node, app_dir, "--name", "devbuilder").stdout)
    process = subprocess.Popen([HEARTH_BIN, "dev", str(app_dir), "--interval", "0.2", "--data", str(node.data_dir)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = read_until(process, "Watching")
        slug = next(line for line in lines if line.startswith("Dev instance")).split("'")[1]
        assert slug.endswith("-dev") and slug != builder["slug"]
        assert heading(node, slug) == "Notes"
        assert node.request(slug, "PUT", "/notes/dev-only", json={"dev": True}).status_code == 200

        set_heading(app_dir, "Changed while watching")
        read_until(process, "Reloaded", timeout=120)
        assert heading(node, slug) == "Changed while watching"
        assert node.get_json(slug, "/notes/dev-only") == {"dev": True, "key": "dev-only"}
        # The dev instance's data is its own.
        assert node.get(builder["slug"], "/notes/dev-only").status_code == 404
        project = json.loads((app_dir / ".hearth/project.json").read_text())
        assert list(project["dev"].values()) == [node.listing(slug)["id"]]
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_dev_needs_a_running_node(tmp_path, app_dir):
    result = subprocess.run([HEARTH_BIN, "dev", str(app_dir), "--data", str(tmp_path / "none")], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode != 0 and "hearth serve" in result.stderr
