"""`python -m hearth_serve MODULE:ATTR` (sdk/python/hearth_serve) as a real subprocess.

The apps are tiny raw ASGI/WSGI modules written into a temp dir; FastAPI and Flask apps are
tested too when those packages are importable.  Set HEARTH_SERVE_PYTHON to run the server
under another interpreter (e.g. python3.9); the FastAPI/Flask tests always use this one.
"""
from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
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


# ----- ASGI ------------------------------------------------------------------------------------

def test_banner_detection_and_access_log(serve):
    server = serve(ECHO_ASGI)
    assert server.banner.strip() == f"hearth_serve: serving app_module:app (ASGI) on 127.0.0.1:{server.port}"
    status, _, body = server.request("GET", "/hello?x=1")
    assert status == 200 and body == b"GET /hello 1 "
    server.stop()
    assert '"GET /hello?x=1 HTTP/1.1" 200 ' in server.stderr()


def test_asgi_scope(serve):
    server = serve(ECHO_ASGI)
    status, headers, body = server.request("GET", "/scope?a=1&b=%20", headers={"X-Thing": "Value"})
    assert status == 200 and headers["content-type"] == "application/json"
    scope = json.loads(body)
    assert scope["type"] == "http" and scope["asgi"]["version"] == "3.0"
    assert scope["asgi"]["spec_version"] in ("2.3", "2.4")
    assert (scope["http_version"], scope["method"], scope["scheme"]) == ("1.1", "GET", "http")
    assert (scope["path"], scope["raw_path"], scope["query_string"]) == ("/scope", "/scope", "a=1&b=%20")
    assert scope["root_path"] == ""
    assert ["x-thing", "Value"] in scope["headers"] and ["host", f"127.0.0.1:{server.port}"] in scope["headers"]
    assert all(name == name.lower() for name, _ in scope["headers"])
    assert scope["client"][0] == "127.0.0.1" and scope["server"] == ["127.0.0.1", server.port]


def test_asgi_path_is_percent_decoded(serve):
    server = serve(ECHO_ASGI.replace('path == "/scope"', 'path.startswith("/scope")'))
    _, _, body = server.request("GET", "/scope/a%20b/%C3%A9%2Fx")
    scope = json.loads(body)
    assert scope["path"] == "/scope/a b/é/x" and scope["raw_path"] == "/scope/a%20b/%C3%A9%2Fx"


def test_forwarded_headers_from_a_trusted_proxy(serve):
    server = serve(ECHO_ASGI)
    _, _, body = server.request("GET", "/scope", headers={"X-Forwarded-Proto": "https",
                                                          "X-Forwarded-For": "203.0.113.9"})
    scope = json.loads(body)
    assert scope["scheme"] == "https" and scope["client"] == ["203.0.113.9", 0]
    untrusting = serve(ECHO_ASGI, "app_module:app", "--forwarded-allow-ips", "10.9.9.9")
    scope = json.loads(untrusting.request("GET", "/scope", headers={"X-Forwarded-Proto": "https"})[2])
    assert scope["scheme"] == "http" and scope["client"][0] == "127.0.0.1"


def test_post_bodies_content_length_and_chunked(serve):
    server = serve(ECHO_ASGI)
    status, _, body = server.request("POST", "/echo", body=b"plain body")
    assert status == 200 and body == b"POST /echo 1 plain body"
    status, _, body = server.request("POST", "/echo", body=iter([b"chunk-one;", b"chunk-two"]))  # http.client sends iterables chunked
    assert status == 200 and body.startswith(b"POST /echo ") and body.endswith(b"chunk-one;chunk-two")
    big = os.urandom(1024 * 1024 + 7)
    status, _, body = server.request("PUT", "/echo", body=big)
    head, payload = body.split(b" ", 3)[2:], body.split(b" ", 3)[3]
    assert status == 200 and payload == big
    assert int(head[0]) > 1  # streamed to the app in several http.request messages


def test_chunked_request_with_extensions_and_trailers(serve):
    server = serve(ECHO_ASGI)
    raw = (b"POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
           b"5;ext=1\r\nhello\r\n1\r\n \r\n6\r\nworld!\r\n0\r\nX-Trailer: yes\r\n\r\n")
    [(status, _, body)] = parse_responses(server.raw(raw))
    assert status == 200 and body.endswith(b"hello world!")


def test_keep_alive_and_pipelining(serve):
    server = serve(ECHO_ASGI)
    conn = server.conn()
    ports = set()
    for i in range(5):
        conn.request("POST", f"/n{i}", body=b"x" * i)
        resp = conn.getresponse()
        assert resp.read() == f"POST /n{i} 1 ".encode() + b"x" * i
        ports.add(resp.getheader("x-client-port"))
    conn.close()
    assert len(ports) == 1  # one connection served all five
    pipelined = b"".join(
        b"POST /p%d HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nab%d" % (i, i) for i in range(4))
    pipelined += b"GET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    responses = parse_responses(server.raw(pipelined))
    assert [r[2] for r in responses] == [b"POST /p%d 1 ab%d" % (i, i) for i in range(4)] + [b"GET /last 1 "]
    assert responses[-1][1]["connection"] == "close"


def test_idle_keep_alive_connections_time_out(serve):
    server = serve(ECHO_ASGI, "app_module:app", "--keep-alive", "0.5")
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.2)
        sock.sendall(b"GET /b HTTP/1.1\r\nHost: x\r\n\r\n")  # still open within the timeout
        started = time.monotonic()
        data = read_until_close(sock)  # then closed by the server
        assert time.monotonic() - started < 3
    assert [r[2] for r in parse_responses(data)] == [b"GET /a 1 ", b"GET /b 1 "]


def test_http10_closes_unless_keep_alive(serve):
    server = serve(ECHO_ASGI)
    [(status, headers, body)] = parse_responses(server.raw(b"GET /old HTTP/1.0\r\n\r\n"))
    assert status == 200 and body == b"GET /old 1 " and headers["connection"] == "close"
    data = server.raw(b"GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b HTTP/1.0\r\n\r\n")
    assert [r[2] for r in parse_responses(data)] == [b"GET /a 1 ", b"GET /b 1 "]


def test_response_framing(serve):
    server = serve(ECHO_ASGI)
    [(status, headers, body)] = parse_responses(server.raw(b"GET /parts HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
    assert status == 200 and headers["transfer-encoding"] == "chunked" and body == b"one,two,three"
    assert "content-length" not in headers
    status, headers, body = server.request("GET", "/single")
    assert headers["content-length"] == str(len(body)) and "transfer-encoding" not in headers
    assert "date" in headers
    status, headers, body = server.request("GET", "/big?3000000")
    assert status == 200 and body == b"x" * 3_000_000
    for code in (204, 304):
        [(status, headers, body)] = parse_responses(
            server.raw(b"GET /status?%d HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % code))
        assert (status, body, headers["x-code"]) == (code, b"", str(code))
        assert "transfer-encoding" not in headers


def test_http10_streaming_response_is_closed_delimited(serve):
    server = serve(ECHO_ASGI)
    data = server.raw(b"GET /parts HTTP/1.0\r\n\r\n")
    head, _, body = data.partition(b"\r\n\r\n")
    assert b"chunked" not in head.lower() and b"connection: close" in head.lower()
    assert body == b"one,two,three"


def test_head_requests_have_no_body_and_keep_the_connection(serve):
    server = serve(ECHO_ASGI)
    data = server.raw(b"HEAD /h HTTP/1.1\r\nHost: x\r\n\r\nHEAD /big?1000 HTTP/1.1\r\nHost: x\r\n\r\n"
                      b"GET /after HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    first_head, _, rest = data.partition(b"\r\n\r\n")
    assert first_head.startswith(b"HTTP/1.1 200") and b"content-length: 10" in first_head.lower()  # "HEAD /h 1 "
    second_head, _, rest = rest.partition(b"\r\n\r\n")
    assert second_head.startswith(b"HTTP/1.1 200") and b"content-length: 1000" in second_head.lower()
    [(status, _, body)] = parse_responses(rest)  # nothing of the HEAD bodies in between
    assert status == 200 and body == b"GET /after 1 "


def test_expect_100_continue(serve):
    server = serve(ECHO_ASGI)
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        interim = sock.recv(100)
        assert interim == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(b"data")
        sock.sendall(b"GET /next HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        responses = parse_responses(read_until_close(sock))
    assert [r[2] for r in responses] == [b"POST /e 1 data", b"GET /next 1 "]


NO_READ_ASGI = '''
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": scope["path"].encode()})
'''


def test_request_bodies_the_app_does_not_read(serve):
    server = serve(NO_READ_ASGI)
    # a small unread body is skipped and the next request on the connection is served
    data = server.raw(b"POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                      b"GET /after HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert [r[2] for r in parse_responses(data)] == [b"/small", b"/after"]
    # a large unread body ends the connection after the response
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"POST /large HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n" + b"x" * 100_000)
        responses = parse_responses(read_until_close(sock))
    assert [r[2] for r in responses] == [b"/large"]
    # the client keeps sending a body nobody reads: it still gets the response, not a reset
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sent = []
        head = b"PUT /huge HTTP/1.1\r\nHost: x\r\nContent-Length: 8000000\r\n\r\n"
        sender = threading.Thread(target=lambda: sent.append(sock.sendall(head + b"y" * 8_000_000) or True))
        sender.start()
        data = read_until_close(sock)
        sender.join(10)
    assert sent == [True]
    assert [r[2] for r in parse_responses(data)] == [b"/huge"]
    # with Expect: 100-continue and the body never asked for, no 100 is sent and the connection ends
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"POST /expect HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        data = read_until_close(sock)
    assert b"100 Continue" not in data
    [(status, headers, body)] = parse_responses(data)
    assert (status, body, headers.get("connection")) == (200, b"/expect", "close")


def test_cancelled_receive_loses_no_body_bytes(serve):
    server = serve('''
        import asyncio

        async def app(scope, receive, send):
            if scope["type"] != "http":
                return
            body, more, cancels = b"", True, 0
            while more:
                try:  # like Starlette's is_disconnected(): receive() cancelled before it returns
                    message = await asyncio.wait_for(receive(), 0.01)
                except asyncio.TimeoutError:
                    cancels += 1
                    continue
                body += message["body"]
                more = message["more_body"]
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"%d:" % cancels + body})
    ''')
    pieces = [b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
              b"5\r", b"\nhel", b"lo\r", b"\n6;x=y\r\n wor", b"ld\r\n0\r\nTrail", b"er: 1\r\n", b"\r\n"]
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        for piece in pieces:
            sock.sendall(piece)
            time.sleep(0.05)
        [(status, _, body)] = parse_responses(read_until_close(sock))
    cancels, _, data = body.partition(b":")
    assert status == 200 and data == b"hello world"
    assert int(cancels) >= 3


def test_app_exceptions_give_500_and_the_server_goes_on(serve):
    server = serve(ECHO_ASGI)
    status, headers, _ = server.request("GET", "/boom")
    assert status == 500 and headers["connection"] == "close"
    status, _, _ = server.request("GET", "/silent")
    assert status == 500
    assert server.request("GET", "/fine")[0] == 200
    server.stop()
    log = server.stderr()
    assert "ValueError: kaboom-asgi" in log and "Traceback" in log
    assert "returned without responding" in log


def test_app_exceptions_after_a_complete_response_keep_the_connection(serve):
    server = serve(ECHO_ASGI)
    conn = server.conn()
    conn.request("GET", "/boom-after")
    resp = conn.getresponse()
    assert resp.status == 500 and resp.read() == b"oops!" and resp.getheader("connection") is None
    conn.request("GET", "/fine")  # the same connection: a proxy's pool reuses it
    assert conn.getresponse().read() == b"GET /fine 1 "
    conn.close()
    server.stop()
    assert "ValueError: kaboom-after" in server.stderr()


@pytest.mark.parametrize("raw, status", [
    (b"GARBAGE\r\n\r\n", 400),
    (b"GET / HTTP/1.1 extra\r\n\r\n", 400),
    (b"G(ET / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nBad Header: x\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nNoColon\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", 400),
    (b"POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n", 400),
    (b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400),
    (b"POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
    (b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 400),
    (b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
    (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", 400),
    (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n", 400),
    (b"GET / HTTP/2.0\r\n\r\n", 505),
    (b"GET / HTTP/1.1\r\nExpect: teapot\r\n\r\n", 417),
    (b"GET / HTTP/1.1\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n", 431),
], ids=["garbage", "four-part-request-line", "bad-method", "space-in-name", "no-colon", "obs-fold",
        "bad-length", "two-lengths", "length-and-chunked", "gzip", "gzip-chunked", "bad-chunk-size",
        "chunk-without-crlf", "http2", "expect-teapot", "huge-header"])
def test_bad_requests(serve, raw, status):
    server = serve(ECHO_ASGI)
    data = server.raw(raw)
    responses = parse_responses(data)
    assert len(responses) == 1, data[:300]
    assert responses[0][0] == status, data[:300]
    assert responses[0][1].get("connection") == "close"
    assert server.request("GET", "/still-up")[0] == 200


def test_client_disconnects_do_not_hurt(serve):
    server = serve(ECHO_ASGI)
    for raw in (b"POST /x HTTP/1.1\r\nContent-Length: 100\r\n\r\nshort", b"GET /half", b"GET /big?50000000 HTTP/1.1\r\n\r\n"):
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
            sock.sendall(raw)
            time.sleep(0.1)
    assert server.request("GET", "/ok")[0] == 200
    assert server.proc.poll() is None


def test_lifespan_startup_state_and_shutdown(serve):
    server = serve(LIFESPAN_ASGI)
    events = server.cwd / "events.log"
    assert events.read_text() == "startup\n"
    assert server.request("GET", "/")[2] == b"hello from startup"
    assert server.stop() == 0
    assert events.read_text() == "startup\nshutdown\n"
    assert "hearth_serve: stopped" in server.stderr()


def test_lifespan_startup_failure_exits_1(tmp_path):
    (tmp_path / "app_module.py").write_text(textwrap.dedent(LIFESPAN_ASGI))
    proc, _, stderr_path = start_process(tmp_path, "app_module:app", env={"FAIL_STARTUP": "1"})
    assert proc.wait(timeout=START_TIMEOUT) == 1
    assert "startup failed: no database" in stderr_path.read_text()


def test_apps_without_lifespan_still_serve(serve):
    server = serve(ECHO_ASGI)  # raises on the lifespan scope
    assert server.request("GET", "/x")[0] == 200
    assert "lifespan not supported" in server.stderr()
    assert server.stop() == 0


def test_graceful_shutdown_finishes_requests_in_flight(serve):
    server = serve(LIFESPAN_ASGI)
    result = {}

    def slow():
        result["response"] = server.request("GET", "/slow")

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.5)
    idle = server.conn()
    idle.connect()  # an idle keep-alive connection must not hold up shutdown
    started = time.monotonic()
    server.proc.send_signal(signal.SIGINT)
    thread.join(10)
    assert server.proc.wait(timeout=10) == 0
    assert result["response"][0] == 200 and result["response"][2] == b"hello from startup"
    assert time.monotonic() - started < 5
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", server.port), timeout=2).close()
    assert (server.cwd / "events.log").read_text() == "startup\nshutdown\n"


def test_stuck_requests_do_not_block_shutdown(serve):
    server = serve('''
        import time
        def app(environ, start_response):
            time.sleep(60)
            start_response("200 OK", [])
            return [b"late"]
    ''', "app_module:app", "--graceful-timeout", "0.5")
    thread = threading.Thread(target=lambda: pytest.raises(Exception, server.request, "GET", "/"), daemon=True)
    thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    assert server.stop(timeout=10) == 0
    assert time.monotonic() - started < 5


# ----- loading --------------------------------------------------------------------------------

@pytest.mark.parametrize("source, spec, message", [
    ("import not_a_module_anywhere\n", "app_module:app", "No module named 'not_a_module_anywhere'"),
    ("raise RuntimeError('config missing')\n", "app_module:app", "RuntimeError: config missing"),
    ("def main(e, s): pass\n", "app_module:app", "has no attribute 'app'"),
    ("app = 42\n", "app_module:app", "not an ASGI or WSGI application"),
    ("", "missing_module:app", "could not import module 'missing_module'"),
])
def test_import_errors_exit_1(tmp_path, source, spec, message):
    (tmp_path / "app_module.py").write_text(source)
    proc, _, stderr_path = start_process(tmp_path, spec)
    assert proc.wait(timeout=START_TIMEOUT) == 1
    log = stderr_path.read_text()
    assert message in log
    if "import" in message or "Error" in message:
        assert "Traceback" in log and ("'app_module'" in log or "'missing_module'" in log)


def test_interface_detection(serve):
    class_based = '''
        class App:
            async def __call__(self, scope, receive, send):
                if scope["type"] != "http":
                    return
                await send({"type": "http.response.start", "status": 200, "headers": []})
                await send({"type": "http.response.body", "body": b"class asgi"})
        app = App()
        def wsgi_app(environ, start_response):
            start_response("200 OK", [])
            return [b"plain wsgi"]
        class Holder:
            inner = wsgi_app
    '''
    server = serve(class_based)
    assert "(ASGI)" in server.banner and server.request("GET", "/")[2] == b"class asgi"
    server = serve(class_based, "app_module:wsgi_app")
    assert "(WSGI)" in server.banner and server.request("GET", "/")[2] == b"plain wsgi"
    server = serve(class_based, "app_module:Holder.inner")
    assert "(WSGI)" in server.banner


# ----- WSGI -----------------------------------------------------------------------------------

def test_wsgi_environ(serve):
    server = serve(WSGI_APP)
    assert "(WSGI)" in server.banner
    status, _, body = server.request("POST", "/environ?q=%20x", body=b"payload",
                                     headers={"Content-Type": "text/plain", "X-Thing": "a"})
    env = json.loads(body)
    assert status == 200
    assert env["REQUEST_METHOD"] == "POST" and env["SCRIPT_NAME"] == "" and env["PATH_INFO"] == "/environ"
    assert env["QUERY_STRING"] == "q=%20x" and env["SERVER_PROTOCOL"] == "HTTP/1.1"
    assert env["SERVER_NAME"] == "127.0.0.1" and env["SERVER_PORT"] == str(server.port)
    assert env["CONTENT_TYPE"] == "text/plain" and env["CONTENT_LENGTH"] == "7" and env["body"] == "payload"
    assert env["REMOTE_ADDR"] == "127.0.0.1" and env["HTTP_X_THING"] == "a"
    assert env["HTTP_HOST"] == f"127.0.0.1:{server.port}"
    assert env["wsgi.url_scheme"] == "http" and env["version"] == [1, 0] and env["errors_writable"]
    assert env["wsgi.multithread"] is True and env["wsgi.run_once"] is False
    # PATH_INFO: percent-decoded bytes as latin-1 (PEP 3333)


def test_wsgi_path_info_is_latin1(serve):
    server = serve(WSGI_APP.replace('if path == "/environ":', 'if path.startswith("/environ"):'))
    _, _, body = server.request("GET", "/environ/%C3%A9")
    assert json.loads(body)["PATH_INFO"] == "/environ/" + "é".encode().decode("latin-1")


def test_wsgi_bodies(serve):
    server = serve(WSGI_APP)
    assert server.request("POST", "/", body=b"small")[2] == b"wsgi POST small"
    big = os.urandom(3 * 1024 * 1024)
    assert server.request("PUT", "/", body=big)[2] == b"wsgi PUT " + big
    status, _, body = server.request("POST", "/", body=iter([b"chunked ", b"body"]))  # http.client sends iterables chunked
    assert status == 200 and body == b"wsgi POST chunked body"
    status, _, body = server.request("POST", "/lines", body=iter([b"one\ntw", b"o\nthree"]))  # http.client sends iterables chunked
    assert json.loads(body) == ["one\n", "two\n", "three"]


def test_wsgi_responses(serve):
    server = serve(WSGI_APP)
    [(status, headers, body)] = parse_responses(
        server.raw(b"GET /generator HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
    assert (status, headers["x-kind"], body) == (201, "generator", b"abcdef")
    assert headers["transfer-encoding"] == "chunked"
    assert server.request("GET", "/closed")[2] == b"1"  # the iterable's close() was called
    status, headers, body = server.request("GET", "/write")
    assert status == 200 and body == b"written;returned"
    status, _, body = server.request("GET", "/exc-info")
    assert status == 503 and body == b"recovered"
    status, headers, body = server.request("GET", "/plain")
    assert headers["content-length"] == str(len(body)) and body == b"wsgi GET "
    data = server.raw(b"HEAD /plain HTTP/1.1\r\nHost: x\r\n\r\nGET /plain HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    head, _, rest = data.partition(b"\r\n\r\n")
    assert b"content-length: 10" in head.lower()  # the app's body would be "wsgi HEAD "
    assert parse_responses(rest)[0][2] == b"wsgi GET "


def test_wsgi_exception_gives_500(serve):
    server = serve(WSGI_APP)
    assert server.request("GET", "/boom")[0] == 500
    assert server.request("GET", "/plain")[0] == 200
    server.stop()
    assert "ValueError: kaboom-wsgi" in server.stderr()


def test_wsgi_serves_requests_concurrently(serve):
    server = serve('''
        import time
        def app(environ, start_response):
            time.sleep(0.5)
            start_response("200 OK", [])
            return [b"slept"]
    ''', "app_module:app", "--threads", "8")
    results = []
    threads = [threading.Thread(target=lambda: results.append(server.request("GET", "/")[2])) for _ in range(8)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert results == [b"slept"] * 8
    assert time.monotonic() - started < 3  # eight 0.5 s requests side by side, not in sequence


# ----- real frameworks ------------------------------------------------------------------------

FASTAPI_APP = '''
from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse

app = FastAPI()
events = []

@app.on_event("startup")
async def startup():
    events.append("started")

@app.get("/items/{item_id}")
async def read_item(item_id: str, q: int = 0):
    return {"item_id": item_id, "q": q, "events": events}

@app.post("/echo")
async def echo(payload: dict):
    return {"got": payload}

@app.get("/stream")
async def stream():
    async def gen():
        for i in range(3):
            yield f"part{i};"
    return StreamingResponse(gen(), media_type="text/plain")

@app.post("/disconnected")
async def disconnected(request: Request):
    body = await request.body()
    return {"size": len(body), "disconnected": await request.is_disconnected()}

@app.get("/url")
async def url(request: Request):
    return {"url": str(request.url), "client": request.client.host}
'''

FLASK_APP = '''
from flask import Flask, jsonify, request, url_for, redirect

app = Flask(__name__)

@app.route("/hello/<name>", methods=["GET", "POST"])
def hello(name):
    return jsonify(name=name, args=request.args.to_dict(), body=request.get_data(as_text=True),
                   json=request.get_json(silent=True))

@app.route("/go")
def go():
    return redirect(url_for("hello", name="there", _external=True))

@app.route("/stream")
def stream():
    return app.response_class((f"line{i}\\n" for i in range(3)), mimetype="text/plain")
'''


def test_fastapi_app(serve):
    pytest.importorskip("fastapi")
    server = serve(FASTAPI_APP, "main:app", python=sys.executable)
    assert "(ASGI)" in server.banner
    status, _, body = server.request("GET", "/items/caf%C3%A9?q=5")
    assert status == 200 and json.loads(body) == {"item_id": "café", "q": 5, "events": ["started"]}
    status, _, body = server.request("POST", "/echo", body=json.dumps({"a": [1, 2]}),
                                     headers={"Content-Type": "application/json"})
    assert status == 200 and json.loads(body) == {"got": {"a": [1, 2]}}
    assert server.request("GET", "/items/x?q=notanumber")[0] == 422
    assert server.request("GET", "/missing")[0] == 404
    status, headers, body = server.request("GET", "/stream")
    assert status == 200 and body == b"part0;part1;part2;"
    status, _, body = server.request("GET", "/url", headers={"X-Forwarded-Proto": "https", "Host": "app.example"})
    assert json.loads(body)["url"] == "https://app.example/url"
    assert server.request("HEAD", "/items/x")[0] in (200, 405)
    status, _, body = server.request("POST", "/disconnected", body=b"z" * 100_000)
    assert status == 200 and json.loads(body) == {"size": 100_000, "disconnected": False}
    assert server.stop() == 0


def test_flask_app(serve):
    pytest.importorskip("flask")
    server = serve(FLASK_APP, "main:app", python=sys.executable)
    assert "(WSGI)" in server.banner
    status, _, body = server.request("GET", "/hello/w%C3%B6rld?x=1")
    assert status == 200 and json.loads(body) == {"name": "wörld", "args": {"x": "1"}, "body": "", "json": None}
    status, _, body = server.request("POST", "/hello/j", body=json.dumps({"k": "v"}),
                                     headers={"Content-Type": "application/json"})
    assert json.loads(body)["json"] == {"k": "v"}
    status, _, body = server.request("POST", "/hello/c", body=iter([b"chunk", b"ed"]))  # http.client sends iterables chunked
    assert json.loads(body)["body"] == "chunked"
    status, headers, _ = server.request("GET", "/go", headers={"X-Forwarded-Proto": "https", "Host": "app.example"})
    assert status == 302 and headers["location"] == "https://app.example/hello/there"
    assert server.request("GET", "/stream")[2] == b"line0\nline1\nline2\n"
    assert server.request("GET", "/nope")[0] == 404
    assert server.request("HEAD", "/hello/h")[0] == 200
    assert server.stop() == 0
