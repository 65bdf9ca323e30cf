"""hearth_serve as an ASGI server: scope, bodies, keep-alive and framing, errors, lifespan, shutdown."""
from __future__ import annotations

import json
import os
import signal
import socket
import textwrap
import threading
import time

import pytest

from hearth_serve_helpers import ECHO_ASGI, LIFESPAN_ASGI, START_TIMEOUT, parse_responses, read_until_close, start_process

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
