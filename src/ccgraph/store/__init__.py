"""Open a store from its URL: `oxigraph:PATH`, `memory:` or `sparql:QUERY_URL[ ...]`."""

from __future__ import annotations

import functools
from typing import TypedDict

from ..config import Settings
from ..errors import ConfigError
from .base import GraphInfo, GraphWrite, QueryOutput, QueryRequest, Store

__all__ = ["GraphInfo", "GraphWrite", "QueryOutput", "QueryRequest", "Store", "open_store"]


class _Limits(TypedDict):
    """What every kind of store takes from the settings."""

    union_default_graph: bool
    row_cap: int
    query_timeout: float
    max_nesting: int


def open_store(url: str, settings: Settings | None = None, *, isolated: bool = False) -> Store:
    """The store a URL names, with the caller's settings (the dataclass defaults when none are
    given: never the environment). `isolated=True` runs queries and writes in killable
    engine processes with deadlines (what the web service uses)."""
    settings = settings or Settings(store=url)
    scheme, _, rest = url.partition(":")
    common: _Limits = {"union_default_graph": settings.union_default_graph,
                       "row_cap": settings.row_cap, "query_timeout": settings.query_timeout,
                       "max_nesting": settings.max_nesting}
    if scheme == "sparql":
        from .remote import RemoteStore

        return RemoteStore.from_url(rest, **common)
    if scheme not in ("oxigraph", "memory"):
        raise ConfigError(f"unknown store URL {url!r}: use oxigraph:PATH, memory: or sparql:URL")
    if scheme == "oxigraph" and not rest:
        raise ConfigError("oxigraph: needs a path, e.g. oxigraph:var/store")
    root = rest if scheme == "oxigraph" else None
    # One validation rule for every write: SPARQL updates are checked against the shapes like
    # loads and graph-store uploads (validate builds on the store, hence the late import).
    from ..validate import check_update

    update_check = functools.partial(check_update, settings=settings)  # picklable, for engines
    if isolated:
        from .isolated import IsolatedStore

        return IsolatedStore(root, settings=settings, update_check=update_check, **common)
    from .embedded import EmbeddedStore

    return EmbeddedStore(root, update_check=update_check, **common)
