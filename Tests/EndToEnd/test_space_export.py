"""`hearth space export` / `hearth space import`: node A's space (two instances with
configuration, Base items and Drive files written over HTTP, and a headless collection) moves
to node B, where the apps answer with hash-identical data and new keys; tampered and
truncated archives are refused with nothing made. `hearth app rm --export` keeps a valid copy
before removing; `app rm` without a terminal and --yes removes nothing."""
import json
import subprocess
import zipfile

import pytest
import requests

from apps_helpers import module_node
from conftest import HEARTH_BIN, HTTP_TIMEOUT, BaseClient, put_ok

INSTALL_TIMEOUT = 300
SPACE_MANIFEST = "hearth-space.json"
EXPORT_MANIFEST = "hearth-export.json"


def hearth(node, *args, timeout=INSTALL_TIMEOUT):
    return subprocess.run([HEARTH_BIN, *args, "--data", str(node.data_dir)], capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def data_of(path):
    """The Bases and Drive files of an export archive, as its manifest hashes them."""
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read(EXPORT_MANIFEST))
    return {"bases": manifest["bases"], "drives": manifest["drives"]}


def exported_data(node, target, path):
    result = hearth(node, "export", target, "-o", str(path))
    assert result.returncode == 0, result.stderr
    return data_of(path)


@pytest.fixture(scope="module")
def node_a(tmp_path_factory):
    with module_node(tmp_path_factory, "space-a") as node:
        yield node


@pytest.fixture(scope="module")
def node_b(tmp_path_factory):
    with module_node(tmp_path_factory, "space-b") as node:
        yield node


@pytest.fixture(scope="module")
def space_archive(node_a, tmp_path_factory):
    site = node_a.install_ok("static-site", name="site")
    notes = node_a.install_ok("notes-asgi", name="notes")
    assert node_a.app("env", "notes", "set", "GREETING=bonjour").returncode == 0
    assert hearth(node_a, "app", "key", "create", "notes", "phone").returncode == 0
    put_ok(node_a.base_of(notes["id"], "memos"), {"key": "m1", "text": "héllo ✓"}, {"key": "m2", "n": 12345678901234567890})
    drive = node_a.drive_of(notes["id"], "photos")
    assert drive.put("albums/summer.txt", b"sun").status_code == 201
    assert drive.put("big.bin", bytes(range(256)) * 4000).status_code == 201
    put_ok(node_a.base_of(site["id"], "visits"), {"key": "v1", "count": 3})
    scratch = node_a.create_collection("scratch")
    put_ok(node_a.base(scratch, "todo"), {"key": "t1", "done": False})
    path = tmp_path_factory.mktemp("space-archive") / "home.zip"
    result = hearth(node_a, "space", "export", "default", "-o", str(path))
    assert result.returncode == 0, result.stderr
    assert "Exporting instance 'site'" in result.stderr and "Exporting instance 'notes'" in result.stderr
    assert "2 instances, 1 collections" in result.stdout
    return {"path": path, "site": site, "notes": notes, "scratch": scratch}


def test_archive_lists_everything_and_holds_no_secrets(node_a, space_archive):
    with zipfile.ZipFile(space_archive["path"]) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read(SPACE_MANIFEST))
        everything = b"".join(archive.read(name) for name in names)
    assert names[-1] == SPACE_MANIFEST and "instances/notes/release.zip" in names and "instances/site/data.zip" in names
    notes = next(i for i in manifest["instances"] if i["slug"] == "notes")
    assert notes["env"] == [{"name": "GREETING", "value": "bonjour"}] and notes["app_keys"] == ["phone"]
    assert [c["name"] for c in manifest["collections"]] == ["scratch"]
    assert {e["path"] for e in manifest["entries"]} == set(names) - {SPACE_MANIFEST}
    for secret in (node_a.data_key(space_archive["notes"]["id"]), node_a.data_key(space_archive["site"]["id"]),
                   space_archive["scratch"].data_key):
        assert secret.split("_", 1)[1].encode() not in everything


def test_import_on_a_second_node(node_a, node_b, space_archive, tmp_path):
    result = hearth(node_b, "space", "import", str(space_archive["path"]), "--json")
    assert result.returncode == 0, result.stderr + result.stdout
    summary = json.loads(result.stdout)
    assert summary["space"] == "default"
    instances = {i["slug"]: i for i in summary["instances"]}
    assert set(instances) == {"site", "notes"} and instances["notes"]["app_keys_to_create"] == ["phone"]
    assert [c["name"] for c in summary["collections"]] == ["scratch"]

    assert node_b.get("site", "/").status_code == 200
    assert node_b.micro_env("notes")["GREETING"] == "bonjour"
    for slug in ("site", "notes"):
        assert exported_data(node_b, slug, tmp_path / f"b-{slug}.zip") == exported_data(node_a, slug, tmp_path / f"a-{slug}.zip")
    scratch_b = summary["collections"][0]
    assert (exported_data(node_b, scratch_b["project_id"], tmp_path / "b-scratch.zip")
            == exported_data(node_a, space_archive["scratch"].project_id, tmp_path / "a-scratch.zip"))

    new_notes = node_b.listing("notes")
    old_key = node_a.data_key(space_archive["notes"]["id"])
    assert node_b.data_key(new_notes["id"]) != old_key
    for project in (new_notes["id"], space_archive["notes"]["id"]):
        response = BaseClient(node_b.url, project, old_key, "memos").get("m1")
        assert response.status_code == 401, response.text
    fresh = BaseClient(node_b.url, scratch_b["project_id"], scratch_b["data_key"], "todo").get("t1")
    assert fresh.status_code == 200 and fresh.json()["done"] is False


@pytest.mark.parametrize("damage", ["tampered", "truncated"])
def test_bad_archives_are_refused_with_nothing_made(node_b, space_archive, tmp_path, damage):
    data = bytearray(space_archive["path"].read_bytes())
    if damage == "tampered":
        with zipfile.ZipFile(space_archive["path"]) as archive:
            info = archive.getinfo("instances/notes/data.zip")
        data[info.header_offset + 30 + len(info.filename) + 100] ^= 0x01
    else:
        data = data[: len(data) // 2]
    bad = tmp_path / f"{damage}.zip"
    bad.write_bytes(bytes(data))
    before = sorted(i["slug"] for i in node_b.apps())
    result = hearth(node_b, "space", "import", str(bad), "--name", "other")
    assert result.returncode == 1 and "error:" in result.stderr, result.stderr
    assert "truncated" in result.stderr, result.stderr
    assert sorted(i["slug"] for i in node_b.apps()) == before
    spaces = json.loads(hearth(node_b, "space", "ls", "--json").stdout)
    assert "other" not in [s["id"] for s in spaces]
    assert not (node_b.data_dir / "spaces" / "other").exists()


def test_import_into_a_used_space_is_refused(node_b, space_archive):
    result = hearth(node_b, "space", "import", str(space_archive["path"]))
    assert result.returncode == 1 and "--name" in result.stderr, result.stderr


def test_app_rm_offers_export_and_needs_confirmation(node_b, tmp_path):
    refused = hearth(node_b, "app", "rm", "site")
    assert refused.returncode != 0 and "--yes" in refused.stderr
    assert node_b.listing("site") is not None
    failed = hearth(node_b, "app", "rm", "site", "--yes", "--export", str(tmp_path / "missing-dir" / "x" / "site.zip"))
    assert failed.returncode == 1 and "not removed" in failed.stderr
    assert node_b.listing("site") is not None
    archive = tmp_path / "site.zip"
    removed = hearth(node_b, "app", "rm", "site", "--yes", "--export", str(archive))
    assert removed.returncode == 0, removed.stderr
    assert str(archive) in removed.stdout and node_b.listing("site") is None
    assert [b["name"] for b in data_of(archive)["bases"]] == ["visits"]
    check = hearth(node_b, "import", str(archive), "--name", "site-copy", "--json")
    assert check.returncode == 0, check.stderr
    response = requests.get(f"{node_b.url}/", timeout=HTTP_TIMEOUT)
    assert response.status_code < 500
