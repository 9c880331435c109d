"""`ccgraph reason` on the real ontology with all bundled data (HermiT, Java 17)."""

from __future__ import annotations

import shutil

import pytest
from rdflib import URIRef

from ccgraph.config import Settings
from ccgraph.inference import check_store, materialise_store
from ccgraph.namespaces import INFERRED_GRAPH

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs java")


def test_ontology_and_bundled_data_are_consistent(bundled_store):
    report = check_store(bundled_store, Settings(), timeout=600)
    assert report.consistent
    assert report.unsatisfiable == []
    assert report.triples > 40_000


def test_materialised_inferences_land_in_their_graph(bundled_store):
    count = materialise_store(bundled_store, Settings(), timeout=600)
    assert count > 1000
    assert str(INFERRED_GRAPH) in bundled_store.graph_names()
    rows = bundled_store.select("""
        SELECT ?country WHERE { GRAPH ?g {
          <http://data.europa.eu/nuts/code/HU221>
            <http://www.w3.org/2004/02/skos/core#broaderTransitive> ?country } }""",
        {"g": URIRef(str(INFERRED_GRAPH))})
    reached = {str(r["country"]) for r in rows}
    assert "http://data.europa.eu/nuts/code/HU" in reached
    assert "http://data.europa.eu/nuts/code/HU22" in reached
    again = materialise_store(bundled_store, Settings(), timeout=600)
    assert again == count  # refreshed, not accumulated
