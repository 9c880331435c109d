"""Cost ceilings and safe defaults of the live service: deadlines that really stop the
engine, size limits that never truncate, a row cap that says so, no fetching from the
network or the file system, and writes only with a bearer token in the header."""

from __future__ import annotations

import http.client
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from servers import start_server, stop_server

EX = "http://example.org/limits/"
GRAPH = EX + "g"
UPLOAD_LIMIT = 1_000_000
QUERY_LIMIT = 100_000          # Settings.max_query_bytes
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
POINT = f"SELECT ?o WHERE {{ <{EX}s7> <{EX}p> ?o }}"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _triples(n: int) -> str:
    return "".join(f"<{EX}s{i}> <{EX}p> \"v{i}\" .\n" for i in range(n))


@pytest.fixture(scope="module")
def live():
    server = start_server(env={"CCGRAPH_UPDATE_TIMEOUT": "2",
                               "CCGRAPH_MAX_UPLOAD_BYTES": str(UPLOAD_LIMIT)})
    response = requests.put(server.store, params={"graph": GRAPH}, data=_triples(3000),
                            headers={**server.auth(), "Content-Type": "application/n-triples"},
                            timeout=60)
    assert response.status_code == 201, response.text
    yield server
    stop_server(server)


def select(server, text: str, wait: float = 30, **params) -> requests.Response:
    return requests.post(server.sparql, params=params, data=text.encode(), timeout=wait,
                         headers={"Content-Type": "application/sparql-query",
                                  "Accept": "application/sparql-results+json"})


def count(server) -> int:
    response = select(server, COUNT)
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def error_of(response: requests.Response) -> dict:
    assert response.headers["Content-Type"].startswith("application/json"), response.text
    error = response.json()["error"]
    assert error["status"] == response.status_code
    assert "Traceback" not in response.text
    return error


# -- deadlines -----------------------------------------------------------------------------
def _group_cpu_seconds(pgid: int) -> float:
    """CPU time (user + system) of every process in the server's process group."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:            # field 5 (pgrp), counted after the name
            total += int(fields[11]) + int(fields[12])   # utime, stime
    return total / 100  # clock ticks (USER_HZ is 100 on Linux)


def test_query_deadline_stops_the_engine_and_others_are_served(live):
    with ThreadPoolExecutor(1) as pool:
        started = time.monotonic()
        slow = pool.submit(select, live, CARTESIAN, 30, timeout="1")
        time.sleep(0.2)
        lookup_started = time.monotonic()
        point = select(live, POINT, 10)
        lookup_seconds = time.monotonic() - lookup_started
        response = slow.result()
        elapsed = time.monotonic() - started
    assert point.status_code == 200 and point.json()["results"]["bindings"]
    # Waiting behind the slow query would have taken until its deadline (0.8 s or more).
    assert lookup_seconds < 0.5, f"a point lookup took {lookup_seconds:.2f} s"
    assert response.status_code == 503, response.text
    error = error_of(response)
    assert error["code"] == "deadline_exceeded"
    assert "deadline" in error["message"] and "stopped" in error["message"]
    assert elapsed < 2.5, f"the deadline of 1 s answered after {elapsed:.1f} s"
    # The engine was killed, not abandoned: once its replacement has started, the
    # server's processes use (almost) no CPU.
    time.sleep(3)
    before = _group_cpu_seconds(live.process.pid)
    time.sleep(2)
    assert _group_cpu_seconds(live.process.pid) - before < 0.5, "something is still computing"
    started = time.monotonic()
    assert select(live, POINT, 10).status_code == 200
    assert time.monotonic() - started < 1.0


def test_timeout_parameter_is_validated(live):
    for bad in ("abc", "-1", "0"):
        response = select(live, POINT, timeout=bad)
        assert response.status_code == 400
        assert "timeout" in error_of(response)["message"]


def test_update_deadline_stops_the_write_and_changes_nothing(live):
    before = count(live)
    # An update's WHERE reads the stored default graph (not the union): name the graphs.
    update = (f"INSERT {{ GRAPH <{EX}slow> {{ <{EX}x> <{EX}n> ?n }} }} WHERE {{ "
              "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?x { ?a ?b ?c } GRAPH ?y { ?d ?e ?f } "
              "GRAPH ?z { ?g ?h ?i } } }")
    started = time.monotonic()
    response = requests.post(live.sparql, data=update.encode(), timeout=30, headers={
        **live.auth(), "Content-Type": "application/sparql-update"})
    assert response.status_code == 503, response.text
    assert error_of(response)["code"] == "deadline_exceeded"
    assert time.monotonic() - started < 4.0
    assert count(live) == before
    # The writer was replaced: the next write goes through.
    ok = requests.post(live.sparql, timeout=30, headers={
        **live.auth(), "Content-Type": "application/sparql-update"},
        data=f"INSERT DATA {{ GRAPH <{EX}after> {{ <{EX}a> <{EX}b> <{EX}c> }} }}".encode())
    assert ok.status_code == 200, ok.text
    assert count(live) == before + 1
    requests.delete(live.store, params={"graph": EX + "after"}, headers=live.auth(), timeout=30)


# -- sizes ---------------------------------------------------------------------------------
def test_deep_nesting_is_refused_before_parsing(live):
    text = "SELECT * WHERE " + "{" * 2500 + "}" * 2500
    response = select(live, text)
    assert response.status_code == 400
    assert "nesting" in error_of(response)["message"]
    text = "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
    assert select(live, text).status_code == 400
    assert live.alive()
    assert requests.get(live.url + "/api/health", timeout=10).status_code == 200
    assert select(live, POINT).status_code == 200


def test_query_text_over_the_limit(live):
    text = POINT + " #" + "x" * QUERY_LIMIT
    response = select(live, text)
    assert response.status_code == 413
    assert error_of(response)["code"] == "payload_too_large"
    form = requests.post(live.sparql, data={"query": text}, timeout=30)
    assert form.status_code == 413
    long_get = requests.get(live.sparql, params={"query": POINT + " #" + "x" * 20_000},
                            timeout=30)
    assert long_get.status_code == 414
    assert live.alive()


def test_long_get_has_the_error_shape(live):
    # the server answers request targets over 16 KiB with the app's JSON 414 (ccgraph/server.py)
    response = requests.get(live.sparql, params={"query": POINT + " #" + "x" * 20_000},
                            timeout=30)
    assert response.status_code == 414
    assert error_of(response)["code"] == "uri_too_long"


def test_body_over_the_limit_with_content_length(live):
    before = count(live)
    response = requests.put(live.store, params={"graph": EX + "big"},
                            data=_triples(UPLOAD_LIMIT // 40 + 1000), timeout=60,
                            headers={**live.auth(), "Content-Type": "application/n-triples"})
    assert response.status_code == 413
    assert error_of(response)["code"] == "payload_too_large"
    assert count(live) == before


def _chunked(server, path: str, body: bytes, headers: dict) -> tuple[int, bytes]:
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    conn.putrequest("PUT" if path.startswith("/store") else "POST", path)
    for name, value in {**headers, "Transfer-Encoding": "chunked"}.items():
        conn.putheader(name, value)
    conn.endheaders()
    try:
        for start in range(0, len(body), 65536):
            chunk = body[start:start + 65536]
            conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        conn.send(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server may answer and close before reading everything
    response = conn.getresponse()
    status, data = response.status, response.read()
    conn.close()
    return status, data


def test_chunked_body_over_the_limit_is_never_truncated(live):
    before = count(live)
    body = _triples(UPLOAD_LIMIT // 40 + 1000).encode()
    assert len(body) > UPLOAD_LIMIT
    status, data = _chunked(live, f"/store?graph={EX}chunked", body, {
        **live.auth(), "Content-Type": "application/n-triples"})
    assert status in (411, 413), data
    query = (POINT + " #" + "x" * QUERY_LIMIT).encode()
    status, data = _chunked(live, "/sparql", query, {
        "Content-Type": "application/sparql-query", "Accept": "application/json"})
    assert status in (411, 413), data
    assert count(live) == before
    # A small chunked body is read whole.
    small = _triples(3).encode()
    status, data = _chunked(live, f"/store?graph={EX}small", small, {
        **live.auth(), "Content-Type": "application/n-triples"})
    if status != 411:
        assert status == 201, data
        assert count(live) == before + 3
        requests.delete(live.store, params={"graph": EX + "small"}, headers=live.auth(),
                        timeout=30)


# -- row cap -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def capped():
    server = start_server(env={"CCGRAPH_ROW_CAP": "10"})
    response = requests.put(server.store, params={"graph": GRAPH}, data=_triples(30),
                            headers={**server.auth(), "Content-Type": "application/n-triples"},
                            timeout=60)
    assert response.status_code == 201, response.text
    yield server
    stop_server(server)


@pytest.mark.parametrize("accept", ["application/sparql-results+json",
                                    "application/sparql-results+xml", "text/csv"])
def test_row_cap_is_signalled(capped, accept):
    response = requests.post(capped.sparql, data=f"SELECT ?s WHERE {{ ?s <{EX}p> ?o }}",
                             timeout=30, headers={"Content-Type": "application/sparql-query",
                                                  "Accept": accept})
    assert response.status_code == 200
    assert response.headers["X-CCGraph-Truncated"] == "true"
    assert response.headers["X-CCGraph-Row-Cap"] == "10"
    if accept.endswith("json"):
        assert len(response.json()["results"]["bindings"]) == 10
    elif accept == "text/csv":
        assert len(response.text.strip().splitlines()) == 11


def test_row_cap_not_signalled_when_under(capped):
    response = requests.post(capped.sparql, timeout=30,
                             data=f"SELECT ?s WHERE {{ ?s <{EX}p> ?o }} LIMIT 5",
                             headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 200
    assert "X-CCGraph-Truncated" not in response.headers
    assert len(response.json()["results"]["bindings"]) == 5


def test_row_cap_on_construct(capped):
    response = requests.post(capped.sparql, timeout=30,
                             data="CONSTRUCT WHERE { ?s ?p ?o }",
                             headers={"Content-Type": "application/sparql-query",
                                      "Accept": "application/n-triples"})
    assert response.status_code == 200
    assert response.headers["X-CCGraph-Truncated"] == "true"
    assert len(response.text.strip().splitlines()) == 10


# -- nothing is fetched --------------------------------------------------------------------
class _Canary(BaseHTTPRequestHandler):
    hits: list[str] = []  # noqa: RUF012 - shared by the handler instances on purpose

    def do_GET(self):
        self.hits.append(self.path)
        body = b'<http://example.org/x> <http://example.org/y> "fetched" .\n'
        self.send_response(200)
        self.send_header("Content-Type", "application/n-triples")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def canary():
    _Canary.hits = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Canary.hits
    httpd.shutdown()
    httpd.server_close()


def test_nothing_is_fetched(live, canary):
    url, hits = canary
    queries = [
        f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"PREFIX c: <{url}/> SELECT * WHERE {{ SERVICE c:sparql {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{url}/sparql> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    ]
    for text in queries:
        response = select(live, text)
        assert response.status_code == 400, (text, response.text)
        error_of(response)
    # A graph the store does not hold is an empty graph: answered, never fetched.
    unknown = [
        f"SELECT * FROM <{url}/data.nt> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{url}/data.nt> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"BASE <{url}/> SELECT * FROM <data.nt> WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM <file:///etc/hostname> WHERE { ?s ?p ?o }",
    ]
    for text in unknown:
        response = select(live, text)
        assert response.status_code == 200, (text, response.text)
        assert response.json()["results"]["bindings"] == []
    response = requests.get(live.sparql, timeout=30, params={
        "query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": f"{url}/data.nt"})
    assert response.status_code == 200 and response.json()["results"]["bindings"] == []
    before = count(live)
    for update, status in ((f"LOAD <{url}/data.nt>", 403),
                           (f"LOAD SILENT <{url}/data.nt> INTO GRAPH <{EX}l>", 200),
                           ("LOAD <file:///etc/hostname>", 403),
                           (f"INSERT {{ GRAPH <{EX}x> {{ ?s ?p ?o }} }} USING <{url}/data.nt> "
                            "WHERE { ?s ?p ?o }", 200)):
        response = requests.post(live.sparql, data=update.encode(), timeout=30, headers={
            **live.auth(), "Content-Type": "application/sparql-update"})
        assert response.status_code == status, (update, response.text)
    jsonld = json.dumps({"@context": f"{url}/context.jsonld", "@id": f"{EX}j", "name": "x"})
    response = requests.put(live.store, params={"graph": EX + "jsonld"}, data=jsonld,
                            timeout=30, headers={**live.auth(),
                                                 "Content-Type": "application/ld+json"})
    assert response.status_code == 400
    assert count(live) == before
    time.sleep(0.5)
    assert hits == []
    assert live.alive()


# -- writes --------------------------------------------------------------------------------
WRITE = f"INSERT DATA {{ GRAPH <{EX}w> {{ <{EX}a> <{EX}b> <{EX}c> }} }}"


def _write_attempts(server):
    update = {"Content-Type": "application/sparql-update"}
    turtle = {"Content-Type": "text/turtle"}
    body = f"<{EX}a> <{EX}b> <{EX}c> ."
    target = {"graph": EX + "w"}
    return [
        ("update, no token", "post", server.sparql, {}, update, WRITE, 401),
        ("update, wrong token", "post", server.sparql, {},
         {**update, "Authorization": "Bearer wrong"}, WRITE, 401),
        ("update, basic auth", "post", server.sparql, {},
         {**update, "Authorization": "Basic dGVzdDp0ZXN0"}, WRITE, 401),
        ("update form, no token", "post", server.sparql, {},
         {"Content-Type": "application/x-www-form-urlencoded"},
         "update=" + requests.utils.quote(WRITE), 401),
        ("update, token in URL", "post", server.sparql, {"token": server.token}, update,
         WRITE, 400),
        ("update, access_token in URL", "post", server.sparql,
         {"access_token": server.token}, update, WRITE, 400),
        ("PUT, no token", "put", server.store, target, turtle, body, 401),
        ("PUT, wrong token", "put", server.store, target,
         {**turtle, "Authorization": "Bearer wrong"}, body, 401),
        ("PUT, token in URL", "put", server.store, {**target, "token": server.token}, turtle,
         body, 400),
        ("POST, no token", "post", server.store, target, turtle, body, 401),
        ("DELETE, no token", "delete", server.store, {"graph": GRAPH}, {}, None, 401),
        ("DELETE, wrong token", "delete", server.store, {"graph": GRAPH},
         {"Authorization": "Bearer wrong"}, None, 401),
    ]


def test_writes_need_the_token_in_the_header(live):
    before = count(live)
    for name, method, url, params, headers, data, status in _write_attempts(live):
        response = requests.request(method, url, params=params, headers=headers,
                                    data=data.encode() if data else None, timeout=30)
        assert response.status_code == status, (name, response.text)
        error_of(response)
        assert count(live) == before, name


@pytest.mark.parametrize(("path", "method", "headers"), [
    ("/store", "PUT", ""), ("/store", "DELETE", ""), ("/store", "POST", ""),
    ("/sparql", "POST", "authorization, content-type"), ("/store", "GET", "Authorization"),
])
def test_cors_preflight_for_a_write_is_refused(live, path, method, headers):
    response = requests.options(live.url + path, timeout=30, headers={
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": headers})
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response.headers
    error_of(response)


def test_cors_preflight_for_a_read_is_allowed(live):
    response = requests.options(live.sparql, timeout=30, headers={
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
