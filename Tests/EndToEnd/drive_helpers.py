"""Helpers shared by the Drive end-to-end test files."""
from __future__ import annotations

import hashlib
from urllib.parse import quote

import requests

from conftest import DriveClient, describe, json_of

MiB = 1024 * 1024
TEN_MIB = 10 * MiB
ENTITY_TOO_LARGE = "<h1> 413 - Request Entity Too Large </h1>"



def echo(drive: DriveClient) -> dict:
    return {"project_id": drive.project_id, "drive_name": drive.name}


def put_ok(drive: DriveClient, name: str, data: bytes | str = b"", content_type: str | None = None, **kw) -> None:
    body = json_of(drive.put(name, data, content_type, **kw), 201)
    assert body == {"name": name, **echo(drive)}, body


def download(drive: DriveClient, name: str, **kw) -> bytes:
    resp = drive.get(name, **kw)
    assert resp.status_code == 200, describe(resp)
    return resp.content


def names(drive: DriveClient, **params) -> list[str]:
    body = json_of(drive.list(**params), 200)
    assert set(body) <= {"names", "paging"} and "names" in body, body
    return body["names"]


def listing(drive: DriveClient, **params) -> dict:
    return json_of(drive.list(**params), 200)


def start_upload(drive: DriveClient, name: str, content_type: str | None = None) -> str:
    body = json_of(drive.start_upload(name, content_type), 202)
    assert set(body) == {"name", "upload_id", "project_id", "drive_name"}, body
    assert body["name"] == name and body["project_id"] == drive.project_id and body["drive_name"] == drive.name, body
    upload_id = body["upload_id"]
    assert isinstance(upload_id, str) and upload_id and quote(upload_id, safe="") == upload_id, body
    return upload_id


def upload_part(drive: DriveClient, upload_id: str, name: str, part: int, data: bytes,
                content_type: str | None = None) -> None:
    body = json_of(drive.upload_part(upload_id, name, part, data, content_type), 200)
    assert body == {"name": name, "upload_id": upload_id, "part": part, **echo(drive)}, body


def complete(drive: DriveClient, upload_id: str, name: str) -> None:
    body = json_of(drive.complete(upload_id, name), 200)
    assert body == {"name": name, "upload_id": upload_id, **echo(drive)}, body


def chunked_put(drive: DriveClient, name: str, parts: list[bytes], content_type: str | None = None) -> str:
    upload_id = start_upload(drive, name)
    for number, data in enumerate(parts, start=1):
        upload_part(drive, upload_id, name, number, data, content_type)
    complete(drive, upload_id, name)
    return upload_id


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def assert_download_headers(resp: requests.Response, data: bytes, content_type: str | None = None) -> None:
    assert resp.headers.get("Accept-Ranges") == "bytes", resp.headers
    assert resp.headers.get("Content-Length") == str(len(data)), resp.headers
    assert resp.headers.get("ETag") == f'"{sha(data)}"', resp.headers
    if content_type is not None:
        assert resp.headers.get("Content-Type") == content_type, resp.headers
    assert "Content-Range" not in resp.headers, resp.headers


def pattern(size: int, seed: int = 0) -> bytes:
    """`size` deterministic bytes with no short period."""
    out = bytearray()
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        counter += 1
    return bytes(out[:size])
