"""The admin API under /_sandbox: health, vendors and tenants."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
ROOT = "http://localhost"


def test_health_needs_no_auth(client):
    response = client.get("/_sandbox/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


ADMIN_ROUTES = [
    ("GET", "/_sandbox/vendors"),
    ("GET", "/_sandbox/tenants"),
    ("POST", "/_sandbox/tenants"),
    ("GET", "/_sandbox/tenants/{id}"),
    ("DELETE", "/_sandbox/tenants/{id}"),
    ("POST", "/_sandbox/tenants/{id}/reset"),
]


@pytest.mark.parametrize(("method", "path"), ADMIN_ROUTES)
@pytest.mark.parametrize("authorization", [None, "Bearer wrong-admin-token", "Basic YTpi",
                                           "Bearer "])
def test_admin_routes_need_the_admin_token(client, admin, tenant, scim_error, method, path,
                                           authorization):
    headers = {"Authorization": authorization} if authorization else {}
    response = client.open(path.format(id=tenant.id), method=method, headers=headers,
                           json={"vendor": "generic", "id": "sneaky"})
    body = scim_error(response, 401)
    assert tenant.token not in response.get_data(as_text=True)
    assert "tenants" not in body
    # Nothing happened: the tenant is still there, unchanged, and none was added.
    tenants = client.get("/_sandbox/tenants", headers=admin).get_json()["tenants"]
    assert [t["id"] for t in tenants] == [tenant.id]


def test_a_tenant_token_is_not_an_admin_token(client, tenant, scim_error):
    response = client.get("/_sandbox/tenants", headers={"Authorization": f"Bearer {tenant.token}"})
    scim_error(response, 401)


def test_vendors(client, admin):
    response = client.get("/_sandbox/vendors", headers=admin)
    assert response.status_code == 200
    vendors = {v["id"]: v for v in response.get_json()["vendors"]}
    generic = vendors["generic"]
    assert generic["name"]
    assert sorted(generic["resource_types"]) == ["Group", "User"]
    assert generic["delete_mode"] == "hard"
    assert generic["tenant_url_template"] == "/generic/{tenant}/scim/v2"


def test_create_tenant(client, admin):
    response = client.post("/_sandbox/tenants", json={"vendor": "generic"}, headers=admin)
    assert response.status_code == 201
    body = response.get_json()
    assert {"id", "vendor", "tenant_url", "token"} <= set(body)
    assert body["vendor"] == "generic"
    assert body["tenant_url"] == f"{ROOT}/generic/{body['id']}/scim/v2"
    assert len(body["token"]) >= 16
    # The tenant URL is exactly where /Users hangs off, and the token opens it.
    users = client.get(body["tenant_url"].removeprefix(ROOT) + "/Users",
                       headers={"Authorization": f"Bearer {body['token']}"})
    assert users.status_code == 200
    assert users.get_json()["totalResults"] == 0


def test_tenants_get_distinct_ids_and_tokens(make_tenant):
    first, second = make_tenant(), make_tenant()
    assert first.id != second.id
    assert first.token != second.token
    assert first.url != second.url


def test_create_tenant_with_unknown_vendor_lists_known_ones(client, admin, scim_error):
    response = client.post("/_sandbox/tenants", json={"vendor": "acme"}, headers=admin)
    body = scim_error(response, 400)
    assert "generic" in body["detail"]
    assert "acme" in body["detail"]
    assert client.get("/_sandbox/tenants", headers=admin).get_json()["tenants"] == []


@pytest.mark.parametrize("body", [{}, {"vendor": 7}, {"vendor": "generic", "color": "red"},
                                  {"vendor": "generic", "id": "has space"},
                                  {"vendor": "generic", "id": "../etc"},
                                  {"vendor": "generic", "token": "short"},
                                  {"vendor": "generic", "token": "has a space in it"}])
def test_create_tenant_with_bad_fields_is_400(client, admin, scim_error, body):
    scim_error(client.post("/_sandbox/tenants", json=body, headers=admin), 400)
    assert client.get("/_sandbox/tenants", headers=admin).get_json()["tenants"] == []


def test_create_tenant_with_bad_json_is_400(client, admin, scim_error):
    scim_error(client.post("/_sandbox/tenants", data="{oops",
                           headers={**admin, "Content-Type": "application/json"}), 400)
    scim_error(client.post("/_sandbox/tenants", json=["generic"], headers=admin), 400)
    scim_error(client.post("/_sandbox/tenants", data="vendor=generic",
                           headers={**admin, "Content-Type": "text/plain"}), 415)


def test_create_tenant_with_given_token_and_id(client, make_tenant):
    tenant = make_tenant(id="acme-test", token="fixed-token-12345")
    assert tenant.id == "acme-test"
    assert tenant.token == "fixed-token-12345"
    assert tenant.url == f"{ROOT}/generic/acme-test/scim/v2"
    assert tenant.create_user("alice")["meta"]["location"].startswith(tenant.url + "/Users/")
    assert tenant.list()["totalResults"] == 1


def test_duplicate_tenant_id_is_409(client, admin, make_tenant, scim_error):
    first = make_tenant(id="taken", token="first-token-123")
    first.create_user("alice")
    response = client.post("/_sandbox/tenants", json={"vendor": "generic", "id": "taken",
                                                      "token": "second-token-123"},
                           headers=admin)
    scim_error(response, 409)
    # The first tenant keeps its token and data.
    assert first.list()["totalResults"] == 1
    refused = client.get(first.base + "/Users",
                         headers={"Authorization": "Bearer second-token-123"})
    assert refused.status_code == 401


def test_get_tenant(client, admin, tenant):
    tenant.create_user("alice")
    response = client.get(f"/_sandbox/tenants/{tenant.id}", headers=admin)
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == tenant.id
    assert body["vendor"] == "generic"
    assert body["tenant_url"] == tenant.url
    assert body["token"] == tenant.token


def test_list_tenants(client, admin, make_tenant):
    first, second = make_tenant(), make_tenant()
    response = client.get("/_sandbox/tenants", headers=admin)
    assert response.status_code == 200
    listed = {t["id"]: t for t in response.get_json()["tenants"]}
    assert set(listed) == {first.id, second.id}
    assert listed[first.id]["tenant_url"] == first.url
    assert listed[second.id]["token"] == second.token


def test_unknown_tenant_is_404(client, admin, scim_error):
    scim_error(client.get("/_sandbox/tenants/nope", headers=admin), 404)
    scim_error(client.delete("/_sandbox/tenants/nope", headers=admin), 404)
    scim_error(client.post("/_sandbox/tenants/nope/reset", headers=admin), 404)


def test_delete_tenant(client, admin, tenant, scim_error):
    user = tenant.create_user("alice")
    response = client.delete(f"/_sandbox/tenants/{tenant.id}", headers=admin)
    assert response.status_code == 204
    scim_error(client.get(f"/_sandbox/tenants/{tenant.id}", headers=admin), 404)
    assert client.get("/_sandbox/tenants", headers=admin).get_json()["tenants"] == []
    for path in ("/Users", f"/Users/{user['id']}", '/Users?filter=userName eq "alice"',
                 "/ServiceProviderConfig"):
        gone = client.get(tenant.base + path, headers=tenant.headers)
        assert gone.status_code in (401, 404), gone.get_data(as_text=True)
        scim_error(gone, gone.status_code)
        assert "alice" not in gone.get_data(as_text=True)
    write = tenant.post("/Users", {"schemas": [USER_SCHEMA], "userName": "bob"})
    assert write.status_code in (401, 404)


def test_recreated_tenant_id_starts_empty(client, admin, make_tenant):
    first = make_tenant(id="reused", token="token-one-123")
    first.create_user("alice")
    assert client.delete("/_sandbox/tenants/reused", headers=admin).status_code == 204
    second = make_tenant(id="reused", token="token-two-123")
    assert second.list()["totalResults"] == 0
    old_token = client.get(second.base + "/Users",
                           headers={"Authorization": "Bearer token-one-123"})
    assert old_token.status_code == 401


def test_reset_empties_users_and_groups_but_keeps_url_and_token(client, admin, tenant):
    alice = tenant.create_user("alice")
    tenant.create_group("Admins", [alice["id"]])
    response = client.post(f"/_sandbox/tenants/{tenant.id}/reset", headers=admin)
    assert response.status_code == 200
    body = response.get_json()
    assert body["tenant_url"] == tenant.url
    assert body["token"] == tenant.token
    assert tenant.list("/Users")["totalResults"] == 0
    assert tenant.list("/Groups")["totalResults"] == 0
    assert tenant.get(f"/Users/{alice['id']}").status_code == 404
    # The same names can be used again.
    tenant.create_user("alice")
    tenant.create_group("Admins")


def test_reset_leaves_other_tenants_alone(client, admin, make_tenant):
    first, second = make_tenant(), make_tenant()
    first.create_user("alice")
    second.create_user("bob")
    assert client.post(f"/_sandbox/tenants/{first.id}/reset", headers=admin).status_code == 200
    assert first.list()["totalResults"] == 0
    assert [u["userName"] for u in second.list()["Resources"]] == ["bob"]


def test_tenants_are_isolated(client, make_tenant):
    first, second = make_tenant(), make_tenant()
    alice_one = first.create_user("alice", title="first")
    alice_two = second.create_user("alice", title="second")
    assert alice_one["id"] != alice_two["id"]
    group_one = first.create_group("Admins", [alice_one["id"]])
    second.create_group("Admins")

    assert [u["title"] for u in first.list()["Resources"]] == ["first"]
    assert [u["title"] for u in second.list()["Resources"]] == ["second"]
    assert second.list(filter='userName eq "alice"')["Resources"][0]["id"] == alice_two["id"]
    # An id from the other tenant is unknown here.
    assert second.get(f"/Users/{alice_one['id']}").status_code == 404
    assert second.get(f"/Groups/{group_one['id']}").status_code == 404
    assert second.delete(f"/Users/{alice_one['id']}").status_code == 404
    assert first.user(alice_one["id"])["title"] == "first"
    # Root search does not cross tenants either.
    found = second.post("/.search", {"filter": f'id eq "{alice_one["id"]}"'})
    assert found.status_code == 200
    assert found.get_json()["totalResults"] == 0
    # Deleting in one tenant leaves the other alone.
    assert first.delete(f"/Users/{alice_one['id']}").status_code == 204
    assert second.user(alice_two["id"])["userName"] == "alice"


def test_default_config_creates_a_demo_tenant(app_factory):
    app = app_factory(demo_tenants=True)
    client = app.test_client()
    response = client.get("/_sandbox/tenants", headers={"Authorization": "Bearer admin-secret"})
    assert response.status_code == 200
    tenants = {t["id"]: t for t in response.get_json()["tenants"]}
    demo = tenants["generic-demo"]
    assert demo["vendor"] == "generic"
    assert demo["tenant_url"] == f"{ROOT}/generic/generic-demo/scim/v2"
    users = client.get("/generic/generic-demo/scim/v2/Users",
                       headers={"Authorization": f"Bearer {demo['token']}"})
    assert users.status_code == 200


def test_create_app_with_no_config_at_all():
    from sandbox import create_app

    client = create_app().test_client()
    assert client.get("/_sandbox/health").get_json() == {"status": "ok"}
    # A random admin token is made; without it the admin API stays shut.
    assert client.get("/_sandbox/tenants").status_code == 401
    assert client.get("/_sandbox/tenants", headers={"Authorization": "Bearer "}).status_code \
        == 401


def test_demo_token_fixes_the_demo_tenants_token(app_factory):
    client = app_factory(demo_tenants=True, demo_token="ci-token-123").test_client()
    users = client.get("/generic/generic-demo/scim/v2/Users",
                       headers={"Authorization": "Bearer ci-token-123"})
    assert users.status_code == 200


def test_public_url_is_used_for_tenant_urls(app_factory):
    client = app_factory(public_url="https://scim.example.test/").test_client()
    response = client.post("/_sandbox/tenants", json={"vendor": "generic", "id": "pub"},
                           headers={"Authorization": "Bearer admin-secret"})
    assert response.status_code == 201
    assert response.get_json()["tenant_url"] == "https://scim.example.test/generic/pub/scim/v2"


def test_public_url_is_used_in_scim_locations(app_factory):
    client = app_factory(public_url="https://scim.example.test").test_client()
    created = client.post("/_sandbox/tenants", json={"vendor": "generic", "id": "pub",
                                                     "token": "pub-token-123"},
                          headers={"Authorization": "Bearer admin-secret"}).get_json()
    base_url = created["tenant_url"]
    assert base_url == "https://scim.example.test/generic/pub/scim/v2"
    headers = {"Authorization": "Bearer pub-token-123", "Content-Type": "application/scim+json"}
    response = client.post("/generic/pub/scim/v2/Users", headers=headers,
                           json={"schemas": [USER_SCHEMA], "userName": "alice"})
    assert response.status_code == 201
    user = response.get_json()
    assert user["meta"]["location"] == f"{base_url}/Users/{user['id']}"
    assert response.headers["Location"] == user["meta"]["location"]
    config = client.get("/generic/pub/scim/v2/ServiceProviderConfig", headers=headers)
    assert config.get_json()["meta"]["location"] == f"{base_url}/ServiceProviderConfig"


def test_creating_an_app_does_not_import_faker():
    """Startup stays fast: Faker is only imported when seeding is asked for."""
    code = ("import sys; from sandbox import create_app; app = create_app("
            "{'admin_token': 'a'}); app.test_client().get('/_sandbox/health'); "
            "print('faker' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, check=True)
    assert result.stdout.strip() == "False"


def test_tokens_are_not_logged(client, admin, tenant, caplog):
    caplog.set_level(logging.DEBUG)
    tenant.create_user("alice")
    tenant.get("/Users")
    client.get(tenant.base + "/Users", headers={"Authorization": "Bearer wrong-token-xyz"})
    client.get("/_sandbox/tenants", headers=admin)
    client.get("/_sandbox/tenants", headers={"Authorization": "Bearer wrong-admin-xyz"})
    for secret in (tenant.token, "admin-secret", "wrong-token-xyz", "wrong-admin-xyz"):
        assert secret not in caplog.text


def test_two_apps_share_nothing(app_factory, tenant_in):
    first_client = app_factory().test_client()
    second_client = app_factory().test_client()
    first = tenant_in(first_client, id="same-id", token="same-token-123")
    second = tenant_in(second_client, id="same-id", token="same-token-123")
    first.create_user("alice")
    assert second.list()["totalResults"] == 0
    assert first.list(filter='userName eq "alice"')["totalResults"] == 1
    assert second.list(filter='userName eq "alice"')["totalResults"] == 0
    assert client_tenant_ids(second_client) == ["same-id"]
    assert client_delete(first_client, "same-id") == 204
    assert second.list()["totalResults"] == 0
    assert client_tenant_ids(second_client) == ["same-id"]


def client_tenant_ids(client) -> list[str]:
    response = client.get("/_sandbox/tenants", headers={"Authorization": "Bearer admin-secret"})
    return [t["id"] for t in response.get_json()["tenants"]]


def client_delete(client, tenant_id: str) -> int:
    return client.delete(f"/_sandbox/tenants/{tenant_id}",
                         headers={"Authorization": "Bearer admin-secret"}).status_code


def test_tenant_creation_refuses_fields_it_does_not_know(client, admin, scim_error):
    response = client.post("/_sandbox/tenants", json={"vendor": "generic", "colour": "red"},
                           headers=admin)
    body = scim_error(response, 400)
    assert "colour" in body["detail"]


def test_tenant_settings_switch_vault_platforms_active_provider(client, admin, scim_error):
    """Vault Platform tutorial, Step 2.2: the **Set as active SCIM Provider** toggle must be
    on; while off, 401."""
    created = client.post("/_sandbox/tenants", json={"vendor": "vaultplatform", "slug": "acme"},
                          headers=admin).get_json()
    assert created["settings"] == {"active_scim_provider": True}
    scim = {"Authorization": f"Bearer {created['token']}"}
    assert client.get("/api/scim/acme/Users", headers=scim).status_code == 200
    off = client.patch(f"/_sandbox/tenants/{created['id']}",
                       json={"settings": {"active_scim_provider": False}}, headers=admin)
    assert off.status_code == 200 and off.get_json()["settings"]["active_scim_provider"] is False
    body = scim_error(client.get("/api/scim/acme/Users", headers=scim), 401)
    assert "Set as active SCIM Provider" in body["detail"]
    client.patch(f"/_sandbox/tenants/{created['id']}",
                 json={"settings": {"active_scim_provider": True}}, headers=admin)
    assert client.get("/api/scim/acme/Users", headers=scim).status_code == 200


@pytest.mark.parametrize("settings", [{"colour": True}, {"active_scim_provider": "no"}, []])
def test_bad_tenant_settings_are_refused(client, admin, scim_error, settings):
    created = client.post("/_sandbox/tenants", json={"vendor": "vaultplatform"},
                          headers=admin).get_json()
    response = client.patch(f"/_sandbox/tenants/{created['id']}", json={"settings": settings},
                            headers=admin)
    scim_error(response, 400)
    again = client.get(f"/_sandbox/tenants/{created['id']}", headers=admin).get_json()
    assert again["settings"] == {"active_scim_provider": True}


def test_tenant_created_with_seed_data(client, admin):
    response = client.post("/_sandbox/tenants", headers=admin, json={
        "vendor": "generic", "seed": {"users": 12, "groups": 3, "seed": 7}})
    assert response.status_code == 201
    body = response.get_json()
    assert body["seed"] == {"users": 12, "groups": 3, "seed": 7, "locale": "en_US"}
    assert body["resources"] == {"User": 12, "Group": 3}


def test_seeding_an_existing_tenant(client, admin):
    tenant = client.post("/_sandbox/tenants", json={"vendor": "olfeo"}, headers=admin).get_json()
    response = client.post(f"/_sandbox/tenants/{tenant['id']}/seed", headers=admin,
                           json={"users": 5, "groups": 1, "seed": 1})
    assert response.status_code == 200
    assert response.get_json()["resources"] == {"User": 5, "Group": 1}
    assert response.get_json()["locale"] == "fr_FR"  # Olfeo's console is French


def test_a_bad_seed_request_leaves_no_tenant_behind(client, admin, scim_error):
    before = len(client.get("/_sandbox/tenants", headers=admin).get_json()["tenants"])
    response = client.post("/_sandbox/tenants", headers=admin,
                           json={"vendor": "generic", "seed": {"users": "many"}})
    scim_error(response, 400)
    after = len(client.get("/_sandbox/tenants", headers=admin).get_json()["tenants"])
    assert after == before


def test_every_401_carries_a_bearer_challenge(client, admin):
    created = client.post("/_sandbox/tenants", json={"vendor": "vaultplatform"},
                          headers=admin).get_json()
    client.patch(f"/_sandbox/tenants/{created['id']}",
                 json={"settings": {"active_scim_provider": False}}, headers=admin)
    path = created["tenant_url"].removeprefix("http://localhost")
    refused = client.get(path + "/Users", headers={"Authorization": f"Bearer {created['token']}"})
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/_sandbox/tenants").headers["WWW-Authenticate"].startswith("Bearer")


def test_tenant_location_uses_the_public_url(app_factory, admin):
    client = app_factory(public_url="https://scim.example.test").test_client()
    response = client.post("/_sandbox/tenants", json={"vendor": "generic"}, headers=admin)
    assert response.headers["Location"].startswith("https://scim.example.test/_sandbox/tenants/")


def test_a_too_large_body_reads_the_same_on_the_admin_api_and_a_scim_route(
        app_factory, admin, scim_error):
    client = app_factory(max_body_bytes=200).test_client()
    tenant = client.post("/_sandbox/tenants", json={"vendor": "generic"}, headers=admin).json
    big = {"vendor": "generic", "id": "x" * 300}
    admin_detail = scim_error(client.post("/_sandbox/tenants", json=big, headers=admin),
                              413)["detail"]
    scim_detail = scim_error(client.post(
        tenant["tenant_url"].removeprefix("http://localhost") + "/Users",
        json={"userName": "x" * 300}, headers={"Authorization": f"Bearer {tenant['token']}"}),
        413)["detail"]
    assert admin_detail == scim_detail
