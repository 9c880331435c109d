"""A resource described for a reader: its facts by name, who points to it, its sources
and the graphs that state it; and its statements as RDF, for linked-data clients.

Labels are picked in the reader's language (then English, then any language).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef

from ..errors import NotFound
from ..namespaces import CCG, DCTERMS, META_GRAPH, PROV, RDF, XSD
from . import words
from .labels import Langs, Link, labels
from .search import kind_of

__all__ = ["Resource", "Value", "describe", "statements", "synthetic_graphs"]

Row = dict[str, Any]          # a SELECT row of rdflib terms
LinkOf = Callable[[Any], Link]  # a term to its link, named once per description

_SOURCE_PREDICATES = (DCTERMS.source, PROV.wasDerivedFrom)


@dataclass
class Value:
    text: str
    link: Link | None = None
    note: str = ""


@dataclass
class Resource:
    iri: str
    label: str
    kind: str
    types: list[Link]
    properties: list[tuple[Link, list[Value]]]
    incoming: list[tuple[Link, list[Link]]]
    sources: list[Value]
    graphs: list[dict[str, Any]]
    synthetic: bool
    objects: dict[str, list[Any]] = field(default_factory=dict)
    links: dict[str, Link] = field(default_factory=dict)
    inverse: dict[str, list[Link]] = field(default_factory=dict)
    raw: list[tuple[str, list[str]]] = field(default_factory=list)

    def link(self, iri: Any) -> Link | None:
        return self.links.get(str(iri))

    def linked(self, predicate: Any) -> list[Link]:
        """Objects of `predicate` that are IRIs, as links sorted by label."""
        found = [self.links[str(o)] for o in self.all(predicate) if str(o) in self.links]
        return sorted(found, key=lambda item: item.label.lower())

    def referring(self, *predicates: Any) -> list[Link]:
        """Subjects that point here with any of `predicates`, without repeats."""
        seen: dict[str, Link] = {}
        for predicate in predicates:
            for item in self.inverse.get(str(predicate), []):
                seen.setdefault(item.iri, item)
        return sorted(seen.values(), key=lambda item: item.label.lower())

    def first(self, predicate: Any) -> Any:
        values = self.objects.get(str(predicate), [])
        return values[0] if values else None

    def all(self, predicate: Any) -> list[Any]:
        return self.objects.get(str(predicate), [])


# DISTINCT: with the union default graph, a fact stated by several sources comes once.
_OUT = "SELECT DISTINCT ?p ?o WHERE { ?r ?p ?o }"
_IN = "SELECT DISTINCT ?s ?p WHERE { ?s ?p ?r . FILTER(isIRI(?s)) } LIMIT 500"
_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?r ?p ?o } }"
_NESTED = """
SELECT DISTINCT ?b ?p ?o WHERE { ?r ?via ?b . FILTER(isBlank(?b)) ?b ?p ?o }"""
_META = """
SELECT ?g ?p ?o WHERE { GRAPH ?meta { ?g ?p ?o } }"""


def synthetic_graphs(store: Any) -> set[str]:
    rows = store.select("SELECT ?g WHERE { GRAPH ?meta { ?g ?flag true } }",
                        {"meta": META_GRAPH, "flag": CCG.synthetic}, union_default=False)
    return {str(r["g"]) for r in rows}


def describe(store: Any, iri: str, langs: Langs) -> Resource | None:
    """The resource as a page shows it; None when the store knows nothing of it."""
    node = URIRef(iri)
    out_rows = store.select(_OUT, {"r": node})
    in_rows = store.select(_IN, {"r": node})
    if not out_rows and not in_rows:
        return None
    objects: dict[str, list[Any]] = defaultdict(list)
    for row in out_rows:
        objects[str(row["p"])].append(row["o"])
    graphs = [str(r["g"]) for r in store.select(_GRAPHS, {"r": node}, union_default=False)]
    nested = _nested(store, node, out_rows)
    mentioned = _mentioned(iri, out_rows, in_rows)
    mentioned |= {str(t) for facts in nested.values() for p, o in facts for t in (p, o)
                  if isinstance(t, URIRef)}
    names = labels(store, mentioned, langs)
    label = names.get(iri) or _own_name(store, iri, langs)
    names |= _unnamed_in_words(store, {str(r["s"]) for r in in_rows} - set(names), langs,
                               label if iri in names else "")

    links: dict[str, Link] = {}

    def link(term: Any) -> Link:
        text = str(term)
        if text not in links:
            links[text] = Link(text, names.get(text) or words.readable(text))
        return links[text]

    props = _properties(objects, link, nested, langs)
    incoming: dict[str, list[Link]] = defaultdict(list)
    for row in in_rows:
        incoming[str(row["p"])].append(link(row["s"]))
    types = _unique_by_label(link(t) for t in objects.get(str(RDF.type), []))
    synthetic_flag = any(str(o).lower() == "true" for o in objects.get(str(CCG.synthetic), []))
    synthetic = synthetic_flag or bool(set(graphs) & synthetic_graphs(store))
    return Resource(
        iri=iri, label=label,
        kind=kind_of(objects.get(str(RDF.type), [])), types=types, properties=props,
        incoming=_incoming(incoming, link),
        sources=_sources(objects, link, langs[0]), graphs=_graph_records(store, graphs),
        synthetic=synthetic, objects=dict(objects), links=links, inverse=dict(incoming),
        raw=[(p, sorted(_raw(o) for o in values)) for p, values in sorted(objects.items())])


_TYPES = "SELECT DISTINCT ?s ?t WHERE { ?s a ?t . FILTER(isIRI(?t)) }"


def _unnamed_in_words(store: Any, iris: set[str], langs: Langs, of: str) -> dict[str, str]:
    """Names for resources that point here and have none ("an observation of Example
    Cluster 35"): their type as the ontology names it, never words made from their
    address. Several of one kind are numbered ("(2 of 3)") so they can be told apart."""
    if not iris:
        return {}
    types: dict[str, set[str]] = defaultdict(set)
    for row in store.select(_TYPES, values={"s": [URIRef(i) for i in sorted(iris)]}):
        types[str(row["s"])].add(str(row["t"]))
    type_names = labels(store, {t for ts in types.values() for t in ts}, langs)

    def kind(iri: str) -> str:
        named = sorted((0 if t in type_names else 1, type_names.get(t) or words.readable(t))
                       for t in types.get(iri, ()))
        return named[0][1] if named else ""

    phrases = {i: words.a_kind_of(kind(i), of) for i in sorted(iris)}
    counts = defaultdict(list)
    for i, phrase in phrases.items():
        counts[phrase].append(i)
    for phrase, same in counts.items():
        if len(same) > 1:
            phrases |= {i: f"{phrase} ({n} of {len(same)})" for n, i in enumerate(same, 1)}
    return phrases


def _own_name(store: Any, iri: str, langs: Langs) -> str:
    """The heading of a page whose resource has no name: its kind ("An observation"),
    else words for the address."""
    phrase = _unnamed_in_words(store, {iri}, langs, "")[iri]
    if phrase == words.a_kind_of(""):
        return words.readable(iri)
    return phrase[:1].upper() + phrase[1:]


def _raw(term: Any) -> str:
    if isinstance(term, Literal):
        return term.n3()
    return f"<{term}>" if isinstance(term, URIRef) else "[ ]"


def _unique_by_label(items: Iterable[Link]) -> list[Link]:
    seen: dict[str, Link] = {}
    for item in items:
        seen.setdefault(item.label.lower(), item)
    return list(seen.values())


def _incoming(incoming: dict[str, list[Link]], link: LinkOf) -> list[tuple[Link, list[Link]]]:
    """Who points here, one row per relation as a reader names it (org:hasMember and
    ccg:hasMember are one row)."""
    rows: dict[str, tuple[Link, dict[str, Link]]] = {}
    for predicate, subjects in incoming.items():
        name = link(URIRef(predicate))
        _first, merged = rows.setdefault(name.label.lower(), (name, {}))
        for subject in subjects:
            merged.setdefault(subject.iri, subject)
    return sorted(((name, sorted(found.values(), key=lambda x: _natural(x.label)))
                   for name, found in rows.values()), key=lambda pv: pv[0].label.lower())


def _natural(text: str) -> list[tuple[int, int, str]]:
    """Numbers in names sorted as numbers: "(2 of 70)" before "(10 of 70)"."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part.lower())
            for part in re.split(r"(\d+)", text) if part]


def _nested(store: Any, node: URIRef, out_rows: list[Row]) -> dict[str, list[tuple[Any, Any]]]:
    """The facts of blank-node values (reported values with their year and source)."""
    if not any(isinstance(row["o"], BNode) for row in out_rows):
        return {}
    found: dict[str, list[tuple[Any, Any]]] = defaultdict(list)
    for row in store.select(_NESTED, {"r": node}):
        found[str(row["b"])].append((row["p"], row["o"]))
    return found


def _mentioned(iri: str, out_rows: list[Row], in_rows: list[Row]) -> set[str]:
    terms = {iri}
    for row in out_rows:
        terms.add(str(row["p"]))
        if isinstance(row["o"], URIRef):
            terms.add(str(row["o"]))
    for row in in_rows:
        terms.update((str(row["s"]), str(row["p"])))
    return terms


def _properties(objects: dict[str, list[Any]], link: LinkOf,
                nested: dict[str, list[tuple[Any, Any]]],
                langs: Langs) -> list[tuple[Link, list[Value]]]:
    """One row per fact as a reader names it: rdfs:label and skos:prefLabel are one
    "name" row, ccg:hasMember and org:hasMember one "has member" row, each value once."""
    rows: dict[str, tuple[Link, dict[tuple[str, str], Value]]] = {}
    for predicate, values in objects.items():
        if predicate == str(CCG.synthetic):
            continue  # the banner and the tags say it
        name = link(URIRef(words.same_fact(predicate)))
        _first, merged = rows.setdefault(name.label.lower(), (name, {}))
        for term in values:
            value = _nested_value(nested.get(str(term), []), link, langs) \
                if isinstance(term, BNode) else _value(term, link, langs[0])
            merged.setdefault((value.text, value.note), value)
    out = [(Link(name.iri, name.label[:1].upper() + name.label[1:]),
            sorted(found.values(), key=lambda v: v.text)) for name, found in rows.values()]
    return sorted(out, key=lambda pv: (pv[0].iri != str(RDF.type), pv[0].label.lower()))


def _value(term: Any, link: LinkOf, reader: str = "en") -> Value:
    if isinstance(term, URIRef):
        target = link(term)
        return Value(target.label, target)
    if isinstance(term, BNode):
        return Value("(a nested description)")
    if term.datatype == XSD.boolean:
        return Value("yes" if str(term).lower() in ("true", "1") else "no")
    shown = term.language and term.language.split("-")[0].lower() != reader
    return Value(str(term), note=words.language_name(term.language) if shown else "")


_NESTED_ORDER = (CCG.reportedProperty, CCG.value, CCG.refYear)


def _nested_value(facts: list[tuple[Any, Any]], link: LinkOf, langs: Langs) -> Value:
    """A reported value as a phrase: "number of members: 300 (2021), from a page on …"."""
    by: dict[str, list[Any]] = defaultdict(list)
    for p, o in facts:
        by[str(p)].append(o)
    what = [link(o).label for o in by.get(str(CCG.reportedProperty), [])]
    value = [str(o) for o in by.get(str(CCG.value), [])]
    year = [str(o) for o in by.get(str(CCG.refYear), [])]
    sources = [link(o) for p in _SOURCE_PREDICATES for o in by.get(str(p), [])
               if isinstance(o, URIRef)]
    if what or value:
        text = f"{', '.join(what) or 'value'}: {', '.join(value) or 'not stated'}"
        text += f" ({', '.join(year)})" if year else ""
    else:
        text = "; ".join(f"{link(p).label}: {_value(o, link, langs[0]).text}" for p, o in facts
                         if p != RDF.type) or "(a nested description)"
    return Value(text, sources[0] if sources else None, note="source" if sources else "")


def _sources(objects: dict[str, list[Any]], link: LinkOf, reader: str) -> list[Value]:
    found: list[Value] = []
    for predicate in _SOURCE_PREDICATES:
        for term in objects.get(str(predicate), []):
            value = _value(term, link, reader)
            if all(v.text != value.text for v in found):
                found.append(value)
    return found


def _graph_records(store: Any, graphs: list[str]) -> list[dict[str, Any]]:
    if not graphs:
        return []
    rows = store.select(_META, {"meta": META_GRAPH}, union_default=False)
    wanted = set(graphs)
    records: dict[str, dict[str, Any]] = {g: {"graph": g, "files": [], "synthetic": False}
                                for g in graphs}
    for row in rows:
        g = str(row["g"])
        if g not in wanted:
            continue
        if row["p"] == DCTERMS.source:
            records[g]["files"].append(str(row["o"]))
        elif row["p"] == CCG.synthetic:
            records[g]["synthetic"] = str(row["o"]).lower() == "true"
        elif row["p"] == CCG.graphKind:
            records[g]["kind"] = str(row["o"])
    return [records[g] for g in sorted(records)]


# The resource's own statements, blank-node objects one level deep, and the labels of
# what it links to (so a linked-data client can show names without a second request).
_STATEMENTS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT { ?r ?p ?o . ?o ?bp ?bo . ?o rdfs:label ?label . ?o skos:prefLabel ?pref . }
WHERE {
  { ?r ?p ?o }
  UNION { ?r ?p ?o . FILTER(isBlank(?o)) ?o ?bp ?bo }
  UNION { ?r ?p ?o . FILTER(isIRI(?o)) ?o rdfs:label ?label }
  UNION { ?r ?p ?o . FILTER(isIRI(?o)) ?o skos:prefLabel ?pref }
}"""


def statements(store: Any, iri: str) -> Graph:
    """The resource's description as RDF; NotFound when nothing is known about it."""
    graph: Graph = store.construct(_STATEMENTS, {"r": URIRef(iri)})
    if len(graph) == 0:
        raise NotFound(f"nothing is known about <{iri}>", id=iri)
    return graph
