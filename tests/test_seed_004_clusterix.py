"""Seed document 004 (Clusterix 2.0 and the CLUSTERIX recommendations): facts and sources."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from ccgraph.namespaces import CCG, ID, NUTS, VCARD

SEED = Path(__file__).resolve().parents[1] / "data" / "seed" / "004-clusterix.ttl"
SOURCE = ID["source/004_1fdbd5486519100c"]
CLUSTERIX = ID["project/clusterix"]
CLUSTERIX_2 = ID["project/clusterix-2"]
OLD_SET = ID["recommendation/clusterix-policy-recommendations"]
INTERNATIONALISATION = ID["recommendation/clusterix-cross-sector-internationalisation"]
MEETING = ID["event/clusterix-2-consortium-meeting-gyor-2018"]


@pytest.fixture(scope="module")
def g() -> Graph:
    return Graph().parse(SEED, format="turtle")


def test_every_described_resource_cites_this_document(g):
    described = {s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef)} - {SOURCE}
    assert len(described) == 14
    for resource in described:
        assert (resource, DCTERMS.source, SOURCE) in g, resource
        assert (resource, PROV.wasDerivedFrom, SOURCE) in g, resource


def test_clusterix_was_an_interreg_ivc_project_and_clusterix_2_continues_it(g):
    assert g.value(CLUSTERIX, CCG.partOfProgramme) == ID["programme/interreg-ivc"]
    assert g.value(ID["programme/interreg-ivc"], CCG.cooperationScope) == CCG.Interregional
    assert g.value(CLUSTERIX_2, CCG.continues) == CLUSTERIX


def test_joint_set_of_recommendations_2012_2014(g):
    assert g.value(CLUSTERIX, CCG.output) == OLD_SET
    assert g.value(OLD_SET, CCG.fromYear) == Literal("2012", datatype=XSD.gYear)
    assert g.value(OLD_SET, CCG.toYear) == Literal("2014", datatype=XSD.gYear)
    assert g.value(OLD_SET, DCTERMS.hasPart) == INTERNATIONALISATION


def test_internationalisation_recommendation_implemented_via_cosme_escp_4i(g):
    escp = ID["instrument/escp-4i"]
    assert (escp, CCG.implements, INTERNATIONALISATION) in g
    assert g.value(escp, CCG.partOfProgramme) == ID["programme/cosme"]
    assert g.value(INTERNATIONALISATION, CCG.status) == CCG.UnderImplementation
    assert str(g.value(INTERNATIONALISATION, URIRef(
        "http://www.w3.org/2000/01/rdf-schema#label"))) == (
        "Fostering cross-sector internationalisation strategies, also along value chains")


def test_three_first_ideas_for_new_recommendations(g):
    new = set(g.objects(CLUSTERIX_2, CCG.output))
    assert len(new) == 3
    assert {g.value(r, CCG.status) for r in new} == {CCG.Proposed}
    assert {g.value(r, CCG.recommendedBy) for r in new} == {CLUSTERIX_2}
    cornet = ID["recommendation/clusterix-2-eu-collaborative-rd-programmes"]
    assert g.value(cornet, CCG.exemplifiedBy) == ID["programme/cornet"]


def test_consortium_meeting_in_gyor_on_1_march_2018(g):
    assert g.value(MEETING, RDF.type) == CCG.Event
    assert g.value(MEETING, CCG.startDate) == Literal("2018-03-01", datatype=XSD.date)
    assert g.value(MEETING, CCG.locatedIn) == NUTS.HU221
    assert g.value(MEETING, CCG.partOfProject) == CLUSTERIX_2
    assert g.value(MEETING, CCG.reviewed) == OLD_SET
    report = g.value(MEETING, CCG.reported)
    assert (g.value(report, CCG.value), g.value(report, DCTERMS.source)) == (
        Literal("2018-03-01", datatype=XSD.date), SOURCE)


def test_phase_1_ends_with_the_year_and_the_coordinator_is_named(g):
    phase = g.value(CLUSTERIX_2, CCG.activity)
    assert g.value(phase, CCG.endDate) == Literal("2018-12-31", datatype=XSD.date)
    coordinator = ID["contact-point/clusterix-2-coordinator"]
    assert g.value(coordinator, VCARD.fn) == Literal("Simone Hagenauer")
    assert g.value(coordinator, CCG.contactFor) == CLUSTERIX_2
    assert g.value(coordinator, VCARD.hasEmail) is None  # only an obfuscated address is given
