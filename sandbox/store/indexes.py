"""In-memory indexes kept beside TinyDB: O(1) lookups by id and by indexed keys, per tenant."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class IndexSpec:
    """A lookup index on one resource type: `keys(data)` gives the (normalised) keys of a row."""

    name: str
    keys: Callable[[dict[str, Any]], Iterable[str]]


@dataclass(slots=True)
class Bucket:
    """The index of one tenant's resources of one type."""

    specs: tuple[IndexSpec, ...]
    doc_ids: dict[str, int] = field(default_factory=dict)  # resource id -> TinyDB doc id
    lookups: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    _keys_of: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    def add(self, rid: str, doc_id: int, data: dict[str, Any]) -> None:
        self.doc_ids[rid] = doc_id
        self._index(rid, data)

    def replace(self, rid: str, data: dict[str, Any]) -> None:
        self._unindex(rid)
        self._index(rid, data)

    def remove(self, rid: str) -> int | None:
        self._unindex(rid)
        return self.doc_ids.pop(rid, None)

    def find(self, index: str, key: str) -> set[str]:
        return self.lookups.get(index, {}).get(key, set())

    def _index(self, rid: str, data: dict[str, Any]) -> None:
        keys_of: dict[str, tuple[str, ...]] = {}
        for spec in self.specs:
            keys = tuple(dict.fromkeys(spec.keys(data)))
            if not keys:
                continue
            keys_of[spec.name] = keys
            table = self.lookups.setdefault(spec.name, {})
            for key in keys:
                table.setdefault(key, set()).add(rid)
        self._keys_of[rid] = keys_of

    def _unindex(self, rid: str) -> None:
        for name, keys in self._keys_of.pop(rid, {}).items():
            table = self.lookups[name]
            for key in keys:
                ids = table.get(key)
                if ids is not None:
                    ids.discard(rid)
                    if not ids:
                        del table[key]
