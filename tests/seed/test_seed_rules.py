"""Seeding a profile with rules: seed data is what the vendor's app already holds, so it fits
the profile's value rules and the group-operation rules (which govern provisioning clients)
do not refuse it.

Each rule kind's test profile (tests/rules/profiles) is seeded through the admin API, and
every seeded user and group is then written back through its SCIM URL, where the rules
check it as they check a client's write.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from scim_client import ROOT, Tenant, admin_headers, make_app, new_tenant

from sandbox.scim.errors import ScimError
from sandbox.scim.schema import USER_SCHEMA
from sandbox.service import TenantRegistry
from sandbox.service.seed_conformance import seed_conformer
from sandbox.service.seeding import seed_from_request, seed_tenant
from sandbox.vendors import bundled_vendors_dir, load_profiles
from sandbox.vendors.loader import profile_from_dict

RULE_PROFILES = Path(__file__).resolve().parents[1] / "rules" / "profiles"
KINDS = sorted(path.stem for path in RULE_PROFILES.glob("*.toml"))
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    return make_app(vendors_dirs=[RULE_PROFILES]).test_client()


def vendor_of(kind: str) -> str:
    return "rule-" + kind.replace("_", "-")


def scim(client: FlaskClient, tenant: Tenant, method: str, path: str,
         body: Any = None) -> Any:
    """A SCIM request after moving the sandbox clock past any rate limit's window, so the
    rate_limit profile answers as the others do."""
    client.post("/_sandbox/clock", json={"advance_seconds": 60}, headers=admin_headers())
    return getattr(tenant, method)(path, body) if body is not None \
        else getattr(tenant, method)(path)


def listed(client: FlaskClient, tenant: Tenant, path: str) -> list[dict[str, Any]]:
    response = scim(client, tenant, "get", f"{path}?count=100")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json().get("Resources", [])


@pytest.mark.parametrize("kind", KINDS)
def test_every_rule_profile_seeds_ten_users_and_its_groups(client, kind):
    tenant = new_tenant(client, vendor_of(kind))
    response = client.post(f"/_sandbox/tenants/{tenant.id}/seed", headers=admin_headers(),
                           json={"users": 10, "groups": 3, "seed": 5})
    assert response.status_code == 200, response.get_data(as_text=True)
    answer = response.get_json()
    expected_groups = 2 if kind == "max_groups" else 3  # the profile allows two
    assert (answer["users"], answer["groups"]) == (10, expected_groups)
    assert answer["resources"] == {"User": 10, "Group": expected_groups}
    users = listed(client, tenant, "/Users")
    groups = listed(client, tenant, "/Groups")
    assert (len(users), len(groups)) == (10, expected_groups)
    for user in users:  # a real change, so the whole user is checked against the rules
        changed = scim(client, tenant, "patch_ops", f"/Users/{user['id']}",
                       {"op": "replace", "path": "nickName", "value": "Seeded"})
        assert changed.status_code == 200, (user, changed.get_data(as_text=True))
    for group in groups:  # written back as it is: a PUT checks every value again
        body = {k: v for k, v in group.items() if k not in ("id", "meta")}
        body["members"] = [{"value": m["value"]} for m in group.get("members", ())]
        written = scim(client, tenant, "put", f"/Groups/{group['id']}", body)
        assert written.status_code == 200, (group, written.get_data(as_text=True))


def test_max_groups_stops_at_the_maximum_and_says_so(client):
    tenant = new_tenant(client, vendor_of("max_groups"))
    first = client.post(f"/_sandbox/tenants/{tenant.id}/seed", headers=admin_headers(),
                        json={"users": 4, "groups": 5}).get_json()
    assert first["groups"] == 2
    assert any("max_groups" in note and "2 of the 5" in note for note in first["notes"])
    second = client.post(f"/_sandbox/tenants/{tenant.id}/seed", headers=admin_headers(),
                         json={"users": 1, "groups": 1}).get_json()
    assert second["groups"] == 0 and second["resources"]["Group"] == 2
    assert any("0 of the 1" in note for note in second["notes"])


def test_a_seeded_tenant_of_a_no_group_create_profile_still_refuses_clients(client):
    """Seeded groups stand for groups made in the app; a client's group create is still
    refused by no_group_create."""
    response = client.post("/_sandbox/tenants", headers=admin_headers(), json={
        "vendor": vendor_of("no_group_create"), "seed": {"users": 3, "groups": 2}})
    assert response.status_code == 201, response.get_data(as_text=True)
    made = response.get_json()
    tenant = Tenant(client, made["id"], made["vendor"], made["token"], made["tenant_url"],
                    made["tenant_url"].removeprefix(ROOT), made)
    assert len(listed(client, tenant, "/Groups")) == 2
    refused = scim(client, tenant, "post", "/Groups",
                   {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                    "displayName": "From a client"})
    assert refused.status_code == 403


# Value rules on attributes the seed fills (profiles written here) ------------------------


def registry_with(rules: list[dict[str, Any]], *, group_rules: bool = True,
                  settings: dict[str, Any] | None = None) -> TenantRegistry:
    profile = profile_from_dict({
        "id": "ruled", "name": "Ruled", "tenant_url": "/ruled/{tenant}/scim",
        "resource_types": {
            "User": {"endpoint": "/Users", "schema": USER_SCHEMA, "extensions": [ENTERPRISE],
                     "unique": ["userName"]},
            **({"Group": {"endpoint": "/Groups",
                          "schema": "urn:ietf:params:scim:schemas:core:2.0:Group",
                          "unique": ["displayName"]}} if group_rules else {}),
        },
        "rules": rules,
        **({"settings": settings} if settings else {}),
    })
    return TenantRegistry({**load_profiles(bundled_vendors_dir()), "ruled": profile})


def stored(registry: TenantRegistry, tenant: Any, rtype: str = "User") -> list[dict]:
    return list(registry.store.all(tenant.id, rtype))


def test_shortened_user_names_stay_unique_across_runs():
    registry = registry_with([{"kind": "max_length", "attribute": "userName", "max": 16}])
    tenant = registry.create_tenant("ruled")
    first = seed_tenant(tenant, users=150, seed=2)
    second = seed_tenant(tenant, users=150, seed=2)
    names = [user["userName"] for user in stored(registry, tenant)]
    assert first["users"] == second["users"] == 150 and len(names) == 300
    assert all(len(name) <= 16 and name.endswith("@example.com") for name in names)
    assert len({name.casefold() for name in names}) == 300
    assert any("userName" in note and "max_length" in note for note in first["notes"])


def test_shortened_group_names_stay_unique():
    """French department names are long ("Ressources humaines"); cut to 8 characters, the
    round number ("Ventes 2") is kept and names that would clash get a mark."""
    registry = registry_with([{"kind": "max_length", "attribute": "displayName", "max": 8}])
    tenant = registry.create_tenant("ruled")
    summary = seed_tenant(tenant, users=30, groups=30, locale="fr_FR")
    names = [group["displayName"] for group in stored(registry, tenant, "Group")]
    assert summary["groups"] == len(names) == 30
    assert all(len(name) <= 8 for name in names), names
    assert len({name.casefold() for name in names}) == 30, names


def test_user_names_move_into_the_tenants_verified_domain_and_emails_follow():
    registry = registry_with([{"kind": "verified_domain_required"},
                              {"kind": "email_equals_username"}])
    tenant = registry.create_tenant("ruled")
    registry.update_settings(tenant.id, {"verified_domains": ["acme.test"]})
    assert seed_tenant(tenant, users=20)["users"] == 20
    for user in stored(registry, tenant):
        assert user["userName"].endswith("@acme.test")
        assert [e["value"] for e in user["emails"]] == [user["userName"]]


def test_no_verified_domain_refuses_the_seed_before_writing_anything():
    """userName is required: it is never left out, so a tenant with no verified domain (a
    profile whose own default is none) cannot be seeded, and the 400 names the rule."""
    registry = registry_with([{"kind": "verified_domain_required"}],
                             settings={"verified_domains": {"default": []}})
    tenant = registry.create_tenant("ruled")
    assert tenant.settings["verified_domains"] == []
    with pytest.raises(ScimError) as refused:
        seed_from_request(tenant, {"users": 5, "groups": 2})
    assert refused.value.status == 400
    assert "verified_domain_required" in refused.value.detail
    assert tenant.counts() == {"User": 0, "Group": 0}


def test_formats_and_allowed_values_are_met_and_a_misfit_optional_value_is_left_out():
    registry = registry_with([
        {"kind": "value_format", "attribute": "preferredLanguage", "format": "iso639"},
        {"kind": "allowed_values", "attribute": "title", "values": ["Engineer", "Manager"]},
        {"kind": "value_format", "attribute": "displayName", "format": "email"},
        {"kind": "value_format", "attribute": "userName", "format": "no_digits"},
        {"kind": "value_format", "attribute": "addresses[type eq \"work\"].country",
         "format": "iso3166_alpha2"},
    ])
    tenant = registry.create_tenant("ruled")
    summary = seed_tenant(tenant, users=40, locale="de_DE")
    users = stored(registry, tenant)
    assert summary["users"] == len(users) == 40
    assert {user["preferredLanguage"] for user in users} == {"de"}
    assert {user["title"] for user in users} == {"Engineer", "Manager"}
    assert all("displayName" not in user for user in users)
    assert any("displayName: left out of 40 users" in note for note in summary["notes"])
    assert not any(c.isdigit() for user in users for c in user["userName"])
    assert len({user["userName"] for user in users}) == 40
    assert {user["addresses"][0]["country"] for user in users} == {"DE"}


def test_bcp47_tags_and_lowercase_rules_are_met():
    registry = registry_with([
        {"kind": "value_format", "attribute": "preferredLanguage", "format": "bcp47"},
        {"kind": "lowercase_only", "attribute": "userName"},
        {"kind": "max_length", "attribute": "userName", "max": 18},
    ])
    tenant = registry.create_tenant("ruled")
    assert seed_tenant(tenant, users=25, locale="fr_FR")["users"] == 25
    for user in stored(registry, tenant):
        assert user["preferredLanguage"] == "fr-FR"
        assert user["userName"] == user["userName"].lower() and len(user["userName"]) <= 18


def test_one_role_only_keeps_the_first():
    registry = registry_with([{"kind": "single_role_only"}])
    tenant = registry.create_tenant("ruled")
    rt = tenant.profile.resource_types["User"]
    conform = seed_conformer(tenant, rt)
    assert conform is not None
    body = {"schemas": [USER_SCHEMA], "userName": "ada@example.com",
            "roles": [{"value": "admin"}, {"value": "reader"}]}
    assert conform(body)["roles"] == [{"value": "admin"}]
    assert tenant.create(rt, conform(body))["roles"] == [{"value": "admin"}]


def test_a_profile_without_value_rules_has_no_conformer_and_no_notes():
    registry = registry_with([{"kind": "no_group_delete"}])
    tenant = registry.create_tenant("ruled")
    assert seed_conformer(tenant, tenant.profile.resource_types["User"]) is None
    assert "notes" not in seed_tenant(tenant, users=3, groups=1)


def test_group_names_that_clash_once_cut_get_a_mark():
    registry = registry_with([{"kind": "max_length", "attribute": "displayName", "max": 12}])
    tenant = registry.create_tenant("ruled")
    rt = tenant.profile.resource_types["Group"]
    conform = seed_conformer(tenant, rt)
    assert conform is not None
    names = [conform({"displayName": name})["displayName"]
             for name in ("Engineering Ops", "Engineering Support", "Sales")]
    assert names == ["Engineering", "Engineerin 2", "Sales"]
    assert conform.notes() == ["displayName: changed in 2 groups to fit rule max_length."]
