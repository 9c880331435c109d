"""Exports of the projection: GraphML, GEXF (Gephi) and a CSV edge list."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import BinaryIO, TextIO

import networkx as nx

from ..errors import BadRequest

__all__ = ["FORMATS", "plain", "write", "write_csv", "write_gexf", "write_graphml"]

FORMATS = ("graphml", "gexf", "csv")


def plain(G: nx.Graph, kinds: Iterable[str] | None = None) -> nx.Graph:
    """A copy with only scalar attributes (no memoised indexes), optionally only some kinds.

    >>> from ccgraph.analytics.examples import tiny_graph
    >>> sorted({d["kind"] for _, d in plain(tiny_graph(), ["cluster", "project"]).nodes(data=True)})
    ['cluster', 'project']
    """
    wanted = set(kinds) if kinds else None
    H = nx.Graph()
    H.add_nodes_from((n, d) for n, d in G.nodes(data=True)
                     if wanted is None or d["kind"] in wanted)
    H.add_edges_from((u, v, d) for u, v, d in G.edges(data=True) if u in H and v in H)
    return H


def write_graphml(G: nx.Graph, out: BinaryIO, kinds: Iterable[str] | None = None) -> None:
    nx.write_graphml(plain(G, kinds), out)


def write_gexf(G: nx.Graph, out: BinaryIO, kinds: Iterable[str] | None = None) -> None:
    nx.write_gexf(plain(G, kinds), out)


def write_csv(G: nx.Graph, out: TextIO, kinds: Iterable[str] | None = None) -> None:
    """One row per edge: IRIs, labels, kinds, relation and cost."""
    H = plain(G, kinds)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["source", "target", "rel", "cost", "source_label", "target_label",
                     "source_kind", "target_kind"])
    for u, v, d in sorted(H.edges(data=True), key=lambda e: (e[2]["src"], e[0], e[1])):
        s, o = (u, v) if d["src"] == u else (v, u)
        writer.writerow([s, o, d["rel"], f"{d['cost']:.6f}", H.nodes[s]["label"],
                         H.nodes[o]["label"], H.nodes[s]["kind"], H.nodes[o]["kind"]])


def write(G: nx.Graph, fmt: str, out, kinds: Iterable[str] | None = None) -> None:
    """Write in `fmt` (graphml, gexf: a binary stream; csv: a text stream)."""
    writers = {"graphml": write_graphml, "gexf": write_gexf, "csv": write_csv}
    if fmt not in writers:
        raise BadRequest(f"unknown graph format {fmt!r}; use one of {', '.join(FORMATS)}")
    writers[fmt](G, out, kinds)
