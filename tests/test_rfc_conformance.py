"""RFC 7643/7644 conformance of the generic profile, checked by python-scim's scim2-tester."""

from __future__ import annotations

from collections import Counter

import pytest

from sandbox import create_app

scim2_tester = pytest.importorskip("scim2_tester")
from scim2_client.engines.wsgi import WSGISCIMClient  # noqa: E402
from scim2_tester.utils import Status  # noqa: E402

FAILING = {Status.ERROR, Status.CRITICAL}


@pytest.fixture(scope="module")
def results():
    app = create_app({"admin_token": "admin-secret", "demo_token": "conformance-token"})
    client = WSGISCIMClient(
        app,
        base_url="http://localhost/generic/generic-demo/scim/v2",
        headers={"Authorization": "Bearer conformance-token"},
    )
    return scim2_tester.check_server(client)


def test_scim2_tester_reports_no_error_or_critical_on_generic(results):
    failures = [f"{r.status.name} {r.title}: {r.reason}" for r in results if r.status in FAILING]
    assert not failures, "\n".join(failures)


def test_scim2_tester_exercised_users_groups_and_discovery(results):
    counts = Counter(r.status for r in results)
    print("scim2-tester:", {status.name: n for status, n in counts.items()})
    checked_types = {r.resource_type for r in results if r.status == Status.SUCCESS}
    assert {"User", "Group"} <= checked_types
    titles = {r.title for r in results}
    assert {"service_provider_config_endpoint", "query_all_resource_types", "query_all_schemas",
            "object_creation", "object_replacement", "check_add_attribute",
            "check_remove_attribute", "check_replace_attribute"} <= titles
    assert counts[Status.SUCCESS] >= 100
