"""Bad input: every rejected request gets the right 4xx, a JSON `{"errors": [...]}` body, and
writes nothing (spec §1.3, §1.4.1, §1.4.4, §1.8, §1.9)."""
import json

import pytest
import requests

from conftest import HTTP_TIMEOUT, all_keys, assert_errors, get_item, json_of, put_ok

OVER_400KB = "x" * (400 * 1024 + 1)


def deep(levels: int) -> str:
    """JSON text of an array nested `levels` deep."""
    return "[" * levels + "]" * levels


PUT_BAD_BODIES = {
    "malformed JSON": '{"items": [',
    "trailing garbage": '{"items":[{"key":"a"}]} x',
    "empty body": "",
    "body is array": '[{"key":"a"}]',
    "body is string": '"items"',
    "items missing": '{"item":{"key":"a"}}',
    "items not array": '{"items":{"key":"a"}}',
    "items null": '{"items":null}',
    "items empty": '{"items":[]}',
    "element is number": '{"items":[{"key":"ok"},5]}',
    "element is string": '{"items":[{"key":"ok"},"str"]}',
    "element is null": '{"items":[{"key":"ok"},null]}',
    "element is array": '{"items":[{"key":"ok"},[{"key":"x"}]]}',
    "int key": '{"items":[{"key":"ok"},{"key":1}]}',
    "bool key": '{"items":[{"key":"ok"},{"key":true}]}',
    "float key": '{"items":[{"key":"ok"},{"key":1.5}]}',
    "array key": '{"items":[{"key":"ok"},{"key":["a"]}]}',
    "object key": '{"items":[{"key":"ok"},{"key":{"a":1}}]}',
    "26 items": json.dumps({"items": [{"key": f"k{i:02d}"} for i in range(26)]}),
    "26 items without keys": json.dumps({"items": [{"i": i} for i in range(26)]}),
    "duplicate keys": json.dumps({"items": [{"key": "ok", "v": 1}, {"key": "other"}, {"key": "ok", "v": 2}]}),
    "item over 400 KB": json.dumps({"items": [{"key": "ok"}, {"key": "big", "blob": OVER_400KB}]}),
    "1000-level nesting": '{"items":[{"key":"ok"},{"key":"deep","v":' + deep(1000) + "}]}",
    "1000-level object nesting": '{"items":[{"key":"deep","v":' + '{"a":' * 1000 + "1" + "}" * 1000 + "}]}",
    "number 1e999": '{"items":[{"key":"ok"},{"key":"huge","n":1e999}]}',
    "number -1e999": '{"items":[{"key":"huge","n":-1e999}]}',
    "NaN literal": '{"items":[{"key":"nan","n":NaN}]}',
    "non-numeric __expires": '{"items":[{"key":"ok"},{"key":"ttl","__expires":"tomorrow"}]}',
    "invalid UTF-8": b'{"items":[{"key":"ok"},{"key":"\xff\xfe"}]}',
    "single quotes": "{'items':[{'key':'ok'}]}",
}


@pytest.mark.parametrize("raw", PUT_BAD_BODIES.values(), ids=PUT_BAD_BODIES.keys())
def test_put_rejects_and_writes_nothing(base, raw):
    assert_errors(base.request("PUT", f"{base.root}/items", raw=raw), 400)
    assert all_keys(base) == []
    assert get_item(base, "ok") is None


def test_put_accepts_exactly_25_items_and_large_item(base):
    processed = put_ok(base, *[{"key": f"k{i:02d}"} for i in range(25)])
    assert len(processed) == 25
    put_ok(base, {"key": "large", "blob": "y" * 380_000})
    assert len(get_item(base, "large")["blob"]) == 380_000
    assert len(all_keys(base)) == 26


def test_moderate_nesting_is_accepted(base):
    put_ok(base, json.loads('{"key":"nest","v":' + deep(20) + "}"))
    assert get_item(base, "nest") == json.loads('{"key":"nest","v":' + deep(20) + "}")


INSERT_BAD_BODIES = {
    "malformed JSON": '{"item": {',
    "empty body": "",
    "body is array": '[{"key":"a"}]',
    "item missing": '{"items":[{"key":"ok"}]}',
    "item null": '{"item":null}',
    "item is number": '{"item":5}',
    "item is string": '{"item":"ok"}',
    "item is array": '{"item":[{"key":"ok"}]}',
    "int key": '{"item":{"key":1}}',
    "bool key": '{"item":{"key":false}}',
    "item over 400 KB": json.dumps({"item": {"key": "ok", "blob": OVER_400KB}}),
    "1000-level nesting": '{"item":{"key":"ok","v":' + deep(1000) + "}}",
    "number 1e999": '{"item":{"key":"ok","n":1e999}}',
    "non-numeric __expires": '{"item":{"key":"ok","__expires":[1]}}',
}


@pytest.mark.parametrize("raw", INSERT_BAD_BODIES.values(), ids=INSERT_BAD_BODIES.keys())
def test_insert_rejects_and_writes_nothing(base, raw):
    assert_errors(base.request("POST", f"{base.root}/items", raw=raw), 400)
    assert all_keys(base) == []


PATCH_BAD_BODIES = {
    "malformed JSON": '{"set": {',
    "empty body": "",
    "body is array": '[{"set":{"a":2}}]',
    "body is null": "null",
    "unknown operation": '{"set":{"a":2},"frobnicate":{"a":1}}',
    "increment 1e999": '{"increment":{"a":1e999}}',
    "set 1e999": '{"set":{"a":1e999}}',
    "set 1000-level nesting": '{"set":{"a":' + deep(1000) + "}}",
    "set value over 400 KB": json.dumps({"set": {"blob": OVER_400KB}}),
    "set non-numeric __expires": '{"set":{"__expires":"soon"}}',
}


@pytest.mark.parametrize("raw", PATCH_BAD_BODIES.values(), ids=PATCH_BAD_BODIES.keys())
def test_update_rejects_and_leaves_item_unchanged(base, raw):
    original = {"key": "u", "a": 1}
    put_ok(base, original)
    assert_errors(base.request("PATCH", base.item_url("u"), raw=raw), 400)
    assert get_item(base, "u") == original
    assert all_keys(base) == ["u"]


def test_update_growing_item_past_400kb_is_rejected(base):
    put_ok(base, {"key": "g", "a": "z" * 300_000})
    assert_errors(base.update("g", {"set": {"b": "z" * 150_000}}), 400)
    assert get_item(base, "g") == {"key": "g", "a": "z" * 300_000}


QUERY_BAD_BODIES = {
    "malformed JSON": '{"query": [',
    "body is array": "[]",
    "body is string": '"all"',
    "1000-level nesting": '{"query":[{"a":' + deep(1000) + "}]}",
}


@pytest.mark.parametrize("raw", QUERY_BAD_BODIES.values(), ids=QUERY_BAD_BODIES.keys())
def test_query_rejects_bad_body(base, raw):
    assert_errors(base.request("POST", f"{base.root}/query", raw=raw), 400)


WRONG_METHODS = [
    ("GET", "/items", None),
    ("DELETE", "/items", None),
    ("PATCH", "/items", {"set": {"a": 1}}),
    ("GET", "/query", None),
    ("PUT", "/query", {"items": [{"key": "wm"}]}),
    ("DELETE", "/query", None),
    ("POST", "/items/wm", {"item": {"key": "wm"}}),
    ("PUT", "/items/wm", {"items": [{"key": "wm"}]}),
]


@pytest.mark.parametrize("method,path,body", WRONG_METHODS, ids=[f"{m} {p}" for m, p, _ in WRONG_METHODS])
def test_wrong_method_is_405_json(base, method, path, body):
    kwargs = {} if body is None else {"raw": json.dumps(body)}
    assert_errors(base.request(method, base.root + path, **kwargs), 405)
    assert all_keys(base) == []


def test_server_still_healthy_after_bad_input(node, base):
    assert node.alive, node.logs()
    resp = requests.get(f"{node.url}/healthz", timeout=HTTP_TIMEOUT)
    assert json_of(resp, 200) == {"status": "ok"}
    put_ok(base, {"key": "after", "v": [1, 2, 3]})
    assert get_item(base, "after") == {"key": "after", "v": [1, 2, 3]}
