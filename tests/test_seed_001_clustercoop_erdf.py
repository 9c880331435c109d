"""Seed document 001 (ClusterCOOP in the ERDF Central Europe Programme): facts and sources."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, XSD

from ccgraph.namespaces import CCG, COUNTRY, ID, NUTS, ORG

SEED = Path(__file__).resolve().parents[1] / "data" / "seed" / "001-clustercoop-erdf.ttl"
SOURCE = ID["source/001_db56b25496b08169"]
PROJECT = ID["project/clustercoop"]


def org(slug: str) -> URIRef:
    return ID[f"organisation/{slug}"]


@pytest.fixture(scope="module")
def g() -> Graph:
    return Graph().parse(SEED, format="turtle")


def test_every_described_resource_cites_this_document(g):
    described = {s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef)} - {SOURCE}
    assert len(described) == 21
    for resource in described:
        assert (resource, DCTERMS.source, SOURCE) in g, resource
        assert (resource, PROV.wasDerivedFrom, SOURCE) in g, resource
    assert g.value(SOURCE, DCTERMS.identifier) == Literal("001_db56b25496b08169.txt")


def test_funded_under_the_erdf_central_europe_programme(g):
    programme, instrument = ID["programme/central-europe"], ID["instrument/central-europe-erdf"]
    assert g.value(PROJECT, CCG.partOfProgramme) == programme
    assert g.value(PROJECT, CCG.fundedBy) == instrument
    assert g.value(instrument, CCG.partOfProgramme) == programme
    assert g.value(programme, CCG.fundingSource) == ID["fund/erdf"]
    assert g.value(instrument, CCG.cooperationScope) == CCG.Transnational


def test_ten_partners_with_countries_and_regions(g):
    expected = {
        "hu-ministry-for-national-economy": (COUNTRY.HUN, NUTS.HU),
        "cz-ministry-of-industry-and-trade": (COUNTRY.CZE, NUTS.CZ),
        "czechinvest": (COUNTRY.CZE, NUTS.CZ),
        "sk-ministry-of-economy": (COUNTRY.SVK, NUTS.SK),
        "siea": (COUNTRY.SVK, NUTS.SK),
        "piedmont-region": (COUNTRY.ITA, NUTS.ITC1),
        "university-of-ljubljana": (COUNTRY.SVN, NUTS.SI041),
        "city-of-rzeszow": (COUNTRY.POL, NUTS.PL82),
        "mag-hungarian-economic-development-centre": (COUNTRY.HUN, NUTS.HU),
        "inno-ag": (COUNTRY.DEU, NUTS.DE1),
    }
    partners = set(g.objects(PROJECT, CCG.partner))
    assert partners == {org(s) for s in expected}
    for slug, (country, region) in expected.items():
        assert (g.value(org(slug), CCG.country), g.value(org(slug), CCG.locatedIn)) == (
            country, region), slug
    assert g.value(PROJECT, CCG.leadPartner) == org("hu-ministry-for-national-economy")


def test_curated_seat_regions_say_so(g):
    for slug in ("university-of-ljubljana", "city-of-rzeszow"):
        note = str(g.value(org(slug), URIRef("http://www.w3.org/2004/02/skos/core#note")))
        assert "added by ccgraph curators" in note


def test_background_institutions_of_the_ministries(g):
    assert g.value(org("czechinvest"), ORG.subOrganizationOf) == org(
        "cz-ministry-of-industry-and-trade")
    assert g.value(org("siea"), ORG.subOrganizationOf) == org("sk-ministry-of-economy")


def test_end_date_31_may_2014_reported_by_this_document(g):
    end = Literal("2014-05-31", datatype=XSD.date)
    assert list(g.objects(PROJECT, CCG.endDate)) == [end]
    reports = [r for r in g.objects(PROJECT, CCG.reported)
               if g.value(r, CCG.reportedProperty) == CCG.endDate]
    assert [(g.value(r, CCG.value), g.value(r, DCTERMS.source)) for r in reports] == [
        (end, SOURCE)]
    assert g.value(PROJECT, CCG.durationMonths).toPython() == 36


def test_main_results_and_websites(g):
    outputs = set(g.objects(PROJECT, CCG.output))
    assert ID["output/clustercoop-cluster-qualification-system"] in outputs
    assert g.value(ID["output/clustercoop-cluster-qualification-system"], RDF.type) == (
        CCG.QualificationSystem)
    assert ID["output/clustercoop-policy-harmonisation"] in outputs
    assert g.value(ID["output/clustercoop-virtual-interactive-platform"], FOAF.homepage) == (
        URIRef("http://www.clustercoop.eu"))
    assert g.value(PROJECT, FOAF.homepage) == URIRef("http://www.clustercoopproject.eu")


def test_results_feed_into_smart_specialisation_strategies(g):
    s3 = ID["policy/smart-specialisation-strategies"]
    assert g.value(PROJECT, CCG.contributesTo) == s3
    assert g.value(s3, RDF.type) == CCG.Policy
