"""Running one HTTP request through an ASGI 3.0 app (HTTP spec 2.4), on the event loop."""
import asyncio
from typing import Any, Dict, Optional
from urllib.parse import unquote_to_bytes

from .body import BadRequestBody, ClientDisconnected, RequestBody
from .exchange import Exchange

ASGI_HTTP = {"version": "3.0", "spec_version": "2.4"}
BODY_MESSAGE_BYTES = 64 * 1024


def http_scope(exchange: Exchange, state: Dict[str, Any]) -> Dict[str, Any]:
    head = exchange.head
    return {
        "type": "http",
        "asgi": ASGI_HTTP,
        "http_version": head.version,
        "method": head.method,
        "scheme": exchange.scheme,
        "path": unquote_to_bytes(head.raw_path).decode("utf-8", "replace"),
        "raw_path": head.raw_path,
        "query_string": head.query,
        "root_path": "",
        "headers": head.headers,
        "client": exchange.client,
        "server": exchange.server,
        "state": state.copy(),
        "extensions": {},
    }


class ASGIRequest:
    """The ``receive`` and ``send`` callables of one request."""

    __slots__ = ("exchange", "body", "response", "_request_done", "_finished")

    def __init__(self, exchange: Exchange):
        self.exchange = exchange
        self.body: RequestBody = exchange.body
        self.response = exchange.response
        self._request_done = False  # the last http.request message went out
        self._finished: Optional[asyncio.Future] = None

    async def receive(self) -> Dict[str, Any]:
        exchange = self.exchange
        if not self._request_done and not exchange.gone and exchange.bad_body is None:
            try:
                data = await self.body.read(BODY_MESSAGE_BYTES)
            except ClientDisconnected:
                exchange.gone = True
            except BadRequestBody as error:
                exchange.bad_body = error  # the app sees a disconnect; the client gets a 400
            else:
                self._request_done = self.body.done
                return {"type": "http.request", "body": data, "more_body": not self.body.done}
        if not exchange.gone and exchange.bad_body is None and not self.response.complete:
            # nothing more to read: wait until the response is done or the client leaves
            if self._finished is None:
                self._finished = asyncio.get_running_loop().create_future()
            await asyncio.wait((self._finished, exchange.connection.lost), return_when=asyncio.FIRST_COMPLETED)
        return {"type": "http.disconnect"}

    async def send(self, message: Dict[str, Any]) -> None:
        kind = message["type"]
        response = self.response
        if kind == "http.response.body":
            if self.exchange.gone:
                raise ClientDisconnected("client disconnected")
            response.body(message.get("body", b""), message.get("more_body", False))
            if response.complete:
                self.finish()
            elif response.needs_drain():
                await response.drain()
        elif kind == "http.response.start":
            if self.exchange.gone:
                raise ClientDisconnected("client disconnected")
            response.start(message["status"], message.get("headers", ()))
        else:
            raise RuntimeError(f"unexpected ASGI message type {kind!r} for an HTTP request")

    def finish(self) -> None:
        if self._finished is not None and not self._finished.done():
            self._finished.set_result(None)


async def run_asgi(app, exchange: Exchange, state: Dict[str, Any]) -> None:
    """Runs ``app`` for the request; answers 500 (or 400 for a broken body) if it fails before
    responding, and marks the connection for closing if it fails half-way."""
    request = ASGIRequest(exchange)
    try:
        await app(http_scope(exchange, state), request.receive, request.send)
    except BaseException as error:  # noqa: B902 - the app's failure is reported, not raised
        if isinstance(error, (KeyboardInterrupt, SystemExit, asyncio.CancelledError)):
            raise
        exchange.app_failed(error)
    else:
        if not exchange.response.complete:
            exchange.app_failed(None)
    finally:
        request.finish()
