"""The union default graph as an RDF merge, and ccgraph's graphs kept out of clients' way.

Oxigraph's own union default graph returns a triple once per graph that holds it (a lead
partner stated by three sources came back three times, and SUMs counted it three times).
So the writer keeps the merge itself: the hidden graph `urn:ccgraph:union` holds every
triple of the visible named graphs once, and union-mode queries take it as their default
graph. A query over it costs what a query over one named graph costs; each write pays for
keeping it (see bench/README.md).

A store written with the union off (plain W3C mode) has no merge: the first such write
drops it, and the next union-mode open builds it again (a marker in the metadata graph
says whether it is current).
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from .base import HIDDEN_GRAPHS, UNION_GRAPH

__all__ = ["UNION", "contents", "drop", "ensure", "forget", "is_current", "merge",
           "merge_graph", "visible_graphs"]

UNION = ox.NamedNode(UNION_GRAPH)
META = ox.NamedNode("urn:ccgraph:meta")
_MARK = ox.Quad(UNION, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode("https://w3id.org/ccgraph/ontology#MergedUnionGraph"), META)
_BATCH = 100_000


def visible_graphs(store) -> list:
    """Named graphs of the client's dataset (all but ccgraph's own)."""
    return [g for g in store.named_graphs() if g.value not in HIDDEN_GRAPHS]


def is_current(store) -> bool:
    return any(store.quads_for_pattern(_MARK.subject, _MARK.predicate, _MARK.object, META))


def drop(store) -> None:
    if store.contains_named_graph(UNION):
        store.remove_graph(UNION)
    store.remove(_MARK)


def ensure(store) -> bool:
    """Build the merge if it is not current; True if it had to be built."""
    if is_current(store):
        return False
    drop(store)
    for graph in visible_graphs(store):
        merge_graph(store, graph)
    store.add(_MARK)
    return True


def _extend(store, quads: Iterable) -> None:
    batch = []
    for quad in quads:
        batch.append(ox.Quad(quad.subject, quad.predicate, quad.object, UNION))
        if len(batch) >= _BATCH:
            store.extend(batch)
            batch = []
    if batch:
        store.extend(batch)


def merge(store, quads: Iterable) -> None:
    """Add quads written into visible named graphs to the merge."""
    _extend(store, (q for q in quads if _is_visible(q.graph_name)))


def merge_graph(store, graph) -> None:
    """Add a whole graph to the merge, streamed through the bulk loader (a transactional
    insert of 1M quads would hold them all in memory; callers write inside a journal)."""
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, UNION)
                      for q in store.quads_for_pattern(None, None, None, graph))


def forget(store, triples: Iterable) -> None:
    """Remove from the merge the triples that no visible graph holds any more."""
    for s, p, o in triples:
        if not any(_is_visible(q.graph_name) for q in store.quads_for_pattern(s, p, o, None)):
            store.remove(ox.Quad(s, p, o, UNION))


def contents(store, graph) -> set:
    """The triples of one graph (named, or the default graph), as a set."""
    return {(q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, graph)}


def _is_visible(graph) -> bool:
    return not isinstance(graph, ox.DefaultGraph) and graph.value not in HIDDEN_GRAPHS
