"""Standard clients write and read generic data (no ccgraph classes) over HTTP on a live
server (issue 16): plain `requests`, SPARQLWrapper, rdflib's SPARQLStore and
SPARQLUpdateStore, and Comunica from npm, each by GET and by POST, in every result format
the service offers. tests/test_sparqlwrapper.py covers what each client sends besides."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path
from xml.dom.minidom import parseString

import pytest
import requests
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)

pytestmark = pytest.mark.remote
ROOT = Path(__file__).resolve().parents[1]

EX = Namespace("http://example.org/std/")
GRAPH = str(EX.graph)
NAMES = {f"{EX}s{i}": f"name {i}" for i in range(3)}
SELECT = f"SELECT ?s ?name WHERE {{ ?s <{EX}name> ?name }} ORDER BY ?s"
ASK = f"ASK {{ <{EX}s1> <{EX}name> ?n }}"
CONSTRUCT = f"CONSTRUCT {{ ?s <{EX}label> ?name }} WHERE {{ ?s <{EX}name> ?name }}"
EXPECTED_GRAPH = {(URIRef(s), EX.label, Literal(n)) for s, n in NAMES.items()}

SOLUTION_TYPES = {"json": "application/sparql-results+json",
                  "xml": "application/sparql-results+xml", "csv": "text/csv",
                  "tsv": "text/tab-separated-values"}
GRAPH_TYPES = {"turtle": "text/turtle", "nt": "application/n-triples",
               "json-ld": "application/ld+json", "xml": "application/rdf+xml"}


@pytest.fixture(scope="module")
def live(server):
    data = "".join(f'<{s}> <{EX}name> "{n}" .\n' for s, n in NAMES.items())
    response = requests.post(server.sparql, timeout=60, headers=server.auth(),
                             data={"update": f"INSERT DATA {{ GRAPH <{GRAPH}> {{ {data} }} }}"})
    assert response.status_code == 200, response.text
    return server


def _solutions(body: bytes, fmt: str) -> dict:
    """{subject: name} from a SELECT answer in any of the four formats."""
    text = body.decode()
    if fmt == "json":
        return {r["s"]["value"]: r["name"]["value"]
                for r in json.loads(text)["results"]["bindings"]}
    if fmt == "xml":
        results = parseString(text).getElementsByTagName("result")
        return {r.getElementsByTagName("uri")[0].firstChild.data:
                r.getElementsByTagName("literal")[0].firstChild.data for r in results}
    if fmt == "csv":
        return {row["s"]: row["name"] for row in csv.DictReader(io.StringIO(text))}
    lines = text.splitlines()
    assert lines[0] == "?s\t?name"
    return {s.strip("<>"): json.loads(n) for s, n in (line.split("\t") for line in lines[1:])}


def _send(live, method: str, text: str, accept: str, kind: str = "query", **headers):
    headers["Accept"] = accept
    if method == "GET":
        return requests.get(live.sparql, params={kind: text}, headers=headers, timeout=60)
    if method == "POST form":
        return requests.post(live.sparql, data={kind: text}, headers=headers, timeout=60)
    return requests.post(live.sparql, data=text.encode(), timeout=60, headers={
        **headers, "Content-Type": f"application/sparql-{kind}"})


METHODS = ["GET", "POST form", "POST direct"]


# -- plain requests ------------------------------------------------------------------------
def _answered(live, method: str, text: str, media: str):
    """The answer to `text` sent by `method`, checked to be a 200 in the media type asked."""
    response = _send(live, method, text, media)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith(media)
    return response


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", SOLUTION_TYPES)
def test_requests_select_in_every_format(live, method, fmt):
    response = _answered(live, method, SELECT, SOLUTION_TYPES[fmt])
    assert _solutions(response.content, fmt) == NAMES


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_requests_ask(live, method, fmt):
    response = _send(live, method, ASK, SOLUTION_TYPES[fmt])
    assert response.status_code == 200
    body = response.text
    answer = json.loads(body)["boolean"] if fmt == "json" else \
        parseString(body).getElementsByTagName("boolean")[0].firstChild.data == "true"
    assert answer is True


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", GRAPH_TYPES)
def test_requests_construct_in_every_format(live, method, fmt):
    response = _answered(live, method, CONSTRUCT, GRAPH_TYPES[fmt])
    assert set(Graph().parse(data=response.content, format=fmt)) == EXPECTED_GRAPH


@pytest.mark.parametrize("method", ["POST form", "POST direct"])
def test_requests_update(live, method):
    node = f"<{EX}by-requests-{method[-4:]}>"
    for operation in ("INSERT DATA", "DELETE DATA"):
        text = f"{operation} {{ GRAPH <{EX}requests> {{ {node} <{EX}p> 1 }} }}"
        refused = _send(live, method, text, "*/*", kind="update")
        assert refused.status_code == 401  # writes need the token
        response = _send(live, method, text, "*/*", kind="update", **live.auth())
        assert response.status_code == 200, response.text
        present = _send(live, "GET", f"ASK {{ {node} ?p ?o }}", SOLUTION_TYPES["json"])
        assert present.json()["boolean"] is (operation == "INSERT DATA")


# -- SPARQLWrapper -------------------------------------------------------------------------
def _wrapper(live, query: str, fmt: str, method: str) -> SPARQLWrapper:
    sparql = SPARQLWrapper(live.sparql, returnFormat=fmt)
    sparql.setQuery(query)
    sparql.setMethod(GET if method == "GET" else POST)
    sparql.setRequestMethod(POSTDIRECTLY if method == "POST direct" else URLENCODED)
    return sparql


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select_in_every_format(live, method, fmt):
    response = _wrapper(live, SELECT, fmt, method).query()
    assert _solutions(response.response.read(), fmt) == NAMES


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_ask(live, method, fmt):
    converted = _wrapper(live, ASK, fmt, method).queryAndConvert()
    answer = converted["boolean"] if fmt == JSON else \
        converted.getElementsByTagName("boolean")[0].firstChild.data == "true"
    assert answer is True


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", [TURTLE, N3, JSONLD, RDFXML])
def test_sparqlwrapper_construct_in_every_format(live, method, fmt):
    body = _wrapper(live, CONSTRUCT, fmt, method).query().response.read()
    parse_as = {TURTLE: "turtle", N3: "n3", JSONLD: "json-ld", RDFXML: "xml"}[fmt]
    assert set(Graph().parse(data=body, format=parse_as)) == EXPECTED_GRAPH


def test_sparqlwrapper_update(live):
    sparql = SPARQLWrapper(live.sparql)
    sparql.setMethod(POST)
    sparql.addCustomHttpHeader("Authorization", f"Bearer {live.token}")
    sparql.setQuery(f"INSERT DATA {{ GRAPH <{EX}wrapper> {{ <{EX}w> <{EX}p> 1 }} }}")
    sparql.query()
    assert _send(live, "GET", f"ASK {{ <{EX}w> ?p ?o }}", "application/json").json()["boolean"]
    sparql.setQuery(f"DROP GRAPH <{EX}wrapper>")
    sparql.query()
    assert not _send(live, "GET", f"ASK {{ <{EX}w> ?p ?o }}",
                     "application/json").json()["boolean"]


# -- rdflib SPARQLStore / SPARQLUpdateStore ------------------------------------------------
@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore_reads_by_every_method(live, method):
    graph = Graph(store=SPARQLStore(live.sparql, method=method))
    assert {str(r.s): str(r.name) for r in graph.query(SELECT)} == NAMES
    assert graph.query(ASK).askAnswer is True
    assert set(graph.query(CONSTRUCT).graph) == EXPECTED_GRAPH
    graph.close()


@pytest.mark.parametrize("returns", ["xml", "json", "csv"])
def test_rdflib_sparqlstore_result_formats(live, returns):
    graph = Graph(store=SPARQLStore(live.sparql, returnFormat=returns))
    assert {str(r.s): str(r.name) for r in graph.query(SELECT)} == NAMES
    graph.close()


def test_rdflib_sparqlupdatestore_writes_and_removes(live):
    target = URIRef(f"{EX}rdflib")
    store = SPARQLUpdateStore(live.sparql, live.sparql, headers=live.auth())
    graph = Graph(store=store, identifier=target)
    graph.add((EX.r, EX.name, Literal("by rdflib")))
    reader = Graph(store=SPARQLStore(live.sparql))
    assert set(reader.objects(EX.r, EX.name)) == {Literal("by rdflib")}
    store.update(f"DELETE DATA {{ GRAPH <{target}> {{ <{EX}r> <{EX}name> \"by rdflib\" }} }}")
    assert set(reader.objects(EX.r, EX.name)) == set()


# -- Comunica (npm) ------------------------------------------------------------------------
@pytest.mark.skipif(not (ROOT / "node_modules" / "@comunica" / "query-sparql").exists()
                    or shutil.which("node") is None,
                    reason="Comunica comes from npm: `npm ci` (package.json pins it)")
def test_comunica_writes_and_reads(live):
    result = subprocess.run(
        ["node", str(ROOT / "tests" / "clients" / "comunica.mjs"), live.sparql, live.token],
        capture_output=True, text=True, timeout=180, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    ex = "http://example.org/comunica/"
    assert out["select_get"]["value"] == [{"c": ex + "c1", "name": "one"},
                                          {"c": ex + "c2", "name": "two"}]
    assert out["select_post"]["value"] == [{"c": ex + "c1"}, {"c": ex + "c2"}]
    assert out["ask"]["value"] is True
    assert sorted(out["construct"]["value"]) == [[ex + "c1", ex + "label", "one", "en"],
                                                 [ex + "c2", ex + "label", "two", ""]]
    assert out["after_delete"]["value"] == [{"c": ex + "c1"}]
    # What Comunica sent: queries by GET and (past 600 characters of URL) by POST, asking
    # for SPARQL JSON or XML results, RDF for CONSTRUCT; updates POSTed.
    methods = {step: {r["method"] for r in out[step]["requests"]} for step in out}
    assert "GET" in methods["select_get"] and "POST" in methods["select_post"]
    assert methods["insert"] == {"POST"} and methods["delete"] == {"POST"}
    accepts = " ".join(r["accept"] or "" for r in out["select_get"]["requests"])
    assert "application/sparql-results+json" in accepts
