"""Ratios and the Markdown table of a benchmark run (the JSON holds everything measured)."""

from __future__ import annotations

from pathlib import Path

BENCH = Path(__file__).resolve().parent
OURS, RAW, RDFLIB, REMOTE = "ccgraph", "oxigraph", "rdflib-endpoint", "ccgraph-remote"


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def _fmt(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def query_ratios(size: dict) -> dict[str, dict]:
    """Per query class: ccgraph / oxigraph, ccgraph-remote / oxigraph, rdflib / ccgraph."""
    queries = size["queries"]
    out = {}
    for name in queries.get(OURS, {}):
        ms = {peer: (queries.get(peer, {}).get(name) or {}).get("median_ms") for peer in queries}
        out[name] = {"ccgraph/oxigraph": ratio(ms.get(OURS), ms.get(RAW)),
                     "remote/oxigraph": ratio(ms.get(REMOTE), ms.get(RAW)),
                     "rdflib/ccgraph": ratio(ms.get(RDFLIB), ms.get(OURS))}
    return out


def _query_table(size: dict) -> list[str]:
    peers = list(size["queries"])
    head = "| query | " + " | ".join(f"{p} ms" for p in peers) + \
        " | ccgraph / oxigraph | remote / oxigraph | rdflib / ccgraph | rows |"
    lines = [head, "|" + "---|" * (len(peers) + 5)]
    for name, r in size["ratios"].items():
        cells = []
        for peer in peers:
            t = size["queries"][peer].get(name) or {}
            cells.append(_fmt(t.get("median_ms"), 2) if t.get("median_ms") is not None
                         else ("cap" if t.get("error") else "–"))
        rows = {size["queries"][p].get(name, {}).get("rows") for p in peers} - {None}
        lines.append(f"| {name} | " + " | ".join(cells) +
                     f" | {_fmt(r['ccgraph/oxigraph'], 2)} | {_fmt(r['remote/oxigraph'], 2)}"
                     f" | {_fmt(r['rdflib/ccgraph'], 1)} | "
                     f"{'/'.join(map(str, sorted(rows))) or '–'} |")
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
           "Times are medians over HTTP on 127.0.0.1 (one warm-up, then up to "
           f"{result['runs']} runs; fewer where a peer's query exceeded the budget). "
           "Ratios below 1 mean ccgraph is faster. `cap`: no answer within the time cap.", ""]
    for size in result["sizes"]:
        out += [f"## {size['triples']:,} triples ({size['label']})", ""]
        out += [*_peer_table(size), "", *_query_table(size), *_api_table(size), ""]
        out += [*(f"- {note}" for note in size.get("notes", [])), ""]
    out += ["## Targets", "", *(f"- {t}" for t in result.get("targets", [])), ""]
    return "\n".join(out)


def targets(result: dict) -> list[str]:
    lines = []
    for size in result["sizes"]:
        r = size["ratios"]
        worst = max(((v["ccgraph/oxigraph"], k) for k, v in r.items()
                     if v["ccgraph/oxigraph"] is not None), default=None)
        if worst:
            met = "met" if worst[0] <= 1.2 else "MISSED"
            over = [k for k, v in r.items() if (v["ccgraph/oxigraph"] or 0) > 1.2]
            lines.append(f"{size['label']}: ccgraph / oxigraph <= 1.2 per query class: {met} "
                         f"(worst {worst[0]} on {worst[1]}; over 1.2: {', '.join(over) or 'none'})")
        if size["label"] == "1m":
            from workload import JOIN_HEAVY

            speedups = {k: r[k]["rdflib/ccgraph"] for k in JOIN_HEAVY if k in r}
            known = [v for v in speedups.values() if v is not None]
            ok = known and min(known) >= 20
            lines.append(f"1m: >= 20x faster than rdflib-endpoint on join-heavy queries: "
                         f"{'met' if ok else 'MISSED or not measured'} ({speedups})")
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
