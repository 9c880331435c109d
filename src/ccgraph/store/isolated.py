"""The embedded store as the web service uses it: every query and write in a
killable engine process with a deadline (see workers.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from ..config import Settings
from .base import GraphWrite, QueryOutput, QueryRequest
from .embedded import DirectoryStore, EmbeddedStore, prepare_union
from .engine import UpdateCheck
from .layout import LOCK_WAIT
from .workers import EnginePool

__all__ = ["IsolatedStore"]

T = TypeVar("T")


def _open_local(root: str, options: dict[str, Any]) -> EmbeddedStore:
    return EmbeddedStore(root, **options)


def _query(store: EmbeddedStore, request: QueryRequest) -> QueryOutput:
    return store.execute(request)


def _update(store: EmbeddedStore, text: str, base_iri: str | None) -> int:
    return store.execute_update(text, base_iri=base_iri)


def _write(store: EmbeddedStore, writes: list[GraphWrite]) -> int:
    return store.write(writes)


def _exclusive(store: EmbeddedStore, func: Callable[..., T], args: tuple[Any, ...]) -> T:
    return func(store, *args)


class IsolatedStore(DirectoryStore):
    def __init__(self, root: str | None, *, settings: Settings, union_default_graph: bool,
                 row_cap: int, query_timeout: float, max_nesting: int,
                 update_check: UpdateCheck | None = None) -> None:
        super().__init__(root, union_default_graph=union_default_graph, row_cap=row_cap,
                         query_timeout=query_timeout, max_nesting=max_nesting)
        path = str(self.dir.root)
        self.update_timeout = settings.update_timeout
        # A writer waits for another process's write lock for half its deadline at most, so
        # the client hears "store_locked by pid N" rather than a bare deadline. Engines get
        # all they need here, explicitly: nothing reaches them through the environment.
        options = {"union_default_graph": union_default_graph, "row_cap": row_cap,
                   "query_timeout": query_timeout, "max_nesting": max_nesting,
                   "lock_wait": min(LOCK_WAIT, settings.update_timeout / 2),
                   "update_check": update_check}
        # Recover and publish once, here, so engines start on a consistent snapshot.
        self.dir.initialise()
        if union_default_graph:
            prepare_union(self.dir)
        self._readers = EnginePool(settings.query_workers, _open_local, (path, options),
                                   settings.worker_memory_mb, settings.engine_malloc,
                                   what="query")
        self._writer = EnginePool(1, _open_local, (path, options),
                                  settings.worker_memory_mb, settings.engine_malloc,
                                  what="write")

    def execute(self, request: QueryRequest) -> QueryOutput:
        return self._readers.call(_query, request, timeout=request.timeout)

    def execute_update(self, text: str, *, base_iri: str | None = None,
                       timeout: float | None = None) -> int:
        return self._writer.call(_update, text, base_iri,
                                 timeout=timeout or self.update_timeout)

    def write(self, writes: Sequence[GraphWrite], *, timeout: float | None = None) -> int:
        return self._writer.call(_write, list(writes), timeout=timeout or self.update_timeout)

    def run_exclusive(self, func: Callable[..., T], *args: Any,
                      timeout: float | None = None) -> T:
        result: T = self._writer.call(_exclusive, func, args,
                                      timeout=timeout or self.update_timeout)
        return result

    def close(self) -> None:
        self._readers.close()
        self._writer.close()
        super().close()
