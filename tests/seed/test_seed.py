"""Seed data: every vendor seeds through its own rules, deterministically, and fast to import.

Tenants are made as the service layer's users make them (a TenantRegistry over the bundled
profiles); seeded rows are read back from the store, which is what a SCIM GET would serve.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
import sys

import pytest

from sandbox.scim.errors import ScimError
from sandbox.scim.schema import ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA
from sandbox.seed import load_recipes, read_cast, seed_dir
from sandbox.seed.generator import build_pools, generate_people
from sandbox.service import TenantRegistry
from sandbox.service.seeding import load_cast, seed_from_request, seed_tenant
from sandbox.vendors import bundled_vendors_dir, load_profiles
from sandbox.vendors.loader import profile_from_dict

VERITAS = "urn:ietf:params:scim:schemas:extension:veritas:2.0:User"
VENDORS = ["generic", "velpic", "visitly", "vaultplatform", "olfeo", "veritas"]
WITH_GROUPS = ["generic", "olfeo"]
USERS_ONLY = [v for v in VENDORS if v not in WITH_GROUPS]


@pytest.fixture(scope="module")
def profiles():
    return load_profiles(bundled_vendors_dir())


@pytest.fixture
def sb(profiles) -> TenantRegistry:
    return TenantRegistry(profiles)


def users_of(sb: TenantRegistry, tenant) -> list[dict]:
    return list(sb.store.all(tenant.id, "User"))


def groups_of(sb: TenantRegistry, tenant) -> list[dict]:
    return list(sb.store.all(tenant.id, "Group"))


def digest(sb: TenantRegistry, tenant) -> str:
    data = {"users": users_of(sb, tenant), "groups": groups_of(sb, tenant)}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def seeded(sb: TenantRegistry, vendor: str, **options):
    tenant = sb.create_tenant(vendor)
    summary = seed_tenant(tenant, **{"users": 40, "groups": 4, "seed": 3, **options})
    return tenant, summary


# Every vendor, through its rules ---------------------------------------------------------


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_vendor_seeds_users_meeting_its_required_attributes(sb, vendor):
    tenant, summary = seeded(sb, vendor, users=60)
    users = users_of(sb, tenant)
    assert summary["users"] == len(users) == 60
    rt = tenant.profile.resource_types["User"]
    for user in users:
        missing = [rule.written for rule in rt.required if not rule.present(user)]
        assert not missing, (user["userName"], missing)
        assert user["userName"].endswith("@example.com")
    assert len({u["userName"].casefold() for u in users}) == len(users)
    assert len({u["id"] for u in users}) == len(users)


def test_vaultplatform_users_have_its_eleven_required_attributes(sb):
    tenant, _ = seeded(sb, "vaultplatform")
    for user in users_of(sb, tenant):
        assert user["externalId"] and user["active"] is True and user["title"]
        assert user["name"]["givenName"] and user["name"]["familyName"]
        assert user["emails"][0]["type"] == "work" and user["emails"][0]["value"]
        address = user["addresses"][0]
        assert address["type"] == "work" and address["locality"] and address["country"] == "US"
        enterprise = user[ENTERPRISE_USER_SCHEMA]
        assert enterprise["employeeNumber"].startswith("E") and enterprise["department"]
        # Kept attributes only: Vault Platform's table has no preferredLanguage.
        assert "preferredLanguage" not in user and "formatted" not in user["name"]


def test_veritas_users_have_one_or_two_email_aliases(sb):
    tenant, _ = seeded(sb, "veritas")
    counts = set()
    for user in users_of(sb, tenant):
        aliases = user[VERITAS]["emailAliases"]
        counts.add(len(aliases))
        assert user["userName"] not in aliases and all("@" in a for a in aliases)
        assert ENTERPRISE_USER_SCHEMA not in user  # Veritas does not offer it
        assert "externalId" not in user  # nor externalId (its table lacks it)
    assert counts == {1, 2}


def test_olfeo_users_are_french(sb):
    from faker.providers.person.fr_FR import Provider as FrenchNames

    tenant, summary = seeded(sb, "olfeo")
    assert summary["locale"] == "fr_FR"
    french_first = set(FrenchNames.first_names)
    for user in users_of(sb, tenant):
        assert user["preferredLanguage"] == "fr-FR"
        assert user["name"]["givenName"] in french_first
        assert user["name"]["formatted"] == user["displayName"]
        assert user["userName"].isascii()  # "Stéphanie" → stephanie
    names = {g["displayName"] for g in groups_of(sb, tenant)}
    assert "Ingénierie" in names


def test_generic_users_have_the_enterprise_extension_and_earlier_managers(sb):
    tenant, _ = seeded(sb, "generic", users=80)
    users = users_of(sb, tenant)
    created = {u["id"]: u["meta"]["created"] for u in users}
    assert "manager" not in users[0][ENTERPRISE_USER_SCHEMA]
    for user in users:
        assert user["schemas"] == [USER_SCHEMA, ENTERPRISE_USER_SCHEMA]
        assert user["preferredLanguage"] == "en-US"
        assert user["addresses"] == [{"type": "work", "locality": user["addresses"][0]["locality"],
                                      "country": "US"}]
        assert user["emails"] == [{"primary": True, "type": "work", "value": user["userName"]}]
        manager = user[ENTERPRISE_USER_SCHEMA].get("manager")
        if user is not users[0]:
            assert created[manager["value"]] < user["meta"]["created"]
    assert all(users[i]["meta"]["created"] < users[i + 1]["meta"]["created"]
               for i in range(len(users) - 1))
    assert users[0]["meta"]["created"].startswith("2024-01-01T")


def test_a_strict_vendor_keeping_few_attributes_still_seeds(profiles):
    """Bodies are fitted to the schema, so a profile that rejects unknown attributes and keeps
    only two gets only those two."""
    strict = profile_from_dict({
        "id": "strict", "name": "Strict", "tenant_url": "/strict/{tenant}/scim/v2",
        "unknown_attributes": "reject",
        "resource_types": {"User": {
            "endpoint": "/Users", "schema": USER_SCHEMA,
            "attributes": ["userName", "name.givenName"],
        }},
    })
    sb = TenantRegistry({**profiles, "strict": strict})
    tenant = sb.create_tenant("strict")
    assert seed_tenant(tenant, users=5, groups=3)["groups"] == 0
    for user in users_of(sb, tenant):
        assert set(user) == {"schemas", "userName", "name", "id", "meta"}
        assert set(user["name"]) == {"givenName"}


# Groups --------------------------------------------------------------------------------


@pytest.mark.parametrize("vendor", WITH_GROUPS)
def test_groups_with_memberships(sb, vendor):
    tenant, summary = seeded(sb, vendor, users=120, groups=15)
    groups = groups_of(sb, tenant)
    user_ids = {u["id"] for u in users_of(sb, tenant)}
    assert summary["groups"] == len(groups) == 15
    assert len({g["displayName"] for g in groups}) == 15
    assert any(g["displayName"].endswith(" 2") for g in groups)  # more groups than departments
    for group in groups:
        assert group["schemas"] == [GROUP_SCHEMA] and group["externalId"]
        members = [m["value"] for m in group["members"]]
        assert members and set(members) <= user_ids and len(set(members)) == len(members)
        assert all(m["type"] == "User" for m in group["members"])


@pytest.mark.parametrize("vendor", USERS_ONLY)
def test_groups_are_ignored_for_users_only_vendors(sb, vendor):
    tenant, summary = seeded(sb, vendor, users=10, groups=5)
    assert summary == {"users": 10, "groups": 0, "seed": 3, "locale": "en_US"}
    assert groups_of(sb, tenant) == []


def test_groups_without_users_have_no_members(sb):
    tenant, summary = seeded(sb, "generic", users=0, groups=2)
    assert summary["users"] == 0 and summary["groups"] == 2
    assert all("members" not in g for g in groups_of(sb, tenant))


# Determinism ---------------------------------------------------------------------------


@pytest.mark.parametrize("vendor", VENDORS)
def test_same_seed_gives_identical_data_in_one_process(sb, vendor):
    first, _ = seeded(sb, vendor, seed=21)
    second, _ = seeded(sb, vendor, seed=21)
    assert users_of(sb, first) == users_of(sb, second)  # ids and meta included
    assert groups_of(sb, first) == groups_of(sb, second)


def test_same_seed_gives_the_same_people_in_every_vendor(sb):
    generic, _ = seeded(sb, "generic", seed=5)
    velpic, _ = seeded(sb, "velpic", seed=5)
    assert ([(u["id"], u["userName"]) for u in users_of(sb, generic)]
            == [(u["id"], u["userName"]) for u in users_of(sb, velpic)])


CHILD = """
import hashlib, json, sys
from sandbox.service import TenantRegistry
from sandbox.vendors import bundled_vendors_dir, load_profiles
from sandbox.service.seeding import seed_tenant
sb = TenantRegistry(load_profiles(bundled_vendors_dir()))
t = sb.create_tenant(sys.argv[1])
seed_tenant(t, users=40, groups=4, seed=17)
data = {"users": list(sb.store.all(t.id, "User")), "groups": list(sb.store.all(t.id, "Group"))}
print(hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest())
"""


@pytest.mark.parametrize("vendor", ["generic", "olfeo"])
def test_same_seed_gives_identical_data_across_processes(sb, vendor):
    tenant, _ = seeded(sb, vendor, seed=17)
    env = {**os.environ, "PYTHONHASHSEED": "12345"}  # str hashing must not matter
    out = subprocess.run([sys.executable, "-c", CHILD, vendor], env=env, check=True,
                         capture_output=True, text=True).stdout.strip()
    assert out == digest(sb, tenant)


def test_different_seeds_differ(sb):
    first, _ = seeded(sb, "generic", seed=1)
    second, _ = seeded(sb, "generic", seed=2)
    one, two = users_of(sb, first), users_of(sb, second)
    assert {u["id"] for u in one}.isdisjoint(u["id"] for u in two)
    assert [u["userName"] for u in one] != [u["userName"] for u in two]


def test_usernames_stay_unique_for_twelve_thousand_people():
    pools = build_pools("en_US", 0)
    people = generate_people(pools, ("Sales",), random.Random(0), 12_000)
    assert len({p.user_name.casefold() for p in people}) == 12_000
    assert len({p.id for p in people}) == 12_000


def test_a_second_run_adds_people_without_collisions(sb):
    tenant, _ = seeded(sb, "generic", users=30, groups=3)
    again = seed_tenant(tenant, users=30, groups=3, seed=3)
    assert again["users"] == 30 and again["groups"] == 3
    users = users_of(sb, tenant)
    assert len(users) == 60 and users[30]["userName"].split("@")[0].endswith("31")
    assert len({g["displayName"] for g in groups_of(sb, tenant)}) == 6


def test_a_taken_username_is_renamed_not_fatal(sb):
    # Same tenant state (one user already there) and seed: the same userNames are generated.
    reference = sb.create_tenant("generic")
    tenant = sb.create_tenant("generic")
    rt = tenant.resource_type("Users")
    reference.create(rt, {"userName": "someone@example.org"})
    seed_tenant(reference, users=3, seed=3)
    wanted = users_of(sb, reference)[1]["userName"]
    tenant.create(rt, {"userName": wanted})  # a client took it first
    seed_tenant(tenant, users=3, seed=3)
    names = [u["userName"] for u in users_of(sb, tenant)]
    local, _, domain = wanted.partition("@")
    assert names[1] == f"{local}-2@{domain}"
    assert names[2:] == [u["userName"] for u in users_of(sb, reference)[2:]]


# Arguments, locale, progress -----------------------------------------------------------


@pytest.mark.parametrize("options", [
    {"users": -1}, {"users": 10**9}, {"users": "10"}, {"users": True},
    {"users": 1, "groups": -2}, {"users": 1, "seed": "x"}, {"users": 1, "seed": False},
    {"users": 1, "locale": "xx_YY"}, {"users": 1, "locale": 3},
])
def test_bad_arguments_are_400_invalid_value(sb, options):
    tenant = sb.create_tenant("generic")
    with pytest.raises(ScimError) as error:
        seed_tenant(tenant, **options)
    assert error.value.status == 400 and error.value.scim_type == "invalidValue"
    assert users_of(sb, tenant) == []


def test_locale_can_be_chosen_and_spelled_with_a_hyphen(sb):
    tenant, summary = seeded(sb, "generic", locale="fr-fr")
    assert summary["locale"] == "fr_FR"
    assert {u["preferredLanguage"] for u in users_of(sb, tenant)} == {"fr-FR"}
    assert {u["addresses"][0]["country"] for u in users_of(sb, tenant)} == {"FR"}


def test_progress_reports_and_ends_at_the_total(sb):
    calls = []
    tenant = sb.create_tenant("olfeo")
    seed_tenant(tenant, users=1200, groups=10, progress=lambda done, total: calls.append(
        (done, total)))
    assert calls[0] == (500, 1210) and calls[-1] == (1210, 1210)


def test_importing_the_app_does_not_import_faker():
    code = ("import sys, sandbox; from sandbox import create_app; create_app(); "
            "import sandbox.seed; print(sorted(m for m in sys.modules if m.startswith('faker')))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout.strip()
    assert out == "[]"


# The fixed cast and the recipes --------------------------------------------------------


@pytest.mark.parametrize("vendor", VENDORS)
def test_cast_loads_into_every_vendor(sb, vendor):
    tenant = sb.create_tenant(vendor)
    summary = load_cast(tenant)
    assert summary == {"users": 10, "groups": 2 if vendor in WITH_GROUPS else 0,
                       "cast": "cast.json"}
    users = {u["userName"]: u for u in users_of(sb, tenant)}
    amara = users["amara.okafor@example.com"]
    assert amara["id"] == "3453f5bb3b904ea49fa5e3a3e1bbbe05"
    assert amara["meta"]["created"] == "2024-01-02T09:00:00.000Z"
    assert users["noah.williams@example.com"]["active"] is False
    assert users["sofia.garcia@example.com"]["name"]["givenName"] == "Sofía"
    with pytest.raises(ScimError) as error:
        load_cast(tenant)  # fixed ids and names: a second load is a conflict
    assert error.value.status == 409


def test_cast_has_a_manager_chain_and_two_groups(sb):
    tenant = sb.create_tenant("generic")
    load_cast(tenant)
    users = {u["id"]: u for u in users_of(sb, tenant)}
    kenji = next(u for u in users.values() if u["userName"].startswith("kenji"))
    chain = []
    current = kenji
    while (manager := current[ENTERPRISE_USER_SCHEMA].get("manager")) is not None:
        current = users[manager["value"]]
        chain.append(current["name"]["givenName"])
    assert chain == ["Priya", "Lucas", "Amara"]
    groups = {g["displayName"]: g for g in groups_of(sb, tenant)}
    assert set(groups) == {"Engineering", "Leadership"}
    assert len(groups["Engineering"]["members"]) == 5


def test_cast_file_is_well_formed():
    people, groups = read_cast(seed_dir() / "cast.json")
    assert 8 <= len(people) <= 12 and len(groups) == 2
    assert len({p.id for p in people} | {g.id for g in groups}) == len(people) + len(groups)
    assert all(len(p.id) == 32 for p in people)


def test_seed_dir_sits_beside_the_vendor_profiles():
    # In a checkout both are top-level folders; in a wheel both are under sandbox/_bundled.
    assert seed_dir() == bundled_vendors_dir().parent / "seed"
    assert (seed_dir() / "recipes.toml").is_file()


def test_recipes_load():
    recipes = load_recipes()
    assert recipes["cast"].cast == "cast.json"
    assert recipes["team"].users > 0 and recipes["load"].users == 10_000


# The admin API's request form ----------------------------------------------------------


def test_seed_request_with_counts(sb):
    tenant = sb.create_tenant("olfeo")
    summary = seed_from_request(tenant, {"users": 5, "groups": 2, "seed": 9})
    assert summary == {"users": 5, "groups": 2, "seed": 9, "locale": "fr_FR"}


def test_seed_request_with_a_recipe_and_an_override(sb):
    tenant = sb.create_tenant("generic")
    summary = seed_from_request(tenant, {"recipe": "team", "seed": 4})
    assert summary["recipe"] == "team" and summary["seed"] == 4
    assert summary["users"] == load_recipes()["team"].users


def test_seed_request_with_the_cast_recipe(sb):
    tenant = sb.create_tenant("velpic")
    summary = seed_from_request(tenant, {"recipe": "cast"})
    assert summary == {"recipe": "cast", "users": 10, "groups": 0, "cast": "cast.json"}


@pytest.mark.parametrize("body", [
    [], {}, {"groups": 2}, {"users": 1, "colour": "red"}, {"recipe": "nope"},
    {"recipe": 3}, {"recipe": "cast", "users": 3},
])
def test_bad_seed_requests_are_400(sb, body):
    tenant = sb.create_tenant("generic")
    with pytest.raises(ScimError) as error:
        seed_from_request(tenant, body)
    assert error.value.status == 400
