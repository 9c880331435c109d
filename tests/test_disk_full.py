"""A full disk during a load: a clear one-line error, a non-zero exit, and the store as it
was before (every earlier load readable, the failed one absent, further writes possible).

The store lives on a 64 MB tmpfs mounted for the test (needs root, or it is skipped).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import requests
from rdflib import URIRef

from ccgraph.store import open_store
from servers import ROOT, start_server, stop_server

EX = "http://example.org/full/"
TRIPLES = 30_000


@pytest.fixture
def small_disk():
    mountpoint = Path(tempfile.mkdtemp(prefix="ccgraph-full-"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs",
                              str(mountpoint)], capture_output=True, text=True)
    if mounted.returncode != 0:
        mountpoint.rmdir()
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {mounted.stderr.strip()}")
    try:
        yield mountpoint
    finally:
        if subprocess.run(["umount", str(mountpoint)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mountpoint)], capture_output=True)
        mountpoint.rmdir()


def count(store, graph: str) -> int:
    rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                        values={"g": [URIRef(graph)]})
    return int(rows[0]["n"])


def load(store_dir: Path, path: Path, graph: str, *extra) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ccgraph.cli", "--store", f"oxigraph:{store_dir}",
                           "load", "--quiet", "--graph", graph, *extra, str(path)],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)


def test_load_until_the_disk_is_full(small_disk, tmp_path):
    data = tmp_path / "chunk.nt"  # off the small disk
    with open(data, "w") as handle:
        for i in range(TRIPLES):
            handle.write(f'<{EX}s{i}> <{EX}p{i % 7}> "value {i} with some padding" .\n')
    store_dir = small_disk / "store"
    loaded, failure = [], None
    for attempt in range(40):
        graph = f"{EX}g{attempt}"
        result = load(store_dir, data, graph, "--no-validate")
        if result.returncode != 0:
            failure = result
            break
        loaded.append(graph)
    assert failure is not None, "the 64 MB disk never filled"
    assert failure.returncode == 1
    assert "No space left on device" in failure.stderr
    assert "Traceback" not in failure.stderr
    assert len(failure.stderr.strip().splitlines()) == 1, failure.stderr
    assert loaded, "the first load already failed: the test proves nothing about intact data"

    with open_store(f"oxigraph:{store_dir}") as store:  # reopens, rolling back if needed
        names = store.graph_names()
        assert f"{EX}g{len(loaded)}" not in names
        for graph in loaded:
            assert count(store, graph) == TRIPLES, graph
    # a small validated load still fits, and a server starts on the store and reads it
    small = tmp_path / "small.ttl"
    small.write_text(f'<{EX}a> <{EX}b> "after the disk filled" .\n')
    result = load(store_dir, small, EX + "after")
    assert result.returncode == 0, result.stderr
    server = start_server(f"oxigraph:{store_dir}")
    try:
        response = requests.post(server.sparql, timeout=60, data={
            "query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{loaded[0]}> {{ ?s ?p ?o }} }}"})
        assert response.json()["results"]["bindings"][0]["n"]["value"] == str(TRIPLES)
    finally:
        stop_server(server)
    print(f"\n{len(loaded)} loads of {TRIPLES} triples fitted; then: {failure.stderr.strip()}")
