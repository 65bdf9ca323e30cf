"""Guessing passphrases (Hearth's sign-in throttle): 10 failed sign-ins per client address and
30 per user name within 15 minutes; after that, sign-ins wait (429 with Retry-After and a
clear message), even with the right passphrase. And the setup of a fresh node: only with the
code `hearth serve` printed, once.

Loopback has many addresses: each test signs in from addresses of its own (127.0.0.x), and the
per-name test uses an owner of its own (space `spaceb`), so the tests share the node's throttle
without meeting each other's failures.
"""
from __future__ import annotations

import json
import re
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest

from apps_helpers import module_node
from auth_helpers import OWNER, PASSPHRASE, Browser, create_owner, create_space, send
from conftest import Node

PER_ADDRESS = 10
PER_ACCOUNT = 30
WINDOW = 15 * 60
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
CSRF = "t" * 32


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    with module_node(tmp_path_factory, "auththrottle") as n:
        result = create_space(n.data_dir, "spaceb", "bob")
        assert result.returncode == 0, result.stderr
        yield n


def sign_in(node, username: str, passphrase: str, source: str):
    """One POST /login from `source`: (status, headers, body, set-cookies)."""
    form = urllib.parse.urlencode({"csrf": CSRF, "username": username, "passphrase": passphrase, "next": "/"})
    return send(node.port, "POST", "/login", f"localhost:{node.port}", {**FORM, "Cookie": f"hearth_csrf={CSRF}"}, form, source)


def assert_signed_in(response):
    status, headers, body, set_cookies = response
    assert status == 303 and headers["location"] == "/", (status, body[:300])
    assert any(c.startswith("hearth_session=") for c in set_cookies), set_cookies


def assert_waits(response, message: bytes):
    status, headers, body, set_cookies = response
    assert status == 429, (status, body[:300])
    assert 0 < int(headers["retry-after"]) <= WINDOW, headers
    assert message in body, body
    assert b'name="csrf"' in body  # the sign-in form again, to try later
    assert not any(c.startswith("hearth_session=") for c in set_cookies), set_cookies


def test_the_per_address_limit_stops_even_the_right_passphrase(node):
    guesser = "127.0.0.31"
    # 9 failures (wrong passphrases, and user names nobody has): still under the limit.
    for attempt in range(PER_ADDRESS - 1):
        username = OWNER if attempt % 2 else f"nobody{attempt}"
        status, _, body, set_cookies = sign_in(node, username, f"wrong guess {attempt}", guesser)
        assert status == 401 and b"Wrong user name or passphrase." in body, (attempt, status)
        assert not any(c.startswith("hearth_session=") for c in set_cookies)
    assert_signed_in(sign_in(node, OWNER, PASSPHRASE, guesser))
    # The 10th failure: now the address waits, whatever it sends.
    assert sign_in(node, OWNER, "wrong guess 9", guesser)[0] == 401
    response = sign_in(node, OWNER, PASSPHRASE, guesser)
    assert_waits(response, b"Too many failed sign-ins from your address.")
    assert re.search(rb"Try again in (\d+ minutes|a minute)\.", response[2]), response[2]
    assert_waits(sign_in(node, "bob", PASSPHRASE, guesser), b"Too many failed sign-ins from your address.")
    assert_waits(sign_in(node, OWNER, "another guess", guesser), b"Too many failed sign-ins from your address.")
    # Another address is not limited by the first one's failures.
    assert_signed_in(sign_in(node, OWNER, PASSPHRASE, "127.0.0.32"))
    assert_waits(sign_in(node, OWNER, PASSPHRASE, guesser), b"Too many failed sign-ins from your address.")


def test_the_per_account_limit_holds_across_addresses(node):
    # 30 failures for bob from 15 addresses: 2 each, far under the per-address limit.
    attempts = [(f"127.0.1.{i // 2 + 1}", f"guess {i}") for i in range(PER_ACCOUNT)]
    with ThreadPoolExecutor(max_workers=3) as pool:
        statuses = list(pool.map(lambda a: sign_in(node, "bob", a[1], a[0])[0], attempts))
    assert statuses == [401] * PER_ACCOUNT, statuses

    fresh = "127.0.2.1"
    response = sign_in(node, "bob", PASSPHRASE, fresh)
    assert_waits(response, b"Too many failed sign-ins for this user name.")
    assert_waits(sign_in(node, "BOB", PASSPHRASE, "127.0.2.2"), b"Too many failed sign-ins for this user name.")
    # Other accounts, and the addresses themselves, are not limited.
    assert_signed_in(sign_in(node, OWNER, PASSPHRASE, "127.0.1.1"))
    assert_signed_in(sign_in(node, OWNER, PASSPHRASE, fresh))


# ----- setting up a fresh node ------------------------------------------------------------------

@pytest.fixture
def fresh(tmp_path):
    """A node without an owner, and the setup code its banner printed."""
    n = Node(tmp_path / "data").start()
    try:
        banner = n.stdout_path.read_text()
        found = re.search(rf"http://localhost:{n.port}/setup\?code=(\w+)", banner)
        assert found, banner
        n.setup_code = found.group(1)
        yield n
    finally:
        n.stop()


def setup_form(node, source: str = "127.0.0.1", **fields):
    form = urllib.parse.urlencode({"csrf": CSRF, **fields})
    return send(node.port, "POST", "/setup", f"localhost:{node.port}", {**FORM, "Cookie": f"hearth_csrf={CSRF}"}, form, source)


def dashboard(node, path: str, cookie: str | None = None):
    return send(node.port, "GET", path, f"localhost:{node.port}", {"Cookie": cookie} if cookie else {})


def test_setup_needs_the_printed_code_and_happens_once(fresh):
    code = fresh.setup_code
    for path in ("/", "/login"):
        status, headers, _, _ = dashboard(fresh, path)
        assert status == 303 and headers["location"] == "/setup"
    status, _, page, _ = dashboard(fresh, "/setup")
    assert status == 200 and b"<form" not in page  # no code, no form
    status, _, page, _ = dashboard(fresh, f"/setup?code={code}")
    assert status == 200 and b'action="/setup"' in page

    good = {"username": "alice", "passphrase": PASSPHRASE, "confirm": PASSPHRASE}
    # A wrong code, or none.
    for wrong in ("", "x" * len(code), code[:-1], code + "x", code.lower() if code.lower() != code else code.upper()):
        status, _, page, set_cookies = setup_form(fresh, code=wrong, **good)
        assert status == 403 and b"This setup link is not valid" in page, (wrong, status)
        assert set_cookies == []
    # The right code without the form's CSRF token.
    form = urllib.parse.urlencode({"code": code, **good})
    status, _, _, _ = send(fresh.port, "POST", "/setup", f"localhost:{fresh.port}", FORM, form)
    assert status == 403
    # Passphrases that differ, or are too short.
    status, _, page, _ = setup_form(fresh, code=code, username="alice", passphrase=PASSPHRASE, confirm=PASSPHRASE + "x")
    assert status == 400 and b"The passphrases differ." in page
    status, _, page, _ = setup_form(fresh, code=code, username="alice", passphrase="short", confirm="short")
    assert status == 400 and b"A passphrase needs 8" in page
    status, _, page, _ = setup_form(fresh, code=code, username="bad name!", passphrase=PASSPHRASE, confirm=PASSPHRASE)
    assert status == 400 and b"User name must be" in page
    assert dashboard(fresh, "/login")[1]["location"] == "/setup", "an owner was created by a refused setup"

    # The right code: the owner exists and is signed in.
    status, headers, _, set_cookies = setup_form(fresh, code=code, **good)
    assert status == 303 and headers["location"] == "/"
    [session] = [c.split(";")[0] for c in set_cookies if c.startswith("hearth_session=")]
    status, _, page, _ = dashboard(fresh, "/", session)
    assert status == 200 and b">alice</span>" in page and b"/assets/app.js" in page

    # Setup is gone: the pages send to sign-in, the form creates nothing, the code is worthless.
    status, headers, _, _ = dashboard(fresh, f"/setup?code={code}")
    assert status == 303 and headers["location"] == "/login"
    status, headers, _, set_cookies = setup_form(fresh, code=code, username="mallory", passphrase=PASSPHRASE,
                                                 confirm=PASSPHRASE)
    assert status == 303 and headers["location"] == "/login" and set_cookies == []
    assert sign_in(fresh, "mallory", PASSPHRASE, "127.0.0.1")[0] == 401
    assert_signed_in(sign_in(fresh, "alice", PASSPHRASE, "127.0.0.1"))
    owners = fresh.cli("owner", "ls", "--json")
    assert owners.returncode == 0 and [o["username"] for o in json.loads(owners.stdout)] == ["alice"]
    # A restarted node no longer offers setup.
    fresh.restart()
    assert "/setup?code=" not in fresh.stdout_path.read_text()
    assert dashboard(fresh, "/setup")[1]["location"] == "/login"


def test_setup_codes_cannot_be_guessed(fresh):
    guesser = "127.0.0.61"
    good = {"username": "alice", "passphrase": PASSPHRASE, "confirm": PASSPHRASE}
    for attempt in range(PER_ADDRESS):
        status, _, _, _ = setup_form(fresh, guesser, code=f"guess{attempt:011d}", **good)
        assert status == 403
    status, headers, page, set_cookies = setup_form(fresh, guesser, code=fresh.setup_code, **good)
    assert status == 429 and 0 < int(headers["retry-after"]) <= WINDOW
    assert b"Too many failed sign-ins from your address." in page and set_cookies == []
    # From elsewhere, the code still works.
    status, headers, _, set_cookies = setup_form(fresh, "127.0.0.62", code=fresh.setup_code, **good)
    assert status == 303 and any(c.startswith("hearth_session=") for c in set_cookies)


def test_an_owner_created_on_the_command_line_ends_setup(fresh):
    result = create_owner(fresh.data_dir, "carol")
    assert result.returncode == 0, result.stderr
    status, headers, _, _ = dashboard(fresh, f"/setup?code={fresh.setup_code}")
    assert status == 303 and headers["location"] == "/login"
    status, _, _, set_cookies = setup_form(fresh, code=fresh.setup_code, username="mallory", passphrase=PASSPHRASE,
                                           confirm=PASSPHRASE)
    assert status == 303 and set_cookies == []
    browser = Browser(fresh.port)
    assert browser.sign_in("carol", PASSPHRASE)[0] == 303
