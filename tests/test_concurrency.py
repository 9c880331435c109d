"""Readers and a writer on the live service at once, for a full minute: no errors, and every
read sees one whole version of the graph (before or after a write, never in between), never
an older one than it saw before."""

from __future__ import annotations

import statistics
import threading
import time
from collections import Counter

import pytest
import requests

from servers import start_server, stop_server

pytestmark = pytest.mark.slow

EX = "http://example.org/concurrency/"
GRAPH = EX + "versions"
TRIPLES = 400
READERS = 8
SECONDS = 60.0
BY_VERSION = (f"SELECT ?v (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s <{EX}version> ?v }} }} "
              "GROUP BY ?v")


def version_body(version: int) -> bytes:
    return "".join(f'<{EX}s{i}> <{EX}version> "{version}" .\n' for i in range(TRIPLES)).encode()


def read_by_query(session: requests.Session, server) -> dict[int, int]:
    response = session.post(server.sparql, data={"query": BY_VERSION}, timeout=60)
    response.raise_for_status()
    return {int(b["v"]["value"]): int(b["n"]["value"])
            for b in response.json()["results"]["bindings"]}


def read_by_graph_store(session: requests.Session, server) -> dict[int, int]:
    response = session.get(server.store, params={"graph": GRAPH}, timeout=60,
                           headers={"Accept": "application/n-triples"})
    response.raise_for_status()
    seen = Counter(int(line.rsplit('"', 2)[1]) for line in response.text.splitlines() if line)
    return dict(seen)


def read_provenance(session: requests.Session, server) -> dict[int, int]:
    """The graph's triple count as its provenance records it (written in the same commit)."""
    response = session.get(server.url + "/api/graphs", timeout=60)
    response.raise_for_status()
    (info,) = [g for g in response.json()["graphs"] if g["graph"] == GRAPH]
    return {-1: info["triples"]}


READS = (read_by_query, read_by_graph_store, read_provenance)


@pytest.fixture
def live():
    server = start_server()
    response = requests.put(server.store, params={"graph": GRAPH}, data=version_body(0),
                            headers={**server.auth(), "Content-Type": "application/n-triples"},
                            timeout=60)
    assert response.status_code == 201, response.text
    yield server
    stop_server(server)


def test_eight_readers_and_a_writer_for_a_minute(live):
    stop = threading.Event()
    errors: list[str] = []
    latencies: list[float] = []
    seen_versions: set[int] = set()
    acknowledged: list[int] = [0]
    lock = threading.Lock()

    def reader(number: int) -> None:
        session, newest, turn = requests.Session(), 0, number
        while not stop.is_set():
            read = READS[turn % len(READS)]
            turn += 1
            started = time.monotonic()
            try:
                state = read(session, live)
            except Exception as exc:  # every failure is counted, none may happen
                with lock:
                    errors.append(f"reader {number} {read.__name__}: {exc!r}")
                continue
            with lock:
                latencies.append(time.monotonic() - started)
            if read is read_provenance:
                if state != {-1: TRIPLES}:
                    errors.append(f"reader {number}: provenance says {state}")
                continue
            if len(state) != 1 or next(iter(state.values())) != TRIPLES:
                errors.append(f"reader {number} {read.__name__}: mixed or partial {state}")
                continue
            (version,) = state
            if version < newest:
                errors.append(f"reader {number}: version {version} after {newest}")
            newest = max(newest, version)
            with lock:
                seen_versions.add(version)

    def writer() -> None:
        session, version = requests.Session(), 0
        while not stop.is_set():
            version += 1
            try:
                response = session.put(live.store, params={"graph": GRAPH}, timeout=120,
                                       data=version_body(version),
                                       headers={**live.auth(),
                                                "Content-Type": "application/n-triples"})
            except requests.RequestException as exc:
                errors.append(f"writer {version}: {exc!r}")
                continue
            if response.status_code != 204:
                errors.append(f"writer {version}: {response.status_code} {response.text[:200]}")
                continue
            acknowledged.append(version)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(READERS)]
    threads.append(threading.Thread(target=writer))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(SECONDS)
    stop.set()
    for thread in threads:
        thread.join(180)
    elapsed = time.monotonic() - started
    assert not any(thread.is_alive() for thread in threads)

    assert errors == [], errors[:10]
    assert len(acknowledged) > 10, acknowledged          # the writer really wrote
    assert len(seen_versions) > 5, seen_versions         # readers saw it change
    assert seen_versions <= set(acknowledged) | {acknowledged[-1] + 1}
    final = read_by_query(requests.Session(), live)
    assert final == {acknowledged[-1]: TRIPLES}
    assert live.alive()
    latencies.sort()
    print(f"\n{elapsed:.1f} s: {len(latencies)} reads ({len(latencies) / elapsed:.0f}/s), "
          f"p50 {statistics.median(latencies) * 1000:.0f} ms, "
          f"p99 {latencies[int(len(latencies) * 0.99)] * 1000:.0f} ms; "
          f"{len(acknowledged) - 1} writes; {len(seen_versions)} versions seen")
