"""Crash safety: a load SIGKILLed at any moment is entirely present or entirely absent."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from ccgraph.store import open_store

BIG = "http://example.org/big"
EARLIER = "http://example.org/earlier"


def write_ntriples(path, count: int) -> None:
    with open(path, "w") as handle:
        for i in range(count):
            handle.write(f"<http://e/s{i}> <http://e/p{i % 7}> \"value {i}\" .\n")


def graph_size(store, graph: str) -> int:
    rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                        values={"g": [__import__("rdflib").URIRef(graph)]})
    return int(rows[0]["n"])


def load_command(store_dir, path, *extra) -> list[str]:
    return [sys.executable, "-m", "ccgraph.cli", "--store", f"oxigraph:{store_dir}", "load",
            "--quiet", "--graph", BIG, *extra, str(path)]


def prepared_store(directory) -> None:
    with open_store(f"oxigraph:{directory}") as store:
        store.update(f'INSERT DATA {{ GRAPH <{EARLIER}> {{ <http://e/a> <http://e/p> "x" }} }}')


def timed_load(tmp_path, path, extra) -> float:
    directory = tmp_path / "timing"
    prepared_store(directory)
    started = time.perf_counter()
    subprocess.run(load_command(directory, path, *extra), check=True, timeout=300)
    return time.perf_counter() - started


@pytest.mark.parametrize("triples,extra,trials", [
    (400_000, ("--no-validate",), 6),   # Oxigraph's bulk loader under the journal
    (30_000, ("--validate",), 3),       # parsed, validated, then written
])
def test_sigkill_during_load_leaves_all_or_nothing(tmp_path, triples, extra, trials):
    path = tmp_path / "big.nt"
    write_ntriples(path, triples)
    duration = timed_load(tmp_path, path, extra)
    rng = random.Random(7)
    outcomes = []
    for trial in range(trials):
        directory = tmp_path / f"trial-{trial}"
        prepared_store(directory)
        process = subprocess.Popen(load_command(directory, path, *extra))
        time.sleep(duration * rng.uniform(0.2, 0.95))
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        with open_store(f"oxigraph:{directory}") as store:  # opens, recovering if needed
            size = graph_size(store, BIG)
            assert size in (0, triples), f"trial {trial}: partial graph of {size} triples"
            assert graph_size(store, EARLIER) == 1
            outcomes.append(size)
            store.update(f'INSERT DATA {{ GRAPH <{EARLIER}> {{ <http://e/b> <http://e/p> "y" }} }}')
            assert graph_size(store, EARLIER) == 2
    # the kills must have landed mid-load at least once, or the test proves nothing
    assert 0 in outcomes, outcomes
