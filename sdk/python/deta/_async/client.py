"""``AsyncBase``: Base methods as coroutines.

SDK 1.2.0 used aiohttp; this runs the blocking client on a small shared thread pool instead,
so it needs nothing beyond the standard library and keeps one pooled connection per worker.
"""
import asyncio
import functools
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, List, Optional, Union

from ..base import ExpireAt, FetchResponse, _Base
from ..util import Util
from ..utils import _get_project_key_id

_WORKERS = 16
_executor: Optional[ThreadPoolExecutor] = None
_executor_lock = threading.Lock()


def _shared_executor() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="deta-async")
        return _executor


def AsyncBase(name: str) -> "_AsyncBase":
    """An `_AsyncBase` using ``DETA_PROJECT_KEY``."""
    project_key, project_id = _get_project_key_id()
    return _AsyncBase(name, project_key, project_id)


class _AsyncBase:
    """Base methods as coroutines; ``await base.close()`` when done (or use ``async with``)."""

    def __init__(self, name: str, project_key: str, project_id: str, host: Optional[str] = None):
        if not project_key:
            raise AssertionError("No project key defined")
        self._base = _Base(name, project_key, project_id, host)
        self.util = Util()
        self._closed = False

    @property
    def endpoint(self):
        return self._base.endpoint

    async def _call(self, method, *args, **kwargs):
        if self._closed:
            raise RuntimeError("Session is closed")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(_shared_executor(), functools.partial(method, *args, **kwargs))

    async def close(self) -> None:
        """Marks the client closed; later calls raise RuntimeError."""
        self._closed = True

    async def __aenter__(self) -> "_AsyncBase":
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def get(self, key: str) -> Optional[dict]:
        return await self._call(self._base.get, key)

    async def delete(self, key: str) -> None:
        return await self._call(self._base.delete, key)

    async def insert(self, data: Any, key: Optional[str] = None, *, expire_in: Union[int, float, None] = None,
                     expire_at: ExpireAt = None) -> dict:
        return await self._call(self._base.insert, data, key, expire_in=expire_in, expire_at=expire_at)

    async def put(self, data: Any, key: Optional[str] = None, *, expire_in: Union[int, float, None] = None,
                  expire_at: ExpireAt = None) -> Optional[dict]:
        return await self._call(self._base.put, data, key, expire_in=expire_in, expire_at=expire_at)

    async def put_many(self, items: List[Any], *, expire_in: Union[int, float, None] = None,
                       expire_at: ExpireAt = None) -> dict:
        return await self._call(self._base.put_many, items, expire_in=expire_in, expire_at=expire_at)

    async def update(self, updates: dict, key: str, *, expire_in: Union[int, float, None] = None,
                     expire_at: ExpireAt = None) -> None:
        return await self._call(self._base.update, updates, key, expire_in=expire_in, expire_at=expire_at)

    async def fetch(self, query: Union[dict, list, None] = None, *, limit: Optional[int] = 1000,
                    last: Optional[str] = None, desc: bool = False) -> FetchResponse:
        """One page as a `FetchResponse`; ``next(response)`` gives its items once (no further
        pages are fetched from inside the event loop)."""
        page = await self._call(self._base._fetch_page, query, limit, last, desc)
        return FetchResponse(page.count, page.last, page.items)
