"""The embedded store: persistence, one writer at a time, snapshot reads, union semantics."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading

import pytest
from rdflib import Literal, URIRef

from ccgraph.errors import BadRequest, StoreLocked
from ccgraph.store import layout, open_store
from ccgraph.store.base import GraphWrite
from ccgraph.store.layout import StoreDir


def run_python(code: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=timeout)


def test_data_persists_across_processes(tmp_path):
    url = f"oxigraph:{tmp_path / 'store'}"
    writer = run_python(f"""
        from ccgraph.store import open_store
        with open_store({url!r}) as store:
            store.update('INSERT DATA {{ GRAPH <http://g> {{ <http://a> <http://b> "kept" }} }}')
    """)
    assert writer.returncode == 0, writer.stderr
    with open_store(url) as store:
        assert [str(r["o"]) for r in store.select("SELECT ?o { ?s ?p ?o }")] == ["kept"]


def test_second_writer_gets_a_clear_error_not_a_hang(tmp_path):
    directory = StoreDir(tmp_path / "store")
    with open_store(f"oxigraph:{directory.root}"):
        pass
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from ccgraph.store.layout import StoreDir
        with StoreDir({str(directory.root)!r}).writer():
            print("locked", flush=True)
            time.sleep(30)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        store = open_store(f"oxigraph:{directory.root}")
        store.lock_wait = 0.5
        with pytest.raises(StoreLocked, match=f"pid {holder.pid}"):
            store.update("INSERT DATA { <http://a> <http://b> 1 }")
        # readers are not blocked by a writer
        assert store.select("SELECT * { ?s ?p ?o }") == []
        store.close()
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


def test_readers_see_a_write_entirely_or_not_at_all(store):
    graph = "http://example.org/big"
    quads_per_write = 20_000

    def quads(version: int):
        return [(URIRef(f"http://e/{i}"), URIRef("http://e/v"), Literal(str(version)))
                for i in range(quads_per_write)]

    store.write([GraphWrite(graph, quads(0))])
    seen: list[tuple] = []
    stop = threading.Event()

    def read():
        while not stop.is_set():
            rows = store.select("SELECT ?v (COUNT(*) AS ?n) WHERE { ?s <http://e/v> ?v } "
                                "GROUP BY ?v")
            seen.append(tuple(sorted((str(r["v"]), int(r["n"])) for r in rows)))

    reader = threading.Thread(target=read)
    reader.start()
    for version in range(1, 6):
        store.write([GraphWrite(graph, quads(version))])
    stop.set()
    reader.join()
    assert seen
    assert all(len(state) == 1 and state[0][1] == quads_per_write for state in seen), seen[:5]


def test_union_default_graph_and_plain_semantics(tmp_path):
    url = f"oxigraph:{tmp_path / 'store'}"
    with open_store(url) as store:
        store.update("INSERT DATA { GRAPH <http://g1> { <http://a> <http://p> 1 } "
                     "GRAPH <http://g2> { <http://a> <http://p> 2 } <http://a> <http://p> 0 }")
        union = sorted(int(r["o"]) for r in store.select("SELECT ?o { ?s ?p ?o }"))
        plain = [int(r["o"]) for r in store.select("SELECT ?o { ?s ?p ?o }",
                                                   union_default=False)]
    assert union == [1, 2]  # the merge of the named graphs (Fuseki's unionDefaultGraph)
    assert plain == [0]


def test_the_union_default_graph_is_a_merge_kept_through_writes(tmp_path):
    url = f"oxigraph:{tmp_path / 'store'}"
    total = "SELECT (COUNT(*) AS ?n) (SUM(?o) AS ?sum) WHERE { ?s ?p ?o }"
    with open_store(url) as store:
        store.update("INSERT DATA { GRAPH <http://g1> { <http://a> <http://p> 5 } "
                     "GRAPH <http://g2> { <http://a> <http://p> 5 } "
                     "GRAPH <http://g3> { <http://a> <http://p> 5 . <http://b> <http://p> 1 } }")
        row = store.select(total, client=True)[0]
        assert (int(row["n"]), int(row["sum"])) == (2, 6)  # each triple once
        store.update("DROP GRAPH <http://g1> ; DELETE DATA { GRAPH <http://g2> "
                     "{ <http://a> <http://p> 5 } }")
        assert int(store.select(total, client=True)[0]["n"]) == 2  # g3 still states both
        store.write([GraphWrite("http://g3", [])])  # replaced by an empty graph
        assert int(store.select(total, client=True)[0]["n"]) == 0
        names = store.select("SELECT ?g WHERE { GRAPH ?g { } }", client=True)
        assert {str(r["g"]) for r in names} == {"http://g2", "http://g3"}  # not ccgraph's


def test_graph_names_and_drop(store):
    store.update("INSERT DATA { GRAPH <http://g1> { <http://a> <http://p> 1 } }")
    assert "http://g1" in store.graph_names()
    store.write([GraphWrite("http://g1", [], mode="drop")])
    assert "http://g1" not in store.graph_names()


def test_snapshots_are_collected(store):
    for i in range(5):
        store.update(f"INSERT DATA {{ <http://a> <http://p> {i} }}")
    kept = [p for p in store.dir.snapshots.iterdir() if p.name.isdigit()]
    assert len(kept) <= 2  # the newest, and at most the one this process still reads


@pytest.mark.parametrize("hostile", ["> } ; DROP ALL #", '" } DELETE WHERE { ?s ?p ?o } #',
                                     "\n} ; CLEAR ALL ;"])
def test_bound_values_stay_literals(store, hostile):
    store.update('INSERT DATA { GRAPH <http://g> { <http://a> <http://p> "safe" } }')
    assert store.select("SELECT ?s { ?s ?p ?o }", {"o": Literal(hostile)}) == []
    assert store.select("SELECT ?s ?o { ?s ?p ?o }", values={"o": [Literal(hostile)]}) == []
    assert len(store.select("SELECT * { ?s ?p ?o }")) == 1


def test_binding_names_are_checked(store):
    with pytest.raises(BadRequest, match="invalid variable name"):
        store.select("SELECT * { ?s ?p ?o }", {"o } DROP ALL": URIRef("http://a")})


def test_backup_and_restore_round_trip(store, tmp_path):
    from ccgraph.backup import backup_store, restore_store
    from ccgraph.provenance import graph_meta

    # Written as a load writes it, so that the graph has its provenance record.
    one = Literal("1", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer"))
    triple = (URIRef("http://a"), URIRef("http://p"), one)
    store.write([GraphWrite("http://g1", [triple], meta=graph_meta("http://g1", [], "replace"))])
    store.update("INSERT DATA { <http://d> <http://p> 0 }")
    manifest = backup_store(store, tmp_path / "backup")
    assert manifest["graphs"]["http://g1"] + manifest["graphs"][""] == 2
    assert "urn:ccgraph:meta" in manifest["graphs"]  # ccgraph's bookkeeping is kept too
    store.update("DROP ALL")
    store.update("INSERT DATA { GRAPH <http://other> { <http://x> <http://p> 9 } }")
    restore_store(store, tmp_path / "backup")
    assert store.graph_names() == ["http://g1"]
    assert [int(r["o"]) for r in store.select("SELECT ?o { ?s ?p ?o }")] == [1]
    assert [int(r["o"]) for r in store.select("SELECT ?o { ?s ?p ?o }",
                                              union_default=False)] == [0]
    assert store.graphs()[0].triples == 1 and store.graphs()[0].meta  # provenance restored


def test_damaged_backup_is_refused(store, tmp_path):
    from ccgraph.backup import backup_store, restore_store
    from ccgraph.errors import InvalidData

    store.update("INSERT DATA { GRAPH <http://g1> { <http://a> <http://p> 1 } }")
    backup_store(store, tmp_path / "backup")
    (tmp_path / "backup" / "dataset.nq.gz").write_bytes(b"\x1f\x8b garbage")
    with pytest.raises(InvalidData):
        restore_store(store, tmp_path / "backup")
    assert store.graph_names() == ["http://g1"]


def _lines(part: int, count: int) -> bytes:
    return "".join(f"<https://example.org/{part}/{i}> <https://example.org/p> \"{i}\" .\n"
                   for i in range(count)).encode()


def test_a_store_that_grew_is_compacted_before_it_is_published(store, monkeypatch):
    """Uncompacted, the files the bulk loader leaves made queries 3-5x slower at 10M
    triples (bench/README.md); a small write does not pay for rewriting the whole store."""
    monkeypatch.setattr(layout, "COMPACT_MIN_BYTES", 0)  # a test-sized store counts as grown
    compactions = []
    real = layout._compact
    monkeypatch.setattr(layout, "_compact", lambda primary: (compactions.append(1), real(primary)))
    directory = StoreDir(store.root)

    inputs = tuple((_lines(k, 5_000), "ntriples", None, f"part-{k}.nt") for k in range(3))
    # Two graphs from the start: the first write that makes a second graph builds the merged
    # union graph (store/union.py), which is no sliver.
    generation = store.write([GraphWrite("https://example.org/graph/bulk", raw=inputs),
                              GraphWrite("https://example.org/graph/copy", raw=inputs[:1])])
    assert compactions == [1]
    recorded = json.loads(directory.compacted_file.read_text())["bytes"]
    assert recorded == sum(f.stat().st_size for f in directory.snapshot(generation).glob("*.sst"))
    assert store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"].toPython() == 15_000

    small = ((_lines(9, 3), "ntriples", None, "small.nt"),)
    store.write([GraphWrite("https://example.org/graph/small", raw=small)])
    assert compactions == [1]  # grown by a sliver: no compaction
    assert json.loads(directory.compacted_file.read_text())["bytes"] == recorded


# -- settings reach the store and its engines as arguments, never through the environment --
def _nested(depth: int) -> str:
    return "SELECT * WHERE " + "{ " * depth + "?s ?p ?o " + "} " * depth


@pytest.mark.parametrize("isolated", [False, True])
def test_the_nesting_limit_is_the_settings_one(tmp_path, monkeypatch, isolated):
    from ccgraph.config import Settings

    monkeypatch.setenv("CCGRAPH_MAX_NESTING", "500")   # not a road settings may take
    settings = Settings(max_nesting=5, query_workers=1, worker_memory_mb=0)
    with open_store(f"oxigraph:{tmp_path / 'store'}", settings, isolated=isolated) as store:
        assert store.select(_nested(4)) == []
        with pytest.raises(BadRequest, match="deeper than 5 levels"):
            store.select(_nested(8))
        with pytest.raises(BadRequest, match="deeper than 5 levels"):
            store.update("INSERT DATA { GRAPH <http://g> { <http://a> <http://p> "
                         + "(" * 8 + "1" + ")" * 8 + " } }")


def test_engines_do_not_inherit_ccgraph_settings_from_the_environment(monkeypatch):
    from ccgraph.store.workers import _engine_env

    monkeypatch.setenv("CCGRAPH_SHACL_ENGINE", "pyshacl")
    monkeypatch.setenv("PATH_FOR_TEST", "kept")
    monkeypatch.delenv("LD_PRELOAD", raising=False)
    env = _engine_env("jemalloc")
    assert env["PATH_FOR_TEST"] == "kept"
    assert not [k for k in env if k.startswith("CCGRAPH_")]
    # the allocator comes from the settings handed down, never from the environment
    monkeypatch.setenv("CCGRAPH_ENGINE_MALLOC", "jemalloc")
    assert "LD_PRELOAD" not in _engine_env("system")


def test_triples_come_back_as_rdflib_terms(store):
    from rdflib import BNode

    written = [(URIRef("http://a"), URIRef("http://p"), Literal("x", lang="en")),
               (URIRef("http://a"), URIRef("http://p"), Literal("2", datatype=URIRef(
                   "http://www.w3.org/2001/XMLSchema#integer"))),
               (BNode("b1"), URIRef("http://p"), URIRef("http://c"))]
    store.write([GraphWrite("http://g", written)])
    back = store.triples("http://g")
    assert {t for t in back if not isinstance(t[0], BNode)} == set(written[:2])
    assert any(isinstance(s, BNode) and o == URIRef("http://c") for s, _p, o in back)
