"""The store: TinyDB rows, per-tenant indexes, isolation, and transactions."""

from __future__ import annotations

import threading

import pytest

from sandbox.service.indexes import INDEXES
from sandbox.store import Store


@pytest.fixture
def store() -> Store:
    s = Store(indexes=INDEXES)
    s.add_tenant({"id": "t1", "vendor": "generic", "token": "x" * 8})
    s.add_tenant({"id": "t2", "vendor": "generic", "token": "y" * 8})
    return s


def user(rid: str, user_name: str, **extra) -> dict:
    return {"id": rid, "userName": user_name, **extra}


def test_insert_and_get_by_id(store):
    store.insert("t1", "User", "u1", user("u1", "ann"))
    assert store.get("t1", "User", "u1")["userName"] == "ann"
    assert store.get("t1", "User", "missing") is None


def test_rows_are_kept_in_tinydb_with_their_tenant(store):
    store.insert("t1", "User", "u1", user("u1", "ann"))
    rows = store.db.table("resources").all()
    assert rows == [{"tenant": "t1", "type": "User", "id": "u1", "data": user("u1", "ann")}]


def test_no_lookup_crosses_tenants(store):
    store.insert("t1", "User", "u1", user("u1", "ann"))
    assert store.get("t2", "User", "u1") is None
    assert store.find("t2", "User", "userName", "ann") == []
    assert list(store.all("t2", "User")) == []
    assert store.count("t1", "User") == 1 and store.count("t2", "User") == 0


def test_user_name_index_is_case_insensitive(store):
    store.insert("t1", "User", "u1", user("u1", "Ann.Lee@Example.com"))
    assert [r["id"] for r in store.find("t1", "User", "userName", "ann.lee@example.com")] == ["u1"]


def test_external_id_index_is_exact(store):
    store.insert("t1", "User", "u1", user("u1", "ann", externalId="AbC"))
    assert store.find("t1", "User", "externalId", "AbC")[0]["id"] == "u1"
    assert store.find("t1", "User", "externalId", "abc") == []


def test_work_email_index(store):
    store.insert("t1", "User", "u1", user("u1", "ann", emails=[
        {"value": "home@x.org", "type": "home"}, {"value": "Ann@Work.com", "type": "work"}]))
    assert store.find("t1", "User", "emails[type eq work].value", "ann@work.com")[0]["id"] == "u1"
    assert store.find("t1", "User", "emails[type eq work].value", "home@x.org") == []


def test_update_moves_index_keys(store):
    store.insert("t1", "User", "u1", user("u1", "ann"))
    store.update("t1", "User", "u1", user("u1", "bea"))
    assert store.find("t1", "User", "userName", "ann") == []
    assert store.find("t1", "User", "userName", "bea")[0]["id"] == "u1"
    assert store.get("t1", "User", "u1")["userName"] == "bea"


def test_delete_removes_row_and_index_entries(store):
    store.insert("t1", "User", "u1", user("u1", "ann"))
    assert store.delete("t1", "User", "u1") is True
    assert store.get("t1", "User", "u1") is None
    assert store.find("t1", "User", "userName", "ann") == []
    assert store.delete("t1", "User", "u1") is False
    assert store.db.table("resources").all() == []


def test_a_delete_touches_no_other_row(store):
    # What a deleted user's groups become is the service's decision (tests/service).
    store.insert("t1", "User", "u1", user("u1", "ann"))
    store.insert("t1", "Group", "g1", {"id": "g1", "displayName": "g1",
                                       "members": [{"value": "u1"}]})
    assert store.delete("t1", "User", "u1") is True
    assert store.get("t1", "Group", "g1")["members"] == [{"value": "u1"}]


def test_writes_inside_one_transaction_see_each_other(store):
    with store.transaction():
        store.insert("t1", "User", "u1", user("u1", "ann"))
        store.insert("t1", "Group", "g1", {"id": "g1", "displayName": "g1",
                                           "members": [{"value": "u1"}]})
        assert [g["id"] for g in store.find("t1", "Group", "members", "u1")] == ["g1"]
        store.delete("t1", "User", "u1")
    assert store.get("t1", "User", "u1") is None
    assert store.get("t1", "Group", "g1") is not None


def test_remove_tenant_drops_its_rows_only(store):
    store.insert("t1", "User", "u1", user("u1", "ann"))
    store.insert("t2", "User", "u1", user("u1", "ann"))
    assert store.remove_tenant("t1") is True
    assert store.get_tenant("t1") is None
    assert store.get("t2", "User", "u1") is not None
    assert [r["tenant"] for r in store.db.table("resources").all()] == ["t2"]


def test_indexes_are_rebuilt_from_tinydb(store):
    store.insert("t1", "User", "u1", user("u1", "Ann", externalId="e1"))
    reopened = Store(store.db, indexes=INDEXES)
    assert reopened.get("t1", "User", "u1")["userName"] == "Ann"
    assert reopened.find("t1", "User", "userName", "ann")[0]["id"] == "u1"
    assert reopened.find("t1", "User", "externalId", "e1")[0]["id"] == "u1"
    assert reopened.get_tenant("t2")["token"] == "y" * 8


def test_duplicate_ids_are_refused(store):
    store.insert("t1", "User", "u1", user("u1", "ann"))
    with pytest.raises(KeyError):
        store.insert("t1", "User", "u1", user("u1", "bob"))
    with pytest.raises(KeyError):
        store.add_tenant({"id": "t1", "vendor": "generic", "token": "z" * 8})


def test_all_keeps_creation_order(store):
    for i in range(5):
        store.insert("t1", "User", f"u{i}", user(f"u{i}", f"n{i}"))
    store.delete("t1", "User", "u2")
    assert [r["id"] for r in store.all("t1", "User")] == ["u0", "u1", "u3", "u4"]


def test_concurrent_inserts_keep_index_and_rows_consistent(store):
    def worker(n: int) -> None:
        for i in range(200):
            rid = f"{n}-{i}"
            store.insert("t1", "User", rid, user(rid, f"name-{rid}"))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.count("t1", "User") == 800
    assert len(store.db.table("resources")) == 800
    assert len(store.find("t1", "User", "userName", "name-3-199")) == 1
