"""Helpers for the sandbox suites (test_sandbox_*.py): a node with the hostile fixture app
installed twice, and its probes as calls. The suites need root, bubblewrap and a kernel with
namespaces and cgroups (`.ci/run` installs bubblewrap); the node is started with
`--sandbox required`, so a host that cannot sandbox fails loudly instead of passing quietly."""
from __future__ import annotations

import time
from pathlib import Path

from apps_helpers import AppNode


def probe(node: AppNode, slug: str, route: str, **params) -> dict:
    """Runs one of hostile's probes and returns its JSON ({"ok": …, "result"|"error": …})."""
    response = node.get(slug, route, params=params, timeout=60)
    assert response.status_code == 200, f"{route} {params}: {response.status_code} {response.text[:500]}"
    return response.json()


def instance_groups(node: AppNode, instance_id: str) -> list[Path]:
    """The control group directories of an instance (one per cgroup v1 controller, or one v2)."""
    return [directory for directory in Path("/sys/fs/cgroup").rglob(instance_id)
            if directory.is_dir() and directory.parent.name.startswith("hearth-")]


def timed_get(node: AppNode, slug: str, path: str) -> float:
    """Seconds one request to another instance takes (and it must succeed)."""
    began = time.monotonic()
    response = node.get(slug, path, timeout=30)
    assert response.status_code == 200, response.text[:300]
    return time.monotonic() - began


def latencies_while(node: AppNode, slug: str, path: str, seconds: float) -> list[float]:
    """Request latencies of `slug` measured back to back for `seconds`."""
    samples = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        samples.append(timed_get(node, slug, path))
    return samples


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]
