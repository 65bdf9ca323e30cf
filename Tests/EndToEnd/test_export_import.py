"""`hearth export` / `hearth import`: a collection's Bases and Drives to one archive and back,
hash-identical on a second node; every kind of bad archive refused with nothing installed; a
Deta Space export zip (spec §6.5) imported and queried."""
import hashlib
import io
import json
import os
import stat
import zipfile

import pytest

from conftest import Collection, json_of, put_ok

MANIFEST = "hearth-export.json"


def fill(node, collection):
    """Items of every JSON kind (and an expiring one) and Drive files, one of a few MB."""
    notes = node.base(collection, "notes")
    put_ok(notes,
           {"key": "a", "n": 1.5, "i": -42, "nested": {"list": [1, {"deep": [None, True]}], "s": "x"}},
           {"key": "b/ü", "text": "héllo ✓ 日本", "__expires": 4102444800},
           {"key": "c", "empty": {}, "arr": []})
    users = node.base(collection, "users")
    for start in range(0, 60, 20):  # Deta takes at most 25 items per PUT
        put_ok(users, *[{"key": f"u{i:03}", "age": i} for i in range(start, start + 20)])
    photos = node.drive(collection, "photos")
    big = os.urandom(3 * 1024 * 1024 + 11)
    files = {"big.bin": big, "albums/2024/summer.txt": "sun".encode(), "name with spaces.txt": b"spaces"}
    for name, content in files.items():
        assert photos.put(name, content).status_code == 201
    return files


def export(node, target, path):
    result = node.cli("export", target, "-o", str(path), "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def import_new(node, path, *args):
    result = node.cli("import", str(path), "--json", *args)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    return Collection(out["collection"], out["project_id"], out["data_key"]), out


def manifest_of(path):
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read(MANIFEST))


def same_content(manifest):
    return {k: manifest[k] for k in ("entries", "bases", "drives")}


def test_round_trip_is_hash_identical_on_a_second_node(node_factory, tmp_path):
    first = node_factory()
    source = first.create_collection()
    files = fill(first, source)
    archive = tmp_path / "notes.zip"
    summary = export(first, source.name, archive)
    assert (summary["items"], summary["bases"], summary["files"], summary["drives"]) == (63, 2, 3, 1), summary

    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        assert {"bases/notes.json", "bases/users.json", "drives/photos/albums/2024/summer.txt", MANIFEST} <= set(names)
        notes = json.loads(zipped.read("bases/notes.json"))
        assert [item["key"] for item in notes] == ["a", "b/ü", "c"]
        assert notes[1]["__expires"] == 4102444800
        assert zipped.read("drives/photos/big.bin") == files["big.bin"]
    manifest = manifest_of(archive)
    assert manifest["source"]["project_id"] == source.project_id
    for entry in manifest["entries"]:
        with zipfile.ZipFile(archive) as zipped:
            assert hashlib.sha256(zipped.read(entry["path"])).hexdigest() == entry["sha256"]

    second = node_factory()
    copy, out = import_new(second, archive)
    assert copy.name == source.name and out["items"] == 63

    for base in ("notes", "users"):
        for key in ("a", "b/ü", "c", "u000", "u059"):
            a, b = first.base(source, base).get(key), second.base(copy, base).get(key)
            assert (a.status_code, a.content) == (b.status_code, b.content), key
        qa = first.base(source, base).query({"query": [], "limit": 1000})
        qb = second.base(copy, base).query({"query": [], "limit": 1000})
        assert json_of(qa, 200) == json_of(qb, 200)
    for name, content in files.items():
        got = second.drive(copy, "photos").get(name)
        assert got.status_code == 200 and got.content == content, name
    assert json_of(first.drive(source, "photos").list(), 200) == json_of(second.drive(copy, "photos").list(), 200)

    again = tmp_path / "again.zip"
    export(second, copy.name, again)
    assert same_content(manifest_of(again)) == same_content(manifest)
    with zipfile.ZipFile(archive) as a, zipfile.ZipFile(again) as b:
        for name in names:
            if name != MANIFEST:
                assert a.read(name) == b.read(name), name


def test_import_into_an_existing_collection_needs_replace_for_names_that_hold_data(node_factory, tmp_path):
    node = node_factory()
    source = node.create_collection()
    fill(node, source)
    archive = tmp_path / "a.zip"
    export(node, source.name, archive)
    target = node.create_collection()
    put_ok(node.base(target, "notes"), {"key": "mine"})

    refused = node.cli("import", str(archive), "--into", target.name)
    assert refused.returncode == 1
    assert "Base 'notes'" in refused.stderr and "--replace" in refused.stderr
    assert node.drive(target, "photos").get("big.bin").status_code == 404

    done = node.cli("import", str(archive), "--into", target.name, "--replace")
    assert done.returncode == 0, done.stderr
    assert node.base(target, "notes").get("mine").status_code == 404
    assert node.base(target, "notes").get("a").status_code == 200


def rewrite(good, bad, change):
    """Copies the archive `good` to `bad` entry by entry, through `change(list of (info, data))`."""
    with zipfile.ZipFile(good) as source:
        entries = [(info, source.read(info.filename)) for info in source.infolist()]
    entries = change(entries) or entries
    with zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            target.writestr(info, data)


def extra(name, data=b"x", mode=None):
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED  # a ZipInfo is stored uncompressed unless told
    if mode is not None:
        info.create_system = 3
        info.external_attr = mode << 16
    return info, data


def flip(entries):
    for i, (info, data) in enumerate(entries):
        if info.filename == "drives/photos/big.bin":
            entries[i] = (info, data[:500] + bytes([data[500] ^ 1]) + data[501:])


def drop_entry(entries):
    return [e for e in entries if e[0].filename != "drives/photos/albums/2024/summer.txt"]


TAMPERING = {
    "flipped byte": (flip, "does not match its size and SHA-256"),
    "manifest lists a missing entry": (drop_entry, "which the archive lacks"),
    "entry missing from the manifest": (lambda e: e + [extra("drives/photos/extra.txt")], "is not in the manifest"),
    "parent path": (lambda e: [extra("../evil.txt")] + e, "Unsafe entry path '../evil.txt'"),
    "absolute path": (lambda e: [extra("/tmp/evil.txt")] + e, "Unsafe entry path '/tmp/evil.txt'"),
    "symlink": (lambda e: [extra("drives/photos/link", b"/etc/passwd", stat.S_IFLNK | 0o777)] + e, "symbolic link"),
    "duplicate": (lambda e: e + [e[0]], "appears more than once"),
    "zip bomb": (lambda e: [extra("drives/photos/zeros", bytes(64 * 1024 * 1024))] + e, "archive bomb"),
}


@pytest.fixture
def exported(node_factory, tmp_path):
    node = node_factory()
    fill(node, node.create_collection())
    archive = tmp_path / "good.zip"
    export(node, node.cli_json("collection", "ls")[0]["name"], archive)
    return node, archive


@pytest.mark.parametrize("case", sorted(TAMPERING))
def test_tampered_archives_are_refused_and_nothing_is_installed(exported, tmp_path, case):
    node, good = exported
    change, message = TAMPERING[case]
    bad = tmp_path / "bad.zip"
    rewrite(good, bad, change)
    before = node.cli_json("collection", "ls")
    result = node.cli("import", str(bad))
    assert result.returncode == 1, result.stdout
    assert result.stderr.startswith("error: ") and message in result.stderr, result.stderr
    assert node.cli_json("collection", "ls") == before
    assert not any(p.name.endswith(".partial") for p in tmp_path.iterdir())


def test_truncated_archive_is_refused(exported, tmp_path):
    node, good = exported
    bad = tmp_path / "cut.zip"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    before = node.cli_json("collection", "ls")
    result = node.cli("import", str(bad))
    assert result.returncode == 1
    assert "not a zip archive, or it is truncated" in result.stderr, result.stderr
    assert node.cli_json("collection", "ls") == before


def test_items_breaking_deta_rules_are_refused_with_base_and_key(node_factory, tmp_path):
    node = node_factory()
    bad = tmp_path / "deta.zip"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("bases/ok.json", json.dumps([{"key": "fine"}]))
        archive.writestr("bases/todos.json", json.dumps([{"key": "big", "v": "x" * (500 * 1024)}]))
    result = node.cli("import", str(bad))
    assert result.returncode == 1
    assert "Base 'todos', key 'big'" in result.stderr and "400 KB" in result.stderr, result.stderr
    assert node.cli_json("collection", "ls") == []


def test_a_deta_space_export_imports_and_is_queried(node_factory, tmp_path):
    node = node_factory()
    fixture = tmp_path / "deta-export.zip"
    photo = os.urandom(200_000)
    with zipfile.ZipFile(fixture, "w", zipfile.ZIP_DEFLATED) as archive:
        # Deta's layout (spec §6.5): one JSON file per Base, one folder per Drive.
        archive.writestr("bases/todos.json", json.dumps([
            {"key": "t2", "title": "walk", "done": True, "tags": ["out"]},
            {"key": "t1", "title": "write", "done": False, "tags": ["desk", "work"], "__expires": 4102444800},
        ], indent=2))
        archive.writestr("bases/users.json", json.dumps({"items": [{"key": "ana", "age": 31, "profile": {"city": "Oslo"}}]}))
        archive.writestr("drives/files/", b"")
        archive.writestr("drives/files/docs/readme.md", "# Notes ✓\n")
        archive.writestr("drives/files/photo.png", photo)

    collection, out = import_new(node, fixture, "--name", "from-deta")
    assert collection.name == "from-deta" and (out["bases"], out["items"], out["files"]) == (2, 3, 2), out

    todos = node.base(collection, "todos")
    found = json_of(todos.query({"query": [{"done": False}]}), 200)
    assert found["items"] == [{"key": "t1", "title": "write", "done": False, "tags": ["desk", "work"], "__expires": 4102444800}]
    tagged = json_of(todos.query({"query": [{"tags?contains": "out"}]}), 200)
    assert [item["key"] for item in tagged["items"]] == ["t2"]
    assert json_of(node.base(collection, "users").query({"query": [{"profile.city": "Oslo"}]}), 200)["items"][0]["key"] == "ana"

    files = node.drive(collection, "files")
    readme = files.get("docs/readme.md")
    assert readme.status_code == 200 and readme.content == "# Notes ✓\n".encode()
    image = files.get("photo.png")
    assert image.status_code == 200 and image.content == photo
    assert image.headers["Content-Type"].startswith("image/png")
    assert json_of(files.list(), 200)["names"] == ["docs/readme.md", "photo.png"]
