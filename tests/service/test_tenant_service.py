"""One tenant's operations without HTTP: validation, meta, index plans, profile switches."""

from __future__ import annotations

import copy

import pytest

from sandbox.scim.errors import ScimError
from sandbox.scim.filter import compile_filter, parse_filter
from sandbox.scim.listing import ListQuery
from sandbox.service import TenantRegistry
from sandbox.service.planner import index_lookup
from sandbox.vendors import bundled_vendors_dir, load_profiles
from sandbox.vendors.loader import profile_from_dict

BASE = "http://sandbox.test/t"
SOFT = {
    "id": "soft", "name": "Soft", "tenant_url": "/soft/{tenant}", "delete_mode": "soft",
    "patch_response": "no_content", "unknown_attributes": "ignore",
    "features": {"patch": True, "filter": True},
    "resource_types": {"User": {"endpoint": "/Users",
                                "schema": "urn:ietf:params:scim:schemas:core:2.0:User"}},
}


@pytest.fixture
def sandbox() -> TenantRegistry:
    profiles = load_profiles(bundled_vendors_dir())
    profiles["soft"] = profile_from_dict(SOFT)
    return TenantRegistry(profiles)


@pytest.fixture
def tenant(sandbox):
    return sandbox.create_tenant("generic")


def users(tenant, filter_text=None, **kwargs):
    rt = tenant.resource_type("Users")
    return tenant.list_view(tenant.list(rt, ListQuery(filter=filter_text, **kwargs)), BASE)


def test_create_assigns_id_and_full_meta(tenant):
    rt = tenant.resource_type("Users")
    stored = tenant.create(rt, {"userName": "ann", "id": "mine", "meta": {"version": "x"}})
    body = tenant.view(rt, stored, BASE)
    assert body["id"] != "mine" and len(body["id"]) == 32
    assert body["meta"]["resourceType"] == "User"
    assert body["meta"]["created"] == body["meta"]["lastModified"]
    assert body["meta"]["location"] == f"{BASE}/Users/{body['id']}"
    assert body["meta"]["version"] == tenant.etag(stored) == 'W/"1"'


def test_patch_bumps_version_and_last_modified_only_on_change(tenant):
    rt = tenant.resource_type("Users")
    uid = tenant.create(rt, {"userName": "ann"})["id"]
    op = {"Operations": [{"op": "replace", "path": "displayName", "value": "Ann"}]}
    first = tenant.patch(rt, uid, op)
    assert tenant.etag(first) == 'W/"2"'
    again = tenant.patch(rt, uid, op)
    assert tenant.etag(again) == 'W/"2"'  # no change, no new version


def test_failed_patch_leaves_the_resource_alone(tenant):
    rt = tenant.resource_type("Users")
    uid = tenant.create(rt, {"userName": "ann", "active": True})["id"]
    before = copy.deepcopy(tenant.get(rt, uid))
    with pytest.raises(ScimError):
        tenant.patch(rt, uid, {"Operations": [
            {"op": "replace", "path": "active", "value": False},
            {"op": "remove", "path": "userName"},  # required: the whole PATCH is refused
        ]})
    assert tenant.get(rt, uid) == before


def test_index_plans_never_change_results(tenant):
    rt = tenant.resource_type("Users")
    for i in range(30):
        tenant.create(rt, {"userName": f"User{i}", "externalId": f"ext{i % 7}",
                           "emails": [{"type": "work" if i % 2 else "home",
                                       "value": f"u{i}@corp.example"}]})
    filters = [
        'userName eq "user3"', "USERNAME eq USER3", 'externalId eq "ext3"', "externalId eq EXT3",
        'emails[type eq "work"].value eq "U3@corp.example"',
        'emails[type eq "work" and value eq "u4@corp.example"]',
        'userName eq "user3" and externalId eq "ext3"', 'userName eq "nobody"',
    ]
    for text in filters:
        node = parse_filter(text)
        assert index_lookup(node, "User") is not None, text
        planned = [u["id"] for u in users(tenant, text)["Resources"]]
        rows = list(tenant.store.all(tenant.id, "User"))
        predicate = compile_filter(node, rt.schema)
        scanned = [r["id"] for r in rows if predicate(r)]
        assert sorted(planned) == sorted(scanned), text
    assert users(tenant, 'userName eq "user3"')["totalResults"] == 1
    assert users(tenant, "externalId eq ext3")["totalResults"] == 4  # i = 3, 10, 17, 24
    assert users(tenant, "externalId eq EXT3")["totalResults"] == 0  # externalId is caseExact


def test_unindexed_filters_scan(tenant):
    assert index_lookup(parse_filter('userName sw "a"'), "User") is None
    assert index_lookup(parse_filter('userName eq "a" or userName eq "b"'), "User") is None
    assert index_lookup(parse_filter('emails[type eq "home"].value eq "x"'), "User") is None


def test_count_is_capped_by_max_results(tenant):
    rt = tenant.resource_type("Users")
    for i in range(5):
        tenant.create(rt, {"userName": f"u{i}"})
    page = users(tenant, count=2, start_index=2)
    assert page["totalResults"] == 5 and page["itemsPerPage"] == 2 and page["startIndex"] == 2
    assert [u["userName"] for u in page["Resources"]] == ["u1", "u2"]


def test_soft_delete_profile_deactivates(sandbox):
    tenant = sandbox.create_tenant("soft")
    rt = tenant.resource_type("users")
    uid = tenant.create(rt, {"userName": "ann", "active": True, "nickName": "x"})["id"]
    tenant.delete(rt, uid)
    kept = tenant.get(rt, uid)
    assert kept["active"] is False
    assert users(tenant, 'userName eq "ann"')["totalResults"] == 1


def test_no_content_patch_profile_still_stores_the_change(sandbox):
    # The 204 itself is the HTTP edge's answer (tests/http/test_no_content.py).
    tenant = sandbox.create_tenant("soft")
    rt = tenant.resource_type("Users")
    assert rt.patch_response == "no_content"
    uid = tenant.create(rt, {"userName": "ann"})["id"]
    stored = tenant.patch(rt, uid, {"Operations": [{"op": "replace", "path": "active",
                                                     "value": "False"}]})
    assert stored["active"] is False
    assert tenant.get(rt, uid)["active"] is False


def test_ignore_unknown_profile_drops_unknown_attributes(sandbox):
    tenant = sandbox.create_tenant("soft")
    rt = tenant.resource_type("Users")
    body = tenant.view(rt, tenant.create(rt, {"userName": "ann", "favouriteColour": "red"}), BASE)
    assert "favouriteColour" not in body


def test_generic_rejects_unknown_attributes(tenant):
    rt = tenant.resource_type("Users")
    with pytest.raises(ScimError) as caught:
        tenant.create(rt, {"userName": "ann", "favouriteColour": "red"})
    assert caught.value.status == 400 and "favouriteColour" in caught.value.detail


def test_missing_resource_type_is_a_404_naming_what_exists(sandbox):
    tenant = sandbox.create_tenant("soft")
    with pytest.raises(ScimError) as caught:
        tenant.resource_type("Groups")
    assert caught.value.status == 404 and "/Users" in caught.value.detail


def test_a_deleted_user_leaves_every_group_and_each_group_gets_a_new_version(sandbox):
    tenant = sandbox.create_tenant("olfeo")
    users_rt, groups_rt = tenant.resource_type("Users"), tenant.resource_type("Groups")
    ann, bea = (tenant.create(users_rt, {"userName": name, "externalId": name, "emails": [
        {"value": f"{name}@example.com", "type": "work"}]})["id"]
        for name in ("ann", "bea"))
    both = [{"value": ann}, {"value": bea}]
    g1 = tenant.create(groups_rt, {"displayName": "g1", "members": both})
    g2 = tenant.create(groups_rt, {"displayName": "g2", "members": [{"value": ann}]})
    tenant.delete(users_rt, ann)
    after1 = tenant.get(groups_rt, g1["id"])
    after2 = tenant.get(groups_rt, g2["id"])
    assert [m["value"] for m in after1["members"]] == [bea]
    assert "members" not in after2
    assert after1["meta"]["version"] != g1["meta"]["version"]
    assert after2["meta"]["version"] != g2["meta"]["version"]
    assert sandbox.store.find(tenant.id, "Group", "members", ann) == []


def test_a_delete_and_its_group_changes_are_one_durable_record(tmp_path):
    from sandbox.service.indexes import INDEXES
    from sandbox.store import Store

    path = tmp_path / "data.json"
    store = Store.open(path, indexes=INDEXES, compact_bytes=1 << 40)
    durable = TenantRegistry(load_profiles(bundled_vendors_dir()), store)
    tenant = durable.create_tenant("olfeo")
    users_rt, groups_rt = tenant.resource_type("Users"), tenant.resource_type("Groups")
    ann = tenant.create(users_rt, {"userName": "ann", "externalId": "ann", "emails": [
        {"value": "ann@example.com", "type": "work"}]})["id"]
    for name in ("g1", "g2"):
        tenant.create(groups_rt, {"displayName": name, "members": [{"value": ann}]})
    log = path.with_name(path.name + ".log")
    before = log.read_bytes().count(b"\n")
    tenant.delete(users_rt, ann)
    assert log.read_bytes().count(b"\n") == before + 1
    store.close()
