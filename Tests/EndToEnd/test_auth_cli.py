"""The command line of spaces, owners, sessions and app keys: `hearth space create/ls`,
`hearth owner create` (and its refusals), `hearth session ls/revoke`, `hearth app key
create/ls/rm` — each checked against what the running node then does."""
from __future__ import annotations

import json
import re
import subprocess
import urllib.parse

import pytest

from apps_helpers import module_node
from auth_helpers import PASSPHRASE, Browser, create_owner, create_space, send
from conftest import unique

AGENT = "HearthCLITest/1.0 (sessions)"


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    with module_node(tmp_path_factory, "authcli") as n:
        n.alpha = n.install_ok("auth-echo", "alpha")
        yield n


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr}"
    return result.stdout


def refused(result: subprocess.CompletedProcess, message: str) -> str:
    assert result.returncode != 0, result.stdout
    assert message in result.stderr, result.stderr
    return result.stderr


def sqlite_files_hold(node, secret: str) -> bool:
    """Whether the node's registry (its SQLite files) holds `secret` in plain."""
    return any(secret.encode() in p.read_bytes() for p in node.data_dir.glob("node.sqlite*"))


def sign_in(node, username: str = "owner", source: str = "127.0.0.1") -> Browser:
    """Signs in with a recognisable User-Agent; returns the browser."""
    browser = Browser(node.port, source=source)
    status, _, page = browser.request("GET", browser.dashboard, "/login")
    csrf = re.search(rb'name="csrf" value="([^"]+)"', page).group(1).decode()
    form = urllib.parse.urlencode({"csrf": csrf, "username": username, "passphrase": PASSPHRASE, "next": "/"})
    status, _, body = browser.request("POST", browser.dashboard, "/login",
                                      {"Content-Type": "application/x-www-form-urlencoded", "User-Agent": AGENT}, form)
    assert status == 303, body
    return browser


def dashboard_status(node, browser: Browser) -> int:
    return send(node.port, "GET", "/", browser.dashboard, {"Cookie": f"hearth_session={browser.session(browser.dashboard)}"})[0]


def instance_status(node, slug: str, cookie: str | None = None, headers: dict | None = None, path: str = "/private") -> int:
    sent = {"Accept": "application/json", **(headers or {})}
    if cookie:
        sent["Cookie"] = cookie
    return send(node.port, "GET", path, node.host(slug), sent)[0]


def sessions(node, *args: str) -> list[dict]:
    return json.loads(ok(node.cli("session", "ls", "--json", *args)))


# ----- spaces -----------------------------------------------------------------------------------

def test_space_create_and_ls(node):
    name = unique("team")
    assert f"Created space '{name}'." in ok(node.cli("space", "create", name))
    listed = {s["id"]: s for s in json.loads(ok(node.cli("space", "ls", "--json")))}
    assert {"default", name} <= set(listed)
    assert set(listed[name]) >= {"id", "name", "created_at"}
    row = next(line.split() for line in ok(node.cli("space", "ls")).splitlines() if line.startswith(name + " "))
    assert row[1:3] == ["-", "0"], row  # no owner yet, no apps

    refused(node.cli("space", "create", name), "already exists")
    refused(node.cli("space", "create", name.upper()), "already exists")  # names are case-insensitive
    refused(node.cli("space", "create", "bad name!"), "Space name must be")
    assert {s["id"] for s in json.loads(ok(node.cli("space", "ls", "--json")))} == set(listed)


def test_a_space_with_its_owner_and_an_app(node):
    name = unique("owned")
    owner = unique("zed")
    ok(create_space(node.data_dir, name, owner))
    owners = {o["space"]: o["username"] for o in json.loads(ok(node.cli("owner", "ls", "--json")))}
    assert owners[name] == owner
    installed = node.install("auth-echo", "--name", unique("z"), "--space", name, "--json")
    assert installed.returncode == 0, installed.stderr
    row = next(line.split() for line in ok(node.cli("space", "ls")).splitlines() if line.startswith(name + " "))
    assert row[1:3] == [owner, "1"], row
    # The new owner signs in to their own space only.
    browser = sign_in(node, owner, source="127.0.0.95")
    page = browser.request("GET", browser.dashboard, "/api/v1/instances", {"X-Hearth-Dashboard": "1"})[2]
    slug = json.loads(installed.stdout)["slug"]
    assert node.host(slug).encode() in page and node.host("alpha").encode() not in page
    refused(node.install("static-site", "--space", unique("nosuch")), "No space named")


# ----- owners -----------------------------------------------------------------------------------

def test_owner_create_refuses_a_weak_passphrase(node):
    space = unique("weak")
    ok(node.cli("space", "create", space))
    for weak in ("short", "1234567"):
        refused(create_owner(node.data_dir, unique("w"), weak, space=space), "A passphrase needs 8")
    refused(create_owner(node.data_dir, unique("w"), "", space=space), "no passphrase on stdin")
    owners = json.loads(ok(node.cli("owner", "ls", "--json")))
    assert space not in {o["space"] for o in owners}
    # Eight characters are enough.
    ok(create_owner(node.data_dir, unique("w"), "8chars!!", space=space))


def test_owner_create_refuses_a_taken_user_name(node):
    space = unique("taken")
    ok(node.cli("space", "create", space))
    refused(create_owner(node.data_dir, "owner", space=space), "is taken")
    assert space not in {o["space"] for o in json.loads(ok(node.cli("owner", "ls", "--json")))}


def test_owner_create_refuses_a_second_owner(node):
    result = refused(create_owner(node.data_dir, unique("second")), "already has an owner")
    assert PASSPHRASE not in result
    owners = json.loads(ok(node.cli("owner", "ls", "--json")))
    assert [o["username"] for o in owners if o["space"] == "default"] == ["owner"]
    # The first owner still signs in with their passphrase.
    sign_in(node)


def test_owner_create_refuses_bad_names_and_unknown_spaces(node):
    refused(create_owner(node.data_dir, "bad name", space=unique("s")), "User name must be")
    refused(create_owner(node.data_dir, unique("u"), space=unique("nosuch")), "No space named")


def test_a_refused_owner_leaves_no_space_behind(node):
    """`space create NAME --owner U` with a passphrase that is refused creates nothing, so the
    same command can be run again with a good one."""
    name = unique("half")
    refused(create_space(node.data_dir, name, unique("u"), passphrase="short"), "A passphrase needs 8")
    retry = create_space(node.data_dir, name, unique("u"))
    assert retry.returncode == 0, f"the retry failed: {retry.stderr.strip()}"
    owners = {o["space"] for o in json.loads(ok(node.cli("owner", "ls", "--json")))}
    assert name in owners


# ----- sessions ---------------------------------------------------------------------------------

def test_session_ls_shows_a_sign_in_and_revoke_ends_it(node):
    browser = sign_in(node, source="127.0.0.91")
    assert browser.open("alpha") == 303
    token = browser.session(browser.dashboard)
    alpha = f"hearth_session={browser.session(node.host('alpha'))}"
    assert dashboard_status(node, browser) == 200 and instance_status(node, "alpha", alpha) == 200

    mine = [s for s in sessions(node) if s["address"] == "127.0.0.91"]
    assert len(mine) == 2, mine  # the dashboard's, and alpha's handed from it
    [dash] = [s for s in mine if "instance" not in s]
    [app] = [s for s in mine if "instance" in s]
    assert app["instance"] == node.alpha["id"] and app["parent"] == dash["id"]
    assert dash["space"] == "default" and dash["agent"] == AGENT
    assert dash["expires_at"] > dash["created_at"]

    text = ok(node.cli("session", "ls"))
    assert text.splitlines()[0].split() == ["ID", "SPACE", "FOR", "ADDRESS", "SIGNED", "IN", "LAST", "SEEN", "STATUS", "AGENT"]
    [line] = [line for line in text.splitlines() if line.startswith(dash["id"])]
    assert line.split()[:4] == [dash["id"], "default", "dashboard", "127.0.0.91"] and "live" in line and AGENT in line
    [line] = [line for line in text.splitlines() if line.startswith(app["id"])]
    assert line.split()[:4] == [app["id"], "default", "alpha", "127.0.0.91"]
    for output in (text, json.dumps(mine)):
        assert token not in output and browser.session(node.host("alpha")) not in output
    assert not sqlite_files_hold(node, token), "the session token is stored in plain"

    assert "Ended 2 sessions" in ok(node.cli("session", "revoke", dash["id"]))
    assert dashboard_status(node, browser) == 303
    assert instance_status(node, "alpha", alpha) == 401
    assert not [s for s in sessions(node) if s["address"] == "127.0.0.91"]
    ended = {s["id"]: s for s in sessions(node, "--all") if s["address"] == "127.0.0.91"}
    assert set(ended) == {dash["id"], app["id"]} and all("revoked_at" in s for s in ended.values())
    revoked_line = [line for line in ok(node.cli("session", "ls", "--all")).splitlines() if line.startswith(dash["id"])]
    assert "revoked" in revoked_line[0]
    refused(node.cli("session", "revoke", dash["id"]), "No live session")


def test_session_revoke_takes_an_id_prefix_and_ends_only_that_session(node):
    first = sign_in(node, source="127.0.0.92")
    second = sign_in(node, source="127.0.0.93")
    [target] = [s["id"] for s in sessions(node) if s["address"] == "127.0.0.92"]
    ok(node.cli("session", "revoke", target[:6]))
    assert dashboard_status(node, first) == 303
    assert dashboard_status(node, second) == 200
    refused(node.cli("session", "revoke", "zz"), "No live session 'zz'")  # too short to be a prefix
    refused(node.cli("session", "revoke", "nosuchsession"), "No live session")
    refused(node.cli("session", "revoke", target, "--all"), "not both")


def test_session_ls_and_revoke_all_by_space(node):
    space = unique("sess")
    bob = unique("bob")
    ok(create_space(node.data_dir, space, bob))
    theirs = sign_in(node, bob, source="127.0.0.94")
    ours = sign_in(node, source="127.0.0.96")
    listed = sessions(node, "--space", space)
    assert [s["address"] for s in listed] == ["127.0.0.94"] and listed[0]["space"] == space
    assert "127.0.0.94" in {s["address"] for s in sessions(node)}

    assert "Ended 1 session" in ok(node.cli("session", "revoke", "--all", "--space", space))
    assert dashboard_status(node, theirs) == 303
    assert dashboard_status(node, ours) == 200
    assert sessions(node, "--space", space) == []


# ----- app keys ---------------------------------------------------------------------------------

def test_app_key_is_shown_once_and_works_until_removed(node):
    out = ok(node.app("key", "create", "alpha", "script"))
    [key] = re.findall(r"^\s+(\S{32,})$", out, re.M)
    assert "shown only now" in out

    assert instance_status(node, "alpha", headers={"X-Space-App-Key": key}, path="/api/x") == 200
    # Never shown again: `ls` gives a hint, and neither the list nor the registry holds the key.
    text = ok(node.app("key", "ls", "alpha"))
    [line] = [line for line in text.splitlines() if line.startswith("script ")]
    assert key[:4] + "…" in line and key not in text and key[4:12] not in text
    listed = json.loads(ok(node.app("key", "ls", "alpha", "--json")))
    [entry] = [k for k in listed if k["name"] == "script"]
    assert entry["hint"] == key[:4] and entry["instance"] == node.alpha["id"]
    assert set(entry) == {"id", "instance", "name", "hint", "created_at"}
    assert key not in json.dumps(listed)
    assert not sqlite_files_hold(node, key), "the app key is stored in plain"

    ok(node.app("key", "rm", "alpha", "script"))
    assert instance_status(node, "alpha", headers={"X-Space-App-Key": key}, path="/api/x") == 401
    assert "script" not in {k["name"] for k in json.loads(ok(node.app("key", "ls", "alpha", "--json")))}


def test_app_key_create_json_and_rm_by_id(node):
    created = json.loads(ok(node.app("key", "create", "alpha", "by-id", "--json")))
    assert set(created) == {"id", "name", "key"} and created["name"] == "by-id"
    other = json.loads(ok(node.app("key", "create", node.alpha["id"], "other", "--json")))  # by instance id
    assert created["key"] != other["key"]
    headers = {"X-Space-App-Key": created["key"]}
    assert instance_status(node, "alpha", headers=headers, path="/api/x") == 200
    ok(node.app("key", "rm", "alpha", created["id"]))
    assert instance_status(node, "alpha", headers=headers, path="/api/x") == 401
    assert instance_status(node, "alpha", headers={"X-Space-App-Key": other["key"]}, path="/api/x") == 200


def test_app_key_refusals(node):
    ok(node.app("key", "create", "alpha", "dup"))
    refused(node.app("key", "create", "alpha", "dup"), "already has a key named 'dup'")
    refused(node.app("key", "rm", "alpha", "nosuchkey"), "has no key 'nosuchkey'")
    refused(node.app("key", "create", "nosuchapp", "k"), "No instance 'nosuchapp'")
    refused(node.app("key", "ls", "nosuchapp"), "No instance 'nosuchapp'")
    refused(node.app("key", "create", "alpha", "bad name"), "Key name must be")
