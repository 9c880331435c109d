"""import-table: the worked example imports; bad rows are named; nothing half-written."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from ccgraph.errors import InvalidData
from ccgraph.tables import import_table, read_rows
from servers import ROOT

EXAMPLE = ROOT / "data" / "tables"


@pytest.fixture
def reference_store(store):
    from ccgraph.load import load_files

    load_files(store, [ROOT / "ontology" / "ccgraph.ttl",
                       *sorted((ROOT / "data" / "reference").glob("*.ttl"))], validate=False)
    return store


def test_worked_example_imports_with_provenance(reference_store):
    report = import_table(reference_store, EXAMPLE / "clusters.csv", EXAMPLE / "clusters.yaml")
    graph = "https://w3id.org/ccgraph/graph/table-example-clusters"
    assert list(report.graphs) == [graph]
    rows = reference_store.select("""
        PREFIX ccg: <https://w3id.org/ccgraph/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?label ?region WHERE { ?c a ccg:Cluster ; rdfs:label ?label ; ccg:locatedIn ?region ;
                                         ccg:synthetic true }""")
    found = {(str(r["label"]), str(r["region"]).rsplit("/", 1)[1]) for r in rows}
    assert ("Example Mechatronics Cluster Győr", "HU22") in found
    assert len(found) == 5
    (info,) = [g for g in reference_store.graphs() if g.iri == graph]
    assert info.meta["files"] == [str(EXAMPLE / "clusters.csv")]


def test_bad_rows_are_named_and_nothing_is_written(reference_store, tmp_path):
    table = tmp_path / "bad.csv"
    table.write_text("id,name_en,name_local,lang_local,nuts2,nace,founded,website\n"
                     "x1,X,,,HU22,28,2008-13-01,https://e.org\n"
                     "x2,,,,HU22,28,2008-01-01,not a url\n")
    generation = reference_store.generation
    with pytest.raises(InvalidData) as error:
        import_table(reference_store, table, EXAMPLE / "clusters.yaml")
    messages = {(p.line, p.extra.get("column")) for p in error.value.problems}
    assert messages == {(2, "founded"), (3, "name_en"), (3, "website")}
    assert reference_store.generation == generation


def test_unknown_region_fails_shacl(reference_store, tmp_path):
    table = tmp_path / "bad.csv"
    table.write_text("id,name_en,name_local,lang_local,nuts2,nace,founded,website\n"
                     "x1,X,,,ZZ99,28,2008-12-01,https://e.org\n")
    with pytest.raises(InvalidData) as error:
        import_table(reference_store, table, EXAMPLE / "clusters.yaml")
    assert error.value.problems[0].focus_node == "https://w3id.org/ccgraph/id/cluster/x1"


def test_missing_column_is_named(reference_store, tmp_path):
    table = tmp_path / "short.csv"
    table.write_text("id,name_en\nx1,X\n")
    with pytest.raises(InvalidData, match="the mapping does not fit") as error:
        import_table(reference_store, table, EXAMPLE / "clusters.yaml")
    assert any("nuts2" in p.message for p in error.value.problems)


def test_xlsx_reads_like_csv(tmp_path):
    book = Workbook()
    sheet = book.active
    rows = read_rows(EXAMPLE / "clusters.csv")
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    book.save(tmp_path / "clusters.xlsx")
    assert read_rows(tmp_path / "clusters.xlsx") == read_rows(EXAMPLE / "clusters.csv")
