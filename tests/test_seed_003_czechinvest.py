"""Seed document 003 (CzechInvest slides on ClusterCOOP and CENTRAMO): facts, sources, and
the end date that disagrees with document 001 (both kept, each with its source)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from ccgraph.namespaces import CCG, COUNTRY, ID, ORG

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seed"
SEED = SEEDS / "003-czechinvest-clustercoop-centramo.ttl"
SOURCE = ID["source/003_9f6fef569baebc75"]
SOURCE_001 = ID["source/001_db56b25496b08169"]
CLUSTERCOOP = ID["project/clustercoop"]
CENTRAMO = ID["project/centramo"]
MAG = ID["organisation/mag-hungarian-economic-development-centre"]


@pytest.fixture(scope="module")
def g() -> Graph:
    return Graph().parse(SEED, format="turtle")


def reported(g: Graph, resource: URIRef, prop: URIRef) -> set[tuple]:
    return {(g.value(r, CCG.value).toPython(), g.value(r, DCTERMS.source))
            for r in g.objects(resource, CCG.reported) if g.value(r, CCG.reportedProperty) == prop}


def test_every_described_resource_cites_this_document(g):
    described = {s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef)} - {SOURCE}
    assert len(described) == 32
    for resource in described:
        assert (resource, DCTERMS.source, SOURCE) in g, resource
        assert (resource, PROV.wasDerivedFrom, SOURCE) in g, resource
    assert g.value(SOURCE, DCTERMS.language) == Literal("cs")


def test_clustercoop_budget_2053050_eur_sourced_to_this_document(g):
    assert g.value(CLUSTERCOOP, CCG.budgetEUR).toPython() == Decimal("2053050.00")
    assert reported(g, CLUSTERCOOP, CCG.budgetEUR) == {(Decimal("2053050.00"), SOURCE)}


def test_clustercoop_runs_1_april_2011_to_31_march_2014(g):
    assert g.value(CLUSTERCOOP, CCG.startDate) == Literal("2011-04-01", datatype=XSD.date)
    assert list(g.objects(CLUSTERCOOP, CCG.endDate)) == [Literal("2014-03-31", datatype=XSD.date)]
    assert reported(g, CLUSTERCOOP, CCG.endDate) == {
        (Literal("2014-03-31", datatype=XSD.date).toPython(), SOURCE)}


def test_both_clustercoop_end_dates_are_kept_each_with_its_source(g):
    union = Graph()
    union += g
    union.parse(SEEDS / "001-clustercoop-erdf.ttl", format="turtle")
    assert sorted(str(d) for d in union.objects(CLUSTERCOOP, CCG.endDate)) == [
        "2014-03-31", "2014-05-31"]
    assert {(str(v), s) for v, s in reported(union, CLUSTERCOOP, CCG.endDate)} == {
        ("2014-03-31", SOURCE), ("2014-05-31", SOURCE_001)}


def test_czech_labels_of_the_partners(g):
    def cs(slug: str) -> set[str]:
        return {str(x) for x in g.objects(ID[f"organisation/{slug}"], RDFS.label)
                if x.language == "cs"}

    assert cs("hu-ministry-for-national-economy") == {"Maďarské ministerstvo hospodářství"}
    assert cs("cz-ministry-of-industry-and-trade") == {"Ministerstvo průmyslu a obchodu ČR"}
    assert cs("university-of-ljubljana") == {"Univerzita v Lublani"}
    assert cs("city-of-rzeszow") == {"město Řešov"}
    assert cs("mag-hungarian-economic-development-centre") == {
        "Maďarské centrum rozvoje hospodářství - MAG"}
    assert len(set(g.objects(CLUSTERCOOP, CCG.partner))) == 9


def test_czechinvest_is_subordinate_to_the_czech_ministry(g):
    czechinvest = ID["organisation/czechinvest"]
    assert g.value(czechinvest, ORG.subOrganizationOf) == ID[
        "organisation/cz-ministry-of-industry-and-trade"]
    assert any("státní příspěvková organizace" in str(d)
               for d in g.objects(czechinvest, DCTERMS.description))


def test_clustercoop_key_activities_and_their_outputs(g):
    activities = set(g.objects(CLUSTERCOOP, CCG.activity))
    assert len(activities) == 4
    framework = ID["activity/clustercoop-policy-framework"]
    assert ID["recommendation/clustercoop-ec-recommendations"] in set(
        g.objects(framework, CCG.produces))
    studies = ID["output/clustercoop-emerging-industry-case-studies"]
    assert g.value(studies, CCG.quantityMin).toPython() == 3
    assert Literal("3 případové studie pro vybraná odvětví", lang="cs") in set(
        g.objects(studies, RDFS.label))
    roadshow = ID["activity/clustercoop-matchmaking-roadshow"]
    assert (ID["activity/clustercoop-information-exchange"], DCTERMS.hasPart, roadshow) in g


def test_centramo_budget_dates_and_lead_partner(g):
    assert g.value(CENTRAMO, DCTERMS.title) == Literal(
        "Cluster Excellence Network for Training and Mobility", lang="en")
    assert reported(g, CENTRAMO, CCG.budgetEUR) == {(Decimal("425698.75"), SOURCE)}
    assert g.value(CENTRAMO, CCG.startDate) == Literal("2011-12-01", datatype=XSD.date)
    assert g.value(CENTRAMO, CCG.endDate) == Literal("2013-12-31", datatype=XSD.date)
    assert g.value(CENTRAMO, CCG.leadPartner) == MAG
    assert g.value(MAG, CCG.country) == COUNTRY.HUN


def test_centramo_call_and_funder(g):
    call = g.value(CENTRAMO, CCG.fundedBy)
    assert g.value(call, RDFS.label) == Literal(
        "Promotion and Development of world-class cluster in Europe - Strand 2", lang="en")
    funder = g.value(call, CCG.funder)
    assert funder == ID["organisation/ec-dg-enterprise-directorate-industrial-innovation"]
    assert g.value(funder, ORG.subOrganizationOf) == ID[
        "organisation/ec-dg-enterprise-and-industry"]
    assert (funder, RDF.type, URIRef("http://purl.org/cerif/frapo/FundingAgency")) in g


def test_centramo_activities(g):
    activities = set(g.objects(CENTRAMO, CCG.activity))
    assert len(activities) == 4
    benchmarking = ID["activity/centramo-international-benchmarking"]
    assert benchmarking in activities
    assert (g.value(benchmarking, CCG.quantityMin).toPython(),
            g.value(benchmarking, CCG.quantityMax).toPython()) == (10, 14)
    assert g.value(benchmarking, CCG.targetCountry) == COUNTRY.CZE
