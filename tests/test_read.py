"""The read layer on a real store, with no Flask app: what the pages, the API and the CLI
render is plain data (names beside IRIs), and a named query's form (SELECT, ASK,
CONSTRUCT) is told apart in one place."""

from __future__ import annotations

import dataclasses

import pytest

from ccgraph.analytics import Engine
from ccgraph.config import DEFAULT_INSTANCE_BASE
from ccgraph.errors import BadRequest, NotFound
from ccgraph.namespaces import NUTS
from ccgraph.queries import QueryRegistry
from ccgraph.read import dossier, messages, named, resource
from ccgraph.read.console import render
from ccgraph.read.search import SearchIndex, matches
from servers import ROOT

EN = ("en",)
CLUSTER = DEFAULT_INSTANCE_BASE + "cluster/synthetic-1"


def test_each_form_of_query_is_answered_in_one_place(bundled_store):
    asked = named.run(bundled_store, "ASK { ?s ?p ?o }", {})
    assert asked.kind == "boolean" and not asked.is_table
    assert named.page_table(bundled_store, asked, EN)["columns"] == ["result"]
    with pytest.raises(BadRequest, match="does not return a table"):
        named.json_rows(asked)
    built = named.run(bundled_store, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3", {})
    assert built.kind == "graph" and built.text().strip()
    query = QueryRegistry(ROOT / "queries").get("projects-by-programme")
    table = named.run_named(bundled_store, query, {})
    columns, rows = named.json_rows(table)
    assert columns and rows and all(set(row) <= set(columns) for row in rows)
    shown = named.page_table(bundled_store, table, EN)
    assert shown["count"] == len(rows)
    linked = [cell for row in shown["rows"] for cell in row if "iri" in cell]
    assert linked and all(cell["text"] != cell["iri"] for cell in linked)


def test_the_cli_table_and_the_api_rows_come_from_the_same_answer(bundled_store):
    registry = QueryRegistry(ROOT / "queries")
    text = render(bundled_store, registry, "projects-by-programme", None, [], "table")
    _columns, rows = named.json_rows(named.run_named(bundled_store,
                                                     registry.get("projects-by-programme"), {}))
    assert f"\n{len(rows)} rows" in text and text.count("\n") >= len(rows) + 2


def test_a_resource_is_described_with_names_and_iris_and_no_site_links(bundled_store):
    described = resource.describe(bundled_store, CLUSTER, EN)
    assert described is not None and described.kind == "cluster"
    assert described.label and described.label != CLUSTER
    links = list(described.links.values())
    assert links and all(link.iri and link.label for link in links)
    assert "href" not in {f.name for f in dataclasses.fields(links[0])}
    assert len(resource.statements(bundled_store, CLUSTER)) > 0
    assert resource.describe(bundled_store, CLUSTER + "-nope", EN) is None
    with pytest.raises(NotFound):
        resource.statements(bundled_store, CLUSTER + "-nope")


def test_search_and_the_dossier_read_without_a_web_app(bundled_store):
    found = matches(SearchIndex(bundled_store), "Steiermark", ("region",), 3, EN)
    assert found[0]["label"] == "Steiermark" and found[0]["iri"] == str(NUTS["AT22"])
    engine = Engine(bundled_store)

    def analytics(method, *args, **kwargs):
        return messages.attempt(engine, method, bundled_store, EN, *args, **kwargs)

    data = dossier.dossier_data(bundled_store, "AT22", EN, analytics)
    assert data["label"] == "Steiermark" and data["iri"] == str(NUTS["AT22"])
    assert set(dossier.tables(data)) == {"clusters", "programmes", "partners", "gaps",
                                         "contacts", "events", "sources"}
    with pytest.raises(NotFound):
        dossier.dossier_data(bundled_store, "ZZ99", EN, analytics)


def test_an_analysis_that_fails_says_so_with_names_not_addresses(bundled_store):
    answer, message = messages.attempt(Engine(bundled_store), "partners", bundled_store, EN,
                                       str(NUTS["AT22"]), n=3)
    assert answer is None and message and "http" not in message
    assert "Steiermark" in message or "this resource" in message
    words, found = messages.without_addresses(bundled_store, f"no cluster <{NUTS}AT22>", EN)
    assert words == "no cluster “Steiermark”" and found == [f"{NUTS}AT22"]
