"""The union default graph as an RDF merge, and ccgraph's graphs kept out of clients' way.

Oxigraph's own union default graph returns a triple once per graph that holds it (a lead
partner stated by three sources came back three times, and SUMs counted it three times), and
it would include ccgraph's bookkeeping graph. So union-mode queries take as their default
graph either

- the one visible named graph, when the store holds no more than one (nothing can be stated
  twice, and nothing is written twice: a store loaded from one file, as `make bench` does); or
- the hidden graph `urn:ccgraph:union`, which the writer keeps as the merge of the visible
  named graphs (each triple once), as soon as there are two or more.

Why not the list of visible graphs as the default graph when no triple is stated twice:
Oxigraph evaluates each pattern once per listed graph, and a join over 100 graphs took 8x as
long as over one (bench/README.md). A query over the merge costs what a query over one named
graph costs; each write pays for keeping it.

A store written with the union off (plain W3C mode) has no merge: the first such write drops
it, and the next union-mode open builds it again (a marker in the metadata graph says that
the merge is current).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from .base import HIDDEN_GRAPHS, UNION_GRAPH, RawInput

__all__ = ["UNION", "Catalog", "catalog", "contents", "drop", "ensure", "forget", "is_current",
           "merge", "refresh", "visible_graphs"]

UNION = ox.NamedNode(UNION_GRAPH)
META = ox.NamedNode("urn:ccgraph:meta")
_MARK = ox.Quad(UNION, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode("https://w3id.org/ccgraph/ontology#MergedUnionGraph"), META)
_BATCH = 100_000

# Oxigraph's terms, as its quads hold them.
GraphName = ox.NamedNode | ox.BlankNode
OxTriple = tuple[ox.NamedNode | ox.BlankNode | ox.Triple, ox.NamedNode,
                 ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]


@dataclass(frozen=True)
class Catalog:
    """The graphs of one snapshot, as queries need them."""

    visible: list[GraphName]          # the named graphs of a client's dataset
    internal: list[GraphName] | None  # what ccgraph's own GRAPH ?g ranges over (None: all)
    union: list[GraphName]            # the union-mode default graph: merge, or one graph


def catalog(store: ox.Store) -> Catalog:
    visible = visible_graphs(store)
    if not store.contains_named_graph(UNION):
        return Catalog(visible, None, visible)
    return Catalog(visible, [g for g in store.named_graphs() if g != UNION], [UNION])


def visible_graphs(store: ox.Store) -> list[GraphName]:
    """Named graphs of the client's dataset (all but ccgraph's own)."""
    return [g for g in store.named_graphs() if g.value not in HIDDEN_GRAPHS]


def is_current(store: ox.Store) -> bool:
    """Whether queries may trust the merge (or need none: one visible graph at most)."""
    marked = any(store.quads_for_pattern(_MARK.subject, _MARK.predicate, _MARK.object, META))
    return marked or (len(visible_graphs(store)) <= 1 and not store.contains_named_graph(UNION))


def drop(store: ox.Store) -> None:
    if store.contains_named_graph(UNION):
        store.remove_graph(UNION)
    store.remove(_MARK)


def ensure(store: ox.Store) -> bool:
    """Build the merge if it is not current; True if the store changed."""
    if is_current(store):
        return False
    drop(store)
    _build(store, visible_graphs(store))
    return True


def _build(store: ox.Store, graphs: list[GraphName]) -> None:
    if len(graphs) > 1:
        for graph in graphs:
            _merge_graph(store, graph)
    store.add(_MARK)


def refresh(store: ox.Store, added: Iterable[ox.Quad], removed: Iterable[OxTriple],
            reread: Iterable[tuple[GraphName, list[RawInput]]] = ()) -> None:
    """Bring the merge up to date after a write (inside the writer's journal): `added` quads,
    `removed` triples, and the graphs in `reread` whose new content only the store knows
    (bulk-parsed from the inputs given). Only a merge that existed before the write is
    updated piece by piece."""
    graphs = visible_graphs(store)
    if len(graphs) <= 1:
        if store.contains_named_graph(UNION):
            store.remove_graph(UNION)
        return
    if not store.contains_named_graph(UNION):
        _build(store, graphs)
        return
    _extend(store, (q for q in added if _is_visible(q.graph_name)))
    for graph, inputs in reread:
        _merge_parsed(store, graph, inputs)
    forget(store, removed)


def exists(store: ox.Store) -> bool:
    return store.contains_named_graph(UNION)


def _extend(store: ox.Store, quads: Iterable[ox.Quad]) -> None:
    # Large additions go through the bulk loader, as the data they copy did: 1M quads added
    # transactionally (100k at a time) left the writer's final flush waiting for ever
    # (docs/architecture.md); callers write inside a journal, so atomicity is kept.
    copies = [ox.Quad(q.subject, q.predicate, q.object, UNION) for q in quads]
    if len(copies) >= _BATCH:
        store.bulk_extend(copies)
    elif copies:
        store.extend(copies)


def merge(store: ox.Store, quads: Iterable[ox.Quad]) -> None:
    """Add quads written into visible named graphs to the merge."""
    _extend(store, (q for q in quads if _is_visible(q.graph_name)))


def _merge_parsed(store: ox.Store, graph: GraphName, inputs: list[RawInput]) -> None:
    """Add a bulk-parsed graph to the merge. N-Triples without blank nodes are parsed once
    more, straight into the merge: reading 1M quads back through Python took 24 of the 55 s
    of a validated 1M load (validated loads reach the store as N-Triples). Anything else is
    read back from the store, because the bulk loader names blank nodes afresh per input and
    a second parse would not give the same ones (`_:` in a literal only costs the fast way).
    """
    if not inputs or any(fmt != "ntriples" or b"_:" in data for data, fmt, _base, _name in inputs):
        _merge_graph(store, graph)
        return
    for data, _fmt, _base, _name in inputs:
        store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=UNION)


def _merge_graph(store: ox.Store, graph: GraphName) -> None:
    """Add a whole graph to the merge, streamed through the bulk loader (a transactional
    insert of 1M quads would hold them all in memory; callers write inside a journal)."""
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, UNION)
                      for q in store.quads_for_pattern(None, None, None, graph))


def forget(store: ox.Store, triples: Iterable[OxTriple]) -> None:
    """Remove from the merge the triples that no visible graph holds any more."""
    for s, p, o in triples:
        if not any(_is_visible(q.graph_name) for q in store.quads_for_pattern(s, p, o, None)):
            store.remove(ox.Quad(s, p, o, UNION))


def contents(store: ox.Store, graph: GraphName | ox.DefaultGraph) -> set[OxTriple]:
    """The triples of one graph (named, or the default graph), as a set."""
    return {(q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, graph)}


def _is_visible(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> bool:
    return not isinstance(graph, ox.DefaultGraph) and graph.value not in HIDDEN_GRAPHS
