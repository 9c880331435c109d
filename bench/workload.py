"""The query mix, and how it is timed over HTTP: the same text for every peer.

Each query is sent by GET (`?query=`) asking for SPARQL JSON results, over a
kept-alive connection (http.client, so the client adds little of its own time).
"""

from __future__ import annotations

import http.client
import json
import random
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

PREFIXES = """PREFIX ccg: <https://w3id.org/ccgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
ID = "https://w3id.org/ccgraph/id/"
NUTS = "http://data.europa.eu/nuts/code/"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"


def point_query(cluster: int) -> str:
    return f"SELECT ?p ?o WHERE {{ <{ID}cluster/synthetic-{cluster}> ?p ?o }}"


# Query classes: each small in its answer, so the engines' work is what is measured.
QUERIES = {
    "point lookup": point_query(7),
    "3-way join": PREFIXES + f"""SELECT ?project ?cluster ?org WHERE {{
  ?project ccg:partner ?cluster .
  ?cluster ccg:country <{COUNTRY}CZE> .
  ?cluster ccg:hasMember ?org .
}}""",
    "GROUP BY aggregation": PREFIXES + """SELECT ?region (COUNT(?org) AS ?n) WHERE {
  ?org a ccg:Organisation ; ccg:locatedIn ?region .
} GROUP BY ?region ORDER BY DESC(?n) ?region""",
    "OPTIONAL + FILTER": PREFIXES + """SELECT ?cluster ?label WHERE {
  ?cluster a ccg:Cluster ; rdfs:label ?label .
  OPTIONAL { ?cluster ccg:holdsLabel ?quality }
  FILTER (!BOUND(?quality) && CONTAINS(?label, "Mobility") && CONTAINS(?label, "Praha"))
}""",
    "property path *": PREFIXES + """SELECT ?area (COUNT(?cluster) AS ?n) WHERE {
  ?cluster a ccg:Cluster ; ccg:locatedIn/skos:broader* ?area .
} GROUP BY ?area""",
    "cross-border pairs LIMIT 1000": PREFIXES + """SELECT ?a ?b WHERE {
  ?a a ccg:Cluster ; ccg:locatedIn ?ra ; ccg:country ?ca .
  ?ra ccg:adjacentTo ?rb .
  ?b a ccg:Cluster ; ccg:locatedIn ?rb ; ccg:country ?cb .
  FILTER (?ca != ?cb)
} LIMIT 1000""",
}

# Named policy queries (queries/*.rq) with fixed parameter values.
NAMED = {
    "clusters-in-emerging-industry": {"industry": f"{ID}industry/synthetic-mobility",
                                      "country": f"{COUNTRY}CZE"},
    "instruments-for-two-regions": {"regionA": f"{NUTS}HU22", "regionB": f"{NUTS}SK02"},
    "projects-by-programme": {"programme": f"{ID}programme/synthetic-1"},
    "project-partners-by-country": {"project": f"{ID}project/synthetic-1"},
}
JOIN_HEAVY = ("3-way join", "cross-border pairs LIMIT 1000", "named: instruments-for-two-regions",
              "named: clusters-in-emerging-industry")


def named_texts() -> dict[str, str]:
    """Named queries with their parameters bound by a VALUES block inside WHERE (as
    ccgraph's remote mode sends them), so every peer gets the same plain SPARQL."""
    from ccgraph.queries import QueryRegistry
    from ccgraph.sparql_text import inject_values
    from ccgraph.store.base import bindings_block, encode_bindings

    registry = QueryRegistry(ROOT / "queries")
    out = {}
    for name, raw in NAMED.items():
        query = registry.get(name)
        block = bindings_block(encode_bindings(query.bindings(raw)))
        out[f"named: {name}"] = inject_values(query.text, block)
    return out


def query_mix() -> dict[str, str]:
    return {**QUERIES, **named_texts()}


# -- one connection, one request ------------------------------------------------------------


class Client:
    """A kept-alive HTTP/1.1 connection to one endpoint."""

    def __init__(self, url: str, timeout: float) -> None:
        parts = urlsplit(url)
        self.host, self.port, self.path = parts.hostname, parts.port, parts.path or "/"
        self.timeout = timeout
        self.conn = None

    def get(self, path: str, headers: dict) -> tuple[int, bytes]:
        for attempt in (1, 2):  # a kept-alive connection the server closed is reopened once
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.conn.request("GET", path, headers=headers)
                response = self.conn.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, ConnectionError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def query(self, text: str) -> tuple[int, bytes]:
        path = f"{self.path}?{urlencode({'query': text})}"
        return self.get(path, {"Accept": "application/sparql-results+json"})

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def rows_of(body: bytes) -> int | None:
    try:
        return len(json.loads(body)["results"]["bindings"])
    except (ValueError, KeyError, TypeError):
        return None


@dataclass
class Timing:
    median_ms: float | None
    runs: int
    rows: int | None
    error: str | None = None

    def to_dict(self) -> dict:
        return {"median_ms": self.median_ms, "runs": self.runs, "rows": self.rows,
                "error": self.error}


class Series:
    """Timed runs of one query on one peer, after a warm-up."""

    def __init__(self, client: Client, text: str) -> None:
        self.client, self.text = client, text
        self.samples: list[float] = []
        self.rows: int | None = None
        self.error: str | None = None
        self.spent = 0.0

    def run_once(self, warmup: bool = False, retry: bool = True) -> None:
        if self.error:
            return
        started = time.perf_counter()
        try:
            status, body = self.client.query(self.text)
        except (TimeoutError, OSError) as exc:
            self.client.close()
            self.error = f"no answer within {self.client.timeout:.0f} s ({exc})"
            return
        took = time.perf_counter() - started
        self.spent += took
        if status >= 500 and retry:  # a transient fault (seen: EAGAIN) gets one more try
            time.sleep(1)
            self.run_once(warmup, retry=False)
        elif status != 200:
            self.error = f"HTTP {status}: {body[:200].decode(errors='replace')}"
        elif warmup:
            self.rows = rows_of(body)
        else:
            self.samples.append(took * 1000)

    def timing(self) -> Timing:
        median = round(statistics.median(self.samples), 2) if self.samples else None
        return Timing(median, len(self.samples), self.rows, self.error)


def time_interleaved(clients: dict[str, Client], text: str, runs: int, budget: float,
                     extra_seconds: float = 2.0, most: int = 25) -> dict[str, Timing]:
    """Warm up every peer, then time them in turns, so that a change in the machine's
    load (other processes) falls on all peers alike. At least `runs` runs each (fewer
    only past `budget` seconds); more, up to `most`, while a round takes little time."""
    series = {name: Series(client, text) for name, client in clients.items()}
    for s in series.values():
        s.run_once(warmup=True)
    done = 0
    while done < most:
        live = [s for s in series.values() if not s.error]
        if not live:
            break
        if done >= runs and max(s.spent for s in live) > extra_seconds:
            break
        if done >= 1 and any(s.spent > budget for s in live):
            break
        for s in live:
            s.run_once()
        done += 1
    return {name: s.timing() for name, s in series.items()}


def time_query(client: Client, text: str, runs: int, budget: float) -> Timing:
    return time_interleaved({"one": client}, text, runs, budget, extra_seconds=0)["one"]


# -- throughput ---------------------------------------------------------------------------


def throughput(url: str, clients: int, seconds: float, clusters: int) -> dict:
    """Point lookups of random clusters from `clients` threads for `seconds`."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker(seed: int) -> None:
        rng, client, mine = random.Random(seed), Client(url, 30), []
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                status, _ = client.query(point_query(rng.randint(1, clusters)))
            except (TimeoutError, OSError):
                status = 0
            if status == 200:
                mine.append(time.perf_counter() - started)
            else:
                with lock:
                    errors[0] += 1
        client.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000 if latencies else None
    p99 = latencies[int(len(latencies) * 0.99)] * 1000 if latencies else None
    return {"requests_per_second": round(len(latencies) / elapsed, 1),
            "p50_ms": p50 and round(p50, 2), "p99_ms": p99 and round(p99, 2),
            "errors": errors[0], "clients": clients, "seconds": round(elapsed, 1)}


# -- the complementarity API (ccgraph only) -------------------------------------------------

API_CALLS = {
    "/api/paths": {"from": f"{ID}cluster/synthetic-1", "to": f"{ID}cluster/synthetic-2"},
    "/api/partners": {"cluster": f"{ID}cluster/synthetic-1"},
    "/api/instruments": {"a": f"{ID}cluster/synthetic-1", "b": f"{ID}cluster/synthetic-2"},
}


def time_api(base: str, runs: int, budget: float, timeout: float) -> dict:
    client, out = Client(base, timeout), {}
    for path, params in API_CALLS.items():
        full = f"{path}?{urlencode(params)}"
        samples, status, spent, first = [], None, 0.0, None
        try:
            for i in range(runs + 1):
                started = time.perf_counter()
                status, body = client.get(full, {"Accept": "application/json"})
                took = time.perf_counter() - started
                spent += took
                if status != 200:
                    break
                if i:  # the first call is the warm-up (the analytics graph is built then)
                    samples.append(took * 1000)
                else:
                    first = round(took * 1000, 1)
                if spent > budget:
                    break
        except (TimeoutError, OSError) as exc:
            out[path] = {"median_ms": None, "error": f"no answer ({exc})"}
            client.close()
            continue
        out[path] = {"median_ms": round(statistics.median(samples), 2) if samples else None,
                     "runs": len(samples), "status": status, "first_ms": first,
                     "error": None if status == 200 else body[:200].decode(errors="replace")}
    client.close()
    return out
