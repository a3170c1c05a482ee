"""Attribute Mappings: Entra's defaults, cut down to each vendor's attribute table."""

from __future__ import annotations

import pytest
from entra_support import profile

from sandbox.constants import VERITAS_USER_SCHEMA as VERITAS
from sandbox.entra import SourceDirectory, default_group_mappings, default_mappings
from sandbox.entra.mappings import FORMATTED_NAME, IS_SOFT_DELETED, evaluate, matching_mapping

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def targets(mappings):
    return [m.target for m in mappings]


def test_entra_defaults_without_a_profile():
    mappings = default_mappings()
    assert matching_mapping(mappings).source == "userPrincipalName"
    assert matching_mapping(mappings).target == "userName"
    by_target = {m.target: m.source for m in mappings}
    assert by_target["active"] == IS_SOFT_DELETED
    assert by_target["title"] == "jobTitle"
    assert by_target['emails[type eq "work"].value'] == "mail"
    assert by_target["name.formatted"] == FORMATTED_NAME
    assert by_target["externalId"] == "mailNickname"
    assert by_target[f"{ENTERPRISE}:employeeNumber"] == "employeeId"
    assert by_target[f"{ENTERPRISE}:manager"] == "manager"
    assert f"{VERITAS}:emailAliases" not in by_target  # not in Entra's template
    assert targets(default_group_mappings()) == ["displayName", "externalId", "members"]
    assert matching_mapping(default_group_mappings()).target == "displayName"


@pytest.mark.parametrize("vendor", ["vaultplatform", "veritas"])
def test_the_defaults_cover_every_required_attribute(vendor):
    """Vault Platform's and Veritas's tables mark attributes as required; the pre-filled
    mappings must fill each of them (vendor-docs/002 and 004)."""
    mapped = set(targets(default_mappings(profile(vendor))))
    required = set(profile(vendor).raw["resource_types"]["User"]["required"])
    assert required <= mapped


def test_each_vendor_keeps_only_its_table():
    olfeo = targets(default_mappings(profile("olfeo")))
    assert olfeo == ["userName", "active", "displayName", 'emails[type eq "work"].value',
                     "preferredLanguage", "name.givenName", "name.familyName",
                     "name.formatted", "externalId"]
    veritas = targets(default_mappings(profile("veritas")))
    assert f"{VERITAS}:emailAliases" in veritas
    assert "externalId" not in veritas and "title" not in veritas
    for vendor in ("velpic", "visitly"):
        assert not any(t.startswith("urn:") for t in targets(default_mappings(profile(vendor))))
    vault = targets(default_mappings(profile("vaultplatform")))
    assert f"{ENTERPRISE}:manager" in vault and "preferredLanguage" not in vault
    assert default_group_mappings(profile("velpic")) == ()
    assert targets(default_group_mappings(profile("olfeo"))) == ["displayName", "externalId",
                                                                 "members"]


def test_expressions():
    user = SourceDirectory.fake(users=1).users[0]
    rows = {m.target: m for m in default_mappings()}
    assert evaluate(rows["active"], user) is True
    assert evaluate(rows["name.formatted"], user) == f"{user.givenName} {user.surname}"
    user.accountEnabled = False
    assert evaluate(rows["active"], user) is False
    user.jobTitle = ""
    assert evaluate(rows["title"], user) is None  # empty: nothing to send
