"""One request/response exchange on a connection, shared by the ASGI and WSGI adapters."""
import sys
import traceback
from typing import Optional, Tuple

from .body import ClientDisconnected, RequestBody
from .request import RequestHead
from .response import Response, simple_response

CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


class Exchange:
    """The request ``head`` and ``body``, the ``response``, and where the request came from.

    ``scheme`` and ``client`` honour ``X-Forwarded-Proto``/``X-Forwarded-For`` when the peer
    is a trusted proxy.  ``gone`` is true once the client disconnected.
    """

    __slots__ = ("connection", "head", "body", "response", "scheme", "client", "server", "bad_body", "_gone")

    def __init__(self, connection, head: RequestHead, trusted_proxy: bool):
        self.connection = connection
        self.head = head
        self.response = Response(connection.writer, head)
        self.body = RequestBody(connection.reader, head, self._send_continue if head.expect_continue else None)
        self.server: Optional[Tuple[str, int]] = connection.server_address
        self.client: Optional[Tuple[str, int]] = connection.client_address
        self.scheme = "http"
        self.bad_body: Optional[Exception] = None
        self._gone = False
        if trusted_proxy:
            self._apply_forwarded()

    @property
    def gone(self) -> bool:
        return self._gone or self.connection.lost.done()

    @gone.setter
    def gone(self, value: bool) -> None:
        self._gone = value

    def _apply_forwarded(self) -> None:
        proto = self.head.header(b"x-forwarded-proto")
        if proto:
            value = proto.split(b",")[0].strip().lower()
            if value in (b"http", b"https"):
                self.scheme = value.decode()
        forwarded_for = self.head.header(b"x-forwarded-for")
        if forwarded_for:
            host = forwarded_for.split(b",")[-1].strip().decode("latin-1")
            if host:
                self.client = (host, 0)

    def _send_continue(self) -> None:
        if not self.response.head_sent and not self.connection.transport.is_closing():
            self.connection.transport.write(CONTINUE)
            self.response.awaiting_continue = False

    def app_failed(self, error: Optional[BaseException]) -> None:
        """Reports an app that raised (or returned without completing its response): a 500 (400
        if the request body was malformed) when nothing was sent yet, else the connection closes
        if the response is incomplete. A complete response keeps the connection: Starlette's
        ServerErrorMiddleware sends its 500 and then re-raises, and closing after a response
        that did not say ``Connection: close`` makes a pooling proxy reuse a dead connection."""
        response = self.response
        quiet = self.gone or isinstance(error, ClientDisconnected) or self.bad_body is not None
        if not quiet:
            where = f"{self.head.method} {self.head.target.decode('latin-1')}"
            if error is None:
                what = "returned without a complete response" if response.started else "returned without responding"
                print(f"hearth_serve: the app {what} to {where}", file=sys.stderr, flush=True)
            else:
                print(f"hearth_serve: exception in the app for {where}", file=sys.stderr)
                traceback.print_exception(type(error), error, error.__traceback__, file=sys.stderr)
                sys.stderr.flush()
        if not response.complete:
            response.keep_alive = False
        if not response.head_sent and not self.gone:
            status = 400 if self.bad_body is not None else 500
            simple_response(self.connection.writer, status)
            response.status = status
            response.started = response.complete = True
