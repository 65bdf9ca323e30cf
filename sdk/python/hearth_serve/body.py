"""Streaming request bodies: Content-Length or chunked, read only as the app asks for them."""
import asyncio
from typing import Callable, Optional

from .request import MAX_HEAD_BYTES, RequestHead

MAX_CHUNK_LINE = 4096


class BadRequestBody(ValueError):
    """The body's chunked framing is malformed (the answer is 400)."""


class ClientDisconnected(ConnectionError):
    """The client went away (mid-body, or before the response could be sent)."""


class RequestBody:
    """The body of one request on ``reader``.

    `read` returns up to ``size`` bytes and b"" once the body is complete (``done``).  The
    first read calls ``on_first_read`` (which sends ``100 Continue`` when the client asked).
    Reads can be cancelled at any await without losing or misreading data.
    """

    def __init__(self, reader: asyncio.StreamReader, head: RequestHead,
                 on_first_read: Optional[Callable[[], None]] = None):
        self._reader = reader
        self._chunked = head.chunked
        self._remaining = head.content_length or 0  # of the body, or of the current chunk
        self._state = "size" if head.chunked else "data"  # chunked: size → data → crlf → size … trailers
        self._on_first_read = on_first_read
        self.done = not head.chunked and not head.content_length
        self.started = False
        self._trailer_bytes = 0

    async def read(self, size: int = 65536) -> bytes:
        if not self.started and not self.done:
            self.started = True
            if self._on_first_read is not None:
                self._on_first_read()
        while not self.done:
            if self._state == "data":
                return await self._data(size)
            if self._state == "crlf":
                if await self._exactly(2) != b"\r\n":
                    raise BadRequestBody("chunk not followed by CRLF")
                self._state = "size"
            elif self._state == "size":
                self._remaining = await self._chunk_size()
                self._state = "data" if self._remaining else "trailers"
            else:
                await self._trailer_line()
        return b""

    async def _data(self, size: int) -> bytes:
        data = await self._reader.read(min(size, self._remaining))
        if not data:
            raise ClientDisconnected("client closed the connection during the request body")
        self._remaining -= len(data)
        if self._remaining == 0:
            if self._chunked:
                self._state = "crlf"
            else:
                self.done = True
        return data

    async def read_all(self) -> bytes:
        parts = []
        while not self.done:
            parts.append(await self.read(1 << 20))
        return b"".join(parts)

    async def discard(self, limit: int) -> bool:
        """Reads and drops the rest of the body; False (reading nothing more) if more than
        ``limit`` bytes are left."""
        if not self._chunked and self._remaining > limit:
            return False
        dropped = 0
        while not self.done:
            dropped += len(await self.read(65536))
            if dropped > limit:
                return False
        return True

    async def _line(self) -> bytes:
        try:
            line = await self._reader.readuntil(b"\r\n")
        except asyncio.IncompleteReadError:
            raise ClientDisconnected("client closed the connection during the request body") from None
        except asyncio.LimitOverrunError:
            raise BadRequestBody("chunk header too long") from None
        return line[:-2]

    async def _exactly(self, n: int) -> bytes:
        try:
            return await self._reader.readexactly(n)
        except asyncio.IncompleteReadError:
            raise ClientDisconnected("client closed the connection during the request body") from None

    async def _chunk_size(self) -> int:
        line = await self._line()
        if len(line) > MAX_CHUNK_LINE:
            raise BadRequestBody("chunk header too long")
        text = line.split(b";", 1)[0].strip(b" \t")
        if not text or len(text) > 16 or text.strip(b"0123456789abcdefABCDEF"):
            raise BadRequestBody("malformed chunk size")
        return int(text, 16)

    async def _trailer_line(self) -> None:
        line = await self._line()
        if not line:
            self.done = True
        else:
            self._trailer_bytes += len(line) + 2
            if self._trailer_bytes > MAX_HEAD_BYTES:
                raise BadRequestBody("trailers too long")
