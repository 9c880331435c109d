"""The typed, weighted networkx projection of the knowledge graph.

Built from the store through SPARQL only (``store.select``), so it works the same
on the embedded, isolated and remote backends. A handful of bulk SELECTs fetch
every node, label and edge; per-node queries would cost one round trip each and
make a 10k-cluster projection take minutes instead of seconds.

Nodes are IRIs with ``kind`` (cluster, organisation, region, industry, instrument,
programme, project, measure, policy, event) and ``label``; clusters and regions
also carry ``country`` and ``region``/``level``. Edges carry ``rel`` (the typed
relation), ``src`` (the subject of the triple, so a sentence can be oriented) and
``cost`` (see `model.edge_cost`). The graph is frozen after construction: the
algorithms memoise derived indexes in ``G.graph`` and rely on it not changing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx
from rdflib import URIRef

from ..namespaces import CCG, DCTERMS, NUTS, RDF, RDFS, SKOS
from . import model

log = logging.getLogger("ccgraph.analytics")

__all__ = ["EDGE_PREDICATES", "KINDS", "Cache", "Projection", "assemble", "build", "from_rows"]

# rdf:type -> node kind; earlier entries win when a resource has several types.
KINDS: dict[str, str] = {
    str(CCG.Cluster): "cluster",
    str(CCG.FundingInstrument): "instrument",
    str(CCG.Programme): "programme",
    str(CCG.Project): "project",
    str(CCG.Event): "event",
    str(CCG.PolicyMeasure): "measure",
    str(CCG.Policy): "policy",
    str(CCG.PolicyRecommendation): "policy",
    str(CCG.ActionPlan): "policy",
    str(CCG.EmergingIndustry): "industry",
    str(CCG.Industry): "industry",
    str(CCG.Region): "region",
    str(CCG.Organisation): "organisation",
}
_PRECEDENCE = {iri: i for i, iri in enumerate(KINDS)}

# predicate -> edge relation. Membership (hasMember) links organisations to their
# cluster; the other names follow the ontology's properties one to one.
EDGE_PREDICATES: dict[str, str] = {
    str(CCG.locatedIn): "located_in",
    str(CCG.activeIn): "active_in",
    str(CCG.adjacentTo): "adjacent_to",
    str(SKOS.broader): "broader",
    str(CCG.relatedIndustry): "related_industry",
    str(CCG.valueChainLink): "value_chain",
    str(CCG.eligibleRegion): "eligible_region",
    str(CCG.eligibleIndustry): "eligible_industry",
    str(CCG.fundedBy): "funded_by",
    str(CCG.partOfProgramme): "part_of",
    str(CCG.partner): "partner",
    str(CCG.leadPartner): "partner",
    str(CCG.associatedPartner): "partner",
    str(CCG.implements): "implements",
    str(CCG.participant): "participated",
    str(CCG.hasMember): "member",
}

_PREFIXES = f"""PREFIX ccg: <{CCG}>
PREFIX rdf: <{RDF}>
PREFIX rdfs: <{RDFS}>
PREFIX skos: <{SKOS}>
PREFIX dcterms: <{DCTERMS}>
"""
_TYPES = " ".join(f"<{iri}>" for iri in KINDS)
_PREDICATES = " ".join(f"<{iri}>" for iri in EDGE_PREDICATES)

# Each query packs its rows into one string per group with GROUP_CONCAT: a store
# that hands back rows as rdflib terms spends ~5 us per term, which at 250k edges
# was 10 s of a 19 s projection; one long string per group costs almost nothing.
# IRIs cannot contain spaces or newlines; labels are separated by control
# characters (U+001E between records, U+001F between fields) that text never uses.
# COALESCE(..., "") keeps one blank node (STR() of it is an error) from voiding a
# whole group's aggregate; the empty records it leaves are skipped.
_RS, _US = "\x1e", "\x1f"

Q_TYPES = _PREFIXES + f"""SELECT ?type (GROUP_CONCAT(COALESCE(STR(?s), ""); separator=" ")
        AS ?packed)
WHERE {{
  VALUES ?type {{ {_TYPES} }}
  ?s a ?type .
}} GROUP BY ?type"""

Q_LABELS = _PREFIXES + """SELECT (GROUP_CONCAT(
        COALESCE(CONCAT(STR(?s), "\\u001F", STR(?label), "\\u001F", LANG(?label)), "");
        separator="\\u001E") AS ?packed)
WHERE { ?s skos:prefLabel ?label }"""

# Only for the nodes that have no skos:prefLabel, bound with VALUES in chunks.
Q_PLAIN_LABELS = _PREFIXES + "SELECT ?s ?label WHERE { ?s rdfs:label ?label }"
_CHUNK = 1000

Q_EDGES = _PREFIXES + f"""SELECT ?p (GROUP_CONCAT(COALESCE(CONCAT(STR(?s), " ", STR(?o)), "");
        separator="\\n") AS ?packed)
WHERE {{
  VALUES ?p {{ {_PREDICATES} }}
  ?s ?p ?o .
}} GROUP BY ?p"""

# Attributes the model needs on some nodes; kept off the edge list so countries and
# scope individuals do not become hubs every path would run through.
Q_ATTRIBUTES = _PREFIXES + """SELECT ?p (GROUP_CONCAT(COALESCE(CONCAT(STR(?s), " ", STR(?o)), "");
        separator="\\n") AS ?packed)
WHERE {
  VALUES (?type ?p) {
    (ccg:Region ccg:nutsLevel) (ccg:Region ccg:country) (ccg:Cluster ccg:country)
    (ccg:FundingInstrument ccg:cooperationScope) (ccg:FundingInstrument ccg:startDate)
    (ccg:FundingInstrument ccg:endDate) (ccg:FundingInstrument ccg:programmingPeriod)
    (ccg:FundingInstrument ccg:budgetEUR) (ccg:FundingInstrument dcterms:source)
    (ccg:Industry dcterms:source)
  }
  ?s a ?type ; ?p ?o .
} GROUP BY ?p"""

Q_LEVELS = _PREFIXES + """SELECT (GROUP_CONCAT(COALESCE(CONCAT(STR(?s), " ", STR(?level)), "");
        separator="\\n") AS ?packed)
WHERE {
  ?s a ccg:Cluster ; ccg:holdsLabel ?award .
  ?award ccg:labelLevel ?level .
}"""

# Generated example data: every node that comes from it is marked in every answer.
Q_SYNTHETIC = _PREFIXES + """SELECT (GROUP_CONCAT(COALESCE(STR(?s), ""); separator=" ") AS ?packed)
WHERE { ?s ccg:synthetic true }"""

_UNCAPPED = 2**62


@dataclass(frozen=True)
class Projection:
    """A built graph and the store generation it reflects."""

    graph: nx.Graph
    generation: int


def _unpack(store, text: str, key: str | None, sep: str) -> list[tuple[str | None, list[str]]]:
    out = []
    for row in store.select(text, row_cap=_UNCAPPED):
        body = str(row.get("packed", ""))
        out.append((str(row[key]) if key else None, [r for r in body.split(sep) if r]))
    return out


def _pairs(store, text: str, key: str | None) -> list[tuple[str, str, str]]:
    return [(s, group, o) for group, records in _unpack(store, text, key, "\n")
            for s, o in (r.split(" ", 1) for r in records)]


def build(store) -> nx.Graph:
    """Project the store into a frozen networkx graph, with a few bulk SELECTs."""
    types = [(s, t) for t, records in _unpack(store, Q_TYPES, "type", " ") for s in records]
    labels = [tuple(r.split(_US)) for _, records in _unpack(store, Q_LABELS, None, _RS)
              for r in records]
    known = {s for s, _label, _lang in labels}
    missing = sorted({s for s, _t in types} - known)
    labels += _plain_labels(store, missing)
    edges = [(s, p, o) for s, p, o in _pairs(store, Q_EDGES, "p")]
    attrs = _pairs(store, Q_ATTRIBUTES, "p")
    levels = [(s, level) for s, _none, level in _pairs(store, Q_LEVELS, None)]
    synthetic = [s for _, records in _unpack(store, Q_SYNTHETIC, None, " ") for s in records]
    return assemble(types, labels, edges, attrs, levels, synthetic)


def _plain_labels(store, nodes: list[str]) -> list[tuple[str, str, str]]:
    out = []
    for i in range(0, len(nodes), _CHUNK):
        chunk = [URIRef(n) for n in nodes[i:i + _CHUNK]]
        for row in store.select(Q_PLAIN_LABELS, values={"s": chunk}, row_cap=_UNCAPPED):
            label = row["label"]
            out.append((str(row["s"]), str(label), getattr(label, "language", None) or ""))
    return out


def from_rows(nodes: Iterable[Mapping], edges: Iterable[Mapping],
              attributes: Iterable[Mapping] = (), levels: Iterable[Mapping] = ()) -> nx.Graph:
    """The projection from plain SELECT rows (dicts of rdflib terms with ``s``,
    ``type`` and an optional ``label``; ``s``, ``p``, ``o``; ``s``, ``level``).

    >>> from rdflib import Literal, URIRef
    >>> c, r = URIRef("urn:c"), URIRef("urn:r")
    >>> G = from_rows(
    ...     [{"s": c, "type": CCG.Cluster, "label": Literal("A", lang="en")},
    ...      {"s": r, "type": CCG.Region}],
    ...     [{"s": c, "p": CCG.locatedIn, "o": r}])
    >>> G.nodes["urn:c"]["kind"], G.edges["urn:c", "urn:r"]["rel"]
    ('cluster', 'located_in')
    """
    nodes = list(nodes)
    return assemble(
        [(str(r["s"]), str(r["type"])) for r in nodes],
        [(str(r["s"]), str(r["label"]), getattr(r["label"], "language", None) or "")
         for r in nodes if "label" in r],
        [(str(r["s"]), str(r["p"]), str(r["o"])) for r in edges],
        [(str(r["s"]), str(r["p"]), str(r["o"])) for r in attributes],
        [(str(r["s"]), str(r["level"])) for r in levels])


def assemble(types, labels, edges, attributes=(), levels=(), synthetic=()) -> nx.Graph:
    """Build the frozen graph from plain string tuples: types (iri, class), labels
    (iri, text, lang), edges and attributes (s, p, o), levels (cluster, level), and
    the IRIs flagged as generated example data."""
    G = nx.Graph()
    _add_nodes(G, types, labels)
    flagged = set(synthetic)
    for n, data in G.nodes(data=True):
        data["synthetic"] = n in flagged
    located = _add_edges(G, edges)
    _add_attributes(G, attributes, levels)
    _derive_places(G, located)
    return nx.freeze(G)


def _label_rank(lang: str) -> int:
    """English first, then untagged, then any other language."""
    return 0 if lang == "en" else 1 if not lang else 2


def _add_nodes(G: nx.Graph, types, labels) -> None:
    kinds: dict[str, str] = {}
    for s, type_iri in types:
        current = kinds.get(s)
        if current is None or _PRECEDENCE[type_iri] < _PRECEDENCE[current]:
            kinds[s] = type_iri
    best: dict[str, tuple[int, str]] = {}
    for s, label, lang in labels:
        if s in kinds:
            candidate = (_label_rank(lang), label)
            if s not in best or candidate < best[s]:
                best[s] = candidate
    G.add_nodes_from(
        (s, {"kind": KINDS[t], "emerging": t == _EMERGING,
             "label": best[s][1] if s in best else _short_name(s)})
        for s, t in kinds.items())


_EMERGING = str(CCG.EmergingIndustry)


def _short_name(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _add_edges(G: nx.Graph, rows) -> list[tuple[str, str]]:
    """Add typed edges with their costs; return the (thing, region) located_in pairs.

    Organisations' own locations are not edges: they repeat their cluster's, and as
    edges they made every region a hub of hundreds of members that paths fan through.
    """
    nodes, best, located = G.nodes, {}, []
    strength = model.REL_STRENGTH
    for s, p, o in rows:
        if s == o or s not in nodes or o not in nodes:
            continue  # untyped resources and countries are not part of the projection
        rel = EDGE_PREDICATES[p]
        if rel == "broader" and nodes[s]["kind"] != nodes[o]["kind"]:
            continue
        if rel == "located_in" and nodes[s]["kind"] == "organisation":
            located.append((s, o))  # kept as an attribute: the member's cluster is there
            continue
        key = (s, o) if s < o else (o, s)
        old = best.get(key)
        if old is None or strength[rel] > strength[old[0]]:
            best[key] = (rel, s)  # keep the strongest reading of a pair linked twice
    degree = Counter(n for pair in best for n in pair)
    G.add_edges_from(
        (u, v, {"rel": rel, "src": src, "cost": model.edge_cost(rel, degree[u], degree[v])})
        for (u, v), (rel, src) in best.items())
    return located + [(src, v if src == u else u) for (u, v), (rel, src) in best.items()
                      if rel == "located_in"]


# Attributes that may have several values (sources, and dates or budgets that two sources
# state differently) are kept as space-separated strings: every attribute stays a scalar,
# so GraphML and GEXF can write the graph as it is.
_ATTRIBUTE_NAMES = {str(CCG.nutsLevel): "level", str(CCG.country): "country",
                    str(CCG.cooperationScope): "scope", str(CCG.startDate): "start",
                    str(CCG.endDate): "end", str(CCG.programmingPeriod): "period",
                    str(CCG.budgetEUR): "budgets", str(DCTERMS.source): "sources"}
_MULTI = {"start", "end", "budgets", "sources"}


def _add_attributes(G: nx.Graph, rows, levels) -> None:
    nodes = G.nodes
    for s, p, o in rows:
        if s in nodes:
            name = _ATTRIBUTE_NAMES[p]
            if name in _MULTI:
                values = nodes[s].get(name, "").split()
                nodes[s][name] = " ".join(sorted({*values, o}))
                continue
            nodes[s][name] = int(o) if name == "level" else \
                _short_name(o) if name == "scope" else o
    for s, level in levels:
        if s in nodes:
            nodes[s]["label_level"] = max(model.label_level(level),
                                          nodes[s].get("label_level", 0))


def _derive_places(G: nx.Graph, located: list[tuple[str, str]]) -> None:
    """Give every cluster and organisation its region and country, and every region
    its country: its own ``ccg:country``, else its NUTS-0 code (for regions), else
    its region's (for clusters and organisations)."""
    nuts, nodes = str(NUTS), G.nodes
    for n, data in nodes(data=True):
        if data["kind"] == "region" and "country" not in data and n.startswith(nuts):
            data["country"] = nuts + n[len(nuts):][:2]
    for thing, region in sorted(located, reverse=True):  # the smallest IRI wins, stably
        data = nodes[thing]
        if data["kind"] in ("cluster", "organisation") and nodes[region]["kind"] == "region":
            data["region"] = region
    for data in nodes.values():
        if "region" in data and "country" not in data:
            data["country"] = nodes[data["region"]].get("country", "")


class Cache:
    """One projection per store, rebuilt when ``store.generation`` moves on.

    With ``wait=None`` (the CLI, the library) a caller after a write waits for the rebuild.
    With a number of seconds (the web service) the rebuild runs in a thread of its own:
    a caller waits at most that long for it, then is answered from the previous
    projection, whose `generation` says which data it reflects. At 1M triples a rebuild
    took 5.4 s, all of it on the first request after any write.
    """

    def __init__(self, store, wait: float | None = None, warm=None) -> None:
        self.store = store
        self.wait = wait
        self.warm = warm                       # warm(graph): indexes built before publishing
        self.build_seconds: float | None = None
        self._projection: Projection | None = None
        self._lock = threading.Lock()          # one build at a time
        self._built = threading.Condition()    # signalled when a projection is published
        self._builder: threading.Thread | None = None

    def graph(self) -> nx.Graph:
        return self.projection().graph

    def projection(self) -> Projection:
        generation = self.store.generation
        current = self._projection
        if current is not None and current.generation >= generation:
            return current
        if current is None or self.wait is None:
            return self._rebuild()
        self._start_rebuild()
        with self._built:
            self._built.wait_for(lambda: self._projection.generation >= generation,
                                 timeout=self._patience())
        return self._projection

    def _patience(self) -> float:
        """Seconds worth waiting for the rebuild: none when the last one took longer than
        `wait` (at 1M triples a build took 4-5 s: waiting 1 s only made the first call after
        a write 1 s slower, and it was answered from the previous projection anyway)."""
        last = self.build_seconds
        return self.wait if last is None or last <= self.wait else 0.0

    def _start_rebuild(self) -> None:
        with self._built:
            if self._builder is None or not self._builder.is_alive():
                self._builder = threading.Thread(target=self._rebuild_quietly,
                                                 name="ccgraph-projection", daemon=True)
                self._builder.start()

    def _rebuild_quietly(self) -> None:
        try:
            self._rebuild(warm=True)
        except Exception:  # the previous projection goes on answering; the next call retries
            log.exception("rebuilding the analytics projection failed")

    def _rebuild(self, warm: bool = False) -> Projection:
        with self._lock:  # latecomers reuse the projection the first caller built
            generation = self.store.generation
            current = self._projection
            if current is None or current.generation < generation:
                started = time.perf_counter()
                graph = build(self.store)
                if warm and self.warm is not None:
                    # Off the request path: the first call on the new projection would
                    # otherwise build them (partners took 1 s more at 1M triples).
                    self.warm(graph)
                self.build_seconds = time.perf_counter() - started
                current = Projection(graph, generation)
                with self._built:
                    self._projection = current
                    self._built.notify_all()
            return current
