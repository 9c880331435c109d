"""The embedded store: Oxigraph on disk, queried in this process."""

from __future__ import annotations

import contextlib
import fcntl
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, TypeVar

import pyoxigraph as ox

from ..config import Settings
from ..errors import StoreError
from . import union as merged
from .base import GraphWrite, QueryOutput, QueryRequest, Store
from .engine import UpdateCheck, apply_writes, run_query, run_update
from .layout import LOCK_WAIT, StoreDir

T = TypeVar("T")

__all__ = ["DirectoryStore", "EmbeddedStore", "SnapshotReader"]


class SnapshotReader:
    """Keeps the newest snapshot open read-only, and a shared lock on it."""

    def __init__(self, directory: StoreDir) -> None:
        self.dir = directory
        self._generation = -1
        self._store: ox.Store | None = None
        self._lock: IO[str] | None = None
        self._catalog: tuple[ox.Store, merged.Catalog] | None = None

    def store(self) -> ox.Store:
        for _attempt in range(5):
            generation = self.dir.generation()
            if generation == self._generation and self._store is not None:
                return self._store
            if self._open(generation) and self._store is not None:
                return self._store
        raise StoreError(f"cannot open a snapshot of {self.dir.root}")

    def _open(self, generation: int) -> bool:
        path = self.dir.snapshot(generation)
        lock = open(path.with_name(path.name + ".lock"), "a+")  # noqa: SIM115 - held open
        fcntl.flock(lock, fcntl.LOCK_SH)
        if not path.exists():  # collected between reading CURRENT and locking
            lock.close()
            return False
        store = ox.Store.read_only(str(path))
        self.close()
        self._store, self._lock, self._generation = store, lock, generation
        return True

    def catalog(self) -> merged.Catalog:
        """The graphs of the snapshot in use, as queries need them (listed once per snapshot)."""
        store = self.store()
        if self._catalog is None or self._catalog[0] is not store:
            self._catalog = (store, merged.catalog(store))
        catalog: merged.Catalog = self._catalog[1]
        return catalog

    def close(self) -> None:
        self._store = None
        self._catalog = None
        if self._lock is not None:
            self._lock.close()
            self._lock = None
        self._generation = -1


@contextlib.contextmanager
def _disk_errors() -> Iterator[None]:
    """A write the disk refused (full, read-only, I/O error) is a StoreError with the reason.

    Raised after the journal has kept the write's rollback point, so the next writer (or the
    next open) restores the store as it was.
    """
    try:
        yield
    except OSError as exc:
        raise StoreError(f"the store could not be written ({exc.strerror or exc}); what "
                         "was stored before is kept") from None


class DirectoryStore(Store):
    """A store kept in a ccgraph store directory; `None` makes a temporary one (`memory:`)."""

    def __init__(self, root: str | Path | None, *, union_default_graph: bool,
                 row_cap: int, query_timeout: float, max_nesting: int) -> None:
        self._tempdir = None
        if root is None:
            self._tempdir = tempfile.mkdtemp(prefix="ccgraph-memory-")
            root = self._tempdir
        self.dir = StoreDir(root)
        self.union_default_graph = union_default_graph
        self.row_cap = row_cap
        self.query_timeout = query_timeout
        self.max_nesting = max_nesting

    @property
    def root(self) -> Path:
        return self.dir.root

    @property
    def generation(self) -> int:
        return self.dir.generation()

    def close(self) -> None:
        if self._tempdir:
            shutil.rmtree(self._tempdir, ignore_errors=True)
            self._tempdir = None


def prepare_union(directory: StoreDir, wait: float = LOCK_WAIT) -> None:
    """Build the merged union graph of a store written without it (once, under the lock)."""
    with _disk_errors(), directory.writer(wait) as primary, directory.journalled(primary):
        if merged.ensure(primary):
            directory.publish(primary)


class EmbeddedStore(DirectoryStore):
    """`oxigraph:PATH` (or `memory:`), queried and written in this process."""

    def __init__(self, root: str | Path | None, *,
                 union_default_graph: bool = Settings.union_default_graph,
                 row_cap: int = Settings.row_cap, query_timeout: float = Settings.query_timeout,
                 max_nesting: int = Settings.max_nesting, lock_wait: float = LOCK_WAIT,
                 update_check: UpdateCheck | None = None) -> None:
        super().__init__(root, union_default_graph=union_default_graph, row_cap=row_cap,
                         query_timeout=query_timeout, max_nesting=max_nesting)
        self.lock_wait = lock_wait
        self.update_check = update_check    # may refuse what an update wrote
        if not self.dir.exists() or self.dir.journal.exists():
            self.dir.initialise()
        self._reader = SnapshotReader(self.dir)
        if union_default_graph and not merged.is_current(self._reader.store()):
            prepare_union(self.dir, self.lock_wait)

    def execute(self, request: QueryRequest) -> QueryOutput:
        return run_query(self._reader.store(), request, self._reader.catalog)

    def execute_update(self, text: str, *, base_iri: str | None = None,
                       timeout: float | None = None) -> int:
        # Journalled: the update runs with ccgraph's graphs set aside and may be refused by
        # the check after it ran; either way the store is kept whole or as it was.
        with _disk_errors(), self.dir.writer(self.lock_wait) as primary, \
                self.dir.journalled(primary):
            run_update(primary, text, base_iri, max_nesting=self.max_nesting,
                       union=self.union_default_graph, check=self.update_check)
            return self.dir.publish(primary)

    def write(self, writes: Sequence[GraphWrite], *, timeout: float | None = None) -> int:
        with _disk_errors(), self.dir.writer(self.lock_wait) as primary, \
                self.dir.journalled(primary):
            apply_writes(primary, list(writes), union=self.union_default_graph)
            return self.dir.publish(primary)

    def run_exclusive(self, func: Callable[..., T], *args: Any,
                      timeout: float | None = None) -> T:
        """Run `func(self, *args)`: a whole read-validate-write job (here, in-process)."""
        return func(self, *args)

    def backup(self, target: str | Path) -> None:
        """A consistent copy of the newest snapshot (RocksDB checkpoint, hard links)."""
        self._reader.store().backup(str(target))

    def close(self) -> None:
        self._reader.close()
        super().close()
