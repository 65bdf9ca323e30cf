"""One client connection: reads request heads, runs the app for each, keeps the connection alive."""
import asyncio
import sys
import time
import traceback
from typing import Awaitable, Callable, Optional, Tuple

from .body import BadRequestBody, ClientDisconnected
from .exchange import Exchange
from .request import MAX_HEAD_BYTES, ProtocolError, RequestHead, parse_head
from .response import simple_response

DISCARD_LIMIT = 256 * 1024  # unread request body the server drops to keep the connection
LINGER_SECONDS = 2.0  # how long a connection closed with unread request data drains it, at most
LINGER_QUIET_SECONDS = 0.25  # ... and stops once the client sent nothing for this long


class Protocol(asyncio.StreamReaderProtocol):
    """Stream protocol whose ``lost`` future completes when the connection is gone."""

    def __init__(self, on_connect: Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]):
        super().__init__(asyncio.StreamReader(limit=MAX_HEAD_BYTES), on_connect)
        self.lost: asyncio.Future = asyncio.get_event_loop().create_future()

    def connection_lost(self, exc: Optional[Exception]) -> None:
        if not self.lost.done():
            self.lost.set_result(None)
        super().connection_lost(exc)


def _address(info) -> Optional[Tuple[str, int]]:
    if isinstance(info, tuple) and len(info) >= 2:
        return str(info[0]), int(info[1])
    return None


class Connection:
    """Serves requests one after another (so pipelined requests are answered in order)."""

    def __init__(self, server, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.server = server
        self.reader = reader
        self.writer = writer
        self.transport = writer.transport
        self.lost: asyncio.Future = self.transport.get_protocol().lost
        self.client_address = _address(self.transport.get_extra_info("peername"))
        self.server_address = _address(self.transport.get_extra_info("sockname"))
        self.trusted_proxy = server.trusts(self.client_address)
        self.idle = True
        self.idle_since = time.monotonic()
        self.closing = False
        self.linger = False  # closing with request data unread
        self.task: Optional[asyncio.Task] = None

    def close_when_idle(self) -> None:
        """For shutdown: close now if waiting for a request, else after the current response."""
        self.closing = True
        if self.idle and self.task is not None:
            self.task.cancel()

    async def run(self) -> None:
        self.task = asyncio.current_task()
        try:
            while not self.closing:
                head = await self._next_head()
                if head is None or not await self._serve(head):
                    break
            if self.linger:
                await self._lingering_close()
        except asyncio.CancelledError:
            pass
        except Exception as error:  # a server bug: log it, drop the connection, keep serving others
            print("hearth_serve: internal error on a connection", file=sys.stderr)
            traceback.print_exception(type(error), error, error.__traceback__, file=sys.stderr)
            sys.stderr.flush()
        finally:
            self.transport.close()

    async def _lingering_close(self) -> None:
        """Half-closes, then drops what the client still sends (briefly), so that closing with
        unread request data does not reset the connection before the client read the response."""
        if self.lost.done():
            return
        if self.transport.can_write_eof():
            self.transport.write_eof()
        deadline = time.monotonic() + LINGER_SECONDS
        try:
            while time.monotonic() < deadline:
                if not await asyncio.wait_for(self.reader.read(65536), LINGER_QUIET_SECONDS):
                    return
        except (asyncio.TimeoutError, ConnectionError, OSError):
            return

    async def _next_head(self) -> Optional[RequestHead]:
        self.idle = True
        self.idle_since = time.monotonic()  # the server's sweeper closes connections idle too long
        try:
            data = b""
            while not data:  # tolerate empty lines between requests
                data = (await self.reader.readuntil(b"\r\n\r\n")).lstrip(b"\r\n")
        except asyncio.LimitOverrunError:
            simple_response(self.writer, 431, "request header fields too large")
            self.linger = True
            return None
        except (asyncio.IncompleteReadError, ConnectionError):
            return None
        finally:
            self.idle = False
        try:
            return parse_head(data)
        except ProtocolError as error:
            simple_response(self.writer, error.status, error.message)
            self.linger = True
            self.server.log_access(None, error.status, 0.0, data.split(b"\r\n", 1)[0])
            return None

    def close_if_idle_since(self, deadline: float) -> None:
        """Closes the connection if it has waited for a request since before ``deadline``."""
        if self.idle and self.idle_since < deadline:
            self.transport.close()

    async def _serve(self, head: RequestHead) -> bool:
        """Runs one exchange; True if the connection can take another request."""
        started = time.perf_counter()
        exchange = Exchange(self, head, self.trusted_proxy)
        await self.server.handler(exchange)
        response = exchange.response
        if not response.started and not exchange.gone:
            exchange.app_failed(None)  # adapters normally do this; never leave a request unanswered
        self.server.log_access(exchange, response.status, time.perf_counter() - started)
        if not (response.keep_alive and response.complete) or exchange.gone or self.closing:
            self.linger = not exchange.body.done and not exchange.gone
            return False
        if not exchange.body.done:
            self.linger = True
            if head.expect_continue and not exchange.body.started:
                return False  # the client may still be waiting to send it
            try:
                if not await exchange.body.discard(DISCARD_LIMIT):
                    return False
            except (BadRequestBody, ClientDisconnected):
                return False
            self.linger = False
        if response.needs_drain():
            try:
                await response.drain()
            except ClientDisconnected:
                return False
        return True
