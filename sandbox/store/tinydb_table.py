"""A TinyDB table whose writes cost O(1) instead of O(rows).

TinyDB's stock `Table._update_table` rebuilds two copies of the whole table on every insert,
update or remove so that storages which stringify keys keep working. Our storage is in-process
memory with string keys, so a thin key-translating view lets TinyDB's own insert/update/remove
logic run on the stored dict directly. Everything else (queries, documents, ids) is stock TinyDB.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any

from tinydb import TinyDB
from tinydb.storages import MemoryStorage
from tinydb.table import Table


class _IntKeyedView(MutableMapping):
    """Shows a `{"1": doc}` dict as `{1: doc}`, which is what TinyDB's updaters expect."""

    __slots__ = ("_raw",)

    def __init__(self, raw: dict[str, Any]) -> None:
        self._raw = raw

    def __getitem__(self, key: int) -> Any:
        return self._raw[str(key)]

    def __setitem__(self, key: int, value: Any) -> None:
        self._raw[str(key)] = value

    def __delitem__(self, key: int) -> None:
        del self._raw[str(key)]

    def __contains__(self, key: object) -> bool:
        return str(key) in self._raw

    def __iter__(self) -> Iterator[int]:
        return (int(k) for k in self._raw)

    def __len__(self) -> int:
        return len(self._raw)


class FastTable(Table):
    """TinyDB table with in-place updates (see the module docstring)."""

    def _update_table(self, updater: Callable[[dict[int, Mapping]], None]) -> None:
        tables = self._storage.read()
        if tables is None:
            tables = {}
        raw = tables.setdefault(self.name, {})
        updater(_IntKeyedView(raw))  # type: ignore[arg-type]
        self._storage.write(tables)
        self.clear_cache()


class FastTinyDB(TinyDB):
    table_class = FastTable


def continue_ids_after(table: Table, last_id: int) -> None:
    """Make `table` number new documents after `last_id`, even if that one was removed.

    TinyDB derives the next id from the highest id present, so a removed last document's id
    would be reused after a reload; a durable store keeps its high-water mark instead.
    This sets TinyDB 4's own next-id cache, which `insert` consults before anything else.
    """
    present = max((int(key) for key in table._read_table()), default=0)
    table._next_id = max(last_id, present) + 1


def memory_database() -> TinyDB:
    """An in-memory TinyDB with O(1) writes: the sandbox's default store."""
    return FastTinyDB(storage=MemoryStorage)
