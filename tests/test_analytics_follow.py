"""Analytics that follow writes (issue 19, point 3): after a write the projection is rebuilt
off the request path while the previous one answers, each answer marked with the
generation it reflects; the answer cache never keeps such an answer as current."""

from __future__ import annotations

import time

from ccgraph.analytics import Engine
from ccgraph.config import Settings
from ccgraph.web import create_app

TEN = "INSERT DATA { GRAPH <urn:test:g> { " + " ".join(
    f'<urn:test:s{i}> <urn:test:p> "{i}" .' for i in range(10)) + " } }"


def _clusters(engine: Engine) -> list[str]:
    graph = engine.graph()
    return sorted(n for n, d in graph.nodes(data=True) if d.get("kind") == "cluster")[:2]


def _until_fresh(engine: Engine, generation: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        engine.graph()
        if engine.reflected_generation() == generation:
            return
        time.sleep(0.05)
    raise AssertionError("the projection was never rebuilt")


def test_after_a_write_the_previous_projection_answers_while_the_next_is_built(bundled_store):
    engine = Engine(bundled_store, wait=0.0)
    a, b = _clusters(engine)
    before = bundled_store.generation
    engine.paths(a, b, k=1)
    assert engine.reflected_generation() == before
    after = bundled_store.update(TEN)
    assert after > before
    engine.paths(a, b, k=1)  # answered at once, from the previous projection
    assert engine.reflected_generation() == before
    _until_fresh(engine, after)


def test_without_a_wait_the_caller_gets_the_rebuilt_projection(bundled_store):
    engine = Engine(bundled_store)  # the CLI and the library: always current
    engine.graph()
    after = bundled_store.update(TEN)
    engine.graph()
    assert engine.reflected_generation() == after


def test_api_marks_the_generation_and_the_cache_keeps_only_current_answers(bundled_store):
    app = create_app(Settings(store=f"oxigraph:{bundled_store.root}"), store=bundled_store)
    services = app.extensions["ccgraph"]
    client = app.test_client()
    first = client.get("/api/gaps")
    generation = bundled_store.generation
    assert first.status_code == 200
    assert first.get_json()["generation"] == generation
    assert first.headers["X-CCGraph-Generation"] == str(generation)
    services.analytics._cache.wait = 0.0  # as at 10M: the rebuild outlasts the wait
    after = bundled_store.update(TEN)
    stale = client.get("/api/gaps")
    assert stale.get_json()["generation"] == generation < after
    assert "ETag" not in stale.headers  # not the answer at `after`: neither kept nor tagged
    _until_fresh(services.analytics, after)
    fresh = client.get("/api/gaps")
    assert fresh.get_json()["generation"] == after and "ETag" in fresh.headers
    assert client.get("/api/gaps").headers.get("X-CCGraph-Cache") == "hit"


def test_a_rebuilt_projection_is_published_with_its_indexes_built(bundled_store):
    engine = Engine(bundled_store, wait=0.0)
    engine.graph()
    after = bundled_store.update(TEN)
    engine.graph()  # starts the rebuild
    _until_fresh(engine, after)
    # built in the rebuild thread, not by the first call on the new projection
    assert {"_index", "_adjacency", "_coverage"} <= set(engine.graph().graph)


def test_no_wait_once_a_rebuild_has_outlasted_it(bundled_store):
    engine = Engine(bundled_store, wait=30.0)
    engine.graph()
    cache = engine._cache
    cache.build_seconds = 31.0  # as at 1M triples with a 1 s wait: 4-5 s a build
    before = bundled_store.generation
    after = bundled_store.update(TEN)
    started = time.monotonic()
    engine.graph()
    assert time.monotonic() - started < 5  # would wait for the rebuild (up to 30 s)
    assert engine.reflected_generation() == before
    _until_fresh(engine, after)
    assert cache.build_seconds < 30  # measured again by the rebuild
