"""Reasoning over what a store holds: the HermiT proof and the `urn:ccgraph:inferred` graph.

`reason.py` does the reasoning on rdflib graphs; this module feeds it the
store's ontology and data and writes the inferred triples back.
"""

from __future__ import annotations

from rdflib import Graph

from .config import Settings
from .namespaces import INFERRED_GRAPH, META_GRAPH
from .provenance import graph_meta
from .store.base import GraphWrite

__all__ = ["check_store", "data_graph", "materialise_store"]

_DATA = f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  GRAPH ?g {{ ?s ?p ?o }} FILTER(?g NOT IN (<{META_GRAPH}>, <{INFERRED_GRAPH}>)) }}"""


def data_graph(store) -> Graph:
    """Every asserted triple of every named graph (not metadata, not earlier inferences)."""
    return store.construct(_DATA, union_default=False, row_cap=2**62)


def _ontology(settings: Settings) -> Graph:
    return Graph().parse(settings.ontology_path, format="turtle")


def check_store(store, settings: Settings, *, timeout: float):
    from .reason import check

    return check([_ontology(settings), data_graph(store)], timeout=timeout)


def materialise_store(store, settings: Settings, *, timeout: float) -> int:
    from .reason import materialise

    inferred = list(materialise([_ontology(settings), data_graph(store)], timeout=timeout))
    meta = graph_meta(str(INFERRED_GRAPH), [], "replace", {"graphKind": "inferred"})
    store.write([GraphWrite(str(INFERRED_GRAPH), inferred, mode="replace", meta=meta)])
    return len(inferred)
