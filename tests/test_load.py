"""Loading: every format, precise errors, provenance, and a store left unchanged by bad input."""

from __future__ import annotations

import gzip
import io
import json
import resource
import subprocess
import sys
import time

import pytest
from rdflib import URIRef

from ccgraph.errors import Forbidden, InvalidData
from ccgraph.load import default_graph_for, load_files
from ccgraph.namespaces import CCG

TURTLE = """@prefix ex: <http://example.org/> .
ex:a ex:p ex:b ; ex:q "x"@en .
"""
FORMATS = {
    "a.ttl": TURTLE,
    "a.nt": "<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n"
            '<http://example.org/a> <http://example.org/q> "x"@en .\n',
    "a.nq": "<http://example.org/a> <http://example.org/p> <http://example.org/b> <http://g/1> .\n"
            '<http://example.org/a> <http://example.org/q> "x"@en <http://g/1> .\n',
    "a.trig": "@prefix ex: <http://example.org/> . <http://g/1> { ex:a ex:p ex:b ; ex:q \"x\"@en }",
    "a.jsonld": json.dumps({"@context": {"ex": "http://example.org/"}, "@id": "ex:a",
                            "ex:p": {"@id": "ex:b"}, "ex:q": {"@value": "x", "@language": "en"}}),
    "a.rdf": """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/a">
    <ex:p rdf:resource="http://example.org/b"/><ex:q xml:lang="en">x</ex:q>
  </rdf:Description>
</rdf:RDF>""",
}


def snapshot(store) -> set:
    """Everything the store holds, as N-Quads lines (metadata included)."""
    from ccgraph.backup import export_dataset

    out = io.BytesIO()
    export_dataset(store, out, "nquads")
    return set(out.getvalue().decode().splitlines())


@pytest.mark.parametrize("name", sorted(FORMATS))
@pytest.mark.parametrize("gzipped", [False, True])
def test_every_format_loads_by_extension(store, tmp_path, name, gzipped):
    path = tmp_path / (name + (".gz" if gzipped else ""))
    data = FORMATS[name].encode()
    path.write_bytes(gzip.compress(data) if gzipped else data)
    report = load_files(store, [path])
    assert report.triples == 2
    rows = store.select("SELECT ?o WHERE { <http://example.org/a> <http://example.org/q> ?o }")
    assert [str(r["o"]) for r in rows] == ["x"]


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_format_sniffed_from_content(store, tmp_path, name):
    path = tmp_path / "upload.data"
    path.write_text(FORMATS[name])
    assert load_files(store, [path]).triples == 2


def test_each_file_lands_in_its_own_graph_with_provenance(store, tmp_path):
    path = tmp_path / "clusters-2024.ttl"
    path.write_text(TURTLE)
    load_files(store, [path])
    graph = default_graph_for(str(path))
    assert graph == "https://w3id.org/ccgraph/graph/clusters-2024"
    (info,) = [g for g in store.graphs() if g.iri == graph]
    assert info.triples == 2
    assert info.meta["files"] == [str(path)]
    assert info.meta["tool"].startswith("ccgraph ")
    import hashlib

    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert info.meta["derived_from"] == [f"urn:sha256:{digest}"]
    assert info.meta["loaded"][:4].isdigit()


def test_replace_and_append(store, tmp_path):
    first, second = tmp_path / "one.ttl", tmp_path / "two.ttl"
    first.write_text("<http://e/a> <http://e/p> 1 .")
    second.write_text("<http://e/a> <http://e/p> 2 .")
    graph = "http://example.org/g"
    load_files(store, [first], graph=graph)
    load_files(store, [second], graph=graph, mode="append")
    values = sorted(int(r["o"]) for r in store.select("SELECT ?o { ?s <http://e/p> ?o }"))
    assert values == [1, 2]
    (info,) = [g for g in store.graphs() if g.iri == graph]
    assert info.triples == 2 and len(info.meta["files"]) == 2
    load_files(store, [second], graph=graph)  # replace is the default
    assert [int(r["o"]) for r in store.select("SELECT ?o { ?s <http://e/p> ?o }")] == [2]


def test_dry_run_writes_nothing(store, tmp_path):
    path = tmp_path / "a.ttl"
    path.write_text(TURTLE)
    before = (store.generation, snapshot(store))
    report = load_files(store, [path], dry_run=True)
    assert report.triples == 2 and report.generation is None
    assert (store.generation, snapshot(store)) == before


BAD_SYNTAX = {
    "broken.ttl": ("@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b \"open .\n", 3),
    "broken.nt": ("<http://e/a> <http://e/b> <http://e/c> .\n<http://e/a> <http://e/b> .\n", 2),
    "broken.nq": ("<http://e/a> <http://e/b> <http://e/c> <http://g> .\n<http://e/a> x\n", 2),
    "broken.trig": ("<http://g> {\n <http://e/a> <http://e/b> \n}\n", 3),
    "broken.jsonld": ('{"@id": "http://e/a",\n "http://e/b": [1, }', 2),
    "broken.rdf": ('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
                   '22-rdf-syntax-ns#">\n<rdf:Description rdf:about="http://e/a">\n</rdf:RDF>',
                   4),
}


@pytest.mark.parametrize("name", sorted(BAD_SYNTAX))
def test_syntax_errors_name_file_line_column_and_change_nothing(store, tmp_path, name):
    good = tmp_path / "good.ttl"
    good.write_text(TURTLE)
    load_files(store, [good])
    before = (store.generation, snapshot(store))
    text, line = BAD_SYNTAX[name]
    bad = tmp_path / name
    bad.write_text(text)
    with pytest.raises(InvalidData) as error:
        load_files(store, [good, bad])  # one transaction: the good file is not kept either
    (problem,) = error.value.problems
    assert problem.file == str(bad)
    assert problem.line == line
    assert problem.column is not None or name.endswith((".rdf", ".jsonld"))
    assert (store.generation, snapshot(store)) == before


def test_shacl_violations_name_focus_node_path_and_message(store, tmp_path):
    bad = tmp_path / "cluster.ttl"
    bad.write_text("""@prefix ccg: <https://w3id.org/ccgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/ccgraph/id/cluster/nowhere> a ccg:Cluster ; rdfs:label "Nowhere"@en .
<https://w3id.org/ccgraph/id/project/p> a ccg:Project ; rdfs:label "P"@en ;
    ccg:budgetEUR -5.0 .
""")
    before = snapshot(store)
    with pytest.raises(InvalidData) as error:
        load_files(store, [bad])
    focus = {p.focus_node for p in error.value.problems}
    assert "https://w3id.org/ccgraph/id/cluster/nowhere" in focus
    assert "https://w3id.org/ccgraph/id/project/p" in focus
    budget = [p for p in error.value.problems if p.path == str(CCG.budgetEUR)]
    assert budget and budget[0].message
    assert snapshot(store) == before


def test_validation_uses_what_the_new_data_references(store, tmp_path):
    regions = tmp_path / "regions.ttl"
    regions.write_text("""@prefix ccg: <https://w3id.org/ccgraph/ontology#> .
<http://data.europa.eu/nuts/code/HU22> a ccg:Region .""")
    cluster = tmp_path / "cluster.ttl"
    cluster.write_text("""@prefix ccg: <https://w3id.org/ccgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/ccgraph/id/cluster/c> a ccg:Cluster ; rdfs:label "C"@en ;
    ccg:locatedIn <http://data.europa.eu/nuts/code/HU22> ;
    <http://purl.org/dc/terms/source> <https://w3id.org/ccgraph/id/source/survey> .""")
    with pytest.raises(InvalidData):  # the region is not known yet
        load_files(store, [cluster])
    load_files(store, [regions], validate=False)
    assert load_files(store, [cluster]).triples == 4


def test_reserved_graphs_cannot_be_loaded_into(store, tmp_path):
    path = tmp_path / "a.ttl"
    path.write_text(TURTLE)
    for graph in ("urn:ccgraph:meta", "urn:ccgraph:union"):
        with pytest.raises(Forbidden, match="maintained by ccgraph"):
            load_files(store, [path], graph=graph)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/">
 <rdf:Description rdf:about="http://e/a"><ex:p>&lol9;</ex:p></rdf:Description>
</rdf:RDF>"""


def test_billion_laughs_rejected_fast_with_bounded_memory(store, tmp_path):
    path = tmp_path / "lol.rdf"
    path.write_text(BILLION_LAUGHS)
    assert len(BILLION_LAUGHS) < 1500
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with pytest.raises(InvalidData, match="DOCTYPE"):
        load_files(store, [path])
    assert time.perf_counter() - started < 1.0
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    assert grown_kb < 50_000


def test_external_entity_refused(store, tmp_path):
    path = tmp_path / "xxe.rdf"
    path.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>')
    with pytest.raises(InvalidData, match="DOCTYPE"):
        load_files(store, [path])


@pytest.mark.parametrize("name,text", [
    ("deep.jsonld", '{"@id": "http://e/a", "http://e/p": ' + "[" * 5000 + "]" * 5000 + "}"),
    ("deep.ttl", "<http://e/a> <http://e/p> " + "[ <http://e/p> " * 5000 + "]" * 5000 + " ."),
    ("deep.trig", "<http://g> { <http://e/a> <http://e/p> " + "(" * 5000 + ")" * 5000 + " . }"),
])
def test_deep_nesting_refused_before_parsing(store, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(InvalidData, match="nesting too deep"):
        load_files(store, [path])


def test_moderate_nesting_still_parses(store, tmp_path):
    path = tmp_path / "nested.ttl"
    path.write_text("<http://e/a> <http://e/p> " + "[ <http://e/p> " * 300 + "1" + "]" * 300 + " .")
    assert load_files(store, [path]).triples == 301


def test_remote_jsonld_context_never_fetched(store, tmp_path, canary):
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps({"@context": canary.url + "/context.jsonld", "@id": "http://e/a",
                                "name": "x"}))
    with pytest.raises(InvalidData, match="remote JSON-LD @context"):
        load_files(store, [path])
    path.write_text(json.dumps({"@context": [{"ex": "http://e/"}, canary.url + "/c"],
                                "@id": "http://e/a"}))
    with pytest.raises(InvalidData, match="remote JSON-LD @context"):
        load_files(store, [path])
    assert canary.hits == []


def test_http_and_file_iris_are_data_not_fetched(store, tmp_path, canary):
    path = tmp_path / "links.ttl"
    path.write_text(f"<{canary.url}/a> <http://e/p> <file:///etc/hostname> .\n"
                    f"<http://e/x> <http://www.w3.org/2002/07/owl#imports> <{canary.url}/o> .")
    assert load_files(store, [path]).triples == 2
    assert canary.hits == []


def test_cli_load_reports_and_exits_nonzero(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://e/> .\nex:a ex:b .\n")
    result = subprocess.run([sys.executable, "-m", "ccgraph.cli", "--store",
                             f"oxigraph:{tmp_path / 's'}", "load", str(bad)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert f"{bad}:2:" in result.stderr
    assert "Traceback" not in result.stderr
    good = tmp_path / "good.ttl"
    good.write_text(TURTLE)
    result = subprocess.run([sys.executable, "-m", "ccgraph.cli", "--store",
                             f"oxigraph:{tmp_path / 's'}", "load", "--quiet", str(good)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout == ""


def test_bindings_are_terms_never_text(store, tmp_path):
    path = tmp_path / "a.ttl"
    path.write_text(TURTLE)
    load_files(store, [path])
    from rdflib import Literal

    hostile = "> } ; DROP ALL #"
    rows = store.select("SELECT ?s WHERE { ?s ?p ?o }", {"o": Literal(hostile)})
    assert rows == []
    assert store.select("SELECT ?o WHERE { ?s <http://example.org/p> ?o }",
                        {"s": URIRef("http://example.org/a")})
    assert len(snapshot(store)) > 2


def test_files_into_one_graph_are_a_set_even_on_the_bulk_path(store, tmp_path):
    first, second = tmp_path / "v2021.nt", tmp_path / "v2024.nt"
    label = '<http://e/r> <http://e/label> "Region" .\n'
    first.write_text(label + '<http://e/r> <http://e/v> "1" .\n')
    second.write_text(label + '<http://e/r> <http://e/v> "2" .\n')
    for validate in (False, True):
        report = load_files(store, [first, second], graph="http://e/g", validate=validate)
        assert report.graphs == {"http://e/g": 3}
        rows = store.select("SELECT ?l WHERE { <http://e/r> <http://e/label> ?l }")
        assert len(rows) == 1
        (info,) = [g for g in store.graphs() if g.iri == "http://e/g"]
        assert sorted(info.meta["files"]) == sorted([str(first), str(second)])


def test_bulk_load_into_the_default_graph_counts(store, tmp_path):
    path = tmp_path / "a.nt"
    path.write_text(FORMATS["a.nt"])
    report = load_files(store, [path], graph="", validate=False)
    assert report.graphs == {"": 2}
