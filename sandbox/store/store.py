"""The store: tenants and their resources in TinyDB, indexed, behind one lock.

Every resource row carries its tenant and every lookup goes through that tenant's own index
bucket, so no query can cross tenants. The lock is re-entrant: the service layer holds it
around a whole read-modify-write (`with store.lock:`), and each method here takes it too.
Rows handed out are the stored objects themselves (copying every read would cost more than
the rest of a request): callers treat them as read-only and write back new dicts.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from tinydb import TinyDB

from sandbox.store.indexes import Bucket, IndexSpec
from sandbox.store.tinydb_table import memory_database

MEMBERS_INDEX = "members"


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
        self._tenants = self.db.table("tenants")
        self._rows = self.db.table("resources")
        self._tenant_docs: dict[str, int] = {}
        self._buckets: dict[tuple[str, str], Bucket] = {}
        self._rebuild()

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
        with self.lock:
            if record["id"] in self._tenant_docs:
                raise KeyError(f"tenant {record['id']!r} exists")
            self._tenant_docs[record["id"]] = self._tenants.insert(record)

    def update_tenant(self, record: dict[str, Any]) -> None:
        with self.lock:
            self._tenants.update(record, doc_ids=[self._tenant_docs[record["id"]]])

    def get_tenant(self, tenant: str) -> dict[str, Any] | None:
        doc_id = self._tenant_docs.get(tenant)
        return None if doc_id is None else self._tenants.get(doc_id=doc_id)

    def tenants(self) -> list[dict[str, Any]]:
        return self._tenants.all()

    def remove_tenant(self, tenant: str) -> bool:
        """Remove a tenant and every resource it owns."""
        with self.lock:
            doc_id = self._tenant_docs.pop(tenant, None)
            if doc_id is None:
                return False
            self.clear_resources(tenant)
            self._tenants.remove(doc_ids=[doc_id])
            return True

    def clear_resources(self, tenant: str) -> None:
        with self.lock:
            doc_ids: list[int] = []
            for key in [k for k in self._buckets if k[0] == tenant]:
                doc_ids.extend(self._buckets.pop(key).doc_ids.values())
            if doc_ids:
                self._rows.remove(doc_ids=doc_ids)

    # Resources -----------------------------------------------------------------------------

    def insert(self, tenant: str, rtype: str, rid: str, data: dict[str, Any]) -> None:
        with self.lock:
            bucket = self._bucket(tenant, rtype)
            if rid in bucket.doc_ids:
                raise KeyError(f"{rtype} {rid!r} exists in tenant {tenant!r}")
            doc_id = self._rows.insert({"tenant": tenant, "type": rtype, "id": rid, "data": data})
            bucket.add(rid, doc_id, data)

    def get(self, tenant: str, rtype: str, rid: str) -> dict[str, Any] | None:
        bucket = self._buckets.get((tenant, rtype))
        doc_id = bucket.doc_ids.get(rid) if bucket else None
        if doc_id is None:
            return None
        doc = self._rows.get(doc_id=doc_id)
        return None if doc is None else doc["data"]

    def update(self, tenant: str, rtype: str, rid: str, data: dict[str, Any]) -> None:
        with self.lock:
            bucket = self._bucket(tenant, rtype)
            doc_id = bucket.doc_ids[rid]
            self._rows.update({"data": data}, doc_ids=[doc_id])
            bucket.replace(rid, data)

    def delete(
        self,
        tenant: str,
        rtype: str,
        rid: str,
        touch_group: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ) -> bool:
        """Delete a resource; a deleted user or group also leaves every group it was in.

        `touch_group` returns the new form of a group that lost a member (so the service can
        bump its `meta`); by default only `members` changes.
        """
        with self.lock:
            bucket = self._buckets.get((tenant, rtype))
            doc_id = bucket.remove(rid) if bucket else None
            if doc_id is None:
                return False
            self._rows.remove(doc_ids=[doc_id])
            self._remove_member_everywhere(tenant, rid, touch_group)
            return True

    def _remove_member_everywhere(
        self, tenant: str, member: str, touch: Callable[[dict[str, Any]], dict[str, Any]] | None
    ) -> None:
        groups = self._buckets.get((tenant, "Group"))
        if groups is None:
            return
        for gid in list(groups.find(MEMBERS_INDEX, member)):
            data = self.get(tenant, "Group", gid)
            if data is None:
                continue
            members = [m for m in data.get("members", ()) if m.get("value") != member]
            changed = {k: v for k, v in data.items() if k != "members"}
            if members:
                changed["members"] = members
            self.update(tenant, "Group", gid, touch(changed) if touch else changed)

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
