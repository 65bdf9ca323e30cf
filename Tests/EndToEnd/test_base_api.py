"""Base items: put/get/delete/insert/update, keys and TTL (spec §1.2-§1.4, §1.7, §1.10)."""
import re
import time

import pytest

from conftest import all_keys, assert_errors, get_item, json_of, put_ok

PCT = "%@#//#!#)#$_"  # the Python SDK test key (spec §1.2)


# ----- PUT / GET / DELETE ------------------------------------------------------------------

def test_put_returns_207_with_processed_and_failed(base):
    items = [{"key": "a", "n": 1}, {"key": "b", "s": "x", "nested": {"l": [1, {"z": True}]}}]
    body = json_of(base.put(*items), 207)
    assert body == {"processed": {"items": items}, "failed": {"items": []}}


def test_get_returns_stored_item(base):
    item = {"key": "k", "s": "héllo ✓", "i": -42, "f": 3.25, "t": True, "f2": False,
            "arr": [1, "two", [3], {"four": 4}], "obj": {"a": {"b": {"c": "deep"}}}, "empty": {}, "none": []}
    put_ok(base, item)
    assert json_of(base.get("k"), 200) == item


def test_null_values_are_stored_as_given(base):
    put_ok(base, {"key": "n", "v": None, "l": [None]})
    assert json_of(base.get("n"), 200) == {"key": "n", "v": None, "l": [None]}


def test_sixteen_digit_numbers_round_trip_exactly(base):
    item = {"key": "num", "big": 1234567890123456, "neg": -9007199254740991, "frac": 0.1, "sci": 1.5e300}
    put_ok(base, item)
    assert json_of(base.get("num"), 200) == item


def test_put_overwrites_without_merge(base):
    put_ok(base, {"key": "k", "a": 1, "b": 2})
    put_ok(base, {"key": "k", "a": 3})
    assert json_of(base.get("k"), 200) == {"key": "k", "a": 3}


def test_get_missing_is_404_with_exact_key_body(base):
    resp = base.get("nope")
    assert json_of(resp, 404) == {"key": "nope"}


def test_delete_existing_then_get_404(base):
    put_ok(base, {"key": "gone", "v": 1})
    assert json_of(base.delete("gone"), 200) == {"key": "gone"}
    assert json_of(base.get("gone"), 404) == {"key": "gone"}


def test_delete_missing_is_200(base):
    assert json_of(base.delete("never"), 200) == {"key": "never"}


def test_bodiless_request_with_json_content_type_is_accepted(base):
    put_ok(base, {"key": "k"})
    resp = base.request("GET", base.item_url("k"), headers={"Content-Type": "application/json"})
    assert json_of(resp, 200) == {"key": "k"}


def test_json_body_without_content_type_is_accepted(base):
    resp = base.request("PUT", f"{base.root}/items", raw='{"items":[{"key":"nc","v":1}]}',
                        headers={"Content-Type": None})
    assert "Content-Type" not in resp.request.headers
    json_of(resp, 207)
    assert get_item(base, "nc") == {"key": "nc", "v": 1}


# ----- POST /items (insert) ----------------------------------------------------------------

def test_insert_returns_201_with_item(base):
    assert json_of(base.insert({"key": "ins", "msg": "hi"}), 201) == {"key": "ins", "msg": "hi"}
    assert get_item(base, "ins") == {"key": "ins", "msg": "hi"}


def test_insert_existing_key_is_409_and_keeps_item(base):
    put_ok(base, {"key": "dup", "v": "original"})
    assert_errors(base.insert({"key": "dup", "v": "new"}), 409, "Key already exists")
    assert get_item(base, "dup") == {"key": "dup", "v": "original"}


def test_insert_without_key_generates_one(base):
    item = json_of(base.insert({"msg": "hello"}), 201)
    assert set(item) == {"key", "msg"} and re.fullmatch(r"[a-z0-9]{12}", item["key"]), item
    assert get_item(base, item["key"]) == item


# ----- generated keys ----------------------------------------------------------------------

def test_generated_keys_are_12_lowercase_alnum_and_increasing(base):
    keys = []
    for i in range(6):
        if i % 2:
            keys.append(json_of(base.insert({"i": i}), 201)["key"])
        else:
            keys.append(put_ok(base, {"i": i})[0]["key"])
    for key in keys:
        assert re.fullmatch(r"[a-z0-9]{12}", key), key
    assert keys == sorted(keys) and len(set(keys)) == len(keys), keys
    assert all_keys(base) == keys
    for i, key in enumerate(keys):
        assert get_item(base, key) == {"key": key, "i": i}


def test_batch_without_keys_gets_distinct_keys(base):
    processed = put_ok(base, *[{"i": i} for i in range(25)])
    keys = [item["key"] for item in processed]
    assert [item["i"] for item in processed] == list(range(25))
    assert len(set(keys)) == 25 and all(re.fullmatch(r"[a-z0-9]{12}", k) for k in keys)
    assert sorted(all_keys(base)) == sorted(keys)


def test_empty_string_key_means_generate(base):
    key = put_ok(base, {"key": "", "v": 1})[0]["key"]
    assert re.fullmatch(r"[a-z0-9]{12}", key), key
    assert get_item(base, key) == {"key": key, "v": 1}


# ----- keys needing URL encoding (§1.2) ---------------------------------------------------

ODD_KEYS = [PCT, "a/b", "a/b/", "/lead", "a%2Fb", "100%", "%", "with space", " padded ", "a+b", "q?x=1#f",
            "日本語", "emoji 😀", "é", "semi;colon", "a\\b", "~tilde", "'\"quotes\"'"]


@pytest.mark.parametrize("key", ODD_KEYS)
def test_key_round_trips_through_every_endpoint(base, key):
    assert put_ok(base, {"key": key, "v": key})[0]["key"] == key
    assert json_of(base.get(key), 200) == {"key": key, "v": key}
    page = json_of(base.query({"query": [{"key": key}]}), 200)
    assert page == {"paging": {"size": 1}, "items": [{"key": key, "v": key}]}
    assert json_of(base.update(key, {"set": {"w": 1}}), 200)["key"] == key
    assert get_item(base, key) == {"key": key, "v": key, "w": 1}
    assert json_of(base.delete(key), 200) == {"key": key}
    assert json_of(base.get(key), 404) == {"key": key}


def test_encoded_slash_is_not_a_path_separator(base):
    put_ok(base, {"key": "a", "v": "plain"}, {"key": "a/b", "v": "slash"}, {"key": "b", "v": "b"})
    assert get_item(base, "a/b") == {"key": "a/b", "v": "slash"}
    assert json_of(base.delete("a/b"), 200) == {"key": "a/b"}
    assert all_keys(base) == ["a", "b"]


def test_percent_sequences_decoded_exactly_once(base):
    put_ok(base, {"key": "%41", "v": 1}, {"key": "A", "v": 2})
    assert get_item(base, "%41") == {"key": "%41", "v": 1}  # sent as %2541
    assert get_item(base, "A") == {"key": "A", "v": 2}


# ----- PATCH (update) §1.4.5 ---------------------------------------------------------------

def user_a():
    return {"key": "user-a", "profile": {"age": 32, "active": False, "hometown": "pittsburgh"},
            "on_mobile": True, "likes": ["anime"], "dislikes": ["comedy"], "purchases": 1}


def test_update_worked_example_all_five_ops(base):
    put_ok(base, user_a())
    ops = {"set": {"profile.age": 33, "profile.active": True, "profile.email": "jimmy@deta.sh"},
           "increment": {"purchases": 2}, "append": {"likes": ["ramen"]},
           "prepend": {"dislikes": ["action"]}, "delete": ["profile.hometown", "on_mobile"]}
    echo = json_of(base.update("user-a", ops), 200)
    assert echo["key"] == "user-a" and echo["set"] == ops["set"] and echo["delete"] == ops["delete"], echo
    assert get_item(base, "user-a") == {
        "key": "user-a", "profile": {"age": 33, "active": True, "email": "jimmy@deta.sh"},
        "likes": ["anime", "ramen"], "dislikes": ["action", "comedy"], "purchases": 3}
    json_of(base.update("user-a", {"prepend": {"dislikes": ["romcom"]}}), 200)
    assert get_item(base, "user-a")["dislikes"] == ["romcom", "action", "comedy"]


def test_update_accepts_sdk_style_empty_ops(base):
    put_ok(base, {"key": "k", "a": 1})
    body = {"set": {"a": 2}, "increment": {}, "append": {}, "prepend": {}, "delete": []}
    json_of(base.update("k", body), 200)
    assert get_item(base, "k") == {"key": "k", "a": 2}


def test_python_sdk_update_sequence_nested(base):
    put_ok(base, {"key": "existing4", "value": {"name": "patrick"}})
    json_of(base.update("existing4", {"set": {"value.name": "spongebob"}}), 200)
    assert get_item(base, "existing4") == {"key": "existing4", "value": {"name": "spongebob"}}
    json_of(base.update("existing4", {"set": {"value.age": 32}, "delete": ["value.name"]}), 200)
    assert get_item(base, "existing4") == {"key": "existing4", "value": {"age": 32}}


def test_python_sdk_update_sequence_lists_on_encoded_key(base):
    put_ok(base, {"key": PCT, "value": 0, "list": ["a"]})
    json_of(base.update(PCT, {"append": {"list": ["b", "c"]}, "increment": {"value": 1}}), 200)
    json_of(base.update(PCT, {"prepend": {"list": ["x"]}, "increment": {"value": 2}}), 200)
    assert get_item(base, PCT) == {"key": PCT, "list": ["x", "a", "b", "c"], "value": 3}


def test_update_nested_paths_for_every_op(base):
    put_ok(base, {"key": "n", "p": {"stats": {"views": 5}, "tags": ["b"], "gone": {"x": 1}, "keep": 1}})
    json_of(base.update("n", {"increment": {"p.stats.views": -2}, "append": {"p.tags": ["c"]},
                              "delete": ["p.gone.x"], "set": {"p.stats.likes": 1}}), 200)
    json_of(base.update("n", {"prepend": {"p.tags": ["a"]}}), 200)
    assert get_item(base, "n") == {"key": "n", "p": {"stats": {"views": 3, "likes": 1}, "tags": ["a", "b", "c"],
                                                     "gone": {}, "keep": 1}}


def test_update_increment_float_and_negative(base):
    put_ok(base, {"key": "c", "n": 10})
    json_of(base.update("c", {"increment": {"n": -15}}), 200)
    json_of(base.update("c", {"increment": {"n": 0.5}}), 200)
    assert get_item(base, "c")["n"] == -4.5


def test_update_recommended_missing_attribute_behaviour(base):
    put_ok(base, {"key": "m"})
    json_of(base.update("m", {"increment": {"count": 3}, "append": {"l": ["x"]}, "prepend": {"p": ["y"]},
                              "delete": ["absent"]}), 200)
    assert get_item(base, "m") == {"key": "m", "count": 3, "l": ["x"], "p": ["y"]}


def test_update_can_set_whole_objects_and_replace_types(base):
    put_ok(base, {"key": "s", "a": 1})
    json_of(base.update("s", {"set": {"a": {"b": [1, 2]}, "c": None}}), 200)
    assert get_item(base, "s") == {"key": "s", "a": {"b": [1, 2]}, "c": None}


def test_update_missing_item_is_404(base):
    assert_errors(base.update("ghost", {"set": {"a": 1}}), 404, "Key not found")
    assert get_item(base, "ghost") is None


UPDATE_400 = {
    "set key": {"set": {"key": "other"}},
    "delete key": {"delete": ["key"]},
    "append key": {"append": {"key": ["x"]}},
    "prepend key": {"prepend": {"key": ["x"]}},
    "increment key": {"increment": {"key": 1}},
    "set and delete same attribute": {"set": {"a": 2}, "delete": ["a"]},
    "set nested without parent": {"set": {"user.age": 22}},
    "no attributes (empty body)": {},
    "no attributes (all ops empty)": {"set": {}, "increment": {}, "append": {}, "prepend": {}, "delete": []},
    "append non-list value": {"append": {"l": "x"}},
    "prepend non-list value": {"prepend": {"l": 5}},
    "append to non-list attribute": {"append": {"a": ["x"]}},
    "increment non-number value": {"increment": {"a": "1"}},
    "increment non-number attribute": {"increment": {"s": 1}},
    "unknown operation": {"rename": {"a": "b"}},
    "set not an object": {"set": ["a", 1]},
    "delete not an array": {"delete": "a"},
}


@pytest.mark.parametrize("body", UPDATE_400.values(), ids=UPDATE_400.keys())
def test_update_invalid_is_400_and_item_unchanged(base, body):
    original = {"key": "u", "a": 1, "s": "str", "l": ["x"]}
    put_ok(base, original)
    assert_errors(base.update("u", body), 400)
    assert get_item(base, "u") == original


# ----- TTL (§1.7) --------------------------------------------------------------------------

def test_expired_item_is_hidden_from_get_and_query(base):
    past = int(time.time()) - 100
    processed = put_ok(base, {"key": "old", "__expires": past}, {"key": "live", "v": 1})
    assert processed[0] == {"key": "old", "__expires": past}
    assert json_of(base.get("old"), 404) == {"key": "old"}
    assert all_keys(base) == ["live"]
    page = json_of(base.query({"query": [{"key": "old"}]}), 200)
    assert page == {"paging": {"size": 0}, "items": []}


def test_future_expiry_is_visible_and_returned(base):
    future = int(time.time()) + 3600
    put_ok(base, {"key": "soon", "v": 1, "__expires": future})
    assert get_item(base, "soon") == {"key": "soon", "v": 1, "__expires": future}
    assert fetch_items(base) == [{"key": "soon", "v": 1, "__expires": future}]


def test_expired_item_counts_as_absent_for_insert_and_update(base):
    put_ok(base, {"key": "e", "v": "old", "__expires": int(time.time()) - 10})
    assert_errors(base.update("e", {"set": {"v": "x"}}), 404, "Key not found")
    assert json_of(base.insert({"key": "e", "v": "new"}), 201) == {"key": "e", "v": "new"}
    assert get_item(base, "e") == {"key": "e", "v": "new"}


def test_setting_expires_in_past_via_update_hides_item(base):
    put_ok(base, {"key": "t", "v": 1})
    json_of(base.update("t", {"set": {"__expires": int(time.time()) - 1}}), 200)
    assert get_item(base, "t") is None
    assert all_keys(base) == []


def test_update_keeps_expiry_unless_set(base):
    future = int(time.time()) + 3600
    put_ok(base, {"key": "t", "v": 1, "__expires": future})
    json_of(base.update("t", {"set": {"v": 2}}), 200)
    assert get_item(base, "t") == {"key": "t", "v": 2, "__expires": future}


def fetch_items(base):
    page = json_of(base.query({}), 200)
    return page["items"]
