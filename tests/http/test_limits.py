"""Every limit answers with a SCIM error naming it, is configurable, and changes nothing."""

from __future__ import annotations


def test_filter_longer_than_the_limit(app_factory, tenant_in, scim_error):
    tenant = tenant_in(app_factory(max_filter_length=50).test_client())
    ok = tenant.get('/Users?filter=userName eq "' + "a" * 30 + '"')
    assert ok.status_code == 200
    body = scim_error(tenant.get('/Users?filter=userName eq "' + "a" * 60 + '"'), 400,
                      "invalidFilter")
    assert "50" in body["detail"]


def test_filter_with_too_many_comparisons(app_factory, tenant_in, scim_error):
    tenant = tenant_in(app_factory(max_filter_terms=3).test_client())
    three = " or ".join(f'userName eq "u{i}"' for i in range(3))
    four = " or ".join(f'userName eq "u{i}"' for i in range(4))
    assert tenant.get(f"/Users?filter={three}").status_code == 200
    body = scim_error(tenant.get(f"/Users?filter={four}"), 400, "invalidFilter")
    assert "4 comparisons" in body["detail"]
    search = tenant.post("/Users/.search", {"filter": four})
    scim_error(search, 400, "invalidFilter")


def test_default_filter_limits_hold_a_huge_filter(tenant, scim_error):
    huge = " or ".join(f'userName eq "u{i}"' for i in range(2000))
    response = tenant.post("/Users/.search", {"filter": huge})
    scim_error(response, 400, "invalidFilter")


def test_patch_with_too_many_operations(app_factory, tenant_in, scim_error):
    tenant = tenant_in(app_factory(max_patch_operations=2).test_client())
    user = tenant.create_user("ann")
    ops = [{"op": "replace", "path": "displayName", "value": f"n{i}"} for i in range(3)]
    body = scim_error(tenant.patch_ops(f"/Users/{user['id']}", *ops), 400, "invalidValue")
    assert "3 operations" in body["detail"]
    assert tenant.user(user["id"])["meta"]["version"] == user["meta"]["version"]


def test_body_nested_deeper_than_the_limit(app_factory, tenant_in, scim_error):
    tenant = tenant_in(app_factory(max_json_depth=4).test_client())
    deep = {"userName": "ann", "name": {"givenName": "A"}}
    assert tenant.post("/Users", deep).status_code == 201
    deeper = {"userName": "bob", "x": {"y": {"z": {"w": {}}}}}
    body = scim_error(tenant.post("/Users", deeper), 400, "invalidSyntax")
    assert "4 levels" in body["detail"]
    assert tenant.list(filter='userName eq "bob"')["totalResults"] == 0


def test_a_1000_level_body_is_a_clean_400(tenant, scim_error):
    raw = '{"userName": "x", "a": ' + "[" * 1000 + "]" * 1000 + "}"
    response = tenant.post("/Users", data=raw)
    scim_error(response, 400, "invalidSyntax")


def test_count_is_capped_at_max_results(tenant):
    for i in range(3):
        tenant.create_user(f"u{i}")
    spc = tenant.get("/ServiceProviderConfig").get_json()
    page = tenant.list(count=spc["filter"]["maxResults"] + 1000)
    assert page["itemsPerPage"] == 3 and page["totalResults"] == 3


def test_limits_are_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for setting in ("max_body_bytes", "max_filter_length", "max_filter_terms",
                    "max_patch_operations", "max_json_depth", "max_fault_delay_ms",
                    "journal_size"):
        assert setting in readme, setting
