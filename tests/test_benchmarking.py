"""Cluster quality (issue 9): indicator profiles beside peers, regions compared,
contact points and events, as data functions and through the JSON API."""

from __future__ import annotations

import pytest

from ccgraph import benchmarking
from ccgraph.errors import NotFound

NUTS = "http://data.europa.eu/nuts/code/"


def test_summary_statistics_and_rank():
    summary = benchmarking.summarise([1, 2, 3, 4, 5], own=4)
    assert summary["n"] == 5 and summary["min"] == 1 and summary["max"] == 5
    assert summary["median"] == 3 and summary["mean"] == 3
    assert summary["rank"] == 2  # one value is higher
    assert benchmarking.summarise([]) == {"n": 0}
    assert benchmarking.summarise([7], own=7)["rank"] == 1


def observed_cluster(store) -> str:
    rows = store.select("""PREFIX ccg: <https://w3id.org/ccgraph/ontology#>
        SELECT ?c WHERE { ?o ccg:refCluster ?c } ORDER BY ?c LIMIT 1""")
    return str(rows[0]["c"])


def test_profile_places_the_cluster_among_its_peers(bundled_store):
    cluster = observed_cluster(bundled_store)
    profile = benchmarking.indicator_profile(bundled_store, cluster)
    assert profile["indicators"]
    for item in profile["indicators"]:
        peers = item["peers"]
        assert set(peers) == {"industry", "country", "all"}
        for group in peers.values():  # the cluster is its own peer in every group
            assert group["n"] >= 1 and group["min"] <= item["value"] <= group["max"]
            assert 1 <= group["rank"] <= group["n"]
        assert peers["all"]["n"] >= peers["country"]["n"]
        assert peers["all"]["n"] >= peers["industry"]["n"]


def test_unknown_cluster_is_not_found(bundled_store):
    with pytest.raises(NotFound):
        benchmarking.indicator_profile(bundled_store, "https://w3id.org/ccgraph/id/cluster/none")


def test_regions_compared_include_narrower_regions(bundled_store):
    comparison = benchmarking.compare_regions(bundled_store, NUTS + "HU", NUTS + "AT")
    rows = bundled_store.select("""PREFIX ccg: <https://w3id.org/ccgraph/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {
          ?c a ccg:Cluster ; ccg:locatedIn/skos:broader* <http://data.europa.eu/nuts/code/HU> }""")
    assert comparison["a"]["clusters"] == int(rows[0]["n"]) > 0
    assert comparison["b"]["clusters"] > 0
    for side in ("a", "b"):
        for summary in comparison[side]["indicators"].values():
            assert summary["n"] >= 1


def test_contact_points_and_events_from_seed_and_example(bundled_store):
    points = benchmarking.contact_points(bundled_store)
    coordinator = [p for p in points if p["name"] == "Simone Hagenauer"]
    assert coordinator and coordinator[0]["for"] == ["https://w3id.org/ccgraph/id/project/clusterix-2"]
    listed = benchmarking.events(bundled_store)
    assert listed
    dates = [e["date"] for e in listed if e["date"]]
    assert dates == sorted(dates, reverse=True)
    assert any("Győr" in e["label"] or "Gyor" in e["label"] for e in listed)


def test_quality_api(client):
    events = client.get("/api/events")
    assert events.status_code == 200 and events.json
    points = client.get("/api/contact-points")
    assert points.status_code == 200 and points.json
    compare = client.get("/api/compare-regions", query_string={"a": NUTS + "CZ", "b": NUTS + "SK"})
    assert compare.status_code == 200 and set(compare.json) == {"a", "b", "indicators"}
    missing = client.get("/api/indicators",
                         query_string={"cluster": "https://w3id.org/ccgraph/id/cluster/none"})
    assert missing.status_code == 404
    assert missing.json["error"]["id"] == "https://w3id.org/ccgraph/id/cluster/none"
    bad = client.get("/api/indicators", query_string={"cluster": "not an iri"})
    assert bad.status_code == 400


def test_quartiles_stay_within_the_range_for_small_groups():
    summary = benchmarking.summarise([6, 13])
    assert 6 <= summary["q1"] <= summary["median"] <= summary["q3"] <= 13
