"""The SPARQL service description (with VoID for the dataset), at GET /sparql."""

from __future__ import annotations

from flask import Response, url_for
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from .. import __version__
from ..namespaces import SD, VOID
from .http import negotiate, settings

__all__ = ["rdf_response", "service_description"]

RDF_OFFERS = [
    ("turtle", "text/turtle"),
    ("ntriples", "application/n-triples"),
    ("jsonld", "application/ld+json"),
    ("rdfxml", "application/rdf+xml"),
    ("trig", "application/trig"),
    ("nquads", "application/n-quads"),
    ("turtle", "application/x-turtle"),
    ("ntriples", "text/plain"),
]
_RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld",
                   "rdfxml": "xml", "trig": "trig", "nquads": "nquads"}
_MEDIA = {key: media for key, media in RDF_OFFERS[:6]}
_RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                   "SPARQL_Results_TSV", "Turtle", "N-Triples", "RDF_XML", "JSON-LD")


def rdf_response(graph: Graph, default: str = "turtle") -> Response:
    fmt = negotiate(RDF_OFFERS, default)
    if fmt in ("trig", "nquads"):  # dataset formats: the triples as the default graph
        dataset = Dataset()
        for triple in graph:
            dataset.add(triple)
        graph = dataset
    body = graph.serialize(format=_RDFLIB_FORMATS[fmt], encoding="utf-8")
    response = Response(body, content_type=f"{_MEDIA[fmt]}; charset=utf-8")
    response.headers["Vary"] = "Accept"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def describe(services) -> Graph:
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    endpoint = URIRef(url_for("sparql.endpoint", _external=True))
    service = URIRef(str(endpoint) + "#service")
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, endpoint))
    graph.add((service, DCTERMS.title, Literal(f"ccgraph {__version__} SPARQL endpoint")))
    for language in (SD.SPARQL11Query, SD.SPARQL11Update):
        graph.add((service, SD.supportedLanguage, language))
    for fmt in _RESULT_FORMATS:
        graph.add((service, SD.resultFormat, URIRef(f"http://www.w3.org/ns/formats/{fmt}")))
    if settings().federation_allowlist:
        graph.add((service, SD.feature, SD.BasicFederatedQuery))
    if settings().union_default_graph:
        graph.add((service, SD.feature, SD.UnionDefaultGraph))
    _describe_dataset(graph, service, services)
    return graph


def _describe_dataset(graph: Graph, service, services) -> None:
    dataset = BNode()
    default = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, RDF.type, VOID.Dataset))
    total = 0
    for info in services.store.graphs():
        named, described = BNode(), BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, SD.name, URIRef(info.iri)))
        graph.add((named, SD.graph, described))
        graph.add((described, RDF.type, VOID.Dataset))
        graph.add((described, VOID.triples, Literal(info.triples, datatype=XSD.integer)))
        total += info.triples
    if settings().union_default_graph:
        graph.add((default, VOID.triples, Literal(total, datatype=XSD.integer)))


def service_description(services) -> Response:
    return rdf_response(describe(services))
