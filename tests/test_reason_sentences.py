"""Partner reasons read as sentences a person would write (issue 17, point 6)."""

from __future__ import annotations

import networkx as nx

from ccgraph.analytics import recommend
from ccgraph.analytics.examples import tiny_graph


def test_lists_are_complete_and_say_how_many_more():
    assert recommend.listed(["A"]) == "A"
    assert recommend.listed(["A", "B"]) == "A and B"
    assert recommend.listed(["A", "B", "C"]) == "A, B and C"
    assert recommend.listed(["A", "B", "C", "D"]) == "A, B, C and 1 more"


def test_partner_reasons_have_no_internal_scores_or_plural_brackets():
    G = tiny_graph()
    for cluster in [n for n, d in G.nodes(data=True) if d.get("kind") == "cluster"]:
        for best in recommend.partners(G, cluster, n=3):
            text = " ".join(best["reasons"])
            assert "(s)" not in text
            assert "adds 0." not in text and "trust" not in text
            assert "certified cluster management" in text


def test_a_pair_in_one_region_does_not_name_it_twice():
    G = nx.Graph()
    G.add_node("r", label="Stredné Slovensko")
    text = recommend._border_sentence(G, "a", "b", {"regions": ("r", "r"),
                                                   "different_countries": False, "near": True})
    assert text == "Both are in the same region, Stredné Slovensko."
