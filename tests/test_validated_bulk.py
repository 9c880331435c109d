"""Large validated loads are written by the store's bulk loader, as unvalidated ones are.

Written as parsed quads, 1M validated triples went through transactional inserts into the
union merge and the writer's last flush then never returned (RocksDB waiting on a flush no
background thread ran; bench/load.py --validated-triples 1000000). That needs 1M triples
to show; these tests lower the threshold and check that the bulk path is taken and writes
exactly what was validated, with the same report.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ccgraph import load
from ccgraph.errors import InvalidData
from ccgraph.load import load_files
from ccgraph.store import union as union_merge

ORG = """@prefix ccg: <https://w3id.org/ccgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/ccgraph/id/organisation/o{n}> a ccg:Organisation ; rdfs:label "O{n}"@en ;
    rdfs:comment [ rdfs:label "note {n}" ] .
"""


def _write(tmp_path, name, count, start=0):
    path = tmp_path / name
    path.write_text("".join(ORG.format(n=n) for n in range(start, start + count)))
    return path


def _shape(store, graph):
    """The graph's triples with blank nodes replaced by a marker (the loader renames them)."""
    text = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    out = []
    for r in store.select(text, union_default=False):
        out.append(tuple("_" if type(t).__name__ == "BNode" else str(t)
                         for t in (r["s"], r["p"], r["o"])))
    return sorted(out)


def test_large_validated_load_goes_to_the_bulk_loader():
    quads = [ox.Quad(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(str(i)),
                     ox.NamedNode("urn:g")) for i in range(20)]
    parsed = {"urn:g": load._Parsed("urn:g", quads, [{"name": "a.nt"}])}
    assert load.to_bulk_loader(parsed, threshold=100) is parsed      # small: quads path
    (item,) = load.to_bulk_loader(parsed, threshold=10).values()
    assert item.quads == [] and len(item.raw) == 1
    data, fmt, _base, name = item.raw[0]
    assert fmt == "ntriples" and name == "a.nt"   # one graph per item: its triples
    parsed_back = {q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)}
    assert parsed_back == {q.triple for q in quads}


def test_a_blank_node_shared_by_two_graphs_stays_on_the_quads_path():
    shared = ox.BlankNode()
    parsed = {g: load._Parsed(g, [ox.Quad(shared, ox.NamedNode("urn:p"), ox.Literal(g),
                                          ox.NamedNode(g))], [{"name": "a.trig"}])
              for g in ("urn:g1", "urn:g2")}
    assert load.to_bulk_loader(parsed, threshold=1) is parsed


@pytest.mark.parametrize("mode", ["replace", "append"])
def test_bulk_path_writes_what_the_quads_path_writes(tmp_path, monkeypatch, mode):
    from ccgraph.store import open_store

    first, second = _write(tmp_path, "one.ttl", 5), _write(tmp_path, "two.ttl", 30, start=5)
    other = _write(tmp_path, "other.ttl", 2, start=100)   # a second graph: the merge exists
    results = {}
    for threshold in (10**9, 10):
        monkeypatch.setattr(load, "BULK_QUADS", threshold)
        with open_store(f"oxigraph:{tmp_path / f'store-{threshold}'}") as store:
            load_files(store, [other])
            load_files(store, [first], graph="http://e/g")
            report = load_files(store, [second], graph="http://e/g", mode=mode)
            union = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
            (info,) = [g for g in store.graphs() if g.iri == "http://e/g"]
            results[threshold] = (report.graphs, _shape(store, "http://e/g"),
                                  int(union[0]["n"]), info.triples)
    quads_path, bulk_path = results[10**9], results[10]
    assert bulk_path == quads_path
    # the report counts the triples this load parsed, not what the graph holds after it
    assert bulk_path[0] == {"http://e/g": 30 * 4}


def test_a_large_invalid_load_is_still_refused(store, tmp_path, monkeypatch):
    monkeypatch.setattr(load, "BULK_QUADS", 2)
    bad = tmp_path / "bad.ttl"
    bad.write_text("""@prefix ccg: <https://w3id.org/ccgraph/ontology#> .
<https://w3id.org/ccgraph/id/project/p> a ccg:Project ; ccg:budgetEUR -5.0 .""")
    with pytest.raises(InvalidData):
        load_files(store, [bad])
    assert not [g for g in store.graphs() if g.iri.endswith("/bad")]


PLAIN = """<https://w3id.org/ccgraph/id/organisation/o{n}>
    a <https://w3id.org/ccgraph/ontology#Organisation> ;
    <http://www.w3.org/2000/01/rdf-schema#label> "O{n} plain"@en .
"""


def _no_read_back(*_args):
    raise AssertionError("the merge read the graph back")


@pytest.mark.parametrize("with_blank_nodes", [False, True])
def test_the_merge_follows_a_bulk_validated_replace(tmp_path, monkeypatch, with_blank_nodes):
    """Without blank nodes the merge parses the loaded N-Triples itself (no read-back);
    with them it reads the graph back. Either way a triple is in the union once, and one
    that a replace removed from its only graph leaves the union."""
    from ccgraph.store import open_store

    template = ORG if with_blank_nodes else PLAIN
    monkeypatch.setattr(load, "BULK_QUADS", 5)
    files = {}
    for name, numbers in (("other", range(10)), ("old", range(15)), ("new", range(20, 30))):
        files[name] = tmp_path / f"{name}.ttl"
        files[name].write_text("".join(template.format(n=n) for n in numbers))
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    with open_store(f"oxigraph:{tmp_path / 'store'}") as store:
        load_files(store, [files["other"]], graph="http://e/other")
        load_files(store, [files["old"]], graph="http://e/g")   # O0-O9 as in other
        if not with_blank_nodes:
            assert int(store.select(count)[0]["n"]) == 15 * 2
            monkeypatch.setattr(union_merge, "_merge_graph", _no_read_back)
        load_files(store, [files["new"]], graph="http://e/g")
        union = int(store.select(count)[0]["n"])
        labels = {str(r["l"]).split()[0] for r in store.select(
            "SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }")}
    per_org = 4 if with_blank_nodes else 2
    assert union == 20 * per_org                       # other's 10 and the new 10
    assert {"O5", "O25"} <= labels and "O12" not in labels
