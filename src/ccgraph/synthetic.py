"""Which resources are generated example data (`ccg:synthetic true`).

Generated data serves tests, benchmarks and demos; wherever an answer carries it,
each item says so, so that it is never read as a fact.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import URIRef

from .namespaces import CCG

__all__ = ["flagged", "mark"]

_FLAGGED = "SELECT DISTINCT ?s WHERE { ?s ?flag true }"
_CHUNK = 500


def flagged(store, iris: Iterable[str]) -> set[str]:
    """The IRIs among `iris` that are flagged synthetic."""
    nodes = [URIRef(i) for i in sorted(set(iris))]
    found: set[str] = set()
    for i in range(0, len(nodes), _CHUNK):
        rows = store.select(_FLAGGED, {"flag": CCG.synthetic}, values={"s": nodes[i:i + _CHUNK]})
        found.update(str(r["s"]) for r in rows)
    return found


def mark(store, items: list[dict], iris_of) -> list[dict]:
    """Add ``"synthetic": bool`` to each item: true when any IRI `iris_of(item)` names
    is flagged. Returns the same list."""
    wanted = [list(iris_of(item)) for item in items]
    found = flagged(store, (i for iris in wanted for i in iris))
    for item, iris in zip(items, wanted, strict=True):
        item["synthetic"] = any(i in found for i in iris)
    return items
