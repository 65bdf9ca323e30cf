"""Shared parts of the hearth_serve tests (test_hearth_serve_*.py): tiny ASGI/WSGI apps
written into a temp dir, a fixture that runs `python -m hearth_serve MODULE:ATTR` as a real
subprocess, and raw-socket helpers.  Set HEARTH_SERVE_PYTHON to run the server under another
interpreter (e.g. python3.9); the FastAPI/Flask tests always use this one.
"""
from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from conftest import REPO, free_port

SDK_PYTHON = REPO / "sdk" / "python"
SERVER_PYTHON = os.environ.get("HEARTH_SERVE_PYTHON", sys.executable)
START_TIMEOUT = 30

ECHO_ASGI = '''
import json

async def app(scope, receive, send):
    if scope["type"] != "http":
        raise RuntimeError("no lifespan here")
    chunks, messages = [], 0
    while True:
        message = await receive()
        assert message["type"] == "http.request", message
        messages += 1
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    body = b"".join(chunks)
    path = scope["path"]
    if path == "/scope":
        info = {k: v for k, v in scope.items() if k not in ("headers", "raw_path", "query_string", "state", "extensions")}
        info["raw_path"] = scope["raw_path"].decode("latin-1")
        info["query_string"] = scope["query_string"].decode("latin-1")
        info["headers"] = [[k.decode("latin-1"), v.decode("latin-1")] for k, v in scope["headers"]]
        out = json.dumps(info).encode()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": out})
    elif path == "/parts":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for part in (b"one,", b"two,", b"", b"three"):
            await send({"type": "http.response.body", "body": part, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
    elif path == "/big":
        size = int(scope["query_string"] or 0)
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", str(size).encode())]})
        block = b"x" * 65536
        sent = 0
        while sent < size:
            n = min(len(block), size - sent)
            await send({"type": "http.response.body", "body": block[:n], "more_body": sent + n < size})
            sent += n
    elif path == "/boom":
        raise ValueError("kaboom-asgi")
    elif path == "/boom-after":  # Starlette's ServerErrorMiddleware: a complete 500, then re-raise
        await send({"type": "http.response.start", "status": 500, "headers": [(b"content-length", b"5")]})
        await send({"type": "http.response.body", "body": b"oops!"})
        raise ValueError("kaboom-after")
    elif path == "/silent":
        return
    elif path == "/status":
        code = int(scope["query_string"])
        await send({"type": "http.response.start", "status": code, "headers": [(b"x-code", str(code).encode())]})
        await send({"type": "http.response.body", "body": b"ignored for no-body statuses"})
    else:
        out = b"%s %s %d %s" % (scope["method"].encode(), path.encode(), messages, body)
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/plain"), (b"x-client-port", str(scope["client"][1]).encode())]})
        await send({"type": "http.response.body", "body": out})
'''

LIFESPAN_ASGI = '''
import asyncio, os

class App:
    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    if os.environ.get("FAIL_STARTUP"):
                        await send({"type": "lifespan.startup.failed", "message": "no database"})
                        return
                    scope["state"]["greeting"] = "hello from startup"
                    open("events.log", "a").write("startup\\n")
                    await send({"type": "lifespan.startup.complete"})
                else:
                    open("events.log", "a").write("shutdown\\n")
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        await receive()
        if scope["path"] == "/slow":
            await asyncio.sleep(1.5)
        body = scope["state"].get("greeting", "none").encode()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": body})

app = App()
'''

WSGI_APP = '''
import json, sys

closed = []

class Body:
    def __init__(self, parts):
        self.parts = parts
    def __iter__(self):
        return iter(self.parts)
    def close(self):
        closed.append(1)

def app(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/environ":
        keys = ["REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "SERVER_NAME", "SERVER_PORT",
                "SERVER_PROTOCOL", "CONTENT_TYPE", "CONTENT_LENGTH", "REMOTE_ADDR", "HTTP_X_THING", "HTTP_HOST",
                "wsgi.url_scheme", "wsgi.multithread", "wsgi.run_once", "wsgi.input_terminated"]
        info = {k: environ.get(k) for k in keys}
        info["version"] = list(environ["wsgi.version"])
        info["errors_writable"] = hasattr(environ["wsgi.errors"], "write")
        info["body"] = environ["wsgi.input"].read().decode("latin-1")
        out = json.dumps(info).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(out)))])
        return [out]
    if path == "/lines":
        stream = environ["wsgi.input"]
        lines = [stream.readline().decode()]
        lines += [line.decode() for line in stream]
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(lines).encode()]
    if path == "/generator":
        start_response("201 Created", [("X-Kind", "generator")])
        return Body([b"a", b"", b"bc", b"def"])
    if path == "/closed":
        start_response("200 OK", [])
        return [str(len(closed)).encode()]
    if path == "/write":
        write = start_response("200 OK", [("Content-Type", "text/plain")])
        write(b"written;")
        return [b"returned"]
    if path == "/exc-info":
        try:
            raise KeyError("inner")
        except KeyError:
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")], sys.exc_info())
        return [b"recovered"]
    if path == "/boom":
        raise ValueError("kaboom-wsgi")
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"wsgi " + environ["REQUEST_METHOD"].encode() + b" " + environ["wsgi.input"].read()]
'''


class Served:
    """A running `python -m hearth_serve` process."""

    def __init__(self, proc: subprocess.Popen, port: int, cwd: Path, stderr_path: Path, banner: str):
        self.proc, self.port, self.cwd, self.stderr_path, self.banner = proc, port, cwd, stderr_path, banner

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def conn(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)

    def request(self, method: str, path: str, body=None, headers=None) -> tuple[int, dict, bytes]:
        conn = self.conn()
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
        finally:
            conn.close()

    def raw(self, data: bytes, timeout: float = 5) -> bytes:
        """Sends bytes, returns everything read until the server closes (or the timeout)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as sock:
            sock.sendall(data)
            return read_until_close(sock)

    def stop(self, sig=signal.SIGTERM, timeout: float = 15) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                pytest.fail(f"hearth_serve did not exit after {sig!r}\n{self.stderr()}")
        return self.proc.returncode


def read_until_close(sock: socket.socket) -> bytes:
    chunks = []
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                break
            chunks.append(data)
    except socket.timeout:
        pass
    return b"".join(chunks)


def start_process(tmp_path: Path, spec: str, *args: str, env: dict | None = None, python: str = SERVER_PYTHON):
    port = free_port()
    stderr_path = tmp_path / f"stderr-{port}.log"
    full_env = {**os.environ, "PYTHONPATH": str(SDK_PYTHON), "PORT": str(port), **(env or {})}
    with open(stderr_path, "wb") as err:
        proc = subprocess.Popen([python, "-m", "hearth_serve", spec, "--host", "127.0.0.1", *args],
                                cwd=tmp_path, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL,
                                env=full_env)
    return proc, port, stderr_path


@pytest.fixture
def serve(tmp_path):
    """serve(source, spec="app_module:app", *args) → Served, once it printed its banner."""
    procs = []

    def start(source: str, spec: str = "app_module:app", *args: str, env: dict | None = None,
              python: str = SERVER_PYTHON) -> Served:
        module = spec.split(":")[0]
        (tmp_path / f"{module}.py").write_text(textwrap.dedent(source))
        proc, port, stderr_path = start_process(tmp_path, spec, *args, env=env, python=python)
        procs.append(proc)
        banner = []
        reader = threading.Thread(target=lambda: banner.append(proc.stdout.readline().decode()), daemon=True)
        reader.start()
        reader.join(START_TIMEOUT)
        if not banner or not banner[0]:
            proc.kill()
            pytest.fail(f"hearth_serve did not start: {stderr_path.read_text(errors='replace')}")
        return Served(proc, port, tmp_path, stderr_path, banner[0])

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def parse_responses(data: bytes) -> list[tuple[int, dict, bytes]]:
    """Splits raw bytes into (status, headers, body) responses (Content-Length or chunked)."""
    out = []
    while data:
        head, sep, data = data.partition(b"\r\n\r\n")
        assert sep, f"incomplete head: {head!r}"
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ")[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower().decode()] = value.strip().decode()
        body = b""
        if headers.get("transfer-encoding") == "chunked":
            while True:
                size_line, _, data = data.partition(b"\r\n")
                size = int(size_line, 16)
                body += data[:size]
                data = data[size + 2:]
                if size == 0:
                    break
        elif "content-length" in headers:
            n = int(headers["content-length"])
            body, data = data[:n], data[n:]
        out.append((status, headers, body))
    return out
