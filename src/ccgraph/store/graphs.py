"""The named graphs a store holds, with their sizes and provenance records.

Read here, beside the store, from the metadata graph that load.py and provenance.py
write: the store lists its graphs without importing the modules built on top of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol

from rdflib import URIRef

from ..namespaces import CCG, DCTERMS, META_GRAPH, PROV, VOID
from .results import Row

__all__ = ["GraphInfo", "graph_infos"]


class _Readable(Protocol):
    """What this module asks of a store (`Store` offers it; base.py imports this module)."""

    def graph_names(self) -> list[str]: ...

    def select(self, text: str, bindings: Any = None, *, values: Any = None,
               **options: Any) -> list[Row]: ...


@dataclass(frozen=True)
class GraphInfo:
    """A named graph as `Store.graphs()` lists it: IRI, size and provenance record."""

    iri: str
    triples: int
    meta: dict[str, Any] = field(default_factory=dict)


_INFOS = f"""
SELECT ?g ?p ?o WHERE {{
  GRAPH <{META_GRAPH}> {{ ?g a <{VOID.Dataset}> ; ?p ?o }}
}}"""

_KEYS = {
    str(VOID.triples): "triples", str(PROV.generatedAtTime): "loaded",
    str(DCTERMS.source): "files", str(CCG.loadedWith): "tool", str(CCG.loadMode): "mode",
    str(PROV.wasDerivedFrom): "derived_from", str(CCG.synthetic): "synthetic",
    str(CCG.graphKind): "kind",
}
_MULTI = {"files", "derived_from"}
_COUNT = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def graph_infos(store: _Readable) -> list[GraphInfo]:
    records: dict[str, dict[str, Any]] = {g: {} for g in store.graph_names()}
    for row in store.select(_INFOS, union_default=False, row_cap=10**9):
        key = _KEYS.get(str(row["p"]))
        record = records.get(str(row["g"]))
        # A record of a graph a client update has since dropped is not listed.
        if key is not None and record is not None:
            _remember(record, key, row["o"])
    uncounted = [URIRef(g) for g, r in records.items() if "triples" not in r]
    if uncounted:  # graphs written by SPARQL Update or the graph store have no record
        for row in store.select(_COUNT, values={"g": uncounted}, union_default=False):
            records[str(row["g"])]["triples"] = int(str(row["n"]))
    return [GraphInfo(iri=iri, triples=int(record.pop("triples", 0) or 0), meta=record)
            for iri, record in sorted(records.items())]


def _remember(record: dict[str, Any], key: str, term: Any) -> None:
    value = term.toPython() if hasattr(term, "toPython") else str(term)
    if key in _MULTI:
        record.setdefault(key, []).append(str(value))
    else:
        record[key] = value if not isinstance(value, dt.datetime) else value.isoformat()
