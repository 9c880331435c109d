"""SPARQL 1.1 Protocol parsing as a pure function: request parts in, an operation or a
precise refusal out (no server, no store)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from ccgraph.errors import BadRequest, UnsupportedMediaType
from ccgraph.web.protocol import SparqlOperation, parse_operation

Q = "SELECT * WHERE { ?s ?p ?o }"
U = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
FORM = "application/x-www-form-urlencoded"


def form(**fields) -> bytes:
    return urlencode([(k.replace("_", "-"), v) for k, values in fields.items()
                      for v in (values if isinstance(values, list) else [values])]).encode()


def test_get_query():
    op = parse_operation("GET", {"query": [Q]}, None, b"")
    assert op == SparqlOperation("query", Q)


def test_get_without_parameters_asks_for_the_service_description():
    assert parse_operation("GET", {}, None, b"").kind == "describe-service"


def test_post_form_query_with_dataset():
    body = form(query=Q, default_graph_uri=["urn:g1", "urn:g2"], named_graph_uri="urn:g3")
    op = parse_operation("POST", {}, FORM, body)
    assert op.kind == "query"
    assert op.default_graphs == ("urn:g1", "urn:g2")
    assert op.named_graphs == ("urn:g3",)
    assert op.has_dataset


def test_post_direct_query_with_dataset_in_the_url():
    op = parse_operation("POST", {"default-graph-uri": ["urn:g1"]},
                         "application/sparql-query; charset=utf-8", Q.encode())
    assert op == SparqlOperation("query", Q, default_graphs=("urn:g1",))


def test_post_form_update_with_using():
    body = form(update=U, using_graph_uri="urn:g1", using_named_graph_uri="urn:g2")
    op = parse_operation("POST", {}, FORM, body)
    assert (op.kind, op.text, op.using_graphs, op.using_named) == \
        ("update", U, ("urn:g1",), ("urn:g2",))


def test_post_direct_update():
    op = parse_operation("POST", {"using-graph-uri": ["urn:g1"]}, "application/sparql-update",
                         U.encode())
    assert op == SparqlOperation("update", U, using_graphs=("urn:g1",))


def test_unknown_parameters_are_ignored():
    """SPARQLWrapper sends format, output and results beside the query."""
    params = {"query": [Q], "format": ["json"], "output": ["json"], "results": ["json"],
              "timeout": ["5"]}
    assert parse_operation("GET", params, None, b"") == SparqlOperation("query", Q)
    body = form(query=Q, format="json", output="json", results="json")
    assert parse_operation("POST", {}, FORM, body) == SparqlOperation("query", Q)


def test_bodies_in_any_encoding_but_utf8_are_refused():
    body = urlencode({"query": 'SELECT * WHERE { ?s ?p "é" }'}, encoding="latin-1").encode()
    with pytest.raises(UnsupportedMediaType, match="UTF-8 only"):
        parse_operation("POST", {}, f"{FORM}; charset=ISO-8859-1", body)
    text = 'SELECT * WHERE { ?s ?p "é" }'
    for kind in ("query", "update"):
        with pytest.raises(UnsupportedMediaType, match="UTF-16"):
            parse_operation("POST", {}, f"application/sparql-{kind}; charset=UTF-16",
                            text.encode("utf-16"))
    op = parse_operation("POST", {}, "application/sparql-query; charset=utf-8", text.encode())
    assert '"é"' in op.text
    with pytest.raises(BadRequest, match="not valid utf-8"):
        parse_operation("POST", {}, FORM, b"query=%FF")


@pytest.mark.parametrize(("method", "params", "content_type", "body", "message"), [
    ("GET", {"update": [U]}, None, b"", "POST"),
    ("GET", {"query": [Q], "update": [U]}, None, b"", "not both"),
    ("GET", {"query": [Q, Q]}, None, b"", "2 times"),
    ("POST", {}, FORM, form(query=[Q, Q]), "2 times"),
    ("POST", {}, FORM, form(query=Q, update=U), "not both"),
    ("POST", {}, FORM, b"", "neither"),
    ("POST", {"query": [Q]}, FORM, form(query=Q), "not both"),
    ("POST", {"query": [Q]}, "application/sparql-query", Q.encode(), "body only"),
    ("POST", {}, "application/sparql-query", b"  ", "empty"),
    ("POST", {}, "application/sparql-query", b"\xff\xfe", "UTF-8"),
    ("GET", {"query": [Q], "using-graph-uri": ["urn:g"]}, None, b"", "updates only"),
    ("POST", {}, FORM, form(update=U, default_graph_uri="urn:g"), "queries only"),
    ("PUT", {}, "application/sparql-query", Q.encode(), "not a SPARQL protocol method"),
])
def test_refusals(method, params, content_type, body, message):
    with pytest.raises(BadRequest, match=message):
        parse_operation(method, params, content_type, body)


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/json",
                                          "application/sparql-results+json"])
def test_unsupported_media_types(content_type):
    with pytest.raises(UnsupportedMediaType, match="unsupported Content-Type"):
        parse_operation("POST", {}, content_type, Q.encode())
