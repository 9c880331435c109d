"""Provenance of loaded graphs, kept in the metadata graph `urn:ccgraph:meta`.

For each named graph: the files it was derived from (name, SHA-256, size), its
triple count, load time, mode, the tool version, and flags such as `synthetic`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from rdflib import Literal, URIRef
from rdflib.term import Node

from . import __version__
from .namespaces import CCG, DCTERMS, PROV, RDF, VOID, XSD

__all__ = ["file_entity", "graph_meta"]


def file_entity(sha256: str) -> URIRef:
    return URIRef(f"urn:sha256:{sha256}")


def graph_meta(graph: str, files: list[dict], mode: str,
               flags: Mapping[str, object] | None = None) -> list[tuple[Node, Node, Node]]:
    """Triples describing one loaded graph, for the metadata graph (its triple count is
    added by the store)."""
    subject = URIRef(graph)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    triples: list[tuple[Node, Node, Node]] = [
        (subject, RDF.type, PROV.Entity),
        (subject, RDF.type, VOID.Dataset),
        (subject, PROV.generatedAtTime, Literal(now, datatype=XSD.dateTime)),
        (subject, CCG.loadedWith, Literal(f"ccgraph {__version__}")),
        (subject, CCG.loadMode, Literal(mode)),
    ]
    for file in files:
        entity = file_entity(file["sha256"])
        triples += [
            (subject, PROV.wasDerivedFrom, entity),
            (subject, DCTERMS.source, Literal(file["name"])),
            (entity, RDF.type, PROV.Entity),
            (entity, DCTERMS.title, Literal(file["name"])),
            (entity, CCG.sha256, Literal(file["sha256"])),
            (entity, DCTERMS.extent, Literal(str(file["bytes"]), datatype=XSD.integer)),
        ]
    for key, value in (flags or {}).items():
        triples.append((subject, CCG[key], _literal(value)))
    return triples


def _literal(value: object) -> Literal:
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype=XSD.boolean)
    return Literal(str(value))
