"""Crash safety of the service: the whole server (web workers and their engine processes) is
SIGKILLed while it writes. Every acknowledged write survives, an unacknowledged one is
entirely present or entirely absent, and the store reopens, in this process and under a new
server. A second process holding the write lock gets a clear answer, not a hang.

The CLI loader under SIGKILL is covered by test_crash.py; this is the service's write paths:
a validated graph store PUT (journalled) and a SPARQL update (Oxigraph's transaction).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest
import requests
from rdflib import Literal, URIRef

from ccgraph.store import open_store
from ccgraph.store.base import GraphWrite
from servers import LiveServer, start_server, stop_server

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

EX = "http://example.org/crash/"
TARGET = EX + "target"          # replaced by every PUT trial
SOURCE = EX + "source"          # copied by every update trial
PUT_TRIPLES = 10_000            # validated uploads: 3,000-7,000 triples/s (SHACL)
COPY_TRIPLES = 30_000            # a transactional update copies 9,000-30,000 triples/s
TRIALS = 20
SERVER_ENV = {"CCGRAPH_QUERY_WORKERS": "1", "CCGRAPH_UPDATE_TIMEOUT": "120",
              "CCGRAPH_MAX_UPLOAD_BYTES": str(50 * 1024 * 1024)}


def version_body(version: int) -> bytes:
    return "".join(f'<{EX}s{i}> <{EX}version> "{version}" .\n'
                   for i in range(PUT_TRIPLES)).encode()


def versions(store, graph: str) -> dict[str, int]:
    rows = store.select("SELECT ?v (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?v } } GROUP BY ?v",
                        values={"g": [URIRef(graph)]})
    return {str(r["v"]): int(r["n"]) for r in rows}


def size(store, graph: str) -> int:
    rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                        values={"g": [URIRef(graph)]})
    return int(rows[0]["n"])


def prepare(root) -> None:
    """Version 0 of the target and the copy source, written directly (no validation)."""
    def quads(graph: str, count: int, value) -> list:
        return [(URIRef(f"{EX}s{i}"), URIRef(f"{EX}version"), Literal(value(i)))
                for i in range(count)]

    with open_store(f"oxigraph:{root}") as store:
        store.write([GraphWrite(TARGET, quads(TARGET, PUT_TRIPLES, lambda i: "0")),
                     GraphWrite(SOURCE, quads(SOURCE, COPY_TRIPLES, str))])


def kill_group(server: LiveServer) -> None:
    os.killpg(server.process.pid, signal.SIGKILL)
    server.process.wait(10)
    stop_server(server)  # removes its work directory; the processes are gone already


class Attempt(threading.Thread):
    """One request in the background; `status` is None unless an answer arrived."""

    def __init__(self, method: str, url: str, **kwargs) -> None:
        super().__init__(daemon=True)
        self.args, self.kwargs, self.status, self.finished = (method, url), kwargs, None, None

    def run(self) -> None:
        try:
            response = requests.request(*self.args, timeout=300, **self.kwargs)
            self.status, self.finished = response.status_code, time.monotonic()
        except requests.RequestException:
            pass


def wait_for(path, timeout: float) -> float | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            return time.monotonic()
        time.sleep(0.002)
    return None


def acknowledged_small_write(server: LiveServer, graph: str) -> None:
    response = requests.put(server.store, params={"graph": graph}, timeout=120,
                            data=f'<{EX}a> <{EX}b> "{graph}" .'.encode(),
                            headers={**server.auth(), "Content-Type": "application/n-triples"})
    assert response.status_code == 201, response.text


def calibrate_put(server: LiveServer, root, version: int) -> tuple[float, float]:
    """Time of a whole PUT, and of its journalled write phase (journal file to answer)."""
    attempt = Attempt("put", server.store, params={"graph": TARGET}, data=version_body(version),
                      headers={**server.auth(), "Content-Type": "application/n-triples"})
    started = time.monotonic()
    attempt.start()
    journal_seen = wait_for(root / "journal", 120)
    attempt.join()
    assert attempt.status == 204 and journal_seen is not None
    return attempt.finished - started, attempt.finished - journal_seen


def test_sigkill_during_graph_store_put(tmp_path):
    root = tmp_path / "store"
    prepare(root)
    rng = random.Random(20261126)
    server = start_server(f"oxigraph:{root}", env=SERVER_ENV)
    whole, write_phase = calibrate_put(server, root, version=1)
    current_version, acknowledged_graphs, outcomes = 1, [], []
    for trial in range(TRIALS):
        if trial:
            server = start_server(f"oxigraph:{root}", env=SERVER_ENV)  # reopens after a kill
        acknowledged_graphs.append(f"{EX}ack{trial}")
        acknowledged_small_write(server, acknowledged_graphs[-1])
        version = trial + 2
        attempt = Attempt("put", server.store, params={"graph": TARGET},
                          data=version_body(version),
                          headers={**server.auth(), "Content-Type": "application/n-triples"})
        started = time.monotonic()
        attempt.start()
        journal_seen = None
        if trial % 3 == 0:  # anywhere: upload, parse, validation or write
            time.sleep(rng.uniform(0, whole * 1.1))
        else:  # inside the journalled write (the interesting part)
            journal_seen = wait_for(root / "journal", whole * 3)
            time.sleep(rng.uniform(0, write_phase * 0.9))
        killed_at = time.monotonic() - started
        kill_group(server)
        attempt.join(30)
        if attempt.status == 204 and journal_seen:  # follow the machine's current pace
            write_phase = (write_phase + attempt.finished - journal_seen) / 2
        with open_store(f"oxigraph:{root}") as store:  # recovers a journalled write
            seen = versions(store, TARGET)
            assert len(seen) == 1 and list(seen.values()) == [PUT_TRIPLES], (trial, seen)
            (stored,) = seen
            allowed = {str(version)} if attempt.status == 204 else \
                {str(current_version), str(version)}
            assert stored in allowed, (trial, stored, attempt.status, killed_at)
            for graph in acknowledged_graphs:
                assert size(store, graph) == 1, (trial, graph)
        if stored == str(version):
            current_version = version
        outcomes.append((round(killed_at, 2), attempt.status, stored == str(version)))
    final = start_server(f"oxigraph:{root}", env=SERVER_ENV)
    try:
        assert requests.get(final.url + "/api/health", timeout=30).status_code == 200
        acknowledged_small_write(final, EX + "after")
    finally:
        stop_server(final)
    # The kills must have landed both before and after the commit, or this proves little.
    assert any(new for *_, new in outcomes) and not all(new for *_, new in outcomes), outcomes
    print(f"\nPUT {PUT_TRIPLES} triples: {whole:.2f} s, write phase {write_phase:.2f} s; "
          f"(kill s, status, new version kept): {outcomes}")


def test_sigkill_during_large_sparql_update(tmp_path):
    root = tmp_path / "store"
    prepare(root)
    rng = random.Random(7)
    server = start_server(f"oxigraph:{root}", env=SERVER_ENV)
    copy = ("INSERT {{ GRAPH <{target}> {{ ?s ?p ?o }} }} "
            "WHERE {{ GRAPH <{source}> {{ ?s ?p ?o }} }}")

    def update(target: str) -> Attempt:
        return Attempt("post", server.sparql, headers={
            **server.auth(), "Content-Type": "application/sparql-update"},
            data=copy.format(target=target, source=SOURCE).encode())

    calibration = update(EX + "copy-calibration")
    started = time.monotonic()
    calibration.start()
    calibration.join()
    assert calibration.status == 200
    whole = calibration.finished - started
    acknowledged, outcomes = [EX + "copy-calibration"], []
    for trial in range(TRIALS):
        if trial:
            server = start_server(f"oxigraph:{root}", env=SERVER_ENV)
        target = f"{EX}copy{trial}"
        attempt = update(target)
        started = time.monotonic()
        attempt.start()
        time.sleep(rng.uniform(0.1, whole * 1.8))  # a fresh server is slower
        kill_group(server)
        attempt.join(30)
        with open_store(f"oxigraph:{root}") as store:
            copied = size(store, target)
            assert copied in (0, COPY_TRIPLES), (trial, copied)
            if attempt.status == 200:
                assert copied == COPY_TRIPLES, trial
                acknowledged.append(target)
            for graph in acknowledged:
                assert size(store, graph) == COPY_TRIPLES, (trial, graph)
        outcomes.append((attempt.status, copied))
    assert {copied for _, copied in outcomes} == {0, COPY_TRIPLES}, outcomes
    print(f"\nupdate copying {COPY_TRIPLES} triples: {whole:.2f} s; outcomes {outcomes}")


def test_write_lock_held_by_another_process_is_a_clear_503(tmp_path):
    root = tmp_path / "store"
    prepare(root)
    server = start_server(f"oxigraph:{root}", env={**SERVER_ENV, "CCGRAPH_UPDATE_TIMEOUT": "4"})
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from ccgraph.store.layout import StoreDir
        with StoreDir({str(root)!r}).writer():
            print("locked", flush=True)
            time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        response = requests.put(server.store, params={"graph": EX + "blocked"}, timeout=60,
                                data=f"<{EX}a> <{EX}b> <{EX}c> .".encode(),
                                headers={**server.auth(), "Content-Type": "text/turtle"})
        seconds = time.monotonic() - started
        assert response.status_code == 503, response.text
        error = response.json()["error"]
        assert error["code"] == "store_locked"
        assert f"pid {holder.pid}" in error["message"]
        assert seconds < 4
        # readers are not blocked by the lock
        read = requests.post(server.sparql, timeout=30, data={
            "query": f"ASK {{ GRAPH <{TARGET}> {{ ?s ?p ?o }} }}"})
        assert read.status_code == 200 and read.json()["boolean"] is True
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    try:
        acknowledged_small_write(server, EX + "after-lock")
    finally:
        stop_server(server)
