"""Signing in to a node as its owner, the way a browser does (spec §5.5; Hearth's handoff).

The dashboard (`localhost:<port>`) signs the owner in and hands the session to each instance
host through a one-time token: `/open?to=<instance URL>` → `<instance>/__space/session?token=…`
→ that host's own session cookie. Requests go to 127.0.0.1 with `Host:` headers, so cookies
are carried by hand here, exactly as a browser scopes them: one per host.
"""
from __future__ import annotations

import http.client
import re
import ssl
import subprocess
import urllib.parse
from pathlib import Path

from conftest import CLI_TIMEOUT, HEARTH_BIN, HTTP_TIMEOUT

OWNER = "owner"
PASSPHRASE = "correct horse battery staple"
SESSION_COOKIE = "hearth_session"
CSRF_COOKIE = "hearth_csrf"


def create_owner(data_dir: Path, username: str = OWNER, passphrase: str = PASSPHRASE, space: str | None = None):
    """`hearth owner create` with the passphrase on stdin."""
    return subprocess.run(
        [HEARTH_BIN, "owner", "create", "--username", username, "--passphrase-stdin", "--data", str(data_dir),
         *(["--space", space] if space else [])],
        input=passphrase + "\n", capture_output=True, text=True, timeout=CLI_TIMEOUT)


def create_space(data_dir: Path, name: str, owner: str | None = None, passphrase: str = PASSPHRASE):
    """`hearth space create NAME [--owner U --passphrase-stdin]`."""
    owned = ["--owner", owner, "--passphrase-stdin"] if owner else []
    return subprocess.run([HEARTH_BIN, "space", "create", name, *owned, "--data", str(data_dir)],
                          input=passphrase + "\n" if owner else None, capture_output=True, text=True, timeout=CLI_TIMEOUT)


def send(port: int, method: str, path: str, host: str, headers: dict | None = None, body: bytes | str | None = None,
         source: str = "127.0.0.1", ca: Path | None = None) -> tuple[int, dict, bytes, list[str]]:
    """One request with `Host: host` from `source` (any 127.x address), over TLS verified against
    `ca` when given; returns the status, headers (lower-case names), body and every Set-Cookie value."""
    if ca is None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT, source_address=(source, 0))
    else:
        connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT, source_address=(source, 0),
                                                 context=ssl.create_default_context(cafile=str(ca)))
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host)
        payload = body.encode() if isinstance(body, str) else body
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if payload is not None:
            connection.putheader("Content-Length", str(len(payload)))
        connection.endheaders(payload)
        response = connection.getresponse()
        cookies = response.headers.get_all("Set-Cookie") or []
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read(), cookies
    finally:
        connection.close()


def cookie_value(set_cookies: list[str], name: str) -> str | None:
    """The value a list of Set-Cookie headers gives `name` (None if none does)."""
    for header in set_cookies:
        first = header.split(";", 1)[0]
        if first.split("=", 1)[0].strip() == name:
            return first.split("=", 1)[1]
    return None


class Browser:
    """A browser's view of one node: a cookie per host, sign-in and handoff."""

    def __init__(self, port: int, domain: str = "localhost", source: str = "127.0.0.1", ca: Path | None = None):
        self.port = port
        self.dashboard = f"{domain}:{port}"
        self.domain = domain
        self.source = source
        self.ca = ca  # a node serving TLS: verified against its authority, cookies named __Host-…
        self.scheme = "https" if ca else "http"
        self.session_cookie = f"__Host-{SESSION_COOKIE}" if ca else SESSION_COOKIE
        self.cookies: dict[str, dict[str, str]] = {}

    def request(self, method: str, host: str, path: str, headers: dict | None = None, body=None):
        jar = self.cookies.setdefault(host, {})
        headers = dict(headers or {})
        if jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        status, response_headers, content, set_cookies = send(self.port, method, path, host, headers, body, self.source, self.ca)
        for header in set_cookies:
            name, _, rest = header.split(";", 1)[0].partition("=")
            if "max-age=0" in header.lower():
                jar.pop(name.strip(), None)
            else:
                jar[name.strip()] = rest
        return status, response_headers, content

    def sign_in(self, username: str = OWNER, passphrase: str = PASSPHRASE):
        """Fills the sign-in form; returns the POST's (status, headers, body)."""
        status, _, page = self.request("GET", self.dashboard, "/login")
        assert status == 200, page
        csrf = re.search(rb'name="csrf" value="([^"]+)"', page).group(1).decode()
        form = urllib.parse.urlencode({"csrf": csrf, "username": username, "passphrase": passphrase, "next": "/"})
        return self.request("POST", self.dashboard, "/login",
                            {"Content-Type": "application/x-www-form-urlencoded"}, form)

    def open(self, slug: str, path: str = "/") -> int:
        """Opens an app from the dashboard (the handoff); returns the landing's status."""
        host = f"{slug}.{self.dashboard}"
        target = urllib.parse.quote(f"{self.scheme}://{host}{path}", safe="")
        status, headers, body = self.request("GET", self.dashboard, f"/open?to={target}")
        if status != 303:
            return status
        landing = urllib.parse.urlsplit(headers["location"])
        assert landing.netloc == host, headers["location"]
        status, _, _ = self.request("GET", host, f"{landing.path}?{landing.query}")
        return status

    def session(self, host: str) -> str | None:
        return self.cookies.get(host, {}).get(self.session_cookie)

    def sign_out(self, headers: dict | None = None):
        """Sends the dashboard's sign-out form with its CSRF token; returns (status, headers, body)."""
        form = urllib.parse.urlencode({"csrf": self.cookies.get(self.dashboard, {}).get(CSRF_COOKIE, "")})
        return self.request("POST", self.dashboard, "/logout",
                            {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}, form)


def instance_secret(data_dir: Path, instance_id: str, name: str, space: str = "default") -> str:
    """An instance's secret file: `data.key` (its data key) or `api.key` (its internal key, DETA_API_KEY)."""
    return (Path(data_dir) / "spaces" / space / "instances" / instance_id / "secrets" / name).read_text().strip()
