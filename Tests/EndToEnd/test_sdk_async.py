"""Hearth's `deta` SDK: AsyncBase (coroutines, stdlib only) against a real node."""
from __future__ import annotations

import asyncio
import inspect
import time

import pytest

from conftest import get_item, unique


@pytest.fixture
def adb(deta_sdk):
    return deta_sdk.Deta().AsyncBase(unique("async"))


def test_methods_are_coroutines(adb):
    for name in ("get", "put", "put_many", "insert", "delete", "update", "fetch", "close"):
        assert inspect.iscoroutinefunction(getattr(adb, name)), name


def test_crud(deta_sdk, adb, node, shared_collection):
    raw = node.base(shared_collection, adb._base.name)

    async def scenario():
        stored = await adb.put({"n": 1}, "a")
        assert stored == {"key": "a", "n": 1}
        assert (await adb.put("plain"))["value"] == "plain"
        assert await adb.get("a") == stored
        assert await adb.get("missing") is None
        assert await adb.insert({"n": 2}, "b") == {"key": "b", "n": 2}
        with pytest.raises(Exception, match="Item with key 'b' already exists"):
            await adb.insert({"n": 3}, "b")
        res = await adb.put_many([{"key": "c", "n": 3}, {"key": "d", "n": 4}], expire_in=100)
        assert [i["key"] for i in res["processed"]["items"]] == ["c", "d"]
        assert await adb.update({"n": adb.util.increment(10), "tag": "x"}, "a") is None
        with pytest.raises(Exception, match="Key 'zz' not found"):
            await adb.update({"n": 1}, "zz")
        assert await adb.delete("b") is None
        assert await adb.get("b") is None
        page = await adb.fetch({"n?r": [3, 4]}, limit=1)
        assert isinstance(page, deta_sdk.FetchResponse)
        assert (page.count, page.last, [i["key"] for i in page]) == (1, "c", ["c"])
        rest = await adb.fetch({"n?r": [3, 4]}, limit=1, last=page.last)
        assert [i["key"] for i in rest] == ["d"] and rest.last is None
        assert [i["key"] for i in await adb.fetch({"n?r": [3, 4]}, desc=True)] == ["d", "c"]
        with pytest.raises(deta_sdk.DetaError):
            await adb.fetch({"x?bogus": 1})
        await adb.close()
        with pytest.raises(RuntimeError):
            await adb.get("a")

    asyncio.run(scenario())
    assert get_item(raw, "a") == {"key": "a", "n": 11, "tag": "x"}
    assert int(time.time()) + 90 <= get_item(raw, "c")["__expires"] <= int(time.time()) + 100


def test_concurrent_calls_and_module_level_constructor(deta_sdk):
    adb = deta_sdk.AsyncBase(unique("async"))

    async def scenario():
        async with adb:
            await asyncio.gather(*(adb.put({"i": i}, f"k{i:02d}") for i in range(40)))
            got = await asyncio.gather(*(adb.get(f"k{i:02d}") for i in range(40)))
            return got, await adb.fetch()

    got, page = asyncio.run(scenario())
    assert [g["i"] for g in got] == list(range(40))
    assert page.count == 40


def test_event_loop_is_not_blocked(adb):
    async def scenario():
        ticks = 0

        async def ticker():
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0)

        task = asyncio.ensure_future(ticker())
        for i in range(10):
            await adb.put({"i": i})
        task.cancel()
        return ticks

    assert asyncio.run(scenario()) > 10
