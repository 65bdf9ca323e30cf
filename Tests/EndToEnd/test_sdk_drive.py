"""Hearth's `deta` SDK: every Drive method against a real node (spec §2.6 vectors included)."""
from __future__ import annotations

import io
import os

import pytest

from conftest import unique

MIB = 1024 * 1024


@pytest.fixture
def drive(deta_sdk):
    return deta_sdk.Deta().Drive(unique("sdkd"))


@pytest.fixture
def raw(node, shared_collection, drive):
    return node.drive(shared_collection, drive.name)


@pytest.fixture
def calls(drive, monkeypatch):
    """Records (method, path without query) of every request the drive sends."""
    seen = []
    original = drive._transport.request

    def spy(method, path, **kw):
        seen.append((method, path.split("?")[0]))
        return original(method, path, **kw)

    monkeypatch.setattr(drive._transport, "request", spy)
    return seen


def pattern(size: int) -> bytes:
    block = bytes(range(256)) * 4096  # 1 MiB, no repeats within a chunk boundary
    return (block * (size // len(block) + 1))[:size]


@pytest.mark.parametrize("data, expected", [
    ("hello world", b"hello world"),
    ("ünïcødé ✓", "ünïcødé ✓".encode()),
    (b"\x00\xff\r\n binary", b"\x00\xff\r\n binary"),
    (io.BytesIO(b"from a bytes stream"), b"from a bytes stream"),
    (io.StringIO("from a text stream ✓"), "from a text stream ✓".encode()),
    (b"", b""),
])
def test_put_and_get_small_content(drive, calls, data, expected):
    assert drive.put("file.bin", data) == "file.bin"
    assert calls == [("POST", "/files")]
    body = drive.get("file.bin")
    assert body.read() == expected


def test_put_from_path_with_content_type(drive, raw, tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(b"<h1>hi</h1>")
    assert drive.put("site/page", path=str(path), content_type="text/html") == "site/page"
    body = drive.get("site/page")
    assert body.content_type.startswith("text/html") and body.read() == b"<h1>hi</h1>"
    resp = raw.get("site/page")
    assert resp.status_code == 200 and resp.content == b"<h1>hi</h1>"
    assert resp.headers["Content-Type"].startswith("text/html")


def test_put_argument_checks(drive):
    with pytest.raises(AssertionError):
        drive.put("", "x")
    with pytest.raises(AssertionError):
        drive.put("a")
    with pytest.raises(AssertionError):
        drive.put("a", "x", path="/etc/hostname")
    with pytest.raises(TypeError):
        drive.put("a", 12345)


@pytest.mark.parametrize("name", ["name with spaces.txt", "a/b/c.txt", "plus+and&amp=?.txt", "ünï/✓ file"])
def test_names_round_trip(drive, raw, name):
    assert drive.put(name, "content") == name
    assert drive.get(name).read() == b"content"
    assert drive.list()["names"] == [name]
    assert raw.get(name).content == b"content"
    assert drive.delete(name) == name
    assert drive.get(name) is None


def test_put_overwrites(drive):
    drive.put("f", "one")
    drive.put("f", b"two")
    assert drive.get("f").read() == b"two"


def test_large_file_goes_in_chunks_and_streams_back(drive, calls, deta_sdk):
    size = 2 * 10 * MIB + 1000
    data = pattern(size)
    assert drive.put("large_binary_file", data) == "large_binary_file"
    assert [method for method, _ in calls] == ["POST", "POST", "POST", "POST", "PATCH"]
    upload = calls[-1][1]
    assert calls[0][1] == "/uploads" and upload.startswith("/uploads/")
    assert [path for _, path in calls[1:4]] == [upload + "/parts"] * 3
    chunk_size = deta_sdk.drive.UPLOAD_CHUNK_SIZE
    body = drive.get("large_binary_file")
    assert body.content_length == size
    expected = io.BytesIO(data)
    chunks = 0
    for chunk in body.iter_chunks(chunk_size):
        assert chunk == expected.read(chunk_size)
        chunks += 1
    assert chunks == 3 and expected.read() == b""


def test_large_file_from_path_and_text_stream(drive, tmp_path):
    path = tmp_path / "big.bin"
    data = pattern(10 * MIB + 5)
    path.write_bytes(data)
    drive.put("from-path", path=str(path))
    assert drive.get("from-path").read() == data
    text = "é" * (6 * MIB)  # 12 MiB once encoded: chunked, and split inside a character
    drive.put("text", io.StringIO(text))
    assert drive.get("text").read() == text.encode()


def test_chunk_boundary(drive, calls):
    drive.put("just-under", pattern(10 * MIB - 1))
    assert calls == [("POST", "/files")]
    del calls[:]
    drive.put("exact", pattern(10 * MIB))
    assert [c[0] for c in calls] == ["POST", "POST", "PATCH"] and calls[0][1] == "/uploads"
    assert drive.get("exact").read() == pattern(10 * MIB)


def test_failed_upload_is_aborted(drive, calls):
    class Broken(io.RawIOBase):
        def __init__(self):
            self.sent = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            if self.sent >= 12 * MIB:
                raise OSError("disk on fire")
            n = min(len(buffer), MIB)
            buffer[:n] = b"x" * n
            self.sent += n
            return n

    with pytest.raises(OSError, match="disk on fire"):
        drive.put("broken", Broken())
    assert [c[0] for c in calls] == ["POST", "POST", "DELETE"]
    assert calls[-1][1].startswith("/uploads/") and "/parts" not in calls[-1][1]
    assert drive.get("broken") is None


def test_iter_lines_byte_fidelity(drive):
    cases = {
        "read_lines_test_1.txt": "hello\nworld\n\nend",
        "read_lines_test_2.txt": "has no new lines, just a normal string",
        "read_lines_test_3.txt": "different new line\ranother line\r",
        "read_lines_test_4.txt": "crlf\r\nlines\r\n",
    }
    for name, content in cases.items():
        drive.put(name, content)
        expected = io.StringIO(content)
        lines = list(drive.get(name).iter_lines())
        assert [line.decode() for line in lines] == [expected.readline() for _ in lines]
        assert expected.read() == ""
        assert b"".join(lines) == content.encode()
    drive.put("long", "x" * 2500 + "\nshort\n")
    assert [len(line) for line in drive.get("long").iter_lines()] == [1024, 1024, 453, 6]
    assert [len(line) for line in drive.get("long").iter_lines(4096)] == [2501, 6]


def test_read_sizes_and_close(drive):
    drive.put("r", b"0123456789")
    body = drive.get("r")
    assert body.read(3) == b"012" and body.read(0) == b"" and body.read(None) == b"3456789"
    assert body.read() == b""
    body.close()
    assert body.closed
    # closing a download half-way drops its connection; later requests still work
    drive.put("big", pattern(3 * MIB))
    with drive.get("big") as body:
        assert body.read(10) == pattern(10)
    assert body.closed
    assert drive.get("r").read() == b"0123456789"
    assert [len(c) for c in drive.get("r").iter_chunks(4)] == [4, 4, 2]


def test_get_missing_is_none(drive):
    assert drive.get("nothing-here") is None


def test_delete_and_delete_many(drive):
    for name in ["to_del_1.txt", "to del name with spaces.txt", "keep"]:
        drive.put(name, "x")
    assert drive.delete("to_del_1.txt") == "to_del_1.txt"
    assert drive.delete("never-existed") == "never-existed"
    res = drive.delete_many(["to del name with spaces.txt", "missing"])
    assert sorted(res["deleted"]) == ["missing", "to del name with spaces.txt"]
    assert not res.get("failed")
    assert drive.list() == {"names": ["keep"]}
    with pytest.raises(AssertionError):
        drive.delete_many([])
    with pytest.raises(AssertionError):
        drive.delete_many([f"n{i}" for i in range(1001)])


def test_list_limit_prefix_last(drive):
    for name in ["a", "b", "c/d", "c/e f", "d"]:
        drive.put(name, name)
    assert drive.list() == {"names": ["a", "b", "c/d", "c/e f", "d"]}
    page = drive.list(limit=2)
    assert page["names"] == ["a", "b"] and page["paging"]["last"] == "b"
    assert drive.list(limit=2, last="b")["names"] == ["c/d", "c/e f"]
    assert drive.list(prefix="c/") == {"names": ["c/d", "c/e f"]}
    assert drive.list(prefix="c/", last="c/d") == {"names": ["c/e f"]}
    assert drive.list(limit=1, prefix="c/")["paging"]["last"] == "c/d"
    empty = drive.list(prefix="zzz")
    assert empty["names"] == []


def test_module_level_drive_uses_the_environment(deta_sdk):
    drive = deta_sdk.Drive(unique("env"))
    drive.put("x", "y")
    assert drive.get("x").read() == b"y"
    assert os.environ["HEARTH_API_URL"] == drive.endpoint.url
