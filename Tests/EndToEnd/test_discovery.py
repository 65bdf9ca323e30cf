"""Discovery.md in releases and on `/discover`: a listed release of an app with a Discovery.md
and an icon shows its title, tagline, rendered (and escaped) body and icon on the page and in
`/discover.json`; older versions fold under the newest; unlisted releases stay off both; an
invalid Discovery.md, or a listed release without app_name and tagline, is refused with nothing
released; the install summary shows the title and tagline."""
import base64
import hashlib
import json
import re
import shutil
import subprocess

import pytest
import requests

from apps_helpers import FIXTURES, module_node
from conftest import HEARTH_BIN, HTTP_TIMEOUT

INSTALL_TIMEOUT = 300
ICON = (FIXTURES / "discovery-site" / "icon.png").read_bytes()


def hearth(node, *args, timeout=INSTALL_TIMEOUT):
    return subprocess.run([HEARTH_BIN, *args, "--data", str(node.data_dir)], capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def release(node, instance, version, *extra):
    result = hearth(node, "release", instance, "--version", version, "--json", *extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def release_ids(node):
    return {r["id"] for r in json.loads(hearth(node, "release", "ls", "--json").stdout)}


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    with module_node(tmp_path_factory, "discovery") as node:
        yield node


@pytest.fixture(scope="module")
def releases(node):
    node.install_ok("discovery-site", name="lantern")
    node.install_ok("static-site", name="plain")
    return {
        "old": release(node, "lantern", "1.0.0", "--notes", "First light", "--listed"),
        "new": release(node, "lantern", "1.1.0", "--notes", "Brighter", "--listed"),
        "unlisted": release(node, "plain", "0.1.0", "--notes", "Hidden away"),
    }


def test_discover_page_shows_the_listed_app(node, releases):
    page = requests.get(f"{node.url}/discover", timeout=HTTP_TIMEOUT)
    assert page.status_code == 200
    html = page.text
    new, old = releases["new"], releases["old"]
    for text in ("Lantern, a light for your notes", "Find any note in a blink", "1.1.0", "Brighter", new["fingerprint"],
                 "<h2>What it does</h2>", "<strong>every note</strong>", "<em>fast</em>", "<code>lantern find</code>",
                 '<a href="https://lantern.example.com/manual" rel="nofollow noopener noreferrer">the manual</a>',
                 "&lt;script&gt;", f'src="/releases/{new["id"]}/icon"', "--accent:#2a7ab0",
                 f"hearth install http://localhost:{node.port}/releases/{new['id']}.zip", "Older versions (1)",
                 "First light", f"/releases/{old['id']}.zip", 'href="https://lantern.example.com"'):
        assert text in html, text
    assert "<script" not in html and "javascript:" not in html and "<li>a trap</li>" in html
    assert html.index("1.1.0") < html.index("1.0.0")
    assert "Hidden away" not in html and releases["unlisted"]["id"] not in html
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy and "'unsafe-inline'" not in policy
    # The page's one style element is what the policy's hash allows (else browsers drop it).
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    assert len(styles) == 1 and f"style-src 'sha256-{digest}'" in policy
    assert ' style="' not in html


def test_icon_is_served_from_the_release(node, releases):
    icon = requests.get(f"{node.url}/releases/{releases['new']['id']}/icon", timeout=HTTP_TIMEOUT)
    assert icon.status_code == 200 and icon.headers["Content-Type"] == "image/png"
    assert icon.content == ICON
    for missing in (releases["unlisted"]["id"], "x" * 24):
        assert requests.get(f"{node.url}/releases/{missing}/icon", timeout=HTTP_TIMEOUT).status_code == 404


def test_discover_json_lists_the_same_releases(node, releases):
    response = requests.get(f"{node.url}/discover.json", timeout=HTTP_TIMEOUT)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/json")
    listed = response.json()["releases"]
    assert [r["id"] for r in listed] == [releases["new"]["id"], releases["old"]["id"]]
    first = listed[0]
    assert first["version"] == "1.1.0" and first["notes"] == "Brighter" and first["app"] == "discovery-site"
    assert first["url"].endswith(f"/releases/{first['id']}.zip") and first["icon_url"].endswith("/icon")
    assert first["fingerprint"] == releases["new"]["fingerprint"] and first["created_at"]
    discovery = first["discovery"]
    assert discovery["title"] == "Lantern, a light for your notes" and discovery["app_name"] == "Lantern"
    assert discovery["tagline"] == "Find any note in a blink" and discovery["theme_color"] == "#2a7ab0"
    assert discovery["works_with"] == ["Markdown"] and discovery["body"].startswith("# What it does")


@pytest.mark.parametrize("name, discovery, listed, field", [
    ("long-tagline", "---\ntagline: " + "t" * 70 + "\n---\n", False, "tagline"),
    ("bad-colour", "---\napp_name: Lantern\ntheme_color: orange\n---\n", False, "theme_color"),
    ("no-tagline", "---\napp_name: Lantern\n---\nNo tagline.", True, "tagline"),
    ("no-discovery", None, True, "app_name"),
])
def test_invalid_discovery_is_refused(node, releases, tmp_path, name, discovery, listed, field):
    app = tmp_path / "app"
    shutil.copytree(FIXTURES / "discovery-site", app)
    if discovery is None:
        (app / "Discovery.md").unlink()
    else:
        (app / "Discovery.md").write_text(discovery)
    node.install_ok(app, name=name)
    before = release_ids(node)
    files_before = sorted((node.data_dir / "releases").iterdir())
    result = hearth(node, "release", name, "--version", "1.0.0", *(["--listed"] if listed else []))
    assert result.returncode == 1, result.stdout
    assert result.stderr.startswith("error:") and field in result.stderr and "nothing was released" in result.stderr
    assert release_ids(node) == before
    assert sorted((node.data_dir / "releases").iterdir()) == files_before


def test_install_summary_shows_title_and_tagline(node, releases):
    url = f"http://127.0.0.1:{node.port}/releases/{releases['new']['id']}.zip"
    result = hearth(node, "install", url, "--yes", "--json")
    assert result.returncode == 0, result.stderr
    assert "Title:        Lantern, a light for your notes" in result.stderr
    assert "Tagline:      Find any note in a blink" in result.stderr
    installed = json.loads(result.stdout)
    assert node.get(installed["slug"], "/").status_code == 200
    # The installed copy keeps its Discovery.md, so it can be released again.
    again = release(node, installed["id"], "2.0.0", "--listed")
    assert again["id"] in {r["id"] for r in requests.get(f"{node.url}/discover.json", timeout=HTTP_TIMEOUT).json()["releases"]}
