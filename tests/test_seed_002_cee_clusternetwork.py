"""Seed document 002 (CEE-ClusterNetwork): its facts, each cited to it."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from ccgraph.namespaces import CCG, ID

SEED = Path(__file__).resolve().parents[1] / "data" / "seed" / "002-cee-clusternetwork.ttl"
SOURCE = ID["source/002_eeeb9bb92ee10e4f"]
PROJECT = ID["project/cee-clusternetwork"]


@pytest.fixture(scope="module")
def g() -> Graph:
    return Graph().parse(SEED, format="turtle")


def test_every_described_resource_cites_this_document(g):
    described = {s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef)} - {SOURCE}
    assert len(described) == 11
    for resource in described:
        assert (resource, DCTERMS.source, SOURCE) in g, resource
        assert (resource, PROV.wasDerivedFrom, SOURCE) in g, resource
    assert g.value(SOURCE, DCTERMS.identifier) == Literal("002_eeeb9bb92ee10e4f.txt")


def test_an_inno_net_of_eleven_partner_regions(g):
    assert g.value(PROJECT, CCG.declaredPartnerCount).toPython() == 11
    assert g.value(PROJECT, CCG.partOfProgramme) == ID["programme/inno-net"]
    assert "three levels" in str(g.value(PROJECT, DCTERMS.description))
    assert any("find coherences" in str(o) for o in g.objects(PROJECT, CCG.objective))
    assert not list(g.objects(PROJECT, CCG.partner)), "the document names no partner"


def test_cee_cluster_agreement_2007_and_the_action_plan_based_on_it(g):
    agreement = ID["output/cee-cluster-agreement-2007"]
    plan = ID["plan/cee-cluster-action-plan"]
    assert g.value(agreement, RDF.type) == CCG.Agreement
    assert g.value(agreement, CCG.year) == Literal("2007", datatype=XSD.gYear)
    assert g.value(plan, RDF.type) == CCG.ActionPlan
    assert g.value(plan, CCG.basedOn) == agreement
    assert {agreement, plan} <= set(g.objects(PROJECT, CCG.output))


def test_two_to_three_cross_border_pilot_actions(g):
    pilots = ID["activity/cee-cross-border-pilot-actions"]
    assert pilots in set(g.objects(PROJECT, CCG.activity))
    assert g.value(pilots, CCG.cooperationScope) == CCG.CrossBorder
    assert (g.value(pilots, CCG.quantityMin).toPython(),
            g.value(pilots, CCG.quantityMax).toPython()) == (2, 3)


def test_quality_guidelines_and_pro_inno_cluster_alliance(g):
    guidelines = ID["output/cee-quality-guidelines"]
    assert g.value(guidelines, RDF.type) == CCG.Guideline
    assert "common criteria" in str(g.value(guidelines, DCTERMS.description))
    alliance = ID["organisation/pro-inno-cluster-alliance"]
    assert g.value(PROJECT, CCG.cooperatesWith) == alliance
    assert g.value(alliance, RDFS.label) == Literal("PRO INNO Cluster Alliance", lang="en")


def test_expected_results_and_the_fp7_prospect(g):
    results = [str(r) for r in g.objects(PROJECT, CCG.expectedResult)]
    assert len(results) == 5
    assert any("Critical mass" in r for r in results)
    assert g.value(PROJECT, CCG.prospectiveProgramme) == ID["programme/fp7"]
    assert len(set(g.objects(PROJECT, CCG.activity))) == 4
