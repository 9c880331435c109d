"""Issue 16 over HTTP on a live server (union default graph on, the default setting): the
dataset a client sees holds what it wrote, each triple once; ccgraph's bookkeeping is not
in it; unknown graphs are empty; the graph store protocol; one validation rule."""

from __future__ import annotations

import pytest
import requests
from rdflib import Graph

from servers import start_server, stop_server

EX = "http://example.org/ds/"
SPARQL_JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def live():
    server = start_server(lifetime=600)
    yield server
    stop_server(server)


def _update(live, text: str, **headers) -> requests.Response:
    return requests.post(live.sparql, data=text.encode(), timeout=60, headers={
        **live.auth(), "Content-Type": "application/sparql-update", **headers})


def _rows(live, text: str, **params) -> list[dict]:
    response = requests.get(live.sparql, params={"query": text, **params}, timeout=60,
                            headers=SPARQL_JSON)
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"]


def _value(live, text: str, **params):
    return [{k: v["value"] for k, v in row.items()} for row in _rows(live, text, **params)]


def test_union_default_graph_counts_and_sums_each_triple_once(live):
    # The same lead partner and budget stated by three sources, another project by one.
    statement = (f"<{EX}coop> <{EX}partner> <{EX}p1> . <{EX}coop> <{EX}partner> <{EX}p2> . "
                 f"<{EX}coop> <{EX}budget> 1000.5 .")
    graphs = " ".join(f"GRAPH <{EX}src{i}> {{ {statement} }}" for i in range(3))
    assert _update(live, f"INSERT DATA {{ {graphs} GRAPH <{EX}src3> "
                         f"{{ <{EX}other> <{EX}budget> 10 }} }}").status_code == 200
    rows = _value(live, f"SELECT (COUNT(?p) AS ?n) WHERE {{ <{EX}coop> <{EX}partner> ?p }}")
    assert rows == [{"n": "2"}]
    rows = _value(live, f"SELECT (SUM(?b) AS ?total) WHERE {{ ?x <{EX}budget> ?b }}")
    assert float(rows[0]["total"]) == 1010.5
    # GRAPH still tells the sources apart.
    rows = _value(live, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ <{EX}coop> "
                        f"<{EX}budget> ?b }} }}")
    assert rows == [{"n": "3"}]


def test_bookkeeping_is_not_in_the_dataset_and_survives_clear_all(live):
    put = requests.put(live.store, params={"graph": EX + "put"}, timeout=60,
                       data=f"<{EX}s> <{EX}p> <{EX}o> .",
                       headers={**live.auth(), "Content-Type": "application/n-triples"})
    assert put.status_code in (201, 204), put.text
    graphs = {r["g"] for r in _value(live, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")}
    assert EX + "put" in graphs
    assert not {g for g in graphs if g.startswith("urn:ccgraph:")}
    # Provenance is there for a client that names its graph.
    named = _value(live, f"SELECT ?p WHERE {{ GRAPH <urn:ccgraph:meta> {{ <{EX}put> ?p ?o }} }}",
                   **{"named-graph-uri": "urn:ccgraph:meta"})
    assert named
    assert _update(live, "CLEAR ALL").status_code == 200
    assert _value(live, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }") == \
        [{"n": "0"}]
    assert _value(live, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == [{"n": "0"}]
    for text in ("DROP GRAPH <urn:ccgraph:meta>", "COPY DEFAULT TO <urn:ccgraph:union>",
                 "INSERT DATA { GRAPH <urn:ccgraph:meta> { <urn:a> <urn:b> <urn:c> } }"):
        response = _update(live, text)
        assert response.status_code == 403, (text, response.text)
        assert "maintained by ccgraph" in response.json()["error"]["message"]
    response = requests.delete(live.store, params={"graph": "urn:ccgraph:meta"},
                               headers=live.auth(), timeout=60)
    assert response.status_code == 403


def test_unknown_graphs_are_empty_graphs(live):
    empty = "http://nowhere.example/never-fetched"
    assert _rows(live, f"SELECT * FROM <{empty}> WHERE {{ ?s ?p ?o }}") == []
    assert _rows(live, f"SELECT * FROM NAMED <{empty}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") == []
    assert _rows(live, "SELECT * WHERE { ?s ?p ?o }", **{"default-graph-uri": empty}) == []
    assert _rows(live, "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
                 **{"named-graph-uri": empty}) == []
    text = f"INSERT {{ GRAPH <{EX}u> {{ ?s ?p ?o }} }} USING <{empty}> WHERE {{ ?s ?p ?o }}"
    assert _update(live, text).status_code == 200
    response = requests.post(live.sparql, params={"using-graph-uri": empty}, timeout=60,
                             data=f"INSERT {{ GRAPH <{EX}u> {{ ?s ?p ?o }} }} "
                                  "WHERE { ?s ?p ?o }".encode(),
                             headers={**live.auth(), "Content-Type": "application/sparql-update"})
    assert response.status_code == 200, response.text


def test_graph_store_sequence_with_direct_identification(live):
    graph = live.url + "/store/clients/one"
    turtle = {**live.auth(), "Content-Type": "text/turtle; charset=utf-8"}
    assert requests.put(graph, data=f"<{EX}a> <{EX}p> 1 .", headers=turtle,
                        timeout=60).status_code == 201
    got = requests.get(graph, headers={"Accept": "text/turtle; charset=utf-8"}, timeout=60)
    assert got.status_code == 200 and len(Graph().parse(data=got.text, format="turtle")) == 1
    assert requests.post(graph, data=f"<{EX}a> <{EX}p> 2 .", headers=turtle,
                         timeout=60).status_code == 204
    indirect = requests.get(live.store, params={"graph": graph}, timeout=60,
                            headers={"Accept": "application/n-triples"})
    assert indirect.text.count("\n") == 2
    head = requests.head(graph, timeout=60)
    assert head.status_code == 200 and head.text == ""
    assert int(head.headers["Content-Length"]) > 0
    assert requests.delete(graph, headers=live.auth(), timeout=60).status_code == 204
    assert requests.get(graph, timeout=60).status_code == 404
    assert requests.head(graph, timeout=60).status_code == 404


def test_multipart_upload_appends_every_part(live):
    files = {"one": ("one.ttl", f"<{EX}m> <{EX}p> 1 .", "text/turtle"),
             "two": ("two.nt", f"<{EX}m> <{EX}p> \"2\" .\n", "application/n-triples")}
    response = requests.post(live.store, params={"graph": EX + "multi"}, files=files,
                             headers=live.auth(), timeout=60)
    assert response.status_code == 201, response.text
    assert _value(live, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{EX}multi> {{ ?s ?p ?o }} }}") \
        == [{"n": "2"}]


def test_encodings_base_iri_and_load(live):
    response = requests.post(live.sparql, data="SELECT * WHERE { ?s ?p ?o }".encode("utf-16"),
                             headers={"Content-Type": "application/sparql-query; charset=UTF-16"},
                             timeout=60)
    assert response.status_code == 415
    assert _update(live, "INSERT DATA { GRAPH <rel-graph> { <rel-s> <rel-p> <rel-o> } }") \
        .status_code == 200
    rows = _value(live, "SELECT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } FILTER(CONTAINS(STR(?s), "
                        "'rel-s')) }")
    assert rows == [{"g": live.sparql.rsplit("/", 1)[0] + "/rel-graph",
                     "s": live.url + "/rel-s"}]
    refused = _update(live, "LOAD <http://example.org/faraway>")
    assert refused.status_code == 403 and "never fetches" in refused.json()["error"]["message"]
    before = _value(live, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert _update(live, f"LOAD SILENT <http://example.org/faraway> INTO GRAPH <{EX}l>") \
        .status_code == 200
    assert _value(live, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }") == before


@pytest.mark.parametrize("text", [
    "LOAD ;",                                                   # no IRI
    "CREATE GRAPH <g>\nLOAD <remote> INTO GRAPH <g>",          # no separator
    "LOAD <http://example.org/faraway> ;; CLEAR DEFAULT",       # too many separators
    "LOAD SILENT <http://example.org/faraway> ; INSERT DATA { <a> }",  # malformed elsewhere
])
def test_a_malformed_load_is_a_syntax_error_not_a_refusal(live, text):
    # Only a well-formed request is refused by policy (403): a malformed one is 400.
    response = _update(live, text)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["message"].startswith("SPARQL syntax error")


def test_sparql_update_is_validated_like_an_upload(live):
    cluster = (f"<{EX}c1> a <https://w3id.org/ccgraph/ontology#Cluster> ; "
               f"<http://www.w3.org/2000/01/rdf-schema#label> \"No region\" .")
    response = _update(live, f"INSERT DATA {{ GRAPH <{EX}clusters> {{ {cluster} }} }}")
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_data"
    assert any(p.get("focus_node") == f"{EX}c1" for p in error["problems"])
    assert _rows(live, f"SELECT * WHERE {{ <{EX}c1> ?p ?o }}") == []  # nothing stored
    put = requests.put(live.store, params={"graph": EX + "clusters"}, data=cluster,
                       headers={**live.auth(), "Content-Type": "text/turtle"}, timeout=60)
    assert put.status_code == 400 and put.json()["error"]["code"] == "invalid_data"


def test_graph_store_default_graph_is_the_one_queries_see(live):
    # Union mode: GET /store?default answers the merge a query's default graph is.
    triple = f"<{EX}gd> <{EX}p> <{EX}o> ."
    for name in ("gd1", "gd2"):
        put = requests.put(live.store, params={"graph": EX + name}, data=triple, timeout=60,
                           headers={**live.auth(), "Content-Type": "application/n-triples"})
        assert put.status_code in (201, 204), put.text
    response = requests.get(live.store, params={"default": ""}, timeout=60,
                            headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    lines = [line for line in response.text.splitlines() if line.startswith(f"<{EX}gd>")]
    assert lines == [triple]
    queried = requests.get(live.sparql, params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                           headers={"Accept": "application/n-triples"}, timeout=60)
    assert set(queried.text.splitlines()) == set(response.text.splitlines())


@pytest.fixture(scope="module")
def remote(oxigraph_server):
    requests.post(oxigraph_server + "/update", data={"update": "DROP ALL"}, timeout=30)
    server = start_server(f"sparql:{oxigraph_server}/query update={oxigraph_server}/update",
                          lifetime=600)
    yield server
    stop_server(server)


def test_remote_mode_hides_the_bookkeeping(remote, oxigraph_server):
    # The remote store holds ccgraph's metadata graph (the generation counter) beside the data.
    assert _update(remote, f"INSERT DATA {{ GRAPH <{EX}r1> {{ <{EX}x> <{EX}p> 1 }} }}") \
        .status_code == 200
    raw = requests.get(oxigraph_server + "/query", timeout=30, headers=SPARQL_JSON,
                       params={"query": "SELECT DISTINCT ?g { GRAPH ?g {} }"}).json()
    assert "urn:ccgraph:meta" in {r["g"]["value"] for r in raw["results"]["bindings"]}
    assert _value(remote, "SELECT DISTINCT ?g { GRAPH ?g {} }") == [{"g": EX + "r1"}]
    assert _value(remote, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }") == [{"n": "1"}]
    generation = int(_update(remote, "CLEAR ALL").headers["X-CCGraph-Generation"])
    assert _value(remote, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }") == [{"n": "0"}]
    # The counter survived CLEAR ALL: it goes on, never back.
    later = _update(remote, f"INSERT DATA {{ GRAPH <{EX}r2> {{ <{EX}y> <{EX}p> 2 }} }}")
    assert int(later.headers["X-CCGraph-Generation"]) == generation + 1 > 2
    refused = _update(remote, "CLEAR GRAPH <urn:ccgraph:meta>")
    assert refused.status_code == 403
