"""POST /query: conformance vectors, operators, key rules, ordering, pagination (spec §1.4.6-§1.6, §1.10)."""
import pytest

from conftest import assert_errors, fetch_all, json_of, put_ok

PCT = "%@#//#!#)#$_"
SDK_ITEMS = [
    {"key": "existing1", "value": "test"},
    {"key": "existing2", "value": 7},
    {"key": "existing3", "value": 44},
    {"key": "existing4", "value": {"name": "patrick"}},
    {"key": PCT, "value": 0, "list": ["a"]},
]
BY_KEY = {item["key"]: item for item in SDK_ITEMS}


@pytest.fixture(scope="module")
def sdk_base(node, shared_collection):
    base = node.base(shared_collection)
    put_ok(base, *SDK_ITEMS)
    return base


def sdk_fetch(query, limit=1000, last=None, desc=False):
    """The payload the Python SDK 1.2.0 `fetch` sends."""
    body = {"limit": limit, "last": last, "sort": "desc" if desc else ""}
    if query:
        body["query"] = query if isinstance(query, list) else [query]
    return body


# Spec §1.10 table, literally: (payload, expected keys, expected paging.last or None)
CONFORMANCE = [
    (sdk_fetch({"value?gte": 7}), ["existing2", "existing3"], None),
    (sdk_fetch({"value?gte": 7}, limit=1), ["existing2"], "existing2"),
    (sdk_fetch([{"value?gt": 6}, {"value?lt": 50}], limit=2), [PCT, "existing2"], "existing2"),
    (sdk_fetch([{"value?gt": 6}, {"value?lt": 50}], limit=2, last="existing2"), ["existing3"], None),
    (sdk_fetch({"value": "test"}), ["existing1"], None),
    (sdk_fetch({"valuexyz": "…"}), [], None),
    (sdk_fetch({"value.name": "patrick"}), ["existing4"], None),
    (sdk_fetch({"value?gte": 7}, desc=True), ["existing3", "existing2"], None),
]


@pytest.mark.parametrize("payload,keys,last", CONFORMANCE, ids=[str(c[0]) for c in CONFORMANCE])
def test_sdk_conformance_vectors(sdk_base, payload, keys, last):
    page = json_of(sdk_base.query(payload), 200)
    paging = {"size": len(keys)} if last is None else {"size": len(keys), "last": last}
    assert page == {"paging": paging, "items": [BY_KEY[k] for k in keys]}


# Every way real clients say "match everything" (§1.4.6).
MATCH_ALL = {
    "empty body": {},
    "query null (Go)": {"query": None},
    "query []": {"query": []},
    "query [{}] (JS fetch({}))": {"query": [{}]},
    "limit null": {"limit": None},
    "last empty": {"last": ""},
    "last null": {"last": None},
    "sort empty": {"sort": ""},
    "sort asc": {"sort": "asc"},
    "JS v2 defaults": {"query": [], "limit": 1000, "last": "", "sort": ""},
    "Python sync defaults": {"limit": 1000, "last": None, "sort": ""},
    "all nulls": {"query": None, "limit": None, "last": None},
}


@pytest.mark.parametrize("payload", MATCH_ALL.values(), ids=MATCH_ALL.keys())
def test_match_everything_variants(sdk_base, payload):
    page = json_of(sdk_base.query(payload), 200)
    expected = sorted(SDK_ITEMS, key=lambda i: i["key"].encode())
    assert page == {"paging": {"size": 5}, "items": expected}


# ----- operators ----------------------------------------------------------------------------

OP_ITEMS = [
    {"key": "a", "name": "Alice", "age": 27, "tags": ["x", "y"], "bio": "hello world", "profile": {"city": "Oslo"}},
    {"key": "b", "name": "Bob", "age": 43, "tags": ["y"], "bio": "goodbye", "profile": {"city": "Rome"}},
    {"key": "c", "name": "Carol", "age": 51, "tags": [], "bio": "hello there", "profile": {"city": "Oslo", "zip": "0150"}},
    {"key": "d", "name": "Dave", "age": "27", "tags": ["x"], "bio": "hi", "fav": [2, 4, 8]},
    {"key": "e", "name": "Eve", "age": 20, "tags": ["z"], "bio": "yo", "time": {"h": 1, "m": 2}},
]

OPERATOR_CASES = [
    ({"name": "Alice"}, "a"),
    ({"age": 27}, "a"),
    ({"age": "27"}, "d"),
    ({"fav": [2, 4, 8]}, "d"),
    ({"time": {"h": 1, "m": 2}}, "e"),
    ({"name?ne": "Alice"}, "bcde"),
    ({"age?lt": 27}, "e"),
    ({"age?<": 27}, "e"),
    ({"age?gt": 43}, "c"),
    ({"age?>": 43}, "c"),
    ({"age?lte": 27}, "ae"),
    ({"age?<=": 27}, "ae"),
    ({"age?gte": 43}, "bc"),
    ({"age?>=": 43}, "bc"),
    ({"age?gt": 6}, "abce"),  # type rule: the string "27" never compares with a number
    ({"name?lt": "Bob"}, "a"),
    ({"name?gte": "Carol"}, "cde"),
    ({"name?pfx": "Al"}, "a"),
    ({"name?pfx": "al"}, ""),
    ({"age?r": [20, 43]}, "abe"),
    ({"name?r": ["Bob", "Dave"]}, "bcd"),
    ({"bio?contains": "hello"}, "ac"),
    ({"tags?contains": "y"}, "ab"),
    ({"bio?not_contains": "hello"}, "bde"),
    ({"bio?!contains": "hello"}, "bde"),
    ({"tags?not_contains": "y"}, "cde"),
    ({"profile.city": "Oslo"}, "ac"),
    ({"profile.zip?pfx": "01"}, "c"),
    ({"profile.city": "Oslo", "age?gt": 30}, "c"),
    ({"age?>": 20, "age?<": 50}, "ab"),
    ([{"name": "Alice"}, {"age?gte": 51}], "ac"),
    ([{"profile.city": "Oslo"}, {"age?lt": 30}], "ace"),  # 'a' matches both branches, returned once
    ({"key": "b"}, "b"),
    ({"key?pfx": "b"}, "b"),
    ({"key?gt": "c"}, "de"),
    ({"key?>": "c"}, "de"),
    ({"key?gte": "c"}, "cde"),
    ({"key?>=": "c"}, "cde"),
    ({"key?lt": "b"}, "a"),
    ({"key?<": "b"}, "a"),
    ({"key?lte": "b"}, "ab"),
    ({"key?<=": "b"}, "ab"),
    ({"key?r": ["b", "d"]}, "bcd"),
    ({"key?gte": "b", "profile.city": "Oslo"}, "c"),
    ([{"key?>=": "b", "name": "Bob"}, {"key?>=": "b", "age": 20}], "be"),
    ([{"name": "Nobody"}], ""),
]


@pytest.fixture(scope="module")
def op_base(node, shared_collection):
    base = node.base(shared_collection)
    put_ok(base, *OP_ITEMS)
    return base


@pytest.mark.parametrize("query,keys", OPERATOR_CASES, ids=[str(q) for q, _ in OPERATOR_CASES])
def test_operator(op_base, query, keys):
    query = query if isinstance(query, list) else [query]
    page = json_of(op_base.query({"query": query}), 200)
    assert [i["key"] for i in page["items"]] == list(keys), page
    assert page["paging"] == {"size": len(keys)}
    assert page["items"] == [i for i in OP_ITEMS if i["key"] in keys]


BAD_QUERIES = {
    "pfx with number": [{"name?pfx": 12}],
    "range empty": [{"age?r": []}],
    "range one element": [{"age?r": [21]}],
    "range not array": [{"age?r": 21}],
    "unknown operator": [{"name?random": "x"}],
    "empty operator": [{"name?": "x"}],
    "bare question mark": [{"?": "x"}],
    "doubled operator": [{"name??": "x"}],
    "key pfx number": [{"key?pfx": 12}],
    "key gt number": [{"key?>": 12}],
    "key equals number": [{"key": 12}],
    "key contains": [{"key?contains": "a"}],
    "key not_contains": [{"key?not_contains": "a"}],
    "key range of numbers": [{"key?r": [1, 2]}],
    "two key conditions in one map": [{"key": "a", "key?>": "b"}],
    "different key ops across OR": [{"key?<=": "a"}, {"key": "a"}],
    "different key values across OR": [{"key?<=": "a"}, {"key?<=": "b"}],
    "key condition in only one OR branch": [{"age": 27}, {"key?<=": "b"}],
}


@pytest.mark.parametrize("query", BAD_QUERIES.values(), ids=BAD_QUERIES.keys())
def test_bad_query(op_base, query):
    assert_errors(op_base.query({"query": query}), 400, "Bad query")


MALFORMED_QUERY_BODIES = {
    "limit 0": {"limit": 0},
    "limit negative": {"limit": -1},
    "limit string": {"limit": "10"},
    "query element not object": {"query": [1]},
    "query string": {"query": "name=Alice"},
}


@pytest.mark.parametrize("body", MALFORMED_QUERY_BODIES.values(), ids=MALFORMED_QUERY_BODIES.keys())
def test_malformed_query_body_is_400(op_base, body):
    assert_errors(op_base.query(body), 400)


# ----- ordering and pagination --------------------------------------------------------------

def test_keys_sort_bytewise_utf8(base):
    keys = ["日", "a", "B", "~", "é", "\ufb01", "😀", "A1", "A"]
    put_ok(base, *[{"key": k} for k in keys])
    expected = sorted(keys, key=lambda k: k.encode("utf-8"))
    page = json_of(base.query({}), 200)
    assert [i["key"] for i in page["items"]] == expected
    page = json_of(base.query({"sort": "desc"}), 200)
    assert [i["key"] for i in page["items"]] == expected[::-1]


def test_last_present_only_if_more_matches(base):
    put_ok(base, {"key": "k1", "name": "Wesley"}, {"key": "k2", "name": "X"}, {"key": "k3", "name": "Y"})
    one = json_of(base.query({"query": [{"name": "Wesley"}], "limit": 1}), 200)
    assert one == {"paging": {"size": 1}, "items": [{"key": "k1", "name": "Wesley"}]}
    exact = json_of(base.query({"limit": 3}), 200)
    assert exact["paging"] == {"size": 3}
    two = json_of(base.query({"limit": 2}), 200)
    assert two["paging"] == {"size": 2, "last": "k2"}
    ne = json_of(base.query({"query": [{"name?ne": "Y"}], "limit": 1}), 200)
    assert ne["paging"] == {"size": 1, "last": "k1"}


def test_last_is_exclusive_in_both_directions(base):
    put_ok(base, *[{"key": f"k{i}"} for i in range(5)])
    asc = json_of(base.query({"last": "k2"}), 200)
    assert [i["key"] for i in asc["items"]] == ["k3", "k4"]
    desc = json_of(base.query({"last": "k2", "sort": "desc"}), 200)
    assert [i["key"] for i in desc["items"]] == ["k1", "k0"]
    between = json_of(base.query({"last": "k2a"}), 200)  # a `last` that is not a stored key
    assert [i["key"] for i in between["items"]] == ["k3", "k4"]


@pytest.fixture(scope="module")
def paged_base(node, shared_collection):
    base = node.base(shared_collection)
    items = [{"key": f"item-{i:03d}", "i": i, "mod3": i % 3} for i in range(73)]
    for start in range(0, len(items), 25):
        put_ok(base, *items[start:start + 25])
    return base, items


@pytest.mark.parametrize("limit", [1, 7, 25, 72, 73, 74])
@pytest.mark.parametrize("desc", [False, True], ids=["asc", "desc"])
def test_pagination_collects_full_set(paged_base, limit, desc):
    base, items = paged_base
    body = {"sort": "desc"} if desc else {}
    got = fetch_all(base, body, limit=limit)
    assert got == (items[::-1] if desc else items)


@pytest.mark.parametrize("limit", [1, 4, 24])
def test_pagination_with_filter(paged_base, limit):
    base, items = paged_base
    got = fetch_all(base, {"query": [{"mod3": 0}]}, limit=limit)
    assert got == [i for i in items if i["mod3"] == 0]
    got = fetch_all(base, {"query": [{"mod3": 1}, {"i?lt": 5}], "sort": "desc"}, limit=limit)
    assert got == [i for i in items[::-1] if i["mod3"] == 1 or i["i"] < 5]


def test_default_limit_returns_everything_small(paged_base):
    base, items = paged_base
    assert json_of(base.query({}), 200) == {"paging": {"size": 73}, "items": items}


def test_query_does_not_see_other_bases(node, shared_collection, op_base):
    other = node.base(shared_collection)
    assert json_of(other.query({}), 200) == {"paging": {"size": 0}, "items": []}
