"""Issue 19's columns: what users feel beyond one uncached query (used by run.py).

- repeated reads on a ccgraph peer with its answer cache on (`CCGRAPH_ANSWER_CACHE_MB`,
  default 64), against raw Oxigraph's medians for the same SPARQL from the same run's
  query mix: the named queries through `/api/queries/<name>/results` and their pages
  (`/queries/<name>?run=1`), the query mix through `/sparql`;
- revalidation: the same requests with `If-None-Match` (304, no body);
- the first `/api/paths` and `/api/partners` after a 10-triple write (each after a write
  of its own), and how long until the projection reflects the write;
- a validated `ccgraph load` (SHACL on, the default) into a fresh store;
- peak memory per component of the cached peer (web process with the analytics
  projection, engine processes), sampled from /proc.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import peers
import workload

ROOT = Path(__file__).resolve().parents[1]
TARGET_REPEATED = 10.0      # cached repeated reads at least 10x faster than raw Oxigraph
TARGET_VALIDATED = 50_000   # validated load, triples/s (at 1M)
TARGET_PATHS_S, TARGET_PARTNERS_S = 10.0, 1.0   # first call after a write (10M in the issue)


def _median_ms(client: workload.Client, path: str, headers: dict, runs: int) -> dict:
    status, _body = client.get(path, headers)         # warm-up: computes and caches
    samples, last = [], status
    for _ in range(runs):
        started = time.perf_counter()
        last, _body = client.get(path, headers)
        samples.append((time.perf_counter() - started) * 1000)
    etag = _etag(client, path, headers)
    revalidate = []
    if etag:
        for _ in range(runs):
            started = time.perf_counter()
            code, _body = client.get(path, {**headers, "If-None-Match": etag})
            revalidate.append((time.perf_counter() - started) * 1000)
    else:
        code = None
    return {"status": last, "median_ms": round(statistics.median(samples), 3),
            "revalidate_status": code,
            "revalidate_ms": round(statistics.median(revalidate), 3) if revalidate else None}


def _etag(client: workload.Client, path: str, headers: dict) -> str | None:
    conn = client.conn
    if conn is None:
        return None
    conn.request("HEAD", path, headers=headers)
    response = conn.getresponse()
    response.read()
    return response.getheader("ETag")


def repeated(base: str, raw: dict, runs: int) -> dict:
    """Cached ccgraph against raw Oxigraph (`raw`: query name -> timing dict of the
    oxigraph-named peer from the query mix)."""
    client, out = workload.Client(base, 120), {}
    json_accept = {"Accept": "application/json"}
    for name, params in workload.NAMED.items():
        api = _median_ms(client, f"/api/queries/{name}/results?{urlencode(params)}",
                         json_accept, runs)
        page = _median_ms(client, f"/queries/{name}?{urlencode({**params, 'run': 1})}",
                          {"Accept": "text/html"}, runs)
        out[f"named: {name}"] = {"api": api, "page": page}
    sparql = {"Accept": "application/sparql-results+json"}
    for name, text in workload.QUERIES.items():
        out[name] = {"sparql": _median_ms(client, f"/sparql?{urlencode({'query': text})}",
                                          sparql, runs)}
    client.close()
    for name, row in out.items():
        raw_ms = (raw.get(name) or {}).get("median_ms")
        row["raw_oxigraph_ms"] = raw_ms
        for kind in ("api", "page", "sparql"):
            if kind in row and raw_ms and row[kind]["median_ms"]:
                row[kind]["speedup"] = round(raw_ms / row[kind]["median_ms"], 1)
    return out


_TEN = "\n".join(
    f"<urn:bench:write:{i}> <http://www.w3.org/2000/01/rdf-schema#label> \"note {i}\" ."
    for i in range(10))


def _write_ten(base: str, n: int) -> int:
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=300)
    graph = urlencode({"graph": f"urn:bench:write-{n}"})
    conn.request("PUT", f"/store?{graph}", body=_TEN.replace("write:", f"write{n}:").encode(),
                 headers={"Content-Type": "application/n-triples",
                          "Authorization": f"Bearer {peers.TOKEN}"})
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status not in (200, 201, 204):
        raise RuntimeError(f"write answered {response.status}")
    return int(response.getheader("X-CCGraph-Generation") or 0)


def after_write(base: str, deadline: float = 300) -> dict:
    """Each analytics call first after a 10-triple write of its own; then how long until
    the answer reflects the new generation (the rebuild runs off the request path)."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(base)
    out = {}
    for n, (path, params) in enumerate(list(workload.API_CALLS.items())[:2]):
        generation = _write_ten(base, n)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=deadline)
        full = f"{path}?{urlencode(params)}"
        started = time.perf_counter()
        conn.request("GET", full, headers={"Accept": "application/json"})
        response = conn.getresponse()
        response.read()
        first = time.perf_counter() - started
        reflected = int(response.getheader("X-CCGraph-Generation") or 0)
        at_once, current_after = reflected >= generation, None
        while reflected < generation and time.perf_counter() - started < deadline:
            time.sleep(0.2)
            conn.request("GET", full, headers={"Accept": "application/json"})
            response = conn.getresponse()
            response.read()
            reflected = int(response.getheader("X-CCGraph-Generation") or 0)
        if reflected >= generation:
            current_after = round(time.perf_counter() - started, 2)
        conn.close()
        out[path] = {"status": response.status, "first_s": round(first, 3),
                     "write_generation": generation,
                     "first_answer_reflected_write": at_once,
                     "current_after_s": current_after}
    return out


def validated_load(data: Path, work: Path, log: Path) -> dict:
    """`ccgraph load` with SHACL (the default) into a store holding the ontology and the
    reference data (what the synthetic data points to, as bench/load.py does), timed from
    outside; peak RSS of the loading process."""
    store = work / "validated"
    env = {**peers.os.environ, **peers.ccgraph_env(f"oxigraph:{store}")}
    reference = [ROOT / "ontology" / "ccgraph.ttl",
                 *sorted((ROOT / "data" / "reference").glob("*.ttl"))]
    with open(log, "ab") as out:
        subprocess.run([str(peers.BIN / "ccgraph"), "load", "--no-validate", "--quiet",
                        *map(str, reference)], stdout=out, stderr=out, env=env, check=True)
    command = ["/usr/bin/time", "-f", "%M", str(peers.BIN / "ccgraph"), "load", "--quiet",
               str(data)]
    # The machine may be shared: the load average says how far the figure is the loader's.
    load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    started = time.perf_counter()
    with open(log, "ab") as out:
        done = subprocess.run(command, stdout=out, stderr=subprocess.PIPE, env=env)
    seconds = time.perf_counter() - started
    lines = done.stderr.decode(errors="replace").strip().splitlines()
    peak_kib = int(lines[-1]) if lines and lines[-1].isdigit() else None
    return {"seconds": round(seconds, 2), "exit": done.returncode,
            "peak_rss_mb": peak_kib and round(peak_kib / 1024), "loadavg_before": load_before,
            "stderr": "\n".join(lines[:-1])[-500:] if done.returncode else ""}


# -- memory per component ---------------------------------------------------------------


def _component(pid: int) -> str | None:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return None
    if "store.workers" in cmd or "_serve(" in cmd:
        return "engines"
    if "ccgraph" in cmd or "granian" in cmd:
        return "web"
    return "other"


class ComponentWatch(threading.Thread):
    """Peak RSS per component of a ccgraph process tree (summed over its processes)."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peaks: dict[str, int] = {}
        self.marks: dict[str, dict[str, int]] = {}
        self._halt = threading.Event()
        self.start()

    def now(self) -> dict[str, int]:
        sums: dict[str, int] = {}
        for pid in peers.tree_pids(self.pid):
            name = _component(pid)
            if name:
                sums[name] = sums.get(name, 0) + peers._kib(f"/proc/{pid}/status", "VmRSS:")
        return sums

    def mark(self, label: str) -> None:
        self.marks[label] = {k: round(v / 1024) for k, v in self.now().items()}

    def run(self) -> None:
        while not self._halt.is_set():
            for name, kib in self.now().items():
                self.peaks[name] = max(self.peaks.get(name, 0), kib)
            self._halt.wait(self.interval)

    def stop(self) -> dict:
        self._halt.set()
        return {k: round(v / 1024) for k, v in self.peaks.items()}


def measure(label: str, triples: int, data: Path, work: Path, raw: dict, runs: int) -> dict:
    """Everything above for one size: a cached peer on ccgraph's store (already loaded)."""
    logs = work / "logs"
    peer = peers.start_ccgraph(None, f"oxigraph:{work / 'ccgraph'}", logs / "ccgraph-cached.log",
                               "ccgraph-cached", cache_mb=64)
    watch = ComponentWatch(peer.process.pid)
    out: dict = {}
    try:
        out["repeated"] = repeated(peer.base, raw, runs)
        watch.mark("before_analytics")
        workload.time_api(peer.base, 1, 300, 300)   # builds the projection
        watch.mark("after_analytics")
        out["after_write"] = after_write(peer.base)
        out["memory_mb"] = {"peak": watch.stop(), **watch.marks}
    finally:
        watch.stop()
        peer.stop()
    out["validated_load"] = validated_load(data, work, logs / "validated-load.log")
    seconds = out["validated_load"]["seconds"]
    out["validated_load"]["triples_per_second"] = round(triples / seconds) if seconds else None
    return out


# -- report ------------------------------------------------------------------------------


def _f(value) -> str:
    return "–" if value is None else f"{value:,}" if isinstance(value, int) else str(value)


def markdown(size: dict) -> list[str]:
    extra = size.get("issue19")
    if not extra:
        return []
    lines = ["", "| repeated read (answer cache on) | raw oxigraph-named ms | ccgraph cached ms "
             "| speedup | 304 ms |", "|---|---|---|---|---|"]
    for name, row in extra["repeated"].items():
        for kind in ("api", "page", "sparql"):
            if kind in row:
                t = row[kind]
                lines.append(f"| {name} ({kind}) | {_f(row['raw_oxigraph_ms'])} | "
                             f"{_f(t['median_ms'])} | {_f(t.get('speedup'))}x | "
                             f"{_f(t['revalidate_ms'])} ({_f(t['revalidate_status'])}) |")
    lines += ["", "| first call after a 10-triple write | seconds | status | reflected the "
              "write at once | reflects it after s |", "|---|---|---|---|---|"]
    for path, t in extra["after_write"].items():
        lines.append(f"| {path} | {t['first_s']} | {t['status']} | "
                     f"{t['first_answer_reflected_write']} | {_f(t['current_after_s'])} |")
    v = extra["validated_load"]
    lines += ["", f"Validated `ccgraph load` (SHACL, fresh store): {v['seconds']} s, "
              f"{_f(v.get('triples_per_second'))} triples/s, peak RSS {_f(v['peak_rss_mb'])} MB, "
              f"load average before {v.get('loadavg_before', '–')}"
              f"{', exit ' + str(v['exit']) if v['exit'] else ''}.", ""]
    mem = extra["memory_mb"]
    lines.append("Memory of the cached ccgraph peer (RSS MB, per component): peak "
                 + json.dumps(mem.get("peak")) + "; before the analytics projection "
                 + json.dumps(mem.get("before_analytics")) + "; after it "
                 + json.dumps(mem.get("after_analytics")) + ".")
    return lines


def targets(size: dict) -> list[str]:
    extra, label = size.get("issue19"), size["label"]
    if not extra:
        return []
    out = []
    speedups = {f"{n} ({k})": row[k].get("speedup") for n, row in extra["repeated"].items()
                for k in ("api", "page") if k in row}
    known = [v for v in speedups.values() if v is not None]
    ok = bool(known) and min(known) >= TARGET_REPEATED
    out.append(f"{label}: repeated named queries and their pages >= {TARGET_REPEATED:.0f}x "
               f"faster than raw Oxigraph: {'met' if ok else 'MISSED'} (lowest "
               f"{min(known) if known else None}x)")
    aw = extra["after_write"]
    for path, limit in (("/api/paths", TARGET_PATHS_S), ("/api/partners", TARGET_PARTNERS_S)):
        t = aw.get(path, {})
        met = t.get("status") == 200 and t.get("first_s") is not None and t["first_s"] < limit
        out.append(f"{label}: first {path} after a 10-triple write < {limit:.0f} s (issue: at "
                   f"10M): {'met' if met else 'MISSED'} ({t.get('first_s')} s; reflected the "
                   f"write after {t.get('current_after_s')} s)")
    v = extra["validated_load"]
    rate = v.get("triples_per_second")
    if label == "1m":
        met = v["exit"] == 0 and rate is not None and rate >= TARGET_VALIDATED
        out.append(f"1m: validated load >= {TARGET_VALIDATED:,} triples/s: "
                   f"{'met' if met else 'MISSED'} ({_f(rate)} triples/s)")
    else:
        out.append(f"{label}: validated load {_f(rate)} triples/s (target checked at 1m)")
    return out
