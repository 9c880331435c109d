"""The one boundary where Oxigraph terms become rdflib terms and back.

The store speaks rdflib terms to its callers (rows, triples, quads); Oxigraph's own
terms stay inside `store/` and `rdfio.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..rdfio import FORMATS

__all__ = ["XSD_STRING", "Triple", "from_ntriples", "graph_node", "ox_quads", "parse_dataset",
           "parse_ntriples", "serialize_dataset", "to_ntriples", "to_ox", "to_rdflib",
           "to_rdflib_triple", "write_ntriples"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

Triple = tuple[Node, Node, Node]
OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


def to_rdflib(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == XSD_STRING else URIRef(datatype))
    raise TypeError(f"unsupported term {term!r}")


def to_ox(term: Node) -> OxTerm:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype and str(term.datatype) != _RDF_LANG_STRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot bind {term!r}: only IRIs, blank nodes and literals")


def to_ntriples(term: Node) -> str:
    """A term as N-Triples writes it; ValueError for one RDF does not allow."""
    return str(to_ox(term))


def to_rdflib_triple(quad: ox.Quad | ox.Triple) -> Triple:
    return (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))


def graph_node(iri: str) -> ox.NamedNode | ox.DefaultGraph:
    """"" names the default graph (as in `GraphWrite.graph`)."""
    return ox.DefaultGraph() if iri == "" else ox.NamedNode(iri)


def ox_quads(triples: Iterable[Triple], graph: str) -> list[ox.Quad]:
    """rdflib triples as Oxigraph quads in one graph ("" is the default graph)."""
    node = graph_node(graph)
    return [ox.Quad(to_ox(s), to_ox(p), to_ox(o), node) for s, p, o in triples]  # type: ignore[arg-type]


def parse_ntriples(body: bytes) -> list[Triple]:
    """rdflib triples from N-Triples (how a store's answer crosses to its caller)."""
    return [to_rdflib_triple(t) for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]


def write_ntriples(triples: Iterable[Triple], path: str | Path) -> None:
    """rdflib triples as an N-Triples file; ValueError for a term RDF does not allow (an IRI
    rdflib let through)."""
    ox.serialize((ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples),  # type: ignore[arg-type]
                 output=str(path), format=ox.RdfFormat.N_TRIPLES)


def serialize_dataset(dataset: Mapping[str, Iterable[Triple]], fmt: str) -> bytes:
    """Triples by graph ("" is the default graph) in an rdfio dataset format, graphs in
    the order given."""
    quads = [q for name, triples in dataset.items() for q in ox_quads(triples, name)]
    return ox.serialize(quads, format=FORMATS[fmt].ox_format) or b""


def parse_dataset(data: bytes, fmt: str) -> dict[str, list[Triple]]:
    """Triples by graph ("" is the default graph) from an rdfio dataset format."""
    dataset: dict[str, list[Triple]] = {}
    for quad in ox.parse(data, format=FORMATS[fmt].ox_format):
        name = "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        dataset.setdefault(name, []).append(to_rdflib_triple(quad))
    return dataset


def from_ntriples(text: str) -> OxTerm:
    """An Oxigraph term from its N-Triples spelling (how bindings cross process borders)."""
    quad = next(iter(ox.parse(f"<urn:x:s> <urn:x:p> {text} .", format=ox.RdfFormat.N_TRIPLES)))
    return quad.object  # type: ignore[no-any-return]
