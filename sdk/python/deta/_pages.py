"""Fetch results: `FetchResponse` (SDK 1.x) and the page generator of the 0.x SDKs."""
from typing import Any, Callable, Iterator, List, Optional


class FetchResponse:
    """One page of ``Base.fetch`` results: ``count``, ``last`` and ``items``.

    ``last`` is the key to pass as ``fetch(..., last=...)`` for the next page, or None when there
    are no more matches.  ``for item in response`` and ``len(response)`` go over the items.

    For apps written against the 0.x SDKs, whose ``fetch`` returned a generator of pages,
    ``next(response)`` also works: the first call returns ``items``, each later call fetches
    and returns the following page, and StopIteration is raised once ``last`` is None.  (A
    response is always truthy, as in 1.2.0, even with no items.)
    """

    def __init__(self, count: int = 0, last: Optional[str] = None, items: Optional[List[dict]] = None,
                 _next_page: Optional[Callable[[str], "FetchResponse"]] = None):
        self._count = count
        self._last = last
        self._items = [] if items is None else items
        self._next_page = _next_page
        self._cursor: Optional[FetchResponse] = None

    @property
    def count(self) -> int:
        return self._count

    @property
    def last(self) -> Optional[str]:
        return self._last

    @property
    def items(self) -> List[dict]:
        return self._items

    def __iter__(self) -> Iterator[dict]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return True

    def __next__(self) -> List[dict]:
        cursor = self._cursor
        if cursor is None:
            self._cursor = self
            return self._items
        if not cursor.last or self._next_page is None:
            raise StopIteration
        self._cursor = self._next_page(cursor.last)
        return self._cursor.items

    def __eq__(self, other: Any) -> bool:
        if not isinstance(other, FetchResponse):
            return NotImplemented
        return self.count == other.count and self.last == other.last and self.items == other.items

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __repr__(self) -> str:
        return f"FetchResponse(count={self._count!r}, last={self._last!r}, items={self._items!r})"


def iter_pages(fetch_page: Callable[[Optional[str]], FetchResponse], pages: Optional[int],
               last: Optional[str] = None) -> Iterator[List[dict]]:
    """The 0.x ``fetch`` generator: yields each page's items, at most ``pages`` pages."""
    fetched = 0
    while pages is None or fetched < pages:
        page = fetch_page(last)
        fetched += 1
        yield page.items
        last = page.last
        if not last:
            return
