"""Micros of one instance calling each other server to server (spec §5.6): with
`X-API-Key: $DETA_API_KEY` through the node at `$HEARTH_API_URL`, since instance host names do
not resolve inside micros. Another instance's key, or none, does not get in."""
from __future__ import annotations

import pytest
import requests

from apps_helpers import module_node
from conftest import json_of


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    with module_node(tmp_path_factory, "siblings") as n:
        n.first = n.install_ok("two-micros")
        n.second = n.install_ok("two-micros")
        yield n


def internal_key(node, installed) -> str:
    return (node.instance_dir(installed["id"]) / "secrets" / "api.key").read_text().strip()


def test_a_micro_reaches_its_sibling_through_the_node(node):
    seen = json_of(node.request(node.first["slug"], "GET", "/call-sibling"), 200)
    assert seen == {"micro": "api", "type": "normal", "path": "/from-web"}


def test_the_internal_key_routes_into_its_own_instance(node):
    for installed in (node.first, node.second):
        response = requests.get(f"{node.url}/api/x?y=1", headers={"X-API-Key": internal_key(node, installed)}, timeout=30)
        assert json_of(response, 200) == {"micro": "api", "type": "normal", "path": "/x?y=1"}
    assert internal_key(node, node.first) != internal_key(node, node.second)


def test_paths_no_micro_claims_go_to_the_primary(node):
    response = requests.get(f"{node.url}/elsewhere", headers={"X-API-Key": internal_key(node, node.first)}, timeout=30)
    assert json_of(response, 200) == {"micro": "web", "type": "primary", "path": "/elsewhere"}


@pytest.mark.parametrize("key", ["", "wrong", "abc_def"])
def test_other_keys_reach_no_instance(node, key):
    response = requests.get(f"{node.url}/api/x", headers={"X-API-Key": key}, timeout=30)
    assert response.status_code == 404
    assert "micro" not in response.text


def test_the_data_api_is_unaffected_by_internal_keys(node):
    response = requests.get(f"{node.url}/v1/{node.first['id']}/b/items/k", headers={"X-API-Key": internal_key(node, node.first)}, timeout=30)
    assert response.status_code == 401
