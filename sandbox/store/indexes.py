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


# One index entry: the id of the one resource holding a key (the usual case, e.g. a userName),
# or the set of ids when several do (e.g. a group's members). A set per key would cost about
# 200 bytes each, three times per user.
_Holders = str | set[str]
# A resource's keys in one index: None, one key, or a tuple of several.
_Keys = str | tuple[str, ...] | None


@dataclass(slots=True)
class Bucket:
    """The index of one tenant's resources of one type."""

    specs: tuple[IndexSpec, ...]
    doc_ids: dict[str, int] = field(default_factory=dict)  # resource id -> TinyDB doc id
    lookups: dict[str, dict[str, _Holders]] = field(default_factory=dict)
    # Each resource's keys, one entry per spec, so that removing it needs not its old data.
    _keys_of: dict[str, tuple[_Keys, ...]] = field(default_factory=dict)

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
        holders = self.lookups.get(index, {}).get(key)
        if holders is None:
            return set()
        return {holders} if isinstance(holders, str) else set(holders)

    def _index(self, rid: str, data: dict[str, Any]) -> None:
        keys_of: list[_Keys] = []
        for spec in self.specs:
            keys = tuple(dict.fromkeys(spec.keys(data)))
            if not keys:
                keys_of.append(None)
                continue
            keys_of.append(keys[0] if len(keys) == 1 else keys)
            table = self.lookups.setdefault(spec.name, {})
            for key in keys:
                holders = table.get(key)
                if holders is None:
                    table[key] = rid
                elif isinstance(holders, str):
                    if holders != rid:
                        table[key] = {holders, rid}
                else:
                    holders.add(rid)
        self._keys_of[rid] = tuple(keys_of)

    def _unindex(self, rid: str) -> None:
        for spec, keys in zip(self.specs, self._keys_of.pop(rid, ()), strict=False):
            if keys is None:
                continue
            table = self.lookups[spec.name]
            for key in (keys,) if isinstance(keys, str) else keys:
                holders = table.get(key)
                if holders is None:
                    continue
                if isinstance(holders, str):
                    if holders == rid:
                        del table[key]
                    continue
                holders.discard(rid)
                if len(holders) == 1:
                    table[key] = next(iter(holders))
                elif not holders:
                    del table[key]
