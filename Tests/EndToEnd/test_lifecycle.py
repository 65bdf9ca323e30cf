"""The whole app lifecycle across three nodes, as the issue's "done when" tells it: a developer
runs `hearth new`, `hearth push` and `hearth release --listed` on their node; a second person on
another node installs the release by its URL, uses the app, and exports their data; the export
is imported on a third node into the same app, byte for byte."""
import json
import os
import subprocess
import zipfile

import pytest
import requests

from apps_helpers import module_node
from conftest import CLI_TIMEOUT, HEARTH_BIN, HTTP_TIMEOUT
from test_releases import hearth

MANIFEST = "hearth-export.json"


@pytest.fixture(scope="module")
def developer(tmp_path_factory):
    with module_node(tmp_path_factory, "developer") as node:
        yield node


@pytest.fixture(scope="module")
def person(tmp_path_factory):
    with module_node(tmp_path_factory, "person") as node:
        yield node


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory):
    with module_node(tmp_path_factory, "elsewhere") as node:
        yield node


def ok(result):
    assert result.returncode == 0, f"{result.args}\n{result.stderr}\n{result.stdout}"
    return result


def export_manifest(node, instance, path):
    ok(hearth(node, "export", instance, "-o", str(path)))
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read(MANIFEST)), {name: archive.read(name) for name in archive.namelist()
                                                    if name.startswith(("bases/", "drives/"))}


def test_new_push_release_install_use_export_import(developer, person, elsewhere, tmp_path):
    # The developer: a new app, pushed to their node and released, listed.
    app = tmp_path / "jotter"
    created = ok(subprocess.run([HEARTH_BIN, "new", str(app), "--template", "python"], capture_output=True, text=True,
                                timeout=CLI_TIMEOUT))
    assert "hearth app install ." in created.stdout
    pushed = json.loads(ok(hearth(developer, "push", str(app), "--json")).stdout)
    assert developer.get(pushed["slug"], "/").status_code == 200
    release = json.loads(ok(hearth(developer, "release", pushed["slug"], "--version", "1.0.0", "--listed", "--json")).stdout)
    catalogue = requests.get(f"{developer.url}/discover.json", timeout=HTTP_TIMEOUT).json()
    assert release["id"] in json.dumps(catalogue)
    url = f"http://127.0.0.1:{developer.port}/releases/{release['id']}.zip"

    # The second person: installs it by URL, after seeing who published it, and uses it.
    installed = ok(hearth(person, "install", url, "--yes", "--json"))
    assert release["fingerprint"] in installed.stderr
    mine = json.loads(installed.stdout)
    for text in ("water the plants", "call Ada", "ünïcode ✓"):
        answer = person.request(mine["slug"], "POST", "/api/items", json={"text": text})
        assert answer.status_code == 201, answer.text
    assert sorted(item["text"] for item in person.get_json(mine["slug"], "/api/items")) == sorted(
        ["water the plants", "call Ada", "ünïcode ✓"])
    photo = os.urandom(300_000)
    assert person.drive_of(mine["id"], "photos").put("garden/rose.jpg", photo).status_code == 201

    # Their data leaves in one archive, and arrives on a third node in the same app.
    exported, contents = export_manifest(person, mine["slug"], tmp_path / "mine.zip")
    there = json.loads(ok(hearth(elsewhere, "install", url, "--yes", "--json")).stdout)
    ok(hearth(elsewhere, "import", str(tmp_path / "mine.zip"), "--into", there["slug"], "--replace"))
    assert sorted(item["text"] for item in elsewhere.get_json(there["slug"], "/api/items")) == sorted(
        ["water the plants", "call Ada", "ünïcode ✓"])
    download = elsewhere.drive_of(there["id"], "photos").request("GET", "/files/download", params={"name": "garden/rose.jpg"})
    assert download.status_code == 200 and download.content == photo

    # Byte for byte: the third node's export holds the same Bases and files as the second's.
    again, again_contents = export_manifest(elsewhere, there["slug"], tmp_path / "again.zip")
    assert again["bases"] == exported["bases"] and again["drives"] == exported["drives"]
    assert again_contents == contents
