"""Deta Base: a NoSQL store of JSON items (spec §1), SDK 1.2.0 surface plus the 0.x fetch generator."""
import datetime
from typing import Any, Iterator, List, Optional, Union
from urllib.parse import quote

from ._expiry import TTL_ATTRIBUTE, insert_ttl
from ._http import Endpoint, Transport, resolve_endpoint
from ._pages import FetchResponse, iter_pages
from .errors import DetaError
from .util import Util, update_payload

__all__ = ["FetchResponse", "Util", "insert_ttl", "BASE_TTL_ATTTRIBUTE", "BASE_SERVICE_TIMEOUT"]

BASE_SERVICE_TIMEOUT = 300
BASE_TTL_ATTTRIBUTE = TTL_ATTRIBUTE  # (sic) the SDK's spelling, kept for imports

Data = Union[dict, list, str, int, float, bool, None]
ExpireAt = Union[int, float, datetime.datetime, None]
_UNSET: Any = object()


def item_path(key: str) -> str:
    """``/items/{key}`` with the key percent-encoded (``/`` → ``%2F``; ``.``/``..`` as ``%2E``
    so that nothing on the way mistakes them for dot segments)."""
    if key == "":
        raise ValueError("Key is empty")
    encoded = quote(key, safe="")
    return "/items/" + (encoded.replace(".", "%2E") if key in (".", "..") else encoded)


def as_item(data: Data, key: Optional[str], expire_in, expire_at) -> dict:
    """A copy of ``data`` as an item: non-dicts wrapped as ``{"value": data}``, ``key`` set if given."""
    item = dict(data) if isinstance(data, dict) else {"value": data}
    if key:
        item["key"] = key
    insert_ttl(item, TTL_ATTRIBUTE, expire_in=expire_in, expire_at=expire_at)
    return item


def query_payload(query, limit, last, desc) -> dict:
    """The ``POST /query`` body as SDK 1.2.0 sends it."""
    payload: dict = {"limit": limit, "last": None if isinstance(last, bool) else last,
                     "sort": "desc" if desc else ""}
    if query:
        payload["query"] = query if isinstance(query, list) else [query]
    return payload


class _Base:
    """A Base; get one from ``Deta().Base(name)`` or ``deta.Base(name)``."""

    def __init__(self, name: str, project_key: str, project_id: str, host: Optional[str] = None):
        assert name, "No Base name provided"
        self.name = name
        self.util = Util()
        self._transport = Transport(resolve_endpoint("base", host), project_key, project_id, name)

    @property
    def endpoint(self) -> Endpoint:
        """Where this Base's requests go."""
        return self._transport.endpoint

    def _request(self, method: str, path: str, payload: Any = None):
        return self._transport.request(method, path, json_body=payload)

    def get(self, key: str) -> Optional[dict]:
        """The item with ``key``, or None if there is none."""
        _, item = self._request("GET", item_path(key))
        return item or None

    def delete(self, key: str) -> None:
        """Deletes the item (succeeds whether or not it existed)."""
        self._request("DELETE", item_path(key))
        return None

    def insert(self, data: Data, key: Optional[str] = None, *, expire_in: Union[int, float, None] = None,
               expire_at: ExpireAt = None) -> dict:
        """Stores a new item and returns it; raises if the key already exists."""
        item = as_item(data, key, expire_in, expire_at)
        try:
            _, stored = self._request("POST", "/items", {"item": item})
        except DetaError as error:
            if error.status != 409:
                raise
            raise DetaError(error.url, 409, error.msg, error.headers, error.body,
                            message=f"Item with key '{item.get('key')}' already exists") from None
        return stored

    def put(self, data: Data, key: Optional[str] = None, *, expire_in: Union[int, float, None] = None,
            expire_at: ExpireAt = None) -> Optional[dict]:
        """Stores (overwrites) an item and returns it as stored, with its generated key if none was given."""
        item = as_item(data, key, expire_in, expire_at)
        status, res = self._request("PUT", "/items", {"items": [item]})
        if status == 207 and isinstance(res, dict) and "processed" in res:
            return res["processed"]["items"][0]
        return None

    def put_many(self, items: List[Data], *, expire_in: Union[int, float, None] = None,
                 expire_at: ExpireAt = None) -> dict:
        """Stores up to 25 items; returns ``{"processed": {"items": [...]}, "failed": {"items": [...]}}``."""
        assert len(items) <= 25, "We can't put more than 25 items at a time."
        batch = [as_item(data, None, expire_in, expire_at) for data in items]
        _, res = self._request("PUT", "/items", {"items": batch})
        return res

    def update(self, updates: dict, key: str, *, expire_in: Union[int, float, None] = None,
               expire_at: ExpireAt = None) -> None:
        """Updates attributes of an existing item.

        Plain values are set (dotted paths allowed); ``base.util.trim()``, ``.increment(n)``,
        ``.append(v)`` and ``.prepend(v)`` delete or modify.  Raises if the key does not exist.
        """
        path = item_path(key)
        payload = update_payload(updates)
        insert_ttl(payload["set"], TTL_ATTRIBUTE, expire_in=expire_in, expire_at=expire_at)
        status, _ = self._request("PATCH", path, payload)
        if status == 404:
            raise DetaError(self._transport.url(path), 404, "Not Found", {}, b"",
                            message=f"Key '{key}' not found")
        return None

    def fetch(self, query: Union[dict, list, None] = None, *, limit: Optional[int] = 1000,
              last: Optional[str] = None, desc: bool = False, buffer: Optional[int] = _UNSET,
              pages: Optional[int] = _UNSET) -> Union[FetchResponse, Iterator[List[dict]]]:
        """Items matching ``query`` (a dict of conditions, or a list of them OR-ed together).

        SDK 1.x style (default): returns one page as a `FetchResponse`, at most ``limit`` items,
        starting after the key ``last``, in descending key order if ``desc``; continue with
        ``fetch(query, last=response.last)`` while ``response.last`` is set.

        SDK 0.x style: passing ``buffer`` (page size, default: the server's) and/or ``pages``
        (maximum number of pages, default 10) returns a generator of pages, each a list of
        items, that follows ``last`` by itself.  ``next(base.fetch(query))`` also returns the
        first page's items, see `FetchResponse`.
        """
        if buffer is not _UNSET or pages is not _UNSET:
            size = None if buffer is _UNSET else buffer
            return iter_pages(lambda after: self._fetch_page(query, size, after, desc),
                              10 if pages is _UNSET else pages, last)
        return self._fetch_page(query, limit, last, desc)

    def _fetch_page(self, query, limit, last, desc) -> FetchResponse:
        _, res = self._request("POST", "/query", query_payload(query, limit, last, desc))
        paging = res.get("paging") or {}
        return FetchResponse(paging.get("size"), paging.get("last"), res.get("items"),
                             _next_page=lambda after: self._fetch_page(query, limit, after, desc))
