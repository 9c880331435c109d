"""The row cap on answers serialised by Oxigraph itself (store/engine.py).

Oxigraph's serialisers cannot stop at the cap, so the engine counts the rows of a
large answer; these tests give it answers whose values look like row boundaries.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from rdflib import Literal, URIRef

from ccgraph.errors import BadRequest
from ccgraph.store import engine
from ccgraph.store.base import GraphWrite

GRAPH = "https://example.org/graph/cap"
# Values holding each format's row separators: JSON "},{", an XML tag, CSV line breaks.
TRICKY = ['a},{b},{"c"}', "<result></result>", 'line\r\nbreak, "quoted"', "tab\there\nnew"]


def _fill(store, count: int) -> None:
    quads = []
    for i in range(count):
        value = TRICKY[i % len(TRICKY)] * 3
        quads.append((URIRef(f"https://example.org/s/{i}"), URIRef("https://example.org/p"),
                      Literal(f"{i} {value}")))
    store.write([GraphWrite(GRAPH, quads)])


def _rows(body: bytes, fmt: str) -> list:
    if fmt == "json":
        return json.loads(body)["results"]["bindings"]
    if fmt == "xml":
        ns = "{http://www.w3.org/2005/sparql-results#}"
        return ET.fromstring(body).findall(f"{ns}results/{ns}result")
    if fmt == "csv":
        return list(csv.reader(io.StringIO(body.decode(), newline="")))[1:]
    return body.decode().split("\n")[1:-1]


QUERY = "SELECT ?s ?o WHERE { ?s <https://example.org/p> ?o }"


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
@pytest.mark.parametrize(("rows", "cap", "truncated"), [(40, 40, False), (41, 40, True),
                                                          (12, 40, False), (400, 7, True)])
def test_cap_is_exact_whatever_the_values_hold(store, fmt, rows, cap, truncated):
    _fill(store, rows)
    output = store.execute(store.request(QUERY, solutions_format=fmt, row_cap=cap))
    assert output.truncated is truncated
    assert len(_rows(output.body, fmt)) == min(rows, cap)


def test_answer_past_the_native_budget_is_capped(store, monkeypatch):
    _fill(store, 300)
    monkeypatch.setattr(engine, "NATIVE_BUDGET", 2_000)  # the native attempt overflows
    output = store.execute(store.request(QUERY, row_cap=250))
    assert output.truncated
    assert len(_rows(output.body, "json")) == 250


def test_answer_under_the_cap_is_oxigraphs_own(store):
    _fill(store, 30)
    output = store.execute(store.request(QUERY, row_cap=100))
    assert not output.truncated
    assert len(_rows(output.body, "json")) == 30
    assert output.rows == -1  # serialised natively, not row by row


def test_errors_while_rows_are_read_are_the_clients(store):
    _fill(store, 3)
    # Oxigraph reports the unknown function only once it evaluates a row.
    with pytest.raises(BadRequest, match="cannot be evaluated"):
        store.execute(store.request("SELECT ?x WHERE { ?s ?p ?o BIND(<urn:f>(?o) AS ?x) }"))
