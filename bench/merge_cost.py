"""In-process cost of the union default graph's forms (issue 16): 300k synthetic triples
spread over K named graphs (no triple in two graphs), in a store without the merge
(`plain`) and in one that also holds the merged graph ccgraph keeps (`urn:ccgraph:union`).
Queried with Oxigraph's own union default graph (what `oxigraph serve
--union-default-graph` does), with the K graphs listed as the default graph, and with the
merged graph. In memory, and on disk compacted (as ccgraph's snapshots are). Medians of 5
runs, in ms.

    .venv/bin/python bench/merge_cost.py
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time

import pyoxigraph as ox

N = 300_000
UNION = ox.NamedNode("urn:ccgraph:union")
QUERIES = {
    "point": "SELECT ?o WHERE { <urn:s7> <urn:p0> ?o }",
    "group": "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p",
    "join": "SELECT (COUNT(*) AS ?n) WHERE { ?s <urn:p0> ?o . ?s <urn:p1> ?o2 }",
}


def median_ms(store, text: str, options: dict) -> float:
    times = []
    for _ in range(5):
        started = time.perf_counter()
        list(store.query(text, **options))
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 1)


_DIRS: list[str] = []


def _store(quads: list, disk: bool, with_merge: bool) -> ox.Store:
    if disk:
        _DIRS.append(tempfile.mkdtemp(prefix="merge-cost-"))
    store = ox.Store(_DIRS[-1]) if disk else ox.Store()
    store.bulk_extend(quads)
    if with_merge:
        store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, UNION) for q in quads)
    if disk:
        store.optimize()
    return store


def measure(k: int, disk: bool) -> None:
    graphs = [ox.NamedNode(f"urn:g{i}") for i in range(k)]
    quads = [ox.Quad(ox.NamedNode(f"urn:s{i % 30000}"), ox.NamedNode(f"urn:p{i % 7}"),
                     ox.Literal(str(i % 1000)), graphs[(i % 30000) % k]) for i in range(N)]
    plain, merged = _store(quads, disk, False), _store(quads, disk, True)
    where = "disk" if disk else "memory"
    for name, text in QUERIES.items():
        print(f"{k} graphs, {where}, {name}: plain store: oxigraph union "
              f"{median_ms(plain, text, {'use_default_graph_as_union': True})}, listed graphs "
              f"{median_ms(plain, text, {'default_graph': graphs})}; store with the merge: "
              f"listed graphs {median_ms(merged, text, {'default_graph': graphs})}, merged "
              f"graph {median_ms(merged, text, {'default_graph': [UNION]})}")


def main() -> None:
    for disk in (False, True):
        for k in (1, 10):
            measure(k, disk)
    for directory in _DIRS:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
