"""The complementarity engine on small hand-built graphs with known answers."""

from __future__ import annotations

import io
import itertools
import math

import networkx as nx
import pytest
from rdflib import Graph

from ccgraph import synth
from ccgraph.analytics import (
    brokers,
    communities,
    export,
    gaps,
    instruments,
    model,
    partners,
    paths,
    pathsearch,
    projection,
)
from ccgraph.analytics.examples import TINY_TTL, RdflibSelect, tiny_graph
from ccgraph.errors import BadRequest, NoPath, NotFound

C1, C2, C3 = "urn:ex:c1", "urn:ex:c2", "urn:ex:c3"


def graph_of(ttl: str) -> nx.Graph:
    return projection.build(RdflibSelect(Graph().parse(data=ttl, format="turtle")))


@pytest.fixture(scope="module")
def tiny() -> nx.Graph:
    return tiny_graph()


@pytest.fixture(scope="module")
def synthetic() -> nx.Graph:
    """60 synthetic clusters with the regions and NACE codes they use."""
    return graph_of(synth.to_graph(60, seed=4, reference=True).serialize(format="turtle"))


# --- projection -------------------------------------------------------------------------

def test_projection_types_labels_places(tiny):
    assert tiny.nodes[C1]["kind"] == "cluster"
    assert tiny.nodes["urn:ex:emob"] == {**tiny.nodes["urn:ex:emob"], "kind": "industry",
                                         "emerging": True}
    assert tiny.nodes["urn:ex:HU22"]["label"] == "Nyugat-Dunántúl"   # only a @hu label
    assert tiny.nodes[C1]["region"] == "urn:ex:HU22"
    assert tiny.nodes[C1]["country"] == "urn:ex:HUN"                  # from its region
    assert tiny.nodes[C1]["label_level"] == 3                         # ESCA Gold
    assert tiny.nodes["urn:ex:i1"]["scope"] == "CrossBorder"
    assert tiny.edges[C1, "urn:ex:p1"]["rel"] == "partner"
    assert tiny.edges["urn:ex:27", "urn:ex:29"]["src"] == "urn:ex:27"


def test_projection_is_frozen(tiny):
    with pytest.raises(nx.NetworkXError):
        tiny.add_node("urn:ex:new")


def test_every_edge_cost_is_positive_and_penalises_hubs(synthetic):
    costs = [d["cost"] for _, _, d in synthetic.edges(data=True)]
    assert min(costs) > 0
    assert model.edge_cost("active_in", 3, 500) > model.edge_cost("active_in", 3, 5)


# --- paths --------------------------------------------------------------------------------

def test_best_path_is_the_shared_project(tiny):
    best = paths(tiny, C1, C2, k=1)[0]
    assert [n["id"] for n in best["nodes"]] == [C1, "urn:ex:p1", C2]
    assert best["steps"][0]["sentence"] == "Auto cluster HU is a partner in Joint project."


def test_paths_are_simple_bounded_ordered_and_scored(tiny):
    found = paths(tiny, C1, C3, k=20, max_len=8)
    assert len(found) >= 4
    scores = [p["score"] for p in found]
    assert scores == sorted(scores, reverse=True)
    for p in found:
        ids = [n["id"] for n in p["nodes"]]
        assert ids[0] == C1 and ids[-1] == C3 and len(set(ids)) == len(ids)
        assert p["hops"] == len(ids) - 1 <= 8
        assert 0 < p["score"] <= 1
        assert all(step["sentence"].endswith(".") for step in p["steps"])


def _reference_costs(G, a, b, k, max_len):
    """Every simple path of at most max_len steps in the same search space, by cost."""
    H = nx.Graph()
    for u, nbrs in pathsearch.search_space(G, a, b, max_len).items():
        H.add_weighted_edges_from(((u, v, c) for v, c in nbrs.items()), weight="cost")
    costs = sorted(nx.path_weight(H, p, "cost")
                   for p in nx.all_simple_paths(H, a, b, cutoff=max_len))
    return costs[:k]


def test_path_search_agrees_with_exhaustive_enumeration(synthetic):
    clusters = model.index(synthetic).clusters
    for a, b in itertools.islice(itertools.combinations(clusters[::7], 2), 12):
        mine = [sum(synthetic.edges[u, v]["cost"] for u, v in itertools.pairwise(
            [n["id"] for n in p["nodes"]])) for p in paths(synthetic, a, b, k=6, max_len=5)]
        assert mine == pytest.approx(_reference_costs(synthetic, a, b, 6, 5))


def test_path_errors_name_the_problem(tiny):
    with pytest.raises(NotFound, match="urn:ex:nope") as info:
        paths(tiny, "urn:ex:nope", C1)
    assert info.value.details["id"] == "urn:ex:nope"
    for bad in ({"k": 0}, {"k": 21}, {"k": True}, {"k": "5"}, {"max_len": 9}, {"max_len": 0}):
        with pytest.raises(BadRequest):
            paths(tiny, C1, C2, **bad)
    with pytest.raises(BadRequest):
        paths(tiny, C1, C1)
    with pytest.raises(NoPath):
        paths(tiny, C1, C2, max_len=1)


def test_no_path_between_disconnected_clusters():
    G = graph_of(TINY_TTL + "\n<urn:ex:lone> a <https://w3id.org/ccgraph/ontology#Cluster> .")
    with pytest.raises(NoPath, match="urn:ex:lone"):
        paths(G, C1, "urn:ex:lone")


# --- pair scores ----------------------------------------------------------------------------

def test_pair_scores_are_symmetric_bounded_and_fast_path_agrees(synthetic):
    clusters = model.index(synthetic).clusters
    for a, b in itertools.combinations(clusters[:25], 2):
        ab, ba = model.pair_score(synthetic, a, b), model.pair_score(synthetic, b, a)
        assert ab.components == pytest.approx(ba.components)
        assert all(0 <= v <= 1 for v in ab.components.values())
        assert 0 <= ab.total <= 1
        assert model.pair_total(synthetic, a, b) == pytest.approx(ab.total)
    assert math.isclose(sum(model.WEIGHTS.values()), 1)


def test_pair_components_on_the_tiny_graph(tiny):
    s = model.pair_score(tiny, C1, C2)
    assert s.components["relatedness"] == model.VALUE_CHAIN_PROXIMITY   # 27 supplies 29
    assert s.components["emerging"] == 1.0                               # both in emob
    assert s.components["cross_border"] == 1.0            # HU22 borders AT11, two countries
    assert s.components["projects"] > 0 and s.components["events"] == 0
    far = model.pair_score(tiny, C2, C3)
    assert far.components["cross_border"] == 0.5 and far.total < s.total


def test_colocation_proximity_is_hidalgo_min_of_conditionals():
    ix = model.index(tiny_graph())
    ix.__dict__["specialised"] = {"x": frozenset("abcd"), "y": frozenset("cdef"),
                                  "z": frozenset("ab")}
    assert ix.phi("x", "y") == 0.5          # min(2/4, 2/4)
    assert ix.phi("x", "z") == 0.0          # z in fewer than MIN_SUPPORT regions


# --- partners -------------------------------------------------------------------------------

def test_partner_ranking_and_reasons(tiny):
    ranked = partners(tiny, C2, n=5)
    # c3 shares no sector, history or neighbourhood with c2: pre-filtered out
    assert [r["cluster"]["id"] for r in ranked] == [C1]
    best = ranked[0]
    assert 0 <= best["score"] <= 1
    assert best["components"]["funding"] == 1.0 and best["components"]["trust"] == 1.0
    text = " ".join(best["reasons"])
    assert "Joint project" in text and "cross-border" in text and "Border call" in text
    assert "ESCA Gold" in best["reasons"][-1]
    expected = 0.8 * best["complementarity"] + 0.1 + 0.1
    assert best["score"] == pytest.approx(expected, abs=1e-5)


def test_cross_border_only_and_bounds(synthetic):
    a = model.index(synthetic).clusters[0]
    country = synthetic.nodes[a]["country"]
    ranked = partners(synthetic, a, n=100, cross_border_only=True)
    assert ranked and all(synthetic.nodes[r["cluster"]["id"]]["country"] != country
                          for r in ranked)
    assert [r["score"] for r in ranked] == sorted((r["score"] for r in ranked), reverse=True)
    for bad in (0, 101, 2.5):
        with pytest.raises(BadRequest):
            partners(synthetic, a, n=bad)
    with pytest.raises(BadRequest, match="region"):
        partners(synthetic, synthetic.nodes[a]["region"])


def test_partner_ranking_is_exact_despite_pruning(synthetic):
    """The branch-and-bound stop must give the same top n as scoring everyone."""
    from ccgraph.analytics import recommend

    a = model.index(synthetic).clusters[3]
    ranked = [(r["score"], r["cluster"]["id"]) for r in partners(synthetic, a, n=10)]
    full = sorted(((round(recommend._partner_total(
        synthetic, model.pair_total(synthetic, a, b), b, recommend.fundable(synthetic, a, b)),
        6), b) for b in recommend.candidates(synthetic, a)), key=lambda t: (-t[0], t[1]))
    assert ranked == full[:10]


# --- instruments ----------------------------------------------------------------------------

def test_instruments_for_two_clusters(tiny):
    found = instruments(tiny, C1, C2)
    assert [r["instrument"]["id"] for r in found] == ["urn:ex:i1"]
    assert "cross-border scope fits" in found[0]["rule"]
    assert "adjacent regions" in found[0]["rule"]
    path = [n["id"] for n in found[0]["path"]]
    assert path == [C1, "urn:ex:HU22", "urn:ex:i1", "urn:ex:AT11", C2]
    assert instruments(tiny, C1, C3) == []     # the ICT call's sector excludes motor vehicles


def test_instruments_for_regions_climb_broader(tiny):
    found = instruments(tiny, "urn:ex:HU22", "urn:ex:PL21")
    assert [r["instrument"]["id"] for r in found] == ["urn:ex:i2"]
    assert [n["id"] for n in found[0]["path"]] == [
        "urn:ex:HU22", "urn:ex:HU2", "urn:ex:HU", "urn:ex:i2", "urn:ex:PL", "urn:ex:PL21"]
    assert instruments(tiny, "urn:ex:AT11", "urn:ex:PL21") == []   # AT outside both calls
    with pytest.raises(BadRequest):
        instruments(tiny, C1, "urn:ex:PL21")
    with pytest.raises(NotFound, match="urn:ex:XX"):
        instruments(tiny, C1, "urn:ex:XX")


SCOPES = """
@prefix ccg: <https://w3id.org/ccgraph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <urn:ex:> .
ex:HU a ccg:Region ; ccg:nutsLevel 0 ; ccg:country ex:HUN .
ex:SK a ccg:Region ; ccg:nutsLevel 0 ; ccg:country ex:SVK .
ex:HU21 a ccg:Region ; ccg:nutsLevel 2 ; skos:broader ex:HU ; ccg:country ex:HUN .
ex:HU22 a ccg:Region ; ccg:nutsLevel 2 ; skos:broader ex:HU ; ccg:country ex:HUN .
ex:SK01 a ccg:Region ; ccg:nutsLevel 2 ; skos:broader ex:SK ; ccg:country ex:SVK .
ex:t a ccg:FundingInstrument ; ccg:cooperationScope ccg:Transnational ;
    ccg:eligibleRegion ex:HU, ex:SK .
ex:r a ccg:FundingInstrument ; ccg:cooperationScope ccg:Interregional ;
    ccg:eligibleRegion ex:HU, ex:SK .
ex:x a ccg:FundingInstrument ; ccg:cooperationScope ccg:CrossBorder ;
    ccg:eligibleRegion ex:HU22, ex:SK01 .
"""


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("urn:ex:HU21", "urn:ex:HU22", ["urn:ex:r"]),                       # same country
    ("urn:ex:HU21", "urn:ex:SK01", ["urn:ex:r", "urn:ex:t"]),           # HU21 not on the border
    ("urn:ex:HU22", "urn:ex:SK01", ["urn:ex:r", "urn:ex:t", "urn:ex:x"]),
])
def test_scope_rules(a, b, expected):
    G = graph_of(SCOPES)
    assert sorted(r["instrument"]["id"] for r in instruments(G, a, b)) == expected
    assert sorted(r["instrument"]["id"] for r in instruments(G, b, a)) == expected


# --- gaps, brokers, communities, export ---------------------------------------------------

def test_gaps_list_complementary_pairs_no_instrument_covers(tiny):
    result = gaps(tiny, threshold=0.1)
    pairs = {(e["a"]["id"], e["b"]["id"]) for g in result["groups"] for e in g["examples"]}
    # c1-c3 met at an event and lie in two countries; no call covers both (the ICT call
    # is closed to motor vehicles). c1-c2 are covered by the Border call; c2-c3 share
    # nothing and are not even candidates.
    assert pairs == {(C1, C3)}
    assert result["truncated"] is False
    assert gaps(tiny, threshold=0.99)["groups"] == []
    assert gaps(tiny, threshold=0.1, budget=1)["truncated"] is True
    with pytest.raises(BadRequest):
        gaps(tiny, threshold=1.5)


def test_broker_is_the_cluster_linking_project_and_event(tiny):
    top = brokers(tiny, n=3)
    assert [b["cluster"]["id"] for b in top] == [C1]     # the only one with two partners
    assert top[0]["constraint"] == pytest.approx(0.5)    # two unconnected partners
    assert "2 partners in 2 countries" in top[0]["reason"]
    assert brokers(tiny, method="betweenness")[0]["betweenness"] == 1.0
    for bad in ({"n": 0}, {"method": "pagerank"}, {"samples": 0}):
        with pytest.raises(BadRequest):
            brokers(tiny, **bad)


def test_burt_measures_match_networkx(synthetic):
    from ccgraph.analytics import structure

    H = structure.collaboration(synthetic)
    ranked = brokers(synthetic, n=5)
    nodes = [b["cluster"]["id"] for b in ranked]
    constraint = nx.constraint(H, nodes=nodes, weight="weight")
    size = nx.effective_size(H, nodes=nodes, weight="weight")
    for b in ranked:
        c = b["cluster"]["id"]
        assert b["constraint"] == pytest.approx(constraint[c], abs=1e-6)
        assert b["effective_size"] == pytest.approx(size[c], abs=1e-6)
    assert [b["constraint"] for b in ranked] == sorted(b["constraint"] for b in ranked)


def test_communities_cover_collaborating_clusters(synthetic):
    found = communities(synthetic)
    members = [m["id"] for c in found for m in c["members"]]
    assert len(members) == len(set(members))
    assert [c["size"] for c in found] == sorted((c["size"] for c in found), reverse=True)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_exports_round_trip(tiny, fmt):
    buf = io.BytesIO()
    export.write(tiny, fmt, buf)
    buf.seek(0)
    back = nx.read_graphml(buf) if fmt == "graphml" else nx.read_gexf(buf)
    assert back.number_of_nodes() == tiny.number_of_nodes()
    assert back.number_of_edges() == tiny.number_of_edges()


def test_csv_export_and_kind_filter(tiny):
    buf = io.StringIO()
    export.write(tiny, "csv", buf, kinds=["cluster", "project", "event"])
    rows = buf.getvalue().splitlines()
    assert rows[0].startswith("source,target,rel")
    assert len(rows) - 1 == 4       # c1-p1, c2-p1 (partner), e1-c1, e1-c3 (participated)
    with pytest.raises(BadRequest):
        export.write(tiny, "pdf", io.BytesIO())


def test_answers_are_plain_json(tiny):
    import json

    for value in (paths(tiny, C1, C3), partners(tiny, C1), instruments(tiny, C1, C2),
                  gaps(tiny, 0.1), brokers(tiny), communities(tiny)):
        json.dumps(value)
