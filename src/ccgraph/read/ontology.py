"""Ontology documentation, generated from the ontology graph (ontology/ccgraph.ttl as
loaded into the store by `ccgraph bundle`): classes and properties with their
labels, definitions, hierarchy, domains and ranges, and the terms they align to."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Literal, URIRef

from ..namespaces import CCG, DCTERMS, OWL, RDF, RDFS, SKOS
from .labels import Langs, curie, pick

__all__ = ["Term", "ontology_document"]

Facts = dict[str, list[Any]]  # a term's values by predicate

_TERMS = """
SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?ns)) }"""

_SECTIONS = (("Classes", OWL.Class), ("Object properties", OWL.ObjectProperty),
             ("Datatype properties", OWL.DatatypeProperty),
             ("Annotation properties", OWL.AnnotationProperty),
             ("Individuals", OWL.NamedIndividual))
_ALIGNMENTS = (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass,
               OWL.equivalentProperty, SKOS.closeMatch, SKOS.exactMatch, OWL.inverseOf)


@dataclass
class Term:
    iri: str
    name: str
    label: str
    definition: str = ""
    comment: str = ""
    kind: str = ""
    relations: list[tuple[str, list[str]]] = field(default_factory=list)


def ontology_document(store: Any, graph: str, langs: Langs) -> dict[str, Any]:
    rows = store.select(_TERMS, {"g": URIRef(graph), "ns": Literal(str(CCG))},
                        union_default=False, row_cap=10**6)
    facts: dict[str, Facts] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        facts[str(row["s"])][str(row["p"])].append(row["o"])
    header = _header(store, graph, langs)
    sections = []
    for title, cls in _SECTIONS:
        terms = [_term(iri, f, langs) for iri, f in facts.items()
                 if str(cls) in {str(t) for t in f.get(str(RDF.type), [])}]
        if cls == OWL.NamedIndividual:
            terms += [_term(iri, f, langs) for iri, f in facts.items()
                      if not _is_declared(f) and f.get(str(RDF.type))]
        sections.append((title, sorted(terms, key=lambda t: t.name.lower())))
    return {"header": header, "sections": sections, "graph": graph}


def _is_declared(f: Facts) -> bool:
    declared = {str(cls) for _title, cls in _SECTIONS}
    return bool(declared & {str(t) for t in f.get(str(RDF.type), [])})


def _text(values: list[Any], langs: Langs) -> str:
    chosen = pick([v for v in values if isinstance(v, Literal)], langs)
    return str(chosen) if chosen is not None else ""


def _term(iri: str, f: Facts, langs: Langs) -> Term:
    name = iri[len(str(CCG)):]
    term = Term(iri=iri, name=name, label=_text(f.get(str(RDFS.label), []), langs) or name,
                definition=_text(f.get(str(SKOS.definition), []), langs),
                comment=_text(f.get(str(RDFS.comment), []), langs))
    for predicate in (*_ALIGNMENTS, RDFS.domain, RDFS.range):
        values = [curie(str(v)) for v in f.get(str(predicate), [])
                  if not isinstance(v, BNode)]
        if values:
            term.relations.append((curie(str(predicate)), sorted(values)))
    return term


_ONTOLOGY_HEADER = """
SELECT ?p ?o WHERE { GRAPH ?g { ?ont a ?ontology ; ?p ?o } }"""


def _header(store: Any, graph: str, langs: Langs) -> dict[str, str]:
    rows = store.select(_ONTOLOGY_HEADER, {"g": URIRef(graph), "ontology": OWL.Ontology},
                        union_default=False)
    by: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        by[str(row["p"])].append(row["o"])
    return {"title": _text(by.get(str(DCTERMS.title), []), langs) or "ccgraph ontology",
            "description": _text(by.get(str(DCTERMS.description), []), langs),
            "comment": _text(by.get(str(RDFS.comment), []), langs),
            "version": " ".join(str(v) for v in by.get(str(OWL.versionInfo), [])),
            "license": " ".join(str(v) for v in by.get(str(DCTERMS.license), []))}
