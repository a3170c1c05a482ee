"""The store: tenants and their resources in TinyDB, indexed, behind one lock.

Every resource row carries its tenant and every lookup goes through that tenant's own index
bucket, so no query can cross tenants. The lock is re-entrant: the service layer holds it
around a whole read-modify-write (`with store.lock:`), and each method here takes it too.
Rows handed out are the stored objects themselves (copying every read would cost more than
the rest of a request): callers treat them as read-only and write back new dicts.

Two modes: memory (`Store(indexes=...)`, the default) and durable (`Store.open(path, ...)`).
TinyDB is the in-memory store in both; the durable mode wraps it in a snapshot file and an
append-only change log (see `sandbox.store.changelog` for why). Every mutating method runs in
`transaction()`, which records the TinyDB rows it touches; when the outermost one finishes,
the resulting state of those rows goes to the log as ONE fsynced record before the method
returns, so the service's several writes for one request (a delete and the groups it leaves,
`remove_tenant` clearing resources) are one atomic record too.

The store knows rows, tenants and indexes, not SCIM: what a write means (a deleted user leaving
its groups) is the service's to decide. `sandbox.store.contract.StoreContract` writes down what
the service may rely on.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from tinydb import TinyDB

from sandbox.store.changelog import DEFAULT_COMPACT_BYTES, ChangeLog, StoreFileError, Tables
from sandbox.store.indexes import Bucket, IndexSpec
from sandbox.store.tinydb_table import continue_ids_after, memory_database

TENANTS = "tenants"
RESOURCES = "resources"

log = logging.getLogger("sandbox.store")


class Store:
    """Tenants, users and groups, with O(1) lookups by id and by the given indexes."""

    def __init__(
        self,
        db: TinyDB | None = None,
        indexes: Mapping[str, Sequence[IndexSpec]] | None = None,
    ) -> None:
        self.db = db if db is not None else memory_database()
        self.lock = threading.RLock()
        self._index_specs = {rtype: tuple(specs) for rtype, specs in (indexes or {}).items()}
        self._tenants = self.db.table(TENANTS)
        self._rows = self.db.table(RESOURCES)
        self._tenant_docs: dict[str, int] = {}
        self._buckets: dict[tuple[str, str], Bucket] = {}
        # Durable mode only: the log, the rows touched by the write in progress (kept until a
        # record holding them is on disk), and the highest doc id ever used per table.
        self._log: ChangeLog | None = None
        self._touched: dict[tuple[str, int], None] = {}
        self._depth = 0
        self._last_ids: dict[str, int] = {}
        self._rebuild()

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        indexes: Mapping[str, Sequence[IndexSpec]] | None = None,
        *,
        compact_bytes: int = DEFAULT_COMPACT_BYTES,
    ) -> Store:
        """A durable store kept in the data file `path` (the snapshot) and `<path>.log`.

        Loads the snapshot, replays the log (a record torn by a crash is dropped: it was never
        acknowledged), and compacts once so the next start is quick. Every write is on disk
        before its method returns. `compact_bytes` is the least log size that triggers
        compaction (it also waits until the log outgrows the snapshot). Raises
        `StoreFileError` for damaged files or a data file another process holds.
        """
        changelog, state = ChangeLog.open(path, compact_bytes)
        try:
            db = memory_database()
            db.storage.write(state.tables)
            store = cls(db, indexes)
            store._last_ids = dict(state.last_ids)
            for name, last in store._last_ids.items():
                continue_ids_after(db.table(name), last)
            store._log = changelog
            if changelog.needs_snapshot():
                with store.lock:
                    store._compact()
        except BaseException:
            changelog.close_file()
            raise
        return store

    @property
    def durable(self) -> bool:
        """Whether writes go to a data file (False in memory mode and after `close()`)."""
        return self._log is not None and not self._log.closed

    def close(self, compact: bool = True) -> None:
        """Fold the log into the snapshot (unless `compact` is False) and release the file.

        Not required for safety: every acknowledged write is already on disk. A closed
        durable store refuses further writes. In memory mode this does nothing.
        """
        with self.lock:
            if self._log is None or self._log.closed:
                return
            try:
                if compact and self._log.needs_snapshot():
                    self._compact()
            finally:
                self._log.close_file()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Change recording ----------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the lock for one write, or several that must land together; the outermost
        one logs every row touched inside it as one record."""
        with self.lock:
            if self._log is not None and self._log.closed:
                raise StoreFileError(f"{self._log.path} is closed; the store accepts no writes.")
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                # Logged even when the write failed part way: memory changed, so must the file.
                if self._depth == 0 and self._touched and self._log is not None:
                    self._commit()

    def _touch(self, table: str, doc_id: int) -> None:
        if self._log is not None:
            self._touched[(table, doc_id)] = None

    def _commit(self) -> None:
        raw = self._raw_tables()
        puts: list[list[Any]] = []
        dels: list[list[Any]] = []
        for table, doc_id in self._touched:
            doc = raw.get(table, {}).get(str(doc_id))
            if doc is None:
                dels.append([table, doc_id])
            else:
                puts.append([table, doc_id, doc])
            if doc_id > self._last_ids.get(table, 0):
                self._last_ids[table] = doc_id
        change: dict[str, Any] = {}
        if puts:
            change["put"] = puts
        if dels:
            change["del"] = dels
        assert self._log is not None
        # If this raises, the rows stay in `_touched` and go out with the next record.
        self._log.append(change)
        self._touched.clear()
        if self._log.wants_compaction():
            try:
                self._compact()
            except OSError:
                # The record is already durable, so the write stands; compaction retries later.
                log.exception("%s: compaction failed; the log keeps growing", self._log.path)

    def _compact(self) -> None:
        assert self._log is not None
        self._log.compact(self._raw_tables(), dict(self._last_ids))
        if self._depth == 0:
            self._touched.clear()  # rows a failed record left pending are in the snapshot now

    def _raw_tables(self) -> Tables:
        return self.db.storage.read() or {}  # type: ignore[attr-defined]

    def _check_storable(self, value: Any) -> None:
        """In durable mode, refuse what JSON cannot hold before anything changes."""
        if self._log is not None:
            try:
                json.dumps(value)
            except (TypeError, ValueError) as error:
                raise ValueError(f"not storable as JSON: {error}") from None

    def _rebuild(self) -> None:
        """Recreate the indexes from what TinyDB holds (after opening a file)."""
        self._tenant_docs = {doc["id"]: doc.doc_id for doc in self._tenants.all()}
        self._buckets = {}
        for doc in self._rows.all():
            self._bucket(doc["tenant"], doc["type"]).add(doc["id"], doc.doc_id, doc["data"])

    def _bucket(self, tenant: str, rtype: str) -> Bucket:
        bucket = self._buckets.get((tenant, rtype))
        if bucket is None:
            bucket = Bucket(self._index_specs.get(rtype, ()))
            self._buckets[(tenant, rtype)] = bucket
        return bucket

    # Tenants -------------------------------------------------------------------------------

    def add_tenant(self, record: dict[str, Any]) -> None:
        """Add a tenant record (a dict with a unique string `id`)."""
        with self.transaction():
            if record["id"] in self._tenant_docs:
                raise KeyError(f"tenant {record['id']!r} exists")
            self._check_storable(record)
            doc_id = self._tenants.insert(record)
            self._tenant_docs[record["id"]] = doc_id
            self._touch(TENANTS, doc_id)

    def update_tenant(self, record: dict[str, Any]) -> None:
        """Merge `record`'s fields into the stored tenant with the same `id`."""
        with self.transaction():
            doc_id = self._tenant_docs[record["id"]]
            self._check_storable(record)
            self._tenants.update(record, doc_ids=[doc_id])
            self._touch(TENANTS, doc_id)

    def get_tenant(self, tenant: str) -> dict[str, Any] | None:
        doc_id = self._tenant_docs.get(tenant)
        return None if doc_id is None else self._tenants.get(doc_id=doc_id)

    def tenants(self) -> list[dict[str, Any]]:
        return self._tenants.all()

    def remove_tenant(self, tenant: str) -> bool:
        """Remove a tenant and every resource it owns."""
        with self.transaction():
            doc_id = self._tenant_docs.pop(tenant, None)
            if doc_id is None:
                return False
            self.clear_resources(tenant)
            self._tenants.remove(doc_ids=[doc_id])
            self._touch(TENANTS, doc_id)
            return True

    def clear_resources(self, tenant: str) -> None:
        """Remove every resource of a tenant; the tenant stays."""
        with self.transaction():
            doc_ids: list[int] = []
            for key in [k for k in self._buckets if k[0] == tenant]:
                doc_ids.extend(self._buckets.pop(key).doc_ids.values())
            if doc_ids:
                self._rows.remove(doc_ids=doc_ids)
                for doc_id in doc_ids:
                    self._touch(RESOURCES, doc_id)

    # Resources -----------------------------------------------------------------------------

    def insert(self, tenant: str, rtype: str, rid: str, data: dict[str, Any]) -> None:
        """Add a resource; KeyError if the tenant already has one of this type and id."""
        with self.transaction():
            bucket = self._bucket(tenant, rtype)
            if rid in bucket.doc_ids:
                raise KeyError(f"{rtype} {rid!r} exists in tenant {tenant!r}")
            self._check_storable(data)
            doc_id = self._rows.insert({"tenant": tenant, "type": rtype, "id": rid, "data": data})
            bucket.add(rid, doc_id, data)
            self._touch(RESOURCES, doc_id)

    def get(self, tenant: str, rtype: str, rid: str) -> dict[str, Any] | None:
        bucket = self._buckets.get((tenant, rtype))
        doc_id = bucket.doc_ids.get(rid) if bucket else None
        if doc_id is None:
            return None
        doc = self._rows.get(doc_id=doc_id)
        return None if doc is None else doc["data"]

    def update(self, tenant: str, rtype: str, rid: str, data: dict[str, Any]) -> None:
        """Replace a resource's data; KeyError if there is no such resource."""
        with self.transaction():
            bucket = self._bucket(tenant, rtype)
            doc_id = bucket.doc_ids[rid]
            self._check_storable(data)
            self._rows.update({"data": data}, doc_ids=[doc_id])
            bucket.replace(rid, data)
            self._touch(RESOURCES, doc_id)

    def delete(self, tenant: str, rtype: str, rid: str) -> bool:
        """Delete a resource; False when there was none."""
        with self.transaction():
            bucket = self._buckets.get((tenant, rtype))
            doc_id = bucket.remove(rid) if bucket else None
            if doc_id is None:
                return False
            self._rows.remove(doc_ids=[doc_id])
            self._touch(RESOURCES, doc_id)
            return True

    def find(self, tenant: str, rtype: str, index: str, key: str) -> list[dict[str, Any]]:
        """Rows whose `index` keys include `key`, in one dictionary look-up."""
        bucket = self._buckets.get((tenant, rtype))
        if bucket is None:
            return []
        rows = (self.get(tenant, rtype, rid) for rid in bucket.find(index, key))
        return [row for row in rows if row is not None]

    def has_key(self, tenant: str, rtype: str, index: str, key: str) -> set[str]:
        """The ids whose `index` keys include `key` (for uniqueness checks)."""
        bucket = self._buckets.get((tenant, rtype))
        return set(bucket.find(index, key)) if bucket else set()

    def all(self, tenant: str, rtype: str) -> Iterator[dict[str, Any]]:
        """Every row of one type in one tenant, in creation order."""
        bucket = self._buckets.get((tenant, rtype))
        if bucket is None:
            return
        for rid in list(bucket.doc_ids):
            row = self.get(tenant, rtype, rid)
            if row is not None:
                yield row

    def count(self, tenant: str, rtype: str) -> int:
        bucket = self._buckets.get((tenant, rtype))
        return len(bucket.doc_ids) if bucket else 0

    # Snapshots -----------------------------------------------------------------------------

    def export_resources(
        self, tenant: str, rtypes: Iterable[str] | None = None
    ) -> dict[str, list[dict[str, Any]]]:
        """Every resource of `tenant` by type, exactly as stored, each type in creation order.

        Types come in the order their oldest resource was created; a type with no resources
        is left out unless named in `rtypes`, which then also limits and orders the types.
        The rows are copies: the caller may change them freely.
        """
        with self.lock:
            if rtypes is not None:
                names = list(dict.fromkeys(rtypes))
            else:
                present = [(key[1], bucket) for key, bucket in self._buckets.items()
                           if key[0] == tenant and bucket.doc_ids]
                # doc ids only grow, so a bucket's first doc id is its oldest row's.
                present.sort(key=lambda pair: next(iter(pair[1].doc_ids.values())))
                names = [name for name, _ in present]
            return {name: copy.deepcopy(list(self.all(tenant, name))) for name in names}

    def replace_resources(self, tenant: str, state: Mapping[str, Any]) -> None:
        """Make `state` (as `export_resources` gives it) the tenant's whole set of resources.

        Atomic: one lock and, in durable mode, one log record; a `state` of the wrong shape
        raises ValueError and changes nothing. The rows are stored as copies of `state`.
        """
        rows = _validated_state(state)
        with self.transaction():
            if tenant not in self._tenant_docs:
                raise KeyError(f"no tenant {tenant!r}")
            self.clear_resources(tenant)
            for rtype, items in rows.items():
                for data in items:
                    self.insert(tenant, rtype, data["id"], data)


def _validated_state(state: Any) -> dict[str, list[dict[str, Any]]]:
    """A deep, JSON-clean copy of a snapshot's resources, or ValueError saying what is wrong."""
    if not isinstance(state, Mapping):
        raise ValueError("a snapshot must be an object of resource types, "
                         'e.g. {"User": [...], "Group": [...]}')
    for rtype, items in state.items():
        if not isinstance(rtype, str) or not rtype:
            raise ValueError(f"resource type {rtype!r} must be a non-empty string")
        if not isinstance(items, list):
            raise ValueError(f"'{rtype}' must be a list of resources")
        seen: set[str] = set()
        for position, data in enumerate(items):
            where = f"'{rtype}' item {position}"
            if not isinstance(data, dict):
                raise ValueError(f"{where} must be an object")
            rid = data.get("id")
            if not isinstance(rid, str) or not rid:
                raise ValueError(f"{where} needs a non-empty string 'id'")
            if rid in seen:
                raise ValueError(f"{where}: duplicate id {rid!r}")
            seen.add(rid)
    try:
        # A JSON round trip both copies and proves the rows can be written to a data file.
        return json.loads(json.dumps(dict(state)))
    except (TypeError, ValueError) as error:
        raise ValueError(f"a snapshot must hold only JSON values: {error}") from None
