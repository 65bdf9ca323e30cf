"""The ASGI lifespan protocol: startup before serving, shutdown after the last request."""
import asyncio
import sys
import traceback
from typing import Any, Dict, Optional

SHUTDOWN_TIMEOUT = 30.0


class Lifespan:
    """Runs the app's lifespan task.

    An app that raises or returns before answering ``lifespan.startup`` does not support the
    protocol; it is served anyway.  ``startup.failed`` stops the server.
    """

    def __init__(self, app):
        self.app = app
        self.state: Dict[str, Any] = {}
        self.supported = True
        self._inbox: Optional[asyncio.Queue] = None
        self._started: Optional[asyncio.Future] = None
        self._stopped: Optional[asyncio.Future] = None
        self._task: Optional[asyncio.Task] = None

    async def startup(self) -> bool:
        """True when the app started (or has no lifespan support)."""
        loop = asyncio.get_running_loop()
        self._inbox = asyncio.Queue()
        self._started, self._stopped = loop.create_future(), loop.create_future()
        self._task = loop.create_task(self._run())
        await self._inbox.put({"type": "lifespan.startup"})
        await asyncio.wait((self._started, self._task), return_when=asyncio.FIRST_COMPLETED)
        if not self._started.done():
            self.supported = False
            return True
        message = self._started.result()
        if message is not None:
            print(f"hearth_serve: application startup failed{': ' + message if message else ''}",
                  file=sys.stderr, flush=True)
            return False
        return True

    async def shutdown(self) -> None:
        if not self.supported or self._task is None or self._task.done() or self._inbox is None:
            return
        await self._inbox.put({"type": "lifespan.shutdown"})
        done, _ = await asyncio.wait((self._stopped, self._task), timeout=SHUTDOWN_TIMEOUT,
                                     return_when=asyncio.FIRST_COMPLETED)
        if not done:
            print("hearth_serve: application shutdown timed out", file=sys.stderr, flush=True)
            self._task.cancel()
        elif self._stopped.done() and self._stopped.result():
            print(f"hearth_serve: application shutdown failed: {self._stopped.result()}", file=sys.stderr,
                  flush=True)

    async def _run(self) -> None:
        scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}, "state": self.state}
        try:
            await self.app(scope, self._receive, self._send)
        except BaseException as error:
            if isinstance(error, (KeyboardInterrupt, SystemExit)):
                raise
            if not self._started.done():
                print(f"hearth_serve: ASGI lifespan not supported by the app ({type(error).__name__}: {error}); "
                      "serving without it", file=sys.stderr, flush=True)
            elif not self._stopped.done() and not isinstance(error, asyncio.CancelledError):
                print("hearth_serve: exception in the app's lifespan task", file=sys.stderr)
                traceback.print_exception(type(error), error, error.__traceback__, file=sys.stderr)
                sys.stderr.flush()

    async def _receive(self) -> Dict[str, Any]:
        assert self._inbox is not None
        return await self._inbox.get()

    async def _send(self, message: Dict[str, Any]) -> None:
        kind = message.get("type")
        if kind == "lifespan.startup.complete":
            _settle(self._started, None)
        elif kind == "lifespan.startup.failed":
            _settle(self._started, message.get("message", ""))
        elif kind == "lifespan.shutdown.complete":
            _settle(self._stopped, None)
        elif kind == "lifespan.shutdown.failed":
            _settle(self._stopped, message.get("message", "") or "failed")
        else:
            raise RuntimeError(f"unexpected ASGI lifespan message {kind!r}")


def _settle(future: Optional[asyncio.Future], value) -> None:
    if future is not None and not future.done():
        future.set_result(value)
