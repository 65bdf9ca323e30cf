"""A raw ASGI app (no framework) probing HTTPS from inside a micro."""
import json
import os
import ssl
import urllib.error
import urllib.request
from urllib.parse import parse_qs

from deta import Deta

notes = Deta().Base("notes")
TRUST = ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS", "CURL_CA_BUNDLE")


async def respond(send, status, body):
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": json.dumps(body).encode()})


async def read_body(receive):
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            return body


def fetch(url, with_key):
    """GET `url` with Python's default TLS context (which honours SSL_CERT_FILE)."""
    headers = {"X-API-Key": os.environ["DETA_PROJECT_KEY"]} if with_key else {}
    request = urllib.request.Request(url, headers=headers)
    # Straight to the node, as Deta's SDKs do inside micros (NO_PROXY holds 127.0.0.1 anyway).
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                         urllib.request.HTTPSHandler(context=ssl.create_default_context()))
    try:
        with opener.open(request, timeout=20) as response:
            return {"status": response.status, "body": response.read().decode()}
    except urllib.error.HTTPError as error:
        return {"status": error.code, "body": error.read().decode()}
    except Exception as error:  # noqa: BLE001 - the test wants to see any failure
        return {"error": f"{type(error).__name__}: {error}"}


def read(path):
    try:
        with open(path, "rb") as handle:
            return {"readable": True, "bytes": len(handle.read())}
    except OSError as error:
        return {"readable": False, "error": str(error)}


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    path, method = scope["path"], scope["method"]
    query = {k: v[0] for k, v in parse_qs(scope["query_string"].decode()).items()}
    body = await read_body(receive)
    if path == "/env":
        names = TRUST + ("HEARTH_API_URL", "DETA_BASE_HOST", "DETA_DRIVE_HOST", "DETA_PROJECT_KEY")
        bundle = os.environ.get("SSL_CERT_FILE") or ""
        text = open(bundle).read() if os.path.isfile(bundle) else ""
        return await respond(send, 200, {n: os.environ.get(n) for n in names} | {
            "bundle_has_node_ca": "Hearth local CA" in text, "bundle_certificates": text.count("BEGIN CERTIFICATE")})
    if path == "/headers":
        return await respond(send, 200, {k.decode(): v.decode() for k, v in scope["headers"]})
    if path == "/fetch":
        return await respond(send, 200, fetch(query["url"], query.get("key") == "1"))
    if path == "/read":
        return await respond(send, 200, read(query["path"]))
    if path.startswith("/notes/"):
        key = path[len("/notes/"):]
        try:
            if method == "PUT":
                return await respond(send, 200, notes.put(json.loads(body), key))
            item = notes.get(key)
            return await respond(send, 200 if item else 404, item or {"error": "not found"})
        except Exception as error:  # noqa: BLE001
            return await respond(send, 500, {"error": f"{type(error).__name__}: {error}"})
    return await respond(send, 404, {"error": "no route", "path": path})
