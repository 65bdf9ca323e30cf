"""How Drive keeps files on disk: encrypted blobs, integrity checks, crash safety, the storage
quota, expiry of abandoned uploads and the node master key.

Layout under test: blobs at <data>/spaces/default/collections/<projectId>/drive/blobs/<2 hex>/<id>
(48-byte header starting with `HRTHBLB1`, then AES-GCM chunks of 64 KiB plus a 16-byte tag),
metadata in that collection's data.sqlite, the master key at <data>/secrets/master.key.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import threading
from pathlib import Path

import pytest
import requests

from conftest import DriveClient, assert_errors, describe, json_of, wait_for

MiB = 1024 * 1024
HEADER = 48
CHUNK = 64 * 1024
TAG = 16
SEALED = CHUNK + TAG
MAGIC = b"HRTHBLB1"
INTEGRITY = "The file failed its integrity check"
QUOTA_FULL = "The collection's storage quota is full"


# ----- helpers -------------------------------------------------------------------------------------

def pattern(size: int, seed: int = 0) -> bytes:
    out, counter = bytearray(), 0
    while len(out) < size:
        out += hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        counter += 1
    return bytes(out[:size])


def put_ok(drive: DriveClient, name: str, data: bytes, content_type: str | None = None) -> None:
    assert json_of(drive.put(name, data, content_type), 201)["name"] == name


def download(drive: DriveClient, name: str) -> bytes:
    resp = drive.get(name)
    assert resp.status_code == 200, describe(resp)
    return resp.content


def names(drive: DriveClient) -> list[str]:
    return json_of(drive.list(), 200)["names"]


def chunked_put(drive: DriveClient, name: str, parts: list[bytes]) -> None:
    upload_id = json_of(drive.start_upload(name), 202)["upload_id"]
    for number, data in enumerate(parts, start=1):
        json_of(drive.upload_part(upload_id, name, number, data), 200)
    json_of(drive.complete(upload_id, name), 200)


def blob_length(size: int) -> int:
    """The length on disk of a blob holding `size` bytes (at least one chunk, even when empty)."""
    chunks = max(1, -(-size // CHUNK))
    return HEADER + size + chunks * TAG


def new_blob(node, collection, before: set[Path]) -> Path:
    added = node.blob_files(collection) - before
    assert len(added) == 1, f"expected one new blob file, found {sorted(map(str, added))}"
    return added.pop()


def flip_byte(path: Path, offset: int) -> None:
    with open(path, "r+b") as f:
        f.seek(offset)
        byte = f.read(1)
        assert len(byte) == 1, f"{path} is shorter than {offset + 1} bytes"
        f.seek(offset)
        f.write(bytes([byte[0] ^ 0x40]))


def wait_for_log(node, text: str, timeout: float = 10) -> None:
    wait_for(lambda: text in node.stderr_text(), timeout, f"{text!r} in the node's stderr\n{node.logs()}")


def read_stream(resp: requests.Response) -> tuple[bytes, Exception | None]:
    """The body a streamed response delivered, and the error that cut it short, if any."""
    body = bytearray()
    try:
        for chunk in resp.iter_content(chunk_size=64 * 1024):
            body += chunk
    except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError) as error:
        return bytes(body), error
    return bytes(body), None


def all_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


# ----- layout and plaintext --------------------------------------------------------------------------

def test_blob_files_follow_files_uploads_and_deletes(node_factory):
    node = node_factory()
    collection = node.create_collection()
    drive = node.drive(collection)
    assert node.blob_files(collection) == set()

    small = pattern(100_000, seed=1)
    put_ok(drive, "a.txt", small)
    a_blob = new_blob(node, collection, set())
    assert a_blob.parent.name == a_blob.name[:2] and len(a_blob.name) == 32
    assert all(c in "0123456789abcdef" for c in a_blob.name)
    assert a_blob.parent.parent == node.collection_dir(collection) / "drive" / "blobs"
    assert a_blob.read_bytes()[:8] == MAGIC
    assert a_blob.stat().st_size == blob_length(len(small))

    parts = [pattern(CHUNK * 3, seed=2), pattern(5, seed=3), b""]
    chunked_put(drive, "b.bin", parts)
    b_blobs = node.blob_files(collection) - {a_blob}
    assert sorted(p.stat().st_size for p in b_blobs) == sorted(blob_length(len(p)) for p in parts)
    assert all(p.read_bytes()[:8] == MAGIC for p in b_blobs)

    put_ok(drive, "a.txt", b"replaced")  # overwriting drops the old blob
    after = node.blob_files(collection)
    assert a_blob not in after and b_blobs <= after and len(after) == 4

    upload_id = json_of(drive.start_upload("c.bin"), 202)["upload_id"]
    json_of(drive.upload_part(upload_id, "c.bin", 1, b"part"), 200)
    assert len(node.blob_files(collection)) == 5
    json_of(drive.abort(upload_id, "c.bin"), 200)  # aborting drops the part blobs
    assert node.blob_files(collection) == after

    json_of(drive.delete_many(["b.bin"]), 200)
    remaining = node.blob_files(collection)
    assert len(remaining) == 1 and not remaining & b_blobs
    assert download(drive, "a.txt") == b"replaced"


def test_metadata_rows_in_collection_database(node_factory):
    node = node_factory()
    collection = node.create_collection()
    drive = node.drive(collection)
    data = pattern(200_000, seed=4)
    put_ok(drive, "meta/x.json", data)
    chunked_put(drive, "meta/y", [data[:70_000], data[70_000:]])
    database = node.collection_dir(collection) / "data.sqlite"
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT name, size, content_type, sha256 FROM drive_files ORDER BY name").fetchall()
        blobs = db.execute("SELECT file, part, size FROM drive_blobs ORDER BY file, part").fetchall()
        uploads = db.execute("SELECT count(*) FROM drive_uploads").fetchone()[0]
    digest = hashlib.sha256(data).hexdigest()
    assert rows == [("meta/x.json", 200_000, "application/json", digest),
                    ("meta/y", 200_000, "application/octet-stream", digest)]
    assert blobs == [("meta/x.json", 1, 200_000), ("meta/y", 1, 70_000), ("meta/y", 2, 130_000)]
    assert uploads == 0


def test_plaintext_never_reaches_the_disk(node_factory):
    node = node_factory()
    collection = node.create_collection()
    drive = node.drive(collection)
    marker = b"PLAINTEXT-CANARY-7d41b0:"
    secret = (marker * (3_000_000 // len(marker) + 1))[:3_000_000]
    put_ok(drive, "single.txt", secret)
    chunked_put(drive, "chunked.txt", [secret[:1_500_000], secret[1_500_000:]])
    upload_id = json_of(drive.start_upload("pending.txt"), 202)["upload_id"]
    json_of(drive.upload_part(upload_id, "pending.txt", 1, secret[:500_000]), 200)
    assert download(drive, "single.txt") == secret
    assert download(drive, "chunked.txt") == secret

    def scan(running: bool):
        files = all_files(node.data_dir)
        if running:
            assert any(p.name == "data.sqlite-wal" for p in files), "expected the collection's WAL file to scan"
        assert len(node.blob_files(collection)) == 4
        leaks = [str(p) for p in files if marker[:16] in p.read_bytes()]
        assert not leaks, f"plaintext found in {leaks}"

    scan(running=True)  # while the node runs (WAL not checkpointed)
    node.stop()
    scan(running=False)  # and after a clean shutdown


# ----- tampering ---------------------------------------------------------------------------------------

def test_flipped_byte_fails_only_the_ranges_that_touch_it(node_factory):
    node = node_factory()
    collection = node.create_collection()
    drive = node.drive(collection)
    data = pattern(MiB + 500_000, seed=5)
    put_ok(drive, "t.bin", data)
    blob = new_blob(node, collection, set())
    assert node.stderr_text().count("drive.integrity") == 0
    damaged = 5  # chunk index
    flip_byte(blob, HEADER + damaged * SEALED + 100)

    assert_errors(drive.get("t.bin"), 500, INTEGRITY)
    wait_for_log(node, "drive.integrity")
    touching = [f"bytes={damaged * CHUNK + 50}-{damaged * CHUNK + 60}", f"bytes={damaged * CHUNK - 1}-{damaged * CHUNK}",
                f"bytes={damaged * CHUNK + CHUNK - 1}-", f"bytes=0-{damaged * CHUNK}"]
    for header in touching:
        assert_errors(drive.get("t.bin", range=header), 500, INTEGRITY)
    clean = [(0, damaged * CHUNK - 1), (damaged * CHUNK + CHUNK, len(data) - 1), (10, 20), (len(data) - 5, len(data) - 1)]
    for first, last in clean:
        resp = drive.get("t.bin", range=f"bytes={first}-{last}")
        assert resp.status_code == 206, describe(resp)
        assert resp.content == data[first:last + 1]

    # The node carries on: other files are fine, and re-uploading heals the name.
    put_ok(drive, "other.bin", b"fine")
    assert download(drive, "other.bin") == b"fine"
    put_ok(drive, "t.bin", data)
    assert download(drive, "t.bin") == data


def test_damage_deep_in_a_file_cuts_the_download_before_the_bad_bytes(node_factory):
    node = node_factory()
    collection = node.create_collection()
    drive = node.drive(collection)
    data = pattern(6 * MiB, seed=6)
    put_ok(drive, "deep.bin", data)
    blob = new_blob(node, collection, set())
    damaged = (4 * MiB) // CHUNK  # the chunk starting at 4 MiB
    flip_byte(blob, HEADER + damaged * SEALED + 1000)

    resp = drive.get("deep.bin", stream=True)
    with resp:
        assert resp.status_code == 200, describe(resp)  # the first MiB was fine
        body, error = read_stream(resp)
    assert error is not None, f"the download of a damaged file completed ({len(body)} bytes)"
    assert len(body) <= 4 * MiB, f"{len(body)} bytes delivered, past the damaged chunk at {4 * MiB}"
    assert body == data[:len(body)], "the truncated download holds wrong bytes"
    wait_for_log(node, "drive.integrity")

    # A range whose first MiB is clean is cut too; one whose first MiB is damaged is a 500.
    resp = drive.get("deep.bin", range=f"bytes={3 * MiB}-", stream=True)
    with resp:
        assert resp.status_code == 206, describe(resp)
        body, error = read_stream(resp)
    assert error is not None and len(body) <= MiB and body == data[3 * MiB:3 * MiB + len(body)]
    assert_errors(drive.get("deep.bin", range=f"bytes={3 * MiB + MiB // 2}-"), 500, INTEGRITY)
    for first, last in ((0, 4 * MiB - 1), (4 * MiB + CHUNK, 6 * MiB - 1)):
        resp = drive.get("deep.bin", range=f"bytes={first}-{last}")
        assert resp.status_code == 206 and resp.content == data[first:last + 1], describe(resp)


@pytest.mark.parametrize("damage", ["magic", "chunk size", "salt", "tag of last chunk", "truncated", "extended",
                                    "deleted"])
def test_damaged_blob_structure_is_500(node_factory, damage):
    node = node_factory()
    collection = node.create_collection()
    drive = node.drive(collection)
    data = pattern(3 * CHUNK + 10, seed=7)
    put_ok(drive, "s.bin", data)
    blob = new_blob(node, collection, set())
    size = blob.stat().st_size
    if damage == "magic":
        flip_byte(blob, 0)
    elif damage == "chunk size":
        flip_byte(blob, 9)
    elif damage == "salt":
        flip_byte(blob, 20)
    elif damage == "tag of last chunk":
        flip_byte(blob, size - 1)
    elif damage == "deleted":
        blob.unlink()
    elif damage == "truncated":
        os.truncate(blob, size - (10 + TAG))  # the short last chunk dropped exactly
    else:
        with open(blob, "ab") as f:
            f.write(b"\0" * 100)
    assert_errors(drive.get("s.bin"), 500)
    wait_for_log(node, "drive.blob_missing" if damage == "deleted" else "drive.integrity")
    first_chunk = drive.get("s.bin", range="bytes=0-0")
    if damage == "tag of last chunk":  # the damage is in the last chunk only
        assert first_chunk.status_code == 206 and first_chunk.content == data[:1], describe(first_chunk)
        assert_errors(drive.get("s.bin", range="bytes=-1"), 500, INTEGRITY)
    else:  # the whole blob is unusable
        assert_errors(first_chunk, 500)


def test_blob_copied_over_another_does_not_open(node_factory):
    """Each blob has its own key: a blob copied under another id fails instead of serving foreign bytes."""
    node = node_factory()
    collection = node.create_collection()
    drive = node.drive(collection)
    first, second = pattern(100_000, seed=8), pattern(100_000, seed=9)
    put_ok(drive, "first", first)
    first_blob = new_blob(node, collection, set())
    put_ok(drive, "second", second)
    second_blob = new_blob(node, collection, {first_blob})
    shutil.copyfile(first_blob, second_blob)
    assert_errors(drive.get("second"), 500, INTEGRITY)
    assert download(drive, "first") == first


# ----- crashes ------------------------------------------------------------------------------------------

def stalled_upload(drive: DriveClient, name: str, prefix: bytes, rest: bytes = b"never acknowledged"):
    """Starts a single POST (no declared length) in a thread that sends `prefix`, blocks until
    the returned gate is set, then sends `rest`. The outcome dict gets "response" or "error"."""
    gate, outcome = threading.Event(), {}

    def body():
        for offset in range(0, len(prefix), MiB):
            yield prefix[offset:offset + MiB]
        gate.wait(120)
        yield rest

    def run():
        try:
            outcome["response"] = drive.put(name, body(), timeout=120)
        except requests.RequestException as error:
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return gate, thread, outcome


@pytest.mark.parametrize("existed", [True, False], ids=["replacing", "new name"])
def test_kill_during_single_upload_leaves_old_file_or_none(node_factory, existed):
    node = node_factory()
    collection = node.create_collection()
    drive = node.drive(collection)
    old = pattern(2 * MiB + 3, seed=10)
    put_ok(drive, "other.txt", b"bystander")
    if existed:
        put_ok(drive, "doc.bin", old)
    before_names = names(drive)
    before_blobs = node.blob_files(collection)

    gate, thread, outcome = stalled_upload(drive, "doc.bin", pattern(4 * MiB, seed=11))
    try:
        # Wait until the server is writing the new blob (it flushes a MiB at a time).
        wait_for(lambda: [p for p in node.blob_files(collection) - before_blobs if p.stat().st_size >= 2 * MiB],
                 30, "the stalled upload's blob to grow")
        node.kill()
    finally:
        gate.set()
        thread.join(timeout=60)
    assert not thread.is_alive()
    assert "response" not in outcome, f"the upload was acknowledged: {describe(outcome['response'])}"

    node.start()
    drive = node.drive(collection, drive.name)
    assert names(drive) == before_names
    if existed:
        resp = drive.get("doc.bin")
        assert resp.status_code == 200 and resp.content == old, describe(resp)
        assert resp.headers["ETag"] == f'"{hashlib.sha256(old).hexdigest()}"'
    else:
        assert_errors(drive.get("doc.bin"), 404)
    assert download(drive, "other.txt") == b"bystander"
    # The name is usable again.
    put_ok(drive, "doc.bin", b"after the crash")
    assert download(drive, "doc.bin") == b"after the crash"


@pytest.mark.parametrize("existed", [True, False], ids=["replacing", "new name"])
def test_kill_between_parts_leaves_old_file_or_none(node_factory, existed):
    node = node_factory()
    collection = node.create_collection()
    drive = node.drive(collection)
    old = pattern(MiB + 7, seed=12)
    if existed:
        put_ok(drive, "movie.mp4", old)
    before_names = names(drive)

    upload_id = json_of(drive.start_upload("movie.mp4"), 202)["upload_id"]
    for number in (1, 2):
        json_of(drive.upload_part(upload_id, "movie.mp4", number, pattern(3 * MiB, seed=20 + number)), 200)
    node.kill()
    node.start()
    drive = node.drive(collection, drive.name)
    assert names(drive) == before_names
    if existed:
        resp = drive.get("movie.mp4")
        assert resp.status_code == 200 and resp.content == old, describe(resp)
        assert resp.headers["Content-Type"] == "video/mp4"
    else:
        assert_errors(drive.get("movie.mp4"), 404)


# ----- quota ----------------------------------------------------------------------------------------------

def test_quota_refuses_uploads_that_would_pass_it_and_leaves_nothing_behind(node_factory):
    node = node_factory(args=["--drive-quota", "5MB"])
    collection = node.create_collection()
    drive = node.drive(collection)
    put_ok(drive, "a.bin", pattern(3_000_000, seed=30))
    state = (names(drive), node.blob_files(collection))

    def unchanged():
        assert (names(drive), node.blob_files(collection)) == state

    assert_errors(drive.put("b.bin", b"\1" * 3_000_000), 507, QUOTA_FULL)
    unchanged()
    assert_errors(drive.put("a.bin", b"\1" * 2_500_000), 507, QUOTA_FULL)  # an overwrite is refused too...
    assert download(drive, "a.bin") == pattern(3_000_000, seed=30)  # ...and the old file stays
    unchanged()
    # Without a declared length the limit holds while the body streams.
    assert_errors(drive.put("b.bin", iter([b"\2" * 1_000_000] * 3)), 507, QUOTA_FULL)
    unchanged()
    # Another drive of the same collection shares the quota.
    other = node.drive(collection)
    assert_errors(other.put("b.bin", b"\1" * 2_000_001), 507, QUOTA_FULL)
    assert names(other) == []
    unchanged()

    # Chunked: parts count as they arrive; the part that passes the quota is refused alone.
    upload_id = json_of(drive.start_upload("c.bin"), 202)["upload_id"]
    json_of(drive.upload_part(upload_id, "c.bin", 1, b"\3" * 1_500_000), 200)
    with_part = node.blob_files(collection)
    assert_errors(drive.upload_part(upload_id, "c.bin", 2, b"\3" * 1_500_000), 507, QUOTA_FULL)
    assert node.blob_files(collection) == with_part and names(drive) == state[0]
    json_of(drive.abort(upload_id, "c.bin"), 200)
    unchanged()

    # The refused uploads used nothing: exactly what is left still fits, one byte more does not.
    put_ok(drive, "fill.bin", b"\4" * 2_000_000)
    assert_errors(drive.put("one.bin", b"\5"), 507, QUOTA_FULL)
    put_ok(drive, "empty.bin", b"")
    assert names(drive) == ["a.bin", "empty.bin", "fill.bin"]

    # The quota holds across a restart, and deleting frees space.
    node.restart()
    drive = node.drive(collection, drive.name)
    assert_errors(drive.put("one.bin", b"\5"), 507, QUOTA_FULL)
    json_of(drive.delete_many(["a.bin"]), 200)
    put_ok(drive, "b.bin", b"\6" * 3_000_000)
    assert download(drive, "fill.bin") == b"\4" * 2_000_000

    # Quotas are per collection.
    second = node.create_collection()
    put_ok(node.drive(second), "big.bin", b"\7" * 4_000_000)


def test_concurrent_uploads_cannot_pass_the_quota_together(node_factory):
    """Two uploads that each fit, but not both: the quota holds for the pair, not just each alone."""
    node = node_factory(args=["--drive-quota", "5MB"])
    collection = node.create_collection()
    drive = node.drive(collection)
    uploads = [stalled_upload(node.drive(collection, drive.name), f"half{i}.bin", b"\1" * 1_500_000, b"\2" * 1_500_000)
               for i in range(2)]
    try:
        # Both uploads are streaming into their blobs before either finishes.
        wait_for(lambda: len([p for p in node.blob_files(collection) if p.stat().st_size >= MiB]) == 2,
                 30, "both uploads to be writing")
    finally:
        for gate, _, _ in uploads:
            gate.set()
        for _, thread, _ in uploads:
            thread.join(timeout=60)
    accepted = []
    for i, (_, _, outcome) in enumerate(uploads):
        if "response" in outcome:  # a refusal may also show as a connection closed mid-body
            resp = outcome["response"]
            assert resp.status_code in (201, 507), describe(resp)
            if resp.status_code == 507:
                assert_errors(resp, 507, QUOTA_FULL)
            else:
                accepted.append(f"half{i}.bin")
    stored = names(drive)
    sizes = [len(download(drive, name)) for name in stored]
    assert sum(sizes) <= 5_000_000, f"{stored} accepted: {sum(sizes)} bytes stored under a 5 MB quota"
    assert stored == accepted
    assert len(node.blob_files(collection)) == len(stored)  # the refused upload left no blob behind


@pytest.mark.parametrize("flag, quota", [("3MiB", 3 * MiB), ("1000000", 1_000_000), ("2MB", 2_000_000)])
def test_quota_sizes(node_factory, flag, quota):
    node = node_factory(args=["--drive-quota", flag])
    collection = node.create_collection()
    drive = node.drive(collection)
    assert_errors(drive.put("over.bin", b"\0" * (quota + 1)), 507, QUOTA_FULL)
    put_ok(drive, "exact.bin", b"\0" * quota)
    assert_errors(drive.put("more.bin", b"\0"), 507, QUOTA_FULL)
    assert names(drive) == ["exact.bin"]


# ----- abandoned uploads ------------------------------------------------------------------------------------

def test_abandoned_uploads_expire_with_their_parts(node_factory):
    node = node_factory(args=["--upload-expiry", "1", "--purge-interval", "1"])
    collection = node.create_collection()
    drive = node.drive(collection)
    put_ok(drive, "kept.txt", b"finished files never expire")
    kept_blobs = node.blob_files(collection)

    upload_id = json_of(drive.start_upload("abandoned.bin"), 202)["upload_id"]
    json_of(drive.upload_part(upload_id, "abandoned.bin", 1, b"\1" * 100_000), 200)
    json_of(drive.upload_part(upload_id, "abandoned.bin", 2, b"\2" * 100_000), 200)
    part_blobs = node.blob_files(collection) - kept_blobs
    assert len(part_blobs) == 2

    wait_for(lambda: not any(p.exists() for p in part_blobs), 15, "the abandoned upload's part blobs to be deleted")
    assert_errors(drive.complete(upload_id, "abandoned.bin"), 404)
    assert_errors(drive.upload_part(upload_id, "abandoned.bin", 3, b"late"), 404)
    assert names(drive) == ["kept.txt"]
    assert node.blob_files(collection) == kept_blobs
    assert download(drive, "kept.txt") == b"finished files never expire"


# ----- the master key ----------------------------------------------------------------------------------------

def test_master_key_file_is_private_and_apart_from_the_collections(node_factory):
    node = node_factory()
    collection = node.create_collection()
    drive = node.drive(collection)
    put_ok(drive, "x.txt", b"under lock")
    key_file = node.data_dir / "secrets" / "master.key"
    assert key_file.is_file()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    collection_dir = node.collection_dir(collection).resolve()
    assert collection_dir not in key_file.resolve().parents
    assert not (node.data_dir / "spaces").resolve() in key_file.resolve().parents
    # The key's secret appears nowhere in the collection's files.
    secret = next(line.split()[-1] for line in key_file.read_text().splitlines()
                  if line.strip() and not line.startswith("#"))
    assert len(secret) >= 40
    for path in all_files(node.collection_dir(collection)):
        assert secret.encode() not in path.read_bytes(), path


def test_only_the_right_master_key_reads_files(node_factory, tmp_path):
    node = node_factory()
    collection = node.create_collection()
    drive = node.drive(collection)
    data = pattern(300_000, seed=40)
    put_ok(drive, "locked.bin", data)
    key_file = node.data_dir / "secrets" / "master.key"
    original_key = key_file.read_bytes()
    node.stop()

    other_key = tmp_path / "keys" / "other.key"
    node.args = ["--master-key", str(other_key)]
    node.start()
    drive = node.drive(collection, drive.name)
    resp = drive.get("locked.bin")
    assert_errors(resp, 500)
    assert data[:64] not in resp.content
    assert other_key.is_file() and other_key.read_bytes() != original_key
    assert stat.S_IMODE(other_key.stat().st_mode) == 0o600
    assert key_file.read_bytes() == original_key  # the data directory's key is untouched
    node.stop()

    node.args = []
    node.start()
    drive = node.drive(collection, drive.name)
    assert download(drive, "locked.bin") == data
    node.stop()

    # HEARTH_MASTER_KEY points at the key when it lives elsewhere; --master-key does too.
    moved = tmp_path / "keys" / "moved.key"
    shutil.move(key_file, moved)
    node.env = {"HEARTH_MASTER_KEY": str(moved)}
    node.start()
    drive = node.drive(collection, drive.name)
    assert download(drive, "locked.bin") == data
    put_ok(drive, "new.bin", b"written under the moved key")
    assert not key_file.exists(), "a new master key was created although HEARTH_MASTER_KEY names one"
    node.stop()

    node.env = None
    node.args = ["--master-key", str(moved)]
    node.start()
    drive = node.drive(collection, drive.name)
    assert download(drive, "locked.bin") == data
    assert download(drive, "new.bin") == b"written under the moved key"
