"""The `hearth` command line: serve, collection create, key management, help."""
import json
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests

from conftest import HTTP_TIMEOUT, Collection, get_item, json_of, put_ok, run_cli, unique


def test_top_level_help():
    result = run_cli("--help")
    assert result.returncode == 0, result.stderr
    text = result.stdout + result.stderr
    for command in ("serve", "collection", "key"):
        assert command in text, text


def test_collection_help():
    result = run_cli("collection", "--help")
    assert result.returncode == 0, result.stderr
    assert "create" in result.stdout + result.stderr


def test_key_help():
    result = run_cli("key", "--help")
    assert result.returncode == 0, result.stderr
    text = result.stdout + result.stderr
    for command in ("create", "ls", "revoke"):
        assert command in text, text


def test_healthz(node):
    resp = requests.get(f"{node.url}/healthz", timeout=HTTP_TIMEOUT)
    assert json_of(resp, 200) == {"status": "ok"}


def test_collection_create_prints_usable_key(node):
    name = unique("cli-")
    result = node.cli("collection", "create", name, "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["name"] == name
    project_id, data_key = out["project_id"], out["data_key"]
    assert project_id and data_key.startswith(project_id + "_") and len(data_key) > len(project_id) + 8
    base = node.base(Collection(name, project_id, data_key))
    put_ok(base, {"key": "hello", "from": "cli"})
    assert get_item(base, "hello") == {"key": "hello", "from": "cli"}


def test_two_collections_get_distinct_ids_and_keys(node):
    a, b = node.create_collection(), node.create_collection()
    assert a.project_id != b.project_id and a.data_key != b.data_key


def test_duplicate_collection_name_fails_clearly(node):
    name = unique("dup-")
    first = node.create_collection(name)
    result = node.cli("collection", "create", name, "--json")
    assert result.returncode != 0, result.stdout
    assert name in result.stderr and "exist" in result.stderr.lower(), result.stderr
    assert first.data_key not in result.stdout + result.stderr
    # The original collection and its key are untouched.
    base = node.base(first)
    put_ok(base, {"key": "still-works"})
    assert get_item(base, "still-works") == {"key": "still-works"}


def test_key_create_for_unknown_collection_fails(node):
    result = node.cli("key", "create", unique("nosuch-"), "--name", "k", "--json")
    assert result.returncode != 0, result.stdout
    assert result.stderr.strip(), "no error message on stderr"


def test_serve_prints_the_dashboard_url_and_the_setup_link(node_factory):
    n = node_factory()
    wanted = f"http://localhost:{n.port}/setup?code="
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and wanted not in Path(n.stdout_path).read_text(errors="replace"):
        time.sleep(0.1)  # stdout may be flushed a moment after /healthz answers
    banner = Path(n.stdout_path).read_text(errors="replace")
    assert wanted in banner and f"Hearth is running at http://localhost:{n.port}" in banner, n.logs()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_stops_node_and_data_persists(node_factory, sig):
    n = node_factory()
    collection = n.create_collection()
    base = n.base(collection)
    put_ok(base, {"key": "durable", "v": 1})
    n.proc.send_signal(sig)
    try:
        n.proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        pytest.fail(f"hearth serve still running 20 s after {sig.name}\n{n.logs()}")
    assert n.proc.returncode in (0, -sig, 128 + sig), f"exit code {n.proc.returncode}\n{n.logs()}"
    n.start()
    base = n.base(collection, name=base.name)
    assert get_item(base, "durable") == {"key": "durable", "v": 1}
