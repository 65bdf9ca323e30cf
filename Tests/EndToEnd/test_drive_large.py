"""Large Drive files: chunked uploads of hundreds of megabytes and of 2 GiB, ranged and whole
downloads checked by SHA-256, and the node's memory staying flat while it streams them.

The content is generated deterministically a 1 MiB block at a time, so no test ever holds a
whole file: every 4 KiB of block k starts with the stamp (k, offset), which makes every 4 KiB
of a file distinct, and the rest comes from one fixed random block.
"""
from __future__ import annotations

import hashlib
import struct
import time
from pathlib import Path

import pytest

from conftest import DriveClient, describe, json_of

MiB = 1024 * 1024
GiB = 1024 * MiB
PART = 10 * MiB  # what the Deta SDKs send
CHUNK = 64 * 1024  # the blob encryption chunk
BATCH = MiB  # the server's download batch

BLOCK = MiB
_SLOT = 4096
_BASE = hashlib.shake_256(b"hearth large drive file").digest(BLOCK)
_SEGMENTS = [_BASE[offset + 16:offset + _SLOT] for offset in range(0, BLOCK, _SLOT)]


def block(k: int) -> bytes:
    """The k-th MiB of every test file."""
    return b"".join(struct.pack(">QQ", k, offset) + _SEGMENTS[i] for i, offset in enumerate(range(0, BLOCK, _SLOT)))


def content(offset: int, length: int) -> bytes:
    """Bytes offset ..< offset + length of the (infinite) test content."""
    out = bytearray()
    k, skip = divmod(offset, BLOCK)
    while len(out) < length:
        out += block(k)[skip:skip + length - len(out)]
        k, skip = k + 1, 0
    return bytes(out)


def upload_large(drive: DriveClient, name: str, size: int) -> str:
    """Uploads `size` bytes as the SDKs do (10 MiB parts); returns the content's SHA-256."""
    init = json_of(drive.start_upload(name), 202)
    upload_id = init["upload_id"]
    digest = hashlib.sha256()
    for number, offset in enumerate(range(0, size, PART), start=1):
        data = content(offset, min(PART, size - offset))
        digest.update(data)
        resp = drive.upload_part(upload_id, name, number, data, timeout=120)
        assert json_of(resp, 200)["part"] == number, describe(resp)
    json_of(drive.complete(upload_id, name, timeout=300), 200)
    return digest.hexdigest()


def streamed_sha256(drive: DriveClient, name: str, size: int, range_header: str | None = None) -> str:
    """Downloads `name` a MiB at a time and returns the SHA-256 of the body."""
    resp = drive.get(name, range=range_header, stream=True, timeout=300)
    with resp:
        assert resp.status_code == (206 if range_header else 200), describe(resp)
        assert resp.headers["Content-Length"] == str(size), resp.headers
        digest, received = hashlib.sha256(), 0
        for chunk in resp.iter_content(chunk_size=MiB):
            digest.update(chunk)
            received += len(chunk)
    assert received == size
    return digest.hexdigest()


def check_range(drive: DriveClient, name: str, size: int, first: int, last: int) -> None:
    """`bytes=first-last` gives exactly those bytes (checked by hash, and locally on a mismatch)."""
    resp = drive.get(name, range=f"bytes={first}-{last}", timeout=120)
    assert resp.status_code == 206, describe(resp)
    end = min(last, size - 1)
    assert resp.headers["Content-Range"] == f"bytes {first}-{end}/{size}", resp.headers
    expected = content(first, end - first + 1)
    if hashlib.sha256(resp.content).digest() != hashlib.sha256(expected).digest():
        got = resp.content
        at = next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b), min(len(got), len(expected)))
        pytest.fail(f"range {first}-{last}: {len(got)} bytes, expected {len(expected)}; first difference at "
                    f"file offset {first + at}")


def vm_hwm_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM in /proc status")


# ----- a 200 MB file --------------------------------------------------------------------------------

LARGE_SIZE = 200 * MiB + 12_345  # 20 full parts and a short 21st


@pytest.fixture(scope="module")
def large_file(node, shared_collection):
    drive = node.drive(shared_collection)
    started = time.monotonic()
    digest = upload_large(drive, "large/200mb.bin", LARGE_SIZE)
    print(f"[large] uploaded {LARGE_SIZE / MiB:.0f} MiB in {time.monotonic() - started:.1f} s")
    yield drive, "large/200mb.bin", digest
    json_of(drive.delete_many(["large/200mb.bin"]), 200)


def test_large_file_is_listed_with_its_size_and_hash(large_file):
    drive, name, digest = large_file
    assert json_of(drive.list(), 200) == {"names": [name]}
    head = drive.head(name)
    assert head.status_code == 200, describe(head)
    assert head.headers["Content-Length"] == str(LARGE_SIZE)
    assert head.headers["ETag"] == f'"{digest}"'
    assert head.headers["Accept-Ranges"] == "bytes"


def test_large_file_full_streamed_download(large_file):
    drive, name, digest = large_file
    started = time.monotonic()
    assert streamed_sha256(drive, name, LARGE_SIZE) == digest
    print(f"[large] downloaded {LARGE_SIZE / MiB:.0f} MiB in {time.monotonic() - started:.1f} s")


RANGES = {
    "start": (0, 999),
    "first byte": (0, 0),
    "first chunk exactly": (0, CHUNK - 1),
    "across a 64 KiB chunk boundary": (CHUNK - 7, CHUNK + 6),
    "across several chunk boundaries": (3 * CHUNK - 10, 7 * CHUNK + 10),
    "across the 1 MiB batch boundary": (BATCH - 3, BATCH + 2),
    "across the first part boundary": (PART - 1000, PART + 999),
    "last byte of part 1 and first of part 2": (PART - 1, PART),
    "exactly part 2": (PART, 2 * PART - 1),
    "spanning three parts and many batches": (PART - 123_457, 3 * PART + 98_765),
    "across the last part boundary": (20 * PART - 5, 20 * PART + 5),
    "the short last part": (20 * PART, LARGE_SIZE - 1),
    "the end": (LARGE_SIZE - 5000, LARGE_SIZE - 1),
    "the end, clipped": (LARGE_SIZE - 100, LARGE_SIZE + 10 * MiB),
    "deep inside, unaligned": (137 * MiB + 4321, 139 * MiB + 77),
}


@pytest.mark.parametrize("case", RANGES)
def test_large_file_ranges(large_file, case):
    drive, name, _ = large_file
    first, last = RANGES[case]
    check_range(drive, name, LARGE_SIZE, first, last)


def test_large_file_suffix_and_open_ranges(large_file):
    drive, name, _ = large_file
    resp = drive.get(name, range="bytes=-70000")
    assert resp.status_code == 206, describe(resp)
    assert resp.content == content(LARGE_SIZE - 70_000, 70_000)
    start = LARGE_SIZE - 3 * MiB - 17
    assert streamed_sha256(drive, name, LARGE_SIZE - start, f"bytes={start}-") == \
        hashlib.sha256(content(start, LARGE_SIZE - start)).hexdigest()


# ----- 2 GiB and memory -----------------------------------------------------------------------------

HUGE_SIZE = 2 * GiB + 1000  # offsets past 2^31 must work too
MEMORY_LIMIT_KIB = 100 * 1024


def test_2gib_upload_and_download_keep_node_memory_under_100mb(node_factory):
    node = node_factory()
    collection = node.create_collection()
    drive = node.drive(collection)
    pid = node.proc.pid
    started = time.monotonic()
    digest = upload_large(drive, "huge.bin", HUGE_SIZE)
    uploaded = time.monotonic()
    after_upload = vm_hwm_kib(pid)
    assert after_upload < MEMORY_LIMIT_KIB, f"peak RSS {after_upload} KiB after a 2 GiB upload"

    head = drive.head("huge.bin")
    assert head.headers["Content-Length"] == str(HUGE_SIZE) and head.headers["ETag"] == f'"{digest}"', head.headers
    assert streamed_sha256(drive, "huge.bin", HUGE_SIZE) == digest
    downloaded = time.monotonic()
    for first, last in ((2**31 - 500, 2**31 + 499), (HUGE_SIZE - 2 * PART - 7, HUGE_SIZE - PART + 7),
                        (HUGE_SIZE - 1000, HUGE_SIZE - 1)):
        check_range(drive, "huge.bin", HUGE_SIZE, first, last)
    peak = vm_hwm_kib(pid)
    print(f"[huge] upload {uploaded - started:.1f} s, download {downloaded - uploaded:.1f} s, "
          f"node VmHWM {after_upload} KiB after upload, {peak} KiB at the end")
    assert peak < MEMORY_LIMIT_KIB, f"peak RSS {peak} KiB after a 2 GiB upload and download"
    assert node.alive
    json_of(drive.delete_many(["huge.bin"]), 200)
    assert node.blob_files(collection) == set()
