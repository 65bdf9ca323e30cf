"""Data-key authentication on the Base API (spec §1.1): 401 `{"errors":["Unauthorized"]}` on failure."""
import json

import pytest

from conftest import BaseClient, assert_errors, get_item, json_of, put_ok, unique

SECRET_VALUE = "top-secret-value-9f3a"


def every_endpoint(base: BaseClient, key):
    """One request per Base endpoint, all sent with `key` (None = no header)."""
    yield base.put({"key": "intruder", "v": 1}, api_key=key)
    yield base.get("private", api_key=key)
    yield base.delete("private", api_key=key)
    yield base.insert({"key": "intruder2"}, api_key=key)
    yield base.update("private", {"set": {"v": "hacked"}}, api_key=key)
    yield base.query({}, api_key=key)


@pytest.fixture
def owned(node, collection):
    """A base in a fresh collection holding one private item."""
    base = node.base(collection)
    put_ok(base, {"key": "private", "secret": SECRET_VALUE})
    return base


def assert_untouched(base: BaseClient):
    page = json_of(base.query({}), 200)
    assert page == {"paging": {"size": 1}, "items": [{"key": "private", "secret": SECRET_VALUE}]}


def test_no_key_is_401(owned):
    for resp in every_endpoint(owned, None):
        assert_errors(resp, 401, "Unauthorized")
    assert_untouched(owned)


def test_malformed_keys_are_401(owned, collection):
    project, secret = collection.data_key.split("_", 1)
    malformed = ["", "garbage", project, project + "_", "_" + secret, secret, collection.data_key + "x",
                 collection.data_key[:-1], collection.data_key + "_extra", collection.data_key.upper()]
    for key in malformed:
        if key == collection.data_key:
            continue
        for resp in every_endpoint(owned, key):
            assert_errors(resp, 401, "Unauthorized")
    assert_untouched(owned)


def test_wrong_secret_is_401(owned, collection):
    project, secret = collection.data_key.split("_", 1)
    wrong = "a" * len(secret) if secret != "a" * len(secret) else "b" * len(secret)
    for resp in every_endpoint(owned, f"{project}_{wrong}"):
        assert_errors(resp, 401, "Unauthorized")
    assert_untouched(owned)


def test_header_name_is_case_insensitive(owned, collection):
    for header in ("X-Api-Key", "x-api-key", "X-API-KEY"):
        resp = owned.request("GET", owned.item_url("private"), api_key=None, headers={header: collection.data_key})
        assert json_of(resp, 200) == {"key": "private", "secret": SECRET_VALUE}


def test_key_of_other_collection_is_401_and_leaks_nothing(node, owned, collection):
    other = node.create_collection()
    assert other.project_id != collection.project_id
    for resp in every_endpoint(owned, other.data_key):
        assert_errors(resp, 401, "Unauthorized")
        text = resp.text + json.dumps(dict(resp.headers))
        assert collection.project_id not in text, text
        assert SECRET_VALUE not in text and "private" not in resp.text, text
    assert_untouched(owned)
    # The other collection's key still works on its own path, and sees nothing of the first.
    mine = node.base(other, name=owned.name)
    assert json_of(mine.query({}), 200) == {"paging": {"size": 0}, "items": []}
    assert get_item(mine, "private") is None


def test_key_on_unknown_project_path_is_401(node, collection):
    ghost = BaseClient(node.url, "nosuchproject", collection.data_key, unique("b"))
    assert_errors(ghost.put({"key": "x"}), 401, "Unauthorized")
    assert_errors(ghost.query({}), 401, "Unauthorized")


def test_second_key_works_alongside_first(node, owned, collection):
    created = node.cli_json("key", "create", collection.project_id, "--name", "second")
    assert set(created) >= {"id", "name", "data_key"} and created["name"] == "second"
    second = created["data_key"]
    assert second.startswith(collection.project_id + "_") and second != collection.data_key
    assert json_of(owned.get("private", api_key=second), 200)["secret"] == SECRET_VALUE
    put_ok(owned, {"key": "by-second"}, api_key=second)
    assert get_item(owned, "by-second") == {"key": "by-second"}  # read back with the first key


def test_revoked_key_stops_working(node, owned, collection):
    key = node.cli_json("key", "create", collection.project_id, "--name", "temp")["data_key"]
    json_of(owned.get("private", api_key=key), 200)
    json_of(owned.put({"key": "before-revoke"}, api_key=key), 207)

    result = node.cli("key", "revoke", collection.project_id, "temp")
    assert result.returncode == 0, result.stderr

    for resp in every_endpoint(owned, key):
        assert_errors(resp, 401, "Unauthorized")
    # The default key is unaffected, and nothing was written with the revoked one.
    assert [i["key"] for i in json_of(owned.query({}), 200)["items"]] == ["before-revoke", "private"]
    listed = {k["name"]: k for k in node.cli_json("key", "ls", collection.project_id)}
    assert listed["temp"].get("revoked_at") is not None
    assert listed["default"].get("revoked_at") is None


def test_key_ls_never_shows_secrets(node, collection):
    created = node.cli_json("key", "create", collection.project_id, "--name", "listed")
    result = node.cli("key", "ls", collection.project_id, "--json")
    assert result.returncode == 0, result.stderr
    keys = json.loads(result.stdout)
    assert {k["name"] for k in keys} >= {"default", "listed"}
    for k in keys:
        assert set(k) >= {"id", "name", "hint", "created_at", "revoked_at"}, k
    for secret_key in (collection.data_key, created["data_key"]):
        assert secret_key not in result.stdout
        assert secret_key.split("_", 1)[1] not in result.stdout
