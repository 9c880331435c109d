"""Per-app state, kept in `app.extensions["ccgraph"]`: settings, the store, caches."""

from __future__ import annotations

import threading

from ..config import Settings
from ..queries import QueryRegistry

__all__ = ["Services"]

# After a write, an analytics call waits this long for the rebuilt projection, then is
# answered from the previous one (marked with its generation) while the rebuild goes on.
ANALYTICS_WAIT = 1.0


class Services:
    def __init__(self, settings: Settings, store=None) -> None:
        self.settings = settings
        self._store = store
        self._owns_store = store is None
        self._lock = threading.Lock()
        self._graphs: tuple[int, frozenset[str]] = (-1, frozenset())
        self._analytics = None
        self.queries = QueryRegistry(settings.queries_dir)

    @property
    def store(self):
        """Opened on first use, in the serving process (never at import or in a master)."""
        if self._store is None:
            with self._lock:
                if self._store is None:
                    from ..store import open_store

                    self._store = open_store(self.settings.store, self.settings, isolated=True)
        return self._store

    def graph_names(self) -> frozenset[str]:
        generation = self.store.generation
        cached_generation, names = self._graphs
        if cached_generation != generation:
            names = frozenset(self.store.graph_names())
            self._graphs = (generation, names)
        return names

    @property
    def analytics(self):
        if self._analytics is None:
            with self._lock:
                if self._analytics is None:
                    from ..analytics import Engine

                    self._analytics = Engine(self.store, wait=ANALYTICS_WAIT)
        return self._analytics

    @property
    def built_analytics(self):
        """The analytics engine if a request has needed it (None: never built)."""
        return self._analytics

    def close(self) -> None:
        if self._store is not None and self._owns_store:
            self._store.close()
            self._store = None
