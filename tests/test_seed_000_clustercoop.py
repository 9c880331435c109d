"""Seed document 000 (ClusterCOOP project description): its facts, each cited to it."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from ccgraph.namespaces import CCG, COUNTRY, ID, NUTS

SEED = Path(__file__).resolve().parents[1] / "data" / "seed" / "000-clustercoop.ttl"
SOURCE = ID["source/000_12a5a27be9d32cca"]
PROJECT = ID["project/clustercoop"]
LEAD = ID["organisation/hu-ministry-for-national-economy"]


@pytest.fixture(scope="module")
def g() -> Graph:
    return Graph().parse(SEED, format="turtle")


def test_the_source_document_is_described(g):
    assert (SOURCE, RDF.type, CCG.SourceDocument) in g
    assert g.value(SOURCE, DCTERMS.identifier) == Literal("000_12a5a27be9d32cca.txt")
    assert g.value(SOURCE, DCTERMS.title) == Literal("The ClusterCOOP Project", lang="en")


def test_every_described_resource_cites_this_document(g):
    described = {s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef)} - {SOURCE}
    assert len(described) == 11
    for resource in described:
        assert (resource, DCTERMS.source, SOURCE) in g, resource
        assert (resource, PROV.wasDerivedFrom, SOURCE) in g, resource


def test_lead_partner_is_the_hungarian_ministry_for_national_economy(g):
    assert g.value(PROJECT, CCG.leadPartner) == LEAD
    assert (PROJECT, CCG.partner, LEAD) in g
    assert g.value(LEAD, CCG.country) == COUNTRY.HUN
    assert Literal("Ministry for National Economy (Hungary)", lang="en") in set(
        g.objects(LEAD, RDFS.label))
    assert "Budget and Appropriation Accounts" in str(g.value(LEAD, DCTERMS.description))


def test_three_national_ministries_are_associated_institutions(g):
    associated = set(g.objects(PROJECT, CCG.associatedPartner))
    assert {g.value(o, CCG.country) for o in associated} == {COUNTRY.DEU, COUNTRY.POL,
                                                             COUNTRY.SVN}
    assert {g.value(o, CCG.locatedIn) for o in associated} == {NUTS.DE, NUTS.PL, NUTS.SI}


def test_partnership_of_ten_partners_in_seven_member_states(g):
    assert g.value(PROJECT, CCG.declaredPartnerCount).toPython() == 10
    assert "5 new and 2 old EU member states" in str(g.value(PROJECT, URIRef(
        "http://www.w3.org/2004/02/skos/core#note")))
    assert g.value(PROJECT, CCG.cooperationScope) == CCG.Transnational


def test_three_challenges_a_general_aim_and_three_specific_objectives(g):
    challenges = [str(c) for c in g.objects(PROJECT, CCG.challenge)]
    objectives = sorted(str(o) for o in g.objects(PROJECT, CCG.objective))
    assert len(challenges) == 3
    assert any("little or no synergies" in c for c in challenges)
    assert [o.split(":")[0] for o in objectives] == [
        "General aim", "Specific objective 1", "Specific objective 2", "Specific objective 3"]
    assert "emerging industry development" in objectives[2]


def test_planned_outputs_with_their_kinds(g):
    kinds = {g.value(o, RDF.type) for o in g.objects(PROJECT, CCG.output)}
    assert kinds == {CCG.PolicyMeasure, CCG.ActionPlan, CCG.Proposal, CCG.Study,
                     CCG.ContactPointNetwork, CCG.Platform}
    measures = ID["measure/clustercoop-policy-measures"]
    assert "(regulatory, legislative and institutional)" in str(
        g.value(measures, DCTERMS.description))
