"""Deta Drive HTTP API v1 end to end, the rest (spec /work/shared/spec/deta-compat.md §2 and §8):
listings with the JS SDK's `recursive` semantics, delete-many, name rules, auth and routing errors.
"""
from __future__ import annotations

import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

from conftest import HTTP_TIMEOUT, DriveClient, assert_errors, describe, json_of
from drive_helpers import MiB, put_ok, download, names, listing, start_upload, upload_part, complete, pattern


# ----- listing ------------------------------------------------------------------------------------

def test_list_conformance_vectors(drive):
    """test_sync.py: list() → a, b, c/d; list(limit=1) pages; prefix c/."""
    for name in ("a", "b", "c/d"):
        put_ok(drive, name, name.encode())
    assert listing(drive) == {"names": ["a", "b", "c/d"]}
    assert listing(drive, limit=1) == {"paging": {"size": 1, "last": "a"}, "names": ["a"]}
    assert listing(drive, limit=2) == {"paging": {"size": 2, "last": "b"}, "names": ["a", "b"]}
    assert listing(drive, limit=1, last="a") == {"paging": {"size": 1, "last": "b"}, "names": ["b"]}
    assert listing(drive, limit=1, last="b") == {"names": ["c/d"]}
    assert listing(drive, limit=3) == {"names": ["a", "b", "c/d"]}
    assert listing(drive, prefix="c/") == {"names": ["c/d"]}
    assert listing(drive, prefix="c") == {"names": ["c/d"]}
    assert listing(drive, prefix="zzz") == {"names": []}
    assert listing(drive, last="c/d") == {"names": []}


def test_never_written_drive_lists_empty(node, shared_collection):
    fresh = node.drive(shared_collection)
    assert listing(fresh) == {"names": []}
    assert listing(fresh, prefix="x/", recursive=False, limit=5, last="a") == {"names": []}
    assert_errors(fresh.get("anything"), 404)
    assert listing(fresh) == {"names": []}


RECURSIVE_FILES = ["list-a", "list-b", "list-c", "list/a", "list/b", "list/child/a", "list/child/b"]


@pytest.fixture
def tree(drive):
    for name in RECURSIVE_FILES:
        put_ok(drive, name, name.encode())
    return drive


@pytest.mark.parametrize("params, expected", [
    ({"prefix": "list/", "recursive": False}, {"names": ["list/a", "list/b", "list/child/"]}),
    ({"prefix": "list", "recursive": False}, {"names": ["list-a", "list-b", "list-c", "list/"]}),
    ({"prefix": "/list", "recursive": False}, {"names": []}),
    ({"limit": 2, "prefix": "list/", "recursive": False},
     {"paging": {"size": 2, "last": "list/b"}, "names": ["list/a", "list/b"]}),
    ({"limit": 1, "last": "list/a", "prefix": "list/", "recursive": False},
     {"paging": {"size": 1, "last": "list/b"}, "names": ["list/b"]}),
    ({"limit": 2, "last": "list/a", "prefix": "list/", "recursive": False}, {"names": ["list/b", "list/child/"]}),
    ({"recursive": False}, {"names": ["list-a", "list-b", "list-c", "list/"]}),
    ({"prefix": "list/child/", "recursive": False}, {"names": ["list/child/a", "list/child/b"]}),
    ({"prefix": "list/", "recursive": True}, {"names": ["list/a", "list/b", "list/child/a", "list/child/b"]}),
    ({"prefix": "list"}, {"names": RECURSIVE_FILES}),
    ({"recursive": True}, {"names": RECURSIVE_FILES}),
])
def test_list_recursive_vectors(tree, params, expected):
    """deta-javascript __test__/drive/list.spec.ts, verbatim, plus the default (recursive)."""
    assert listing(tree, **params) == expected


def test_list_non_recursive_pages_past_a_folder(tree):
    # A collapsed folder used as `last` skips everything inside it.
    assert listing(tree, prefix="list", recursive=False, limit=3) == {
        "paging": {"size": 3, "last": "list-c"}, "names": ["list-a", "list-b", "list-c"]}
    assert listing(tree, prefix="list", recursive=False, last="list-c") == {"names": ["list/"]}
    assert listing(tree, recursive=False, limit=1, last="list-c") == {"names": ["list/"]}
    assert listing(tree, prefix="list/", recursive=False, last="list/child/") == {"names": []}
    assert listing(tree, prefix="list/", recursive=False, limit=1, last="list/b") == {"names": ["list/child/"]}


def test_list_last_before_or_after_the_prefix(tree):
    assert listing(tree, prefix="list/", last="a") == {"names": ["list/a", "list/b", "list/child/a", "list/child/b"]}
    assert listing(tree, prefix="list/", last="a", recursive=False) == {"names": ["list/a", "list/b", "list/child/"]}
    assert listing(tree, prefix="list/", last="zzz") == {"names": []}
    assert listing(tree, prefix="list/", last="list/child/a") == {"names": ["list/child/b"]}


NON_RECURSIVE_TREE = ["a", "a!", "a-", "a.b", "a/x", "a/y/z", "a/y0", "a0", "ab/c", "b/c/d", "b/c0", "b0", "é/x", "z"]


def non_recursive_expected(prefix: str) -> list[str]:
    entries = []
    for name in sorted(NON_RECURSIVE_TREE, key=lambda n: n.encode()):
        if not name.startswith(prefix):
            continue
        slash = name.find("/", len(prefix))
        entry = name if slash < 0 else name[:slash + 1]
        if entry not in entries:
            entries.append(entry)
    return entries


@pytest.mark.parametrize("prefix", ["", "a", "a/", "a/y", "b", "b/c", "é", "q"])
def test_list_non_recursive_paging_visits_every_entry_once(drive, prefix):
    """Collapsed folders sort among names whose next byte is below or above '/' (e.g. 'a.b' < 'a/' < 'a0'),
    and paging with any limit walks exactly the full listing."""
    for name in NON_RECURSIVE_TREE:
        put_ok(drive, name, b".")
    expected = non_recursive_expected(prefix)
    assert listing(drive, prefix=prefix, recursive=False) == {"names": expected}
    for limit in (1, 2, 3):
        got, last = [], None
        for _ in range(len(expected) + 2):
            body = listing(drive, prefix=prefix, recursive=False, limit=limit, last=last)
            got += body["names"]
            if "paging" not in body:
                break
            assert body["paging"] == {"size": limit, "last": body["names"][-1]}, body
            last = body["paging"]["last"]
        assert got == expected, (limit, got)


def test_list_js_style_empty_parameters(tree):
    """The JS SDK sends `prefix=&recursive=true&limit=1000&last=` literally, and unencoded prefixes."""
    resp = tree.list(query="prefix=&recursive=true&limit=1000&last=")
    assert json_of(resp, 200) == {"names": RECURSIVE_FILES}
    resp = tree.list(query="prefix=list/&recursive=false&limit=1000&last=")
    assert json_of(resp, 200) == {"names": ["list/a", "list/b", "list/child/"]}
    resp = tree.list(query="prefix=list/&recursive=false&limit=1&last=list/a")
    assert json_of(resp, 200) == {"paging": {"size": 1, "last": "list/b"}, "names": ["list/b"]}
    resp = tree.list(query="limit=&prefix=&last=")
    assert json_of(resp, 200) == {"names": RECURSIVE_FILES}


def test_list_paging_walks_every_name_once(drive):
    expected = sorted([f"f{i:02d}" for i in range(17)] + ["dir/x", "dir/y", "z z"], key=lambda n: n.encode())
    for name in expected:
        put_ok(drive, name, b".")
    got, last, pages = [], None, 0
    while True:
        body = listing(drive, limit=3, last=last)
        pages += 1
        got += body["names"]
        if "paging" not in body:
            assert len(body["names"]) <= 3
            break
        assert body["paging"] == {"size": 3, "last": body["names"][-1]}, body
        last = body["paging"]["last"]
        assert pages < 50
    assert got == expected
    assert pages == 7  # 20 names, 3 a page: the 7th page holds 2 and has no paging


def test_list_sorts_by_utf8_bytes(drive):
    wanted = ["B", "a", "ä", "Z", "_", "a/b", "a b", "a-b", "ab", "€", "文"]
    for name in wanted:
        put_ok(drive, name, b".")
    assert names(drive) == sorted(wanted, key=lambda n: n.encode())


def test_list_limit_is_capped_at_1000(drive):
    local = threading.local()

    def put(i):
        if not hasattr(local, "client"):
            local.client = DriveClient(drive.url, drive.project_id, drive.data_key, drive.name)
        resp = local.client.put(f"n{i:04d}", b"")
        assert resp.status_code == 201, describe(resp)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(put, range(1001)))
    page = listing(drive, limit=5000)
    assert page["paging"] == {"size": 1000, "last": "n0999"}
    assert len(page["names"]) == 1000
    page = listing(drive)
    assert page["paging"] == {"size": 1000, "last": "n0999"}
    assert listing(drive, last="n0999") == {"names": ["n1000"]}


@pytest.mark.parametrize("limit", ["0", "-1", "abc", "1.5"])
def test_list_bad_limit_is_400(tree, limit):
    assert_errors(tree.list(limit=limit), 400)


# ----- delete many --------------------------------------------------------------------------------

def test_delete_many_lists_existing_and_missing_names_as_deleted(drive):
    for name in ("a", "b", "c/d"):
        put_ok(drive, name, b"x")
    body = json_of(drive.delete_many(["a", "c/d", "never-existed"]), 200)
    assert body == {"deleted": ["a", "c/d", "never-existed"], "failed": {}}
    assert names(drive) == ["b"]
    assert_errors(drive.get("a"), 404)
    assert download(drive, "b") == b"x"


def test_delete_many_on_never_written_drive(node, shared_collection):
    fresh = node.drive(shared_collection)
    assert json_of(fresh.delete_many(["ghost"]), 200) == {"deleted": ["ghost"], "failed": {}}
    assert listing(fresh) == {"names": []}


def test_delete_many_reports_invalid_names_as_failed(drive):
    put_ok(drive, "keep", b"x")
    put_ok(drive, "gone", b"x")
    body = json_of(drive.delete_many(["gone", "", "   "]), 200)
    assert body == {"deleted": ["gone"], "failed": {"": "invalid name", "   ": "invalid name"}}
    body = json_of(drive.delete_many(["dir/", "keep-not", "a\x01b"]), 200)
    assert body == {"deleted": ["keep-not"], "failed": {"dir/": "invalid name", "a\x01b": "invalid name"}}
    assert names(drive) == ["keep"]


@pytest.mark.parametrize("names_", [[""], ["   "], ["", "   "], []])
def test_delete_many_without_a_valid_name_is_400(drive, names_):
    put_ok(drive, "keep", b"x")
    assert_errors(drive.delete_many(names_), 400)
    assert names(drive) == ["keep"]


def test_delete_many_takes_at_most_1000_names(drive):
    put_ok(drive, "n0000", b"x")
    put_ok(drive, "survivor", b"x")
    assert_errors(drive.delete_many([f"n{i:04d}" for i in range(1001)]), 400)
    assert names(drive) == ["n0000", "survivor"]
    body = json_of(drive.delete_many([f"n{i:04d}" for i in range(1000)]), 200)
    assert len(body["deleted"]) == 1000 and body["failed"] == {}
    assert names(drive) == ["survivor"]


@pytest.mark.parametrize("raw", ['{"names": [', "", "[]", '["a"]', '{"names": "a"}', '{"names": [1]}',
                                 '{"names": ["a", null]}', '{"nams": ["a"]}', "null"])
def test_delete_many_bad_bodies_are_400(drive, raw):
    put_ok(drive, "a", b"x")
    assert_errors(drive.delete_many(raw), 400)
    assert names(drive) == ["a"]


def test_deleted_name_can_be_reused(drive):
    put_ok(drive, "again", b"one")
    json_of(drive.delete_many(["again"]), 200)
    put_ok(drive, "again", b"two")
    assert download(drive, "again") == b"two"


# ----- names --------------------------------------------------------------------------------------

BAD_NAMES = {
    "empty": "",
    "blank": "   ",
    "tab only": "\t",
    "unicode blank": "\u00a0\u3000\u2003",
    "ends with slash": "dir/",
    "only slash": "/",
    "over 1024 bytes": "é" * 512 + "x",
    "NUL": "a\x00b",
    "control char": "a\x01b",
    "newline": "line\nbreak",
    "carriage return": "a\rb",
    "tab": "a\tb",
    "DEL": "a\x7fb",
    "C1 control NEL": "a\u0085b",
    "C1 control CSI": "a\u009b31mred",
}


@pytest.mark.parametrize("case", BAD_NAMES)
def test_invalid_names_are_400_everywhere(drive, case):
    name = BAD_NAMES[case]
    assert_errors(drive.put(name, b"data"), 400)
    assert_errors(drive.start_upload(name), 400)
    assert_errors(drive.get(name), 400)
    assert names(drive) == []


def test_name_parameter_missing_is_400(drive):
    assert_errors(drive.request("POST", "/files", data=b"x"), 400)
    assert_errors(drive.request("POST", "/uploads"), 400)
    assert_errors(drive.request("GET", "/files/download"), 400)
    upload_id = start_upload(drive, "n")
    assert_errors(drive.request("POST", f"/uploads/{upload_id}/parts", query="part=1", data=b"x"), 400)
    assert_errors(drive.request("PATCH", f"/uploads/{upload_id}"), 400)
    assert_errors(drive.request("DELETE", f"/uploads/{upload_id}"), 400)
    assert names(drive) == []


@pytest.mark.parametrize("query", ["name=%FF", "name=a%C3", "name=%C3%28.txt", "name=%ED%A0%80"])
def test_non_utf8_escapes_are_400(drive, query):
    assert_errors(drive.request("POST", "/files", query=query, data=b"x"), 400)
    assert_errors(drive.request("GET", "/files/download", query=query), 400)
    assert_errors(drive.request("POST", "/uploads", query=query), 400)
    assert names(drive) == []


def test_non_utf8_list_parameters_are_400(drive):
    put_ok(drive, "a", b"x")
    assert_errors(drive.list(query="prefix=%FF"), 400)
    assert_errors(drive.list(query="last=%FE"), 400)


# ----- auth ---------------------------------------------------------------------------------------

def every_drive_call(drive: DriveClient, key, upload_id: str):
    yield drive.put("intruder.txt", b"x", api_key=key)
    yield drive.get("secret.txt", api_key=key)
    yield drive.list(api_key=key)
    yield drive.delete_many(["secret.txt"], api_key=key)
    yield drive.start_upload("intruder.txt", api_key=key)
    yield drive.upload_part(upload_id, "secret.txt", 2, b"evil", api_key=key)
    yield drive.complete(upload_id, "secret.txt", api_key=key)
    yield drive.abort(upload_id, "secret.txt", api_key=key)


@pytest.fixture
def guarded(node, collection):
    """A drive in a fresh collection holding secret.txt and an open upload of it."""
    drive = node.drive(collection)
    put_ok(drive, "secret.txt", b"top secret")
    upload_id = start_upload(drive, "secret.txt")
    upload_part(drive, upload_id, "secret.txt", 1, b"pending ")
    return drive, upload_id


def assert_guarded_untouched(drive: DriveClient, upload_id: str):
    assert listing(drive) == {"names": ["secret.txt"]}
    assert download(drive, "secret.txt") == b"top secret"
    upload_part(drive, upload_id, "secret.txt", 2, b"ok")
    complete(drive, upload_id, "secret.txt")
    assert download(drive, "secret.txt") == b"pending ok"


def test_missing_and_wrong_keys_are_401(guarded, collection):
    drive, upload_id = guarded
    project, secret = collection.data_key.split("_", 1)
    wrong_secret = ("a" if secret[0] != "a" else "b") * len(secret)
    bad_keys = [None, "", "garbage", project, project + "_", f"{project}_{wrong_secret}", collection.data_key + "x",
                collection.data_key[:-1], collection.data_key.upper()]
    for key in bad_keys:
        for resp in every_drive_call(drive, key, upload_id):
            assert_errors(resp, 401, "Unauthorized")
        head = drive.head("secret.txt", api_key=key)
        assert head.status_code == 401, (key, describe(head))
    assert_guarded_untouched(drive, upload_id)


def test_key_of_another_collection_is_401(node, guarded):
    drive, upload_id = guarded
    other = node.create_collection()
    for resp in every_drive_call(drive, other.data_key, upload_id):
        assert_errors(resp, 401, "Unauthorized")
    # With its own project id, the other collection sees a different, empty drive of that name.
    theirs = DriveClient(node.url, other.project_id, other.data_key, drive.name)
    assert listing(theirs) == {"names": []}
    assert_errors(theirs.get("secret.txt"), 404)
    assert_errors(theirs.upload_part(upload_id, "secret.txt", 2, b"evil"), 404)
    assert_errors(theirs.complete(upload_id, "secret.txt"), 404)
    assert_guarded_untouched(drive, upload_id)


def test_second_key_works_and_revoked_key_stops_working(node, guarded, collection):
    drive, upload_id = guarded
    key = node.cli_json("key", "create", collection.project_id, "--name", "drive-temp")["data_key"]
    assert download(drive, "secret.txt", api_key=key) == b"top secret"
    put_ok(drive, "by-second-key.txt", b"second", api_key=key)
    result = node.cli("key", "revoke", collection.project_id, "drive-temp")
    assert result.returncode == 0, result.stderr
    for resp in every_drive_call(drive, key, upload_id):
        assert_errors(resp, 401, "Unauthorized")
    assert drive.head("secret.txt", api_key=key).status_code == 401
    json_of(drive.delete_many(["by-second-key.txt"]), 200)  # with the default key, still valid
    assert_guarded_untouched(drive, upload_id)


def test_api_key_header_name_is_case_insensitive(node, guarded):
    drive, _ = guarded
    for header in ("X-Api-Key", "x-api-key", "X-API-KEY"):
        resp = drive.request("GET", "/files/download", params={"name": "secret.txt"}, api_key=None,
                             headers={header: drive.data_key})
        assert resp.status_code == 200 and resp.content == b"top secret", describe(resp)


# ----- routing ------------------------------------------------------------------------------------

@pytest.mark.parametrize("method, path, allowed", [
    ("PUT", "/files", {"GET", "POST", "DELETE"}),
    ("PATCH", "/files", {"GET", "POST", "DELETE"}),
    ("POST", "/files/download", {"GET"}),
    ("DELETE", "/files/download", {"GET"}),
    ("GET", "/uploads", {"POST"}),
    ("DELETE", "/uploads", {"POST"}),
    ("GET", "/uploads/someid", {"PATCH", "DELETE"}),
    ("POST", "/uploads/someid", {"PATCH", "DELETE"}),
    ("GET", "/uploads/someid/parts", {"POST"}),
    ("PUT", "/uploads/someid/parts", {"POST"}),
])
def test_wrong_method_is_405_with_allow(drive, method, path, allowed):
    resp = drive.request(method, path, params={"name": "x", "part": 1})
    assert_errors(resp, 405)
    allow = {m.strip() for m in resp.headers.get("Allow", "").split(",") if m.strip()}
    assert allowed <= allow <= allowed | {"HEAD"}, resp.headers


@pytest.mark.parametrize("path", ["/files/other", "/files/download/extra", "/uploads/id/parts/3",
                                  "/uploads/id/other", "/uploads//parts", "/uploads/id/parts/", "/filez",
                                  "/files/download/"])
def test_unknown_sub_paths_are_404_json(drive, path):
    assert_errors(drive.request("GET", path, params={"name": "x"}), 404)
    assert_errors(drive.request("POST", path, params={"name": "x", "part": 1}, data=b"x"), 404)
    assert names(drive) == []


def test_expect_100_continue_is_answered(drive):
    """curl sends `Expect: 100-continue` for bodies over 1 MB and waits for the interim answer."""
    body = pattern(2 * MiB, seed=5)
    url = urlsplit(drive.root)
    path = f"{url.path}/files?name=expect.bin"
    with socket.create_connection((url.hostname, url.port), timeout=HTTP_TIMEOUT) as sock:
        head = (f"POST {path} HTTP/1.1\r\nHost: {url.netloc}\r\nX-API-Key: {drive.data_key}\r\n"
                f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\n\r\n")
        sock.sendall(head.encode())
        interim = b""
        while b"\r\n\r\n" not in interim:
            chunk = sock.recv(4096)  # times out (fails) if the server waits for the body
            assert chunk, f"connection closed before an interim response: {interim!r}"
            interim += chunk
        assert interim.startswith(b"HTTP/1.1 100"), interim
        final = interim.split(b"\r\n\r\n", 1)[1]
        sock.sendall(body)
        while b"\r\n\r\n" not in final:
            chunk = sock.recv(4096)
            assert chunk, final
            final += chunk
        assert final.startswith(b"HTTP/1.1 201"), final
    assert download(drive, "expect.bin") == body


def test_requests_with_expect_100_continue_via_requests(drive):
    body = pattern(MiB + 1, seed=6)
    resp = drive.put("e.bin", body, headers={"Expect": "100-continue"})
    assert json_of(resp, 201)["name"] == "e.bin"
    assert download(drive, "e.bin") == body
