"""Updates and rollbacks: node A publishes two releases of an app; node B installs the first by
URL, writes data, updates to the second, rolls back and forward, with the data intact at each
step. A failing build, an older release, another app and another publisher change nothing."""
import json
import shutil

import pytest

from apps_helpers import FIXTURES, module_node
from test_releases import hearth

ITEM = {"text": "kept across versions", "n": 7}


def version_of(node, slug):
    return node.micro_env(slug)["DETA_SPACE_APP_VERSION"]


def deployments(node, instance_id):
    directory = node.instance_dir(instance_id) / "deployments"
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


@pytest.fixture(scope="module")
def node_a(tmp_path_factory):
    with module_node(tmp_path_factory, "update-a") as node:
        yield node


@pytest.fixture(scope="module")
def node_b(tmp_path_factory):
    # Sandboxed for sure: each deployment's copy is what the sandbox mounts.
    with module_node(tmp_path_factory, "update-b", args=("--sandbox", "required")) as node:
        yield node


@pytest.fixture(scope="module")
def app_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("notes-src") / "notes"
    shutil.copytree(FIXTURES / "notes-asgi", directory)
    return directory


def set_heading(app_dir, text):
    main = app_dir / "main.py"
    source = main.read_text()
    start = source.index("<h1>") + 4
    main.write_text(source[:start] + text + source[source.index("</h1>"):])


@pytest.fixture(scope="module")
def releases(node_a, app_dir):
    """Two releases of `notes` on A, 1.0.0 and 1.1.0 (built from an edited directory)."""
    node_a.install_ok(app_dir, name="notes")
    urls = []
    for version, heading in (("1.0.0", "Notes one"), ("1.1.0", "Notes two")):
        set_heading(app_dir, heading)
        updated = hearth(node_a, "app", "update", "notes", str(app_dir), "--json")
        assert updated.returncode == 0, updated.stderr
        made = hearth(node_a, "release", "notes", "--version", version, "--json")
        assert made.returncode == 0, made.stderr
        urls.append(f"http://127.0.0.1:{node_a.port}/releases/{json.loads(made.stdout)['id']}.zip")
    return urls


@pytest.fixture(scope="module")
def installed(node_b, releases):
    result = hearth(node_b, "install", releases[0], "--yes", "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert node_b.request(info["slug"], "PUT", "/notes/kept", json=ITEM).status_code == 200
    return info


def heading(node, slug):
    response = node.get(slug, "/")
    assert response.status_code == 200, response.text
    return response.text.split("<h1>")[1].split("</h1>")[0]


def assert_data_intact(node, slug):
    assert node.get_json(slug, "/notes/kept") == {**ITEM, "key": "kept"}


def test_update_rollback_and_forward_keep_data(node_b, releases, installed):
    slug = installed["slug"]
    assert heading(node_b, slug) == "Notes one" and version_of(node_b, slug) == "1.0.0"

    result = hearth(node_b, "app", "update", slug, releases[1], "--yes")
    assert result.returncode == 0, result.stderr
    assert "from 1.0.0 to 1.1.0" in result.stdout and "rollback" in result.stdout
    assert heading(node_b, slug) == "Notes two" and version_of(node_b, slug) == "1.1.0"
    assert_data_intact(node_b, slug)
    listing = node_b.listing(slug)
    assert listing["version"] == "1.1.0" and listing["previous"]["version"] == "1.0.0"
    assert listing["source"] == f"release:{releases[1]}"

    result = hearth(node_b, "app", "rollback", slug)
    assert result.returncode == 0, result.stderr
    assert heading(node_b, slug) == "Notes one" and version_of(node_b, slug) == "1.0.0"
    assert_data_intact(node_b, slug)

    result = hearth(node_b, "app", "rollback", slug, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["version"] == "1.1.0"
    assert heading(node_b, slug) == "Notes two"
    assert_data_intact(node_b, slug)
    # The app copy in use stays read-only to its micros.
    assert node_b.get_json(slug, "/write-app")["written"] is False


def test_only_two_deployments_are_kept(node_a, releases):
    info = node_a.listing("notes")
    # Installed in the instance directory, then two updates: the install's copy is gone, two remain.
    assert len(deployments(node_a, info["id"])) == 2
    assert not (node_a.instance_dir(info["id"]) / "app").exists()
    assert info["previous"]["id"] in deployments(node_a, info["id"])


def test_failed_build_leaves_the_running_version(node_a, app_dir, releases, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(app_dir, broken)
    spacefile = broken / "Spacefile"
    spacefile.write_text(spacefile.read_text().replace("    primary: true\n", "    primary: true\n    commands:\n      - exit 3\n"))
    set_heading(broken, "Never served")
    before = node_a.listing("notes")
    kept = deployments(node_a, before["id"])
    result = hearth(node_a, "app", "update", "notes", str(broken))
    assert result.returncode == 1 and "error: Command `exit 3` of micro notes failed" in result.stderr, result.stderr
    assert node_a.listing("notes")["version"] == before["version"]
    assert deployments(node_a, before["id"]) == kept
    assert heading(node_a, "notes") == "Notes two"


def test_release_checks_refuse_without_force(node_a, node_b, releases, installed, tmp_path):
    slug = installed["slug"]
    current = node_b.listing(slug)["version"]
    older = hearth(node_b, "app", "update", slug, releases[0], "--yes")
    assert older.returncode == 1 and "not newer" in older.stderr and "--force" in older.stderr
    # Another app: A's static site, released by the same publisher.
    node_a.install_ok("static-site", name="site")
    made = json.loads(hearth(node_a, "release", "site", "--version", "9.0.0", "--json").stdout)
    other_app = hearth(node_b, "app", "update", slug, f"http://127.0.0.1:{node_a.port}/releases/{made['id']}.zip", "--yes")
    assert other_app.returncode == 1 and "runs notes" in other_app.stderr
    # The same app name, signed by another space (node B's own).
    clone = tmp_path / "clone"
    shutil.copytree(FIXTURES / "notes-asgi", clone)
    node_b.install_ok(clone, name="clone")
    mine = json.loads(hearth(node_b, "release", "clone", "--version", "5.0.0", "--json").stdout)
    other_publisher = hearth(node_b, "app", "update", slug, str(node_b.data_dir / f"releases/{mine['id']}.zip"), "--yes")
    assert other_publisher.returncode == 1 and "not by" in other_publisher.stderr
    assert node_b.listing(slug)["version"] == current
    assert_data_intact(node_b, slug)
    forced = hearth(node_b, "app", "update", slug, releases[0], "--yes", "--force")
    assert forced.returncode == 0, forced.stderr
    assert version_of(node_b, slug) == "1.0.0"
    assert_data_intact(node_b, slug)


def test_rollback_without_previous_is_refused(node_a):
    info = node_a.install_ok("static-site", name="fresh")
    result = hearth(node_a, "app", "rollback", info["slug"])
    assert result.returncode == 1 and "never updated" in result.stderr
