"""HTTPS end to end (`hearth serve --tls`): the local authority's files, clients verifying
against it (Python `requests`, `ssl`, curl), HTTP/2 by ALPN, instance hosts by their real names,
micros making HTTPS requests to the node with `SSL_CERT_FILE`, the CLI, and a given certificate."""
from __future__ import annotations

import stat

import pytest
import requests

from apps_helpers import INSTALL_TIMEOUT, module_node  # noqa: F401
from auth_helpers import PASSPHRASE
from conftest import run_cli, unique
from tls_helpers import TLSNode, curl, handshake, localhost_names, self_signed


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    with module_node(tmp_path_factory, "tls", args=["--tls", "--sandbox", "required"], kind=TLSNode) as n:
        yield n


@pytest.fixture(scope="module")
def probe(node):
    return node.install_ok("tls-probe")


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_local_authority_is_made_with_private_keys(node):
    tls = node.data_dir / "tls"
    assert mode(tls) == 0o700
    for key in ("ca.key", "server.key"):
        assert mode(tls / key) == 0o600, key
    assert "BEGIN CERTIFICATE" in (tls / "ca.pem").read_text()
    banner = node.stdout_path.read_text()
    assert f"Hearth is running at https://localhost:{node.port}" in banner, banner
    assert str(tls / "ca.pem") in banner and "update-ca-certificates" in banner and "REQUESTS_CA_BUNDLE" in banner


def test_requests_verifying_against_the_authority_reach_the_node_and_the_base_api(node):
    assert requests.get(f"{node.url}/healthz", verify=str(node.ca), timeout=10).json() == {"status": "ok"}
    collection = node.create_collection()
    base = node.base(collection)
    assert base.put({"key": "a", "n": 1}).status_code == 207
    assert base.get("a").json() == {"key": "a", "n": 1}


def test_a_client_without_the_authority_is_refused(node):
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f"{node.url}/healthz", timeout=10)


def test_plain_http_on_the_tls_port_gets_no_answer(node):
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"http://127.0.0.1:{node.port}/healthz", timeout=10)


def test_an_instance_host_by_its_name_verifies_against_the_authority(node, probe):
    slug = probe["slug"]
    assert probe["url"] == f"https://{slug}.localhost:{node.port}"
    with localhost_names():
        response = requests.get(node.instance_url(slug, "/headers"), verify=str(node.ca), timeout=60)
    assert response.status_code == 200, response.text
    assert response.json()["x-forwarded-proto"] == "https"
    certificate, _ = handshake(node.port, f"{slug}.localhost", node.ca)
    assert certificate["subjectAltName"] == (("DNS", f"{slug}.localhost"),)
    # The node's own names get its certificate, with the domain's wildcard.
    certificate, _ = handshake(node.port, "localhost", node.ca)
    assert ("DNS", "*.localhost") in certificate["subjectAltName"]
    handshake(node.port, None, node.ca)


def test_http2_is_negotiated_and_http1_still_served(node, probe):
    assert handshake(node.port, "localhost", node.ca, alpn=["h2", "http/1.1"])[1] == "h2"
    assert handshake(node.port, "localhost", node.ca, alpn=["http/1.1"])[1] == "http/1.1"
    slug = probe["slug"]
    result = curl("--http2", "-v", "--cacert", str(node.ca), "--resolve", f"{slug}.localhost:{node.port}:127.0.0.1",
                  node.instance_url(slug, "/headers"))
    assert result.returncode == 0, result.stderr
    assert "ALPN: server accepted h2" in result.stderr or "ALPN, server accepted to use h2" in result.stderr, result.stderr
    assert "HTTP/2 200" in result.stderr, result.stderr
    # HTTP/2 streams know the client's address, as HTTP/1.1 connections do.
    assert '"x-forwarded-for": "127.0.0.1"' in result.stdout, result.stdout


def test_a_browser_signs_in_over_tls_and_opens_a_private_app(node, probe):
    """The issue's "done when": sign in over HTTPS, open a private app; a second browser without
    the session gets the sign-in page; a public route works for anyone."""
    private = node.install_ok("peer-echo")
    owner, stranger = node.trusting(requests.Session()), node.trusting(requests.Session())
    dashboard, app = f"https://localhost:{node.port}", node.instance_url(private["slug"])
    with localhost_names():
        page = owner.get(dashboard + "/login", timeout=30)
        csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        signed_in = owner.post(dashboard + "/login", data={"csrf": csrf, "username": "owner", "passphrase": PASSPHRASE},
                               allow_redirects=False, timeout=30)
        assert signed_in.status_code == 303, signed_in.text
        cookie = signed_in.headers["Set-Cookie"]
        assert cookie.startswith("__Host-hearth_session=") and "; Secure" in cookie and "HttpOnly" in cookie, cookie
        opened = owner.get(app, headers={"Accept": "text/html"}, timeout=30)
        assert opened.status_code == 200 and "connections" in opened.json(), opened.text
        assert [r.status_code for r in opened.history] == [302, 303, 303], opened.history
        assert opened.history[-1].headers["Set-Cookie"].startswith("__Host-hearth_session=")

        refused = stranger.get(app, headers={"Accept": "text/html"}, timeout=30)
        assert refused.url.startswith(dashboard + "/login") and "Sign in" in refused.text, refused.url
        assert stranger.get(app, timeout=30).status_code == 401
        public = stranger.get(node.instance_url(probe["slug"], "/headers"), timeout=30)
        assert public.status_code == 200, public.text


def test_the_cli_reaches_the_node_over_tls(node, probe):
    listing = node.listing(probe["slug"])  # asks the running node which micros run, and how
    assert listing["url"].startswith("https://") and listing["isolation"] == "sandboxed", listing
    result = node.app("restart", probe["slug"])
    assert result.returncode == 0, result.stderr


def test_micros_trust_the_node_and_the_system(node, probe):
    env = node.get_json(probe["slug"], "/env")
    bundle = env["SSL_CERT_FILE"]
    assert bundle == str(node.data_dir / "tls" / "trust.pem")
    for name in ("REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS", "CURL_CA_BUNDLE"):
        assert env[name] == bundle, name
    assert env["bundle_has_node_ca"], env
    assert env["bundle_certificates"] > 1, "the system's authorities are missing"
    # Sandboxed micros reach their own listener in plain HTTP; HTTPS works there too.
    assert env["HEARTH_API_URL"] == f"http://127.0.0.1:{node.port}"
    assert env["DETA_BASE_HOST"] == f"127.0.0.1:{node.port}"


def test_a_micro_reaches_the_node_over_https_as_detas_sdks_do(node, probe):
    slug, instance = probe["slug"], probe["id"]
    name = unique("b")
    assert node.base_of(instance, name).put({"key": "k", "v": 7}).status_code == 207
    env = node.get_json(slug, "/env")
    url = f"https://{env['DETA_BASE_HOST']}/v1/{instance}/{name}/items/k"
    fetched = node.get_json(slug, "/fetch", params={"url": url, "key": "1"}, timeout=60)
    assert fetched.get("status") == 200, fetched
    assert '"v":7' in fetched["body"].replace(" ", ""), fetched


def test_the_sdk_inside_a_micro_works_under_tls(node, probe):
    slug, instance = probe["slug"], probe["id"]
    response = node.request(slug, "PUT", "/notes/n1", json={"text": "hi"})
    assert response.status_code == 200, response.text
    assert node.get_json(slug, "/notes/n1") == {"key": "n1", "text": "hi"}
    assert node.base_of(instance, "notes").get("n1").json() == {"key": "n1", "text": "hi"}


def test_the_authoritys_key_stays_out_of_the_sandbox(node, probe):
    key = node.get_json(probe["slug"], "/read", params={"path": str(node.data_dir / "tls" / "ca.key")})
    assert key["readable"] is False, key
    bundle = node.get_json(probe["slug"], "/read", params={"path": str(node.data_dir / "tls" / "trust.pem")})
    assert bundle["readable"] is True, bundle


def test_unsandboxed_micros_use_https_and_the_sdk_works(tmp_path_factory):
    node = TLSNode(tmp_path_factory.mktemp("tls-open") / "data", args=["--tls", "--sandbox", "off"]).start()
    try:
        app = node.install_ok("tls-probe")
        env = node.get_json(app["slug"], "/env")
        assert env["HEARTH_API_URL"] == f"https://127.0.0.1:{node.port}"
        response = node.request(app["slug"], "PUT", "/notes/n2", json={"text": "open"})
        assert response.status_code == 200, response.text
        assert node.get_json(app["slug"], "/notes/n2") == {"key": "n2", "text": "open"}
        url = f"https://{env['DETA_BASE_HOST']}/v1/{app['id']}/notes/items/n2"
        assert node.get_json(app["slug"], "/fetch", params={"url": url, "key": "1"}).get("status") == 200
    finally:
        node.stop()


def test_later_starts_keep_the_authority_and_follow_the_domain(tmp_path_factory):
    node = TLSNode(tmp_path_factory.mktemp("tls-restart") / "data", args=["--tls"]).start()
    try:
        tls = node.data_dir / "tls"
        authority, server = (tls / "ca.pem").read_bytes(), (tls / "server.pem").read_bytes()
        node.restart()
        assert (tls / "ca.pem").read_bytes() == authority and (tls / "server.pem").read_bytes() == server
        node.stop()
        node.args = ["--tls", "--domain", "apps.test"]
        node.start()
        assert (tls / "ca.pem").read_bytes() == authority
        assert (tls / "server.pem").read_bytes() != server
        certificate, _ = handshake(node.port, "apps.test", node.ca)
        assert ("DNS", "*.apps.test") in certificate["subjectAltName"]
    finally:
        node.stop()


def test_a_given_certificate_is_served_to_named_clients(tmp_path_factory):
    directory = tmp_path_factory.mktemp("tls-given")
    certificate, key = self_signed(directory, "localhost")
    node = TLSNode(directory / "data", args=["--tls-cert", str(certificate), "--tls-key", str(key)]).start()
    try:
        response = requests.get(f"https://localhost:{node.port}/healthz", verify=str(certificate), timeout=10)
        assert response.json() == {"status": "ok"}
        served, protocol = handshake(node.port, "localhost", certificate, alpn=["h2"])
        assert served["subjectAltName"] == (("DNS", "localhost"),) and protocol == "h2"
        # Clients by IP address (micros, the CLI) still get the local authority's certificate.
        handshake(node.port, None, node.ca)
        app = node.install_ok("tls-probe")
        assert node.listing(app["slug"])["isolation"] is not None  # the CLI reached the node
    finally:
        node.stop()


@pytest.mark.parametrize("problem", ["mismatched key", "missing key", "garbage certificate"])
def test_a_bad_given_certificate_is_refused_before_start(tmp_path, problem):
    certificate, key = self_signed(tmp_path, "localhost")
    if problem == "mismatched key":
        other = tmp_path / "other"
        other.mkdir()
        key = self_signed(other, "localhost")[1]
    elif problem == "missing key":
        key = tmp_path / "nothing.key"
    else:
        certificate.write_text("not a certificate\n")
    result = run_cli("serve", "--data", str(tmp_path / "data"), "--port", "0", "--tls-cert", str(certificate),
                     "--tls-key", str(key), timeout=30)
    assert result.returncode != 0
    named = key if problem != "garbage certificate" else certificate
    assert str(named) in result.stderr, result.stderr
    assert not (tmp_path / "data" / "tls").exists()


@pytest.mark.parametrize("version", ["--http1.1", "--http2"])
def test_expect_continue_is_answered_over_tls(node, version):
    collection = node.create_collection()
    result = curl(version, "-v", "--cacert", str(node.ca), "--expect100-timeout", "15", "-X", "PUT",
                  "-H", "Expect: 100-continue", "-H", f"X-API-Key: {collection.data_key}", "-H", "Content-Type: application/json",
                  "--data", '{"items":[{"key":"e"}]}', "-o", "/dev/null", "-w", "%{http_code}",
                  f"{node.url}/v1/{collection.project_id}/expect/items")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "207", result.stderr
    assert " 100" in result.stderr, result.stderr  # "HTTP/1.1 100 Continue" or "HTTP/2 100"
