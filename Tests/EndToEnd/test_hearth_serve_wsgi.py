"""hearth_serve loading apps, as a WSGI server, and with real FastAPI and Flask apps."""
from __future__ import annotations

import json
import os
import sys
import threading
import time

import pytest

from hearth_serve_helpers import START_TIMEOUT, WSGI_APP, parse_responses, start_process

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
