"""Complementarity paths: the k cheapest simple paths between two nodes, explained."""

from __future__ import annotations

import heapq
from itertools import pairwise

import networkx as nx

from ..errors import BadRequest, NoPath
from . import model
from .common import bounded, node_ref, require

__all__ = ["MAX_K", "MAX_LEN", "explain_step", "paths", "search_space"]

MAX_K = 20
MAX_LEN = 8
# Partial paths expanded by one search at most, so no query can run away.
SEARCH_BUDGET = 50_000
# Above this degree a node is a hub: paths may cross it, but the search does not
# fan out from it to its clusters, organisations, projects and events.
HUB_DEGREE = 50
ACTORS = frozenset({"cluster", "organisation", "project", "event"})

SENTENCES = {
    "located_in": "{s} is located in {o}.",
    "active_in": "{s} is active in {o}.",
    "adjacent_to": "{s} borders {o}.",
    "broader": "{s} is part of {o}.",
    "related_industry": "{s} draws on {o}.",
    "value_chain": "{s} supplies {o} in the value chain (a synthetic example link).",
    "eligible_region": "{s} funds applicants in {o}.",
    "eligible_industry": "{s} is open to {o}.",
    "funded_by": "{s} is funded by {o}.",
    "part_of": "{s} belongs to {o}.",
    "partner": "{o} is a partner in {s}.",
    "implements": "{s} implements {o}.",
    "participated": "{o} took part in {s}.",
    "member": "{o} is a member of {s}.",
}


def explain_step(G: nx.Graph, u: str, v: str) -> dict:
    """One step of a path as JSON, with its sentence oriented as the data states it."""
    data = G.edges[u, v]
    s = data["src"]
    o = v if s == u else u
    sentence = SENTENCES[data["rel"]].format(s=G.nodes[s]["label"], o=G.nodes[o]["label"])
    return {"from": u, "to": v, "rel": data["rel"], "strength": model.REL_STRENGTH[data["rel"]],
            "sentence": sentence}


def paths(G: nx.Graph, a: str, b: str, k: int = 5, max_len: int = 6) -> list[dict]:
    """The `k` most complementary simple paths from `a` to `b`, cheapest first.

    Each path lists its nodes, one sentence per step and a score in [0, 1]
    (`model.path_score`); only paths of at most `max_len` steps are considered.

    >>> from ccgraph.analytics.examples import tiny_graph
    >>> best = paths(tiny_graph(), "urn:ex:c1", "urn:ex:c2", k=1)[0]
    >>> for step in best["steps"]:
    ...     print(step["sentence"])
    Auto cluster HU is a partner in Joint project.
    Battery cluster AT is a partner in Joint project.
    """
    require(G, a)
    require(G, b)
    bounded("k", k, 1, MAX_K)
    bounded("max_len", max_len, 1, MAX_LEN)
    if a == b:
        raise BadRequest("a path needs two different nodes", a=a, b=b)
    found = _cheapest(G, a, b, k, max_len)
    if not found:
        raise NoPath(f"no path of at most {max_len} steps between {a} and {b}", a=a, b=b)
    return [_as_json(G, p) for p in found]


class _Adjacency:
    """Plain-dict adjacency of a projection for the search (networkx's per-edge
    attribute dicts cost more than the search itself); built once per projection."""

    def __init__(self, G: nx.Graph) -> None:
        self.cost = {u: {v: d["cost"] for v, d in nbrs.items()} for u, nbrs in G._adj.items()}
        kinds = {n: d["kind"] for n, d in G.nodes(data=True)}
        self.actor = {n for n, kind in kinds.items() if kind in ACTORS}
        self.hub_links = {u: [v for v in nbrs if v not in self.actor]
                          for u, nbrs in self.cost.items() if len(nbrs) > HUB_DEGREE}


def _adjacency(G: nx.Graph) -> _Adjacency:
    if "_adjacency" not in G.graph:
        G.graph["_adjacency"] = _Adjacency(G)
    return G.graph["_adjacency"]


def search_space(G: nx.Graph, a: str, b: str, max_len: int) -> dict[str, dict[str, float]]:
    """The subgraph searched: nodes within ceil(max_len / 2) steps of either end, not
    fanning out from a hub (degree > HUB_DEGREE) to its clusters, organisations,
    projects or events; as {node: {neighbour: cost}}.

    Every path of at most max_len steps has all its nodes within that distance of
    one end, so the balls hold all of them except paths that pass a hub on to some
    unrelated cluster ("A is in sector X like C; C is in region R like B"): those
    say little, and following them meant exploring the whole graph.
    """
    adj = _adjacency(G)
    depth = (max_len + 1) // 2
    nodes = _ball(adj, a, depth) | _ball(adj, b, depth)
    hubs = adj.hub_links
    sub: dict[str, dict[str, float]] = {u: {} for u in nodes}
    for u in nodes:
        costs = adj.cost[u]
        # a hub's links to actors are added from the actor's side
        for v in hubs.get(u, costs):
            if v in nodes:
                sub[u][v] = sub[v][u] = costs[v]
    return sub


def _ball(adj: _Adjacency, start: str, depth: int) -> set[str]:
    seen, frontier = {start}, [start]
    for _ in range(depth):
        reached = []
        for u in frontier:
            links = adj.hub_links.get(u) if u != start else None
            for v in adj.cost[u] if links is None else links:
                if v not in seen:
                    seen.add(v)
                    reached.append(v)
        frontier = reached
    return seen


def _cheapest(G: nx.Graph, a: str, b: str, k: int, max_len: int) -> list[tuple[str, ...]]:
    """The k cheapest simple paths of at most max_len steps, cheapest first.

    Best-first search over partial paths with an exact heuristic (the cost to `b`
    by Dijkstra, ignoring the no-revisit rule, so it never overestimates): a
    partial path is expanded only if it can still be completed cheaply, paths reach
    `b` in order of cost, and the hop distance to `b` prunes those that cannot
    finish within max_len. Work is capped at SEARCH_BUDGET expansions.
    """
    sub = search_space(G, a, b, max_len)
    to_b, hops = _distances_to(sub, b)
    if a not in to_b or hops[a] > max_len:
        return []
    found: list[tuple[str, ...]] = []
    heap = [(to_b[a], 0.0, (a,))]
    for _ in range(SEARCH_BUDGET):
        if not heap or len(found) == k:
            break
        _f, g, path = heapq.heappop(heap)
        u = path[-1]
        if u == b:
            found.append(path)
            continue
        steps = len(path)  # edges once the next node is added
        for v, c in sub[u].items():
            if v in to_b and steps + hops[v] <= max_len and v not in path:
                heapq.heappush(heap, (g + c + to_b[v], g + c, (*path, v)))
    return found


def _distances_to(sub: dict[str, dict[str, float]], b: str):
    """Dijkstra costs and BFS hop counts from `b` over the search space."""
    cost, heap = {}, [(0.0, b)]
    while heap:
        d, u = heapq.heappop(heap)
        if u in cost:
            continue
        cost[u] = d
        for v, c in sub[u].items():
            if v not in cost:
                heapq.heappush(heap, (d + c, v))
    hops, frontier = {b: 0}, [b]
    while frontier:
        reached = []
        for u in frontier:
            for v in sub[u]:
                if v not in hops:
                    hops[v] = hops[u] + 1
                    reached.append(v)
        frontier = reached
    return cost, hops


def _as_json(G: nx.Graph, path: list[str]) -> dict:
    return {"nodes": [node_ref(G, n) for n in path],
            "steps": [explain_step(G, u, v) for u, v in pairwise(path)],
            "hops": len(path) - 1, "score": round(model.path_score(G, path), 6)}
