"""`Engine(store)`: the one object the web layer and the CLI need.

It keeps the projection cached per store generation and answers with plain,
JSON-serialisable dicts and lists, so callers never import networkx. Whole-graph
answers (gaps, brokers, communities) are memoised for the current projection too.
"""

from __future__ import annotations

import datetime as dt
import threading

import networkx as nx

from . import export, funding, pathsearch, recommend, structure
from .projection import Cache

__all__ = ["Engine"]

MEMO_SIZE = 32      # whole-graph answers kept per projection, oldest dropped first


class Engine:
    """Complementarity answers over a store.

    >>> from rdflib import Graph
    >>> from ccgraph.analytics.examples import TINY_TTL, RdflibSelect
    >>> engine = Engine(RdflibSelect(Graph().parse(data=TINY_TTL, format="turtle")))
    >>> engine.paths("urn:ex:c1", "urn:ex:c2", k=1)[0]["hops"]
    2
    """

    def __init__(self, store, wait: float | None = None) -> None:
        """`wait`: seconds a call after a write waits for the rebuilt projection before
        it is answered from the previous one (None: as long as the rebuild takes)."""
        self._cache = Cache(store, wait, warm=_warm)
        self._memo: dict[tuple, object] = {}
        self._memo_graph: nx.Graph | None = None
        self._lock = threading.Lock()
        self._local = threading.local()

    def graph(self) -> nx.Graph:
        """The current projection (rebuilt after any write to the store)."""
        projection = self._cache.projection()
        self._local.generation = projection.generation
        return projection.graph

    def reflected_generation(self) -> int | None:
        """The store generation of the projection this thread's last answer came from
        (None if it asked nothing since `forget_reflected`)."""
        return getattr(self._local, "generation", None)

    def forget_reflected(self) -> None:
        self._local.generation = None

    def paths(self, a: str, b: str, k: int = 5, max_len: int = 6) -> list[dict]:
        return pathsearch.paths(self.graph(), a, b, k=k, max_len=max_len)

    def partners(self, cluster: str, n: int = 10, cross_border_only: bool = False) -> list[dict]:
        return recommend.partners(self.graph(), cluster, n=n, cross_border_only=cross_border_only)

    def instruments(self, a: str, b: str, on: dt.date | None = None) -> list[dict]:
        return funding.instruments(self.graph(), a, b, on)

    def find_instruments(self, a: str, b: str, on: dt.date | None = None) -> dict:
        """The instruments for a link and, when there are none, why not."""
        return funding.find(self.graph(), a, b, on)

    def gaps(self, threshold: float = 0.5, limit: int = 20) -> dict:
        return self._memoised("gaps", recommend.gaps, threshold=threshold, limit=limit)

    def brokers(self, n: int = 10, method: str = "constraint") -> list[dict]:
        return self._memoised("brokers", structure.brokers, n=n, method=method)

    def communities(self) -> list[dict]:
        return self._memoised("communities", structure.communities)

    def export(self, fmt: str, out, kinds=None) -> None:
        export.write(self.graph(), fmt, out, kinds)

    def _memoised(self, name: str, fn, **kwargs):
        G = self.graph()
        key = (name, *sorted(kwargs.items()))
        with self._lock:
            if self._memo_graph is not G:
                self._memo, self._memo_graph = {}, G
            if key in self._memo:
                return self._memo[key]
        result = fn(G, **kwargs)
        with self._lock:
            if self._memo_graph is G:
                if len(self._memo) >= MEMO_SIZE:  # parameters come from requests: cap it
                    self._memo.pop(next(iter(self._memo)))
                self._memo[key] = result
        return result


def _warm(G: nx.Graph) -> None:
    """The indexes paths, partners and instruments build on first use (kept in G.graph)."""
    from . import model

    model.index(G)
    pathsearch._adjacency(G)
    funding.coverage(G)
