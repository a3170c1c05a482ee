"""Failures as Entra's provisioning logs show them: an error code, with the HTTP status and
the SCIM `status`, `scimType` and `detail` the endpoint returned."""

from __future__ import annotations

import json

import pytest
from entra_support import profile

from sandbox.entra import (
    Action,
    ProvisioningConfig,
    ProvisioningEngine,
    SourceDirectory,
    Status,
    TransportError,
    default_mappings,
)
from sandbox.entra.log import INVALID_CREDENTIALS


def test_test_connection_succeeds(tenant_of, engine_for, journal):
    tenant = tenant_of("veritas")
    result = engine_for(tenant).test_connection()
    assert result.ok and result.error_code is None and result.http_status == 200
    (entry,) = journal(tenant)
    assert entry["operation"] == "test connection"
    assert entry["query"].startswith("filter=userName")


@pytest.mark.parametrize("vendor", ["generic", "visitly", "vaultplatform"])
def test_test_connection_with_a_wrong_token(vendor, tenant_of, engine_for):
    tenant = tenant_of(vendor)
    result = engine_for(tenant, token="not-the-token").test_connection()
    assert not result.ok
    assert result.error_code == (
        "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable")
    assert result.message == INVALID_CREDENTIALS
    assert result.http_status == 401 and result.scim_status == "401"
    assert result.detail  # the endpoint's own words


def test_test_connection_needs_a_list_response():
    def not_scim(method, url, headers, body):
        return 200, {"Content-Type": "text/html"}, b"<html>Welcome</html>"

    engine = ProvisioningEngine(ProvisioningConfig("https://example.test/scim", "t"), not_scim)
    result = engine.test_connection()
    assert not result.ok
    assert result.error_code == "SystemForCrossDomainIdentityManagementServiceIncompatible"


def test_test_connection_without_an_answer():
    def refused(method, url, headers, body):
        raise TransportError("cannot reach it: connection refused")

    def slow(method, url, headers, body):
        raise TransportError("no answer within 1 s", timeout=True)

    config = ProvisioningConfig("https://example.test/scim", "t")
    result = ProvisioningEngine(config, refused).test_connection()
    assert not result.ok and "connection refused" in result.message
    assert result.error_code == "SystemForCrossDomainIdentityManagementServiceUnavailable"
    assert ProvisioningEngine(config, slow).test_connection().error_code == "Timeout"


def test_a_500_on_create_is_a_failure_with_the_scim_detail(tenant_of, engine_for, add_fault):
    tenant = tenant_of("olfeo")
    add_fault(tenant, operation="create user", status=500, times=1,
              detail="Le service est indisponible.")
    directory = SourceDirectory.fake(users=3, seed=1)
    result = engine_for(tenant).run_cycle(directory)
    (failure,) = result.failures
    assert (failure.action, failure.status) == (Action.CREATE, Status.FAILURE)
    assert failure.error_code == "SystemForCrossDomainIdentityManagementServiceUnavailable"
    assert failure.http_status == 500 and failure.scim_status == "500"
    assert failure.detail == "Le service est indisponible."
    assert (failure.method, failure.path) == ("POST", "/Users")
    assert failure.display_name == directory.users[0].displayName
    assert result.count(Action.CREATE, Status.SUCCESS) == 2  # the others go on
    # Not anchored, so the next cycle tries again from the match query.
    retry = engine_for(tenant).run_cycle(directory, result.state)
    assert [(e.action, e.status) for e in retry.entries] == [(Action.CREATE, Status.SUCCESS)]


@pytest.mark.parametrize(("status", "scim_type", "code"), [
    (400, "invalidSyntax", "SystemForCrossDomainIdentityManagementServiceIncompatible"),
    (400, "invalidValue", "SystemForCrossDomainIdentityManagementBadRequest"),
    (409, "uniqueness", "EntryConflict"),
    (403, None, "InsufficientRights"),
    (503, None, "SystemForCrossDomainIdentityManagementServiceUnavailable"),
])
def test_error_codes(status, scim_type, code, tenant_of, engine_for, add_fault):
    tenant = tenant_of("generic")
    add_fault(tenant, operation="create user", status=status, scim_type=scim_type)
    result = engine_for(tenant).run_cycle(SourceDirectory.fake(users=1))
    (failure,) = result.failures
    assert failure.error_code == code
    assert failure.scim_type == scim_type and failure.http_status == status


def test_a_failed_match_query_is_logged_as_other(tenant_of, engine_for, add_fault):
    tenant = tenant_of("generic")
    add_fault(tenant, operation="match query", status=400, scim_type="invalidFilter",
              detail="Filter not supported.")
    (failure,) = engine_for(tenant).run_cycle(SourceDirectory.fake(users=1)).entries
    assert (failure.action, failure.status) == (Action.OTHER, Status.FAILURE)
    assert failure.method == "GET" and failure.path.startswith("/Users?filter=")
    assert failure.error_code == "SystemForCrossDomainIdentityManagementBadRequest"
    assert failure.detail == "Filter not supported."


def test_a_missing_required_attribute_names_it(tenant_of, engine_for):
    """Remove the title mapping for Vault Platform, whose table requires title: its answer
    is a 400 invalidValue naming the attribute (DESIGN, vendors)."""
    tenant = tenant_of("vaultplatform")
    mappings = tuple(m for m in default_mappings(profile("vaultplatform"))
                     if m.target != "title")
    result = engine_for(tenant, user_mappings=mappings).run_cycle(SourceDirectory.fake(users=1))
    (failure,) = result.failures
    assert failure.error_code == "SystemForCrossDomainIdentityManagementBadRequest"
    assert failure.scim_type == "invalidValue" and "title" in failure.detail


def test_a_429_is_retried_once_after_retry_after(tenant_of, engine_for, add_fault, journal,
                                                 sleeps):
    tenant = tenant_of("generic")
    add_fault(tenant, operation="create user", status=429, retry_after=2, times=1)
    result = engine_for(tenant).run_cycle(SourceDirectory.fake(users=1))
    assert result.ok and sleeps == [2.0]
    statuses = [(e["operation"], e["status"]) for e in journal(tenant)]
    assert statuses == [("match query", 200), ("create user", 429), ("create user", 201)]


def test_retry_after_is_capped_and_a_second_429_fails(tenant_of, engine_for, add_fault,
                                                      sleeps):
    tenant = tenant_of("generic")
    add_fault(tenant, operation="create user", status=429, retry_after=3600)
    (failure,) = engine_for(tenant, max_retry_after=0.5).run_cycle(
        SourceDirectory.fake(users=1)).failures
    assert sleeps == [0.5]
    assert failure.error_code == "SystemForCrossDomainIdentityManagementThrottled"


def test_an_account_deleted_behind_entras_back(tenant_of, engine_for):
    tenant = tenant_of("generic")
    engine = engine_for(tenant)
    directory = SourceDirectory.fake(users=1)
    first = engine.run_cycle(directory)
    target = first.state.users[directory.users[0].objectId].target_id
    assert tenant.delete(f"/Users/{target}").status_code == 204
    directory.disable(directory.users[0].objectId)
    (failure,) = engine.run_cycle(directory, first.state).failures
    assert (failure.action, failure.error_code, failure.http_status) == (
        Action.DISABLE, "InvalidAnchor", 404)


def test_duplicate_matches(tenant_of):
    listing = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
               "totalResults": 2, "Resources": [{"id": "1"}, {"id": "2"}]}

    def two(method, url, headers, body):
        return 200, {}, json.dumps(listing).encode()

    engine = ProvisioningEngine(ProvisioningConfig("https://example.test/scim", "t"), two)
    (failure,) = engine.run_cycle(SourceDirectory.fake(users=1)).entries
    assert failure.error_code == "DuplicateTargetEntries"


def test_a_create_without_an_id_is_incompatible():
    def answers(method, url, headers, body):
        if method == "GET":
            return 200, {}, b'{"totalResults": 0, "Resources": []}'
        return 201, {}, b'{"userName": "no id here"}'

    engine = ProvisioningEngine(ProvisioningConfig("https://example.test/scim", "t"), answers)
    (failure,) = engine.run_cycle(SourceDirectory.fake(users=1)).entries
    assert failure.action == Action.CREATE and failure.status == Status.FAILURE
    assert failure.error_code == "SystemForCrossDomainIdentityManagementServiceIncompatible"
