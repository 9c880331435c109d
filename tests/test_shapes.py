"""ontology/shapes.ttl, run with pyshacl on "new data plus what it references".

The data graph is built the way the loader builds it: the new Turtle, the rdf:type,
skos:broader and rdfs:subClassOf triples of every IRI it points to (taken here from the
ontology and reference files), and the ontology's class hierarchy.
"""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS

from ccgraph.namespaces import CCG
from servers import REFERENCE_FILES

ROOT = Path(__file__).resolve().parents[1]
SHAPES = ROOT / "ontology" / "shapes.ttl"
BACKGROUND = REFERENCE_FILES
ID = "https://w3id.org/ccgraph/id/"

PREFIXES = """
@prefix ccg: <https://w3id.org/ccgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix nuts: <http://data.europa.eu/nuts/code/> .
@prefix nace: <http://data.europa.eu/ux2/nace2/> .
@prefix country: <http://publications.europa.eu/resource/authority/country/> .
@prefix cluster: <https://w3id.org/ccgraph/id/cluster/> .
@prefix organisation: <https://w3id.org/ccgraph/id/organisation/> .
@prefix project: <https://w3id.org/ccgraph/id/project/> .
@prefix instrument: <https://w3id.org/ccgraph/id/instrument/> .
@prefix label: <https://w3id.org/ccgraph/id/label/> .
@prefix indicator: <https://w3id.org/ccgraph/id/indicator/> .
@prefix observation: <https://w3id.org/ccgraph/id/observation/> .
@prefix contact: <https://w3id.org/ccgraph/id/contact-point/> .
@prefix event: <https://w3id.org/ccgraph/id/event/> .
@prefix source: <https://w3id.org/ccgraph/id/source/> .
"""

CLUSTER = """cluster:a a ccg:Cluster ; rdfs:label "A cluster"@en ; ccg:locatedIn nuts:HU221 ;
    ccg:country country:HUN ; ccg:activeIn nace:2910 ; dcterms:source source:survey ."""
INDICATOR = """indicator:members a ccg:Indicator ; rdfs:label "Members"@en ; ccg:unit "members" ;
    ccg:minValue 0.0 ; ccg:maxValue 500.0 ."""


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


@pytest.fixture(scope="module")
def background() -> Graph:
    graph = Graph()
    for path in BACKGROUND:
        graph.parse(ROOT / path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def hierarchy(background) -> Graph:
    graph = Graph()
    for triple in background.triples((None, RDFS.subClassOf, None)):
        if isinstance(triple[2], URIRef):
            graph.add(triple)
    return graph


@pytest.fixture(scope="module")
def check(shapes, background, hierarchy):
    """Validate Turtle (or a graph); return the violations as (focus, path, message)."""

    def run(data: str | Graph) -> set[tuple[str, str | None, str]]:
        new = data if isinstance(data, Graph) else Graph().parse(data=PREFIXES + data,
                                                                 format="turtle")
        graph = new + referenced(new, background) + hierarchy
        conforms, report, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none",
                                               advanced=True, allow_warnings=True)
        found = {(_short(report.value(r, SH.focusNode)), _short(report.value(r, SH.resultPath)),
                  str(report.value(r, SH.resultMessage)))
                 for r in report.subjects(RDF.type, SH.ValidationResult)}
        assert conforms == (not found)
        return found

    return run


def referenced(new: Graph, background: Graph) -> Graph:
    subjects = set(new.subjects())
    targets = {o for o in new.objects() if isinstance(o, URIRef) and o not in subjects}
    targets |= set(new.objects(None, RDF.type))
    out = Graph()
    for target in targets:
        for prop in (RDF.type, SKOS.broader, RDFS.subClassOf):
            for value in background.objects(target, prop):
                out.add((target, prop, value))
    return out


def _short(node) -> str | None:
    if node is None:
        return None
    text = str(node)
    return text.removeprefix(ID).removeprefix(str(CCG))


def focus_nodes(violations) -> set[str]:
    return {focus for focus, _path, _message in violations}


# --- accepted ----------------------------------------------------------------------------


def test_a_well_formed_cluster_with_label_and_observation_passes(check):
    assert check(CLUSTER + INDICATOR + """
        label:a a ccg:QualityLabel ; rdfs:label "Gold"@en ; ccg:labelLevel ccg:ESCAGold ;
            ccg:awardedOn "2020-01-01"^^xsd:date ; ccg:validUntil "2022-01-01"^^xsd:date .
        cluster:a ccg:holdsLabel label:a .
        observation:a a qb:Observation ; ccg:indicator indicator:members ;
            ccg:refCluster cluster:a ; ccg:refYear "2022"^^xsd:gYear ; ccg:indicatorValue 120.0 .
        """) == set()


def test_a_reference_to_something_described_elsewhere_passes(check):
    """Only the type of project:old is known; nothing here describes it."""
    assert check("""project:old a ccg:Project .
        event:e a ccg:Event ; rdfs:label "Meeting"@en ; ccg:startDate "2018-03-01"^^xsd:date ;
            ccg:locatedIn nuts:HU221 ; ccg:partOfProject project:old .""") == set()


def test_funded_project_with_two_reported_end_dates_passes(check):
    assert check("""
        instrument:i a ccg:FundingInstrument ; rdfs:label "Call"@en ; dcterms:source source:s ;
            ccg:cooperationScope ccg:Transnational ; ccg:eligibleRegion nuts:HU , nuts:SK .
        organisation:o a ccg:Organisation ; rdfs:label "Org"@en ; ccg:country country:HUN .
        project:p a ccg:Project ; rdfs:label "P"@en ; ccg:fundedBy instrument:i ;
            ccg:leadPartner organisation:o ; ccg:partner organisation:o ;
            ccg:budgetEUR 2053050.00 ; ccg:startDate "2011-04-01"^^xsd:date ;
            ccg:endDate "2014-03-31"^^xsd:date , "2014-05-31"^^xsd:date ;
            ccg:reported [ ccg:reportedProperty ccg:endDate ; ccg:value "2014-03-31"^^xsd:date ;
                           dcterms:source source:s ] .""") == set()


@pytest.mark.parametrize("seed", sorted((ROOT / "data" / "seed").glob("*.ttl")),
                         ids=lambda p: p.name)
def test_every_seed_file_conforms_on_its_own(check, seed):
    assert check(Graph().parse(seed, format="turtle")) == set()


# --- rejected, with the focus node named ------------------------------------------------------


def test_cluster_without_region(check):
    found = check('cluster:b a ccg:Cluster ; rdfs:label "B"@en ; ccg:activeIn nace:2910 ; '
                  'dcterms:source source:s .')
    assert found == {("cluster/b", None, "This cluster has no region: state where it is with "
                      "ccg:locatedIn and a NUTS region.")}


def test_cluster_located_in_something_that_is_not_a_region(check):
    found = check('cluster:b a ccg:Cluster ; rdfs:label "B"@en ; ccg:locatedIn country:HUN ; '
                  'dcterms:source source:s .')
    assert [(f, p) for f, p, _m in found] == [("cluster/b", "locatedIn")]


def test_negative_budget(check):
    found = check('project:p a ccg:Project ; rdfs:label "P"@en ; ccg:budgetEUR -5.00 .')
    assert found == {("project/p", "budgetEUR", "A budget cannot be negative.")}


def test_budget_that_is_not_a_decimal(check):
    found = check('project:p a ccg:Project ; rdfs:label "P"@en ; ccg:budgetEUR "lots" .')
    assert focus_nodes(found) == {"project/p"}


def test_end_before_start(check):
    found = check("""project:p a ccg:Project ; rdfs:label "P"@en ;
        ccg:startDate "2014-01-01"^^xsd:date ; ccg:endDate "2013-12-31"^^xsd:date .""")
    assert found == {("project/p", "startDate",
                      "The end date is before the start date: check both dates.")}


def test_label_valid_until_before_award(check):
    found = check("""label:x a ccg:QualityLabel ; rdfs:label "X"@en ;
        ccg:labelLevel ccg:ESCABronze ; ccg:awardedOn "2021-06-01"^^xsd:date ;
        ccg:validUntil "2021-05-31"^^xsd:date .""")
    assert found == {("label/x", "awardedOn", "The label is valid until a day before it "
                      "was awarded: check ccg:awardedOn and ccg:validUntil.")}


def test_label_without_level(check):
    found = check('label:x a ccg:QualityLabel ; rdfs:label "X"@en .')
    assert focus_nodes(found) == {"label/x"}


def test_observation_outside_its_indicator_range(check):
    found = check(CLUSTER + INDICATOR + """
        observation:o a qb:Observation ; ccg:indicator indicator:members ;
            ccg:refCluster cluster:a ; ccg:indicatorValue 900.0 .""")
    assert len(found) == 1
    focus, _path, message = found.pop()
    assert focus == "observation/o"
    assert message.startswith("The value 900.0 is outside the range the indicator")
    assert "(0.0 to 500.0)" in message


def test_observation_missing_its_cluster_and_value(check):
    found = check(INDICATOR + "observation:o a qb:Observation ; ccg:indicator indicator:members .")
    assert {(f, p) for f, p, _m in found} == {("observation/o", "refCluster"),
                                              ("observation/o", "indicatorValue")}


def test_indicator_without_unit(check):
    found = check('indicator:x a ccg:Indicator ; rdfs:label "X"@en .')
    assert found == {("indicator/x", None, "This indicator has no unit: add ccg:unit (for "
                      "example \"members\" or \"percent\").")}


def test_instrument_without_scope(check):
    found = check('instrument:i a ccg:FundingInstrument ; rdfs:label "Call"@en ; '
                  'dcterms:source source:s .')
    assert focus_nodes(found) == {"instrument/i"}
    assert "no cooperation scope" in found.pop()[2]


def test_instrument_with_a_scope_outside_the_three(check):
    found = check("""instrument:i a ccg:FundingInstrument ; rdfs:label "Call"@en ;
        dcterms:source source:s ; ccg:cooperationScope ccg:Global .""")
    assert {(f, p) for f, p, _m in found} == {("instrument/i", "cooperationScope")}


def test_resource_without_a_name(check):
    found = check("organisation:o a ccg:Organisation ; ccg:country country:HUN .")
    assert focus_nodes(found) == {"organisation/o"}
    assert "no name" in found.pop()[2]


def test_lead_partner_not_listed_as_partner(check):
    found = check("""organisation:o a ccg:Organisation ; rdfs:label "O"@en .
        project:p a ccg:Project ; rdfs:label "P"@en ; ccg:leadPartner organisation:o .""")
    assert focus_nodes(found) == {"project/p"}
    assert "is not listed as a partner" in found.pop()[2]


def test_contact_point_that_serves_nothing_and_has_a_bare_email(check):
    found = check("""contact:c a ccg:ContactPoint ; rdfs:label "Desk"@en ;
        vcard:hasEmail "desk@example.org" .""")
    assert focus_nodes(found) == {"contact-point/c"}
    assert {p for _f, p, _m in found} == {None, "http://www.w3.org/2006/vcard/ns#hasEmail"}


def test_reported_value_that_the_resource_does_not_state(check):
    found = check("""project:p a ccg:Project ; rdfs:label "P"@en ;
        ccg:endDate "2014-03-31"^^xsd:date ;
        ccg:reported [ ccg:reportedProperty ccg:endDate ; ccg:value "2014-05-31"^^xsd:date ;
                       dcterms:source source:s ] .""")
    assert len(found) == 1
    assert "is not stated on" in found.pop()[2]


def test_shapes_only_use_terms_the_ontology_declares(shapes, background):
    used = {o for o in shapes.objects() if isinstance(o, URIRef) and str(o).startswith(str(CCG))}
    declared = {s for s in background.subjects(RDF.type, None)
                if str(s).startswith(str(CCG))}
    assert used - declared == set()


def test_clusters_and_instruments_need_a_source(check):
    found = check('cluster:b a ccg:Cluster ; rdfs:label "B"@en ; ccg:locatedIn nuts:HU221 ; '
                  'ccg:activeIn nace:2910 .')
    assert {(f, m.split(":")[0]) for f, _p, m in found} == {
        ("cluster/b", "Say where this comes from")}


def test_what_was_read_from_a_web_page_must_be_findable(check):
    found = check("""instrument:w a ccg:FundingInstrument ; rdfs:label "Call"@en ;
        ccg:cooperationScope ccg:CrossBorder ; dcterms:source <https://example.org/call> .
        <https://example.org/call> a ccg:WebPage ; rdfs:label "Call page"@en ;
            ccg:accessedOn "2026-12-05"^^xsd:date .
        cluster:w a ccg:Cluster ; rdfs:label "W"@en ; ccg:locatedIn nuts:HU221 ;
            dcterms:source <https://example.org/call> .""")
    messages = {f: m for f, _p, m in found}
    assert "needs its eligible area" in messages["instrument/w"]
    assert "at least one sector" in messages["cluster/w"]
    # the same instrument from a ccgraph source document needs no area (seed facts)
    assert not check("""instrument:s a ccg:FundingInstrument ; rdfs:label "Call"@en ;
        ccg:cooperationScope ccg:CrossBorder ; dcterms:source source:s .""")


def test_a_web_page_needs_the_day_it_was_read(check):
    found = check('<https://example.org/p> a ccg:WebPage ; rdfs:label "P"@en .')
    assert {m for _f, _p, m in found} == {
        'A web page needs the day it was read: ccg:accessedOn "2026-12-05"^^xsd:date.'}
