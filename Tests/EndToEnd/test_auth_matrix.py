"""Who gets in where (spec §5.5, §5.7, §1.1): one table of route family × credential → the exact
status, run against one node.

The node holds, in its default space, `alpha` and `beta` (two instances of auth-echo: a private
`site` micro with public routes `/public/*` and `/hello`, and an `api` micro at `/api` with app
keys and the public route `/open/*`) and `pub` (static-site, `public: true`); in the space
`spaceb`, `gamma` (auth-echo again, another owner). `alpha`'s Base `notes` holds ITEM and its
Drive `files` holds FILE.

Every response of every row is searched for the secrets the node knows (item data, data keys,
internal keys, app keys, session tokens, the node token): none may appear, except what the row
says it must contain. The micros echo the headers they receive, so a credential Hearth forwards
to a micro shows up here as a leak.
"""
from __future__ import annotations

import json
import time
import urllib.parse
from dataclasses import dataclass

import pytest

from apps_helpers import module_node
from auth_helpers import PASSPHRASE, Browser, create_space, instance_secret, send

ITEM = "item-data-7c41e0"  # alpha's Base item
FILE = b"file-data-93bd52"  # alpha's Drive file
SHORT_SESSION_DAYS = 0.00025  # 21.6 s: the sessions that are made to expire
BOB = "bob"

# ----- route families: how each sends its request -----------------------------------------------

# kind: "dashboard" (localhost:<port>), "instance" (<slug>.localhost:<port>), "data" (the
# Base/Drive API) or "node" (the control API). `form` sends the sign-out form, with the CSRF
# pair (`csrf`), from `origin`.


@dataclass(frozen=True)
class Family:
    kind: str
    method: str
    path: str
    slug: str | None = None
    headers: tuple = ()
    form: bool = False
    csrf: bool = True
    origin: str | None = None


FAMILIES = {
    "dashboard-page": Family("dashboard", "GET", "/"),
    # The dashboard's own API calls: the session counts only with the dashboard's header.
    "dashboard-api": Family("dashboard", "GET", "/api/v1/instances", headers=(("X-Hearth-Dashboard", "1"),)),
    "dashboard-api-without-header": Family("dashboard", "GET", "/api/v1/instances"),
    "dashboard-api-cross-origin": Family("dashboard", "GET", "/api/v1/instances", headers=(
        ("X-Hearth-Dashboard", "1"), ("Sec-Fetch-Site", "same-site"))),
    "dashboard-form": Family("dashboard", "POST", "/logout", form=True),
    "dashboard-form-without-csrf": Family("dashboard", "POST", "/logout", form=True, csrf=False),
    "dashboard-form-cross-origin": Family("dashboard", "POST", "/logout", form=True, origin="http://alpha.localhost:{port}"),
    "private-route": Family("instance", "GET", "/private", "alpha", (("Accept", "application/json"),)),
    "private-route-navigation": Family("instance", "GET", "/private?x=1", "alpha",
                                       (("Accept", "text/html"), ("Sec-Fetch-Mode", "navigate"))),
    "private-route-html": Family("instance", "GET", "/private", "alpha", (("Accept", "text/html,*/*;q=0.8"),)),
    "private-route-post": Family("instance", "POST", "/private", "alpha", (("Accept", "application/json"),)),
    "key-micro-route": Family("instance", "GET", "/api/things", "alpha"),
    "public-route": Family("instance", "GET", "/public/page", "alpha"),
    "public-route-deep": Family("instance", "GET", "/public/a/b?c=d", "alpha"),
    "public-route-bare-prefix": Family("instance", "GET", "/public", "alpha"),
    "public-route-exact": Family("instance", "GET", "/hello", "alpha"),
    "public-route-exact-subpath": Family("instance", "GET", "/hello/more", "alpha"),
    "public-route-of-prefixed-micro": Family("instance", "GET", "/api/open/x", "alpha"),
    "public-route-of-other-micro": Family("instance", "GET", "/open/x", "alpha"),
    "public-pattern-under-prefix": Family("instance", "GET", "/api/public/page", "alpha"),
    # Dot segments, plain or percent-encoded (`%2e` is `.` to a URL parser, e.g. WHATWG's
    # `new URL(...)` in Node, Deno or Bun): a path that leaves a public route is not public.
    "public-route-dot-segments": Family("instance", "GET", "/public/../private", "alpha"),
    "public-route-encoded-dot-segments": Family("instance", "GET", "/public/%2e%2e/private", "alpha"),
    "public-route-encoded-dot-segments-upper": Family("instance", "GET", "/public/%2E%2E/private", "alpha"),
    "public-route-half-encoded-dot-segments": Family("instance", "GET", "/public/.%2e/private", "alpha"),
    "public-route-of-prefixed-micro-encoded-dots": Family("instance", "GET", "/api/open/%2e%2e/%2e%2e/private", "alpha"),
    "private-route-dot-segments-into-public": Family("instance", "GET", "/private/../public/x", "alpha"),
    "public-micro": Family("instance", "GET", "/", "pub"),
    "base-api": Family("data", "GET", "/v1/{alpha}/notes/items/secret"),
    "drive-api": Family("data", "GET", "/v1/{alpha}/files/files/download?name=secret.txt"),
    "browser-proxy-base": Family("instance", "GET", "/__space/v0/base/v1/dummy/notes/items/secret", "alpha",
                                 (("X-API-Key", "dummy"),)),
    "browser-proxy-drive": Family("instance", "GET", "/__space/v0/drive/v1/dummy/files/files/download?name=secret.txt",
                                  "alpha", (("X-API-Key", "dummy"),)),
    "browser-proxy-of-public-micro": Family("instance", "GET", "/__space/v0/base/v1/dummy/notes/items/secret", "pub",
                                            (("X-API-Key", "dummy"),)),
    "node-api": Family("node", "GET", "/__hearth/control/instances/{alpha}/status"),
}

# ----- credentials: the headers each adds ------------------------------------------------------

# Each names a `World` attribute holding the secret, and the header it is sent in. Dashboard
# sessions are fresh ones for the sign-out form (which ends them).
CREDENTIALS = {
    "none": (None, None),
    "garbage-cookie": ("garbage_token", "cookie"),
    "garbage-key": ("garbage_token", "X-API-Key"),
    "garbage-app-key": ("garbage_token", "X-Space-App-Key"),
    "garbage-bearer": ("garbage_token", "bearer"),
    "dashboard-session": ("dashboard_session", "cookie"),
    "alpha-session": ("alpha_session", "cookie"),
    "beta-session": ("beta_session", "cookie"),
    "space-b-dashboard-session": ("b_dashboard_session", "cookie"),
    "space-b-gamma-session": ("gamma_session", "cookie"),
    "expired-dashboard-session": ("expired_dashboard_session", "cookie"),
    "expired-alpha-session": ("expired_alpha_session", "cookie"),
    "revoked-dashboard-session": ("revoked_dashboard_session", "cookie"),
    "revoked-alpha-session": ("revoked_alpha_session", "cookie"),
    "alpha-data-key": ("alpha_data_key", "X-API-Key"),
    "beta-data-key": ("beta_data_key", "X-API-Key"),
    "gamma-data-key": ("gamma_data_key", "X-API-Key"),
    "revoked-alpha-data-key": ("revoked_data_key", "X-API-Key"),
    "alpha-internal-key": ("alpha_internal_key", "X-API-Key"),
    "alpha-internal-key-as-app-key": ("alpha_internal_key", "X-Space-App-Key"),
    "beta-internal-key": ("beta_internal_key", "X-API-Key"),
    "gamma-internal-key": ("gamma_internal_key", "X-API-Key"),
    "alpha-app-key": ("alpha_app_key", "X-Space-App-Key"),
    "alpha-app-key-as-x-api-key": ("alpha_app_key", "X-API-Key"),
    "beta-app-key": ("beta_app_key", "X-Space-App-Key"),
    "removed-alpha-app-key": ("removed_app_key", "X-Space-App-Key"),
    "node-token": ("node_token", "bearer"),
    "alpha-internal-key-as-bearer": ("alpha_internal_key", "bearer"),
    "alpha-data-key-as-bearer": ("alpha_data_key", "bearer"),
}

# ----- the scenario table ----------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    family: str
    credential: str
    status: int
    location: str | None = None  # the exact Location (formatted with the world's values)
    contains: tuple = ()  # strings the response must contain (formatted)
    absent: tuple = ()  # more strings it must not contain (formatted)
    ends_session: bool = False  # a sign-out that must end the credential's session and its app sessions

    @property
    def id(self) -> str:
        return f"{self.family}--{self.credential}"


UNAUTHORIZED = '{"errors":["Unauthorized"]}'
SIGN_IN = "/login"
TO_DASHBOARD = "http://localhost:{port}/open?to="
SITE_ECHO = '"micro": "site"'
API_ECHO = '"micro": "api"'

ROWS = [
    # The dashboard: its page needs a dashboard session; its API lists only that space's apps.
    Row("dashboard-page", "none", 303, SIGN_IN),
    Row("dashboard-page", "garbage-cookie", 303, SIGN_IN),
    Row("dashboard-page", "alpha-session", 303, SIGN_IN),
    Row("dashboard-page", "space-b-dashboard-session", 200, contains=("/assets/app.js",)),
    Row("dashboard-page", "expired-dashboard-session", 303, SIGN_IN),
    Row("dashboard-page", "revoked-dashboard-session", 303, SIGN_IN),
    Row("dashboard-page", "dashboard-session", 200, contains=("/assets/app.js",)),
    Row("dashboard-api", "none", 401),
    Row("dashboard-api", "garbage-cookie", 401),
    Row("dashboard-api", "alpha-session", 401),
    Row("dashboard-api", "expired-dashboard-session", 401),
    Row("dashboard-api", "revoked-dashboard-session", 401),
    Row("dashboard-api", "space-b-dashboard-session", 200, contains=("gamma.localhost",),
        absent=("alpha.localhost", "beta.localhost", "pub.localhost")),
    Row("dashboard-api", "dashboard-session", 200, contains=("alpha.localhost", "beta.localhost", "pub.localhost"),
        absent=("gamma.localhost",)),
    Row("dashboard-api-without-header", "dashboard-session", 401),
    Row("dashboard-api-cross-origin", "dashboard-session", 401),
    # Signing out: any session cookie, with the form's CSRF pair; nothing else is ended.
    Row("dashboard-form", "none", 303, SIGN_IN),
    Row("dashboard-form", "garbage-cookie", 303, SIGN_IN),
    Row("dashboard-form", "alpha-session", 303, SIGN_IN),
    Row("dashboard-form", "space-b-dashboard-session", 303, SIGN_IN, ends_session=True),
    Row("dashboard-form", "expired-dashboard-session", 303, SIGN_IN),
    Row("dashboard-form", "revoked-dashboard-session", 303, SIGN_IN),
    Row("dashboard-form", "dashboard-session", 303, SIGN_IN, ends_session=True),
    Row("dashboard-form-without-csrf", "dashboard-session", 403),
    Row("dashboard-form-without-csrf", "none", 403),
    Row("dashboard-form-cross-origin", "dashboard-session", 403),
    # A private route: this host's session, this instance's internal key; nothing else.
    Row("private-route", "none", 401),
    Row("private-route", "garbage-cookie", 401),
    Row("private-route", "garbage-key", 401),
    Row("private-route", "beta-session", 401),
    Row("private-route", "dashboard-session", 401),
    Row("private-route", "space-b-gamma-session", 401),
    Row("private-route", "space-b-dashboard-session", 401),
    Row("private-route", "expired-alpha-session", 401),
    Row("private-route", "revoked-alpha-session", 401),
    Row("private-route", "alpha-data-key", 401),
    Row("private-route", "beta-internal-key", 401),
    Row("private-route", "gamma-internal-key", 401),
    Row("private-route", "alpha-app-key", 401),  # the site micro has no api_keys preset
    Row("private-route", "alpha-session", 200, contains=(SITE_ECHO,)),
    Row("private-route", "alpha-internal-key", 200, contains=(SITE_ECHO,)),
    Row("private-route", "alpha-internal-key-as-app-key", 200, contains=(SITE_ECHO,)),
    Row("private-route-post", "none", 401),
    Row("private-route-post", "beta-session", 401),
    Row("private-route-post", "alpha-session", 200, contains=(SITE_ECHO, '"method": "POST"')),
    # A browser opening a page without a session is sent to sign in, through the dashboard.
    Row("private-route-navigation", "none", 302, TO_DASHBOARD + "{alpha_url_private_x}"),
    Row("private-route-navigation", "beta-session", 302, TO_DASHBOARD + "{alpha_url_private_x}"),
    Row("private-route-navigation", "expired-alpha-session", 302, TO_DASHBOARD + "{alpha_url_private_x}"),
    Row("private-route-html", "none", 302, TO_DASHBOARD + "{alpha_url_private}"),
    Row("private-route-navigation", "alpha-session", 200, contains=(SITE_ECHO,)),
    # The micro with `api_keys`: its own instance's app keys, in X-Space-App-Key only.
    Row("key-micro-route", "none", 401),
    Row("key-micro-route", "garbage-app-key", 401),
    Row("key-micro-route", "beta-app-key", 401),
    Row("key-micro-route", "removed-alpha-app-key", 401),
    Row("key-micro-route", "alpha-app-key-as-x-api-key", 401),
    Row("key-micro-route", "alpha-app-key", 200, contains=(API_ECHO, '"path": "/things"')),
    Row("key-micro-route", "alpha-session", 200, contains=(API_ECHO,)),
    # Public routes, matched on the micro's own path: open to anyone, whatever they send.
    Row("public-route", "none", 200, contains=(SITE_ECHO, '"path": "/public/page"')),
    Row("public-route", "garbage-cookie", 200, contains=(SITE_ECHO,)),
    Row("public-route", "beta-session", 200, contains=(SITE_ECHO,)),
    Row("public-route", "space-b-gamma-session", 200, contains=(SITE_ECHO,)),
    Row("public-route", "expired-alpha-session", 200, contains=(SITE_ECHO,)),
    Row("public-route", "revoked-alpha-session", 200, contains=(SITE_ECHO,)),
    Row("public-route", "alpha-session", 200, contains=(SITE_ECHO,)),
    Row("public-route", "alpha-app-key", 200, contains=(SITE_ECHO,)),
    Row("public-route-deep", "none", 200, contains=('"path": "/public/a/b?c=d"',)),
    Row("public-route-bare-prefix", "none", 401),
    Row("public-route-exact", "none", 200, contains=('"path": "/hello"',)),
    Row("public-route-exact-subpath", "none", 401),
    Row("public-route-of-prefixed-micro", "none", 200, contains=(API_ECHO, '"path": "/open/x"')),
    Row("public-route-of-other-micro", "none", 401),
    Row("public-pattern-under-prefix", "none", 401),
    Row("public-route-dot-segments", "none", 401),
    Row("public-route-encoded-dot-segments", "none", 401),
    Row("public-route-encoded-dot-segments-upper", "none", 401),
    Row("public-route-half-encoded-dot-segments", "none", 401),
    Row("public-route-of-prefixed-micro-encoded-dots", "none", 401),
    Row("private-route-dot-segments-into-public", "none", 200, contains=('"path": "/public/x"',)),
    Row("public-micro", "none", 200),
    # The Base and Drive APIs: the instance's data key only.
    Row("base-api", "none", 401),
    Row("base-api", "garbage-key", 401),
    Row("base-api", "beta-data-key", 401),
    Row("base-api", "gamma-data-key", 401),
    Row("base-api", "revoked-alpha-data-key", 401),
    Row("base-api", "alpha-internal-key", 401),
    Row("base-api", "alpha-app-key-as-x-api-key", 401),
    Row("base-api", "alpha-session", 401),
    Row("base-api", "dashboard-session", 401),
    Row("base-api", "expired-dashboard-session", 401),
    Row("base-api", "alpha-data-key", 200, contains=(ITEM,)),
    Row("drive-api", "none", 401),
    Row("drive-api", "garbage-key", 401),
    Row("drive-api", "beta-data-key", 401),
    Row("drive-api", "gamma-data-key", 401),
    Row("drive-api", "revoked-alpha-data-key", 401),
    Row("drive-api", "alpha-internal-key", 401),
    Row("drive-api", "alpha-session", 401),
    Row("drive-api", "alpha-data-key", 200, contains=(FILE.decode(),)),
    # The browser SDK's proxy: this host's session or internal key; no public route, no app key.
    Row("browser-proxy-base", "none", 401),
    Row("browser-proxy-base", "garbage-cookie", 401),
    Row("browser-proxy-base", "beta-session", 401),
    Row("browser-proxy-base", "dashboard-session", 401),
    Row("browser-proxy-base", "space-b-gamma-session", 401),
    Row("browser-proxy-base", "expired-alpha-session", 401),
    Row("browser-proxy-base", "revoked-alpha-session", 401),
    Row("browser-proxy-base", "alpha-data-key", 401),
    Row("browser-proxy-base", "beta-internal-key", 401),
    Row("browser-proxy-base", "alpha-app-key", 401),
    Row("browser-proxy-base", "alpha-session", 200, contains=(ITEM,)),
    Row("browser-proxy-base", "alpha-internal-key", 200, contains=(ITEM,)),
    Row("browser-proxy-drive", "none", 401),
    Row("browser-proxy-drive", "beta-session", 401),
    Row("browser-proxy-drive", "alpha-app-key", 401),
    Row("browser-proxy-drive", "alpha-session", 200, contains=(FILE.decode(),)),
    Row("browser-proxy-of-public-micro", "none", 401),
    # The node's control API: its bearer token only (from loopback).
    Row("node-api", "none", 401),
    Row("node-api", "garbage-bearer", 401),
    Row("node-api", "alpha-internal-key-as-bearer", 401),
    Row("node-api", "alpha-data-key-as-bearer", 401),
    Row("node-api", "dashboard-session", 401),
    Row("node-api", "space-b-dashboard-session", 401),
    Row("node-api", "expired-dashboard-session", 401),
    Row("node-api", "revoked-dashboard-session", 401),
    Row("node-api", "node-token", 200, contains=('"running"',)),
]


# ----- the node ---------------------------------------------------------------------------------


class World:
    """The matrix node and every credential the rows use."""

    def __init__(self, node):
        self.node = node
        self.garbage_token = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

    @property
    def port(self) -> int:
        return self.node.port

    def host(self, slug: str | None) -> str:
        return f"{slug}.localhost:{self.port}" if slug else f"localhost:{self.port}"

    def values(self) -> dict:
        alpha = f"http://alpha.localhost:{self.port}"
        return {"port": self.port, "alpha": self.alpha["id"],
                "alpha_url_private": urllib.parse.quote(f"{alpha}/private", safe="-._~/"),
                "alpha_url_private_x": urllib.parse.quote(f"{alpha}/private?x=1", safe="-._~/")}

    def secrets(self) -> dict[str, str]:
        """Everything that must never be echoed, by name."""
        named = {"item": ITEM, "file": FILE.decode(), "node token": self.node_token}
        for name in ("alpha_data_key", "beta_data_key", "gamma_data_key", "revoked_data_key"):
            named[name] = getattr(self, name)
            named[name + " secret"] = getattr(self, name).split("_", 1)[1]
        for name in ("alpha_internal_key", "beta_internal_key", "gamma_internal_key", "alpha_app_key",
                     "beta_app_key", "removed_app_key", "dashboard_session", "alpha_session", "beta_session",
                     "b_dashboard_session", "gamma_session", "expired_dashboard_session", "expired_alpha_session",
                     "revoked_dashboard_session", "revoked_alpha_session"):
            named[name] = getattr(self, name)
        return named

    def sign_in(self, username: str = "owner", source: str = "127.0.0.1", open_slug: str | None = None) -> Browser:
        browser = Browser(self.port, source=source)
        status, _, body = browser.sign_in(username, PASSPHRASE)
        assert status == 303, body
        if open_slug:
            assert browser.open(open_slug) == 303, f"cannot open {open_slug}"
        return browser

    def dashboard_status(self, token: str) -> int:
        return send(self.port, "GET", "/", self.host(None), {"Cookie": f"hearth_session={token}"})[0]

    def instance_status(self, slug: str, token: str) -> int:
        return send(self.port, "GET", "/private", self.host(slug),
                    {"Cookie": f"hearth_session={token}", "Accept": "application/json"})[0]

    def fresh_session(self, credential: str) -> tuple[str, str | None]:
        """A new dashboard session (and an app session opened from it) for a sign-out row."""
        if credential == "dashboard-session":
            browser = self.sign_in(open_slug="alpha")
            return browser.session(browser.dashboard), browser.session(self.host("alpha"))
        if credential == "space-b-dashboard-session":
            browser = self.sign_in(BOB, open_slug="gamma")
            return browser.session(browser.dashboard), browser.session(self.host("gamma"))
        raise AssertionError(f"no fresh {credential}")

    def request(self, row: Row) -> tuple[int, dict, bytes, list[str], str | None, str | None]:
        family = FAMILIES[row.family]
        values = self.values()
        attribute, carrier = CREDENTIALS[row.credential]
        secret = child = None
        if attribute:
            secret = getattr(self, attribute)
            if family.form and row.ends_session:
                secret, child = self.fresh_session(row.credential)
        headers = {name: value for name, value in family.headers}
        cookies = []
        if carrier == "cookie":
            cookies.append(f"hearth_session={secret}")
        elif carrier == "bearer":
            headers["Authorization"] = f"Bearer {secret}"
        elif carrier:
            headers[carrier] = secret
        body = None
        if family.form:
            csrf = "c" * 32
            cookies.append(f"hearth_csrf={csrf}")
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urllib.parse.urlencode({"csrf": csrf if family.csrf else ""})
            if family.origin:
                headers["Origin"] = family.origin.format(**values)
        if cookies:
            headers["Cookie"] = "; ".join(cookies)
        host = f"127.0.0.1:{self.port}" if family.kind == "node" else self.host(family.slug)
        status, response_headers, content, set_cookies = send(
            self.port, family.method, family.path.format(**values), host, headers, body)
        return status, response_headers, content, set_cookies, secret, child


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with module_node(tmp_path_factory, "authmatrix", args=["--session-days", str(SHORT_SESSION_DAYS)]) as node:
        w = World(node)
        w.alpha = node.install_ok("auth-echo", "alpha")

        # Sessions that will expire: they work now, and still after the node restarts with
        # long sessions (restarting ends no session), until their time is up. The rest of
        # the setup happens meanwhile.
        expiring = w.sign_in(source="127.0.0.61", open_slug="alpha")
        signed_in = time.monotonic()  # both sessions end before signed_in + their lifetime
        w.expired_dashboard_session = expiring.session(expiring.dashboard)
        w.expired_alpha_session = expiring.session(w.host("alpha"))
        node.args = []
        node.restart()
        assert w.dashboard_status(w.expired_dashboard_session) == 200
        assert w.instance_status("alpha", w.expired_alpha_session) == 200
        assert time.monotonic() - signed_in < SHORT_SESSION_DAYS * 86400, "too slow to see the sessions live"

        w.beta = node.install_ok("auth-echo", "beta")
        node.install_ok("static-site", "pub")
        space = create_space(node.data_dir, "spaceb", BOB)
        assert space.returncode == 0, space.stderr
        gamma = node.install("auth-echo", "--name", "gamma", "--space", "spaceb", "--json")
        assert gamma.returncode == 0, gamma.stderr
        w.gamma = json.loads(gamma.stdout)

        w.node_token = json.loads((node.data_dir / "run" / "node.json").read_text())["token"]
        for name in ("alpha", "beta"):
            setattr(w, f"{name}_data_key", node.data_key(getattr(w, name)["id"]))
            setattr(w, f"{name}_internal_key", instance_secret(node.data_dir, getattr(w, name)["id"], "api.key"))
        w.gamma_data_key = instance_secret(node.data_dir, w.gamma["id"], "data.key", space="spaceb")
        w.gamma_internal_key = instance_secret(node.data_dir, w.gamma["id"], "api.key", space="spaceb")
        assert len({w.alpha_internal_key, w.beta_internal_key, w.gamma_internal_key}) == 3

        # alpha's data; a data key made then revoked.
        base = node.base_of(w.alpha["id"], "notes")
        assert base.put({"key": "secret", "value": ITEM}).status_code == 207
        assert node.drive_of(w.alpha["id"], "files").put("secret.txt", FILE).status_code == 201
        revoked = node.cli_json("key", "create", w.alpha["id"], "--name", "revoked")
        w.revoked_data_key = revoked["data_key"]
        assert base.get("secret", api_key=w.revoked_data_key).status_code == 200
        assert node.cli("key", "revoke", w.alpha["id"], "revoked").returncode == 0

        # App keys: alpha's, beta's, and one of alpha's that is removed.
        for attribute, slug, name in (("alpha_app_key", "alpha", "k"), ("beta_app_key", "beta", "k"),
                                      ("removed_app_key", "alpha", "gone")):
            result = node.app("key", "create", slug, name, "--json")
            assert result.returncode == 0, result.stderr
            setattr(w, attribute, json.loads(result.stdout)["key"])
        removed = node.app("key", "rm", "alpha", "gone")
        assert removed.returncode == 0, removed.stderr

        # Live sessions: the owner's (dashboard, alpha, beta); space B's owner's (dashboard, gamma).
        owner = w.sign_in(open_slug="alpha")
        assert owner.open("beta") == 303
        w.dashboard_session = owner.session(owner.dashboard)
        w.alpha_session, w.beta_session = owner.session(w.host("alpha")), owner.session(w.host("beta"))
        bob = w.sign_in(BOB, open_slug="gamma")
        w.b_dashboard_session, w.gamma_session = bob.session(bob.dashboard), bob.session(w.host("gamma"))

        # Revoked: a dashboard session and its alpha session, ended with `hearth session revoke`.
        revoking = w.sign_in(source="127.0.0.62", open_slug="alpha")
        w.revoked_dashboard_session = revoking.session(revoking.dashboard)
        w.revoked_alpha_session = revoking.session(w.host("alpha"))
        assert w.instance_status("alpha", w.revoked_alpha_session) == 200
        listed = node.cli_json("session", "ls")
        ids = [s["id"] for s in listed if s["address"] == "127.0.0.62" and s.get("instance") is None]
        assert len(ids) >= 1, listed
        for session_id in ids:
            result = node.cli("session", "revoke", session_id)
            assert result.returncode == 0, result.stderr

        # Until the expiring sessions have expired.
        time.sleep(max(0.0, SHORT_SESSION_DAYS * 86400 + 0.5 - (time.monotonic() - signed_in)))
        yield w


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_auth_matrix(world, row):
    status, headers, body, set_cookies, secret, child = world.request(row)
    values = world.values()
    text = body.decode("utf-8", "replace")
    seen = text + "\n" + "\n".join(f"{k}: {v}" for k, v in headers.items()) + "\n" + "\n".join(set_cookies)
    assert status == row.status, f"{row.id}: {status} {headers} {text[:300]!r}"

    if row.location is not None:
        assert headers.get("location") == row.location.format(**values), headers
    if status == 401 and FAMILIES[row.family].kind in ("instance", "data"):
        assert text == UNAUTHORIZED, text
    if status == 401 and FAMILIES[row.family].kind == "instance":
        assert headers.get("server", "").startswith("Deta"), headers  # Deta's client runtime looks for this
    wanted = [s.format(**values) for s in row.contains]
    for expected in wanted:
        assert expected in text, f"{row.id}: {expected!r} missing from {text[:300]!r}"
    for unwanted in row.absent:
        assert unwanted.format(**values) not in seen, f"{row.id}: {unwanted!r} in the response"
    for name, value in world.secrets().items():
        if value in wanted:
            continue
        assert value not in seen, f"{row.id}: the {name} is in the response: {seen[:600]!r}"
    # A micro never learns Hearth's cookies nor an app key.
    if status == 200 and FAMILIES[row.family].kind == "instance" and text.startswith("{\"micro\""):
        echoed = {name for name, _ in json.loads(text)["headers"]}
        assert "x-space-app-key" not in echoed, text
        cookie = dict(json.loads(text)["headers"]).get("cookie", "")
        assert "hearth_session" not in cookie and "hearth_csrf" not in cookie, text

    if FAMILIES[row.family].form:
        if row.ends_session:
            assert world.dashboard_status(secret) == 303, "the signed-out session still opens the dashboard"
            slug = "gamma" if row.credential.startswith("space-b") else "alpha"
            assert world.instance_status(slug, child) == 401, "an app session outlived its dashboard session"
        # Nobody else was signed out.
        assert world.dashboard_status(world.dashboard_session) == 200
        assert world.dashboard_status(world.b_dashboard_session) == 200
        assert world.instance_status("alpha", world.alpha_session) == 200
