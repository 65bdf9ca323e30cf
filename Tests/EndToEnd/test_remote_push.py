"""The developer loop against another node: `hearth login URL` with an owner token, then
`hearth push` streams the build to that node's builder instance and `hearth release` releases
it there. The owner API refuses missing, wrong, removed and other spaces' tokens, and damaged
archives, changing nothing."""
import io
import json
import os
import shutil
import stat
import subprocess
import zipfile

import pytest
import requests

from apps_helpers import FIXTURES, module_node
from auth_helpers import create_space
from conftest import HEARTH_BIN, HTTP_TIMEOUT
from test_releases import INSTALL_TIMEOUT, hearth
from test_update import heading, set_heading


@pytest.fixture(scope="module")
def cloud(tmp_path_factory):
    with module_node(tmp_path_factory, "cloud") as node:
        yield node


@pytest.fixture(scope="module")
def laptop(tmp_path_factory):
    """The developer's machine: its own configuration directory and an app, no node."""
    root = tmp_path_factory.mktemp("laptop")
    shutil.copytree(FIXTURES / "notes-asgi", root / "notes")
    # A listed release needs what the discovery page shows.
    (root / "notes" / "Discovery.md").write_text("---\napp_name: Notes\ntagline: Notes pushed from a laptop\n---\nKeeps notes.\n")
    return root


def cli(laptop, *args, stdin=None, timeout=INSTALL_TIMEOUT):
    env = {**os.environ, "HEARTH_CONFIG_DIR": str(laptop / "config")}
    return subprocess.run([HEARTH_BIN, *args], capture_output=True, text=True, input=stdin, timeout=timeout, env=env,
                          cwd=laptop)


def new_token(node, name, *extra):
    result = hearth(node, "owner", "token", "create", name, "--json", *extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["token"]


@pytest.fixture(scope="module")
def token(cloud):
    return new_token(cloud, "laptop")


@pytest.fixture(scope="module")
def logged_in(cloud, laptop, token):
    result = cli(laptop, "login", cloud.url, "--token-stdin", stdin=token + "\n")
    assert result.returncode == 0, result.stderr
    return result


def test_login_checks_the_token_and_keeps_it_private(cloud, laptop, logged_in):
    assert "Logged in to" in logged_in.stdout and "space 'default'" in logged_in.stdout
    stored = laptop / "config" / "login.json"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert json.loads(stored.read_text())["current"] == cloud.url
    wrong = cli(laptop, "login", cloud.url, "--token-stdin", stdin="abc_" + "x" * 40 + "\n")
    assert wrong.returncode == 1 and "refused the token" in wrong.stderr
    assert json.loads(stored.read_text())["current"] == cloud.url


def test_push_builds_on_the_node_and_streams_progress(cloud, laptop, logged_in):
    app = laptop / "notes"
    result = cli(laptop, "push", str(app), "--name", "remote-notes", "--verbose")
    assert result.returncode == 0, result.stderr
    assert "to 'remote-notes'" in result.stdout and f"--node {cloud.url}" in result.stdout
    # The node's build steps, streamed back as they happen.
    for step in ("Sending the app to", "Copying the app", "Building notes", "Creating the Python environment"):
        assert step in result.stderr, result.stderr
    pushed = {"id": cloud.listing("remote-notes")["id"]}
    assert heading(cloud, "remote-notes") == "Notes"
    assert cloud.request("remote-notes", "PUT", "/notes/kept", json={"v": 1}).status_code == 200

    set_heading(app, "Pushed from the laptop")
    again = cli(laptop, "push", str(app), "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["id"] == pushed["id"]
    assert heading(cloud, "remote-notes") == "Pushed from the laptop"
    assert cloud.get_json("remote-notes", "/notes/kept") == {"v": 1, "key": "kept"}
    project = json.loads((app / ".hearth/project.json").read_text())
    assert project["builders"] == {cloud.url: pushed["id"]}


def test_release_on_the_node(cloud, laptop, logged_in):
    if cloud.listing("remote-notes") is None:
        assert cli(laptop, "push", str(laptop / "notes"), "--name", "remote-notes").returncode == 0
    result = cli(laptop, "release", "remote-notes", "--version", "1.0.0", "--listed", "--json")
    assert result.returncode == 0, result.stderr
    release = json.loads(result.stdout)
    assert f":{cloud.port}/releases/{release['id']}.zip" in release["url"] and release["listed"] is True
    listing = json.loads(hearth(cloud, "release", "ls", "--json").stdout)
    assert [r["id"] for r in listing] == [release["id"]]
    assert release["id"] in requests.get(f"{cloud.url}/discover", timeout=HTTP_TIMEOUT).text
    again = cli(laptop, "release", "remote-notes", "--version", "1.0.0")
    assert again.returncode == 1 and "released already" in again.stderr


def test_local_flag_pushes_to_the_data_directory(cloud, laptop, logged_in, tmp_path):
    app = tmp_path / "static"
    shutil.copytree(FIXTURES / "static-site", app)
    result = cli(laptop, "push", str(app), "--local", "--data", str(tmp_path / "data"), "--json")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "node.sqlite").exists()
    assert cloud.listing(json.loads(result.stdout)["slug"]) is None


def api(cloud, method, path, token=None, **kwargs):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.request(method, f"{cloud.url}/api/v1/{path}", headers=headers, timeout=HTTP_TIMEOUT, **kwargs)


def source_zip(files: dict[str, bytes], manifest: dict | None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        if manifest is not None:
            archive.writestr("source.json", json.dumps(manifest))
    return buffer.getvalue()


@pytest.mark.parametrize("damage", ["garbage", "no manifest", "traversal", "hash mismatch", "truncated"])
def test_damaged_archives_are_refused(cloud, token, damage):
    before = cloud.apps()
    spacefile = (FIXTURES / "static-site" / "Spacefile").read_bytes()
    entry = {"path": "app/Spacefile", "size": len(spacefile), "sha256": "0" * 64}
    body = {
        "garbage": b"not a zip at all",
        "no manifest": source_zip({"app/Spacefile": spacefile}, None),
        "traversal": source_zip({"app/../../evil": b"x", "app/Spacefile": spacefile},
                                {"format": "hearth-source", "format_version": 1, "files": [entry]}),
        "hash mismatch": source_zip({"app/Spacefile": spacefile},
                                    {"format": "hearth-source", "format_version": 1, "files": [entry]}),
        "truncated": source_zip({"app/Spacefile": spacefile}, None)[:40],
    }[damage]
    response = api(cloud, "POST", "push", token, data=body)
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]
    assert cloud.apps() == before


def test_api_refuses_missing_wrong_and_foreign_tokens(cloud, token):
    assert api(cloud, "GET", "instances").status_code == 401
    assert api(cloud, "GET", "instances", "abc_" + "y" * 40).status_code == 401
    assert api(cloud, "GET", "instances", token).status_code == 200
    # A token of another space sees none of the default space's instances.
    assert create_space(cloud.data_dir, "other", owner="other-owner").returncode == 0
    foreign = new_token(cloud, "other-laptop", "--space", "other")
    assert api(cloud, "GET", "instances", foreign).json() == []
    some = cloud.apps()[0]["id"]
    refused = api(cloud, "POST", f"instances/{some}/releases", foreign, json={"version": "9.9.9"})
    assert refused.status_code == 404
    assert api(cloud, "POST", f"push?instance={some}", foreign, data=b"x").status_code == 404
    # The API lives on the dashboard host only.
    assert requests.get(f"{cloud.url}/api/v1/space", headers={"Host": f"remote-notes.localhost:{cloud.port}",
                        "Authorization": f"Bearer {token}"}, timeout=HTTP_TIMEOUT, allow_redirects=False).status_code != 200


def test_removed_token_stops_working_and_logout_forgets(cloud, laptop, logged_in):
    token = new_token(cloud, "short-lived")
    assert cli(laptop, "login", cloud.url, "--token-stdin", stdin=token + "\n").returncode == 0
    assert hearth(cloud, "owner", "token", "rm", "short-lived").returncode == 0
    result = cli(laptop, "push", str(laptop / "notes"))
    assert result.returncode == 1 and "refused the token" in result.stderr
    out = cli(laptop, "logout")
    assert out.returncode == 0 and "Logged out" in out.stdout
    assert json.loads((laptop / "config" / "login.json").read_text()).get("current") is None


def test_openapi_document_matches_the_routes(cloud, token):
    """Every path and method docs/openapi.yaml describes exists: 401 without a token, not 404."""
    import yaml
    from conftest import REPO
    document = yaml.safe_load((REPO / "docs" / "openapi.yaml").read_text())
    assert document["openapi"].startswith("3.")
    for path, methods in document["paths"].items():
        for method in methods:
            concrete = path.replace("{id}", "some-instance")
            assert api(cloud, method.upper(), concrete.lstrip("/")).status_code == 401, (method, path)
            answer = api(cloud, method.upper(), concrete.lstrip("/"), token, json={})
            assert answer.status_code in {200, 201, 400, 404}, (method, path, answer.status_code)
