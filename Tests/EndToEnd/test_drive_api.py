"""Deta Drive HTTP API v1 end to end, writing and reading (spec /work/shared/spec/deta-compat.md §2 and §8):
single uploads, downloads with ranges, content types and chunked uploads (the protocol every
official SDK uses), as a real client sends them.
"""
from __future__ import annotations

import threading
from urllib.parse import quote

import pytest
import requests

from conftest import HTTP_TIMEOUT, DriveClient, assert_errors, describe, json_of, unique
from drive_helpers import ENTITY_TOO_LARGE, MiB, TEN_MIB, echo, put_ok, download, names, start_upload, upload_part, complete, chunked_put, sha, assert_download_headers, pattern


# ----- single uploads and downloads ---------------------------------------------------------------

def test_put_then_download_round_trips_with_headers(drive):
    data = b"hello, drive\r\n" * 100
    put_ok(drive, "hello.txt", data)
    resp = drive.get("hello.txt")
    assert resp.status_code == 200, describe(resp)
    assert resp.content == data
    assert_download_headers(resp, data, "text/plain; charset=utf-8")
    assert names(drive) == ["hello.txt"]


def test_all_byte_values_round_trip(drive):
    # test_sync.py's iter_lines check: \r, \n, NUL and high bytes come back untouched.
    data = bytes(range(256)) * 41 + b"\r\n\r\r\n\x00"
    put_ok(drive, "bytes.bin", data)
    assert download(drive, "bytes.bin") == data


def test_names_with_spaces_round_trip_in_every_encoding(drive):
    data = b"spaced out"
    put_ok(drive, "name with spaces.txt", data)  # Python/Go style: spaces as '+'
    assert download(drive, "name with spaces.txt") == data
    # JS style: encodeURIComponent, spaces as %20.
    resp = drive.request("GET", "/files/download", query="name=" + quote("name with spaces.txt", safe=""))
    assert resp.status_code == 200 and resp.content == data, describe(resp)
    resp = drive.request("GET", "/files/download", query="name=name+with+spaces.txt")
    assert resp.status_code == 200 and resp.content == data, describe(resp)
    assert names(drive) == ["name with spaces.txt"]


def test_plus_sign_is_a_space_and_percent_2b_is_a_plus(drive):
    resp = drive.request("POST", "/files", query="name=a+b.txt", data=b"space")
    assert json_of(resp, 201)["name"] == "a b.txt"
    resp = drive.request("POST", "/files", query="name=a%2Bb.txt", data=b"plus")
    assert json_of(resp, 201)["name"] == "a+b.txt"
    assert download(drive, "a b.txt") == b"space"
    assert download(drive, "a+b.txt") == b"plus"
    assert names(drive) == ["a b.txt", "a+b.txt"]


def test_unicode_and_reserved_characters_in_names(drive):
    weird = ["ünïcødé/文件 名.txt", "q?a=1&b=2#frag.txt", "100% sure.txt", "semi;colon,comma'quote\".txt",
             "dir/sub/deep/file", "emoji 🎉.png", "back\\slash"]
    for i, name in enumerate(weird):
        put_ok(drive, name, f"content {i}".encode())
    for i, name in enumerate(weird):
        assert download(drive, name) == f"content {i}".encode(), name
    assert names(drive) == sorted(weird, key=lambda n: n.encode())


def test_name_of_exactly_1024_bytes_is_accepted(drive):
    name = "é" * 512  # 1024 UTF-8 bytes
    put_ok(drive, name, b"long")
    assert download(drive, name) == b"long"
    assert names(drive) == [name]


def test_overwrite_replaces_content_type_and_etag(drive):
    put_ok(drive, "doc", b"version one, fairly long", "text/plain")
    first = drive.get("doc")
    put_ok(drive, "doc", b"v2", "image/png")
    second = drive.get("doc")
    assert second.status_code == 200 and second.content == b"v2"
    assert second.headers["Content-Type"] == "image/png"
    assert second.headers["ETag"] != first.headers["ETag"]
    assert_download_headers(second, b"v2", "image/png")
    assert names(drive) == ["doc"]


def test_empty_file(drive):
    put_ok(drive, "empty.txt", b"")
    resp = drive.get("empty.txt")
    assert resp.status_code == 200 and resp.content == b"", describe(resp)
    assert_download_headers(resp, b"", "text/plain; charset=utf-8")
    resp = drive.get("empty.txt", range="bytes=0-0")
    assert_errors(resp, 416)
    assert resp.headers.get("Content-Range") == "bytes */0"
    assert names(drive) == ["empty.txt"]


def test_single_upload_of_exactly_10_mib_is_accepted(drive):
    data = pattern(TEN_MIB, seed=1)
    put_ok(drive, "ten.bin", data)
    resp = drive.get("ten.bin")
    assert resp.status_code == 200 and sha(resp.content) == sha(data)
    assert_download_headers(resp, data)


def test_single_upload_over_10_mib_is_413_html_and_writes_nothing(drive):
    put_ok(drive, "keep.bin", b"old content")
    for name in ("big.bin", "keep.bin"):
        resp = drive.put(name, b"\0" * (TEN_MIB + 1))
        assert resp.status_code == 413, describe(resp)
        assert resp.headers.get("Content-Type", "").startswith("text/html"), resp.headers
        assert resp.text == ENTITY_TOO_LARGE
    assert names(drive) == ["keep.bin"]
    assert download(drive, "keep.bin") == b"old content"
    assert_errors(drive.get("big.bin"), 404)


def test_single_upload_over_10_mib_without_content_length_is_refused(drive):
    """A chunked-encoding body has no declared length: the limit holds while it streams."""
    def body():
        for _ in range(11):
            yield b"x" * MiB

    try:
        resp = drive.put("streamed.bin", body())
    except requests.ConnectionError:
        resp = None  # the server may close the connection once it has answered 413
    if resp is not None:
        assert resp.status_code == 413, describe(resp)
        assert resp.text == ENTITY_TOO_LARGE
    assert names(drive) == []
    assert_errors(drive.get("streamed.bin"), 404)


def test_streamed_upload_without_content_length_is_accepted(drive):
    chunks = [pattern(300_000, seed=s) for s in range(5)]
    body = json_of(drive.put("gen.bin", iter(chunks)), 201)
    assert body["name"] == "gen.bin"
    assert download(drive, "gen.bin") == b"".join(chunks)


def test_missing_file_is_404_json(drive):
    assert_errors(drive.get("nope.txt"), 404)
    put_ok(drive, "other.txt", b"x")
    assert_errors(drive.get("nope.txt"), 404)
    assert_errors(drive.get("Other.txt"), 404)  # names are case-sensitive
    resp = drive.head("nope.txt")
    assert resp.status_code == 404, describe(resp)


def test_head_has_the_headers_of_get_and_no_body(drive):
    data = pattern(5000, seed=2)
    put_ok(drive, "pic.png", data)
    get = drive.get("pic.png")
    head = drive.head("pic.png")
    assert head.status_code == 200, describe(head)
    assert head.content == b""
    assert_download_headers(head, data, "image/png")
    for header in ("Content-Type", "Content-Length", "ETag", "Accept-Ranges"):
        assert head.headers.get(header) == get.headers.get(header), header
    ranged = drive.head("pic.png", range="bytes=10-19")
    assert ranged.status_code == 206, describe(ranged)
    assert ranged.headers.get("Content-Range") == "bytes 10-19/5000"
    assert ranged.headers.get("Content-Length") == "10"
    assert ranged.content == b""


# ----- ranges -------------------------------------------------------------------------------------

RANGE_DATA = bytes(range(100))

RANGE_CASES = {
    "first byte": ("bytes=0-0", 0, 0),
    "suffix 5": ("bytes=-5", 95, 99),
    "open end": ("bytes=5-", 5, 99),
    "middle": ("bytes=10-19", 10, 19),
    "last byte": ("bytes=99-99", 99, 99),
    "end beyond size is clipped": ("bytes=90-1000", 90, 99),
    "suffix longer than file": ("bytes=-500", 0, 99),
    "whole file as a range": ("bytes=0-99", 0, 99),
}


@pytest.fixture
def ranged(drive):
    put_ok(drive, "r.bin", RANGE_DATA)
    return drive


@pytest.mark.parametrize("case", RANGE_CASES)
def test_single_range_is_206(ranged, case):
    header, first, last = RANGE_CASES[case]
    resp = ranged.get("r.bin", range=header)
    assert resp.status_code == 206, describe(resp)
    assert resp.content == RANGE_DATA[first:last + 1]
    assert resp.headers.get("Content-Range") == f"bytes {first}-{last}/100"
    assert resp.headers.get("Content-Length") == str(last - first + 1)
    assert resp.headers.get("Accept-Ranges") == "bytes"
    assert resp.headers.get("ETag") == f'"{sha(RANGE_DATA)}"'


@pytest.mark.parametrize("header", ["bytes=100-", "bytes=100-200", "bytes=150-160", "bytes=-0"])
def test_unsatisfiable_range_is_416(ranged, header):
    resp = ranged.get("r.bin", range=header)
    assert_errors(resp, 416)
    assert resp.headers.get("Content-Range") == "bytes */100"


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "bytes=0-0, 10-20", "items=0-5", "bytes=5-3", "bytes=abc"])
def test_multiple_or_invalid_ranges_give_the_whole_file(ranged, header):
    resp = ranged.get("r.bin", range=header)
    assert resp.status_code == 200, describe(resp)
    assert resp.content == RANGE_DATA
    assert "Content-Range" not in resp.headers
    assert resp.headers.get("Content-Length") == "100"


def test_range_on_missing_file_is_404(drive):
    assert_errors(drive.get("missing.bin", range="bytes=0-0"), 404)


# ----- content types ------------------------------------------------------------------------------

@pytest.mark.parametrize("name, sent, stored", [
    ("a.txt", None, "text/plain; charset=utf-8"),
    ("a.png", None, "image/png"),
    ("a.json", None, "application/json"),
    ("PHOTO.PNG", None, "image/png"),
    ("dir/page.html", None, "text/html; charset=utf-8"),
    ("no-extension", None, "application/octet-stream"),
    ("folder.png/readme", None, "application/octet-stream"),
    ("a.unknownext", None, "application/octet-stream"),
    ("a.txt", "application/octet-stream", "text/plain; charset=utf-8"),
    ("a.txt", "binary/octet-stream", "text/plain; charset=utf-8"),
    ("a.txt", "application/x-www-form-urlencoded", "text/plain; charset=utf-8"),
    ("a.bin", "binary/octet-stream", "application/octet-stream"),
    ("a.txt", "Application/Octet-Stream", "text/plain; charset=utf-8"),
    ("a.json", "application/octet-stream; charset=binary", "application/json"),
    ("a.txt", "text/plain; charset=iso-8859-1", "text/plain; charset=iso-8859-1"),
    ("a.txt", "text/csv", "text/csv"),
    ("a.png", "image/webp", "image/webp"),
    ("noext", "application/pdf", "application/pdf"),
])
def test_single_upload_content_type(drive, name, sent, stored):
    put_ok(drive, name, b"content", sent)
    resp = drive.get(name)
    assert resp.status_code == 200 and resp.headers.get("Content-Type") == stored, describe(resp)


def test_chunked_content_type_from_init_request_wins(drive):
    upload_id = start_upload(drive, "x.txt", "image/png")
    upload_part(drive, upload_id, "x.txt", 1, b"abc", "text/csv")
    complete(drive, upload_id, "x.txt")
    assert drive.get("x.txt").headers["Content-Type"] == "image/png"


def test_chunked_content_type_from_first_part_with_a_specific_type(drive):
    upload_id = start_upload(drive, "y.txt", "binary/octet-stream")  # JS SDK style: unspecified
    upload_part(drive, upload_id, "y.txt", 1, b"abc", "binary/octet-stream")
    upload_part(drive, upload_id, "y.txt", 2, b"def", "image/gif")
    upload_part(drive, upload_id, "y.txt", 3, b"ghi", "text/csv")
    complete(drive, upload_id, "y.txt")
    resp = drive.get("y.txt")
    assert resp.content == b"abcdefghi"
    assert resp.headers["Content-Type"] == "image/gif"


def test_chunked_content_type_guessed_when_unspecified(drive):
    chunked_put(drive, "data.json", [b"{}"], content_type="binary/octet-stream")
    chunked_put(drive, "plain", [b"{}"])
    assert drive.get("data.json").headers["Content-Type"] == "application/json"
    assert drive.get("plain").headers["Content-Type"] == "application/octet-stream"


# ----- chunked uploads ----------------------------------------------------------------------------

def test_python_sdk_style_chunked_upload_of_2x10mib_plus_1000(drive):
    """test_sync.py: a 2×10 MiB + 1000 B file, sent in 10 MiB chunks, comes back byte for byte."""
    data = pattern(2 * TEN_MIB + 1000, seed=3)
    name = "big file.bin"
    upload_id = start_upload(drive, name)
    assert names(drive) == []
    for part, offset in enumerate(range(0, len(data), TEN_MIB), start=1):
        upload_part(drive, upload_id, name, part, data[offset:offset + TEN_MIB])
    assert_errors(drive.get(name), 404)  # not visible before completion
    assert names(drive) == []
    complete(drive, upload_id, name)
    resp = drive.get(name)
    assert resp.status_code == 200, describe(resp)
    assert len(resp.content) == len(data) and resp.content == data
    assert_download_headers(resp, data, "application/octet-stream")
    # Ranges across both part boundaries.
    for first, last in ((TEN_MIB - 10, TEN_MIB + 10), (2 * TEN_MIB - 1, 2 * TEN_MIB), (TEN_MIB - 5, 2 * TEN_MIB + 999)):
        part = drive.get(name, range=f"bytes={first}-{last}")
        assert part.status_code == 206, describe(part)
        assert part.headers["Content-Range"] == f"bytes {first}-{last}/{len(data)}"
        assert part.content == data[first:last + 1]
    assert names(drive) == [name]


def test_js_sdk_style_chunked_flow(drive):
    """The JS SDK: encodeURIComponent names (%20), Content-Type on init, binary/octet-stream on parts."""
    name = "photos/my holiday ☀.png"
    encoded = "name=" + quote(name, safe="")
    resp = drive.request("POST", "/uploads", query=encoded, headers={"Content-Type": "image/png"})
    init = json_of(resp, 202)
    assert init["name"] == name  # put() returns response.name: it must be the decoded name
    upload_id = init["upload_id"]
    parts = [pattern(MiB, seed=20), pattern(1234, seed=21)]
    for number, data in enumerate(parts, start=1):
        resp = drive.request("POST", f"/uploads/{upload_id}/parts", query=f"{encoded}&part={number}", data=data,
                             headers={"Content-Type": "binary/octet-stream"})
        assert json_of(resp, 200) == {"name": name, "upload_id": upload_id, "part": number, **echo(drive)}
    resp = drive.request("PATCH", f"/uploads/{upload_id}", query=encoded, headers={"Content-Type": "application/json"})
    assert json_of(resp, 200) == {"name": name, "upload_id": upload_id, **echo(drive)}
    resp = drive.request("GET", "/files/download", query=encoded)
    assert resp.status_code == 200 and resp.content == b"".join(parts), describe(resp)
    assert resp.headers["Content-Type"] == "image/png"
    assert json_of(drive.list(query="prefix=photos/&recursive=true&limit=1000&last="), 200) == {"names": [name]}


def test_parts_may_arrive_in_any_order(drive):
    parts = [pattern(70_000, seed=s) for s in (10, 11, 12, 13)]
    upload_id = start_upload(drive, "shuffled")
    for number in (3, 1, 4, 2):
        upload_part(drive, upload_id, "shuffled", number, parts[number - 1])
    complete(drive, upload_id, "shuffled")
    resp = drive.get("shuffled")
    assert resp.content == b"".join(parts)
    assert resp.headers["ETag"] == f'"{sha(b"".join(parts))}"'


def test_reuploading_a_part_replaces_it(drive):
    upload_id = start_upload(drive, "redo")
    upload_part(drive, upload_id, "redo", 1, b"first-A" * 1000)
    upload_part(drive, upload_id, "redo", 2, b"second-A")
    upload_part(drive, upload_id, "redo", 1, b"first-B")  # an earlier part changes after a later one
    upload_part(drive, upload_id, "redo", 3, b"third")
    upload_part(drive, upload_id, "redo", 3, b"third-B")
    complete(drive, upload_id, "redo")
    expected = b"first-B" + b"second-A" + b"third-B"
    resp = drive.get("redo")
    assert resp.content == expected
    assert_download_headers(resp, expected)


def test_complete_with_a_gap_names_the_missing_part_and_keeps_the_upload(drive):
    upload_id = start_upload(drive, "gappy")
    upload_part(drive, upload_id, "gappy", 1, b"one")
    upload_part(drive, upload_id, "gappy", 3, b"three")
    errors = assert_errors(drive.complete(upload_id, "gappy"), 400)
    assert "Part 2 is missing" in errors[0], errors
    assert names(drive) == []
    upload_part(drive, upload_id, "gappy", 2, b"two")
    complete(drive, upload_id, "gappy")
    assert download(drive, "gappy") == b"onetwothree"


def test_complete_without_part_1_names_it(drive):
    upload_id = start_upload(drive, "nofirst")
    upload_part(drive, upload_id, "nofirst", 2, b"two")
    upload_part(drive, upload_id, "nofirst", 10000, b"last possible part")
    errors = assert_errors(drive.complete(upload_id, "nofirst"), 400)
    assert "Part 1 is missing" in errors[0], errors
    assert names(drive) == []


def test_complete_with_zero_parts_creates_an_empty_file(drive):
    upload_id = start_upload(drive, "nothing.txt")
    complete(drive, upload_id, "nothing.txt")
    resp = drive.get("nothing.txt")
    assert resp.status_code == 200 and resp.content == b""
    assert_download_headers(resp, b"", "text/plain; charset=utf-8")
    assert names(drive) == ["nothing.txt"]


def test_empty_parts_are_allowed(drive):
    # The Go SDK can send empty non-final parts (spec §2.3.3).
    chunked_put(drive, "holes", [b"a", b"", b"b", b""])
    assert download(drive, "holes") == b"ab"


@pytest.mark.parametrize("part", ["0", "-1", "10001", "abc", "1.5", "", "99999999999999999999999"])
def test_bad_part_numbers_are_400(drive, part):
    upload_id = start_upload(drive, "parts")
    assert_errors(drive.upload_part(upload_id, "parts", part, b"data"), 400)
    complete(drive, upload_id, "parts")
    assert download(drive, "parts") == b""  # the bad part was not stored


def test_missing_part_parameter_is_400(drive):
    upload_id = start_upload(drive, "parts")
    resp = drive.request("POST", f"/uploads/{upload_id}/parts", params={"name": "parts"}, data=b"x")
    assert_errors(resp, 400)


def test_part_10000_is_accepted(drive):
    upload_id = start_upload(drive, "max")
    upload_part(drive, upload_id, "max", 10000, b"x")


def test_part_over_10_mib_is_413_html(drive):
    upload_id = start_upload(drive, "parts.bin")
    upload_part(drive, upload_id, "parts.bin", 1, pattern(TEN_MIB, seed=4))  # exactly the limit
    resp = drive.upload_part(upload_id, "parts.bin", 2, b"\1" * (TEN_MIB + 1))
    assert resp.status_code == 413, describe(resp)
    assert resp.headers.get("Content-Type", "").startswith("text/html")
    assert resp.text == ENTITY_TOO_LARGE
    upload_part(drive, upload_id, "parts.bin", 2, b"tail")
    complete(drive, upload_id, "parts.bin")
    data = drive.get("parts.bin").content
    assert len(data) == TEN_MIB + 4 and data == pattern(TEN_MIB, seed=4) + b"tail"


def test_unknown_upload_id_is_404(drive):
    put_ok(drive, "exists", b"x")  # the drive exists
    for upload_id in ("doesnotexist", "0" * 32, unique("u")):
        assert_errors(drive.upload_part(upload_id, "exists", 1, b"data"), 404)
        assert_errors(drive.complete(upload_id, "exists"), 404)
        assert_errors(drive.abort(upload_id, "exists"), 404)
    fresh = DriveClient(drive.url, drive.project_id, drive.data_key, unique("never"))
    assert_errors(fresh.upload_part("0" * 32, "x", 1, b"data"), 404)
    assert_errors(fresh.complete("0" * 32, "x"), 404)
    assert_errors(fresh.abort("0" * 32, "x"), 404)
    assert download(drive, "exists") == b"x"


def test_name_must_match_the_upload(drive):
    upload_id = start_upload(drive, "right.txt")
    upload_part(drive, upload_id, "right.txt", 1, b"good ")
    assert_errors(drive.upload_part(upload_id, "wrong.txt", 2, b"evil"), 400)
    assert_errors(drive.complete(upload_id, "wrong.txt"), 400)
    assert_errors(drive.abort(upload_id, "wrong.txt"), 400)
    assert names(drive) == []
    upload_part(drive, upload_id, "right.txt", 2, b"end")
    complete(drive, upload_id, "right.txt")
    assert download(drive, "right.txt") == b"good end"
    assert_errors(drive.get("wrong.txt"), 404)


def test_upload_id_is_gone_after_complete(drive):
    upload_id = chunked_put(drive, "done", [b"abc"])
    assert_errors(drive.upload_part(upload_id, "done", 2, b"more"), 404)
    assert_errors(drive.complete(upload_id, "done"), 404)
    assert_errors(drive.abort(upload_id, "done"), 404)
    assert download(drive, "done") == b"abc"


def test_abort_discards_the_upload(drive):
    put_ok(drive, "kept", b"original")
    upload_id = start_upload(drive, "kept")
    upload_part(drive, upload_id, "kept", 1, b"replacement")
    body = json_of(drive.abort(upload_id, "kept"), 200)
    assert body == {"name": "kept", "upload_id": upload_id, **echo(drive)}, body
    assert_errors(drive.upload_part(upload_id, "kept", 2, b"x"), 404)
    assert_errors(drive.complete(upload_id, "kept"), 404)
    assert_errors(drive.abort(upload_id, "kept"), 404)
    assert download(drive, "kept") == b"original"
    other = start_upload(drive, "never-finished")
    upload_part(drive, other, "never-finished", 1, b"x")
    json_of(drive.abort(other, "never-finished"), 200)
    assert names(drive) == ["kept"]


def test_chunked_reupload_replaces_only_on_complete(drive):
    put_ok(drive, "file.txt", b"old version")
    upload_id = start_upload(drive, "file.txt")
    upload_part(drive, upload_id, "file.txt", 1, b"new ")
    assert download(drive, "file.txt") == b"old version"
    upload_part(drive, upload_id, "file.txt", 2, b"version")
    assert download(drive, "file.txt") == b"old version"
    complete(drive, upload_id, "file.txt")
    assert download(drive, "file.txt") == b"new version"
    assert names(drive) == ["file.txt"]


def test_concurrent_uploads_of_the_same_name_last_complete_wins(drive):
    first = start_upload(drive, "race")
    second = start_upload(drive, "race")
    assert first != second
    upload_part(drive, first, "race", 1, b"first")
    upload_part(drive, second, "race", 1, b"second")
    complete(drive, second, "race")
    assert download(drive, "race") == b"second"
    complete(drive, first, "race")
    assert download(drive, "race") == b"first"
    assert names(drive) == ["race"]


def test_upload_ids_belong_to_their_drive(node, shared_collection, drive):
    upload_id = start_upload(drive, "mine")
    other = node.drive(shared_collection)
    put_ok(other, "something", b"x")
    assert_errors(other.upload_part(upload_id, "mine", 1, b"x"), 404)
    assert_errors(other.complete(upload_id, "mine"), 404)
    assert_errors(other.abort(upload_id, "mine"), 404)
    upload_part(drive, upload_id, "mine", 1, b"still mine")
    complete(drive, upload_id, "mine")
    assert download(drive, "mine") == b"still mine"
    assert names(other) == ["something"]


def test_replacement_is_atomic_for_concurrent_readers(drive):
    versions = [bytes([65 + v]) * 300_000 for v in range(2)]
    put_ok(drive, "flip", versions[0])
    seen, problems, stop = set(), [], threading.Event()

    def reader():
        session = requests.Session()
        while not stop.is_set():
            resp = session.get(f"{drive.root}/files/download", params={"name": "flip"},
                               headers={"X-API-Key": drive.data_key}, timeout=HTTP_TIMEOUT)
            if resp.status_code != 200 or resp.content not in versions:
                problems.append(describe(resp)[:200])
                return
            if resp.headers["ETag"] != f'"{sha(resp.content)}"':
                problems.append(f"ETag {resp.headers['ETag']} does not match the body")
                return
            seen.add(resp.content[:1])

    threads = [threading.Thread(target=reader, daemon=True) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for i in range(40):
            data = versions[(i + 1) % 2]
            if i % 2:
                chunked_put(drive, "flip", [data[:100_000], data[100_000:]])
            else:
                put_ok(drive, "flip", data)
            assert not problems, problems
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)
    assert not problems, problems
    assert names(drive) == ["flip"]
