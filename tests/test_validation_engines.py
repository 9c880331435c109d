"""The fast SHACL engine (pyrudof's native engine plus Oxigraph for SPARQL constraints,
issue 19) against pySHACL: the same verdicts on every example of test_shapes.py and the
invalid loads of test_load.py, and on the bundled real data."""

from __future__ import annotations

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH

from ccgraph.shacl_fast import fast_shapes
from test_load import (  # noqa: F401 - the load tests run again under each engine
    test_shacl_violations_name_focus_node_path_and_message,
    test_validation_uses_what_the_new_data_references,
)
from test_shapes import *  # noqa: F403 - every example runs again through the fast engine
from test_shapes import PREFIXES, SHAPES, _short, referenced


@pytest.fixture(autouse=True, params=["fast", "pyshacl"])
def engine(request, monkeypatch):
    """Loads in the imported test_load tests go through validate.py with this engine."""
    import ccgraph.validate

    monkeypatch.setattr(ccgraph.validate, "DEFAULT_ENGINE", request.param)
    return request.param


def _fast(graph: Graph, context: Graph) -> set[tuple]:
    quads = list(ox.parse(graph.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES))
    lines = [(s.n3(), p.n3(), o.n3()) for s, p, o in context]
    return {(_short(p.focus_node), _short(p.path), p.message)
            for p in fast_shapes(SHAPES).validate(quads, lines)}


def _slow(graph: Graph, shapes: Graph) -> set[tuple]:
    _conforms, report, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none",
                                           advanced=True, allow_warnings=True)
    return {(_short(report.value(r, SH.focusNode)), _short(report.value(r, SH.resultPath)),
             str(report.value(r, SH.resultMessage)))
            for r in report.subjects(RDF.type, SH.ValidationResult)}


@pytest.fixture
def check(shapes, background, hierarchy, engine):
    """test_shapes' `check`, answered by `engine`; the other engine must agree on every
    (focus node, path) and on every message the shapes write themselves."""
    def run(data):
        new = data if isinstance(data, Graph) else Graph().parse(data=PREFIXES + data,
                                                                 format="turtle")
        context = referenced(new, background) + hierarchy
        fast, slow = _fast(new, context), _slow(new + context, shapes)
        assert {(f, p) for f, p, _m in fast} == {(f, p) for f, p, _m in slow}
        written = {str(m) for m in shapes.objects(None, SH.message)}
        assert {t for t in fast if t[2] in written} == {t for t in slow if t[2] in written}
        return fast if engine == "fast" else slow

    return run


def test_the_bundled_shapes_are_expressible_by_the_fast_engine():
    assert fast_shapes(SHAPES).expressible


def test_fast_engine_is_what_loads_use_by_default(store, tmp_path, engine, monkeypatch):
    import ccgraph.validate
    from ccgraph.config import Settings

    monkeypatch.setattr(ccgraph.validate, "DEFAULT_ENGINE", Settings().shacl_engine)
    assert Settings.from_env({}).shacl_engine == "auto"


# -- the bundled real data --------------------------------------------------------------
def _problems(store, quads, engine: str) -> set[tuple]:
    from ccgraph.config import Settings
    from ccgraph.errors import InvalidData
    from ccgraph.validate import validate_quads

    settings = Settings()
    try:
        validate_quads(store, quads, settings.shapes_path, settings.ontology_path, engine)
    except InvalidData as error:
        return {(p.focus_node, p.path) for p in error.problems}
    return set()


@pytest.fixture(scope="module")
def reference_store(tmp_path_factory):
    """The bundle's ontology and reference graphs (`ccgraph bundle` loads them unchecked)."""
    from ccgraph.bundle import manifest
    from ccgraph.load import load_files
    from ccgraph.store import open_store

    with open_store(f"oxigraph:{tmp_path_factory.mktemp('ref') / 'store'}") as opened:
        load_files(opened, [e.file for e in manifest() if e.kind in ("ontology", "reference")],
                   validate=False)
        yield opened


def _real_quads() -> list:
    """Every checked, non-synthetic graph of the bundle (data/real, data/seed...)."""
    from ccgraph.bundle import manifest

    files = [e.file for e in manifest()
             if e.kind not in ("ontology", "reference") and not e.synthetic]
    assert any("real" in f.parts for f in files)
    return [q for f in files for q in ox.parse(path=str(f))]


@pytest.mark.parametrize("engine", ["both"])
def test_both_engines_accept_the_real_data_and_agree_once_it_is_broken(reference_store,
                                                                       engine):
    quads = _real_quads()
    assert _problems(reference_store, quads, "fast") == set()
    assert _problems(reference_store, quads, "pyshacl") == set()
    located = ox.NamedNode("https://w3id.org/ccgraph/ontology#locatedIn")
    budget = ox.NamedNode("https://w3id.org/ccgraph/ontology#budgetEUR")
    broken = [q for q in quads if q.predicate != located] + [
        ox.Quad(q.subject, budget, ox.Literal("-1", datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#decimal"))) for q in quads[:50]]
    fast = _problems(reference_store, broken, "fast")
    assert fast and fast == _problems(reference_store, broken, "pyshacl")


# -- chunks validated in worker processes -------------------------------------------------
@pytest.mark.parametrize("engine", ["fast"])
def test_chunks_in_worker_processes_find_what_one_process_finds(monkeypatch, engine):
    """A large load's chunks go to worker processes (pyrudof holds the GIL): with chunks of
    a few triples, the workers' report is the one process's report, violations included."""
    from ccgraph import shacl_fast

    data = "".join(f"""<https://w3id.org/ccgraph/id/project/p{n}> a ccg:Project ;
        rdfs:label "P{n}"@en ; ccg:budgetEUR {-n if n % 3 else n}.0 .\n""" for n in range(12))
    graph = Graph().parse(data=PREFIXES + data, format="turtle")
    quads = list(ox.parse(graph.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES))
    shapes = fast_shapes(SHAPES)
    monkeypatch.setattr(shacl_fast, "CHUNK_TRIPLES", 6)
    monkeypatch.setattr(shacl_fast, "_cores", lambda: 1)
    alone = shapes.validate(quads, [])
    monkeypatch.setattr(shacl_fast, "_cores", lambda: 2)
    parallel = shapes.validate(quads, [])
    assert any(p.path and p.path.endswith("budgetEUR") for p in alone)
    assert parallel == alone
