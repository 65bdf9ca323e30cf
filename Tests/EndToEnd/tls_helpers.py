"""Helpers for the TLS suite (test_tls.py): a node serving HTTPS (`hearth serve --tls`), clients
verifying it against the node's local authority, and names under `localhost` resolved to
loopback the way browsers resolve them."""
from __future__ import annotations

import contextlib
import socket
import ssl
import subprocess
from pathlib import Path
from unittest import mock

import requests

from apps_helpers import AppNode
from conftest import BaseClient


class TLSNode(AppNode):
    """A node started with `--tls` (or a given certificate): every client verifies it."""

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def ca(self) -> Path:
        return self.data_dir / "tls" / "ca.pem"

    @property
    def tls_ca(self) -> Path:
        return self.ca

    @property
    def verify(self) -> str:
        """Clients by IP address get the local authority's certificate, even beside a given one."""
        return str(self.ca)

    def start(self) -> "TLSNode":
        super().start()
        self.trusting(self.session)  # AppNode's requests go to 127.0.0.1: the local authority's certificate
        return self

    def trusting(self, session: requests.Session) -> requests.Session:
        """`session` verifying against the node's authority only (not REQUESTS_CA_BUNDLE from the
        environment, which requests would prefer to the session's own setting)."""
        session.trust_env = False
        session.verify = str(self.ca)
        return session

    def base(self, *args, **kwargs) -> BaseClient:
        client = super().base(*args, **kwargs)
        self.trusting(client.session)
        return client

    def base_of(self, instance_id: str, name: str, data_key: str | None = None) -> BaseClient:
        client = super().base_of(instance_id, name, data_key)
        self.trusting(client.session)
        return client

    def instance_url(self, slug: str, path: str = "/") -> str:
        return f"https://{slug}.localhost:{self.port}{path}"


@contextlib.contextmanager
def localhost_names():
    """Resolves every `*.localhost` name to 127.0.0.1 in this process, as browsers do, so a
    request names the instance host itself (in SNI and Host)."""
    real = socket.getaddrinfo

    def resolve(host, *args, **kwargs):
        if isinstance(host, str) and host.endswith(".localhost"):
            host = "127.0.0.1"
        return real(host, *args, **kwargs)

    with mock.patch("socket.getaddrinfo", resolve):
        yield


def handshake(port: int, server_name: str | None, cafile: Path, alpn: list[str] | None = None) -> tuple[dict, str | None]:
    """A TLS handshake with the node verifying against `cafile`: the peer certificate and the
    negotiated application protocol."""
    context = ssl.create_default_context(cafile=str(cafile))
    if server_name is None:
        context.check_hostname = False  # an IP address is then checked below
    if alpn:
        context.set_alpn_protocols(alpn)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=server_name) as tls:
            certificate = tls.getpeercert()
            if server_name is None:
                assert ("IP Address", "127.0.0.1") in certificate["subjectAltName"], certificate
            return certificate, tls.selected_alpn_protocol()


def curl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["curl", "-sS", "--max-time", "20", *args], capture_output=True, text=True, timeout=30)


def self_signed(directory: Path, *names: str) -> tuple[Path, Path]:
    """A self-signed P-256 certificate for `names` (DNS names or IP addresses) and its key."""
    certificate, key = directory / "given.pem", directory / "given.key"
    alt = ",".join(f"IP:{n}" if n[0].isdigit() or ":" in n else f"DNS:{n}" for n in names)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", str(key), "-out", str(certificate), "-days", "30", "-subj", f"/CN={names[0]}",
                    "-addext", f"subjectAltName={alt}"], check=True, capture_output=True)
    return certificate, key
