"""`hearth new`: both templates make apps that install and work as they are. The python app
(FastAPI, from PyPI) stores an item through its own API, and the item is in the instance's Base,
read with the instance's data key; the static site answers. Bad names and non-empty
directories are refused with nothing written."""
import subprocess

import pytest

from apps_helpers import module_node
from conftest import CLI_TIMEOUT, HEARTH_BIN


def new(*args, cwd=None):
    return subprocess.run([HEARTH_BIN, "new", *args], capture_output=True, text=True, timeout=CLI_TIMEOUT, cwd=cwd,
                          stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    with module_node(tmp_path_factory, "new") as node:
        yield node


def test_python_template_installs_and_stores_items(node, tmp_path):
    result = new(str(tmp_path / "jotter"), "--template", "python")
    assert result.returncode == 0, result.stderr
    assert "hearth app install ." in result.stdout
    app = tmp_path / "jotter"
    assert sorted(p.name for p in app.iterdir()) == [
        ".spaceignore", "Discovery.md", "README.md", "Spacefile", "index.html", "main.py", "requirements.txt"]
    assert "fastapi" in (app / "requirements.txt").read_text()
    assert "hearth app install ." in (app / "README.md").read_text()
    installed = node.install_ok(app)
    page = node.get(installed["slug"], "/")
    assert page.status_code == 200 and "<h1>jotter</h1>" in page.text
    created = node.request(installed["slug"], "POST", "/api/items", json={"text": "buy lamp oil"})
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    listed = node.get_json(installed["slug"], "/api/items")
    assert [item["text"] for item in listed] == ["buy lamp oil"]
    stored = node.base_of(installed["id"], "items").get(key)
    assert stored.status_code == 200 and stored.json()["text"] == "buy lamp oil"
    assert node.request(installed["slug"], "DELETE", f"/api/items/{key}").status_code == 200
    assert node.base_of(installed["id"], "items").get(key).status_code == 404
    assert node.request(installed["slug"], "POST", "/api/items", json={"text": ""}).status_code == 422


def test_static_template_installs_and_answers(node, tmp_path):
    result = new("--template", "static", "--name", "my-site", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    app = tmp_path / "my-site"
    assert (app / "public" / "index.html").is_file() and (app / "public" / "style.css").is_file()
    assert "engine: static" in (app / "Spacefile").read_text()
    installed = node.install_ok(app)
    page = node.get(installed["slug"], "/")
    assert page.status_code == 200 and "<h1>my-site</h1>" in page.text
    style = node.get(installed["slug"], "/style.css")
    assert style.status_code == 200 and "text/css" in style.headers["Content-Type"]
    # The Discovery.md skeleton is valid as it is, even for a listed release.
    released = subprocess.run([HEARTH_BIN, "release", installed["id"], "--version", "0.1.0", "--listed", "--data",
                               str(node.data_dir)], capture_output=True, text=True, timeout=CLI_TIMEOUT)
    assert released.returncode == 0, released.stderr


@pytest.mark.parametrize("name", ["abc", "seventeen-chars-x", "has space", "1starts", "dot.ted", "ünï"])
def test_bad_names_are_refused(tmp_path, name):
    result = new(str(tmp_path / "app"), "--name", name)
    assert result.returncode != 0 and "name" in result.stderr.lower()
    assert not (tmp_path / "app").exists()


def test_non_empty_directory_is_refused(tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    result = new(str(tmp_path / "taken"), "--template", "static")
    assert result.returncode == 1 and "not empty" in result.stderr
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["notes.txt"]


def test_empty_current_directory_is_fine(tmp_path):
    (tmp_path / "fresh").mkdir()
    result = new("--template", "static", cwd=tmp_path / "fresh")
    assert result.returncode == 0, result.stderr
    assert "Created fresh (static)" in result.stdout and "cd " not in result.stdout
    assert (tmp_path / "fresh" / "Spacefile").is_file()
