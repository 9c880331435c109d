"""The answer cache (issue 19): repeated reads answered in the web process, keyed by the
store generation, with ETags and 304s; never an answer older than the last write."""

from __future__ import annotations

import pytest
import requests

from ccgraph.config import Settings
from ccgraph.store import open_store
from ccgraph.web import create_app
from ccgraph.web.cache import AnswerCache, Entry
from servers import start_server, stop_server

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s <urn:test:p> ?o }"
JSON = "application/sparql-results+json"


def _insert(i: int) -> str:
    return f'INSERT DATA {{ GRAPH <urn:test:g> {{ <urn:test:s{i}> <urn:test:p> "{i}" }} }}'


def _count(response) -> int:
    body = response.json if isinstance(response.json, dict) else response.json()
    return int(body["results"]["bindings"][0]["n"]["value"])


@pytest.fixture
def app(tmp_path):
    store = open_store(f"oxigraph:{tmp_path / 'store'}")
    store.update(_insert(0))
    app = create_app(Settings(store=f"oxigraph:{tmp_path / 'store'}"), store=store)
    yield app
    store.close()


@pytest.fixture
def client(app):
    return app.test_client()


def _ask(client, **headers):
    return client.get("/sparql", query_string={"query": COUNT}, headers={"Accept": JSON, **headers})


# -- the LRU itself ---------------------------------------------------------------------
def _entry(size: int) -> Entry:
    return Entry(200, (), b"x" * size, "e")


def test_bytes_cap_is_honoured_and_least_recently_used_goes_first():
    one = _entry(1000).size
    cache = AnswerCache(max_bytes=4 * one)
    for key in "abcd":
        assert cache.put(1, key, _entry(1000))
    assert cache.get(1, "a") is not None      # "a" is now the most recently used
    assert cache.put(1, "e", _entry(1000))    # over the cap: "b", the least recent, goes
    assert cache.bytes <= cache.max_bytes
    assert cache.get(1, "b") is None
    assert all(cache.get(1, key) is not None for key in "acde")
    for i in range(100):
        cache.put(1, f"more{i}", _entry(1000))
        assert cache.bytes <= cache.max_bytes
    assert len(cache) == 4


def test_one_answer_may_not_take_more_than_a_quarter():
    cache = AnswerCache(max_bytes=10_000)
    assert not cache.put(1, "big", _entry(5_000))
    assert cache.bytes == 0


def test_a_new_generation_empties_it_and_an_older_one_is_never_kept():
    cache = AnswerCache(max_bytes=100_000)
    cache.put(1, "a", _entry(10))
    assert cache.get(2, "a") is None and cache.bytes == 0
    assert not cache.put(1, "a", _entry(10))  # computed before the write: dropped
    assert cache.get(2, "a") is None


# -- in the app (Flask's test client over a real embedded store) --------------------------
def test_repeated_query_is_a_hit_then_304_then_fresh_after_a_write(client, app):
    first = _ask(client)
    assert first.status_code == 200 and _count(first) == 1
    assert "X-CCGraph-Cache" not in first.headers
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "private, no-cache"
    again = _ask(client)
    assert again.headers["X-CCGraph-Cache"] == "hit"
    assert again.data == first.data and again.headers["ETag"] == etag
    assert _ask(client, **{"If-None-Match": etag}).status_code == 304

    app.extensions["ccgraph"].store.update(_insert(1))
    revalidated = _ask(client, **{"If-None-Match": etag})
    assert revalidated.status_code == 200 and _count(revalidated) == 2
    assert revalidated.headers["ETag"] != etag


def test_etag_differs_by_accept_and_accept_language(client):
    json_tag = _ask(client).headers["ETag"]
    xml = client.get("/sparql", query_string={"query": COUNT},
                     headers={"Accept": "application/sparql-results+xml"})
    assert xml.status_code == 200 and xml.headers["ETag"] != json_tag
    assert _ask(client, **{"Accept-Language": "de"}).headers["ETag"] != json_tag
    assert _ask(client).headers["ETag"] == json_tag
    assert "Accept" in _ask(client).headers["Vary"]


def test_post_query_shares_the_answer_of_the_same_get(client):
    _ask(client)
    posted = client.post("/sparql", data=COUNT, content_type="application/sparql-query",
                         headers={"Accept": JSON})
    assert posted.headers["X-CCGraph-Cache"] == "hit" and _count(posted) == 1
    form = client.post("/sparql", data={"query": "  " + COUNT + "\n"}, headers={"Accept": JSON})
    assert form.headers["X-CCGraph-Cache"] == "hit"


def test_errors_updates_and_credentialed_requests_are_never_cached(client):
    for _ in range(2):
        bad = client.get("/sparql", query_string={"query": "SELECT WHERE {"})
        assert bad.status_code == 400 and "ETag" not in bad.headers
        assert bad.get_json()["error"]["code"]  # the one JSON error shape is kept
    credentialed = _ask(client, Authorization="Bearer x")
    again = _ask(client, Authorization="Bearer x")
    assert "ETag" not in credentialed.headers and "X-CCGraph-Cache" not in again.headers


def test_api_and_pages_revalidate(client):
    for url in ("/api/graphs", "/api/queries", "/queries"):
        first = client.get(url)
        assert first.status_code == 200, url
        assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code \
            == 304, url
    assert "ETag" not in client.get("/api/health").headers


def test_answer_cache_can_be_switched_off(tmp_path):
    store = open_store(f"oxigraph:{tmp_path / 'store'}")
    app = create_app(Settings(store=f"oxigraph:{tmp_path / 'store'}", answer_cache_mb=0),
                     store=store)
    response = app.test_client().get("/sparql", query_string={"query": COUNT})
    assert "ETag" not in response.headers
    store.close()


# -- a real server with two web workers -------------------------------------------------
@pytest.fixture(scope="module")
def two_workers():
    live = start_server(workers=2)
    yield live
    stop_server(live)


def _read(server, **headers):
    # A new connection each time, so both workers answer some of the reads.
    return requests.get(server.sparql, params={"query": COUNT},
                        headers={"Accept": JSON, "Connection": "close", **headers}, timeout=30)


def test_a_write_makes_the_next_read_fresh_in_every_worker(two_workers):
    for i in range(4):
        # Warm both workers' caches with the current answer ...
        answers = [_read(two_workers) for _ in range(8)]
        assert {_count(a) for a in answers} == {i}
        assert any(a.headers.get("X-CCGraph-Cache") == "hit" for a in answers)
        written = requests.post(two_workers.sparql, data={"update": _insert(i)},
                                headers=two_workers.auth(), timeout=60)
        assert written.status_code == 200, written.text
        # ... then no read after the acknowledged write may see the old one.
        assert {_count(_read(two_workers)) for _ in range(8)} == {i + 1}


def test_304_while_unchanged_and_200_after_a_write(two_workers):
    etag = _read(two_workers).headers["ETag"]
    for _ in range(4):
        assert _read(two_workers, **{"If-None-Match": etag}).status_code == 304
    requests.post(two_workers.sparql, data={"update": _insert(100)},
                  headers=two_workers.auth(), timeout=60).raise_for_status()
    fresh = _read(two_workers, **{"If-None-Match": etag})
    assert fresh.status_code == 200 and fresh.headers["ETag"] != etag
