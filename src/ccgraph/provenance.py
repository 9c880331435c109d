"""Provenance of loaded graphs, kept in the metadata graph `urn:ccgraph:meta`.

For each named graph: the files it was derived from (name, SHA-256, size), its
triple count, load time, mode, the tool version, and flags such as `synthetic`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import URIRef

from . import __version__
from .namespaces import CCG, DCTERMS, META_GRAPH, PROV, RDF, VOID, XSD

__all__ = ["GraphInfo", "file_entity", "graph_infos", "graph_meta"]

_META = ox.NamedNode(str(META_GRAPH))


@dataclass(frozen=True)
class GraphInfo:
    """A named graph as `Store.graphs()` lists it: IRI, size and provenance record."""

    iri: str
    triples: int
    meta: dict = field(default_factory=dict)


def _n(iri) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def file_entity(sha256: str) -> ox.NamedNode:
    return ox.NamedNode(f"urn:sha256:{sha256}")


def graph_meta(graph: str, files: list[dict], mode: str,
               flags: Mapping[str, object] | None = None) -> list[ox.Quad]:
    """Quads describing one loaded graph (its triple count is added by the store)."""
    subject = _n(graph)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    triples = [
        (subject, _n(RDF.type), _n(PROV.Entity)),
        (subject, _n(RDF.type), _n(VOID.Dataset)),
        (subject, _n(PROV.generatedAtTime), ox.Literal(now, datatype=_n(XSD.dateTime))),
        (subject, _n(CCG.loadedWith), ox.Literal(f"ccgraph {__version__}")),
        (subject, _n(CCG.loadMode), ox.Literal(mode)),
    ]
    for file in files:
        entity = file_entity(file["sha256"])
        triples += [
            (subject, _n(PROV.wasDerivedFrom), entity),
            (subject, _n(DCTERMS.source), ox.Literal(file["name"])),
            (entity, _n(RDF.type), _n(PROV.Entity)),
            (entity, _n(DCTERMS.title), ox.Literal(file["name"])),
            (entity, _n(CCG.sha256), ox.Literal(file["sha256"])),
            (entity, _n(DCTERMS.extent),
             ox.Literal(str(file["bytes"]), datatype=_n(XSD.integer))),
        ]
    for key, value in (flags or {}).items():
        triples.append((subject, _n(CCG[key]), _literal(value)))
    return [ox.Quad(s, p, o, _META) for s, p, o in triples]


def _literal(value: object) -> ox.Literal:
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=_n(XSD.boolean))
    return ox.Literal(str(value))


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


def graph_infos(store) -> list[GraphInfo]:
    records: dict[str, dict] = {g: {} for g in store.graph_names()}
    for row in store.select(_INFOS, union_default=False, row_cap=10**9):
        key = _KEYS.get(str(row["p"]))
        if key is None:
            continue
        record = records.get(str(row["g"]))
        if record is None:  # the provenance of a graph a client update has since dropped
            continue
        value = row["o"].toPython() if hasattr(row["o"], "toPython") else str(row["o"])
        if key in _MULTI:
            record.setdefault(key, []).append(str(value))
        else:
            record[key] = value if not isinstance(value, dt.datetime) else value.isoformat()
    uncounted = [URIRef(g) for g, r in records.items() if "triples" not in r]
    if uncounted:  # graphs written by SPARQL Update or the graph store have no record
        for row in store.select(_COUNT, values={"g": uncounted}, union_default=False):
            records[str(row["g"])]["triples"] = int(row["n"])
    return [GraphInfo(iri=iri, triples=int(record.pop("triples", 0) or 0), meta=record)
            for iri, record in sorted(records.items())]


_COUNT = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
