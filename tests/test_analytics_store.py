"""The engine over real stores: caching by generation, seed data, the example population."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from ccgraph.analytics import Engine, projection
from ccgraph.analytics.examples import TINY_TTL, RdflibSelect
from ccgraph.errors import BadRequest, NotFound
from ccgraph.load import load_files
from ccgraph.namespaces import CCG, ID, NUTS

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = [ROOT / "ontology" / "ccgraph.ttl",
             *sorted((ROOT / "data" / "reference").glob("*.ttl"))]


@pytest.fixture
def tiny_store(store, tmp_path):
    source = tmp_path / "tiny.ttl"
    source.write_text(TINY_TTL, encoding="utf-8")
    load_files(store, [source], validate=False)
    return store


def _shape(G):
    return ({n: dict(d) for n, d in G.nodes(data=True)},
            {frozenset((u, v)): (d["rel"], d["src"]) for u, v, d in G.edges(data=True)})


def test_store_and_rdflib_give_the_same_projection(tiny_store):
    from_store = projection.build(tiny_store)
    from_rdflib = projection.build(RdflibSelect(Graph().parse(data=TINY_TTL, format="turtle")))
    assert _shape(from_store) == _shape(from_rdflib)


def test_engine_rebuilds_only_after_a_write(tiny_store):
    # The update is valid as the shapes want it: SPARQL updates are validated like loads.
    engine = Engine(tiny_store)
    first = engine.graph()
    assert engine.graph() is first
    with pytest.raises(NotFound):
        engine.partners("urn:ex:c4")
    tiny_store.update(f"""INSERT DATA {{ GRAPH <urn:test> {{
        <urn:ex:c4> a <{CCG.Cluster}> ; <{CCG.locatedIn}> <urn:ex:AT11> ;
                    <{CCG.activeIn}> <urn:ex:29.1> ;
                    <http://www.w3.org/2000/01/rdf-schema#label> "Cluster four"@en ;
                    <http://purl.org/dc/terms/source> <https://example.org/c4> . }} }}""")
    second = engine.graph()
    assert second is not first and "urn:ex:c4" in second
    assert "urn:ex:c1" in {p["cluster"]["id"] for p in engine.partners("urn:ex:c4")}


def test_whole_graph_answers_are_memoised_per_projection(tiny_store):
    engine = Engine(tiny_store)
    assert engine.brokers(n=2) is engine.brokers(n=2)
    assert engine.gaps(threshold=0.1) is engine.gaps(threshold=0.1)


def test_seed_projects_meet_through_their_shared_partner(store):
    load_files(store, [*REFERENCE, *sorted((ROOT / "data" / "seed").glob("*.ttl"))],
               validate=False)
    best = Engine(store).paths(str(ID["project/clustercoop"]), str(ID["project/centramo"]))[0]
    assert best["hops"] == 2
    assert best["nodes"][1]["label"].startswith("MAG Hungarian Economic Development Centre")


@pytest.fixture(scope="module")
def example_engine(tmp_path_factory):
    from ccgraph.store import open_store

    opened = open_store(f"oxigraph:{tmp_path_factory.mktemp('example') / 'store'}")
    load_files(opened, [*REFERENCE, ROOT / "data" / "example" / "clusters.ttl"], validate=False)
    yield Engine(opened), opened
    opened.close()


def _transnational_call_with_clusters(store):
    """A sector-restricted transnational call open to whole countries, and for each of
    its countries the clusters there in a sector it accepts, found by SPARQL alone."""
    rows = store.select(f"""PREFIX ccg: <{CCG}>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT DISTINCT ?call ?country ?cluster WHERE {{
          ?call ccg:cooperationScope ccg:Transnational ; ccg:eligibleRegion ?country ;
                ccg:eligibleIndustry ?sector .
          ?country ccg:nutsLevel 0 .
          ?cluster ccg:locatedIn ?region .
          ?region skos:broader/skos:broader ?country .
          ?cluster ccg:activeIn/skos:broader? ?sector .
        }} ORDER BY ?call ?country ?cluster""")
    calls: dict[str, dict[str, list[str]]] = {}
    for row in rows:
        countries = calls.setdefault(str(row["call"]), {})
        countries.setdefault(str(row["country"]), []).append(str(row["cluster"]))
    call, countries = next((c, found) for c, found in calls.items() if len(found) >= 2)
    return call, countries


def test_example_transnational_call_covers_clusters_in_two_of_its_countries(example_engine):
    engine, store = example_engine
    call, countries = _transnational_call_with_clusters(store)
    first, second = (clusters[0] for clusters in list(countries.values())[:2])
    found = {r["instrument"]["id"]: r for r in engine.instruments(first, second)}
    assert call in found
    assert "transnational scope fits" in found[call]["rule"]
    assert found[call]["path"][0]["id"] == first and found[call]["path"][-1]["id"] == second


def test_example_transnational_call_does_not_reach_outside_its_area(example_engine):
    engine, store = example_engine
    call, countries = _transnational_call_with_clusters(store)
    codes = {iri[len(str(NUTS)):] for iri in countries}
    region_in = sorted(countries)[0]
    region_out = next(n for n, d in sorted(engine.graph().nodes(data=True))
                      if d["kind"] == "region" and d.get("level") == 2
                      and n[len(str(NUTS)):][:2] not in codes
                      and call not in {e for e in engine.graph()[n]})
    assert call not in {r["instrument"]["id"] for r in engine.instruments(region_in, region_out)}
    code = region_in[len(str(NUTS)):][:2]
    inside = next(n for n, d in sorted(engine.graph().nodes(data=True))
                  if d["kind"] == "region" and d.get("level") == 2
                  and n[len(str(NUTS)):].startswith(code))
    same_country = [r["instrument"]["id"] for r in engine.instruments(region_in, inside)]
    assert call not in same_country        # transnational needs two countries
    with pytest.raises(BadRequest, match="the two ends are the same"):
        engine.instruments(region_in, region_in)


def test_example_partners_are_ranked_with_reasons(example_engine):
    engine, _store = example_engine
    cluster = str(ID["cluster/synthetic-1"])
    ranked = engine.partners(cluster, n=10)
    assert len(ranked) == 10
    assert all(0 <= r["score"] <= 1 and r["reasons"] for r in ranked)
    assert cluster not in {r["cluster"]["id"] for r in ranked}


def test_memoised_answers_are_capped(tiny_store):
    from ccgraph.analytics import engine as engine_module

    engine = Engine(tiny_store)
    for i in range(engine_module.MEMO_SIZE + 5):
        engine.gaps(threshold=i / 100)
    assert len(engine._memo) == engine_module.MEMO_SIZE
