"""Linked data: /id/... answers a browser with a page and an RDF client with RDF. Tested in
process through the test client (`client`, conftest.py); one test fetches over HTTP from a
live server and must get the same graph."""

from __future__ import annotations

import pytest
import requests
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, RDFS

from servers import serving_copy

ID = "https://w3id.org/ccgraph/id/"
CCG = "https://w3id.org/ccgraph/ontology#"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

FORMATS = [
    ("text/turtle", "turtle"),
    ("application/ld+json", "json-ld"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "xml"),
]


@pytest.fixture(scope="module")
def site(bundled_store_path, tmp_path_factory):
    with serving_copy(bundled_store_path, tmp_path_factory.mktemp("ld")) as live:
        yield live


def fetch(client, path: str, accept: str):
    return client.get(path, headers={"Accept": accept})


def vary(response) -> set[str]:
    return {v.strip().lower() for v in response.headers.get("Vary", "").split(",")}


@pytest.mark.parametrize("path", ["/id/cluster/synthetic-1", "/id/project/clustercoop"])
@pytest.mark.parametrize(("accept", "rdflib_format"), FORMATS)
def test_rdf_clients_get_rdf_by_accept(client, path, accept, rdflib_format):
    response = fetch(client, path, accept)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(accept)
    assert "accept" in vary(response)
    graph = Graph().parse(data=response.data, format=rdflib_format)
    subject = URIRef(ID + path.removeprefix("/id/"))
    assert (subject, RDF.type, None) in graph
    assert (subject, DCTERMS.source, None) in graph
    assert any(isinstance(o, Literal) for o in graph.objects(None, RDFS.label))


@pytest.mark.parametrize("path", ["/id/cluster/synthetic-1", "/id/project/clustercoop",
                                  "/id/instrument/synthetic-1"])
def test_browsers_get_a_page_with_sources(client, path):
    response = fetch(client, path, BROWSER)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert "accept" in vary(response)
    assert '<h2 id="sources-heading">Sources</h2>' in response.text
    assert ID + path.removeprefix("/id/") in response.text


def test_html_only_when_it_is_preferred(client):
    path = "/id/cluster/synthetic-1"
    assert fetch(client, path, "*/*").headers["Content-Type"].startswith("text/turtle")
    equal = fetch(client, path, "text/html;q=0.5,text/turtle;q=0.5")
    assert equal.headers["Content-Type"].startswith("text/turtle")
    assert fetch(client, path, "text/html").headers["Content-Type"].startswith("text/html")


def test_synthetic_resources_say_so_in_rdf_and_html(client):
    turtle = fetch(client, "/id/cluster/synthetic-1", "text/turtle").data
    graph = Graph().parse(data=turtle, format="turtle")
    assert (URIRef(ID + "cluster/synthetic-1"), URIRef(CCG + "synthetic"),
            Literal(True)) in graph
    assert "synthetic-banner" in fetch(client, "/id/cluster/synthetic-1", BROWSER).text


@pytest.mark.parametrize("accept", [BROWSER, "text/turtle", "application/ld+json"])
def test_unknown_ids_are_404(client, accept):
    response = fetch(client, "/id/cluster/no-such-cluster", accept)
    assert response.status_code == 404


def test_unacceptable_media_type_is_406(client):
    assert fetch(client, "/id/cluster/synthetic-1", "image/png").status_code == 406


def test_a_live_server_answers_with_the_same_graph(site, client):
    path = "/id/project/clustercoop"
    over_http = requests.get(site.url + path, headers={"Accept": "text/turtle"}, timeout=60)
    assert over_http.status_code == 200
    assert over_http.headers["Content-Type"].startswith("text/turtle")
    in_process = fetch(client, path, "text/turtle").data
    served = Graph().parse(data=over_http.content, format="turtle")
    assert len(served) > 10
    assert isomorphic(served, Graph().parse(data=in_process, format="turtle"))
