"""The union default graph on the embedded store (issue 16, points 1 and 2): an RDF merge,
kept as a hidden graph only once the store holds two or more graphs; never written twice
for a store of one graph; invisible to every `GRAPH ?g`, ccgraph's own queries included."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Literal, URIRef

from ccgraph.inference import data_graph
from ccgraph.namespaces import INFERRED_GRAPH
from ccgraph.store import open_store
from ccgraph.store.base import GraphWrite
from ccgraph.store.union import UNION

EX = "http://example.org/m/"


def _quads(graph: str, n: int, start: int = 0) -> list:
    """Triples for `graph` (a GraphWrite puts them there)."""
    return [(URIRef(f"{EX}s{i}"), URIRef(f"{EX}p"), Literal(str(i)))
            for i in range(start, start + n)]


def _count(store, **options) -> int:
    return int(store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", **options)[0]["n"])


def _snapshot(store) -> ox.Store:
    return store._reader.store()


def test_one_graph_is_stored_once_and_a_second_graph_brings_the_merge(store):
    store.write([GraphWrite(EX + "a", _quads(EX + "a", 50))])
    assert not _snapshot(store).contains_named_graph(UNION)  # nothing written twice
    assert len(_snapshot(store)) == 50
    assert _count(store) == 50
    # 20 of the 30 triples of b are in a too: the union holds each once.
    store.write([GraphWrite(EX + "b", _quads(EX + "b", 30, start=30))])
    assert _snapshot(store).contains_named_graph(UNION)
    assert _count(store) == 60
    store.update(f"DROP GRAPH <{EX}a>")
    assert not _snapshot(store).contains_named_graph(UNION)
    assert _count(store) == 30


def test_updates_keep_the_merge_each_triple_once(store):
    store.update(f"INSERT DATA {{ GRAPH <{EX}a> {{ <{EX}x> <{EX}p> 1 }} }}")
    store.update(f"INSERT DATA {{ GRAPH <{EX}b> {{ <{EX}x> <{EX}p> 1 . <{EX}y> <{EX}p> 2 }} }}")
    assert _count(store) == 2
    # The WHERE of an update reads the merge too: one copy per matching triple, not per graph.
    store.update(f"INSERT {{ GRAPH <{EX}c> {{ ?s <{EX}q> ?o }} }} WHERE {{ ?s <{EX}p> ?o }}")
    assert _count(store, union_default=False) == 0
    assert _count(store) == 4
    store.update(f"DELETE DATA {{ GRAPH <{EX}b> {{ <{EX}y> <{EX}p> 2 }} }}")
    assert {str(r["s"]) for r in store.select(f"SELECT ?s {{ ?s <{EX}p> ?o }}")} == {EX + "x"}


def test_reading_never_changes_the_generation(tmp_path):
    path = tmp_path / "store"
    with open_store(f"oxigraph:{path}") as store:
        store.write([GraphWrite(EX + "a", _quads(EX + "a", 5))])
        generation = store.generation
    for _ in range(2):
        with open_store(f"oxigraph:{path}") as store:
            assert _count(store) == 5
            assert store.generation == generation


def test_ccgraph_queries_never_see_the_merge(store):
    store.write([GraphWrite(EX + "a", _quads(EX + "a", 3)),
                 GraphWrite(str(INFERRED_GRAPH), _quads(str(INFERRED_GRAPH), 2, start=10))])
    assert _snapshot(store).contains_named_graph(UNION)
    graphs = {str(r["g"]) for r in store.select("SELECT DISTINCT ?g { GRAPH ?g {} }")}
    # ccgraph's own queries may read its metadata graph; the merge is never a named graph.
    assert graphs - {"urn:ccgraph:meta"} == {EX + "a", str(INFERRED_GRAPH)}
    # The reasoner reads asserted data only: not its own inferences through the merge.
    assert len(data_graph(store)) == 3


def test_a_large_write_reaches_the_merge_through_the_bulk_loader(store):
    # 100k quads or more: copied into the merge by the bulk loader (a transactional insert
    # of 1M quads left the writer's flush waiting for ever), still each triple once.
    store.write([GraphWrite(EX + "a", _quads(EX + "a", 10))])
    store.write([GraphWrite(EX + "b", _quads(EX + "b", 100_000))])
    assert _snapshot(store).contains_named_graph(UNION)
    assert _count(store) == 100_000
