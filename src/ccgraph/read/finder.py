"""The instrument finder's picture: the nodes and the named edges that link two clusters
or regions through the instruments open to both and the paths between them."""

from __future__ import annotations

import itertools
from typing import Any

__all__ = ["EDGE_WORDS", "finder_graph"]

# Edge names in the finder graph, read from the first node to the second as stated.
EDGE_WORDS = {
    "located_in": "is located in", "active_in": "is active in", "adjacent_to": "borders",
    "broader": "is part of", "related_industry": "draws on", "value_chain": "supplies",
    "eligible_region": "is eligible in", "eligible_industry": "is open to",
    "funded_by": "is funded by", "part_of": "belongs to", "partner": "is a partner in",
    "implements": "implements", "participated": "took part in", "member": "is a member of",
}


def finder_graph(instruments: list[dict[str, Any]] | None,
                 paths: list[dict[str, Any]] | None) -> dict[str, Any]:
    """Nodes and edges to draw, each edge named in words: an instrument's eligibility
    path (region "is part of" region, instrument "is eligible in" region), then the
    explained paths with their relations."""
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[frozenset[str], dict[str, str]] = {}

    def edge(source: str, target: str, words: str) -> None:
        edges.setdefault(frozenset((source, target)),
                         {"source": source, "target": target, "label": words})

    for item in (instruments or [])[:5]:
        chain = item["path"]
        nodes.update((n["id"], n) for n in chain)
        for left, right in itertools.pairwise(chain):
            if right["kind"] == "instrument":
                edge(right["id"], left["id"], "is eligible in")
            elif left["kind"] == "instrument":
                edge(left["id"], right["id"], "is eligible in")
            elif right["kind"] == "region" and left["kind"] == "region":
                # the chain climbs to the instrument's area and descends after it
                up = chain.index(right) <= _instrument_at(chain)
                edge(*((left["id"], right["id"]) if up else (right["id"], left["id"])),
                     "is part of")
            else:
                edge(left["id"], right["id"], "is located in")
    for path in (paths or [])[:3]:
        nodes.update((n["id"], n) for n in path["nodes"])
        for step in path["steps"]:
            # the step's sentence starts with the node the relation is read from
            first, second = step["from"], step["to"]
            if not step["sentence"].startswith(nodes[first]["label"]):
                first, second = second, first
            edge(first, second, EDGE_WORDS.get(step["rel"], "is linked to"))
    order = list(nodes)
    return {"nodes": [nodes[n] for n in order], "edges": list(edges.values()),
            "start": order[0] if order else None}


def _instrument_at(chain: list[dict[str, Any]]) -> int:
    return next((i for i, n in enumerate(chain) if n["kind"] == "instrument"), len(chain))
