"""Ratios and the Markdown table of a benchmark run (the JSON holds everything measured)."""

from __future__ import annotations

from pathlib import Path

import issue19

BENCH = Path(__file__).resolve().parent
OURS, RAW, RDFLIB, REMOTE = "ccgraph", "oxigraph", "rdflib-endpoint", "ccgraph-remote"
# Raw Oxigraph on ccgraph's dataset model: the data in one named graph, the union of
# named graphs as the default graph. RAW has the same triples in its default graph.
NAMED = "oxigraph-named"

# Ratio columns, "a/b" = median time of a / median time of b, per query class. The first
# is what the issue's "at most 1.2x raw Oxigraph per query class" target is checked on.
TARGET = "ccgraph/oxigraph-named"
RATIOS = {TARGET: (OURS, NAMED),
          "remote/oxigraph-named": (REMOTE, NAMED),
          "ccgraph/oxigraph": (OURS, RAW),                # against the default-graph layout
          "oxigraph-named/oxigraph": (NAMED, RAW),        # the cost of the named-graph model
          "rdflib/ccgraph": (RDFLIB, OURS)}


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def _fmt(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def query_ratios(size: dict) -> dict[str, dict]:
    """Per query class, the RATIOS columns (None where a peer has no time)."""
    queries = size["queries"]
    out = {}
    for name in queries.get(OURS, {}):
        ms = {peer: (queries.get(peer, {}).get(name) or {}).get("median_ms") for peer in queries}
        out[name] = {key: ratio(ms.get(a), ms.get(b)) for key, (a, b) in RATIOS.items()}
    return out


def row_counts(size: dict, name: str) -> dict[str, int]:
    """Rows each peer answered `name` with (peers without an answer left out)."""
    counts = {peer: (times.get(name) or {}).get("rows") for peer, times in size["queries"].items()}
    return {peer: n for peer, n in counts.items() if n is not None}


def row_mismatches(size: dict) -> list[str]:
    """One note per query class on which the peers' row counts differ."""
    notes = []
    for name in size["queries"].get(OURS, {}):
        counts = row_counts(size, name)
        if len(set(counts.values())) > 1:
            notes.append(f"row counts differ on {name}: "
                         + ", ".join(f"{p} {n}" for p, n in counts.items()))
    return notes


def _rows_cell(size: dict, name: str) -> str:
    counts = row_counts(size, name)
    if len(set(counts.values())) <= 1:
        return _fmt(next(iter(counts.values()), None), 0)
    return "**" + ", ".join(f"{p} {n}" for p, n in counts.items()) + "**"


def _query_table(size: dict) -> list[str]:
    peers = list(size["queries"])
    head = "| query | " + " | ".join(f"{p} ms" for p in peers) + " | " + \
        " | ".join(k.replace("/", " / ") for k in RATIOS) + " | rows |"
    lines = [head, "|" + "---|" * (len(peers) + len(RATIOS) + 2)]
    for name, r in size["ratios"].items():
        cells = []
        for peer in peers:
            t = size["queries"][peer].get(name) or {}
            cells.append(_fmt(t.get("median_ms"), 2) if t.get("median_ms") is not None
                         else ("cap" if t.get("error") else "–"))
        cells += [_fmt(r.get(k), 1 if k == "rdflib/ccgraph" else 2) for k in RATIOS]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {_rows_cell(size, name)} |")
    return lines


def _peer_table(size: dict) -> list[str]:
    lines = ["| server | load s | load triples/s | point lookups/s (8 clients) | p50 ms "
             "| p99 ms | peak RSS / PSS MB, queries | peak RSS / PSS MB, with the API |",
             "|---|---|---|---|---|---|---|---|"]
    for name, p in size["peers"].items():
        t = p.get("throughput") or {}
        rate = _fmt(p.get("load_triples_per_second"), 0)
        lines.append(
            f"| {name} | {_fmt(p.get('load_seconds'))} | {rate}"
            f" | {_fmt(t.get('requests_per_second'), 0)} | {_fmt(t.get('p50_ms'), 2)}"
            f" | {_fmt(t.get('p99_ms'), 2)}"
            f" | {_fmt(p.get('peak_rss_mb_before_api'))} / {_fmt(p.get('peak_pss_mb_before_api'))}"
            f" | {_fmt(p.get('peak_rss_mb'))} / {_fmt(p.get('peak_pss_mb'))} |")
    return lines


def _api_table(size: dict) -> list[str]:
    api = size.get("api") or {}
    if not api:
        return []
    lines = ["", "| ccgraph API | first call ms | median ms | runs | status |",
             "|---|---|---|---|---|"]
    for path, t in api.items():
        lines.append(f"| {path} | {_fmt(t.get('first_ms'), 1)} | {_fmt(t.get('median_ms'), 2)} "
                     f"| {t.get('runs', 0)} | {t.get('status') or t.get('error')} |")
    return lines


def markdown(result: dict) -> str:
    out = [f"# Benchmark {result['date']}", "",
           f"Command: `{result['command']}`  ", f"Machine: {result['machine']}  ",
           f"Load average at the start: {result['loadavg_start']}; "
           f"at the end: {result['loadavg_end']}", "",
           "Times are medians over HTTP on 127.0.0.1 (one warm-up, then the fast peers "
           f"in turns, at least {result['runs']} rounds, up to 25 while a round is cheap, "
           "fewer where a peer's query exceeded the budget; rdflib-endpoint on its own). "
           "A ratio a / b is a's median time over b's: below 1, a is faster. "
           "`oxigraph-named` holds the data as ccgraph does (one named graph, the union "
           "of named graphs as the default graph; ccgraph-remote runs over it), "
           "`oxigraph` in its default graph: ccgraph / oxigraph-named is ccgraph's own "
           "overhead, oxigraph-named / oxigraph the cost of the named-graph model. "
           "`cap`: no answer within the time cap. `rows`: one count when every peer "
           "answered with the same number of rows, else each peer's.", ""]
    for size in result["sizes"]:
        out += [f"## {size['triples']:,} triples ({size['label']})", ""]
        out += [*_peer_table(size), "", *_query_table(size), *_api_table(size),
                *issue19.markdown(size), ""]
        out += [*(f"- {note}" for note in size.get("notes", [])), ""]
    out += ["## Targets", "", *(f"- {t}" for t in result.get("targets", [])), ""]
    return "\n".join(out)


def _worst(r: dict, key: str) -> tuple[float, str] | None:
    return max(((v[key], k) for k, v in r.items() if v.get(key) is not None), default=None)


def _span(r: dict, key: str) -> str:
    known = [v[key] for v in r.values() if v.get(key) is not None]
    return f"{min(known)}-{max(known)}" if known else "not measured"


def targets(result: dict) -> list[str]:
    lines = []
    for size in result["sizes"]:
        r, label = size["ratios"], size["label"]
        worst = _worst(r, TARGET)
        if worst:
            met = "met" if worst[0] <= 1.2 else "MISSED"
            over = [k for k, v in r.items() if (v.get(TARGET) or 0) > 1.2]
            lines.append(f"{label}: ccgraph / oxigraph-named (raw Oxigraph on the same "
                         f"dataset: one named graph, union default graph) <= 1.2 per query "
                         f"class: {met} (worst {worst[0]} on {worst[1]}; over 1.2: "
                         f"{', '.join(over) or 'none'})")
        else:
            lines.append(f"{label}: ccgraph / oxigraph-named <= 1.2 per query class: "
                         "not measured")
        ref = _worst(r, "ccgraph/oxigraph")
        if ref:
            lines.append(f"{label}: for reference, not the target: ccgraph / oxigraph "
                         f"(data in the default graph) worst {ref[0]} on {ref[1]}; "
                         f"oxigraph-named / oxigraph {_span(r, 'oxigraph-named/oxigraph')}, "
                         f"remote / oxigraph-named {_span(r, 'remote/oxigraph-named')}")
        mismatches = row_mismatches(size)
        lines.append(f"{label}: row counts the same on every peer: "
                     + ("yes" if not mismatches else "NO (" + "; ".join(mismatches) + ")"))
        if size["label"] == "1m":
            from workload import JOIN_HEAVY

            speedups = {k: r[k]["rdflib/ccgraph"] for k in JOIN_HEAVY if k in r}
            known = [v for v in speedups.values() if v is not None]
            ok = known and min(known) >= 20
            lines.append(f"1m: >= 20x faster than rdflib-endpoint on join-heavy queries: "
                         f"{'met' if ok else 'MISSED or not measured'} ({speedups})")
        lines += issue19.targets(size)
        if size["label"] == "10m":
            ours = size["peers"].get(OURS, {})
            lines.append(f"10m: loaded in {ours.get('load_seconds')} s and served; peak RSS "
                         f"{ours.get('peak_rss_mb')} MB, PSS {ours.get('peak_pss_mb')} MB")
    return lines


def update_readme(md_name: str) -> None:
    readme = BENCH / "README.md"
    marker = "Latest results:"
    lines = readme.read_text().splitlines() if readme.exists() else []
    line = f"{marker} [results/{md_name}](results/{md_name})"
    lines = [line if x.startswith(marker) else x for x in lines]
    if line not in lines:
        lines.insert(2 if len(lines) >= 2 else len(lines), line)
    readme.write_text("\n".join(lines) + "\n")
