"""Under pytest-xdist every worker is a process with its own session: its own app, tenants
and, when asked for, its own server on a port the OS chose."""

from __future__ import annotations

import json
import sys

import pytest

xdist = pytest.importorskip(
    "xdist", reason="pytest-xdist is not installed (pip install pytest-xdist to run this test)")

INNER = """
import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest


@pytest.mark.parametrize("n", range(8))
def test_tenant(scim_tenant, scim_sandbox, n):
    live = scim_tenant("generic", live=True)
    local = scim_tenant("olfeo", seed_users=2, seed=n)
    # The same userName in every test: no test sees another's tenant, in any worker.
    assert live.client.post("/Users", json={"userName": "ann"}).status_code == 201
    assert [u["userName"] for u in live.users()] == ["ann"]
    assert len(local.users()) == 2
    assert len(scim_sandbox.registry.tenants()) == 2
    Path("results", f"{n}.json").write_text(json.dumps({
        "worker": os.environ.get("PYTEST_XDIST_WORKER"), "pid": os.getpid(),
        "port": urlsplit(live.url).port, "tenants": [live.id, local.id]}))
"""


def test_parallel_workers_are_isolated(pytester):
    pytester.mkdir("results")
    pytester.makepyfile(test_parallel=INNER)
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:hypothesispytest")
    result.assert_outcomes(passed=8)
    runs = [json.loads(p.read_text()) for p in (pytester.path / "results").iterdir()]
    assert len(runs) == 8
    workers = {run["worker"] for run in runs}
    assert len(workers) == 2, runs
    ports = {worker: {run["port"] for run in runs if run["worker"] == worker}
             for worker in workers}
    assert all(len(found) == 1 for found in ports.values())  # one server per worker
    assert len({port for found in ports.values() for port in found}) == 2
    assert len({run["pid"] for run in runs}) == 2
    tenant_ids = [tid for run in runs for tid in run["tenants"]]
    assert len(set(tenant_ids)) == len(tenant_ids)
    assert sys.modules.get("xdist") is xdist
