"""Durable file mode: writes of every kind survive a reopen, and damaged or half-compacted
files either load correctly or fail loudly."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest
from tinydb import TinyDB
from tinydb.storages import JSONStorage

from sandbox.config import SandboxConfig
from sandbox.service.indexes import INDEXES
from sandbox.store import Store, changelog
from sandbox.store.changelog import StoreFileError

HUGE = 1 << 40  # a compaction threshold never reached


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "sandbox.json"


def log_of(path: Path) -> Path:
    return path.with_name(path.name + ".log")


def user(rid: str, name: str, **extra: Any) -> dict[str, Any]:
    return {"id": rid, "userName": name, **extra}


def group(gid: str, *members: str) -> dict[str, Any]:
    return {"id": gid, "displayName": gid.upper(), "members": [{"value": m} for m in members]}


def phase_one(store: Store) -> None:
    """Tenants and resources, with writes of every kind."""
    for tenant in ("t1", "t2", "t3"):
        store.add_tenant({"id": tenant, "vendor": "generic", "token": tenant * 4})
    store.update_tenant({"id": "t1", "settings": {"active": False}})
    for i in range(6):
        store.insert("t1", "User", f"u{i}", user(f"u{i}", f"User.{i}@x.org", externalId=f"e{i}"))
    store.insert("t1", "Group", "g1", group("g1", "u0", "u1", "u2"))
    store.insert("t1", "Group", "g2", group("g2", "u1"))
    store.update("t1", "User", "u3", user("u3", "renamed@x.org", externalId="e3"))
    store.insert("t2", "User", "u0", user("u0", "other@x.org"))
    store.insert("t3", "User", "u0", user("u0", "gone@x.org"))


def delete_leaving_groups(store: Store, tenant: str, rid: str) -> None:
    """A delete and the groups it leaves in one transaction, as the service writes them."""
    with store.transaction():
        store.delete(tenant, "User", rid)
        for found in store.find(tenant, "Group", "members", rid):
            members = [m for m in found["members"] if m["value"] != rid]
            store.update(tenant, "Group", found["id"],
                         {**found, "members": members, "touched": True})


def phase_two(store: Store) -> None:
    """Changes over phase one: deletes with a group cascade, clears, removals, a replace."""
    delete_leaving_groups(store, "t1", "u1")
    store.delete("t1", "User", "u5")  # the newest row: its doc id must not come back
    store.insert("t1", "User", "u6", user("u6", "new@x.org"))
    store.clear_resources("t2")
    store.insert("t2", "Group", "g9", group("g9"))
    store.remove_tenant("t3")
    store.add_tenant({"id": "t4", "vendor": "visitly", "token": "t4" * 4})
    store.replace_resources("t4", {"User": [user("a", "a@x.org")], "Group": [group("b", "a")]})


def state_of(store: Store) -> dict[str, Any]:
    """Everything observable: tenants, resources in order, and answers of every index."""
    tenants = sorted((dict(t) for t in store.tenants()), key=lambda t: t["id"])
    resources = {t["id"]: store.export_resources(t["id"]) for t in tenants}
    lookups = {
        "by userName": [r["id"] for r in store.find("t1", "User", "userName", "renamed@x.org")],
        "by externalId": [r["id"] for r in store.find("t1", "User", "externalId", "e4")],
        "members u0": [r["id"] for r in store.find("t1", "Group", "members", "u0")],
        "members u1": [r["id"] for r in store.find("t1", "Group", "members", "u1")],
        "t4 members a": [r["id"] for r in store.find("t4", "Group", "members", "a")],
        "counts": [store.count(t["id"], "User") for t in tenants],
    }
    return {"tenants": tenants, "resources": resources, "lookups": lookups}


def reference_state(*phases: Any) -> dict[str, Any]:
    """The same writes applied to a memory store."""
    store = Store(indexes=INDEXES)
    for phase in phases:
        phase(store)
    return state_of(store)


def doc_ids(store: Store) -> dict[str, int]:
    return {row["id"]: row.doc_id for row in store.db.table("resources").all()
            if row["tenant"] == "t1"}


# Reopening ---------------------------------------------------------------------------------


@pytest.mark.parametrize("compact", [True, False], ids=["compacted", "log-replayed"])
def test_every_kind_of_write_comes_back_after_reopen(path, compact):
    store = Store.open(path, indexes=INDEXES)
    phase_one(store)
    phase_two(store)
    before = state_of(store)
    store.close(compact=compact)
    assert log_of(path).stat().st_size == 0 if compact else log_of(path).stat().st_size > 0

    reopened = Store.open(path, indexes=INDEXES)
    assert state_of(reopened) == before == reference_state(phase_one, phase_two)
    assert reopened.get_tenant("t1")["settings"] == {"active": False}
    assert reopened.get("t1", "Group", "g1")["touched"] is True
    reopened.close()


def test_writes_continue_across_several_reopens(path):
    with Store.open(path, indexes=INDEXES) as store:
        phase_one(store)
    with Store.open(path, indexes=INDEXES) as store:
        phase_two(store)
    with Store.open(path, indexes=INDEXES) as store:
        assert state_of(store) == reference_state(phase_one, phase_two)


def test_document_ids_are_never_reused_after_reopen(path):
    with Store.open(path, indexes=INDEXES) as store:
        phase_one(store)
        deleted = doc_ids(store)["u5"]
        store.delete("t1", "User", "u5")
    with Store.open(path, indexes=INDEXES) as store:
        store.insert("t1", "User", "u7", user("u7", "later@x.org"))
        assert doc_ids(store)["u7"] > deleted
        assert [r["id"] for r in store.all("t1", "User")][-1] == "u7"


def test_one_transaction_is_one_log_record_even_with_a_cascade(path):
    store = Store.open(path, indexes=INDEXES, compact_bytes=HUGE)
    phase_one(store)
    lines = log_of(path).read_bytes().count(b"\n")
    delete_leaving_groups(store, "t1", "u1")  # also rewrites g1 and g2
    assert log_of(path).read_bytes().count(b"\n") == lines + 1
    record = json.loads(log_of(path).read_bytes().splitlines()[-1])
    assert sorted(entry[2]["id"] for entry in record["put"]) == ["g1", "g2"]
    assert len(record["del"]) == 1
    store.close()


def test_snapshot_is_tinydb_json(path):
    with Store.open(path, indexes=INDEXES) as store:
        phase_one(store)
    db = TinyDB(path, storage=JSONStorage, access_mode="r")
    assert {row["id"] for row in db.table("tenants").all()} == {"t1", "t2", "t3"}
    assert len(db.table("resources").all()) == 10
    db.close()


def test_an_empty_data_file_is_created_on_open(tmp_path):
    path = tmp_path / "new" / "dir" / "sandbox.json"
    Store.open(path, indexes=INDEXES).close()
    assert json.loads(path.read_text())["_meta"]
    assert log_of(path).read_bytes() == b""


# Damage ------------------------------------------------------------------------------------


@pytest.mark.parametrize("torn", [b'{"put":[["resources",99,{"tenant"', b'{"put":[["res\n',
                                  b"\x00\x00\x00\x00"])
def test_a_torn_last_record_is_ignored_and_cut_away(path, torn):
    store = Store.open(path, indexes=INDEXES)
    phase_one(store)
    store.close(compact=False)
    good = log_of(path).read_bytes()
    with open(log_of(path), "ab") as log:
        log.write(torn)

    reopened = Store.open(path, indexes=INDEXES, compact_bytes=HUGE)
    assert state_of(reopened) == reference_state(phase_one)
    assert log_of(path).read_bytes() in (good, b"")  # cut back (or compacted on open)
    reopened.insert("t1", "User", "u9", user("u9", "after@x.org"))
    reopened.close(compact=False)
    with Store.open(path, indexes=INDEXES) as again:
        assert again.get("t1", "User", "u9")["userName"] == "after@x.org"


def test_a_damaged_record_in_the_middle_raises_naming_file_and_line(path):
    store = Store.open(path, indexes=INDEXES)
    phase_one(store)
    store.close(compact=False)
    lines = log_of(path).read_bytes().splitlines(keepends=True)
    lines[2] = b'{"put": [["resources", 3, {"tenant": "t1"\n'
    damaged = b"".join(lines)
    log_of(path).write_bytes(damaged)

    with pytest.raises(StoreFileError, match=r"sandbox\.json\.log, line 3: unreadable"):
        Store.open(path, indexes=INDEXES)
    assert log_of(path).read_bytes() == damaged  # nothing was cut or compacted away


def test_a_record_of_the_wrong_shape_raises(path):
    Store.open(path, indexes=INDEXES).close()
    log_of(path).write_bytes(b'{"put": [["resources", "x"]]}\n{"put": []}\n')
    with pytest.raises(StoreFileError, match=r"line 1: bad change record"):
        Store.open(path, indexes=INDEXES)


def test_a_file_that_is_not_ours_raises(path):
    path.write_text('{"tenants": [1, 2]}')
    with pytest.raises(StoreFileError, match="not a sandbox data file"):
        Store.open(path, indexes=INDEXES)
    path.write_text("{not json")
    with pytest.raises(StoreFileError, match="not a readable sandbox data file"):
        Store.open(path, indexes=INDEXES)


def test_a_failed_append_leaves_no_partial_record_and_loses_nothing(path, monkeypatch):
    store = Store.open(path, indexes=INDEXES, compact_bytes=HUGE)
    phase_one(store)
    size = log_of(path).stat().st_size

    def half_then_fail(fd: int, data: bytes) -> None:
        os.write(fd, data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    real = changelog._write_all
    monkeypatch.setattr(changelog, "_write_all", half_then_fail)
    with pytest.raises(OSError):
        store.insert("t1", "User", "u8", user("u8", "pending@x.org"))
    assert log_of(path).stat().st_size == size
    monkeypatch.setattr(changelog, "_write_all", real)
    # Memory holds u8, so the next record carries it too: the file never falls behind memory.
    store.insert("t1", "User", "u9", user("u9", "next@x.org"))
    store.close(compact=False)
    with Store.open(path, indexes=INDEXES) as reopened:
        assert reopened.get("t1", "User", "u8") is not None
        assert reopened.get("t1", "User", "u9") is not None


def test_values_json_cannot_hold_are_refused_before_any_change(path):
    with Store.open(path, indexes=INDEXES) as store:
        phase_one(store)
        with pytest.raises(ValueError, match="not storable as JSON"):
            store.insert("t1", "User", "bad", user("bad", "bad@x.org", tags={1, 2}))
        assert store.get("t1", "User", "bad") is None
        store.insert("t1", "User", "ok", user("ok", "ok@x.org"))
    with Store.open(path, indexes=INDEXES) as store:
        assert store.get("t1", "User", "ok") is not None


def test_a_second_writer_is_kept_out_and_a_closed_store_refuses_writes(path):
    store = Store.open(path, indexes=INDEXES)
    with pytest.raises(StoreFileError, match="in use"):
        Store.open(path, indexes=INDEXES)
    store.close()
    assert not store.durable
    with pytest.raises(StoreFileError, match="closed"):
        store.add_tenant({"id": "late", "vendor": "generic", "token": "z" * 8})
    Store.open(path, indexes=INDEXES).close()  # the lock went with close()


def test_a_store_dropped_without_close_lets_go_of_the_file(path):
    store = Store.open(path, indexes=INDEXES)
    store.add_tenant({"id": "t1", "vendor": "generic", "token": "x" * 8})
    del store
    gc.collect()
    with Store.open(path, indexes=INDEXES) as reopened:
        assert reopened.get_tenant("t1") is not None


def test_concurrent_writers_in_one_process_are_all_logged(path):
    store = Store.open(path, indexes=INDEXES, compact_bytes=16 * 1024)
    store.add_tenant({"id": "t1", "vendor": "generic", "token": "x" * 8})

    def worker(n: int) -> None:
        for i in range(60):
            store.insert("t1", "User", f"{n}-{i}", user(f"{n}-{i}", f"name-{n}-{i}"))
            if i % 2:
                store.update("t1", "User", f"{n}-{i - 1}", user(f"{n}-{i - 1}", f"v2-{n}-{i}"))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    before = store.export_resources("t1")
    store.close(compact=False)
    with Store.open(path, indexes=INDEXES) as reopened:
        assert reopened.export_resources("t1") == before
        assert reopened.count("t1", "User") == 240
        assert reopened.find("t1", "User", "userName", "v2-3-59")[0]["id"] == "3-58"


# Compaction --------------------------------------------------------------------------------


def test_compaction_keeps_everything_and_bounds_the_log(path):
    store = Store.open(path, indexes=INDEXES, compact_bytes=8192)
    phase_one(store)
    for i in range(400):
        store.update("t1", "User", "u0", user("u0", f"v{i}@x.org", externalId="e0"))
        threshold = max(8192, path.stat().st_size)
        assert log_of(path).stat().st_size < threshold
    phase_two(store)
    before = state_of(store)
    store.close(compact=False)
    assert json.loads(path.read_text())["resources"]  # compactions happened along the way
    with Store.open(path, indexes=INDEXES) as reopened:
        assert state_of(reopened) == before
        assert reopened.get("t1", "User", "u0")["userName"] == "v399@x.org"


def test_compaction_waits_for_the_log_to_outgrow_the_snapshot(path):
    store = Store.open(path, indexes=INDEXES, compact_bytes=1024)
    store.add_tenant({"id": "t1", "vendor": "generic", "token": "x" * 8})
    big = "x" * 4000
    store.replace_resources("t1", {"User": [user(f"u{i}", f"n{i}", bio=big) for i in range(20)]})
    snapshot = path.stat().st_size
    assert snapshot > 80_000 and log_of(path).stat().st_size == 0
    store.update("t1", "User", "u0", user("u0", "n0", bio=big))
    assert log_of(path).stat().st_size > 1024  # past the threshold, below the snapshot
    assert path.stat().st_size == snapshot
    store.close()


def test_a_failed_compaction_fails_no_write_and_is_not_retried_at_once(path, monkeypatch):
    store = Store.open(path, indexes=INDEXES, compact_bytes=4096)
    store.add_tenant({"id": "t1", "vendor": "generic", "token": "x" * 8})
    attempts = []

    def disk_full(target: Path, data: bytes) -> None:
        attempts.append(len(data))
        raise OSError(28, "No space left on device")

    real = changelog.write_durably
    monkeypatch.setattr(changelog, "write_durably", disk_full)
    for i in range(60):  # about 6 KB of log: one failed attempt, then a wait for 2x the log
        store.insert("t1", "User", f"u{i}", user(f"u{i}", f"n{i}@x.org"))
    assert len(attempts) == 1
    assert not path.with_name(path.name + ".tmp").exists()
    monkeypatch.setattr(changelog, "write_durably", real)
    for i in range(60, 200):
        store.insert("t1", "User", f"u{i}", user(f"u{i}", f"n{i}@x.org"))
    assert log_of(path).stat().st_size < 16_000  # compacted again once the disk recovered
    store.close(compact=False)
    with Store.open(path, indexes=INDEXES) as reopened:
        assert reopened.count("t1", "User") == 200


CRASH_POINTS = ["temp-half-written", "temp-written", "renamed", "dir-synced", "no-crash"]

COMPACT_AND_CRASH = """
import os, sys
from sandbox.store import changelog
from sandbox.store.store import Store

point = sys.argv[2]
real_write, real_replace, real_fsync_dir = changelog.write_durably, os.replace, changelog.fsync_dir

def die():
    os._exit(17)

def half_written(path, data):
    with open(path, "wb") as f:
        f.write(data[: len(data) // 2])
    die()

if point == "temp-half-written":
    changelog.write_durably = half_written
elif point == "temp-written":
    changelog.write_durably = lambda path, data: (real_write(path, data), die())
elif point == "renamed":
    os.replace = lambda a, b: (real_replace(a, b), die())
elif point == "dir-synced":
    changelog.fsync_dir = lambda d: (real_fsync_dir(d), die())
Store.open(sys.argv[1])  # replays the log, then compacts: the crash lands in there
"""


@pytest.mark.parametrize("point", CRASH_POINTS)
def test_a_crash_between_compaction_steps_still_loads(path, point):
    with Store.open(path, indexes=INDEXES) as store:
        phase_one(store)  # in the snapshot
    store = Store.open(path, indexes=INDEXES, compact_bytes=HUGE)
    phase_two(store)  # in the log only, over rows of the snapshot
    store.close(compact=False)

    child = subprocess.run([sys.executable, "-c", textwrap.dedent(COMPACT_AND_CRASH),
                            str(path), point], capture_output=True, text=True, timeout=60)
    assert child.returncode == (0 if point == "no-crash" else 17), child.stderr

    with Store.open(path, indexes=INDEXES) as reopened:
        assert state_of(reopened) == reference_state(phase_one, phase_two)
    assert not path.with_name(path.name + ".tmp").exists()
    with Store.open(path, indexes=INDEXES) as again:  # and again, after the recovery's compaction
        assert state_of(again) == reference_state(phase_one, phase_two)


def test_an_old_log_replayed_over_a_newer_snapshot_changes_nothing(path):
    """The state a crash after the rename and before the log's truncation leaves, directly."""
    with Store.open(path, indexes=INDEXES) as store:
        phase_one(store)
    store = Store.open(path, indexes=INDEXES, compact_bytes=HUGE)
    phase_two(store)
    store.close(compact=False)
    old_log = log_of(path).read_bytes()
    Store.open(path, indexes=INDEXES).close()  # folds the log into the snapshot
    log_of(path).write_bytes(old_log)
    with Store.open(path, indexes=INDEXES) as reopened:
        assert state_of(reopened) == reference_state(phase_one, phase_two)


# Configuration -----------------------------------------------------------------------------


def test_config_names_the_data_file():
    assert SandboxConfig().data_file is None
    assert SandboxConfig.from_mapping({"data_file": "s.json"}).data_file == Path("s.json")
