"""A real crash: writer processes killed with SIGKILL mid-stream lose no acknowledged write.

Each writer opens a durable store and inserts (and now and then updates) users in a loop,
printing an id only after the store method returned. The test kills it at a random moment,
reopens the files, and checks that every printed write is there. Several writers run at
once, each in its own directory, and each directory is crashed twice, so the second writer
starts from a log a crash left behind. Half the writers compact often, so some kills land in
the middle of a compaction.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from sandbox.service.indexes import INDEXES
from sandbox.store import Store

WRITER = """
import sys
from sandbox.service.indexes import INDEXES
from sandbox.store import Store

def say(line):
    sys.stdout.write(line + "\\n")  # one write per line, flushed at once
    sys.stdout.flush()

path, prefix, compact_bytes = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = Store.open(path, indexes=INDEXES, compact_bytes=compact_bytes)
if store.get_tenant("t") is None:
    store.add_tenant({"id": "t", "vendor": "generic", "token": "x" * 8})
say("ready")
i = 0
while True:
    rid = f"{prefix}-{i}"
    store.insert("t", "User", rid, {"id": rid, "userName": rid + "@x.org", "n": 0,
                                    "bio": "b" * 200})
    say("ins " + rid)
    if i % 3 == 2:
        old = f"{prefix}-{i - 2}"
        store.update("t", "User", old, {**store.get("t", "User", old), "n": 1})
        say("upd " + old)
    i += 1
"""

WRITERS = 3
ROUNDS = 2
SEED = 20240611


@dataclass
class Writer:
    """One writer process and what it acknowledged."""

    process: subprocess.Popen[str]
    ready: threading.Event = field(default_factory=threading.Event)
    acked: list[tuple[str, str]] = field(default_factory=list)
    reader: threading.Thread | None = None

    def read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if not line.endswith("\n"):
                break  # cut by the kill while being printed: not known to be acknowledged
            if line == "ready\n":
                self.ready.set()
            else:
                op, rid = line.split()
                self.acked.append((op, rid))


def start_writer(script: Path, path: Path, prefix: str, compact_bytes: int) -> Writer:
    process = subprocess.Popen(
        [sys.executable, str(script), str(path), prefix, str(compact_bytes)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    writer = Writer(process)
    writer.reader = threading.Thread(target=writer.read, daemon=True)
    writer.reader.start()
    return writer


def check_acknowledged_writes_survived(path: Path, acked: list[tuple[str, str]]) -> None:
    with Store.open(path, indexes=INDEXES) as store:
        for op, rid in acked:
            data = store.get("t", "User", rid)
            assert data is not None, f"acknowledged insert of {rid} lost"
            if op == "upd":
                assert data["n"] == 1, f"acknowledged update of {rid} lost"
            assert [r["id"] for r in store.find("t", "User", "userName", rid + "@x.org")] == [rid]


def wait_ready(writer: Writer, timeout: float = 30.0) -> None:
    """Until the writer opened its store; fails at once if it died instead."""
    deadline = time.monotonic() + timeout
    while not writer.ready.wait(0.05):
        if writer.process.poll() is not None or time.monotonic() > deadline:
            writer.process.kill()
            writer.process.wait()
            stderr = writer.process.stderr.read() if writer.process.stderr else ""
            raise AssertionError(f"the writer did not start:\n{stderr}")


def crash_round(script: Path, paths: list[Path], prefix: str,
                rng: random.Random) -> dict[Path, list[tuple[str, str]]]:
    """Start one writer per path, SIGKILL each at a random moment; what each acknowledged."""
    writers = {
        # Every other directory compacts often, so some kills land inside a compaction.
        path: start_writer(script, path, prefix, 64 * 1024 if n % 2 else 1 << 30)
        for n, path in enumerate(paths)
    }
    timers = []
    try:
        for writer in writers.values():
            wait_ready(writer)
            timer = threading.Timer(rng.uniform(0.2, 1.0), writer.process.send_signal,
                                    args=(signal.SIGKILL,))
            timer.start()
            timers.append(timer)
        for timer in timers:
            timer.join()
        for writer in writers.values():
            writer.process.wait(30)
            assert writer.reader is not None
            writer.reader.join(30)
            stderr = writer.process.stderr.read() if writer.process.stderr else ""
            assert writer.process.returncode == -signal.SIGKILL, stderr
            assert writer.acked, "the writer was killed before it wrote anything"
    finally:
        for timer in timers:
            timer.cancel()
        for writer in writers.values():
            if writer.process.poll() is None:
                writer.process.kill()
            writer.process.wait()
            if writer.reader is not None:
                writer.reader.join(5)
            for pipe in (writer.process.stdout, writer.process.stderr):
                if pipe is not None:
                    pipe.close()
    return {path: writer.acked for path, writer in writers.items()}


def test_sigkill_at_random_moments_loses_no_acknowledged_write(tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    rng = random.Random(SEED)
    paths = [tmp_path / f"store{n}" / "sandbox.json" for n in range(WRITERS)]
    acked: dict[Path, list[tuple[str, str]]] = {path: [] for path in paths}
    kills = 0
    for round_number in range(ROUNDS):
        for path, writes in crash_round(script, paths, f"r{round_number}", rng).items():
            kills += 1
            acked[path].extend(writes)
            check_acknowledged_writes_survived(path, acked[path])
    assert kills >= 5
