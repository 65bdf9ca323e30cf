"""HTTP transport: where to connect, pooled keep-alive connections, one request at a time.

Each thread keeps one connection per endpoint (``http.client`` is not thread-safe), so a Base
or Drive object can be shared between threads.  A connection the server closed while idle is
noticed before reuse, and a request that fails on a reused connection is retried once on a
fresh one.
"""
import http.client
import json
import os
import select
import threading
from pathlib import PurePath
from typing import Any, Dict, NamedTuple, Optional, Tuple
from urllib.parse import urlsplit

from .errors import DetaError

JSON_MIME = "application/json"
TIMEOUT = 300  # seconds, as the SDK's Base and Drive services
SUCCESS = (200, 201, 202, 207)
USER_AGENT = "hearth-deta-python/1.2.0"

DEFAULT_HOSTS = {"base": "database.deta.sh", "drive": "drive.deta.sh"}
HOST_ENV = {"base": "DETA_BASE_HOST", "drive": "DETA_DRIVE_HOST"}


class Endpoint(NamedTuple):
    """Scheme, ``host[:port]`` and a path prefix ("" or "/something")."""

    scheme: str
    netloc: str
    prefix: str = ""

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.netloc}{self.prefix}"


def resolve_endpoint(service: str, host: Optional[str] = None) -> Endpoint:
    """The endpoint for ``service`` ("base" or "drive").

    ``HEARTH_API_URL`` (set by the Hearth node in every micro) wins over everything; then an
    explicit ``host``, then ``DETA_BASE_HOST``/``DETA_DRIVE_HOST`` (HTTPS, as the SDK did);
    then Deta's public hosts.
    """
    api = os.environ.get("HEARTH_API_URL")
    if api:
        parts = urlsplit(api if "://" in api else "http://" + api)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"HEARTH_API_URL is not an http(s) URL: {api!r}")
        return Endpoint(parts.scheme, parts.netloc, parts.path.rstrip("/"))
    return Endpoint("https", host or os.getenv(HOST_ENV[service]) or DEFAULT_HOSTS[service])


class _JSONEncoder(json.JSONEncoder):
    """Encodes ``pathlib`` paths as absolute POSIX strings, like SDK 1.2.0."""

    def default(self, o: Any) -> Any:
        if isinstance(o, PurePath):
            resolve = getattr(o, "resolve", None)
            return (resolve() if resolve else o).as_posix()
        return super().default(o)


def dump_json(payload: Any) -> bytes:
    return json.dumps(payload, cls=_JSONEncoder).encode("utf-8")


class _Pool(threading.local):
    def __init__(self) -> None:
        self.connections: Dict[Endpoint, http.client.HTTPConnection] = {}


_pool = _Pool()


def _reset_pool_after_fork() -> None:
    global _pool
    _pool = _Pool()  # never share sockets with the parent process


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_pool_after_fork)


def _connect(endpoint: Endpoint) -> http.client.HTTPConnection:
    cls = http.client.HTTPSConnection if endpoint.scheme == "https" else http.client.HTTPConnection
    return cls(endpoint.netloc, timeout=TIMEOUT)


def _idle_connection_usable(conn: http.client.HTTPConnection) -> bool:
    """False when the server closed (or wrote to) an idle connection."""
    sock = conn.sock
    if sock is None:
        return False
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return False
    return not readable


def checkout(endpoint: Endpoint) -> Tuple[http.client.HTTPConnection, bool]:
    """This thread's connection for ``endpoint`` (taken out of the pool) and whether it was reused."""
    conn = _pool.connections.pop(endpoint, None)
    if conn is not None:
        if _idle_connection_usable(conn):
            return conn, True
        conn.close()
    return _connect(endpoint), False


def checkin(endpoint: Endpoint, conn: http.client.HTTPConnection) -> None:
    """Returns an idle connection to this thread's pool (or closes it if the slot is taken)."""
    if conn.sock is None or endpoint in _pool.connections:
        conn.close()
    else:
        _pool.connections[endpoint] = conn


_RETRYABLE = (http.client.RemoteDisconnected, http.client.CannotSendRequest,
              http.client.BadStatusLine, ConnectionResetError, BrokenPipeError, ConnectionAbortedError)


class Transport:
    """Sends requests under ``{endpoint}/v1/{project_id}/{name}`` with the project key."""

    def __init__(self, endpoint: Endpoint, project_key: str, project_id: str, name: str):
        self.endpoint = endpoint
        self.project_key = project_key
        self.base_path = f"{endpoint.prefix}/v1/{project_id}/{name}"

    def url(self, path: str) -> str:
        return f"{self.endpoint.scheme}://{self.endpoint.netloc}{self.base_path}{path}"

    def request(self, method: str, path: str, *, json_body: Any = None, body: Optional[bytes] = None,
                content_type: Optional[str] = None, stream: bool = False):
        """Returns ``(status, payload)``; payload is None on 404.

        Success (200/201/202/207) gives parsed JSON when the response says ``application/json``,
        else bytes; with ``stream=True`` it gives a ``(response, release)`` pair instead, where
        ``release(reusable)`` hands the connection back.  Other statuses raise `DetaError`.
        """
        headers = {"X-API-Key": self.project_key, "User-Agent": USER_AGENT}
        if json_body is not None:
            body = dump_json(json_body)
            content_type = JSON_MIME
        if content_type:
            headers["Content-Type"] = content_type
        target = self.base_path + path
        conn, response = self._send(method, target, headers, body)
        status = response.status
        if status not in SUCCESS:
            data = response.read()
            self._finish(conn, response)
            if status == 404:
                return status, None
            raise DetaError(self.url(path), status, response.reason, response.headers, data)
        if stream:
            return status, (response, lambda reusable: self._release(conn, response, reusable))
        data = response.read()
        self._finish(conn, response)
        ctype = response.getheader("Content-Type") or ""
        if JSON_MIME in ctype:
            return status, json.loads(data) if data else None
        return status, data

    def _send(self, method, target, headers, body):
        conn, reused = checkout(self.endpoint)
        try:
            conn.request(method, target, body=body, headers=headers)
            return conn, conn.getresponse()
        except _RETRYABLE:
            conn.close()
            if not reused:
                raise
        except BaseException:
            conn.close()
            raise
        conn = _connect(self.endpoint)  # the server dropped a kept-alive connection: once more
        try:
            conn.request(method, target, body=body, headers=headers)
            return conn, conn.getresponse()
        except BaseException:
            conn.close()
            raise

    def _finish(self, conn, response) -> None:
        if response.will_close:
            conn.close()
        else:
            checkin(self.endpoint, conn)

    def _release(self, conn, response, reusable: bool) -> None:
        if reusable and response.isclosed() and not response.will_close:
            checkin(self.endpoint, conn)
        else:
            conn.close()
