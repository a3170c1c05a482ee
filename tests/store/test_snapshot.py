"""Per-tenant snapshots: export a tenant's resources, replace them all atomically."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from sandbox.service.indexes import INDEXES
from sandbox.store import Store


def user(rid: str, name: str, **extra: Any) -> dict[str, Any]:
    meta = {"resourceType": "User", "created": "2024-01-01T00:00:00Z", "version": 'W/"1"'}
    return {"id": rid, "userName": name, "meta": meta, **extra}


def group(gid: str, *members: str) -> dict[str, Any]:
    return {"id": gid, "displayName": gid, "members": [{"value": m} for m in members],
            "meta": {"resourceType": "Group"}}


def populate(store: Store, tenant: str) -> None:
    store.add_tenant({"id": tenant, "vendor": "generic", "token": "x" * 8})
    for i in range(4):
        store.insert(tenant, "User", f"u{i}", user(f"u{i}", f"user{i}@x.org", externalId=f"e{i}"))
    store.insert(tenant, "Group", "g1", group("g1", "u0", "u1"))
    store.delete(tenant, "User", "u2")


@pytest.fixture
def store() -> Store:
    s = Store(indexes=INDEXES)
    populate(s, "t1")
    s.add_tenant({"id": "t2", "vendor": "generic", "token": "y" * 8})
    return s


def test_export_gives_every_resource_as_stored_in_creation_order(store):
    exported = store.export_resources("t1")
    assert list(exported) == ["User", "Group"]
    assert [u["id"] for u in exported["User"]] == ["u0", "u1", "u3"]
    assert exported["User"][0] == user("u0", "user0@x.org", externalId="e0")
    assert exported["Group"] == [group("g1", "u0", "u1")]
    assert store.export_resources("t2") == {}


def test_export_returns_copies(store):
    exported = store.export_resources("t1")
    exported["User"][0]["userName"] = "changed"
    exported["Group"][0]["members"].clear()
    assert store.get("t1", "User", "u0")["userName"] == "user0@x.org"
    assert len(store.get("t1", "Group", "g1")["members"]) == 2


def test_export_can_name_the_types_it_lists(store):
    assert store.export_resources("t2", ["User", "Group"]) == {"User": [], "Group": []}
    assert list(store.export_resources("t1", ["Group", "User"])) == ["Group", "User"]


def test_round_trip_into_another_tenant_gives_an_equal_export(store):
    exported = store.export_resources("t1")
    store.replace_resources("t2", exported)
    assert store.export_resources("t2") == exported
    # The copy is indexed like any write.
    assert [r["id"] for r in store.find("t2", "User", "userName", "user3@x.org")] == ["u3"]
    assert [r["id"] for r in store.find("t2", "Group", "members", "u1")] == ["g1"]


def test_replace_makes_the_state_exactly_the_given_one(store):
    state = {"Group": [group("g7", "n1")],
             "User": [user("n1", "new@x.org"), user("u0", "re@x.org")]}
    store.replace_resources("t1", state)
    exported = store.export_resources("t1")
    assert exported == state and list(exported) == ["Group", "User"]
    assert store.get("t1", "User", "u1") is None and store.get("t1", "Group", "g1") is None
    assert store.find("t1", "User", "userName", "user0@x.org") == []
    assert store.find("t1", "User", "externalId", "e1") == []
    assert [r["id"] for r in store.find("t1", "User", "userName", "re@x.org")] == ["u0"]
    assert store.count("t1", "User") == 2


def test_replace_with_nothing_empties_the_tenant(store):
    store.replace_resources("t1", {})
    assert store.export_resources("t1") == {}
    store.replace_resources("t2", {"User": [], "Group": []})
    assert store.export_resources("t2", ["User", "Group"]) == {"User": [], "Group": []}


def test_replace_stores_copies_of_the_given_state(store):
    state = {"User": [user("n1", "new@x.org")]}
    store.replace_resources("t2", state)
    state["User"][0]["userName"] = "changed"
    assert store.get("t2", "User", "n1")["userName"] == "new@x.org"


def test_tenants_stay_isolated(store):
    populate(store, "t3")
    before = store.export_resources("t3")
    store.replace_resources("t1", {"User": [user("u0", "mine@x.org")]})
    assert store.export_resources("t3") == before
    assert store.find("t3", "User", "userName", "user0@x.org")[0]["id"] == "u0"
    assert store.find("t1", "User", "userName", "user0@x.org") == []


BAD_STATES = {
    "not an object": ([user("u9", "x")], "must be an object of resource types"),
    "type not a list": ({"User": {"id": "u9"}}, "'User' must be a list"),
    "item not an object": ({"User": ["u9"]}, "'User' item 0 must be an object"),
    "missing id": ({"User": [user("u9", "x"), {"userName": "y"}]}, "item 1 needs a non-empty"),
    "id not a string": ({"User": [{"id": 9}]}, "needs a non-empty string 'id'"),
    "empty id": ({"User": [{"id": ""}]}, "needs a non-empty string 'id'"),
    "duplicate id": ({"User": [user("u9", "a"), user("u9", "b")]}, "duplicate id 'u9'"),
    "empty type": ({"": []}, "must be a non-empty string"),
    "not JSON": ({"User": [user("u9", "a", tags={1})]}, "only JSON values"),
}


@pytest.mark.parametrize("bad", BAD_STATES.values(), ids=BAD_STATES.keys())
def test_bad_input_raises_and_changes_nothing(store, bad):
    state, message = bad
    before = copy.deepcopy(store.export_resources("t1"))
    with pytest.raises(ValueError, match=message):
        store.replace_resources("t1", state)
    assert store.export_resources("t1") == before
    assert store.find("t1", "User", "externalId", "e0")[0]["id"] == "u0"


def test_the_same_id_in_two_types_is_allowed(store):
    store.replace_resources("t2", {"User": [user("x", "x@x.org")], "Group": [group("x")]})
    assert store.get("t2", "User", "x")["userName"] == "x@x.org"
    assert store.get("t2", "Group", "x")["displayName"] == "x"


def test_replace_of_an_unknown_tenant_raises(store):
    with pytest.raises(KeyError):
        store.replace_resources("nobody", {"User": []})


def test_durable_replace_is_one_record_and_survives_reopen(tmp_path: Path):
    path = tmp_path / "sandbox.json"
    log = tmp_path / "sandbox.json.log"
    store = Store.open(path, indexes=INDEXES, compact_bytes=1 << 40)
    populate(store, "t1")
    state = {"User": [user(f"n{i}", f"n{i}@x.org") for i in range(50)], "Group": [group("g", "n1")]}
    records = log.read_bytes().count(b"\n")
    store.replace_resources("t1", state)
    assert log.read_bytes().count(b"\n") == records + 1

    size = log.stat().st_size
    with pytest.raises(ValueError):
        store.replace_resources("t1", {"User": [{"id": "dup"}, {"id": "dup"}]})
    assert log.stat().st_size == size  # a refused replace writes nothing
    store.close(compact=False)

    with Store.open(path, indexes=INDEXES) as reopened:
        assert reopened.export_resources("t1") == state
        assert reopened.find("t1", "Group", "members", "n1")[0]["id"] == "g"
