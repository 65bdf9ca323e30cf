"""Hearth's `deta` SDK (sdk/python): every Base method against a real node.

Expected values follow the official SDK's integration tests (spec §1.10) where they exist.
"""
from __future__ import annotations

import datetime
import time
import urllib.error
from pathlib import Path

import pytest

from conftest import get_item, unique

SPEC_ITEMS = [
    {"key": "existing1", "value": "test"},
    {"key": "existing2", "value": 7},
    {"key": "existing3", "value": 44},
    {"key": "existing4", "value": {"name": "patrick"}},
    {"key": "%@#//#!#)#$_", "value": 0, "list": ["a"]},
]
ODD_KEYS = ["%@#//#!#)#$_", "a b/c?d=e&f#g", "ключ/🔑", "plus+sign", "..", ".", "trailing/"]


@pytest.fixture
def db(deta_sdk):
    return deta_sdk.Deta().Base(unique("sdk"))


@pytest.fixture
def raw(node, shared_collection, db):
    """The same Base through the plain HTTP client, to check what the SDK stored."""
    return node.base(shared_collection, db.name)


def test_put_returns_stored_item_and_get_reads_it(db, raw):
    stored = db.put({"name": "Ada", "tags": ["x"], "n": None}, "ada")
    assert stored == {"key": "ada", "name": "Ada", "tags": ["x"], "n": None}
    assert db.get("ada") == stored
    assert get_item(raw, "ada") == stored


def test_put_wraps_non_dict_values_and_generates_keys(db):
    for value in ["hello", 7, 1.5, True, ["a", "b"], None]:
        stored = db.put(value)
        assert stored["value"] == value
        assert isinstance(stored["key"], str) and len(stored["key"]) == 12
        assert db.get(stored["key"]) == stored


def test_put_key_argument_wins_and_data_is_not_mutated(db):
    data = {"key": "in-data", "x": 1}
    assert db.put(data, "argument")["key"] == "argument"
    assert data == {"key": "in-data", "x": 1}
    assert db.get("in-data") is None
    assert db.get("argument") == {"key": "argument", "x": 1}


def test_put_overwrites_whole_item(db):
    db.put({"a": 1, "b": 2}, "k")
    db.put({"c": 3}, "k")
    assert db.get("k") == {"key": "k", "c": 3}


def test_get_missing_is_none_and_empty_key_is_refused(db):
    assert db.get("nope") is None
    with pytest.raises(ValueError, match="Key is empty"):
        db.get("")


def test_delete_returns_none_whether_or_not_the_item_existed(db):
    db.put("x", "gone")
    assert db.delete("gone") is None
    assert db.get("gone") is None
    assert db.delete("never-existed") is None


@pytest.mark.parametrize("key", ODD_KEYS)
def test_keys_with_reserved_characters_round_trip(db, raw, key):
    db.put({"v": 1}, key)
    assert db.get(key) == {"key": key, "v": 1}
    if key not in (".", ".."):  # requests would drop dot segments
        assert get_item(raw, key) == {"key": key, "v": 1}
    db.update({"v": db.util.increment(2)}, key)
    assert db.get(key)["v"] == 3
    assert db.fetch({"key": key}).items == [{"key": key, "v": 3}]
    db.delete(key)
    assert db.get(key) is None


def test_insert_returns_item_and_refuses_existing_key(db):
    item = db.insert({"msg": "hi"}, "one")
    assert item == {"key": "one", "msg": "hi"}
    generated = db.insert("plain")
    assert set(generated) == {"key", "value"} and len(generated["key"]) == 12
    with pytest.raises(Exception) as info:
        db.insert({"msg": "again"}, "one")
    assert str(info.value) == "Item with key 'one' already exists"
    assert isinstance(info.value, urllib.error.HTTPError) and info.value.code == 409
    with pytest.raises(Exception, match="Item with key 'one' already exists"):
        db.insert({"key": "one"})
    assert db.get("one") == item


def test_put_many_returns_the_api_response(db):
    res = db.put_many([{"key": "a", "n": 1}, "two", {"key": "c", "n": 3}])
    assert set(res) == {"processed", "failed"}
    assert res["failed"] == {"items": []}
    processed = res["processed"]["items"]
    assert [i.get("n") for i in processed] == [1, None, 3]
    assert processed[1]["value"] == "two" and len(processed[1]["key"]) == 12
    assert db.get("c") == {"key": "c", "n": 3}


def test_put_many_limits_and_errors(deta_sdk, db):
    with pytest.raises(AssertionError, match="25"):
        db.put_many([{"n": i} for i in range(26)])
    with pytest.raises(deta_sdk.DetaError) as info:
        db.put_many([{"key": "dup"}, {"key": "dup"}])
    assert info.value.status == 400 and info.value.errors
    assert db.get("dup") is None


def test_update_operations(deta_sdk, db):
    db.put({"name": "x", "profile": {"age": 30, "town": "Oslo"}, "likes": ["anime"],
            "dislikes": ["comedy"], "n": 1, "gone": True}, "u")
    result = db.update({
        "name": "y",
        "profile.email": "y@example.org",
        "profile.town": db.util.trim(),
        "gone": db.util.trim(),
        "n": db.util.increment(),
        "likes": db.util.append("ramen"),
        "dislikes": db.util.prepend(["action", "drama"]),
    }, "u")
    assert result is None
    assert db.get("u") == {"key": "u", "name": "y", "profile": {"age": 30, "email": "y@example.org"},
                           "likes": ["anime", "ramen"], "dislikes": ["action", "drama", "comedy"], "n": 2}
    # the module-level util works the same as base.util
    db.update({"n": deta_sdk.util.increment(-5), "likes": deta_sdk.util.prepend("sushi")}, "u")
    item = db.get("u")
    assert item["n"] == -3 and item["likes"] == ["sushi", "anime", "ramen"]


def test_update_spec_vectors(db):
    db.put_many(SPEC_ITEMS)
    db.update({"value.name": "spongebob"}, "existing4")
    assert db.get("existing4") == {"key": "existing4", "value": {"name": "spongebob"}}
    db.update({"value.name": db.util.trim(), "value.age": 32}, "existing4")
    assert db.get("existing4") == {"key": "existing4", "value": {"age": 32}}
    key = "%@#//#!#)#$_"
    db.update({"list": db.util.append(["b", "c"]), "value": db.util.increment()}, key)
    db.update({"list": db.util.prepend("x"), "value": db.util.increment(2)}, key)
    assert db.get(key) == {"key": key, "list": ["x", "a", "b", "c"], "value": 3}


def test_update_errors(deta_sdk, db):
    db.put({"a": 1}, "e")
    with pytest.raises(Exception) as info:
        db.update({"a": 2}, "missing-key")
    assert str(info.value) == "Key 'missing-key' not found"
    for bad in [{}, {"key": "other"}, {"key": db.util.trim()}, {"profile.age": 1}, {"key": db.util.append("z")}]:
        with pytest.raises(deta_sdk.DetaError) as info:
            db.update(bad, "e")
        assert info.value.status == 400, bad
        assert isinstance(info.value, urllib.error.HTTPError)
    with pytest.raises(ValueError):
        db.update({"a": 1}, "")
    assert db.get("e") == {"key": "e", "a": 1}


def test_fetch_spec_vectors(deta_sdk, db):
    FetchResponse = deta_sdk.FetchResponse
    db.put_many(SPEC_ITEMS)
    by_key = {i["key"]: i for i in SPEC_ITEMS}
    e2, e3 = by_key["existing2"], by_key["existing3"]

    res = db.fetch({"value?gte": 7})
    assert (res.count, res.last, res.items) == (2, None, [e2, e3])
    assert res == FetchResponse(2, None, [e2, e3])
    assert len(res) == 2 and list(res) == [e2, e3]

    assert db.fetch({"value?gte": 7}, limit=1) == FetchResponse(1, "existing2", [e2])
    res = db.fetch([{"value?gt": 6}, {"value?lt": 50}], limit=2)
    assert res == FetchResponse(2, "existing2", [by_key["%@#//#!#)#$_"], e2])
    res = db.fetch([{"value?gt": 6}, {"value?lt": 50}], limit=2, last="existing2")
    assert res == FetchResponse(1, None, [e3])
    assert db.fetch({"value": "test"}).items == [by_key["existing1"]]
    empty = db.fetch({"valuexyz": "x"})
    assert empty == FetchResponse(0, None, []) and len(empty) == 0 and list(empty) == []
    assert bool(empty) is True  # always truthy, as in 1.2.0
    assert db.fetch({"value.name": "patrick"}).items == [by_key["existing4"]]
    assert db.fetch({"value?gte": 7}, desc=True).items == [e3, e2]
    assert db.fetch().count == 5 and db.fetch(None, limit=None).count == 5


def test_fetch_paging_with_last(db):
    db.put_many([{"key": f"k{i:02d}", "i": i} for i in range(25)])
    db.put_many([{"key": f"k{i:02d}", "i": i} for i in range(25, 30)])
    seen, last, pages = [], None, 0
    while True:
        res = db.fetch({"i?gte": 3}, limit=7, last=last)
        assert res.count == len(res.items) <= 7
        seen += [item["i"] for item in res]
        pages += 1
        last = res.last
        if last is None:
            break
        assert last == res.items[-1]["key"]
    assert seen == list(range(3, 30)) and pages == 4
    desc = db.fetch(limit=4, desc=True)
    assert [i["i"] for i in desc] == [29, 28, 27, 26] and desc.last == "k26"
    assert [i["i"] for i in db.fetch(limit=4, desc=True, last=desc.last)] == [25, 24, 23, 22]


def test_fetch_bad_query_raises_with_the_api_message(deta_sdk, db):
    with pytest.raises(deta_sdk.DetaError) as info:
        db.fetch({"name?pfx": 12})
    assert info.value.status == 400
    assert info.value.errors == ["Bad query"]
    assert "Bad query" in str(info.value)


def test_old_fetch_generator_api(db):
    db.put_many([{"key": f"g{i:02d}", "i": i} for i in range(25)])
    db.put_many([{"key": f"g{i:02d}", "i": i} for i in range(25, 31)])

    gen = db.fetch(buffer=7)
    assert not isinstance(gen, (list, dict)) and iter(gen) is gen
    pages = list(gen)
    assert [len(p) for p in pages] == [7, 7, 7, 7, 3]
    assert [item["i"] for page in pages for item in page] == list(range(31))

    pages = list(db.fetch({"i?lt": 20}, buffer=3, pages=2))
    assert [[item["i"] for item in p] for p in pages] == [[0, 1, 2], [3, 4, 5]]

    assert sum(len(p) for p in db.fetch({"i?gte": 10}, pages=10)) == 21  # server page size
    assert list(db.fetch({"i": 999}, buffer=5)) == [[]]

    # 0.x apps wrote next(db.fetch(query)) to get the first page
    first = next(db.fetch({"i?lt": 3}))
    assert [item["i"] for item in first] == [0, 1, 2]


def test_next_on_fetch_response_walks_the_pages(db):
    db.put_many([{"key": f"p{i}", "i": i} for i in range(5)])
    res = db.fetch(limit=2)
    assert [[item["i"] for item in next(res)] for _ in range(3)] == [[0, 1], [2, 3], [4]]
    with pytest.raises(StopIteration):
        next(res)
    assert [item["i"] for item in res] == [0, 1]  # iteration still goes over this page's items


def test_expire_in_and_expire_at_set_expires(deta_sdk, db, raw):
    now = int(time.time())
    db.put({"a": 1}, "in", expire_in=300)
    assert now + 299 <= get_item(raw, "in")["__expires"] <= int(time.time()) + 300

    at = datetime.datetime.now() + datetime.timedelta(hours=2)
    db.put("v", "at-dt", expire_at=at)
    assert get_item(raw, "at-dt")["__expires"] == int(at.replace(microsecond=0).timestamp())

    aware = datetime.datetime(2099, 1, 2, 3, 4, 5, 999, tzinfo=datetime.timezone.utc)
    db.insert({"b": 2}, "at-aware", expire_at=aware)
    assert get_item(raw, "at-aware")["__expires"] == int(aware.replace(microsecond=0).timestamp())

    db.put_many([{"key": "m1"}, {"key": "m2"}], expire_at=4102444800)
    assert get_item(raw, "m1")["__expires"] == 4102444800 == get_item(raw, "m2")["__expires"]

    db.put({"c": 3}, "later")
    db.update({"c": 4}, "later", expire_in=600)
    item = get_item(raw, "later")
    assert item["c"] == 4 and now + 599 <= item["__expires"] <= int(time.time()) + 600


def test_expired_items_disappear(db):
    db.put({"a": 1}, "old", expire_at=int(time.time()) - 10)
    assert db.get("old") is None
    assert db.fetch({"key": "old"}).count == 0


def test_expiry_argument_errors(db):
    with pytest.raises(ValueError):
        db.put({"a": 1}, "x", expire_in=10, expire_at=int(time.time()) + 10)
    with pytest.raises(TypeError):
        db.put({"a": 1}, "x", expire_at="tomorrow")
    with pytest.raises(TypeError):
        db.insert({"a": 1}, "x", expire_in="10")
    with pytest.raises(TypeError):
        db.update({"a": 1}, "x", expire_at=[1])
    assert db.get("x") is None


def test_path_values_are_stored_as_posix_strings(db):
    stored = db.put({"file": Path("/srv/data/file.txt"), "nested": [Path("/a/b")]}, "paths")
    assert stored["file"] == "/srv/data/file.txt" and stored["nested"] == ["/a/b"]
    assert db.get("paths")["file"] == "/srv/data/file.txt"


def test_base_objects_work_from_many_threads(db):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: db.put({"i": i}, f"t{i:03d}"), range(80)))
    keys = [item["key"] for item in db.fetch(limit=1000)]
    assert keys == [f"t{i:03d}" for i in range(80)]
