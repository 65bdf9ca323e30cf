"""Hearth's `deta` SDK: project keys, where requests go, errors and connection reuse."""
from __future__ import annotations

import pickle
import socket
import urllib.error

import pytest

from conftest import unique


def test_version_and_public_names(deta_sdk):
    assert deta_sdk.__version__ == "1.2.0"
    for name in ("Deta", "Base", "AsyncBase", "Drive"):
        assert callable(getattr(deta_sdk, name)), name
    from deta.base import FetchResponse, Util, _Base  # import paths apps used for type hints
    from deta.drive import DriveStreamingBody, _Drive
    from deta._async.client import _AsyncBase

    assert isinstance(deta_sdk.Base("b"), _Base) and isinstance(deta_sdk.Drive("d"), _Drive)
    assert isinstance(deta_sdk.AsyncBase("b"), _AsyncBase)
    assert FetchResponse is deta_sdk.FetchResponse and DriveStreamingBody is deta_sdk.DriveStreamingBody
    assert isinstance(deta_sdk.Base("b").util, Util)


def test_project_key_rules(deta_sdk, monkeypatch, shared_collection):
    monkeypatch.delenv("DETA_PROJECT_KEY")
    with pytest.raises(AssertionError, match="No project key defined"):
        deta_sdk.Deta()
    with pytest.raises(AssertionError, match="No project key defined"):
        deta_sdk.Base("x")
    with pytest.raises(AssertionError, match="No project key defined"):
        deta_sdk.Drive("x")
    with pytest.raises(AssertionError, match="Bad project key provided"):
        deta_sdk.Deta("nounderscore")
    d = deta_sdk.Deta("abc_def_ghi")
    assert (d.project_key, d.project_id) == ("abc_def_ghi", "abc")
    assert deta_sdk.Deta("abc_def", project_id="other").project_id == "other"
    d = deta_sdk.Deta(shared_collection.data_key)
    assert d.project_id == shared_collection.project_id
    with pytest.raises(AssertionError, match="No Base name provided"):
        d.Base("")


def test_wrong_key_raises_http_error(deta_sdk, shared_collection):
    wrong = deta_sdk.Deta(f"{shared_collection.project_id}_notthesecret")
    for call in (lambda: wrong.Base("b").put({"a": 1}), lambda: wrong.Base("b").get("a"),
                 lambda: wrong.Drive("d").list(), lambda: wrong.Drive("d").put("f", "x")):
        with pytest.raises(deta_sdk.DetaError) as info:
            call()
        assert info.value.status == 401 and info.value.code == 401
        assert isinstance(info.value, urllib.error.HTTPError)
        assert "401" in str(info.value)


def test_error_carries_status_and_messages(deta_sdk):
    db = deta_sdk.Deta().Base(unique("err"))
    with pytest.raises(deta_sdk.DetaError) as info:
        db.fetch({"key?contains": "a"})
    error = info.value
    assert (error.status, error.errors) == (400, ["Bad query"])
    assert str(error) == "HTTP Error 400: Bad query"
    assert b"Bad query" in error.read() or b"Bad query" in error.body
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.status, copy.errors, str(copy)) == (400, ["Bad query"], str(error))


def test_hearth_api_url_wins_over_hosts(deta_sdk, monkeypatch, node):
    monkeypatch.setenv("DETA_BASE_HOST", "unreachable.invalid:1")
    monkeypatch.setenv("DETA_DRIVE_HOST", "unreachable.invalid:1")
    d = deta_sdk.Deta()
    db, drive = d.Base(unique("b"), host="also.invalid"), d.Drive(unique("d"), host="also.invalid")
    assert db.endpoint.url == node.url == drive.endpoint.url
    assert db.put({"a": 1}, "k")["a"] == 1
    assert drive.put("f.txt", "hello") == "f.txt" and drive.get("f.txt").read() == b"hello"


def test_without_hearth_api_url_hosts_mean_https(deta_sdk, monkeypatch):
    monkeypatch.delenv("HEARTH_API_URL")
    d = deta_sdk.Deta()
    assert d.Base("b").endpoint.url == "https://database.deta.sh"
    assert d.Drive("d").endpoint.url == "https://drive.deta.sh"
    assert d.AsyncBase("b").endpoint.url == "https://database.deta.sh"
    monkeypatch.setenv("DETA_BASE_HOST", "db.example.org:8443")
    monkeypatch.setenv("DETA_DRIVE_HOST", "files.example.org")
    assert d.Base("b").endpoint.url == "https://db.example.org:8443"
    assert d.Drive("d").endpoint.url == "https://files.example.org"
    assert d.Base("b", host="explicit:9").endpoint.url == "https://explicit:9"
    assert d.Drive("d", host="explicit").endpoint.url == "https://explicit"


def test_hearth_api_url_forms(deta_sdk, monkeypatch):
    from deta._http import Endpoint, resolve_endpoint

    monkeypatch.setenv("HEARTH_API_URL", "http://10.0.0.1:4200/")
    assert resolve_endpoint("base") == Endpoint("http", "10.0.0.1:4200", "")
    monkeypatch.setenv("HEARTH_API_URL", "https://node.example/api")
    assert resolve_endpoint("drive") == Endpoint("https", "node.example", "/api")
    assert deta_sdk.Deta("p_s").Base("b")._transport.base_path == "/api/v1/p/b"
    monkeypatch.setenv("HEARTH_API_URL", "ftp://x")
    with pytest.raises(ValueError, match="HEARTH_API_URL"):
        resolve_endpoint("base")


def test_connections_are_reused(deta_sdk):
    from deta import _http

    db = deta_sdk.Deta().Base(unique("reuse"))
    db.put("v", "a")
    conn = _http._pool.connections[db.endpoint]
    sock = conn.sock
    for _ in range(5):
        assert db.get("a")["value"] == "v"
    assert _http._pool.connections[db.endpoint] is conn and conn.sock is sock


def test_dropped_connection_is_replaced(deta_sdk, monkeypatch):
    from deta import _http

    db = deta_sdk.Deta().Base(unique("drop"))
    db.put("v", "a")
    # noticed before reuse: the idle socket reads EOF
    old = _http._pool.connections[db.endpoint]
    old.sock.shutdown(socket.SHUT_RDWR)
    assert db.get("a")["value"] == "v"
    assert _http._pool.connections[db.endpoint] is not old
    # not noticed before reuse: the request fails and is sent once more on a new connection
    monkeypatch.setattr(_http, "_idle_connection_usable", lambda conn: True)
    old = _http._pool.connections[db.endpoint]
    old.sock.shutdown(socket.SHUT_RDWR)
    assert db.put("w", "b")["value"] == "w"
    assert _http._pool.connections[db.endpoint] is not old
    assert db.get("b")["value"] == "w"


def test_unreachable_server_raises(deta_sdk, monkeypatch):
    from conftest import free_port

    monkeypatch.setenv("HEARTH_API_URL", f"http://127.0.0.1:{free_port()}")
    with pytest.raises(ConnectionError):
        deta_sdk.Deta().Base("b").get("k")


def test_send_email_is_not_available(deta_sdk):
    with pytest.raises(RuntimeError, match="not available"):
        deta_sdk.Deta().send_email("a@example.org", "s", "m")
