"""The listening server: connections, access log, lifespan and graceful shutdown."""
import asyncio
import ipaddress
import signal
import sys
import time
from typing import List, Optional, Set, Tuple

from .asgi import run_asgi
from .connection import Connection, Protocol
from .lifespan import Lifespan
from .wsgi import WSGIRunner


class Config:
    """Server settings (see ``python -m hearth_serve --help``)."""

    def __init__(self, spec: str, host: str = "0.0.0.0", port: int = 8080, threads: int = 16,
                 keep_alive: float = 75.0, graceful_timeout: float = 30.0, access_log: bool = True,
                 forwarded_allow_ips: str = "127.0.0.1,::1"):
        self.spec = spec
        self.host = host
        self.port = port
        self.threads = threads
        self.keep_alive = keep_alive
        self.graceful_timeout = graceful_timeout
        self.access_log = access_log
        self.forwarded_allow_ips = forwarded_allow_ips


class Server:
    """Serves ``app`` (``interface`` "asgi" or "wsgi") until SIGTERM/SIGINT."""

    def __init__(self, app, interface: str, config: Config):
        self.app = app
        self.interface = interface
        self.config = config
        self.keep_alive = config.keep_alive
        self.connections: Set[Connection] = set()
        self.lifespan: Optional[Lifespan] = None
        self.wsgi: Optional[WSGIRunner] = None
        self._stop: Optional[asyncio.Event] = None
        self._signals = 0
        self._log_lines: List[str] = []
        self.forced = False  # requests were cut off: worker threads may still be busy
        allowed = [a.strip() for a in config.forwarded_allow_ips.split(",") if a.strip()]
        self._trust_all = "*" in allowed
        self._trusted = {str(ipaddress.ip_address(a)) for a in allowed if a != "*"}

    def trusts(self, address: Optional[Tuple[str, int]]) -> bool:
        """Whether X-Forwarded-* headers from this peer are believed."""
        if address is None:
            return False
        host = address[0][7:] if address[0].startswith("::ffff:") else address[0]  # IPv4-mapped
        return self._trust_all or host in self._trusted

    async def handler(self, exchange) -> None:
        if self.wsgi is not None:
            await self.wsgi(exchange)
        else:
            state = self.lifespan.state if self.lifespan is not None else {}
            await run_asgi(self.app, exchange, state)

    def log_access(self, exchange, status: int, seconds: float, request_line: bytes = b"") -> None:
        if not self.config.access_log:
            return
        if exchange is not None:
            head = exchange.head
            client = exchange.client
            line = f"{head.method} {head.target.decode('latin-1')} HTTP/{head.version}"
        else:
            client, line = None, request_line[:200].decode("latin-1")
        peer = f"{client[0]}:{client[1]}" if client else "-"
        self._log_lines.append(f'{peer} - "{line}" {status or "-"} {seconds * 1000:.1f}ms\n')
        if len(self._log_lines) == 1:  # written once per event loop pass, not once per request
            asyncio.get_running_loop().call_soon(self._flush_log)

    def _flush_log(self) -> None:
        lines, self._log_lines = self._log_lines, []
        try:
            sys.stderr.write("".join(lines))
            sys.stderr.flush()
        except (OSError, ValueError):
            pass

    async def _on_connect(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connection = Connection(self, reader, writer)
        self.connections.add(connection)
        try:
            await connection.run()
        finally:
            self.connections.discard(connection)

    def request_stop(self) -> None:
        self._signals += 1
        if self._stop is not None:
            self._stop.set()
        if self._signals > 1:  # a second signal: stop waiting for requests in flight
            self.forced = True
            for connection in list(self.connections):
                if connection.task is not None:
                    connection.task.cancel()

    async def serve(self) -> int:
        """Runs until stopped; returns the process exit status."""
        loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            try:
                loop.add_signal_handler(signum, self.request_stop)
            except (NotImplementedError, RuntimeError):
                pass
        if self.interface == "asgi":
            self.lifespan = Lifespan(self.app)
            if not await self.lifespan.startup():
                return 1
        else:
            self.wsgi = WSGIRunner(self.app, self.config.threads)
        try:
            listener = await loop.create_server(lambda: Protocol(self._on_connect), self.config.host,
                                                self.config.port, reuse_address=True, backlog=2048)
        except OSError as error:
            print(f"hearth_serve: cannot listen on {self.config.host}:{self.config.port}: {error}",
                  file=sys.stderr, flush=True)
            await self._shutdown_app()
            return 1
        sweeper = loop.create_task(self._close_idle_connections())
        port = listener.sockets[0].getsockname()[1] if listener.sockets else self.config.port
        print(f"hearth_serve: serving {self.config.spec} ({self.interface.upper()}) on {self.config.host}:{port}",
              flush=True)
        await self._stop.wait()
        sweeper.cancel()
        listener.close()
        await self._drain_connections()
        await self._shutdown_app()
        print("hearth_serve: stopped", file=sys.stderr, flush=True)
        return 0

    async def _close_idle_connections(self) -> None:
        """Enforces the keep-alive timeout (one sweep a second instead of a timer per request)."""
        interval = min(1.0, self.keep_alive / 2)
        while True:
            await asyncio.sleep(interval)
            deadline = time.monotonic() - self.keep_alive
            for connection in list(self.connections):
                connection.close_if_idle_since(deadline)

    async def _drain_connections(self) -> None:
        for connection in list(self.connections):
            connection.close_when_idle()
        tasks = [c.task for c in self.connections if c.task is not None]
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=self.config.graceful_timeout)
            for task in pending:
                task.cancel()
            self.forced = self.forced or bool(pending)
            if pending:
                await asyncio.wait(pending, timeout=1.0)

    async def _shutdown_app(self) -> None:
        if self.lifespan is not None:
            await self.lifespan.shutdown()
        if self.wsgi is not None:
            self.wsgi.close()
