"""Sessions and cookies across hosts (spec §5.5; Hearth's handoff): each host's session cookie
is its own (host-only, HttpOnly, SameSite=Lax); a handoff token works once, for its instance;
signing out ends the app sessions; cross-origin unsafe requests are refused; micros never see
Hearth's credentials nor set Hearth's cookies; redirects never leave the node; one space's owner
cannot open another space's apps.

Two instances of auth-echo (`alpha`, `beta`) in the default space, one (`gamma`) in `spaceb`.
"""
from __future__ import annotations

import json
import re
import urllib.parse

import pytest

from apps_helpers import module_node
from auth_helpers import PASSPHRASE, Browser, create_space, instance_secret, send

BOB = "bob"
UNAUTHORIZED = b'{"errors":["Unauthorized"]}'


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    with module_node(tmp_path_factory, "authcookies") as n:
        n.alpha = n.install_ok("auth-echo", "alpha")
        n.beta = n.install_ok("auth-echo", "beta")
        result = create_space(n.data_dir, "spaceb", BOB)
        assert result.returncode == 0, result.stderr
        result = n.install("auth-echo", "--name", "gamma", "--space", "spaceb", "--json")
        assert result.returncode == 0, result.stderr
        n.gamma = json.loads(result.stdout)
        yield n


def signed_in(node, username: str = "owner", source: str = "127.0.0.1") -> Browser:
    browser = Browser(node.port, source=source)
    status, _, body = browser.sign_in(username, PASSPHRASE)
    assert status == 303, body
    return browser


def dashboard_cookie(browser: Browser) -> str:
    return f"hearth_session={browser.session(browser.dashboard)}"


def handoff(browser: Browser, node, slug: str, path: str = "/") -> str:
    """The landing URL `/open` sends the browser to (with its one-time token)."""
    target = urllib.parse.quote(f"http://{node.host(slug)}{path}", safe="")
    status, headers, body = browser.request("GET", browser.dashboard, f"/open?to={target}")
    assert status == 303, body
    return headers["location"]


def land(node, url: str, source: str = "127.0.0.1"):
    """Follows a landing URL as a browser without cookies for that host: (status, headers, body, set-cookies)."""
    parts = urllib.parse.urlsplit(url)
    return send(node.port, "GET", f"{parts.path}?{parts.query}", parts.netloc, source=source)


def get(node, slug: str | None, path: str = "/private", cookie: str | None = None, headers: dict | None = None,
        method: str = "GET", body=None, source: str = "127.0.0.1"):
    host = node.host(slug) if slug else f"localhost:{node.port}"
    sent = {"Accept": "application/json", **(headers or {})}
    if cookie:
        sent["Cookie"] = cookie
    return send(node.port, method, path, host, sent, body, source)


def cookie_attributes(header: str) -> tuple[str, str, dict[str, str]]:
    """A Set-Cookie header as (name, value, {lower-case attribute: value})."""
    first, *attributes = [part.strip() for part in header.split(";")]
    name, _, value = first.partition("=")
    parsed = {}
    for attribute in attributes:
        key, _, val = attribute.partition("=")
        parsed[key.lower()] = val
    return name, value, parsed


def echoed(body: bytes) -> dict[str, str]:
    """The request headers the echo micro received (the last value of each)."""
    return dict(json.loads(body)["headers"])


# ----- the cookies themselves -------------------------------------------------------------------

def test_each_landing_sets_a_host_only_httponly_lax_cookie(node):
    browser = node.browser  # the owner, signed in when the node started
    tokens = {browser.session(browser.dashboard)}
    for slug in ("alpha", "beta"):
        landing = handoff(browser, node, slug, "/some/page?x=1")
        assert urllib.parse.urlsplit(landing).netloc == node.host(slug), landing
        status, headers, _, set_cookies = land(node, landing)
        assert status == 303
        assert headers["location"] == "/some/page?x=1"
        assert headers.get("referrer-policy") == "no-referrer" and headers.get("cache-control") == "no-store", headers
        assert len(set_cookies) == 1, set_cookies
        name, value, attributes = cookie_attributes(set_cookies[0])
        assert name == "hearth_session" and len(value) >= 32
        assert "domain" not in attributes, set_cookies[0]
        assert attributes.get("path") == "/" and "httponly" in attributes and attributes.get("samesite") == "Lax"
        assert 29 * 86400 < int(attributes["max-age"]) <= 30 * 86400, set_cookies[0]
        assert "secure" not in attributes  # plain http
        tokens.add(value)
        status, _, body, _ = get(node, slug, cookie=f"hearth_session={value}")
        assert status == 200 and json.loads(body)["micro"] == "site"
    assert len(tokens) == 3, "each host has a session of its own"


def test_the_dashboard_cookies_are_host_only_httponly_lax(node):
    status, _, page, set_cookies = send(node.port, "GET", "/login", f"localhost:{node.port}")
    assert status == 200
    [csrf] = [c for c in set_cookies if c.startswith("hearth_csrf=")]
    name, value, attributes = cookie_attributes(csrf)
    assert f'name="csrf" value="{value}"'.encode() in page
    assert "domain" not in attributes and attributes.get("path") == "/" and "httponly" in attributes
    assert attributes.get("samesite") == "Lax"
    form = urllib.parse.urlencode({"csrf": value, "username": "owner", "passphrase": PASSPHRASE, "next": "/"})
    status, headers, _, set_cookies = send(
        node.port, "POST", "/login", f"localhost:{node.port}",
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"hearth_csrf={value}"}, form)
    assert status == 303 and headers["location"] == "/"
    [session] = set_cookies
    name, value, attributes = cookie_attributes(session)
    assert name == "hearth_session" and "domain" not in attributes
    assert attributes.get("path") == "/" and "httponly" in attributes and attributes.get("samesite") == "Lax"


def test_a_session_opens_only_its_own_host(node):
    browser = node.browser
    browser.open("alpha")
    browser.open("beta")
    alpha = f"hearth_session={browser.session(node.host('alpha'))}"
    beta = f"hearth_session={browser.session(node.host('beta'))}"
    dashboard = dashboard_cookie(browser)
    assert get(node, "alpha", cookie=alpha)[0] == 200
    assert get(node, "beta", cookie=beta)[0] == 200
    assert get(node, None, "/", cookie=dashboard)[0] == 200
    # alpha's cookie: not beta, not the dashboard.
    status, headers, body, _ = get(node, "beta", cookie=alpha)
    assert (status, body) == (401, UNAUTHORIZED) and headers["server"].startswith("Deta")
    status, headers, _, _ = get(node, None, "/", cookie=alpha)
    assert status == 303 and headers["location"] == "/login"
    # The dashboard's cookie opens no instance, as an API call or as a page.
    assert get(node, "alpha", cookie=dashboard)[:3:2] == (401, UNAUTHORIZED)
    status, headers, _, _ = get(node, "alpha", cookie=dashboard, headers={"Sec-Fetch-Mode": "navigate", "Accept": "text/html"})
    assert status == 302 and headers["location"].startswith(f"http://localhost:{node.port}/open?to="), headers
    # Nor does beta's open alpha, even sent along with other cookies.
    assert get(node, "alpha", cookie=f"a=1; {beta}; b=2")[0] == 401


# ----- the handoff ------------------------------------------------------------------------------

def test_a_handoff_token_works_once(node):
    landing = handoff(node.browser, node, "alpha")
    status, _, _, set_cookies = land(node, landing)
    assert status == 303 and len(set_cookies) == 1
    status, _, page, set_cookies = land(node, landing)
    assert status == 403 and set_cookies == [] and b"Sign-in link expired" in page


def test_a_handoff_token_works_only_for_its_instance(node):
    landing = urllib.parse.urlsplit(handoff(node.browser, node, "alpha"))
    status, _, page, set_cookies = send(node.port, "GET", f"{landing.path}?{landing.query}", node.host("beta"))
    assert status == 403 and set_cookies == [], page
    assert not any("hearth_session" in c for c in set_cookies)
    # Shown to the wrong host, it is spent: it no longer opens its own either.
    status, _, _, set_cookies = send(node.port, "GET", f"{landing.path}?{landing.query}", node.host("alpha"))
    assert status == 403 and set_cookies == []


@pytest.mark.parametrize("token", ["", "garbage", "A" * 32])
def test_a_made_up_handoff_token_is_refused(node, token):
    status, _, _, set_cookies = send(node.port, "GET", f"/__space/session?token={token}&next=/", node.host("alpha"))
    assert status == 403 and set_cookies == []


@pytest.mark.parametrize("next_path", ["//evil.example", "http://evil.example/", "/\\evil.example", "https:evil.example"])
def test_the_landing_never_redirects_off_its_host(node, next_path):
    landing = urllib.parse.urlsplit(handoff(node.browser, node, "alpha"))
    token = urllib.parse.parse_qs(landing.query)["token"][0]
    status, headers, _, _ = send(node.port, "GET", f"/__space/session?token={token}&next={urllib.parse.quote(next_path)}",
                                 node.host("alpha"))
    assert status == 303 and headers["location"] == "/", headers


def test_a_handoff_of_a_signed_out_session_is_refused(node):
    browser = signed_in(node)
    landing = handoff(browser, node, "alpha")
    assert browser.sign_out()[0] == 303
    status, _, _, set_cookies = land(node, landing)
    assert status == 403 and set_cookies == []


# ----- signing out ------------------------------------------------------------------------------

def test_signing_out_ends_the_app_sessions_opened_from_it(node):
    browser = signed_in(node, source="127.0.0.71")
    other = signed_in(node, source="127.0.0.72")
    for b in (browser, other):
        assert b.open("alpha") == 303 and b.open("beta") == 303
    alpha, beta = (f"hearth_session={browser.session(node.host(s))}" for s in ("alpha", "beta"))
    dashboard = dashboard_cookie(browser)
    assert get(node, "alpha", cookie=alpha)[0] == 200 and get(node, "beta", cookie=beta)[0] == 200

    status, headers, _, set_cookies = send(
        node.port, "POST", "/logout", browser.dashboard,
        {"Content-Type": "application/x-www-form-urlencoded",
         "Cookie": f"{dashboard}; hearth_csrf={browser.cookies[browser.dashboard]['hearth_csrf']}"},
        urllib.parse.urlencode({"csrf": browser.cookies[browser.dashboard]["hearth_csrf"]}))
    assert status == 303 and headers["location"] == "/login"
    [cleared] = [c for c in set_cookies if c.startswith("hearth_session=")]
    assert cookie_attributes(cleared)[1:] == ("", {"path": "/", "max-age": "0", "httponly": "", "samesite": "Lax"})

    assert get(node, "alpha", cookie=alpha)[0] == 401
    assert get(node, "beta", cookie=beta)[0] == 401
    assert get(node, None, "/", cookie=dashboard)[0] == 303
    # The other browser is still signed in everywhere.
    assert get(node, None, "/", cookie=dashboard_cookie(other))[0] == 200
    assert get(node, "alpha", cookie=f"hearth_session={other.session(node.host('alpha'))}")[0] == 200
    # The ended session cannot be handed to an app again.
    target = urllib.parse.quote(f"http://{node.host('alpha')}/", safe="")
    status, headers, _, _ = get(node, None, f"/open?to={target}", cookie=dashboard)
    assert status == 303 and headers["location"].startswith("/login?next="), headers


# ----- cross-origin requests --------------------------------------------------------------------

REFUSED_ORIGINS = [
    {"Origin": "http://beta.localhost:{port}"},
    {"Origin": "http://localhost:{port}"},
    {"Origin": "http://evil.example"},
    {"Origin": "null"},
    {"Origin": "http://alpha.localhost:1"},
    {"Origin": "https://alpha.localhost:{port}"},
    {"Sec-Fetch-Site": "same-site"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Origin": "http://alpha.localhost:{port}", "Sec-Fetch-Site": "same-site"},
]
ALLOWED_ORIGINS = [
    {},
    {"Origin": "http://alpha.localhost:{port}"},
    {"Origin": "HTTP://ALPHA.LOCALHOST:{port}"},
    {"Sec-Fetch-Site": "same-origin"},
    {"Sec-Fetch-Site": "none"},
    {"Origin": "http://alpha.localhost:{port}", "Sec-Fetch-Site": "same-origin"},
]


@pytest.fixture(scope="module")
def alpha_cookie(node):
    return node.owner_cookie("alpha")


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("origin", REFUSED_ORIGINS, ids=lambda h: ",".join(f"{k}={v}" for k, v in h.items()))
def test_a_cross_origin_unsafe_request_with_a_session_is_refused(node, alpha_cookie, method, origin):
    headers = {k: v.format(port=node.port) for k, v in origin.items()}
    status, _, body, _ = get(node, "alpha", "/private", alpha_cookie, headers, method, body="x=1")
    assert status == 403, body
    assert json.loads(body) == {"errors": ["Cross-origin request refused"]}


@pytest.mark.parametrize("method", ["POST", "DELETE"])
@pytest.mark.parametrize("origin", ALLOWED_ORIGINS, ids=lambda h: ",".join(f"{k}={v}" for k, v in h.items()) or "none")
def test_a_same_origin_unsafe_request_passes(node, alpha_cookie, method, origin):
    headers = {k: v.format(port=node.port) for k, v in origin.items()}
    status, _, body, _ = get(node, "alpha", "/private", alpha_cookie, headers, method, body="x=1")
    assert status == 200, body
    assert json.loads(body)["method"] == method


def test_a_cross_origin_read_passes(node, alpha_cookie):
    cross = {"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"}
    status, _, body, _ = get(node, "alpha", "/private", alpha_cookie, cross)
    assert status == 200 and json.loads(body)["method"] == "GET"


def test_a_cross_origin_unsafe_request_to_the_browser_proxy_is_refused(node, alpha_cookie):
    items = "/__space/v0/base/v1/dummy/notes/items"
    body = json.dumps({"items": [{"key": "planted"}]})
    sdk = {"Content-Type": "application/json", "X-API-Key": "dummy"}
    status, _, _, _ = get(node, "alpha", items, alpha_cookie, {**sdk, "Origin": f"http://beta.localhost:{node.port}"}, "PUT", body)
    assert status == 403
    status, _, found, _ = get(node, "alpha", f"{items}/planted", alpha_cookie, sdk)
    assert status == 404, found
    status, _, _, _ = get(node, "alpha", items, alpha_cookie, {**sdk, "Origin": f"http://alpha.localhost:{node.port}"}, "PUT", body)
    assert status == 207
    status, _, found, _ = get(node, "alpha", f"{items}/planted", alpha_cookie, sdk)
    assert status == 200 and json.loads(found) == {"key": "planted"}


@pytest.mark.parametrize("path", ["/login", "/logout", "/setup"])
def test_dashboard_forms_from_an_instance_origin_are_refused(node, path):
    browser = node.browser
    csrf = browser.cookies[browser.dashboard]["hearth_csrf"]
    form = urllib.parse.urlencode({"csrf": csrf, "username": "owner", "passphrase": PASSPHRASE, "next": "/"})
    status, _, _, set_cookies = send(
        node.port, "POST", path, browser.dashboard,
        {"Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://alpha.localhost:{node.port}",
         "Cookie": f"{dashboard_cookie(browser)}; hearth_csrf={csrf}"}, form)
    assert status == (303 if path == "/setup" else 403)  # the node has its owner: /setup just sends to /login
    assert not any(c.startswith("hearth_session=") for c in set_cookies)
    assert get(node, None, "/", cookie=dashboard_cookie(browser))[0] == 200  # not signed out


# ----- what micros see and set ------------------------------------------------------------------

def test_micros_never_see_hearths_cookies(node, alpha_cookie):
    cookie = f"theme=dark; {alpha_cookie}; hearth_csrf=zzz; __Host-hearth_session=qqq; hearth_session_x=1; other=2"
    status, _, body, _ = get(node, "alpha", "/private", cookie)
    assert status == 200, body
    assert echoed(body)["cookie"] == "theme=dark; hearth_session_x=1; other=2"
    # Only Hearth's cookies: no Cookie header at all.
    status, _, body, _ = get(node, "alpha", "/private", alpha_cookie)
    assert status == 200 and "cookie" not in echoed(body), body


def test_micros_never_see_the_key_that_let_the_request_in(node, alpha_cookie):
    internal = instance_secret(node.data_dir, node.alpha["id"], "api.key")
    status, _, body, _ = get(node, "alpha", "/private", headers={"X-API-Key": internal})
    assert status == 200 and "x-api-key" not in echoed(body) and internal.encode() not in body
    status, _, body, _ = get(node, "alpha", "/private", headers={"X-Space-App-Key": internal})
    assert status == 200 and "x-space-app-key" not in echoed(body) and internal.encode() not in body
    created = node.app("key", "create", "alpha", "hygiene", "--json")
    assert created.returncode == 0, created.stderr
    app_key = json.loads(created.stdout)["key"]
    status, _, body, _ = get(node, "alpha", "/api/x", headers={"X-Space-App-Key": app_key})
    assert status == 200 and json.loads(body)["micro"] == "api"
    assert "x-space-app-key" not in echoed(body) and app_key.encode() not in body
    # With a session, an X-Space-App-Key is still withheld; the SDK's dummy X-API-Key is not a credential.
    status, _, body, _ = get(node, "alpha", "/private", alpha_cookie, {"X-Space-App-Key": app_key, "X-API-Key": "dummy"})
    assert status == 200 and "x-space-app-key" not in echoed(body) and echoed(body).get("x-api-key") == "dummy"


def test_micros_are_told_the_real_client_host_and_scheme(node, alpha_cookie):
    spoofed = {"X-Forwarded-For": "6.6.6.6", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"}
    status, _, body, _ = get(node, "alpha", "/private", alpha_cookie, spoofed, source="127.0.0.44")
    assert status == 200, body
    headers = json.loads(body)["headers"]
    assert [v for k, v in headers if k == "x-forwarded-for"] == ["127.0.0.44"]
    assert [v for k, v in headers if k == "x-forwarded-host"] == [node.host("alpha")]
    assert [v for k, v in headers if k == "x-forwarded-proto"] == ["http"]
    assert [v for k, v in headers if k == "host"] == [node.host("alpha")]


@pytest.mark.parametrize("path, signed", [("/set-cookies", True), ("/public/set-cookies", False)])
def test_micro_cookies_stay_on_the_instance_host_and_cannot_be_hearths(node, alpha_cookie, path, signed):
    status, _, body, set_cookies = get(node, "alpha", path, alpha_cookie if signed else None)
    assert status == 200, body
    assert set_cookies == ["plain=1; Path=/", "scoped=2; Path=/; HttpOnly", "dotted=3; Path=/"]
    # The micro's forged hearth_session replaced nothing: the real one still works.
    assert get(node, "alpha", "/private", alpha_cookie)[0] == 200


# ----- redirects stay on the node ---------------------------------------------------------------

OFF_NODE_NEXT = ["//evil.example", "//evil.example/path", "http://evil.example/", "https://evil.example",
                 "/\\evil.example", "\\\\evil.example", "javascript:alert(1)", "/\r\nLocation: http://evil.example",
                 "evil.example"]


def assert_local(location: str):
    assert location.startswith("/") and not location.startswith("//") and "\\" not in location, location
    assert "\r" not in location and "\n" not in location
    assert urllib.parse.urlsplit(location).netloc == "", location


@pytest.mark.parametrize("next_path", OFF_NODE_NEXT)
def test_login_next_never_leaves_the_node(node, next_path):
    query = f"/login?next={urllib.parse.quote(next_path, safe='')}"
    # Signed in: /login goes straight to `next`.
    status, headers, _, _ = get(node, None, query, cookie=f"hearth_session={node.browser.session(node.browser.dashboard)}")
    assert status == 303
    assert_local(headers["location"])
    assert headers["location"] == "/"
    # Signed out: the form carries `/` on.
    status, _, page, _ = get(node, None, query)
    assert status == 200 and b'name="next" value="/"' in page


@pytest.mark.parametrize("next_path", ["//evil.example", "http://evil.example/"])
def test_signing_in_with_an_off_node_next_stays_on_the_node(node, next_path):
    browser = Browser(node.port)
    status, _, page = browser.request("GET", browser.dashboard, "/login")
    csrf = re.search(rb'name="csrf" value="([^"]+)"', page).group(1).decode()
    form = urllib.parse.urlencode({"csrf": csrf, "username": "owner", "passphrase": PASSPHRASE, "next": next_path})
    status, headers, _ = browser.request("POST", browser.dashboard, "/login",
                                         {"Content-Type": "application/x-www-form-urlencoded"}, form)
    assert status == 303 and headers["location"] == "/", headers
    assert browser.session(browser.dashboard)


def test_login_next_keeps_a_local_path(node):
    cookie = f"hearth_session={node.browser.session(node.browser.dashboard)}"
    status, headers, _, _ = get(node, None, "/login?next=/open%3Fto%3Dx", cookie=cookie)
    assert status == 303 and headers["location"] == "/open?to=x"


@pytest.mark.parametrize("uri", ["http://evil.example/", "https://evil.example/x?y=1", "//evil.example"])
def test_login_redirect_uri_never_leaves_the_node(node, uri):
    cookie = f"hearth_session={node.browser.session(node.browser.dashboard)}"
    status, headers, _, _ = get(node, None, f"/login?redirect_uri={urllib.parse.quote(uri, safe='')}", cookie=cookie)
    assert status == 303
    assert_local(headers["location"])


OFF_NODE_TO = ["http://evil.example/", "https://evil.example/", "//evil.example/", "http://alpha.localhost.evil.example:{port}/",
               "http://evil.example@alpha.localhost:{port}/", "http://alpha.localhost:{port}@evil.example/",
               "javascript:alert(1)", "http://evil.example/?next=http://alpha.localhost:{port}/",
               "http://localhost:{port}/", "http://a.alpha.localhost:{port}/", "http://nosuchapp.localhost:{port}/"]


@pytest.mark.parametrize("to", OFF_NODE_TO)
def test_open_never_redirects_off_the_node(node, to):
    to = to.format(port=node.port)
    cookie = f"hearth_session={node.browser.session(node.browser.dashboard)}"
    status, headers, page, _ = get(node, None, f"/open?to={urllib.parse.quote(to, safe='')}", cookie=cookie)
    assert status == 404 and "location" not in headers, headers
    assert b"token" not in page
    # Signed out: to the sign-in page, on the node.
    status, headers, _, _ = get(node, None, f"/open?to={urllib.parse.quote(to, safe='')}")
    assert status == 303
    assert_local(headers["location"])
    assert headers["location"].startswith("/login?next=")


@pytest.mark.parametrize("authority", ["alpha.localhost:1", "alpha.localhost"])
def test_open_hands_tokens_only_to_the_nodes_own_port(node, authority):
    """An instance's host name on another port is another server: no token may go there."""
    cookie = f"hearth_session={node.browser.session(node.browser.dashboard)}"
    to = f"http://{authority}/"
    status, headers, _, _ = get(node, None, f"/open?to={urllib.parse.quote(to, safe='')}", cookie=cookie)
    location = urllib.parse.urlsplit(headers.get("location", ""))
    if status == 303 and location.netloc != node.host("alpha"):
        # Whoever listens there got a token that signs in to alpha on this node:
        stolen = send(node.port, "GET", f"{location.path}?{location.query}", node.host("alpha"))
        pytest.fail(f"/open?to={to} -> {status} Location {headers['location']}; that token on "
                    f"{node.host('alpha')} -> {stolen[0]} Set-Cookie {stolen[3]}")
    assert status == 404 or location.netloc == node.host("alpha"), f"{status} {headers}"


# ----- two spaces -------------------------------------------------------------------------------

def test_another_spaces_owner_cannot_open_this_spaces_apps(node):
    bob = signed_in(node, BOB, source="127.0.0.81")
    status, headers, page = bob.request("GET", bob.dashboard, "/api/v1/instances", {"X-Hearth-Dashboard": "1"})
    assert status == 200 and node.host("gamma").encode() in page
    assert node.host("alpha").encode() not in page and node.host("beta").encode() not in page
    for slug in ("alpha", "beta"):
        target = urllib.parse.quote(f"http://{node.host(slug)}/", safe="")
        status, headers, _ = bob.request("GET", bob.dashboard, f"/open?to={target}")
        assert status == 404 and "location" not in headers, headers
        assert bob.session(node.host(slug)) is None
        assert get(node, slug, cookie=dashboard_cookie(bob))[0] == 401
    assert bob.open("gamma") == 303
    gamma = f"hearth_session={bob.session(node.host('gamma'))}"
    assert get(node, "gamma", cookie=gamma)[0] == 200
    assert get(node, "alpha", cookie=gamma)[0] == 401
    # A token bob gets for gamma does nothing on alpha.
    landing = urllib.parse.urlsplit(handoff(bob, node, "gamma"))
    status, _, _, set_cookies = send(node.port, "GET", f"{landing.path}?{landing.query}", node.host("alpha"))
    assert status == 403 and set_cookies == []
    # And the other way round: the default space's owner cannot open gamma.
    owner = node.browser
    target = urllib.parse.quote(f"http://{node.host('gamma')}/", safe="")
    status, headers, _ = owner.request("GET", owner.dashboard, f"/open?to={target}")
    assert status == 404 and "location" not in headers
    assert get(node, "gamma", cookie=dashboard_cookie(owner))[0] == 401
