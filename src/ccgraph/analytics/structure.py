"""Brokers and communities in the clusters' collaboration network.

The collaboration network links two clusters when they shared a project or an
event, weighted by the Adamic-Adar sum over what they shared (small consortia
count more). Brokerage and communities are computed there rather than on the whole
projection, where regions, sectors and instruments would dominate any centrality.
"""

from __future__ import annotations

import math
from collections import Counter
from itertools import combinations

import networkx as nx

from . import model
from .common import bounded, describe, node_ref

__all__ = ["brokers", "collaboration", "communities"]

MAX_N = 100
MAX_SAMPLES = 1000
MAX_MEMBERS_SHOWN = 20


def collaboration(G: nx.Graph) -> nx.Graph:
    """Cluster-cluster graph of shared projects and events (memoised in ``G.graph``)."""
    if "_collaboration" not in G.graph:
        H = nx.Graph()
        ix = model.index(G)
        H.add_nodes_from(ix.clusters)
        for hub, data in G.nodes(data=True):
            if data["kind"] in ("project", "event"):
                members = sorted(m for m in G[hub] if G.nodes[m]["kind"] == "cluster")
                weight = 1 / math.log(max(len(members), 2))
                for u, v in combinations(members, 2):
                    old = H.edges[u, v]["weight"] if H.has_edge(u, v) else 0.0
                    H.add_edge(u, v, weight=old + weight)
        G.graph["_collaboration"] = nx.freeze(H)
    return G.graph["_collaboration"]


def brokers(G: nx.Graph, n: int = 10, samples: int = 200, seed: int = 0) -> list[dict]:
    """Clusters that bridge otherwise separate groups: sampled betweenness (Brandes,
    `samples` pivots, seeded) ranks them; Burt's constraint and effective size say
    how far their partners are unconnected to each other (structural holes).

    >>> from ccgraph.analytics.examples import tiny_graph
    >>> [b["cluster"]["label"] for b in brokers(tiny_graph(), n=1)]
    ['Auto cluster HU']
    """
    bounded("n", n, 1, MAX_N)
    bounded("samples", samples, 1, MAX_SAMPLES)
    H = collaboration(G)
    active = H.subgraph(x for x in H if H.degree(x) > 0)
    if active.number_of_nodes() == 0:
        return []
    k = min(samples, active.number_of_nodes())
    between = nx.betweenness_centrality(active, k=k, seed=seed, normalized=True)
    top = sorted(between, key=lambda c: (-between[c], c))[:n]
    constraint = nx.constraint(active, nodes=top, weight="weight")
    size = nx.effective_size(active, nodes=top, weight="weight")
    return [_broker(G, active, c, between[c], constraint[c], size[c]) for c in top]


def _broker(G, H, c, betweenness, constraint, size) -> dict:
    countries = {G.nodes[p].get("country") for p in H[c]} - {None, ""}
    reason = (f"{describe(G, c)} links {H.degree(c)} partners in {len(countries)} "
              f"countries; Burt's constraint {constraint:.2f} (lower means its partners "
              f"are less connected to each other, so it bridges more).")
    return {"cluster": node_ref(G, c), "betweenness": round(betweenness, 6),
            "constraint": _finite(constraint), "effective_size": _finite(size),
            "partners": H.degree(c), "reason": reason}


def _finite(x: float) -> float | None:
    return round(x, 6) if math.isfinite(x) else None


def communities(G: nx.Graph, resolution: float = 1.0, seed: int = 0,
                limit: int = 50) -> list[dict]:
    """Louvain communities (Blondel et al. 2008) of the collaboration network, largest
    first, with their dominant countries and sectors. Singletons are left out.

    >>> from ccgraph.analytics.examples import tiny_graph
    >>> [c["size"] for c in communities(tiny_graph())]
    [3]
    """
    bounded("resolution", resolution, 0.01, 100, integer=False)
    bounded("limit", limit, 1, MAX_N)
    H = collaboration(G)
    active = H.subgraph(x for x in H if H.degree(x) > 0)
    if active.number_of_nodes() == 0:
        return []
    parts = nx.community.louvain_communities(active, weight="weight",
                                             resolution=resolution, seed=seed)
    parts = sorted((sorted(p) for p in parts if len(p) > 1), key=lambda p: (-len(p), p[0]))
    return [_community(G, i, p) for i, p in enumerate(parts[:limit], start=1)]


def _community(G, number, members) -> dict:
    ix = model.index(G)
    countries = Counter(G.nodes[c].get("country", "") for c in members)
    sectors = Counter(ix.division(i) for c in members for i in ix.industries[c])
    return {"id": number, "size": len(members),
            "members": [node_ref(G, c) for c in members[:MAX_MEMBERS_SHOWN]],
            "countries": [{"id": k, "clusters": v} for k, v in countries.most_common(5) if k],
            "sectors": [{**node_ref(G, k), "clusters": v} for k, v in sectors.most_common(3)]}
