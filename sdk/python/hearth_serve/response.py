"""Writing one HTTP/1.1 response: status line, headers and body framing."""
import asyncio
import time
from email.utils import formatdate
from http import HTTPStatus
from typing import Iterable, List, Optional, Tuple

from .body import ClientDisconnected
from .request import RequestHead

HIGH_WATER = 256 * 1024  # bytes buffered in the transport before a writer waits
_HOP_BY_HOP = {b"transfer-encoding", b"connection", b"keep-alive"}
_date_cache = [0, b""]


def http_date() -> bytes:
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache[0], _date_cache[1] = now, formatdate(now, usegmt=True).encode("ascii")
    return _date_cache[1]


def reason_phrase(status: int) -> bytes:
    try:
        return HTTPStatus(status).phrase.encode("ascii")
    except ValueError:
        return b""


class Response:
    """One response on ``writer``, framed for the request ``head``.

    `start` takes the status and headers; `body` sends data, the head going out with the first
    of it.  The body is delimited by the app's Content-Length; else, when the first body
    message is also the last, by a Content-Length the server adds; else chunked (HTTP/1.1) or
    by closing the connection (HTTP/1.0).  HEAD and 1xx/204/304 responses never carry body
    bytes.  ``keep_alive`` says whether the connection can take another request afterwards.
    """

    __slots__ = ("writer", "transport", "version", "head_only", "keep_alive", "status", "started",
                 "complete", "awaiting_continue", "_lines", "_head_sent", "_chunked", "_length", "_sent", "_no_body")

    def __init__(self, writer: asyncio.StreamWriter, head: RequestHead):
        self.writer = writer
        self.transport = writer.transport
        self.version = head.version
        self.head_only = head.method == "HEAD"
        self.keep_alive = head.keep_alive
        self.status = 0
        self.started = False
        self.complete = False
        self.awaiting_continue = head.expect_continue  # cleared once 100 Continue went out
        self._lines: List[bytes] = []
        self._head_sent = False
        self._chunked = False
        self._length: Optional[int] = None
        self._sent = 0
        self._no_body = False

    def start(self, status: int, headers: Iterable[Tuple[bytes, bytes]], reason: Optional[bytes] = None,
              length_hint: Optional[int] = None) -> None:
        """Takes the status line and headers; raises ValueError (leaving the response unstarted)
        on bad input.  ``length_hint`` is a body length the server knows, used if the app gave none."""
        if self.started:
            raise RuntimeError("response already started")
        if not isinstance(status, int) or not 100 <= status <= 999:
            raise ValueError(f"invalid status {status!r}")
        keep_alive = self.keep_alive
        length: Optional[int] = None
        lines = [b"HTTP/1.1 %d %s\r\n" % (status, reason if reason is not None else reason_phrase(status))]
        has_date = False
        for name, value in headers:
            if isinstance(name, str):
                name = name.encode("latin-1")
            if isinstance(value, str):
                value = value.encode("latin-1")
            if b"\n" in value or b"\r" in value or b"\n" in name or b"\r" in name or b":" in name:
                raise ValueError(f"invalid response header {name!r}")
            lower = name.lower()
            if lower in _HOP_BY_HOP:
                if lower == b"connection" and b"close" in value.lower():
                    keep_alive = False
                continue
            if lower == b"content-length":
                if length is not None or not value.strip().isdigit():
                    raise ValueError(f"invalid Content-Length {value!r}")
                length = int(value)
            elif lower == b"date":
                has_date = True
            lines.append(b"%s: %s\r\n" % (name, value))
        if not has_date:
            lines.append(b"date: %s\r\n" % http_date())
        self._lines = lines
        self.started, self.status, self.keep_alive = True, status, keep_alive
        self._no_body = self.head_only or status in (204, 304) or status < 200
        self._length = length if length is not None else length_hint
        if length is None and length_hint is not None and self._describes_body():
            lines.append(b"content-length: %d\r\n" % length_hint)

    def _describes_body(self) -> bool:
        """Whether the head states a body length (a HEAD answer describes the GET body)."""
        return not self._no_body or (self.head_only and self.status >= 200 and self.status not in (204, 304))

    def _head(self, data: bytes, more: bool) -> bytes:
        """The head, with framing headers decided now that the first body data is known."""
        lines = self._lines
        if self._length is None and self._describes_body():
            if self.head_only:
                if data and not more:
                    lines.append(b"content-length: %d\r\n" % len(data))
            elif not more:
                self._length = len(data)
                lines.append(b"content-length: %d\r\n" % len(data))
            elif self.version == "1.1":
                self._chunked = True
                lines.append(b"transfer-encoding: chunked\r\n")
            else:
                self.keep_alive = False  # HTTP/1.0 without a length: closing ends the body
        if self.awaiting_continue:
            self.keep_alive = False  # the client may still send the body it was not asked for
        if not self.keep_alive:
            lines.append(b"connection: close\r\n")
        elif self.version == "1.0":
            lines.append(b"connection: keep-alive\r\n")
        lines.append(b"\r\n")
        self._head_sent = True
        self._lines = []
        return b"".join(lines)

    def body(self, data: bytes, more: bool) -> None:
        """Sends ``data`` (after the head, if not sent yet); ``more=False`` ends the response."""
        if not self.started:
            raise RuntimeError("response body before response start")
        if self.complete:
            raise RuntimeError("response already complete")
        if self.transport.is_closing():
            raise ClientDisconnected("client disconnected")
        out = [self._head(data, more)] if not self._head_sent else []
        if data and not self._no_body:
            if self._chunked:
                out += [b"%x\r\n" % len(data), data, b"\r\n"]
            else:
                self._sent += len(data)
                if self._length is not None and self._sent > self._length:
                    self.keep_alive = False
                    raise RuntimeError("response body longer than its Content-Length")
                out.append(data)
        if not more:
            self.complete = True
            if self._chunked:
                out.append(b"0\r\n\r\n")
            elif self._length is not None and self._sent < self._length and not self._no_body:
                self.keep_alive = False  # truncated: the client must not wait for the rest
        if out:
            self.transport.write(out[0] if len(out) == 1 else b"".join(out))

    @property
    def head_sent(self) -> bool:
        """Whether anything of this response reached the transport."""
        return self._head_sent

    def needs_drain(self) -> bool:
        return self.transport.get_write_buffer_size() > HIGH_WATER

    async def drain(self) -> None:
        if self.transport.is_closing():
            raise ClientDisconnected("client disconnected")
        if self.needs_drain():
            try:
                await self.writer.drain()
            except ConnectionError as error:
                raise ClientDisconnected(str(error)) from None


def simple_response(writer: asyncio.StreamWriter, status: int, text: str = "", close: bool = True) -> None:
    """Writes a complete plain-text response (for errors the server answers itself)."""
    body = (text or reason_phrase(status).decode()).encode("utf-8") + b"\n"
    head = [b"HTTP/1.1 %d %s\r\n" % (status, reason_phrase(status)),
            b"content-type: text/plain; charset=utf-8\r\n", b"content-length: %d\r\n" % len(body),
            b"date: %s\r\n" % http_date()]
    if close:
        head.append(b"connection: close\r\n")
    if not writer.transport.is_closing():
        writer.transport.write(b"".join(head) + b"\r\n" + body)
