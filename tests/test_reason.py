"""HermiT through ccgraph.reason: real Java, real subprocesses, a real loopback server."""

from __future__ import annotations

import os
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from rdflib import Graph, Namespace

from ccgraph.errors import BadRequest
from ccgraph.namespaces import CCG, COUNTRY, NACE, NUTS, RDF, SKOS, XSD
from ccgraph.reason import (
    InconsistentOntology,
    ReasonerTimeout,
    ReasonerUnavailable,
    check,
    java_available,
    materialise,
)

T = Namespace("http://example.org/t#")

needs_java = pytest.mark.skipif(not java_available(),
                                reason="HermiT needs Java and no `java` is on PATH")

ONTOLOGY = """
@prefix : <http://example.org/t#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

<http://example.org/t> a owl:Ontology .
:Organisation a owl:Class .
:Cluster a owl:Class ; rdfs:subClassOf :Organisation .
:Region a owl:Class .
:Policy a owl:Class .
:Cluster owl:disjointWith :Region .
:Funded a owl:Class ; owl:equivalentClass [ a owl:Restriction ;
    owl:onProperty :fundedBy ; owl:someValuesFrom :Policy ] .
:fundedBy a owl:ObjectProperty ; rdfs:range :Policy .
:funds a owl:ObjectProperty ; owl:inverseOf :fundedBy .
:locatedIn a owl:ObjectProperty ; rdfs:domain :Organisation ; rdfs:range :Region ;
    rdfs:subPropertyOf :withinRegion .
:withinRegion a owl:ObjectProperty .
:memberCount a owl:DatatypeProperty ; rdfs:domain :Cluster .
:withinRegion owl:propertyChainAxiom ( :locatedIn skos:broaderTransitive ) .
skos:broader a owl:ObjectProperty .
skos:broaderTransitive a owl:ObjectProperty .
"""

DATA = """
@prefix : <http://example.org/t#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix nuts: <http://data.europa.eu/nuts/code/> .

:autocluster a :Cluster ; :locatedIn nuts:HU22 ; :fundedBy :ginop .
:anonymous :memberCount 12 .
nuts:HU22 skos:broader nuts:HU2 .
nuts:HU2 skos:broader nuts:HU .
"""


def graph(text: str) -> Graph:
    return Graph().parse(data=text, format="turtle")


@needs_java
def test_consistent_ontology_is_proved_consistent():
    report = check([graph(ONTOLOGY), graph(DATA)], timeout=120)
    assert report.consistent and report.ok
    assert report.unsatisfiable == []
    assert report.triples > 20


@needs_java
def test_unsatisfiable_class_is_listed_without_making_the_data_inconsistent():
    bad_class = ":Hybrid a owl:Class ; rdfs:subClassOf :Cluster, :Region ."
    report = check(graph(ONTOLOGY + bad_class), timeout=120)
    assert report.consistent and not report.ok
    assert report.unsatisfiable == [str(T.Hybrid)]


@needs_java
def test_individual_in_two_disjoint_classes_is_reported_by_name():
    clash = graph("@prefix : <http://example.org/t#> . :vienna a :Cluster, :Region .")
    with pytest.raises(InconsistentOntology, match="inconsistent") as caught:
        check([graph(ONTOLOGY), graph(DATA), clash], timeout=120)
    assert caught.value.details["individuals"] == [str(T.vienna)]
    assert set(caught.value.details["classes"]) == {str(T.Cluster), str(T.Region)}
    assert caught.value.to_dict()["error"]["code"] == "inconsistent_ontology"


@needs_java
def test_disjointness_reached_through_the_domain_is_named_too():
    # HU22 is a Region only by the range of locatedIn; typed a Cluster too, it is the offender.
    clash = graph("@prefix : <http://example.org/t#> . "
                  "@prefix nuts: <http://data.europa.eu/nuts/code/> . nuts:HU22 a :Cluster .")
    with pytest.raises(InconsistentOntology) as caught:
        check([graph(ONTOLOGY), graph(DATA), clash], timeout=120)
    assert caught.value.details["individuals"] == [str(NUTS.HU22)]


class _Canary(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self):
        type(self).hits.append(self.path)
        body = graph(ONTOLOGY).serialize(format="xml").encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rdf+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def canary():
    _Canary.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/imported.owl", _Canary.hits
    server.shutdown()
    server.server_close()


@needs_java
def test_owl_imports_are_never_fetched(canary):
    url, hits = canary
    importing = graph(f"<http://example.org/t> <http://www.w3.org/2002/07/owl#imports> <{url}> .")
    report = check([graph(ONTOLOGY), importing], timeout=120)
    materialise([graph(ONTOLOGY), graph(DATA), importing], hermit=True, timeout=120)
    assert hits == []
    assert report.imports_ignored == [url]
    # The canary itself works: a real fetch is counted.
    with urllib.request.urlopen(url, timeout=5) as response:
        response.read()
    assert hits == ["/imported.owl"]


def test_owl_imports_can_be_refused(canary):
    url, hits = canary
    importing = graph(f"<http://example.org/t> <http://www.w3.org/2002/07/owl#imports> <{url}> .")
    with pytest.raises(BadRequest, match="owl:imports"):
        check(importing, imports="refuse")
    assert hits == []


def _assert_containment_and_inverse(new: Graph) -> None:
    cluster = T.autocluster
    assert (cluster, T.withinRegion, NUTS.HU22) in new          # sub-property
    assert (cluster, T.withinRegion, NUTS.HU) in new            # chain via broaderTransitive
    assert (NUTS.HU22, SKOS.broaderTransitive, NUTS.HU) in new  # transitive SKOS
    assert (NUTS.HU, SKOS.narrower, NUTS.HU2) in new            # SKOS inverse
    assert (T.ginop, T.funds, cluster) in new                   # owl:inverseOf
    assert (cluster, RDF.type, T.Organisation) in new           # subclass
    assert (NUTS.HU22, RDF.type, T.Region) in new               # range
    assert (T.anonymous, RDF.type, T.Organisation) in new       # datatype-property domain
    assert (cluster, RDF.type, T.Cluster) not in new            # asserted: not new


def test_materialise_python_closure_without_java():
    new = materialise([graph(ONTOLOGY), graph(DATA)], hermit=False)
    _assert_containment_and_inverse(new)
    assert (T.autocluster, RDF.type, T.Funded) not in new       # needs a DL reasoner


@needs_java
def test_materialise_with_hermit_adds_defined_class_membership():
    new = materialise([graph(ONTOLOGY), graph(DATA)], hermit=True, timeout=120)
    _assert_containment_and_inverse(new)
    assert (T.autocluster, RDF.type, T.Funded) in new
    assert (T.ginop, RDF.type, T.Policy) in new
    assert not any(str(s).startswith("urn:ccgraph") for s in new.subjects())


def pigeonhole(n: int) -> Graph:
    """n+1 distinct pigeons in n singleton holes: exponential work for a tableau reasoner."""
    holes = " ".join(f":H{k}" for k in range(n))
    pigeons = " ".join(f":p{i}" for i in range(n + 1))
    lines = ["@prefix : <http://example.org/php#> .",
             "@prefix owl: <http://www.w3.org/2002/07/owl#> .",
             "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ."]
    # Declarations matter: the OWL API drops axioms about undeclared classes.
    lines += [f":H{k} a owl:Class ; owl:equivalentClass [ a owl:Class ; owl:oneOf ( :h{k} ) ] ."
              for k in range(n)]
    lines += [f":Pigeon a owl:Class ; rdfs:subClassOf [ a owl:Class ; owl:unionOf ( {holes} ) ] ."]
    lines += [f":p{i} a :Pigeon ." for i in range(n + 1)]
    lines += [f"[] a owl:AllDifferent ; owl:distinctMembers ( {pigeons} ) ."]
    return graph("\n".join(lines))


def _hermit_processes() -> dict[int, int]:
    """pid -> process group of every running HermiT JVM."""
    found = {}
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes()
            stat = (proc / "stat").read_text()
        except (OSError, ValueError):
            continue
        if b"org.semanticweb.HermiT" in cmdline:
            found[int(proc.name)] = int(stat.rsplit(")", 1)[1].split()[2])
    return found


@needs_java
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="watches processes through /proc")
def test_timeout_kills_the_java_run():
    seen: dict[int, int] = {}
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            seen.update(_hermit_processes())
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    started = time.monotonic()
    try:
        with pytest.raises(ReasonerTimeout, match="within 6 s") as caught:
            check(pigeonhole(9), timeout=6)  # takes HermiT over a minute
    finally:
        stop.set()
        watcher.join()
    assert time.monotonic() - started < 15
    group = caught.value.details["pid"]
    assert group in seen.values(), "HermiT should have been running when the deadline hit"
    assert not any(pgid == group for pgid in _hermit_processes().values())
    assert _group_gone(group, within=5.0)


def _group_gone(group: int, within: float) -> bool:
    # The killed JVM is reparented to init, which reaps its zombie soon, not at once.
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


REPO = Path(__file__).resolve().parents[1]


def _project_graphs() -> list[Graph]:
    data = REPO / "data"
    files = [REPO / "ontology" / "ccgraph.ttl", *sorted((data / "reference").glob("*.ttl")),
             *sorted((data / "seed").glob("*.ttl"))]
    return [Graph().parse(f, format="turtle") for f in files]


@needs_java
def test_project_ontology_reference_data_and_seeds_are_consistent():
    report = check(_project_graphs(), timeout=300)
    assert report.ok, report.summary()
    assert str(XSD.date) in report.datatypes_ignored  # seeds' dates: outside OWL 2's datatypes


def test_project_materialisation_contains_region_and_sector_containment():
    new = materialise(_project_graphs())
    assert (NUTS.HU221, SKOS.broaderTransitive, NUTS.HU) in new
    assert (NACE["2910"], SKOS.broaderTransitive, NACE["C"]) in new
    assert (NUTS.HU, SKOS.narrower, NUTS.HU2) in new
    assert (COUNTRY.HUN, RDF.type, SKOS.Concept) in new       # ccg:Country subClassOf
    assert not any(p == CCG.adjacentTo for p in new.predicates())  # both directions given


def test_without_java_the_error_says_so(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(ReasonerUnavailable, match="Java"):
        check(graph(ONTOLOGY))
