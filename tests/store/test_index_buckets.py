"""Index buckets: one id per key in the usual case, a set when several rows share a key."""

from __future__ import annotations

from sandbox.store.indexes import Bucket, IndexSpec


def tags(data):
    return iter(data.get("tags", ()))


def bucket() -> Bucket:
    return Bucket((IndexSpec("name", lambda d: iter([d["name"]])), IndexSpec("tags", tags)))


def test_a_key_held_by_one_then_two_then_one_row():
    b = bucket()
    b.add("a", 1, {"name": "x", "tags": ["t", "u"]})
    assert b.find("name", "x") == {"a"} and b.find("tags", "t") == {"a"}
    b.add("b", 2, {"name": "y", "tags": ["t"]})
    assert b.find("tags", "t") == {"a", "b"} and b.find("tags", "u") == {"a"}
    assert b.remove("a") == 1
    assert b.find("tags", "t") == {"b"} and b.find("tags", "u") == set()
    assert b.find("name", "x") == set()
    b.remove("b")
    assert b.lookups == {"name": {}, "tags": {}}


def test_replace_moves_a_row_to_its_new_keys():
    b = bucket()
    b.add("a", 1, {"name": "x", "tags": ["t"]})
    b.add("b", 2, {"name": "z", "tags": ["t"]})
    b.replace("a", {"name": "y"})
    assert b.find("name", "x") == set() and b.find("name", "y") == {"a"}
    assert b.find("tags", "t") == {"b"}


def test_duplicate_keys_of_one_row_count_once():
    b = bucket()
    b.add("a", 1, {"name": "x", "tags": ["t", "t"]})
    b.remove("a")
    assert b.find("tags", "t") == set()


def test_find_hands_out_a_copy():
    b = bucket()
    b.add("a", 1, {"name": "x", "tags": ["t"]})
    b.add("b", 2, {"name": "y", "tags": ["t"]})
    b.find("tags", "t").clear()
    b.find("name", "x").clear()
    assert b.find("tags", "t") == {"a", "b"} and b.find("name", "x") == {"a"}
