"""Complementarity paths: the k cheapest simple paths between two nodes, explained."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice, pairwise

import networkx as nx

from ..errors import BadRequest, NoPath
from . import model
from .common import bounded, node_ref, require

__all__ = ["MAX_K", "MAX_LEN", "explain_step", "paths"]

MAX_K = 20
MAX_LEN = 8
# Yen's algorithm yields paths cheapest first whatever their length; stop looking
# after this many candidates so a tight max_len cannot make the search unbounded.
CANDIDATE_BUDGET = 200

SENTENCES = {
    "located_in": "{s} is located in {o}.",
    "active_in": "{s} is active in {o}.",
    "adjacent_to": "{s} borders {o}.",
    "broader": "{s} is part of {o}.",
    "related_industry": "{s} draws on {o}.",
    "value_chain": "{s} supplies {o} in the value chain.",
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
    (`model.path_score`); paths longer than `max_len` edges are skipped.

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
    found = []
    for path in islice(_cheapest(G, a, b), CANDIDATE_BUDGET):
        if len(path) - 1 <= max_len:
            found.append(path)
            if len(found) == k:
                break
    if not found:
        raise NoPath(f"no path of at most {max_len} steps between {a} and {b}", a=a, b=b)
    return [_as_json(G, p) for p in found]


def _cheapest(G: nx.Graph, a: str, b: str) -> Iterator[list[str]]:
    try:
        yield from nx.shortest_simple_paths(G, a, b, weight="cost")
    except nx.NetworkXNoPath:
        return


def _as_json(G: nx.Graph, path: list[str]) -> dict:
    return {"nodes": [node_ref(G, n) for n in path],
            "steps": [explain_step(G, u, v) for u, v in pairwise(path)],
            "hops": len(path) - 1, "score": round(model.path_score(G, path), 6)}
