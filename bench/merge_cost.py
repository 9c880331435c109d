"""In-process cost of the merged union graph (issue 16): the same query on raw pyoxigraph with
its own union default graph against ccgraph's dataset (merge graph as default graph, named
graphs listed). Synthetic 300k triples in one named graph; medians of 7 runs."""

from __future__ import annotations

import statistics
import time

import pyoxigraph as ox

N = 300_000
GRAPH = ox.NamedNode("urn:g")
UNION = ox.NamedNode("urn:ccgraph:union")
QUERIES = {
    "point": "SELECT ?o WHERE { <urn:s7> <urn:p0> ?o }",
    "group": "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p",
    "join": "SELECT (COUNT(*) AS ?n) WHERE { ?s <urn:p0> ?o . ?s <urn:p1> ?o2 }",
}


def median_ms(store, text: str, options: dict) -> float:
    times = []
    for _ in range(7):
        started = time.perf_counter()
        list(store.query(text, **options))
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 2)


def main() -> None:
    quads = [ox.Quad(ox.NamedNode(f"urn:s{i % 30000}"), ox.NamedNode(f"urn:p{i % 7}"),
                     ox.Literal(str(i % 1000)), GRAPH) for i in range(N)]
    raw, merged = ox.Store(), ox.Store()
    raw.bulk_extend(quads)
    merged.bulk_extend(quads)
    started = time.perf_counter()
    merged.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, UNION)
                       for q in merged.quads_for_pattern(None, None, None, GRAPH))
    print("merge build s", round(time.perf_counter() - started, 2))
    for name, text in QUERIES.items():
        own = median_ms(raw, text, {"use_default_graph_as_union": True})
        ours = median_ms(merged, text, {"default_graph": [UNION], "named_graphs": [GRAPH]})
        print(f"{name}: raw oxigraph union {own} ms, merge graph {ours} ms")


if __name__ == "__main__":
    main()
