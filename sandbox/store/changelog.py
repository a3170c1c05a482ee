"""Durable file mode: a TinyDB-format snapshot plus an append-only change log beside it.

Why this shape:

- **Per-write cost independent of the store's size.** Rewriting a whole TinyDB JSON file on
  every write (TinyDB's own JSONStorage) costs O(rows) per write. Here a write appends one
  JSON line describing only the rows it touched, so it costs O(rows touched).
- **Nothing acknowledged is lost.** The line is written and `fsync`ed before the store method
  returns, while the store lock is held, so every write that returned is on disk in log order.
  A `kill -9` can only interrupt the write that had not returned yet: at worst it leaves an
  incomplete last line, which loading ignores and cuts away (it was never acknowledged).
- **Lines are absolute, so replay is idempotent.** A line holds the resulting state of each
  row it touched (`{"put": [[table, doc_id, doc], ...], "del": [[table, doc_id], ...]}`), never
  a delta. Replaying a line over a state that already contains it changes nothing, which is
  what makes every crash point of compaction safe (below).
- **Compaction by atomic rename.** When the log outgrows both a threshold and the snapshot
  itself (so compaction's O(size) cost stays amortised O(1) per write), the full state goes to
  `<data>.tmp` in the same directory, is fsynced, `os.replace`d over the snapshot, the
  directory is fsynced, and only then is the log truncated. A crash before the rename leaves
  the old snapshot and the full log; after it, the new snapshot and a log it already contains,
  whose replay is harmless. A stale `.tmp` is deleted on open.

The snapshot is the data file the user names (`--data sandbox.json`) in TinyDB's JSON shape,
`{"tenants": {"1": {...}}, "resources": {"7": {...}}}`, plus a `_meta` table recording the
highest document id ever used per table, so ids are never reused after a restart (reuse would
let an old log line reorder a newer snapshot's rows). The log is `<data>.log`; it is truncated
in place, never replaced, so the `flock` that keeps a second process out stays on one inode.
"""

from __future__ import annotations

import json
import logging
import os
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:  # Only POSIX has flock; elsewhere a second process is not kept out.
    import fcntl
except ImportError:  # pragma: no cover - not on Linux
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger("sandbox.store")

Tables = dict[str, dict[str, dict[str, Any]]]  # table name -> str(doc_id) -> document
META_TABLE = "_meta"
DEFAULT_COMPACT_BYTES = 4 * 1024 * 1024


class StoreFileError(Exception):
    """A data file that cannot be used: damaged, not ours, or held by another process."""


@dataclass(slots=True)
class LoadedState:
    """What loading the snapshot and replaying the log gave."""

    tables: Tables = field(default_factory=dict)
    last_ids: dict[str, int] = field(default_factory=dict)  # highest doc id ever used
    replayed: int = 0  # log lines applied


def log_path_of(path: Path) -> Path:
    return path.with_name(path.name + ".log")


def temp_path_of(path: Path) -> Path:
    return path.with_name(path.name + ".tmp")


# Encoding -----------------------------------------------------------------------------------


def encode_line(change: dict[str, Any]) -> bytes:
    """One log record: compact JSON, ASCII only (lone surrogates in input stay encodable)."""
    return json.dumps(change, separators=(",", ":")).encode("ascii") + b"\n"


def encode_snapshot(tables: Tables, last_ids: dict[str, int]) -> bytes:
    """The whole state in TinyDB's JSON shape, with the id high-water marks in `_meta`."""
    document = {name: rows for name, rows in tables.items() if name != META_TABLE}
    document[META_TABLE] = {"1": {"format": 1, "last_ids": last_ids}}
    return json.dumps(document, separators=(",", ":")).encode("ascii")


# Loading ------------------------------------------------------------------------------------


def load_snapshot(path: Path) -> LoadedState:
    """The snapshot's tables (none if the file does not exist yet)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return LoadedState()
    try:
        document = json.loads(raw)
    except ValueError as error:
        raise StoreFileError(f"{path}: not a readable sandbox data file ({error}).") from None
    if not _is_tables(document):
        raise StoreFileError(f"{path}: not a sandbox data file (expected TinyDB's JSON shape, "
                             "an object of tables of documents keyed by id).")
    last_ids = document.pop(META_TABLE, {}).get("1", {}).get("last_ids") or {}
    if not (isinstance(last_ids, dict) and all(isinstance(v, int) for v in last_ids.values())):
        raise StoreFileError(f"{path}: its '{META_TABLE}' table is damaged.")
    state = LoadedState(tables=document)
    for name, last in last_ids.items():
        _raise_last_id(state, name, last)
    for name, rows in document.items():
        for key in rows:
            _raise_last_id(state, name, int(key))
    return state


def _is_tables(document: Any) -> bool:
    return isinstance(document, dict) and all(
        isinstance(rows, dict)
        and all(key.isascii() and key.isdigit() and isinstance(doc, dict)
                for key, doc in rows.items())
        for rows in document.values()
    )


def _raise_last_id(state: LoadedState, table: str, doc_id: int) -> None:
    if doc_id > state.last_ids.get(table, 0):
        state.last_ids[table] = doc_id


def replay(data: bytes, state: LoadedState, log_file: Path) -> int:
    """Apply the log's records to `state`; the length of its good prefix is returned.

    Only the LAST record may be damaged (torn by a crash while it was written, so never
    acknowledged): it is left out. A damaged record anywhere else means the file was changed
    behind our back, and dropping it would silently lose acknowledged writes, so that raises.
    """
    lines = data.split(b"\n")
    tail = lines.pop()  # after the last newline: b"" unless the last write was torn
    good = len(data) - len(tail)
    for number, line in enumerate(lines, start=1):
        try:
            change = json.loads(line)
        except ValueError as error:
            if number == len(lines) and not tail:
                return good - len(line) - 1  # a torn last record that happens to end in "\n"
            raise StoreFileError(
                f"{log_file}, line {number}: unreadable change record ({error}); later "
                "records depend on it. Move the log aside to load the snapshot alone, or "
                "restore a backup."
            ) from None
        problem = apply_change(change, state)
        if problem:
            raise StoreFileError(f"{log_file}, line {number}: bad change record: {problem}.")
        state.replayed += 1
    return good


def apply_change(change: Any, state: LoadedState) -> str | None:
    """Apply one record; a description of what is wrong with it, or None."""
    if not isinstance(change, dict) or not set(change) <= {"put", "del"}:
        return "expected an object with 'put' and/or 'del'"
    for entry in change.get("put", ()):
        if not (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], str)
                and isinstance(entry[1], int) and isinstance(entry[2], dict)):
            return f"bad 'put' entry {str(entry)[:80]}"
        state.tables.setdefault(entry[0], {})[str(entry[1])] = entry[2]
        _raise_last_id(state, entry[0], entry[1])
    for entry in change.get("del", ()):
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str)
                and isinstance(entry[1], int)):
            return f"bad 'del' entry {str(entry)[:80]}"
        state.tables.get(entry[0], {}).pop(str(entry[1]), None)
        _raise_last_id(state, entry[0], entry[1])
    return None


# Files --------------------------------------------------------------------------------------


def write_durably(path: Path, data: bytes) -> None:
    """Create `path` holding `data`, on disk (fsynced) before returning."""
    with open(path, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())


def fsync_dir(directory: Path) -> None:
    """Make a rename or a new file in `directory` durable."""
    if os.name == "nt":  # pragma: no cover - Windows cannot open a directory; NTFS journals it
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync(fd: int) -> None:
    # fdatasync still flushes the file size an append changes, and skips timestamps.
    (getattr(os, "fdatasync", None) or os.fsync)(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class ChangeLog:
    """The open log file of one data file: append records, compact, close."""

    def __init__(self, path: Path, fd: int, size: int, snapshot_bytes: int,
                 compact_bytes: int) -> None:
        self.path = path  # the snapshot, as the user named it
        self.log_path = log_path_of(path)
        self.compact_bytes = compact_bytes
        self.size = size  # bytes in the log
        self.snapshot_bytes = snapshot_bytes
        self._fd: int | None = fd
        # A store dropped without close() still lets go of the file (and its lock) when
        # collected, so a later open in the same process is not refused.
        self._release = weakref.finalize(self, os.close, fd)
        self._retry_at = 0  # after a failed compaction, wait for the log to double

    @classmethod
    def open(cls, path: str | os.PathLike[str],
             compact_bytes: int = DEFAULT_COMPACT_BYTES) -> tuple[ChangeLog, LoadedState]:
        """Lock the data file, load its snapshot, replay its log (cutting a torn last record).

        Raises StoreFileError when the files are damaged or another process has them open.
        """
        path = Path(path).absolute()
        path.parent.mkdir(parents=True, exist_ok=True)
        log_file = log_path_of(path)
        created = not log_file.exists()
        fd = os.open(log_file, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            _lock(fd, path)
            if created:
                fsync_dir(path.parent)
            # Only the lock holder may remove a temp file: another process could be writing it.
            temp_path_of(path).unlink(missing_ok=True)
            state = load_snapshot(path)
            data = _read_all(fd)
            good = replay(data, state, log_file)
            if good < len(data):
                log.warning("%s: ignored a torn last record (%d bytes) left by a crash; it was "
                            "never acknowledged", log_file, len(data) - good)
                os.ftruncate(fd, good)
                _sync(fd)
            snapshot_bytes = path.stat().st_size if path.exists() else 0
        except BaseException:
            os.close(fd)
            raise
        return cls(path, fd, good, snapshot_bytes, compact_bytes), state

    @property
    def closed(self) -> bool:
        return self._fd is None

    def append(self, change: dict[str, Any]) -> None:
        """Write one record and fsync it. On failure, nothing of it stays in the file."""
        line = encode_line(change)
        fd = self._require_fd()
        try:
            _write_all(fd, line)
            _sync(fd)
        except BaseException:
            # A partial record followed by later good ones would read as damage in the middle.
            self._cut_back(fd)
            raise
        self.size += len(line)

    def _cut_back(self, fd: int) -> None:
        try:
            os.ftruncate(fd, self.size)
        except OSError:
            # The file now ends in a partial record; appending after it would bury it.
            log.exception("%s: could not remove a failed record; closing the log", self.log_path)
            self.close_file()

    def wants_compaction(self) -> bool:
        """Whether the log has outgrown both the threshold and the snapshot itself."""
        return self.size >= max(self.compact_bytes, self.snapshot_bytes, self._retry_at)

    def needs_snapshot(self) -> bool:
        """Whether closing should compact: there is a log to fold, or no snapshot file yet."""
        return self.size > 0 or not self.path.exists()

    def compact(self, tables: Tables, last_ids: dict[str, int]) -> None:
        """Fold the log into a new snapshot. Each step leaves files that load correctly."""
        fd = self._require_fd()
        data = encode_snapshot(tables, last_ids)
        temp = temp_path_of(self.path)
        try:
            try:
                write_durably(temp, data)
                os.replace(temp, self.path)
            except BaseException:
                temp.unlink(missing_ok=True)
                raise
            fsync_dir(self.path.parent)
            # Only now, with the new snapshot durable, may the records it contains go.
            os.ftruncate(fd, 0)
            _sync(fd)
        except OSError:
            self._retry_at = 2 * self.size  # e.g. a full disk: not again on the next write
            raise
        self.size = 0
        self.snapshot_bytes = len(data)
        self._retry_at = 0

    def close_file(self) -> None:
        """Release the lock and the file (no compaction)."""
        if self._fd is not None:
            self._fd = None
            self._release()

    def _require_fd(self) -> int:
        if self._fd is None:
            raise StoreFileError(f"{self.log_path} is closed; this store accepts no more writes.")
        return self._fd


def _lock(fd: int, path: Path) -> None:
    if fcntl is None:  # pragma: no cover - not on Linux
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise StoreFileError(f"{path} is in use by another sandbox process (or another store "
                             "in this one); two writers would interleave its log.") from None


def _read_all(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)
