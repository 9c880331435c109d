"""Complementarity analytics (issue 5): the only package that imports networkx.

Web and CLI code use the facade::

    from ccgraph.analytics import Engine
    engine = Engine(store)
    engine.paths(a, b, k=5, max_len=6)

The pure functions take the projection (a frozen networkx graph) and return plain
JSON-serialisable values; docs/complementarity.md describes the model.
"""

from .engine import Engine
from .funding import instruments
from .pathsearch import paths
from .projection import build
from .recommend import gaps, partners
from .structure import brokers, communities

__all__ = ["Engine", "brokers", "build", "communities", "gaps", "instruments", "partners",
           "paths"]
