"""A raw ASGI app (no framework) that keeps notes in Base and files in Drive through `deta`."""
import json
import os

from deta import Deta

deta = Deta()
notes = deta.Base("notes")
files = deta.Drive("files")
started = []


async def read_body(receive):
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            return body


async def respond(send, status, body, content_type="application/json"):
    if not isinstance(body, bytes):
        body = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", content_type.encode())]})
    await send({"type": "http.response.body", "body": body})


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                started.append(True)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    method, path = scope["method"], scope["path"]
    body = await read_body(receive)
    if path == "/":
        return await respond(send, 200, b"<!doctype html><title>Notes</title><h1>Notes</h1>", "text/html")
    if path == "/env":
        names = [n for n in os.environ if n.startswith(("DETA_", "HEARTH_", "GREETING", "UNSET_"))] + ["PORT", "HOME"]
        return await respond(send, 200, {n: os.environ.get(n) for n in names} | {"cwd": os.getcwd(), "pid": os.getpid(),
                                                                              "lifespan": bool(started)})
    if path == "/echo":
        return await respond(send, 200, {"method": method, "path": path, "query": scope["query_string"].decode(),
                                         "body": body.decode(errors="replace"),
                                         "headers": {k.decode(): v.decode() for k, v in scope["headers"]}})
    if path == "/print":
        print("printed:", scope["query_string"].decode(), flush=True)
        return await respond(send, 200, {"printed": True})
    if path == "/crash":
        os._exit(3)
    if path == "/write-app":
        try:
            with open("written.txt", "w") as handle:
                handle.write("x")
            return await respond(send, 200, {"written": True})
        except OSError as error:
            return await respond(send, 200, {"written": False, "error": str(error)})
    if path.startswith("/notes/"):
        key = path[len("/notes/"):]
        if method == "PUT":
            return await respond(send, 200, notes.put(json.loads(body), key))
        item = notes.get(key)
        return await respond(send, 200 if item else 404, item or {"error": "not found"})
    if path.startswith("/files/"):
        name = path[len("/files/"):]
        if method == "PUT":
            return await respond(send, 200, {"name": files.put(name, body)})
        found = files.get(name)
        if found is None:
            return await respond(send, 404, {"error": "not found"})
        return await respond(send, 200, found.read(), "application/octet-stream")
    return await respond(send, 404, {"error": "no route", "path": path})
