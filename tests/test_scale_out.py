"""Scale-out: several web workers sharing one store, and remote mode over `oxigraph serve`.

`ccgraph serve --workers 3` runs three web worker processes, each with its own engine
pool, on one embedded store: writes are serialised by the store's lock, readers
use the newest published snapshot. See docs/scale-out.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from servers import TOKEN, start_oxigraph, start_server, stop_oxigraph, stop_server

WORKERS = 3
JSON = {"Accept": "application/sparql-results+json"}
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def scaled():
    live = start_server(workers=WORKERS)
    yield live
    stop_server(live)


def _update(server, text: str) -> requests.Response:
    # A fresh connection per request: the kernel hands new connections to any worker.
    return requests.post(server.sparql, data={"update": text},
                         headers={**AUTH, "Connection": "close"}, timeout=60)


def _select(server, text: str) -> list[dict]:
    response = requests.get(server.sparql, params={"query": text},
                            headers={**JSON, "Connection": "close"}, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"]


def _count(server, graph: str) -> int:
    rows = _select(server, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(rows[0]["n"]["value"])


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2:].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def _workers(server) -> list[int]:
    """The web workers: children of the server process (under the `timeout` wrapper)."""
    (master,) = _children(server.process.pid)
    return _children(master)


def test_serves_with_several_workers(scaled):
    assert len(_workers(scaled)) == WORKERS


def test_concurrent_writes_from_many_clients_all_land(scaled):
    graph, clients, each = "urn:test:scale:concurrent", 12, 5

    def client(i: int) -> list[int]:
        return [_update(scaled, f'INSERT DATA {{ GRAPH <{graph}> {{ <urn:c{i}> <urn:n> {k} }} }}')
                .status_code for k in range(each)]

    with ThreadPoolExecutor(clients) as pool:
        statuses = [s for result in pool.map(client, range(clients)) for s in result]
    assert statuses == [200] * (clients * each)
    assert _count(scaled, graph) == clients * each


def test_every_worker_opens_its_own_engines(scaled):
    # Fresh connections spread over the workers; each opens its store (and engine
    # processes) on its first request.
    with ThreadPoolExecutor(8) as pool:
        for _round in range(25):
            list(pool.map(lambda _: _count(scaled, "urn:test:none"), range(8)))
            if all(_children(w) for w in _workers(scaled)):
                break
    assert [bool(_children(w)) for w in _workers(scaled)] == [True] * WORKERS


def test_a_write_is_seen_by_every_later_read_whichever_worker_answers(scaled):
    graph = "urn:test:scale:visible"
    for k in range(8):
        response = _update(scaled, f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:s> <urn:k> {k} }} }}")
        assert response.status_code == 200, response.text
        generation = int(response.headers["X-CCGraph-Generation"])
        with ThreadPoolExecutor(6) as pool:
            counts = list(pool.map(lambda _: _count(scaled, graph), range(12)))
        assert counts == [k + 1] * 12
        health = requests.get(scaled.url + "/api/health", headers={"Connection": "close"},
                              timeout=30).json()
        assert health["generation"] >= generation


def test_readers_never_go_back_in_time_while_writers_write(scaled):
    graph, stop = "urn:test:scale:monotonic", time.monotonic() + 6

    def writer(i: int) -> int:
        n = 0
        while time.monotonic() < stop:
            assert _update(scaled, f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:w{i}> <urn:n> {n} }} }}"
                           ).status_code == 200
            n += 1
        return n

    def reader(_: int) -> list[int]:
        seen = []
        while time.monotonic() < stop:
            seen.append(_count(scaled, graph))
        return seen

    with ThreadPoolExecutor(8) as pool:
        writes = [pool.submit(writer, i) for i in range(3)]
        reads = [pool.submit(reader, i) for i in range(5)]
        written = sum(f.result() for f in writes)
        for f in reads:
            seen = f.result()
            assert seen == sorted(seen)
    assert _count(scaled, graph) == written


def test_no_server_errors_logged(scaled):
    log = scaled.log()
    assert "Traceback" not in log
    assert '" 500 ' not in log


# -- remote mode over a real `oxigraph serve` ------------------------------------------------


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    """Our own `oxigraph serve` (not the session one: these tests write to it)."""
    url, process = start_oxigraph(tmp_path_factory.mktemp("oxigraph-scale-out"), lifetime=900)
    yield url
    stop_oxigraph(process)


@pytest.fixture(scope="module")
def remote(oxigraph, tmp_path_factory):
    """ccgraph in remote mode: exactly the settings docs/scale-out.md gives."""
    store = f"sparql:{oxigraph}/query update={oxigraph}/update"
    data = tmp_path_factory.mktemp("remote-data") / "population.ttl"
    env = {**os.environ, "CCGRAPH_STORE": store}
    subprocess.run([sys.executable, "-m", "ccgraph.cli", "synth", "--clusters", "20",
                    "--seed", "3", "--with-reference", "--out", str(data)], check=True, env=env)
    loaded = subprocess.run([sys.executable, "-m", "ccgraph.cli", "load", "--no-validate",
                             "--graph", "urn:test:population", str(data)],
                            capture_output=True, text=True, env=env, timeout=300)
    assert loaded.returncode == 0, loaded.stderr
    live = start_server(store, workers=2)
    live.loaded = loaded.stdout
    yield live
    stop_server(live)


def _direct_count(oxigraph: str, graph: str) -> int:
    response = requests.get(oxigraph + "/query", headers=JSON, timeout=30, params={
        "query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"})
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_remote_oxigraph_load_lands_in_the_remote_store(remote, oxigraph):
    assert "into <urn:test:population>" in remote.loaded
    triples = _direct_count(oxigraph, "urn:test:population")
    assert triples > 1000
    assert _count(remote, "urn:test:population") == triples


def test_remote_oxigraph_query(remote):
    rows = _select(remote, """PREFIX ccg: <https://w3id.org/ccgraph/ontology#>
        SELECT ?c WHERE { ?c a ccg:Cluster } ORDER BY ?c""")  # union default graph
    assert len(rows) == 20
    response = requests.post(remote.sparql, data="ASK { ?s ?p ?o }", timeout=30, headers={
        **JSON, "Content-Type": "application/sparql-query"})
    assert response.json()["boolean"] is True


def test_remote_oxigraph_update_goes_to_the_store_and_bumps_the_generation(remote, oxigraph):
    before = requests.get(remote.url + "/api/health", timeout=30).json()["generation"]
    response = _update(remote, 'INSERT DATA { GRAPH <urn:test:upd> { <urn:a> <urn:b> "c" } }')
    assert response.status_code == 200, response.text
    assert int(response.headers["X-CCGraph-Generation"]) == before + 1
    assert _direct_count(oxigraph, "urn:test:upd") == 1
    assert requests.post(remote.sparql, data={"update": "CLEAR ALL"}, timeout=30).status_code \
        in (401, 403)


def test_remote_oxigraph_graph_store(remote, oxigraph):
    graph = "urn:test:gsp"
    url = f"{remote.store}?graph={graph}"
    body = b'<urn:x> <http://www.w3.org/2000/01/rdf-schema#label> "x"@en .\n'
    put = requests.put(url, data=body, timeout=60, headers={
        **AUTH, "Content-Type": "application/n-triples"})
    assert put.status_code == 201, put.text
    got = requests.get(url, headers={"Accept": "application/n-triples"}, timeout=30)
    assert got.status_code == 200
    assert '"x"@en' in got.text
    assert _direct_count(oxigraph, graph) == 1
    assert requests.delete(url, headers=AUTH, timeout=30).status_code == 204
    assert requests.get(url, timeout=30).status_code == 404
    assert _direct_count(oxigraph, graph) == 0


def test_remote_oxigraph_json_api(remote):
    health = requests.get(remote.url + "/api/health", timeout=30).json()
    assert health["status"] == "ok"
    graphs = requests.get(remote.url + "/api/graphs", timeout=30).json()["graphs"]
    population = [g for g in graphs if g["graph"] == "urn:test:population"]
    assert population and population[0]["triples"] > 1000
    names = {q["name"] for q in requests.get(remote.url + "/api/queries", timeout=30)
             .json()["queries"]}
    assert "clusters-in-emerging-industry" in names
    result = requests.get(remote.url + "/api/queries/clusters-in-emerging-industry/results",
                          timeout=60)
    assert result.status_code == 200, result.text
    assert result.json()["rows"]
