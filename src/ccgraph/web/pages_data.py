"""What the pages show, read from the store with bound parameters.

Each function returns plain Python values for a template; labels are picked in
the reader's language (Accept-Language, then English, then any language).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote

from flask import request, url_for
from rdflib import BNode, Literal, URIRef

from ..namespaces import (
    CCG,
    DCTERMS,
    META_GRAPH,
    NUTS,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SKOS,
    XSD,
)
from . import words
from .search import kind_of

__all__ = [
    "Link",
    "Resource",
    "cluster_counts_by_nuts2",
    "describe",
    "href",
    "in_language",
    "labels",
    "preferred_languages",
    "synthetic_graphs",
]

_LABEL_PREDICATES = (SKOS.prefLabel, RDFS.label)
_SOURCE_PREDICATES = (DCTERMS.source, PROV.wasDerivedFrom)


# -- languages and labels -------------------------------------------------------------
def preferred_languages() -> tuple[str, ...]:
    """Primary language subtags from Accept-Language, best first, then English."""
    langs = []
    for value, _quality in request.accept_languages:
        primary = value.split("-")[0].lower()
        if primary != "*" and primary not in langs:
            langs.append(primary)
    if "en" not in langs:
        langs.append("en")
    return tuple(langs)


def pick(literals, langs: tuple[str, ...]) -> Literal | None:
    """The literal in the first preferred language, else one without a tag, else any."""
    literals = sorted(literals, key=lambda lit: (str(lit.language or ""), str(lit)))
    if not literals:
        return None
    for lang in langs:
        for lit in literals:
            if (lit.language or "").split("-")[0].lower() == lang:
                return lit
    untagged = [lit for lit in literals if not lit.language]
    return untagged[0] if untagged else literals[0]


def in_language(literals, langs: tuple[str, ...]) -> list:
    """The texts in the first preferred language that has any, else all of them."""
    for lang in langs:
        chosen = [lit for lit in literals
                  if (getattr(lit, "language", None) or "").split("-")[0].lower() == lang]
        if chosen:
            return chosen
    return list(literals)


_LABELS = """
SELECT DISTINCT ?s ?p ?label WHERE { ?s ?p ?label . FILTER(isLiteral(?label)) }"""


def labels(store, iris, langs: tuple[str, ...]) -> dict[str, str]:
    """Display names of many IRIs in one query (prefLabel before rdfs:label)."""
    iris = sorted({str(i) for i in iris if isinstance(i, URIRef | str)})
    if not iris:
        return {}
    found: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for chunk in range(0, len(iris), 400):
        rows = store.select(_LABELS, values={
            "s": [URIRef(i) for i in iris[chunk:chunk + 400]] * len(_LABEL_PREDICATES),
            "p": [p for p in _LABEL_PREDICATES for _ in iris[chunk:chunk + 400]]})
        for row in rows:
            found[str(row["s"])][str(row["p"])].append(row["label"])
    out = {}
    for iri, by_predicate in found.items():
        for predicate in _LABEL_PREDICATES:
            chosen = pick(by_predicate.get(str(predicate), []), langs)
            if chosen is not None:
                out[iri] = str(chosen)
                break
    return out


def curie(iri: str) -> str:
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def nuts_code(iri: str) -> str | None:
    return iri[len(str(NUTS)):] if iri.startswith(str(NUTS)) else None


def href(iri: str, instance_base: str) -> str:
    """A link that stays on this server: /id/... for ours, /region/<code> for NUTS,
    /ontology#Term for the vocabulary, /resource?iri=... for everything else."""
    if iri.startswith(str(CCG)) and len(iri) > len(str(CCG)):
        return url_for("pages.ontology") + "#" + quote(iri[len(str(CCG)):])
    if iri.startswith(instance_base):
        return "/id/" + quote(iri[len(instance_base):], safe="/:@!$&'()*+,;=-._~")
    code = nuts_code(iri)
    if code:
        return url_for("pages.region", code=code)
    return url_for("pages.resource_page", iri=iri)


@dataclass
class Link:
    iri: str
    label: str
    href: str
    kind: str = ""


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
    graphs: list[dict]
    synthetic: bool
    objects: dict[str, list] = field(default_factory=dict)
    links: dict[str, Link] = field(default_factory=dict)
    inverse: dict[str, list[Link]] = field(default_factory=dict)
    raw: list[tuple[str, list[str]]] = field(default_factory=list)

    def link(self, iri) -> Link | None:
        return self.links.get(str(iri))

    def linked(self, predicate) -> list[Link]:
        """Objects of `predicate` that are IRIs, as links sorted by label."""
        found = [self.links[str(o)] for o in self.all(predicate) if str(o) in self.links]
        return sorted(found, key=lambda item: item.label.lower())

    def referring(self, *predicates) -> list[Link]:
        """Subjects that point here with any of `predicates`, without repeats."""
        seen: dict[str, Link] = {}
        for predicate in predicates:
            for item in self.inverse.get(str(predicate), []):
                seen.setdefault(item.iri, item)
        return sorted(seen.values(), key=lambda item: item.label.lower())

    def first(self, predicate) -> object | None:
        values = self.objects.get(str(predicate), [])
        return values[0] if values else None

    def all(self, predicate) -> list:
        return self.objects.get(str(predicate), [])


# DISTINCT: with the union default graph, a fact stated by several sources comes once.
_OUT = "SELECT DISTINCT ?p ?o WHERE { ?r ?p ?o }"
_IN = "SELECT DISTINCT ?s ?p WHERE { ?s ?p ?r . FILTER(isIRI(?s)) } LIMIT 500"
_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?r ?p ?o } }"
_NESTED = """
SELECT DISTINCT ?b ?p ?o WHERE { ?r ?via ?b . FILTER(isBlank(?b)) ?b ?p ?o }"""
_META = """
SELECT ?g ?p ?o WHERE { GRAPH ?meta { ?g ?p ?o } }"""


def synthetic_graphs(store) -> set[str]:
    rows = store.select("SELECT ?g WHERE { GRAPH ?meta { ?g ?flag true } }",
                        {"meta": META_GRAPH, "flag": CCG.synthetic}, union_default=False)
    return {str(r["g"]) for r in rows}


def describe(store, iri: str, langs: tuple[str, ...], base: str) -> Resource | None:
    node = URIRef(iri)
    out_rows = store.select(_OUT, {"r": node})
    in_rows = store.select(_IN, {"r": node})
    if not out_rows and not in_rows:
        return None
    objects: dict[str, list] = defaultdict(list)
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

    def link(term) -> Link:
        text = str(term)
        if text not in links:
            links[text] = Link(text, names.get(text) or words.readable(text), href(text, base))
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
        sources=_sources(objects, link), graphs=_graph_records(store, graphs),
        synthetic=synthetic, objects=dict(objects), links=links, inverse=dict(incoming),
        raw=[(p, sorted(_raw(o) for o in values)) for p, values in sorted(objects.items())])


_TYPES = "SELECT DISTINCT ?s ?t WHERE { ?s a ?t . FILTER(isIRI(?t)) }"


def _unnamed_in_words(store, iris: set[str], langs, of: str) -> dict[str, str]:
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


def _own_name(store, iri: str, langs) -> str:
    """The heading of a page whose resource has no name: its kind ("An observation"),
    else words for the address."""
    phrase = _unnamed_in_words(store, {iri}, langs, "")[iri]
    if phrase == words.a_kind_of(""):
        return words.readable(iri)
    return phrase[:1].upper() + phrase[1:]


def _raw(term) -> str:
    if isinstance(term, Literal):
        return term.n3()
    return f"<{term}>" if isinstance(term, URIRef) else "[ ]"


def _unique_by_label(items) -> list[Link]:
    seen: dict[str, Link] = {}
    for item in items:
        seen.setdefault(item.label.lower(), item)
    return list(seen.values())


def _incoming(incoming: dict[str, list[Link]], link) -> list[tuple[Link, list[Link]]]:
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


def _natural(text: str) -> list:
    """Numbers in names sorted as numbers: "(2 of 70)" before "(10 of 70)"."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part.lower())
            for part in re.split(r"(\d+)", text) if part]


def _nested(store, node, out_rows) -> dict[str, list]:
    """The facts of blank-node values (reported values with their year and source)."""
    if not any(isinstance(row["o"], BNode) for row in out_rows):
        return {}
    found: dict[str, list] = defaultdict(list)
    for row in store.select(_NESTED, {"r": node}):
        found[str(row["b"])].append((row["p"], row["o"]))
    return found


def _mentioned(iri, out_rows, in_rows) -> set[str]:
    terms = {iri}
    for row in out_rows:
        terms.add(str(row["p"]))
        if isinstance(row["o"], URIRef):
            terms.add(str(row["o"]))
    for row in in_rows:
        terms.update((str(row["s"]), str(row["p"])))
    return terms


def _properties(objects, link, nested, langs) -> list[tuple[Link, list[Value]]]:
    """One row per fact as a reader names it: rdfs:label and skos:prefLabel are one
    "name" row, ccg:hasMember and org:hasMember one "has member" row, each value once."""
    rows: dict[str, tuple[Link, dict[tuple, Value]]] = {}
    for predicate, values in objects.items():
        if predicate == str(CCG.synthetic):
            continue  # the banner and the tags say it
        name = link(URIRef(words.same_fact(predicate)))
        _first, merged = rows.setdefault(name.label.lower(), (name, {}))
        for term in values:
            value = _nested_value(nested.get(str(term), []), link, langs) \
                if isinstance(term, BNode) else _value(term, link)
            merged.setdefault((value.text, value.note), value)
    out = [(Link(name.iri, name.label[:1].upper() + name.label[1:], name.href),
            sorted(found.values(), key=lambda v: v.text)) for name, found in rows.values()]
    return sorted(out, key=lambda pv: (pv[0].iri != str(RDF.type), pv[0].label.lower()))


def _value(term, link) -> Value:
    if isinstance(term, URIRef):
        target = link(term)
        return Value(target.label, target)
    if isinstance(term, BNode):
        return Value("(a nested description)")
    if term.datatype == XSD.boolean:
        return Value("yes" if str(term).lower() in ("true", "1") else "no")
    shown = term.language and term.language.split("-")[0].lower() != _reader_language()
    return Value(str(term), note=words.language_name(term.language) if shown else "")


def _reader_language() -> str:
    return preferred_languages()[0]


_NESTED_ORDER = (CCG.reportedProperty, CCG.value, CCG.refYear)


def _nested_value(facts, link, langs) -> Value:
    """A reported value as a phrase: "number of members: 300 (2021), from a page on …"."""
    by = defaultdict(list)
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
        text = "; ".join(f"{link(p).label}: {_value(o, link).text}" for p, o in facts
                         if p != RDF.type) or "(a nested description)"
    return Value(text, sources[0] if sources else None, note="source" if sources else "")


def _sources(objects, link) -> list[Value]:
    found = []
    for predicate in _SOURCE_PREDICATES:
        for term in objects.get(str(predicate), []):
            value = _value(term, link)
            if all(v.text != value.text for v in found):
                found.append(value)
    return found


def _graph_records(store, graphs: list[str]) -> list[dict]:
    if not graphs:
        return []
    rows = store.select(_META, {"meta": META_GRAPH}, union_default=False)
    wanted = set(graphs)
    records: dict[str, dict] = {g: {"graph": g, "files": [], "synthetic": False}
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


# -- aggregates for the map and the home page -----------------------------------------
_CLUSTER_REGIONS = """
SELECT ?r (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a ?cluster ; ?located ?r } GROUP BY ?r"""


def cluster_counts_by_nuts2(store) -> dict[str, int]:
    """Clusters per NUTS-2 code (a NUTS code's first four characters are its NUTS-2)."""
    counts: dict[str, int] = defaultdict(int)
    for row in store.select(_CLUSTER_REGIONS, {"cluster": CCG.Cluster,
                                               "located": CCG.locatedIn}):
        code = nuts_code(str(row["r"]))
        if code and len(code) >= 4:
            counts[code[:4]] += int(row["n"])
    return dict(sorted(counts.items()))
