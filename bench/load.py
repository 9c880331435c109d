"""Load throughput, measured side by side in one run.

    python bench/load.py [--triples 1000000] [--validated-triples 100000]

Prints triples/s for `ccgraph load` (validation off and on), raw pyoxigraph
`Store.bulk_load`, and rdflib's in-memory parser, and the ratios. Targets
(issue 2): ccgraph without validation >= 0.7x raw bulk load and >= 200k triples/s.
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def generate(path: Path, triples: int, seed: int = 42) -> int:
    from ccgraph import synth

    clusters = synth.clusters_for_triples(triples, seed)
    with open(path, "w", encoding="utf-8") as handle:
        return synth.write(handle, clusters, seed, "nt", False)


def count_lines(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(1 for _ in handle)


def timed(func) -> float:
    gc.collect()
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def bench_ccgraph(path: Path, workdir: Path, validate: bool) -> float:
    from ccgraph.load import load_files
    from ccgraph.store import open_store

    target = workdir / f"ccgraph-{validate}"
    with open_store(f"oxigraph:{target}") as store:
        if validate:  # what the data refers to (regions, NACE) is in the store, as in real use
            reference = [ROOT / "ontology" / "ccgraph.ttl",
                         *sorted((ROOT / "data" / "reference").glob("*.ttl"))]
            load_files(store, reference, validate=False)
        seconds = timed(lambda: load_files(store, [path], validate=validate))
    shutil.rmtree(target, ignore_errors=True)
    return seconds


def bench_raw_bulk(path: Path, workdir: Path) -> float:
    import pyoxigraph as ox

    target = workdir / "raw"

    def load() -> None:
        store = ox.Store(str(target))
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES,
                        to_graph=ox.NamedNode("http://bench/g"))
        store.flush()

    seconds = timed(load)
    shutil.rmtree(target, ignore_errors=True)
    return seconds


def bench_rdflib(path: Path) -> float:
    from rdflib import Graph

    return timed(lambda: Graph().parse(str(path), format="nt"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--validated-triples", type=int, default=100_000,
                        help="SHACL validation is measured on a smaller population")
    parser.add_argument("--rdflib", action=argparse.BooleanOptionalAction, default=True)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="ccgraph-bench-load-"))
    try:
        run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run(args, workdir: Path) -> None:
    data = workdir / "data.nt"
    generate(data, args.triples)
    total = count_lines(data)
    sample = workdir / "sample.nt"  # whole clusters, so every reference resolves
    generate(sample, args.validated_triples)
    sample_total = count_lines(sample)
    results = {
        "raw pyoxigraph bulk_load": total / bench_raw_bulk(data, workdir),
        "ccgraph load --no-validate": total / bench_ccgraph(data, workdir, False),
        f"ccgraph load (SHACL, {sample_total} triples)":
            sample_total / bench_ccgraph(sample, workdir, True),
    }
    if args.rdflib:
        results["rdflib Memory parse"] = total / bench_rdflib(data)
    raw = results["raw pyoxigraph bulk_load"]
    print(f"load throughput, {total:,} N-Triples (synthetic cluster graph)")
    for name, rate in results.items():
        print(f"  {name:45s} {rate:12,.0f} triples/s   {rate / raw:5.2f}x raw")
    ours = results["ccgraph load --no-validate"]
    print(f"target: ccgraph / raw >= 0.70 -> {ours / raw:.2f} "
          f"({'met' if ours / raw >= 0.7 else 'MISSED'}); >= 200k triples/s -> {ours:,.0f} "
          f"({'met' if ours >= 200_000 else 'MISSED'})")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y-%m-%d")
    (out / f"load-{stamp}.json").write_text(json.dumps(
        {"triples": total, "triples_per_second": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
