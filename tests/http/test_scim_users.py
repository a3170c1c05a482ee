"""/Users on the generic profile: RFC 7644 CRUD, queries, projection, ETags."""

from __future__ import annotations

import dataclasses
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
SEARCH_REQUEST = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
SCIM_JSON = "application/scim+json"


def user_names(listing: dict) -> list[str]:
    return [r["userName"] for r in listing.get("Resources", [])]


def tick() -> None:
    """Let the clock move on: timestamps have millisecond precision."""
    time.sleep(0.005)


@pytest.fixture
def people(tenant):
    """Five users with distinct names, emails, external ids and departments."""
    rows = [
        ("bjensen", "Jensen", "Barbara", "jyoung", "Sales", True),
        ("jsmith", "Smith", "John", "ext-2", "Marketing", True),
        ("adoe", "Doe", "Ann", "ext-3", "Sales", False),
        ("cwu", "Wu", "Chen", "ext-4", "Engineering", True),
        ("mmueller", "Mueller", "Max", "ext-5", "Engineering", False),
    ]
    created = {}
    for user_name, family, given, external_id, department, active in rows:
        created[user_name] = tenant.create_user(
            user_name,
            name={"familyName": family, "givenName": given},
            externalId=external_id,
            active=active,
            emails=[{"value": f"{user_name}@work.example", "type": "work", "primary": True},
                    {"value": f"{user_name}@home.example", "type": "home"}],
            **{ENTERPRISE: {"department": department}},
        )
    return created


# Create ------------------------------------------------------------------------------------


def test_create_returns_201_with_location_etag_and_full_meta(tenant):
    response = tenant.post("/Users", {"schemas": [USER_SCHEMA], "userName": "bjensen",
                                      "displayName": "Babs Jensen"})
    assert response.status_code == 201
    assert response.mimetype == SCIM_JSON
    body = response.get_json()
    meta = body["meta"]
    assert set(meta) >= {"resourceType", "created", "lastModified", "location", "version"}
    assert meta["resourceType"] == "User"
    assert meta["created"] == meta["lastModified"]
    assert meta["location"] == f"{tenant.url}/Users/{body['id']}"
    assert response.headers["Location"] == meta["location"]
    assert response.headers["ETag"] == meta["version"]
    assert body["userName"] == "bjensen"
    assert body["displayName"] == "Babs Jensen"
    assert USER_SCHEMA in body["schemas"]


def test_create_ignores_client_sent_id_and_meta(tenant):
    response = tenant.post("/Users", {
        "schemas": [USER_SCHEMA], "userName": "bjensen", "id": "chosen-by-client",
        "meta": {"resourceType": "Group", "created": "2001-01-01T00:00:00Z",
                 "version": 'W/"99"', "location": "http://evil.example/x"},
    })
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["id"] != "chosen-by-client"
    assert body["meta"]["resourceType"] == "User"
    assert not body["meta"]["created"].startswith("2001")
    assert body["meta"]["version"] != 'W/"99"'
    assert body["meta"]["location"].startswith(tenant.url)
    assert tenant.get("/Users/chosen-by-client").status_code == 404
    assert tenant.user(body["id"])["userName"] == "bjensen"


def test_two_creates_get_distinct_ids(tenant):
    first = tenant.create_user("one")
    second = tenant.create_user("two")
    assert first["id"] and second["id"] and first["id"] != second["id"]


def test_password_is_never_returned(tenant):
    response = tenant.post("/Users", {"schemas": [USER_SCHEMA], "userName": "bjensen",
                                      "password": "t1meMa$heen"})
    assert response.status_code == 201
    created = response.get_json()
    assert "password" not in created
    uid = created["id"]
    assert "password" not in tenant.user(uid)
    assert "password" not in tenant.list()["Resources"][0]
    asked = tenant.get(f"/Users/{uid}", query_string={"attributes": "password,userName"})
    assert asked.status_code == 200
    assert "password" not in asked.get_json()
    assert "t1meMa$heen" not in asked.get_data(as_text=True)
    put = tenant.put(f"/Users/{uid}", {"schemas": [USER_SCHEMA], "userName": "bjensen",
                                       "password": "other-Secret1"})
    assert put.status_code == 200
    assert "password" not in put.get_json()
    patched = tenant.patch_ops(f"/Users/{uid}", {"op": "replace", "path": "password",
                                                 "value": "third-Secret1"})
    assert patched.status_code == 200
    assert "password" not in patched.get_json()


def test_get_by_id_returns_what_was_created(tenant):
    created = tenant.create_user("bjensen", name={"givenName": "Barbara", "familyName": "Jensen"},
                                 title="Tour Guide")
    response = tenant.get(f"/Users/{created['id']}")
    assert response.status_code == 200
    assert response.mimetype == SCIM_JSON
    assert response.headers["ETag"] == created["meta"]["version"]
    assert response.get_json() == created


def test_request_content_type_application_json_is_accepted(tenant):
    response = tenant.post("/Users", {"schemas": [USER_SCHEMA], "userName": "plainjson"},
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 201
    assert response.mimetype == SCIM_JSON
    uid = response.get_json()["id"]
    patched = tenant.patch_ops(f"/Users/{uid}", {"op": "replace", "path": "title",
                                                 "value": "Boss"},
                               headers={"Content-Type": "application/json; charset=utf-8"})
    assert patched.status_code == 200
    assert patched.get_json()["title"] == "Boss"


def test_responses_use_the_scim_media_type(tenant):
    uid = tenant.create_user("bjensen")["id"]
    for response in (tenant.get("/Users"), tenant.get(f"/Users/{uid}"),
                     tenant.put(f"/Users/{uid}", {"userName": "bjensen"}),
                     tenant.post("/Users/.search", {"schemas": [SEARCH_REQUEST]})):
        assert response.status_code == 200
        assert response.mimetype == SCIM_JSON


def test_resource_paths_are_case_insensitive(tenant):
    response = tenant.post("/users", {"schemas": [USER_SCHEMA], "userName": "lower"})
    assert response.status_code == 201
    uid = response.get_json()["id"]
    assert response.headers["Location"] == f"{tenant.url}/Users/{uid}"
    upper = tenant.get(f"/USERS/{uid}")
    assert upper.status_code == 200
    assert upper.get_json()["userName"] == "lower"
    listing = tenant.get("/users")
    assert listing.status_code == 200
    assert user_names(listing.get_json()) == ["lower"]
    assert tenant.delete(f"/uSeRs/{uid}").status_code == 204
    assert tenant.get(f"/Users/{uid}").status_code == 404


# List and filter ---------------------------------------------------------------------------


def test_list_without_filter_is_a_list_response(tenant, people):
    listing = tenant.list()
    assert listing["schemas"] == [LIST_RESPONSE]
    assert listing["totalResults"] == 5
    assert listing["itemsPerPage"] == 5
    assert listing["startIndex"] == 1
    assert sorted(user_names(listing)) == sorted(people)


def test_list_of_an_empty_tenant(tenant):
    listing = tenant.list()
    assert listing["totalResults"] == 0
    assert not listing.get("Resources")


@pytest.mark.parametrize(("filter_text", "expected"), [
    ('userName eq "bjensen"', ["bjensen"]),
    ('userName eq "nobody"', []),
    ('userName eq "BJensen"', ["bjensen"]),
    ('USERNAME eq "bjensen"', ["bjensen"]),
    ('username EQ "bjensen"', ["bjensen"]),
    ("externalId eq jyoung", ["bjensen"]),
    ('externalId eq "jyoung"', ["bjensen"]),
    ('name.FamilyName eq "Smith"', ["jsmith"]),
    ('name.familyName sw "M"', ["mmueller"]),
    ('emails[type eq "work"].value eq "cwu@work.example"', ["cwu"]),
    ('emails[type eq "work" and value co "adoe"]', ["adoe"]),
    ('emails.value eq "adoe@home.example"', ["adoe"]),
    ('emails[type eq "work"].value eq "adoe@home.example"', []),
    ('userName eq "bjensen" or userName eq "cwu"', ["bjensen", "cwu"]),
    ('active eq true and name.familyName eq "Wu"', ["cwu"]),
    ('active eq false', ["adoe", "mmueller"]),
    ('not (active eq true)', ["adoe", "mmueller"]),
    ('not (userName eq "bjensen") and active eq true', ["cwu", "jsmith"]),
    ('(userName eq "adoe" or userName eq "cwu") and active eq false', ["adoe"]),
    (f'{ENTERPRISE}:department eq "Sales"', ["adoe", "bjensen"]),
    (f'{ENTERPRISE}:department eq "Engineering" and active eq true', ["cwu"]),
    ("title pr", []),
    ("externalId pr", ["adoe", "bjensen", "cwu", "jsmith", "mmueller"]),
    ('userName co "SMI"', ["jsmith"]),
    ('userName ew "ller"', ["mmueller"]),
    ('userName ne "bjensen" and active eq true', ["cwu", "jsmith"]),
])
def test_filters(tenant, people, filter_text, expected):
    listing = tenant.list(filter=filter_text)
    assert sorted(user_names(listing)) == expected
    assert listing["totalResults"] == len(expected)


def test_filter_on_meta_last_modified(tenant):
    first = tenant.create_user("first")
    tick()
    second = tenant.create_user("second")
    assert second["meta"]["lastModified"] > first["meta"]["lastModified"]
    after_first = tenant.list(filter=f'meta.lastModified gt "{first["meta"]["lastModified"]}"')
    assert user_names(after_first) == ["second"]
    up_to_first = tenant.list(filter=f'meta.lastModified le "{first["meta"]["lastModified"]}"')
    assert user_names(up_to_first) == ["first"]
    tick()
    tenant.patch_ops(f"/Users/{first['id']}", {"op": "replace", "path": "title", "value": "x"})
    again = tenant.list(filter=f'meta.lastModified gt "{second["meta"]["lastModified"]}"')
    assert user_names(again) == ["first"]


# Pagination and sorting --------------------------------------------------------------------


def test_pagination_with_start_index_and_count(tenant, people):
    listing = tenant.list(sortBy="userName", startIndex=2, count=2)
    assert listing["totalResults"] == 5
    assert listing["itemsPerPage"] == 2
    assert listing["startIndex"] == 2
    assert user_names(listing) == ["bjensen", "cwu"]
    last = tenant.list(sortBy="userName", startIndex=5, count=2)
    assert user_names(last) == ["mmueller"]
    assert last["itemsPerPage"] == 1


def test_pages_cover_every_user_once(tenant, people):
    seen = []
    for start in (1, 3, 5):
        seen += user_names(tenant.list(startIndex=start, count=2))
    assert sorted(seen) == sorted(people)


def test_count_zero_gives_only_total_results(tenant, people):
    listing = tenant.list(count=0)
    assert listing["totalResults"] == 5
    assert not listing.get("Resources")
    assert listing["itemsPerPage"] == 0


def test_start_index_beyond_total(tenant, people):
    listing = tenant.list(startIndex=10)
    assert listing["totalResults"] == 5
    assert not listing.get("Resources")
    assert listing["itemsPerPage"] == 0
    assert listing["startIndex"] == 10


def test_pagination_applies_after_filter(tenant, people):
    listing = tenant.list(filter="active eq true", sortBy="userName", count=2)
    assert listing["totalResults"] == 3
    assert user_names(listing) == ["bjensen", "cwu"]


def test_sort_descending_and_ascending(tenant, people):
    descending = tenant.list(sortBy="userName", sortOrder="descending")
    assert user_names(descending) == sorted(people, reverse=True)
    ascending = tenant.list(sortBy="userName", sortOrder="ascending")
    assert user_names(ascending) == sorted(people)
    by_family = tenant.list(sortBy="name.familyName")
    assert user_names(by_family) == ["adoe", "bjensen", "mmueller", "jsmith", "cwu"]


# Projection --------------------------------------------------------------------------------


def test_attributes_keeps_only_what_was_asked_plus_always_returned(tenant, people):
    listing = tenant.list(attributes="userName")
    assert listing["totalResults"] == 5
    for resource in listing["Resources"]:
        assert {"id", "schemas", "userName"} <= set(resource)
        assert not {"emails", "name", "active", "externalId", ENTERPRISE} & set(resource)
    one = tenant.get(f"/Users/{people['cwu']['id']}", query_string={"attributes": "userName"})
    assert one.status_code == 200
    body = one.get_json()
    assert body["userName"] == "cwu" and body["id"] == people["cwu"]["id"]
    assert "emails" not in body and "name" not in body


def test_attributes_with_sub_attribute_and_extension(tenant, people):
    uid = people["jsmith"]["id"]
    body = tenant.get(f"/Users/{uid}",
                      query_string={"attributes": f"name.givenName,{ENTERPRISE}:department"}
                      ).get_json()
    assert body["name"] == {"givenName": "John"}
    assert body[ENTERPRISE] == {"department": "Marketing"}
    assert "emails" not in body


def test_excluded_attributes(tenant, people):
    listing = tenant.list(excludedAttributes="emails")
    for resource in listing["Resources"]:
        assert "emails" not in resource
        assert {"id", "userName", "name", "schemas"} <= set(resource)
    one = tenant.get(f"/Users/{people['adoe']['id']}",
                     query_string={"excludedAttributes": "emails,name"}).get_json()
    assert "emails" not in one and "name" not in one
    assert one["userName"] == "adoe"
    # `id` is returned always; excluding it has no effect.
    kept = tenant.get(f"/Users/{people['adoe']['id']}",
                      query_string={"excludedAttributes": "id,userName"}).get_json()
    assert kept["id"] == people["adoe"]["id"]


# .search -----------------------------------------------------------------------------------


def test_post_users_search(tenant, people):
    response = tenant.post("/Users/.search", {
        "schemas": [SEARCH_REQUEST],
        "filter": 'emails[type eq "work"].value ew "@work.example" and active eq true',
        "sortBy": "userName", "sortOrder": "descending",
        "startIndex": 1, "count": 2, "attributes": ["userName", "name.familyName"],
    })
    assert response.status_code == 200
    assert response.mimetype == SCIM_JSON
    listing = response.get_json()
    assert listing["schemas"] == [LIST_RESPONSE]
    assert listing["totalResults"] == 3
    assert user_names(listing) == ["jsmith", "cwu"]
    assert listing["Resources"][0]["name"] == {"familyName": "Smith"}
    assert "emails" not in listing["Resources"][0]


def test_root_search_spans_resource_types(tenant, people):
    tenant.create_group("Admins", [people["cwu"]["id"]])
    everything = tenant.post("/.search", {"schemas": [SEARCH_REQUEST]})
    assert everything.status_code == 200
    listing = everything.get_json()
    assert listing["totalResults"] == 6
    kinds = sorted(r["meta"]["resourceType"] for r in listing["Resources"])
    assert kinds == ["Group"] + ["User"] * 5
    only_user = tenant.post("/.search", {"schemas": [SEARCH_REQUEST],
                                         "filter": 'userName eq "cwu"'}).get_json()
    assert only_user["totalResults"] == 1
    assert only_user["Resources"][0]["id"] == people["cwu"]["id"]


# Replace -----------------------------------------------------------------------------------


def test_put_replaces_the_whole_resource(tenant):
    created = tenant.create_user(
        "bjensen", displayName="Babs", title="Tour Guide", nickName="B",
        emails=[{"value": "b@example.com", "type": "work"}],
        **{ENTERPRISE: {"department": "Sales"}},
    )
    uid = created["id"]
    tick()
    response = tenant.put(f"/Users/{uid}", {
        "schemas": [USER_SCHEMA], "userName": "bjensen",
        "name": {"givenName": "Barbara", "familyName": "Jensen"},
    })
    assert response.status_code == 200, response.get_json()
    replaced = response.get_json()
    for cleared in ("displayName", "title", "nickName", "emails", ENTERPRISE):
        assert cleared not in replaced
    assert replaced["schemas"] == [USER_SCHEMA]
    assert replaced["name"] == {"givenName": "Barbara", "familyName": "Jensen"}
    assert replaced["id"] == uid
    assert replaced["meta"]["created"] == created["meta"]["created"]
    assert replaced["meta"]["lastModified"] != created["meta"]["lastModified"]
    assert replaced["meta"]["version"] != created["meta"]["version"]
    assert response.headers["ETag"] == replaced["meta"]["version"]
    assert tenant.user(uid) == replaced


def test_put_cannot_change_the_id(tenant):
    uid = tenant.create_user("bjensen")["id"]
    response = tenant.put(f"/Users/{uid}", {"schemas": [USER_SCHEMA], "id": "other",
                                            "userName": "bjensen2"})
    assert response.status_code in (200, 400)
    assert tenant.get("/Users/other").status_code == 404
    assert tenant.user(uid)["id"] == uid


def test_put_unknown_id_is_404(tenant, scim_error):
    response = tenant.put("/Users/does-not-exist", {"schemas": [USER_SCHEMA],
                                                    "userName": "ghost"})
    scim_error(response, 404)
    assert tenant.list()["totalResults"] == 0


# Patch and delete --------------------------------------------------------------------------


def test_patch_returns_200_with_the_resource(tenant):
    created = tenant.create_user("bjensen", title="Intern")
    uid = created["id"]
    tick()
    response = tenant.patch_ops(f"/Users/{uid}",
                                {"op": "replace", "path": "title", "value": "Boss"},
                                {"op": "add", "path": "nickName", "value": "Babs"})
    assert response.status_code == 200
    assert response.mimetype == SCIM_JSON
    body = response.get_json()
    assert body["title"] == "Boss"
    assert body["nickName"] == "Babs"
    assert body["id"] == uid
    assert body["meta"]["version"] != created["meta"]["version"]
    assert body["meta"]["lastModified"] > created["meta"]["lastModified"]
    assert response.headers["ETag"] == body["meta"]["version"]
    assert tenant.user(uid) == body


def test_delete_then_get_is_404(tenant, scim_error):
    uid = tenant.create_user("bjensen")["id"]
    response = tenant.delete(f"/Users/{uid}")
    assert response.status_code == 204
    assert response.get_data() == b""
    scim_error(tenant.get(f"/Users/{uid}"), 404)
    scim_error(tenant.delete(f"/Users/{uid}"), 404)
    assert tenant.list()["totalResults"] == 0
    # The userName is free again.
    tenant.create_user("bjensen")


# Uniqueness --------------------------------------------------------------------------------


def test_user_name_uniqueness_is_case_insensitive(tenant, scim_error):
    tenant.create_user("bjensen")
    for taken in ("bjensen", "BJensen", "BJENSEN"):
        response = tenant.post("/Users", {"schemas": [USER_SCHEMA], "userName": taken})
        scim_error(response, 409, "uniqueness")
    assert tenant.list()["totalResults"] == 1


def test_rename_onto_a_taken_user_name_is_409(tenant, scim_error):
    tenant.create_user("bjensen")
    other = tenant.create_user("jsmith")
    before = tenant.user(other["id"])
    scim_error(tenant.put(f"/Users/{other['id']}", {"userName": "BJENSEN"}), 409, "uniqueness")
    scim_error(tenant.patch_ops(f"/Users/{other['id']}",
                                {"op": "replace", "path": "userName", "value": "bJensen"}),
               409, "uniqueness")
    assert tenant.user(other["id"]) == before
    # Changing only the case of one's own userName is not a conflict.
    renamed = tenant.put(f"/Users/{other['id']}", {"userName": "JSmith"})
    assert renamed.status_code == 200
    assert renamed.get_json()["userName"] == "JSmith"


# ETags -------------------------------------------------------------------------------------


@pytest.fixture
def versioned(tenant):
    """A user at version 2, and its stale version-1 ETag."""
    created = tenant.create_user("bjensen", title="v1")
    stale = created["meta"]["version"]
    response = tenant.patch_ops(f"/Users/{created['id']}",
                                {"op": "replace", "path": "title", "value": "v2"})
    assert response.status_code == 200
    current = response.get_json()
    assert current["meta"]["version"] != stale
    return current, stale


def test_stale_if_match_on_put_is_412_and_changes_nothing(tenant, versioned, scim_error):
    current, stale = versioned
    uid = current["id"]
    response = tenant.put(f"/Users/{uid}", {"userName": "bjensen", "title": "v3"},
                          headers={"If-Match": stale})
    scim_error(response, 412)
    assert tenant.user(uid) == current


def test_stale_if_match_on_patch_is_412_and_changes_nothing(tenant, versioned, scim_error):
    current, stale = versioned
    uid = current["id"]
    response = tenant.patch_ops(f"/Users/{uid}", {"op": "replace", "path": "title",
                                                  "value": "v3"},
                                headers={"If-Match": stale})
    scim_error(response, 412)
    assert tenant.user(uid) == current


def test_stale_if_match_on_delete_is_412_and_keeps_the_user(tenant, versioned, scim_error):
    current, stale = versioned
    uid = current["id"]
    scim_error(tenant.delete(f"/Users/{uid}", headers={"If-Match": stale}), 412)
    assert tenant.user(uid) == current


def test_current_if_match_is_accepted(tenant, versioned):
    current, _ = versioned
    uid = current["id"]
    etag = current["meta"]["version"]
    put = tenant.put(f"/Users/{uid}", {"userName": "bjensen", "title": "v3"},
                     headers={"If-Match": etag})
    assert put.status_code == 200
    assert put.get_json()["title"] == "v3"
    etag = put.headers["ETag"]
    patched = tenant.patch_ops(f"/Users/{uid}", {"op": "replace", "path": "title",
                                                 "value": "v4"},
                               headers={"If-Match": etag})
    assert patched.status_code == 200
    assert patched.get_json()["title"] == "v4"
    assert tenant.delete(f"/Users/{uid}",
                         headers={"If-Match": patched.headers["ETag"]}).status_code == 204
    assert tenant.get(f"/Users/{uid}").status_code == 404


def test_if_none_match_with_current_etag_is_304(tenant, versioned):
    current, stale = versioned
    uid = current["id"]
    response = tenant.get(f"/Users/{uid}", headers={"If-None-Match": current["meta"]["version"]})
    assert response.status_code == 304
    assert response.get_data() == b""
    assert response.headers["ETag"] == current["meta"]["version"]
    changed = tenant.get(f"/Users/{uid}", headers={"If-None-Match": stale})
    assert changed.status_code == 200
    assert changed.get_json() == current


# More query semantics ----------------------------------------------------------------------


def test_case_exact_attributes_compare_exactly(tenant, people):
    """externalId and id are caseExact (RFC 7643 §3.1): a different case does not match."""
    assert tenant.list(filter='externalId eq "JYOUNG"')["totalResults"] == 0
    uid = people["bjensen"]["id"]
    assert user_names(tenant.list(filter=f'id eq "{uid}"')) == ["bjensen"]
    assert tenant.list(filter=f'id eq "{uid.upper()}"')["totalResults"] == 0
    # userName is not caseExact: any case matches (checked above), and so does givenName.
    assert user_names(tenant.list(filter='name.givenName eq "barbara"')) == ["bjensen"]


def test_date_filters_compare_instants_not_text(tenant):
    first = tenant.create_user("first")
    tick()
    tenant.create_user("second")
    created = first["meta"]["created"]
    # The same instant written with another UTC offset.
    hour, rest = int(created[11:13]), created[13:-1]
    shifted = f"{created[:11]}{(hour + 1) % 24:02d}{rest}+01:00"
    if (hour + 1) % 24 < hour:
        pytest.skip("the shifted instant crosses midnight")
    assert user_names(tenant.list(filter=f'meta.created gt "{shifted}"')) == ["second"]
    assert user_names(tenant.list(filter=f'meta.created eq "{shifted}"')) == ["first"]


def test_sort_puts_missing_values_last_ascending_and_first_descending(tenant):
    """RFC 7644 §3.4.2.3: resources without a value sort last ascending, first descending."""
    tenant.create_user("a", name={"familyName": "Xu"})
    tenant.create_user("b")
    tenant.create_user("c", name={"familyName": "Abe"})
    assert user_names(tenant.list(sortBy="name.familyName")) == ["c", "a", "b"]
    assert user_names(tenant.list(sortBy="name.familyName", sortOrder="descending")) == [
        "b", "a", "c"]


def test_sort_is_case_insensitive_for_user_name(tenant):
    for name in ("bob", "Alice", "carol"):
        tenant.create_user(name)
    assert user_names(tenant.list(sortBy="userName")) == ["Alice", "bob", "carol"]


def test_start_index_below_one_counts_as_one(tenant, people):
    listing = tenant.list(startIndex=0, count=2, sortBy="userName")
    assert listing["startIndex"] == 1
    assert user_names(listing) == ["adoe", "bjensen"]


def test_root_search_sorts_across_resource_types(tenant):
    tenant.create_user("u1", displayName="b")
    tenant.create_user("u2", displayName="d")
    tenant.create_group("c")
    response = tenant.post("/.search", {"schemas": [SEARCH_REQUEST], "sortBy": "displayName"})
    assert response.status_code == 200
    assert [r["displayName"] for r in response.get_json()["Resources"]] == ["b", "c", "d"]


def test_root_search_sort_by_an_attribute_groups_lack(tenant):
    tenant.create_user("b")
    tenant.create_user("a")
    tenant.create_group("G")
    response = tenant.post("/.search", {"schemas": [SEARCH_REQUEST], "sortBy": "userName"})
    assert response.status_code == 200, response.get_json()
    resources = response.get_json()["Resources"]
    assert [r.get("userName") for r in resources] == ["a", "b", None]
    assert resources[-1]["displayName"] == "G"


def test_head_is_get_without_a_body(tenant):
    uid = tenant.create_user("bjensen")["id"]
    listing = tenant.client.head(tenant.base + "/Users", headers=tenant.headers)
    assert listing.status_code == 200
    assert listing.get_data() == b""
    one = tenant.client.head(tenant.base + f"/Users/{uid}", headers=tenant.headers)
    assert one.status_code == 200
    assert one.headers["ETag"] == 'W/"1"'
    assert one.get_data() == b""
    assert tenant.client.head(tenant.base + "/Users").status_code == 401


# Concurrency -------------------------------------------------------------------------------


def parallel(app, tenant, count: int, work) -> list:
    """Run `work(tenant_with_own_client, i)` for i in range(count) on 16 threads."""
    def run(i: int):
        return work(dataclasses.replace(tenant, client=app.test_client()), i)

    with ThreadPoolExecutor(16) as pool:
        return list(pool.map(run, range(count)))


def test_concurrent_creates_of_one_user_name_make_one_user(app, tenant):
    statuses = parallel(app, tenant, 40, lambda t, i: t.post(
        "/Users", {"schemas": [USER_SCHEMA], "userName": "Same" if i % 2 else "same"}
    ).status_code)
    assert sorted(set(statuses)) == [201, 409]
    assert statuses.count(201) == 1
    assert tenant.list(filter='userName eq "same"')["totalResults"] == 1


def test_concurrent_puts_with_one_if_match_let_one_win(app, tenant):
    user = tenant.create_user("bjensen", title="v1")
    etag = user["meta"]["version"]
    statuses = parallel(app, tenant, 20, lambda t, i: t.put(
        f"/Users/{user['id']}", {"userName": "bjensen", "title": f"writer {i}"},
        headers={"If-Match": etag}).status_code)
    assert statuses.count(200) == 1
    assert statuses.count(412) == 19
    winner = statuses.index(200)
    assert tenant.user(user["id"])["title"] == f"writer {winner}"


def test_if_match_star_and_tag_lists(tenant, versioned, scim_error):
    current, stale = versioned
    uid = current["id"]
    star = tenant.patch_ops(f"/Users/{uid}", {"op": "replace", "path": "title", "value": "v3"},
                            headers={"If-Match": "*"})
    assert star.status_code == 200
    etag = star.headers["ETag"]
    listed = tenant.patch_ops(f"/Users/{uid}", {"op": "replace", "path": "title",
                                                "value": "v4"},
                              headers={"If-Match": f"{stale}, {etag}"})
    assert listed.status_code == 200
    only_stale = tenant.patch_ops(f"/Users/{uid}", {"op": "replace", "path": "title",
                                                    "value": "v5"},
                                  headers={"If-Match": f'{stale}, W/"999"'})
    scim_error(only_stale, 412)
    assert tenant.user(uid)["title"] == "v4"


def test_patch_that_changes_nothing_keeps_the_version(tenant):
    user = tenant.create_user("bjensen", title="Boss")
    response = tenant.patch_ops(f"/Users/{user['id']}",
                                {"op": "replace", "path": "title", "value": "Boss"})
    assert response.status_code == 200
    assert response.get_json()["meta"]["version"] == user["meta"]["version"]
    assert tenant.user(user["id"]) == user


def test_excluding_every_sub_attribute_drops_the_attribute(tenant):
    uid = tenant.create_user("solo", name={"familyName": "Solo"})["id"]
    body = tenant.get(f"/Users/{uid}?excludedAttributes=name.familyName").get_json()
    assert "name" not in body
    assert body["userName"] == "solo"
