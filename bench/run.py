"""ccgraph against its peers, measured side by side in one run (`make bench`).

    python bench/run.py [--sizes 100k,1m,10m] [--runs 5] [--rdflib-max 1m]

For each size: generate the synthetic cluster graph with `ccgraph synth` (cached
in bench/data/), then start on 127.0.0.1 (a) ccgraph on its embedded store
(`ccgraph load --no-validate`, `ccgraph serve`; the file goes into one named graph,
and the union of named graphs is the default graph), (b) raw `oxigraph serve
--union-default-graph` after `oxigraph load --graph <the IRI ccgraph gives the
file>`: the same dataset as (a), "oxigraph-named", (c) the same after a plain
`oxigraph load` (data in the default graph), "oxigraph", for reference, (d)
rdflib-endpoint over rdflib's in-memory store (up to --rdflib-max triples and
within --rdflib-cap seconds per request), (e) ccgraph in remote mode over (b).
The same query mix runs against each, then point-lookup throughput with 8
clients, ccgraph's JSON API, and peak memory of each server's process tree.
Prints ratios; writes bench/results/<date>.json and .md and links the table from
bench/README.md. rdflib-endpoint is a peer, not a dependency:
the first run installs `rdflib-endpoint[cli]==0.6.3` into this venv with pip.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import issue19  # noqa: E402
import peers  # noqa: E402
import report  # noqa: E402
import workload  # noqa: E402
from ccgraph.load import default_graph_for  # noqa: E402  (src/ is on the path via workload)

RDFLIB = "rdflib-endpoint"
SIZES = {"100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def dataset(label: str) -> Path:
    """The cached synthetic graph (with a minimal copy of regions and NACE codes)."""
    path = BENCH / "data" / f"synth-{SIZES[label]}.nt"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        log(f"generating {label} triples with ccgraph synth -> {path}")
        subprocess.run([str(peers.BIN / "ccgraph"), "synth", "--triples", str(SIZES[label]),
                        "--with-reference", "--out", str(path)], check=True)
    return path


def count_triples(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(1 for _ in handle)


def start_all(label: str, data: Path, work: Path, args,
              started: dict[str, peers.Peer]) -> None:
    """Start the peers into `started` (so that whatever started is stopped on failure)."""
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log(f"{label}: oxigraph load + serve (data in the default graph)")
    started["oxigraph"] = peers.start_oxigraph(data, work, logs / "oxigraph.log")
    # ccgraph's layout: the file in the one named graph `ccgraph load` gives it.
    graph = default_graph_for(str(data))
    log(f"{label}: oxigraph load --graph {graph} + serve")
    started[report.NAMED] = peers.start_oxigraph(data, work, logs / "oxigraph-named.log",
                                                 report.NAMED, graph)
    started[report.NAMED].notes.append(f"data loaded into the named graph <{graph}>, the "
                                       "graph `ccgraph load` gives the file")
    log(f"{label}: ccgraph load --no-validate + serve")
    started["ccgraph"] = peers.start_ccgraph(data, f"oxigraph:{work / 'ccgraph'}",
                                             logs / "ccgraph.log", "ccgraph")
    log(f"{label}: ccgraph serve in remote mode over oxigraph serve (named graph)")
    started["ccgraph-remote"] = peers.start_ccgraph_remote(started[report.NAMED],
                                                           logs / "ccgraph-remote.log")
    if SIZES[label] <= SIZES[args.rdflib_max]:
        log(f"{label}: rdflib-endpoint (parses the file as it starts)")
        try:
            started["rdflib-endpoint"] = peers.start_rdflib(data, logs / "rdflib.log",
                                                            args.rdflib_load_cap)
        except (TimeoutError, RuntimeError) as exc:
            log(f"{label}: rdflib-endpoint did not start: {exc}")


def measure_queries(started: dict[str, peers.Peer], mix: dict[str, str], args,
                    data: Path) -> dict:
    """The fast peers in turns, query by query; rdflib-endpoint on its own afterwards
    (its slow answers would otherwise set the pace of every round)."""
    fast = {n: workload.Client(p.url, 600) for n, p in started.items() if n != RDFLIB}
    out: dict[str, dict] = {name: {} for name in started}
    for name, text in mix.items():
        timings = workload.time_interleaved(fast, text, args.runs, args.budget)
        for peer, timing in timings.items():
            out[peer][name] = timing.to_dict()
        log(f"  {name:42s} " + "  ".join(f"{p} {t.median_ms} ms x{t.runs} rows={t.rows}"
                                           + (f" ERROR {t.error[:60]}" if t.error else "")
                                           for p, t in timings.items()))
    for client in fast.values():
        client.close()
    if RDFLIB in started:
        out[RDFLIB] = measure_rdflib(started, mix, args, data)
    return out


def measure_rdflib(started: dict[str, peers.Peer], mix: dict[str, str], args,
                   data: Path) -> dict:
    out, restarts = {}, 0
    for name, text in mix.items():
        peer = started[RDFLIB]
        if not peer.alive():
            out[name] = workload.Timing(None, 0, None, "not restarted").to_dict()
            continue
        client = workload.Client(peer.url, args.rdflib_cap)
        timing = workload.time_query(client, text, args.runs, args.rdflib_cap)
        client.close()
        out[name] = timing.to_dict()
        log(f"  {peer.name} {name:42s} {timing.median_ms} ms x{timing.runs} rows={timing.rows}"
            f"{' ' + timing.error[:80] if timing.error else ''}")
        if timing.error:
            # rdflib-endpoint goes on evaluating after the client gives up, and every
            # later request waits behind it: start it afresh for the rest of the mix.
            peer.notes.append(f"no answer within the {args.rdflib_cap:.0f} s cap on {name}")
            peer.stop()
            if restarts < 3:
                restarts += 1
                fresh = peers.start_rdflib(data, peer.log, args.rdflib_load_cap)
                fresh.load_seconds, fresh.notes = peer.load_seconds, peer.notes
                fresh.watch.peak_rss = peer.watch.peak_rss
                fresh.watch.peak_pss = peer.watch.peak_pss
                started[RDFLIB] = fresh
    return out


def run_size(label: str, args, mix: dict[str, str]) -> dict:
    data = dataset(label)
    triples = count_triples(data)
    from ccgraph import synth

    clusters = synth.clusters_for_triples(SIZES[label])
    work = BENCH / "work" / label
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    result = {"label": label, "triples": triples, "clusters": clusters, "data": str(data),
              "loadavg_start": loadavg(), "peers": {}, "queries": {}, "notes": []}
    started: dict[str, peers.Peer] = {}
    try:
        start_all(label, data, work, args, started)
        log(f"{label}: query mix")
        result["queries"] = measure_queries(started, mix, args, data)
        for name, peer in started.items():
            if peer.alive():
                log(f"{label}: throughput on {name} ({args.clients} clients, {args.seconds} s)")
                peer.throughput = workload.throughput(peer.url, args.clients, args.seconds,
                                                      clusters)
                log(f"  {peer.throughput}")
        for peer in started.values():  # before the JSON API builds its analytics graph
            peer.peak_before_api = (peer.watch.peak_rss, peer.watch.peak_pss)
        if args.scale_workers > 1:
            scaled = measure_scaled(work, args, clusters)
            started[scaled.name] = scaled
        for name in ("ccgraph", "ccgraph-remote"):
            log(f"{label}: JSON API on {name}")
            result.setdefault("api_by_peer", {})[name] = workload.time_api(
                started[name].base, args.runs, args.budget, 120)
        result["api"] = result["api_by_peer"]["ccgraph"]
    finally:
        for peer in started.values():
            peer.stop()
    for name, peer in started.items():
        result["peers"][name] = peer_summary(peer, triples)
        result["notes"] += [f"{name}: {n}" for n in peer.notes]
    if "rdflib-endpoint" not in started:
        result["notes"].append(f"rdflib-endpoint not run at this size (--rdflib-max "
                               f"{args.rdflib_max})")
    result["ratios"] = report.query_ratios(result)
    if args.issue19 and (work / "ccgraph").exists():
        log(f"{label}: issue 19 (answer cache, 304, analytics after a write, validated load)")
        result["loadavg_issue19"] = loadavg()
        result["issue19"] = issue19.measure(label, triples, data, work,
                                            result["queries"].get(report.NAMED, {}), args.runs)
        log(f"  {json.dumps(result['issue19'])[:2000]}")
    result["loadavg_end"] = loadavg()
    shutil.rmtree(work, ignore_errors=True)
    return result


def measure_scaled(work: Path, args, clusters: int) -> peers.Peer:
    """Throughput of `ccgraph serve --workers N` on the same store (docs/scale-out.md)."""
    name = f"ccgraph --workers {args.scale_workers}"
    log(f"throughput on {name} ({args.clients} clients, {args.seconds} s)")
    peer = peers.start_ccgraph(None, f"oxigraph:{work / 'ccgraph'}", work / "logs" /
                               "ccgraph-scaled.log", name, workers=args.scale_workers)
    # Each worker opens its store and engines on its first request: warm them all up first.
    workload.throughput(peer.url, args.clients, max(3.0, args.seconds / 2), clusters)
    peer.throughput = workload.throughput(peer.url, args.clients, args.seconds, clusters)
    peer.watch.sample()
    peer.peak_before_api = (peer.watch.peak_rss, peer.watch.peak_pss)
    log(f"  {peer.throughput}")
    return peer


def peer_summary(peer: peers.Peer, triples: int) -> dict:
    load = peer.load_seconds
    return {"load_seconds": load and round(load, 2),
            "load_triples_per_second": round(triples / load) if load else None,
            "load_note": {"ccgraph": "`ccgraph load --no-validate` (process start included)",
                          "oxigraph": "`oxigraph load` (default graph)",
                          report.NAMED: "`oxigraph load --graph` (one named graph)",
                          "rdflib-endpoint": "start until the first answer (parse included)"}
            .get(peer.name),
            "throughput": peer.throughput,
            "peak_rss_mb_before_api": round(peer.peak_before_api[0] / 2**20),
            "peak_pss_mb_before_api": round(peer.peak_before_api[1] / 2**20),
            "peak_rss_mb": round(peer.watch.peak_rss / 2**20),
            "peak_pss_mb": round(peer.watch.peak_pss / 2**20)}


def print_ratios(size: dict) -> None:
    print(f"\n== {size['triples']:,} triples: ratios of median times (a/b < 1: a is faster)")
    print(f"  {'query':42s} " + "  ".join(report.RATIOS))
    for name, r in size["ratios"].items():
        print(f"  {name:42s} " + "  ".join(f"{r.get(k)!s:>{len(k)}}" for k in report.RATIOS))
    for note in report.row_mismatches(size):
        print(f"  {note}")
    for name, p in size["peers"].items():
        t = p["throughput"] or {}
        print(f"  {name:20s} load {p['load_triples_per_second']} triples/s, "
              f"{t.get('requests_per_second')} lookups/s, peak RSS {p['peak_rss_mb']} MB "
              f"(PSS {p['peak_pss_mb']} MB)")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k,1m,10m",
                        help="comma-separated from 100k, 1m, 10m")
    parser.add_argument("--runs", type=int, default=5, help="timed runs after one warm-up")
    parser.add_argument("--budget", type=float, default=60,
                        help="seconds per query and peer before fewer runs are taken")
    parser.add_argument("--rdflib-max", default="1m", choices=list(SIZES),
                        help="largest size rdflib-endpoint is run at")
    parser.add_argument("--rdflib-cap", type=float, default=60,
                        help="seconds an rdflib-endpoint request may take")
    parser.add_argument("--rdflib-load-cap", type=float, default=300,
                        help="seconds rdflib-endpoint may take to parse the file")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10, help="throughput test length")
    parser.add_argument("--scale-workers", type=int, default=3,
                        help="also measure throughput of ccgraph serve --workers N (0: skip)")
    parser.add_argument("--issue19", action=argparse.BooleanOptionalAction, default=True,
                        help="answer cache, 304, analytics after a write, validated load")
    parser.add_argument("--out", default=None, help="result name (default: today's date)")
    args = parser.parse_args(argv)
    args.sizes = [s.strip().lower() for s in args.sizes.split(",") if s.strip()]
    unknown = set(args.sizes) - set(SIZES)
    if unknown:
        parser.error(f"unknown sizes {sorted(unknown)}; use {', '.join(SIZES)}")
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    peers.install_peer_packages()
    os.environ.pop("CCGRAPH_STORE", None)  # each server gets its own
    mix = workload.query_mix()
    result = {"date": time.strftime("%Y-%m-%d %H:%M"), "runs": args.runs,
              "command": "python bench/run.py " + shlex.join(sys.argv[1:] if argv is None
                                                              else argv),
              "machine": f"{os.cpu_count()} cores, {platform.platform()}, Python "
                         f"{platform.python_version()}",
              "loadavg_start": loadavg(), "queries": mix, "sizes": []}
    for label in args.sizes:
        size = run_size(label, args, mix)
        result["sizes"].append(size)
        print_ratios(size)
    result["loadavg_end"] = loadavg()
    result["targets"] = report.targets(result)
    print("\n" + "\n".join(result["targets"]))
    write(result, args.out or time.strftime("%Y-%m-%d"))


def write(result: dict, name: str) -> None:
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n")
    (out / f"{name}.md").write_text(report.markdown(result))
    report.update_readme(f"{name}.md")
    log(f"wrote {out / name}.json, {name}.md; bench/README.md links the table")


if __name__ == "__main__":
    main()
