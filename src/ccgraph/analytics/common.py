"""Input validation and JSON shapes shared by the algorithms."""

from __future__ import annotations

import networkx as nx

from ..errors import BadRequest, NotFound

__all__ = ["bounded", "describe", "node_ref", "place", "require"]


def require(G: nx.Graph, node: str, kinds: tuple[str, ...] | None = None) -> None:
    """Raise NotFound naming `node` unless it is in `G` (and of one of `kinds`)."""
    if not isinstance(node, str) or node not in G:
        raise NotFound(f"no node {node!r} in the graph", id=str(node))
    kind = G.nodes[node]["kind"]
    if kinds and kind not in kinds:
        raise BadRequest(f"{node} is a {kind}, expected {' or '.join(kinds)}",
                         id=node, kind=kind)


def bounded(name: str, value: object, low: float, high: float, integer: bool = True) -> None:
    """Raise BadRequest unless `value` is an integer (or any number, if not `integer`;
    never a bool) in [low, high]."""
    kinds = int if integer else int | float
    if isinstance(value, bool) or not isinstance(value, kinds) or not low <= value <= high:
        what = "an integer" if integer else "a number"
        raise BadRequest(f"{name} must be {what} between {low} and {high}, got {value!r}",
                         parameter=name)


def node_ref(G: nx.Graph, n: str) -> dict:
    """How a node appears in every answer: IRI, label, kind, and whether it is generated
    example data (never to be read as a fact)."""
    data = G.nodes[n]
    return {"id": n, "label": data["label"], "kind": data["kind"],
            "synthetic": bool(data.get("synthetic"))}


def describe(G: nx.Graph, n: str) -> str:
    return G.nodes[n]["label"]


def place(G: nx.Graph, n: str) -> str | None:
    """The region a cluster is located in, or the node itself if it is a region."""
    data = G.nodes[n]
    return n if data["kind"] == "region" else data.get("region")
