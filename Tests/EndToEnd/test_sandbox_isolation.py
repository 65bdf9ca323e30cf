"""Isolation: each attack of the hostile fixture app, run from inside its sandbox, fails
(DESIGN.md "Sandbox"). Two copies of the app are installed, so one can try the other."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import requests

from apps_helpers import module_node
from conftest import REPO
from sandbox_helpers import probe


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    with module_node(tmp_path_factory, "isolation", args=["--sandbox", "required"]) as n:
        n.a = n.install_ok("hostile", name="alpha")
        n.b = n.install_ok("hostile", name="beta")
        n.ident_a = probe(n, "alpha", "/whoami")["result"]
        n.ident_b = probe(n, "beta", "/whoami")["result"]
        yield n


def test_micros_run_as_an_unprivileged_user_of_their_own(node):
    a, b = node.ident_a, node.ident_b
    assert a["uid"] != 0 and a["uid"] != os.getuid() and a["gid"] != 0
    assert a["uid"] != b["uid"], "each instance has its own user"
    assert a["groups"] == []
    assert int(a["cap_eff"], 16) == 0 and int(a["cap_bnd"], 16) == 0, a
    assert a["no_new_privs"] == "1"
    assert a["hostname"] == "alpha"
    assert a["home"] == "/tmp" and a["tmpdir"] == "/tmp"


def test_another_instances_files_are_invisible(node):
    other = node.instance_dir(node.b["id"])
    for path in [other / "app" / "server.py", other / "secrets" / "data.key", other / "secrets" / "api.key",
                 other / "logs" / "hostile.log"]:
        outcome = probe(node, "alpha", "/read", path=str(path))
        assert not outcome["ok"], f"alpha read {path}: {outcome}"
    listing = probe(node, "alpha", "/list", path=str(node.instances_root))
    assert not listing["ok"] or listing["result"] == [node.a["id"]], listing


def test_the_nodes_database_and_secrets_are_invisible(node):
    for path in [node.data_dir / "node.sqlite", node.data_dir / "secrets" / "master.key",
                 node.data_dir / "run" / "node.json", node.instance_dir(node.a["id"]) / "secrets" / "data.key"]:
        outcome = probe(node, "alpha", "/read", path=str(path))
        assert not outcome["ok"], f"alpha read {path}: {outcome}"


def test_host_files_outside_the_sandbox_are_invisible(node):
    for path in ["/etc/shadow", "/root/.bash_history", "/root/.ssh/authorized_keys", "/proc/1/environ",
                 "/sys/kernel/notes", str(node.stderr_path), __file__, str(REPO / "README.md"), str(REPO / "Package.swift")]:
        outcome = probe(node, "alpha", "/read", path=path)
        assert not outcome["ok"], f"alpha read {path}: {outcome}"
    root = node.ident_a["root_entries"]
    assert not {"home", "srv", "var", "mnt", "sys", "opt", "boot"} & set(root), root
    # Directories above the few host paths a micro needs (its interpreter, Hearth's SDK) hold only those paths.
    sdk = REPO / "sdk" / "python"
    for parent in [p for p in sdk.parents if p not in (Path("/"), Path("/tmp"))]:  # /tmp is the app's own
        listing = probe(node, "alpha", "/list", path=str(parent))
        child = sdk.relative_to(parent).parts[0]
        assert listing["ok"] and listing["result"] == [child], f"{parent}: {listing}"


def test_nothing_outside_tmp_is_writable(node):
    app = node.instance_dir(node.a["id"]) / "app"
    for path in ["/x", "/usr/x", "/etc/x", "/dev/shm/x", str(app / "x"), str(app / "server.py"), "/proc/x"]:
        outcome = probe(node, "alpha", "/write", path=path)
        assert not outcome["ok"], f"alpha wrote {path}: {outcome}"
    assert probe(node, "alpha", "/write", path="/tmp/ok")["ok"]


def test_other_processes_are_invisible(node):
    processes = probe(node, "alpha", "/procs")["result"]
    commands = " ".join(entry["cmd"] for entry in processes)
    assert "hearth serve" not in commands and "pytest" not in commands, commands
    assert len(processes) < 10, processes
    assert all("beta" not in entry["cmd"] for entry in processes)


def test_another_instances_micro_cannot_be_reached(node):
    port = node.ident_b["port"]
    outcome = probe(node, "alpha", "/connect", host="127.0.0.1", port=port)
    assert not outcome["ok"], outcome
    # Nor through the node: beta's host is not served inside alpha's network.
    outcome = probe(node, "alpha", "/fetch", url=f"http://127.0.0.1:{node.port}/whoami")
    assert outcome["ok"] and outcome["result"]["status"] == 404, outcome


def test_other_hosts_and_addresses_are_unreachable(node):
    for host in ["10.0.0.1", "169.254.169.254", "8.8.8.8"]:
        outcome = probe(node, "alpha", "/connect", host=host, port="80")
        assert not outcome["ok"], f"{host}: {outcome}"


def test_the_nodes_own_routes_are_not_served_inside(node):
    base = f"http://127.0.0.1:{node.port}"
    for path in ["/healthz", f"/__hearth/control/instances/{node.b['id']}/status"]:
        outcome = probe(node, "alpha", "/fetch", url=base + path)
        assert outcome["ok"] and outcome["result"]["status"] == 404, f"{path}: {outcome}"
    # Another instance's collection, with the only key alpha has.
    outcome = probe(node, "alpha", "/fetch", url=f"{base}/v1/{node.b['id']}/x/items/k", auth="project")
    assert outcome["ok"] and outcome["result"]["status"] == 401, outcome


def test_the_api_of_its_own_collection_works_inside(node):
    """What the sandbox must keep open: its own Base through HEARTH_API_URL with its data key."""
    assert node.base_of(node.a["id"], "notes").put({"key": "k", "v": 1}).status_code == 207
    url = f"http://127.0.0.1:{node.port}/v1/{node.a['id']}/notes/items/k"
    outcome = probe(node, "alpha", "/fetch", url=url, auth="project")
    assert outcome["ok"] and outcome["result"]["status"] == 200 and '"v": 1' in outcome["result"]["body"].replace('"v":1', '"v": 1'), outcome
    without_key = probe(node, "alpha", "/fetch", url=url)
    assert without_key["result"]["status"] == 401, without_key


def test_the_owner_still_reaches_both_from_outside(node):
    assert probe(node, "alpha", "/whoami")["ok"] and probe(node, "beta", "/whoami")["ok"]
    response = requests.get(f"{node.url}/healthz", timeout=10)
    assert response.status_code == 200
