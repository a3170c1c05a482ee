"""The simulator's requests in the shapes Microsoft's SCIM endpoint tutorial prints
("Develop and plan provisioning for a SCIM endpoint in Microsoft Entra ID",
learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups):
the Create Group body, and Test Connection's probes of /Users and, where the app has groups,
/Groups. Every assertion reads the tenant's journal of what it received."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

from sandbox.entra import ProvisioningConfig, ProvisioningEngine, SourceDirectory
from sandbox.entra.requests import ADSCIM_GROUP_SCHEMA

GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
GUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def test_group_create_body_is_the_documented_one(tenant_of, engine_for, journal):
    """The tutorial's Create Group request: both schema URNs, the group's objectId as
    externalId, displayName, meta.resourceType, and no members (added later by PATCH)."""
    tenant = tenant_of("generic")
    directory = SourceDirectory.fake(users=4, groups=2, seed=5)
    result = engine_for(tenant).run_cycle(directory)
    assert result.ok, [e.to_dict() for e in result.failures]

    creates = [e for e in journal(tenant) if e["operation"] == "create group"]
    assert [e["request"]["body"]["displayName"] for e in creates] == [
        g.displayName for g in directory.groups]
    for create, group in zip(creates, directory.groups, strict=True):
        assert create["request"]["body"] == {
            "schemas": [GROUP_SCHEMA, ADSCIM_GROUP_SCHEMA],
            "displayName": group.displayName,
            "externalId": group.objectId,
            "meta": {"resourceType": "Group"},
        }
        assert create["status"] == 201
        stored = tenant.get(f"/Groups/{result.state.groups[group.objectId].target_id}")
        assert stored.get_json()["schemas"] == [GROUP_SCHEMA]
        assert stored.get_json()["externalId"] == group.objectId


def test_group_create_body_for_a_vendor_with_groups(tenant_of, engine_for, journal):
    """Olfeo SAAS has groups: its tenant accepts the same two-URN body."""
    tenant = tenant_of("olfeo")
    directory = SourceDirectory.fake(users=3, groups=1, seed=2)
    result = engine_for(tenant).run_cycle(directory)
    assert result.ok, [e.to_dict() for e in result.failures]
    (create,) = [e for e in journal(tenant) if e["operation"] == "create group"]
    assert create["request"]["body"]["schemas"] == [GROUP_SCHEMA, ADSCIM_GROUP_SCHEMA]
    assert create["request"]["body"]["externalId"] == directory.groups[0].objectId


def test_test_connection_probes_users_then_groups(tenant_of, engine_for, journal):
    """Where the app has groups, Test Connection also asks /Groups for a random displayName
    with members excluded; both answers are 200 ListResponses, so it succeeds."""
    tenant = tenant_of("generic")
    result = engine_for(tenant).test_connection()
    assert result.ok, result.to_dict()
    users, groups = journal(tenant)
    assert (users["method"], users["operation"]) == ("GET", "test connection")
    assert re.fullmatch(f'filter=userName eq "{GUID}"', unquote(users["query"]))
    assert (groups["method"], groups["operation"]) == ("GET", "test connection")
    assert groups["path"].endswith("/Groups")
    assert re.fullmatch(f'excludedAttributes=members&filter=displayName eq "{GUID}"',
                        unquote(groups["query"]))
    assert users["status"] == groups["status"] == 200


def test_test_connection_skips_groups_where_the_app_has_none(tenant_of, engine_for, journal):
    """Visitly has no /Groups: Test Connection asks for a user only."""
    tenant = tenant_of("visitly")
    assert engine_for(tenant).test_connection().ok
    (entry,) = journal(tenant)
    assert "/Groups" not in entry["path"]


def test_test_connection_skips_groups_when_groups_are_not_provisioned(
        tenant_of, engine_for, journal):
    """With group provisioning off, the group probe is not sent."""
    tenant = tenant_of("generic")
    assert engine_for(tenant, provision_groups=False).test_connection().ok
    assert [e["path"].endswith("/Users") for e in journal(tenant)] == [True]


def test_test_connection_fails_when_the_group_probe_fails(tenant_of, engine_for, add_fault,
                                                          journal):
    """The /Users probe answers, the /Groups probe does not: the connection is not OK and
    the result names the /Groups request."""
    tenant = tenant_of("generic")
    add_fault(tenant, resource_type="Group", status=500, times=1)
    result = engine_for(tenant).test_connection()
    assert not result.ok
    assert result.http_status == 500
    assert "/Groups" in result.request
    assert [e["status"] for e in journal(tenant)] == [200, 500]


def test_a_404_on_the_group_probe_means_no_groups():
    """A config with the default group rows against an app without /Groups: the /Users probe
    answers, /Groups is a 404 (the app has no groups), and the connection is OK."""
    sent: list[str] = []

    def endpoint(method, url, headers, body):
        sent.append(url)
        if "/Groups" in url:
            error = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
                     "status": "404", "detail": "No /Groups here."}
            return 404, {"Content-Type": "application/scim+json"}, json.dumps(error).encode()
        listed = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                  "totalResults": 0, "Resources": []}
        return 200, {"Content-Type": "application/scim+json"}, json.dumps(listed).encode()

    config = ProvisioningConfig("https://app.example.test/scim", "t")
    assert ProvisioningEngine(config, endpoint).test_connection().ok
    assert ["/Groups?" in url for url in sent] == [False, True]
