"""The whole sandbox's snapshot through the admin API: `GET /_sandbox/snapshot` holds every
tenant with its secret as a digest, `PUT /_sandbox/snapshot` makes it every tenant (the
others are deleted), and a refused document changes nothing."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from pathlib import Path

import pytest
from scim_client import make_app, new_tenant, valid_user

AUTH_PROFILES = Path(__file__).resolve().parents[1] / "auth" / "profiles"


def take(client, admin):
    response = client.get("/_sandbox/snapshot", headers=admin)
    assert response.status_code == 200
    return response.get_json()


def put(client, admin, document):
    return client.put("/_sandbox/snapshot", json=document, headers=admin)


def tenant_ids(client, admin):
    return sorted(t["id"] for t in
                  client.get("/_sandbox/tenants", headers=admin).get_json()["tenants"])


def without_time(document):
    return {k: v for k, v in document.items() if k != "taken"}


def sha256(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


@pytest.fixture
def filled(client):
    """Two tenants with data: a generic one with a user in a group, a Vault Platform one
    (found by slug) with a user."""
    first = new_tenant(client, id="acme", token="acme-secret-1",
                       rate_limit={"requests": 25, "per_seconds": 1})
    ann = first.create_user("ann")
    first.create_group("staff", [ann["id"]])
    second = new_tenant(client, "vaultplatform", slug="contoso", token="contoso-secret-1")
    assert second.post("/Users", valid_user("vaultplatform", "bob@contoso.com")).status_code \
        == 201
    return first, second


def test_the_snapshot_holds_every_tenant_with_its_secret_as_a_digest(client, admin, filled):
    second = filled[1]
    document = take(client, admin)
    assert document["format"] == "scim-sandbox snapshot" and document["version"] == 1
    by_id = {entry["tenant"]["id"]: entry for entry in document["tenants"]}
    assert sorted(by_id) == ["acme", second.id]
    assert by_id["acme"]["tenant"]["token_sha256"] == sha256("acme-secret-1")
    assert by_id["acme"]["tenant"]["rate_limit"] == {"requests": 25, "per_seconds": 1}
    assert [u["userName"] for u in by_id["acme"]["resources"]["User"]] == ["ann"]
    assert by_id[second.id]["tenant"]["slug"] == "contoso"
    text = json.dumps(document)
    assert "acme-secret-1" not in text and "contoso-secret-1" not in text


def test_a_restore_into_a_new_sandbox_keeps_urls_credentials_and_data(client, admin, filled):
    first, second = filled
    document = take(client, admin)
    other = make_app().test_client()
    response = put(other, admin, document)
    assert response.status_code == 200
    answered = {t["id"]: t for t in response.get_json()["tenants"]}
    assert answered["acme"]["tenant_url"] == first.url
    assert answered["acme"]["token"] is None  # only the digest came with the file
    assert answered["acme"]["rate_limit"] == {"requests": 25, "per_seconds": 1}
    # The secrets the clients hold still open the tenants, by URL and by slug.
    moved_first = copy.copy(first)
    moved_first.client = other
    assert moved_first.list()["Resources"][0]["userName"] == "ann"
    moved_second = copy.copy(second)
    moved_second.client = other
    assert moved_second.list()["totalResults"] == 1
    wrong = other.get(first.base + "/Users", headers={"Authorization": "Bearer contoso-secret-1"})
    assert wrong.status_code == 401
    assert without_time(take(other, admin)) == without_time(document)


def test_tenants_the_snapshot_lacks_are_deleted(client, admin, filled):
    document = take(client, admin)
    later = new_tenant(client)
    filled[0].create_user("carol")
    assert put(client, admin, document).status_code == 200
    assert later.id not in tenant_ids(client, admin)
    assert filled[0].get("/Users").status_code == 200
    assert filled[0].list()["totalResults"] == 1  # carol came after the snapshot
    assert later.get("/Users").status_code == 404


def test_an_empty_snapshot_empties_the_sandbox(client, admin, filled):
    assert put(client, admin, {"tenants": []}).status_code == 200
    assert tenant_ids(client, admin) == []


def test_a_restored_tenant_can_have_its_token_rotated(client, admin, filled):
    first = filled[0]
    assert put(client, admin, take(client, admin)).status_code == 200
    response = client.post("/_sandbox/tenants/acme/token", json={"token": "acme-secret-2"},
                           headers=admin)
    assert response.status_code == 200
    assert first.get("/Users").status_code == 401
    first.token = "acme-secret-2"
    assert first.get("/Users").status_code == 200
    assert take(client, admin)["tenants"][0]["tenant"]["token_sha256"] == sha256("acme-secret-2")


def test_a_token_found_tenant_comes_back_by_its_secret(client, admin):
    visitly = new_tenant(client, "visitly", token="visitly-secret-1")
    visitly.create_user("dan@example.com")
    document = take(client, admin)
    other = make_app().test_client()
    assert put(other, admin, document).status_code == 200
    moved = copy.copy(visitly)
    moved.client = other
    assert moved.list()["totalResults"] == 1


def test_basic_credentials_keep_their_username(admin):
    source = make_app(vendors_dirs=[AUTH_PROFILES]).test_client()
    response = source.post("/_sandbox/tenants", headers=admin, json={
        "vendor": "authbasic", "username": "ops", "password": "basic-secret-1"})
    base = response.get_json()["tenant_url"].removeprefix("http://localhost")
    document = take(source, admin)
    target = make_app(vendors_dirs=[AUTH_PROFILES]).test_client()
    answered = put(target, admin, document).get_json()["tenants"][0]
    assert answered["username"] == "ops" and answered["password"] is None
    header = "Basic " + base64.b64encode(b"ops:basic-secret-1").decode()
    assert target.get(base + "/Users", headers={"Authorization": header}).status_code \
        == 200


def test_a_durable_sandbox_keeps_restored_tenants_across_a_restart(tmp_path, client, admin,
                                                                   filled):
    document = take(client, admin)
    data = tmp_path / "sandbox.json"
    app = make_app(data_file=data)
    assert put(app.test_client(), admin, document).status_code == 200
    app.extensions["scim_sandbox"].store.close()
    again = make_app(data_file=data).test_client()
    moved = copy.copy(filled[0])
    moved.client = again
    assert moved.list()["totalResults"] == 1
    assert without_time(take(again, admin)) == without_time(document)


def _broken(document, change):
    broken = copy.deepcopy(document)
    change(broken)
    return broken


def _second(document):
    return document["tenants"][1]["tenant"]


BAD = {
    "not an object": (lambda d: d.clear(), "tenants"),
    "no tenant list": (lambda d: d.update(tenants={"acme": {}}), "tenants"),
    "another format": (lambda d: d.update(version=2), "version"),
    "unknown vendor": (lambda d: _second(d).update(vendor="nope"), "nope"),
    "no digest": (lambda d: _second(d).pop("token_sha256"), "token_sha256"),
    "short digest": (lambda d: _second(d).update(token_sha256="abc"), "token_sha256"),
    "bad id": (lambda d: _second(d).update(id="no spaces"), "'id'"),
    "same id twice": (lambda d: _second(d).update(id="acme", vendor="generic", slug=None),
                      "same id"),
    "slug missing": (lambda d: _second(d).update(slug=None), "slug"),
    "bad rate limit": (lambda d: _second(d).update(rate_limit={"requests": 0,
                                                                "per_seconds": 1}),
                       "rate_limit.requests"),
    "bad setting": (lambda d: _second(d)["settings"].update(active_scim_provider="yes"),
                    "active_scim_provider"),
    "bad created": (lambda d: _second(d).update(created="yesterday"), "created"),
    # A time without a timezone cannot be compared with the clock's: every request of the
    # tenant would fail.
    "created without timezone": (lambda d: _second(d).update(created="2030-01-01T00:00:00"),
                                 "created"),
    "token_issued without timezone": (
        lambda d: _second(d).update(token_issued="2030-01-01T00:00:00"), "token_issued"),
    "expiry without timezone": (
        lambda d: _second(d).update(token_expiry={"at": "2030-01-01T00:00:00"}),
        "token_expiry"),
    "expiry past the clock's range": (
        lambda d: _second(d).update(token_expiry={"at": "9999-12-31T23:59:59+00:00"}),
        "token_expiry"),
    "expiry not an object": (lambda d: _second(d).update(token_expiry="2030"),
                             "token_expiry"),
    "resource without id": (lambda d: d["tenants"][1]["resources"]["User"][0].pop("id"),
                            "'id'"),
    "member not in it": (lambda d: d["tenants"][0]["resources"]["Group"][0]["members"]
                         .append({"value": "ghost"}), "ghost"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_snapshot_is_a_400_and_changes_nothing(client, admin, scim_error, filled, case):
    document = take(client, admin)
    document["tenants"].sort(key=lambda entry: entry["tenant"]["id"] != "acme")
    later = new_tenant(client)
    before = take(client, admin)
    change, named = BAD[case]
    broken = _broken(document, change) if case != "not an object" else []
    body = scim_error(put(client, admin, broken), 400, "invalidValue")
    assert named in body["detail"] and "Nothing was restored" in body["detail"]
    assert without_time(take(client, admin)) == without_time(before)
    assert later.get("/Users").status_code == 200
    assert filled[0].get("/Users").status_code == 200


def test_the_snapshot_needs_the_admin_token(client, filled, scim_error):
    scim_error(client.get("/_sandbox/snapshot"), 401)
    scim_error(client.put("/_sandbox/snapshot", json={"tenants": []},
                          headers={"Authorization": "Bearer acme-secret-1"}), 401)
    assert filled[0].get("/Users").status_code == 200


def test_a_body_that_is_not_json_is_refused(client, admin, filled, scim_error):
    response = client.put("/_sandbox/snapshot", data="{", headers={
        **admin, "Content-Type": "application/json"})
    scim_error(response, 400)
    assert filled[0].get("/Users").status_code == 200
