"""Installing, listing and removing apps (`hearth app install/ls/rm`): every instance gets its
own host and its own collection, with a data key that works only for it."""
from __future__ import annotations

import pytest

from apps_helpers import FIXTURES, AppNode, module_node, pid_alive, wait_for
from conftest import assert_errors, json_of


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    with module_node(tmp_path_factory, "install") as n:
        yield n


@pytest.fixture(scope="module")
def first(node):
    """notes-asgi installed with the plain (non-JSON) output; returns (stdout, listing entry)."""
    result = node.install("notes-asgi")
    assert result.returncode == 0, f"install failed:\n{result.stderr}"
    entry = node.listing("notes-asgi")
    assert entry is not None, node.apps()
    return result.stdout, entry


@pytest.fixture(scope="module")
def second(node, first):
    """The same directory installed again: a second instance."""
    return node.install_ok("notes-asgi")


def test_install_prints_the_instance_url(node, first):
    stdout, entry = first
    url = f"http://notes-asgi.localhost:{node.port}"
    assert url in stdout, stdout
    assert "sign in" in stdout, stdout
    assert entry["id"] in stdout, stdout


def test_ls_json_lists_the_instance(node, first):
    _, entry = first
    assert entry["app_name"] == "notes-asgi"
    assert entry["state"] == "ready"
    assert entry["url"] == f"http://notes-asgi.localhost:{node.port}"
    assert entry["source"] == str(FIXTURES / "notes-asgi")
    assert entry["running"] == []
    assert entry["path"] == f"spaces/default/instances/{entry['id']}"
    assert node.instance_dir(entry["id"]).is_dir()
    assert node.data_key(entry["id"]).startswith(entry["id"] + "_")


def test_ls_text_names_the_instance(node, first):
    result = node.app("ls")
    assert result.returncode == 0, result.stderr
    line = next((l for l in result.stdout.splitlines() if l.startswith("notes-asgi ")), None)
    assert line is not None, result.stdout
    assert first[1]["id"] in line and "ready" in line, line


def test_installing_twice_gives_a_second_instance(node, first, second):
    _, one = first
    assert second["slug"] == "notes-asgi-2"
    assert second["id"] != one["id"]
    assert second["url"] == f"http://notes-asgi-2.localhost:{node.port}"
    slugs = [entry["slug"] for entry in node.apps()]
    assert slugs.count("notes-asgi") == 1 and slugs.count("notes-asgi-2") == 1, slugs
    assert node.data_key(second["id"]) != node.data_key(one["id"])
    # Each host is served by its own instance.
    assert node.micro_env("notes-asgi")["DETA_SPACE_APP_INSTANCE_ID"] == one["id"]
    assert node.micro_env("notes-asgi-2")["DETA_SPACE_APP_INSTANCE_ID"] == second["id"]


def test_instances_have_separate_data(node, first, second):
    _, one = first
    written = node.request("notes-asgi", "PUT", "/notes/only-in-first", json={"text": "first"})
    assert written.status_code == 200, written.text
    assert written.json() == {"key": "only-in-first", "text": "first"}

    # Through the Base HTTP API with each instance's own data key.
    first_base = node.base_of(one["id"], "notes")
    second_base = node.base_of(second["id"], "notes")
    assert json_of(first_base.get("only-in-first"), 200) == {"key": "only-in-first", "text": "first"}
    assert json_of(second_base.get("only-in-first"), 404) == {"key": "only-in-first"}
    # ... and through the second instance's micro.
    assert node.get("notes-asgi-2", "/notes/only-in-first").status_code == 404
    assert node.get("notes-asgi", "/notes/only-in-first").status_code == 200

    # A data key opens its own collection only.
    other_key = node.data_key(second["id"])
    assert_errors(node.base_of(one["id"], "notes", data_key=other_key).get("only-in-first"), 401)


def test_name_option_picks_the_host(node):
    installed = node.install_ok("static-site", name="my-pages")
    assert installed["slug"] == "my-pages"
    response = node.get("my-pages", "/")
    assert response.status_code == 200 and "Static fixture" in response.text, response.text


def test_install_of_a_directory_without_spacefile_fails(node, tmp_path):
    before = node.instance_dirs()
    (tmp_path / "main.py").write_text("app = None\n")
    result = node.install(tmp_path)
    assert result.returncode != 0
    assert "Spacefile" in result.stderr, result.stderr
    assert node.instance_dirs() == before


def test_rm_removes_host_files_and_key(node):
    installed = node.install_ok("notes-asgi", name="doomed")
    instance_id, key = installed["id"], node.data_key(installed["id"])
    assert node.request("doomed", "PUT", "/notes/n", json={"text": "bye"}).status_code == 200
    node.micro_env("doomed")
    pid = node.started_pids(instance_id, "notes")[-1]
    base = node.base_of(instance_id, "notes", data_key=key)
    assert json_of(base.get("n"), 200)["text"] == "bye"

    refused = node.app("rm", "doomed")  # no --yes and no terminal: refused
    assert refused.returncode != 0 and "--yes" in refused.stderr, refused
    assert node.listing("doomed") is not None

    result = node.app("rm", "doomed", "--yes")
    assert result.returncode == 0, result.stderr
    assert "Removed 'doomed'" in result.stdout

    gone = node.get("doomed", "/env")
    assert gone.status_code == 404, gone.text
    assert "text/html" in gone.headers["Content-Type"]
    assert not node.instance_dir(instance_id).exists()
    assert node.listing("doomed") is None
    assert_errors(base.get("n"), 401)
    wait_for(lambda: not pid_alive(pid), 10, f"the removed instance's micro (pid {pid}) to stop")
    # The other instances are untouched.
    assert node.get("notes-asgi", "/notes/only-in-first").status_code in (200, 404)
    assert node.micro_env("notes-asgi")["DETA_SPACE_APP_MICRO_NAME"] == "notes"


def test_rm_of_an_unknown_instance_fails(node):
    result = node.app("rm", "no-such-app", "--yes")
    assert result.returncode != 0
    assert "no-such-app" in result.stderr, result.stderr


@pytest.mark.parametrize("name, slug", [("Bad Name!", "bad-name"), ("a.b", "a-b"), ("UPPER_case", "upper-case")])
def test_name_becomes_a_valid_host_label(node, name, slug):
    installed = node.install_ok("static-site", name=name)
    assert installed["slug"] == slug  # no dots, spaces or capitals in a host label
    assert node.get(slug, "/").status_code == 200


def test_install_without_a_running_node(tmp_path_factory):
    data = tmp_path_factory.mktemp("offline") / "data"
    offline = AppNode(data)  # not started
    result = offline.install("static-site")
    assert result.returncode == 0, result.stderr
    assert "http://static-site.localhost:4200" in result.stdout  # the default port until a node runs
    assert "hearth serve" in result.stdout
    restart = offline.app("restart", "static-site")
    assert restart.returncode == 0 and "not running" in restart.stdout, restart
    trigger = offline.app("trigger", "static-site", "x")
    assert trigger.returncode != 0 and "not running" in trigger.stderr, trigger
    offline.start()
    try:
        entry = offline.listing("static-site")
        assert entry["url"] == f"http://static-site.localhost:{offline.port}"
        assert offline.get("static-site", "/").status_code == 200
    finally:
        offline.stop()
