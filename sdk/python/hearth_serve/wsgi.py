"""Running WSGI (PEP 3333) apps on a thread pool, with the event loop doing all socket I/O."""
import asyncio
import io
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import unquote_to_bytes

from .body import BadRequestBody, ClientDisconnected, RequestBody
from .exchange import Exchange

PREREAD_LIMIT = 1 << 20  # bodies up to this size are read before the app runs
FLUSH_BYTES = 256 * 1024  # a worker waits for the socket after queueing this much


class WSGIRunner:
    """Serves exchanges with a WSGI ``app`` on ``threads`` worker threads."""

    def __init__(self, app, threads: int):
        self.app = app
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="hearth-wsgi")

    async def __call__(self, exchange: Exchange) -> None:
        loop = asyncio.get_running_loop()
        body = exchange.body
        length = exchange.head.content_length
        if length is not None and length <= PREREAD_LIMIT:
            try:
                stream: Any = io.BytesIO(await body.read_all())
            except ClientDisconnected:
                exchange.gone = True
                return
        else:
            stream = BodyInput(body, loop, exchange)
        call = WSGICall(self.app, environ_for(exchange, stream), exchange, loop)
        await loop.run_in_executor(self.executor, call.run)
        call.finish()

    def close(self) -> None:
        self.executor.shutdown(wait=False)


def environ_for(exchange: Exchange, stream) -> Dict[str, Any]:
    head = exchange.head
    server = exchange.server or ("", 0)
    environ: Dict[str, Any] = {
        "REQUEST_METHOD": head.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(head.raw_path).decode("latin-1"),
        "QUERY_STRING": head.query.decode("latin-1"),
        "REQUEST_URI": head.target.decode("latin-1"),
        "RAW_URI": head.target.decode("latin-1"),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1]),
        "SERVER_PROTOCOL": "HTTP/" + head.version,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": exchange.scheme,
        "wsgi.input": stream,
        "wsgi.input_terminated": True,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if exchange.client:
        environ["REMOTE_ADDR"] = str(exchange.client[0])
        environ["REMOTE_PORT"] = str(exchange.client[1])
    for name, value in head.headers:
        text = value.decode("latin-1")
        if name == b"content-type":
            environ["CONTENT_TYPE"] = text
        elif name == b"content-length":
            environ["CONTENT_LENGTH"] = str(head.content_length)
        elif b"_" not in name:  # underscores could spoof other variables
            key = "HTTP_" + name.decode("latin-1").upper().replace("-", "_")
            if key in environ:
                text = environ[key] + ("; " if key == "HTTP_COOKIE" else ",") + text
            environ[key] = text
    return environ


def _status_of(status: str) -> Tuple[int, bytes]:
    if not isinstance(status, str) or len(status) < 4 or not status[:3].isdigit() or status[3] != " ":
        raise ValueError(f"invalid WSGI status {status!r}")
    return int(status[:3]), status[4:].encode("latin-1")


class WSGICall:
    """One app invocation: `run` in a worker thread, then `finish` on the loop."""

    def __init__(self, app, environ: Dict[str, Any], exchange: Exchange, loop: asyncio.AbstractEventLoop):
        self.app = app
        self.environ = environ
        self.exchange = exchange
        self.loop = loop
        self.status: Optional[Tuple[int, bytes]] = None
        self.headers: List[Tuple[str, str]] = []
        self.headers_sent = False
        self.length_hint: Optional[int] = None
        self.error: Optional[BaseException] = None
        self._unflushed = 0

    # --- in the worker thread -------------------------------------------------------------

    def start_response(self, status: str, headers: List[Tuple[str, str]], exc_info=None):
        if exc_info is not None:
            try:
                if self.headers_sent:
                    raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None
        elif self.status is not None:
            raise AssertionError("start_response() called a second time without exc_info")
        self.status = _status_of(status)
        self.headers = list(headers)
        return self.write

    def write(self, data: bytes) -> None:
        """The legacy ``write`` callable start_response returns."""
        if self.status is None:
            raise AssertionError("write() before start_response()")
        if data:
            self._emit(bytes(data))

    def _emit(self, data: bytes) -> None:
        if self.exchange.gone:
            raise ClientDisconnected("client disconnected")
        head = None
        if not self.headers_sent:
            if self.status is None:
                raise AssertionError("the app sent body data before calling start_response()")
            head, self.headers_sent = (self.status, self.headers, self.length_hint), True
        self.loop.call_soon_threadsafe(self._write, head, data)
        self._unflushed += len(data)
        if self._unflushed >= FLUSH_BYTES:
            self._unflushed = 0
            asyncio.run_coroutine_threadsafe(self.exchange.response.drain(), self.loop).result()

    def run(self) -> None:
        try:
            result = self.app(self.environ, self.start_response)
            try:
                if (isinstance(result, (list, tuple)) and len(result) == 1 and isinstance(result[0], bytes)
                        and not self.headers_sent):
                    self.length_hint = len(result[0])  # the whole body: no chunked encoding needed
                for chunk in result:
                    if chunk:
                        self._emit(chunk)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
            if self.status is None:
                raise RuntimeError("the app returned without calling start_response()")
        except BaseException as error:  # reported by finish() on the loop
            self.error = error

    # --- on the event loop ------------------------------------------------------------------

    def _write(self, head, data: bytes) -> None:
        response = self.exchange.response
        if response.complete or self.error is not None:
            return
        try:
            if head is not None:
                (code, reason), headers, length_hint = head
                response.start(code, headers, reason, length_hint)
            response.body(data, True)
        except ClientDisconnected:
            self.exchange.gone = True
        except Exception as error:  # bad headers or too much body
            self.error = error

    def finish(self) -> None:
        response = self.exchange.response
        if self.error is None and not self.exchange.gone:
            try:
                if not response.started:
                    code, reason = self.status  # type: ignore[misc]
                    response.start(code, self.headers, reason, self.length_hint or 0)
                response.body(b"", False)
                return
            except ClientDisconnected:
                self.exchange.gone = True
            except Exception as error:
                self.error = error
        self.exchange.app_failed(self.error)


class BodyInput(io.RawIOBase):
    """``wsgi.input`` for bodies streamed while the app runs (large or chunked)."""

    def __init__(self, body: RequestBody, loop: asyncio.AbstractEventLoop, exchange: Exchange):
        super().__init__()
        self._body = body
        self._loop = loop
        self._exchange = exchange
        self._buffer = bytearray()

    def readable(self) -> bool:
        return True

    def _fill(self) -> bool:
        if self._body.done:
            return False
        future = asyncio.run_coroutine_threadsafe(self._body.read(65536), self._loop)
        try:
            data = future.result()
        except ClientDisconnected:
            self._exchange.gone = True
            raise
        except BadRequestBody as error:
            self._exchange.bad_body = error
            raise
        self._buffer += data
        return True

    def read(self, size: Optional[int] = -1) -> bytes:
        if size is None or size < 0:
            while self._fill():
                pass
            size = len(self._buffer)
        while len(self._buffer) < size and self._fill():
            pass
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def readinto(self, target) -> int:
        data = self.read(len(target))
        target[:len(data)] = data
        return len(data)

    def readline(self, size: Optional[int] = -1) -> bytes:
        limit = sys.maxsize if size is None or size < 0 else size
        while b"\n" not in self._buffer and len(self._buffer) < limit and self._fill():
            pass
        end = self._buffer.find(b"\n")
        end = len(self._buffer) if end < 0 else end + 1
        end = min(end, limit)
        data = bytes(self._buffer[:end])
        del self._buffer[:end]
        return data
