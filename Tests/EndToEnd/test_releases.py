"""`hearth release` and `hearth install FILE|URL`: node A releases an installed app, signed
with its space's key; node B downloads the release from A's stable URL, verifies it and
installs it, and the app answers on B. A listed release shows on A's `/discover`; tampered
and truncated releases are refused with nothing installed."""
import io
import json
import subprocess
import zipfile

import pytest
import requests

from apps_helpers import AppNode, module_node
from conftest import CLI_TIMEOUT, HEARTH_BIN, HTTP_TIMEOUT

INSTALL_TIMEOUT = 300


def hearth(node, *args, timeout=INSTALL_TIMEOUT):
    return subprocess.run([HEARTH_BIN, *args, "--data", str(node.data_dir)], capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def node_a(tmp_path_factory):
    with module_node(tmp_path_factory, "release-a") as node:
        yield node


@pytest.fixture(scope="module")
def node_b(tmp_path_factory):
    with module_node(tmp_path_factory, "release-b") as node:
        yield node


@pytest.fixture(scope="module")
def released(node_a):
    node_a.install_ok("discovery-site", name="site")  # a listed release needs a Discovery.md
    result = hearth(node_a, "release", "site", "--version", "1.2.0", "--notes", "First cut", "--listed", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_release_is_listed_and_immutable(node_a, released):
    assert len(released["id"]) >= 20 and released["version"] == "1.2.0"
    listing = json.loads(hearth(node_a, "release", "ls", "--json").stdout)
    assert [r["id"] for r in listing] == [released["id"]]
    again = hearth(node_a, "release", "site", "--version", "1.2.0")
    assert again.returncode == 1 and "released already" in again.stderr
    bad = hearth(node_a, "release", "site", "--version", "1.2")
    assert bad.returncode == 1 and "semantic version" in bad.stderr
    identity = json.loads(hearth(node_a, "space", "identity", "--json").stdout)
    assert identity["fingerprint"] == released["fingerprint"]


def test_release_downloads_and_shows_on_discover(node_a, released):
    response = requests.get(f"{node_a.url}/releases/{released['id']}.zip", timeout=HTTP_TIMEOUT)
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/zip"
    assert response.content[:2] == b"PK"
    missing = requests.get(f"{node_a.url}/releases/{'x' * 24}.zip", timeout=HTTP_TIMEOUT)
    assert missing.status_code == 404
    page = requests.get(f"{node_a.url}/discover", timeout=HTTP_TIMEOUT)
    assert page.status_code == 200
    for text in ("discovery-site", "1.2.0", "First cut", released["fingerprint"], f"/releases/{released['id']}.zip"):
        assert text in page.text


def test_install_from_another_nodes_url(node_a, node_b, released):
    url = f"http://127.0.0.1:{node_a.port}/releases/{released['id']}.zip"
    result = hearth(node_b, "install", url, "--yes", "--json")
    assert result.returncode == 0, result.stderr
    assert released["fingerprint"] in result.stderr and "1.2.0" in result.stderr
    installed = json.loads(result.stdout)
    assert installed["version"] == "1.2.0"
    entry = node_b.listing(installed["slug"])
    assert entry["source"] == f"release:{url}" and entry["version"] == "1.2.0"
    response = node_b.get(installed["slug"], "/")
    assert response.status_code == 200, response.text


def test_install_without_terminal_needs_yes(node_a, node_b, released, tmp_path):
    file = tmp_path / "release.zip"
    file.write_bytes(requests.get(f"{node_a.url}/releases/{released['id']}.zip", timeout=HTTP_TIMEOUT).content)
    before = node_b.apps()
    result = hearth(node_b, "install", str(file))
    assert result.returncode == 1 and "--yes" in result.stderr
    assert node_b.apps() == before


@pytest.mark.parametrize("damage", ["flipped byte", "truncated"])
def test_tampered_release_is_refused(node_a, node_b, released, tmp_path, damage):
    content = bytearray(requests.get(f"{node_a.url}/releases/{released['id']}.zip", timeout=HTTP_TIMEOUT).content)
    if damage == "flipped byte":
        # Inside a stored file's compressed bytes (the local headers' copies of each CRC and
        # size are redundant: the central directory's are the ones checked).
        entry = zipfile.ZipFile(io.BytesIO(bytes(content))).getinfo("app/Spacefile")
        content[entry.header_offset + 30 + len(entry.filename) + len(entry.extra) + entry.compress_size // 2] ^= 0x01
    else:
        content = content[: len(content) // 2]
    file = tmp_path / "bad.zip"
    file.write_bytes(bytes(content))
    before = node_b.apps()
    result = hearth(node_b, "install", str(file), "--yes")
    assert result.returncode == 1, result.stdout
    assert result.stderr.startswith("error:")
    assert node_b.apps() == before
