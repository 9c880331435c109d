"""The on-disk layout of an embedded store, and the protocol that keeps it consistent.

    ROOT/primary/            the RocksDB store; only the lock holder opens it
    ROOT/snapshots/<gen>/    read-only checkpoints (hard links), one per write
    ROOT/CURRENT             {"generation": N}: the snapshot readers use
    ROOT/write.lock          fcntl lock serialising writers across processes
    ROOT/rollback/, journal  checkpoint + marker protecting a write in progress

Readers never touch the primary, so any number of processes may read while one
writes, and a reader sees a write entirely or not at all. A write is journalled:
a checkpoint is taken first and the journal names it; a writer that dies leaves
the journal behind, and the next writer restores the checkpoint. This gives
atomic writes even for Oxigraph's bulk loader, which is not transactional.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph as ox

from ..errors import StoreError, StoreLocked

# Seconds a writer waits for another process's write lock.
LOCK_WAIT = 30.0

__all__ = ["StoreDir"]


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# Compact when the store has grown by this share of its size since the last compaction, and
# by at least this many bytes (small stores answer fast compacted or not).
COMPACT_GROWTH = 0.25
COMPACT_MIN_BYTES = 32 * 1024 * 1024


def _compact(store: ox.Store) -> None:
    store.optimize()


def _sst_bytes(path: Path) -> int:
    total = 0
    for entry in os.scandir(path):
        if entry.name.endswith(".sst"):
            # RocksDB's background threads delete files they have merged while we count.
            with contextlib.suppress(FileNotFoundError):
                total += entry.stat().st_size
    return total


class _Primary:
    """The open primary store; `close()` really closes it.

    pyoxigraph closes a store when its last reference goes, and a traceback
    kept by a caller would otherwise keep the RocksDB lock alive in this process.
    """

    def __init__(self, store: ox.Store) -> None:
        self._store: ox.Store | None = store

    def __getattr__(self, name: str) -> Any:
        if self._store is None:
            raise StoreError("the primary store is closed")
        return getattr(self._store, name)

    def close(self) -> None:
        self._store = None


class StoreDir:
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.primary = self.root / "primary"
        self.snapshots = self.root / "snapshots"
        self.current_file = self.root / "CURRENT"
        self.lock_file = self.root / "write.lock"
        self.journal = self.root / "journal"
        self.rollback = self.root / "rollback"
        self.compacted_file = self.root / "COMPACTED"

    # -- reading -------------------------------------------------------------------
    def exists(self) -> bool:
        return self.current_file.exists()

    def generation(self) -> int:
        try:
            return int(json.loads(self.current_file.read_text())["generation"])
        except FileNotFoundError:
            raise StoreError(f"no ccgraph store at {self.root}") from None

    def snapshot(self, generation: int) -> Path:
        return self.snapshots / str(generation)

    # -- writing -------------------------------------------------------------------
    @contextlib.contextmanager
    def locked(self, wait: float) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.lock_file, "a+") as handle:
            self._acquire(handle, wait)
            try:
                handle.seek(0)
                handle.truncate()
                handle.write(f"{os.getpid()}\n")
                handle.flush()
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _acquire(self, handle: IO[str], wait: float) -> None:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "unknown"
                    raise StoreLocked(
                        f"the store at {self.root} is being written by another process "
                        f"(pid {holder}); try again when it has finished",
                        pid=holder) from None
                time.sleep(0.05)

    @contextlib.contextmanager
    def writer(self, wait: float = LOCK_WAIT) -> Iterator[ox.Store]:
        """The primary store, opened under the write lock, after any crash recovery."""
        with self.locked(wait):
            self.recover()
            try:
                handle = _Primary(ox.Store(str(self.primary)))
            except OSError as exc:
                raise StoreError(f"cannot open the store at {self.primary}: {exc}") from None
            try:
                yield cast(ox.Store, handle)  # stands in for the store it wraps
            finally:
                handle.close()

    def recover(self) -> None:
        """Undo a write whose process died (called with the lock held)."""
        if self.journal.exists():
            if self.rollback.exists():
                shutil.rmtree(self.primary, ignore_errors=True)
                os.replace(self.rollback, self.primary)
                _fsync_dir(self.root)
            self.journal.unlink()
            _fsync_dir(self.root)
        shutil.rmtree(self.rollback, ignore_errors=True)
        shutil.rmtree(self.root / "rollback.tmp", ignore_errors=True)

    @contextlib.contextmanager
    def journalled(self, store: ox.Store) -> Iterator[None]:
        """Everything written inside is kept entirely or rolled back entirely."""
        tmp = self.root / "rollback.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        store.flush()
        store.backup(str(tmp))
        os.replace(tmp, self.rollback)
        _write_atomically(self.journal, "rollback\n")
        yield  # on an exception the journal stays, and the next writer rolls back
        self.journal.unlink()
        _fsync_dir(self.root)
        shutil.rmtree(self.rollback, ignore_errors=True)

    def publish(self, store: ox.Store) -> int:
        """Make what the primary holds visible to readers; return the new generation."""
        store.flush()
        compact = self._grown_since_compaction()
        if compact:
            _compact(store)
        generation = (self.generation() if self.exists() else 0) + 1
        self.snapshots.mkdir(parents=True, exist_ok=True)
        target = self.snapshot(generation)
        shutil.rmtree(target, ignore_errors=True)
        store.backup(str(target))
        if compact:  # the checkpoint holds exactly the live files, none waiting for deletion
            _write_atomically(self.compacted_file, json.dumps({"bytes": _sst_bytes(target)}))
        _write_atomically(self.current_file, json.dumps({"generation": generation}))
        self.collect_garbage(keep=generation)
        return generation

    def _grown_since_compaction(self) -> bool:
        """Whether the primary has grown by a quarter since it was last compacted.

        The primary is closed after every write and snapshots are read-only, so RocksDB never
        merges files in the background: the bulk loader's overlapping files made queries 3-5x
        slower at 10M triples (GROUP BY 16.4 s, 4.2 s compacted). A compaction rewrites the
        whole store (20 s at 10M, 1 s at 1M even after a 10-triple write), hence the growth
        rule rather than one per write. It runs before the snapshot is taken, so readers
        only ever see compacted data; a crash during it leaves RocksDB consistent.
        """
        try:
            compacted = json.loads(self.compacted_file.read_text())["bytes"]
        except (FileNotFoundError, ValueError, KeyError):
            compacted = 0
        grown = _sst_bytes(self.primary) - compacted
        return bool(grown >= max(COMPACT_GROWTH * (compacted + grown), COMPACT_MIN_BYTES))

    def collect_garbage(self, keep: int) -> None:
        """Delete snapshots no reader holds (readers keep a shared lock on them)."""
        for path in self.snapshots.iterdir():
            if path.suffix == ".lock" or not path.name.isdigit() or int(path.name) == keep:
                continue
            lock_path = path.with_name(path.name + ".lock")
            with open(lock_path, "a+") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue
                shutil.rmtree(path, ignore_errors=True)
                lock_path.unlink(missing_ok=True)

    def initialise(self) -> None:
        """Create an empty store, or publish a snapshot after a crash between commit and publish."""
        with self.writer() as store:
            self.publish(store)
