"""Every named query in queries/ answers its question on the seed knowledge base.

The store is real (embedded Oxigraph) and loaded through ccgraph.load with SHACL on: the
ontology and reference data, the five seed documents, and a small clearly synthetic fixture
of clusters, labels, observations, instruments, contact points and events (the seed
documents name no individual cluster).  Parameters go through the registry's own
conversion and are bound by the engine, exactly as `ccgraph query NAME --param k=v` does.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from ccgraph.load import load_files
from ccgraph.queries import QueryRegistry
from ccgraph.store import open_store
from servers import REFERENCE_FILES

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = QueryRegistry(ROOT / "queries")
REFERENCE = REFERENCE_FILES
SEEDS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "data" / "seed").glob("*.ttl"))

CCG = "https://w3id.org/ccgraph/ontology#"
ID = "https://w3id.org/ccgraph/id/"
NUTS = "http://data.europa.eu/nuts/code/"
NACE = "http://data.europa.eu/ux2/nace2/"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"

FIXTURE = """
@prefix ccg: <https://w3id.org/ccgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix nuts: <http://data.europa.eu/nuts/code/> .
@prefix nace: <http://data.europa.eu/ux2/nace2/> .
@prefix country: <http://publications.europa.eu/resource/authority/country/> .
@prefix id: <https://w3id.org/ccgraph/id/> .
@prefix cluster: <https://w3id.org/ccgraph/id/cluster/> .
@prefix label: <https://w3id.org/ccgraph/id/label/> .
@prefix obs: <https://w3id.org/ccgraph/id/observation/> .
@prefix instrument: <https://w3id.org/ccgraph/id/instrument/> .
@prefix industry: <https://w3id.org/ccgraph/id/industry/> .
@prefix contact: <https://w3id.org/ccgraph/id/contact-point/> .
@prefix event: <https://w3id.org/ccgraph/id/event/> .
@prefix organisation: <https://w3id.org/ccgraph/id/organisation/> .
@prefix source: <https://w3id.org/ccgraph/id/source/> .
@prefix indicator: <https://w3id.org/ccgraph/id/indicator/> .
@prefix vcl: <https://w3id.org/ccgraph/id/value-chain-link/> .

source:test-fixture a ccg:SourceDocument ; rdfs:label "Test fixture (synthetic)"@en ;
    dcterms:title "ccgraph named-query test fixture"@en ;
    dcterms:identifier "test_named_queries.py" .

industry:fixture-e-mobility a ccg:EmergingIndustry ; rdfs:label "Fixture e-mobility"@en ;
    ccg:synthetic true ; ccg:relatedIndustry nace:2910 , nace:2720 .

cluster:fixture-moravia a ccg:Cluster ; rdfs:label "Fixture Moravian automotive cluster"@en ;
    ccg:synthetic true ; ccg:locatedIn nuts:CZ064 ; ccg:country country:CZE ;
    ccg:activeIn nace:2910 , industry:fixture-e-mobility ;
    ccg:holdsLabel label:fixture-moravia-gold .
cluster:fixture-gyor a ccg:Cluster ; rdfs:label "Fixture Győr automotive cluster"@en ;
    ccg:synthetic true ; ccg:locatedIn nuts:HU221 ; ccg:country country:HUN ;
    ccg:activeIn nace:2932 , industry:fixture-e-mobility ;
    ccg:holdsLabel label:fixture-gyor-silver .
cluster:fixture-kosice a ccg:Cluster ; rdfs:label "Fixture Košice IT cluster"@en ;
    ccg:synthetic true ; ccg:locatedIn nuts:SK042 ; ccg:country country:SVK ;
    ccg:activeIn nace:6201 .

label:fixture-moravia-gold a ccg:QualityLabel ; rdfs:label "Fixture gold label"@en ;
    ccg:labelLevel ccg:ESCAGold ; ccg:awardedOn "2020-05-01"^^xsd:date ;
    ccg:validUntil "2022-05-01"^^xsd:date .
label:fixture-gyor-silver a ccg:QualityLabel ; rdfs:label "Fixture silver label"@en ;
    ccg:labelLevel ccg:ESCASilver ; ccg:awardedOn "2021-01-15"^^xsd:date .

indicator:fixture-members a ccg:Indicator ; rdfs:label "Cluster members"@en ;
    ccg:unit "members" ; ccg:minValue 0.0 ; ccg:maxValue 10000.0 .
obs:fixture-moravia-2022 a qb:Observation ; ccg:indicator indicator:fixture-members ;
    ccg:refCluster cluster:fixture-moravia ; ccg:refYear "2022"^^xsd:gYear ;
    ccg:indicatorValue 120.0 .
obs:fixture-gyor-2022 a qb:Observation ; ccg:indicator indicator:fixture-members ;
    ccg:refCluster cluster:fixture-gyor ; ccg:refYear "2022"^^xsd:gYear ;
    ccg:indicatorValue 80.0 .
obs:fixture-kosice-2022 a qb:Observation ; ccg:indicator indicator:fixture-members ;
    ccg:refCluster cluster:fixture-kosice ; ccg:refYear "2022"^^xsd:gYear ;
    ccg:indicatorValue 45.0 .

instrument:fixture-hu-sk a ccg:FundingInstrument ; rdfs:label "Fixture HU-SK cross-border call"@en ;
    ccg:cooperationScope ccg:CrossBorder ; ccg:eligibleRegion nuts:HU2 , nuts:SK0 .
instrument:fixture-danube a ccg:FundingInstrument ; rdfs:label "Fixture transnational call"@en ;
    ccg:cooperationScope ccg:Transnational ; ccg:eligibleRegion nuts:CZ , nuts:HU , nuts:SK .

contact:fixture-hu a ccg:ContactPoint ; rdfs:label "Fixture Hungarian cluster desk"@en ;
    ccg:servesCountry country:HUN ; vcard:hasEmail <mailto:clusters@example.org> .
contact:fixture-south-moravia a ccg:ContactPoint ; rdfs:label "Fixture South Moravia desk"@en ;
    ccg:servesRegion nuts:CZ06 .

event:fixture-brno-matchmaking a ccg:Event ; rdfs:label "Fixture e-mobility matchmaking"@en ;
    ccg:startDate "2023-09-12"^^xsd:date ; ccg:locatedIn nuts:CZ064 ;
    ccg:organiser organisation:czechinvest ;
    ccg:participant cluster:fixture-moravia , cluster:fixture-gyor .

cluster:fixture-moravia dcterms:source source:test-fixture .
cluster:fixture-gyor dcterms:source source:test-fixture .
cluster:fixture-kosice dcterms:source source:test-fixture .
instrument:fixture-hu-sk dcterms:source source:test-fixture .
instrument:fixture-danube dcterms:source source:test-fixture .

nace:27 ccg:valueChainLink nace:29 .
vcl:fixture-27-29 a ccg:ValueChainLink ; rdfs:label "27 supplies 29"@en ;
    ccg:fromIndustry nace:27 ; ccg:toIndustry nace:29 ; dcterms:source source:test-fixture .
"""


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    root = tmp_path_factory.mktemp("named-queries")
    fixture = root / "fixture-clusters.ttl"
    fixture.write_text(FIXTURE, encoding="utf-8")
    with open_store(f"oxigraph:{root / 'store'}") as store:
        load_files(store, [ROOT / p for p in REFERENCE], validate=False)
        load_files(store, [ROOT / p for p in SEEDS])  # SHACL-validated
        load_files(store, [fixture])
        yield store


def run(store, name: str, **params: str) -> list[dict]:
    query = REGISTRY.get(name)
    return store.select(query.text, query.bindings(params))


def col(rows: list[dict], var: str) -> list:
    return [row.get(var) for row in rows]


def iri(text: str) -> URIRef:
    return URIRef(text)


# --- the registry itself ---------------------------------------------------------------


def test_at_least_fourteen_named_queries_with_titles_and_descriptions():
    queries = REGISTRY.all()
    assert len(queries) >= 14
    for query in queries:
        assert query.title != query.name and query.description, query.name


@pytest.mark.parametrize("name", [q.name for q in REGISTRY.all()])
def test_every_parameter_is_a_projected_variable(name):
    """Oxigraph substitutes only projected variables; anything else would fall back to a
    trailing VALUES that cannot reach FILTER or COALESCE."""
    query = REGISTRY.get(name)
    projection = re.search(r"SELECT(.*?)WHERE", query.text, re.S | re.I).group(1)
    for param in query.parameters:
        assert re.search(rf"\?{param.name}\b", projection), (name, param.name)
        # Oxigraph folds BOUND() of a variable no pattern binds to false, substitution or not.
        assert not re.search(rf"BOUND\s*\(\s*\?{param.name}\b", query.text, re.I), name


# --- one test per named query -----------------------------------------------------------


def test_instruments_for_two_regions_defaults_to_cross_border(kb):
    rows = run(kb, "instruments-for-two-regions",
               regionA=NUTS + "HU221", regionB=NUTS + "SK042")
    assert col(rows, "instrument") == [iri(ID + "instrument/fixture-hu-sk")]
    assert (rows[0]["areaA"], rows[0]["areaB"]) == (iri(NUTS + "HU2"), iri(NUTS + "SK0"))


def test_instruments_for_two_regions_with_another_scope(kb):
    rows = run(kb, "instruments-for-two-regions", regionA=NUTS + "CZ064",
               regionB=NUTS + "HU221", scope=CCG + "Transnational")
    assert col(rows, "instrument") == [iri(ID + "instrument/fixture-danube")]
    assert run(kb, "instruments-for-two-regions",
               regionA=NUTS + "CZ064", regionB=NUTS + "HU221") == []


def test_clusters_in_emerging_industry_by_country(kb):
    rows = run(kb, "clusters-in-emerging-industry", industry=ID + "industry/fixture-e-mobility")
    assert [(r["country"], r["cluster"]) for r in rows] == [
        (iri(COUNTRY + "CZE"), iri(ID + "cluster/fixture-moravia")),
        (iri(COUNTRY + "HUN"), iri(ID + "cluster/fixture-gyor"))]
    only_hu = run(kb, "clusters-in-emerging-industry", country=COUNTRY + "HUN")
    assert col(only_hu, "cluster") == [iri(ID + "cluster/fixture-gyor")]


def test_project_partners_by_country(kb):
    rows = run(kb, "project-partners-by-country", project=ID + "project/clustercoop")
    counts = {r["country"].rsplit("/", 1)[-1]: r["partners"].toPython() for r in rows}
    # 10 partners (HU 2, CZ 2, SK 2, IT, SI, PL, DE) and 3 associated ministries (DE, PL, SI)
    assert counts == {"HUN": 2, "CZE": 2, "SVK": 2, "DEU": 2, "POL": 2, "SVN": 2, "ITA": 1}
    assert sum(counts.values()) == 13


def test_projects_and_budgets_by_programme(kb):
    rows = run(kb, "projects-by-programme", programme=ID + "programme/central-europe")
    assert col(rows, "project") == [iri(ID + "project/clustercoop")]
    assert rows[0]["budgetEUR"].toPython() == Decimal("2053050.00")
    assert rows[0]["instrument"] == iri(ID + "instrument/central-europe-erdf")
    everything = {(r["programme"], r["project"]) for r in run(kb, "projects-by-programme")}
    assert (iri(ID + "programme/interreg-ivc"), iri(ID + "project/clusterix")) in everything
    assert (iri(ID + "programme/inno-net"), iri(ID + "project/cee-clusternetwork")) in everything


def test_open_recommendations(kb):
    rows = run(kb, "open-recommendations")
    by_rec = {r["recommendation"].rsplit("/", 1)[-1]: r for r in rows}
    assert set(by_rec) == {"clusterix-cross-sector-internationalisation",
                           "clusterix-2-eu-collaborative-rd-programmes",
                           "clusterix-2-cluster-manager-meeting-places",
                           "clusterix-2-differentiated-support"}
    implemented = by_rec["clusterix-cross-sector-internationalisation"]
    assert implemented["implementedBy"] == iri(ID + "instrument/escp-4i")
    assert implemented["status"] == iri(CCG + "UnderImplementation")
    assert by_rec["clusterix-2-eu-collaborative-rd-programmes"]["example"] == iri(
        ID + "programme/cornet")
    proposed = run(kb, "open-recommendations", status=CCG + "Proposed")
    assert len(proposed) == 3
    assert set(col(proposed, "recommendedBy")) == {iri(ID + "project/clusterix-2")}


def test_regions_with_clusters_but_no_instrument_of_a_scope(kb):
    rows = run(kb, "regions-without-instrument", scope=CCG + "CrossBorder")
    assert [(r["region"], r["clusters"].toPython()) for r in rows] == [
        (iri(NUTS + "CZ064"), 1)]
    assert rows[0]["regionLabel"] == Literal("Jihomoravský kraj", lang="cs")
    assert run(kb, "regions-without-instrument", scope=CCG + "Transnational") == []


def test_organisations_and_roles_per_project(kb):
    rows = run(kb, "project-roles", project=ID + "project/centramo")
    assert [(r["organisation"], r["role"]) for r in rows] == [
        (iri(ID + "organisation/mag-hungarian-economic-development-centre"),
         iri(CCG + "leadPartner"))]
    mag = run(kb, "project-roles",
              organisation=ID + "organisation/mag-hungarian-economic-development-centre")
    assert {(r["project"], r["role"]) for r in mag} == {
        (iri(ID + "project/centramo"), iri(CCG + "leadPartner")),
        (iri(ID + "project/clustercoop"), iri(CCG + "partner"))}
    clustercoop = run(kb, "project-roles", project=ID + "project/clustercoop")
    roles = [r["role"].rsplit("#", 1)[-1] for r in clustercoop]
    assert (roles.count("leadPartner"), roles.count("partner"),
            roles.count("associatedPartner")) == (1, 9, 3)


def test_sources_of_a_resource(kb):
    rows = run(kb, "resource-sources", resource=ID + "project/clustercoop")
    assert sorted({str(r["file"]) for r in rows}) == [
        "000_12a5a27be9d32cca.txt", "001_db56b25496b08169.txt", "003_9f6fef569baebc75.txt"]
    assert {str(r["graph"]).rsplit("/", 1)[-1][:3] for r in rows} == {"000", "001", "003"}


def test_conflicting_values_keep_both_end_dates_with_their_sources(kb):
    rows = run(kb, "conflicting-values", resource=ID + "project/clustercoop")
    assert [(r["property"], r["value"], str(r["file"])) for r in rows] == [
        (iri(CCG + "endDate"), Literal("2014-03-31", datatype=XSD.date),
         "003_9f6fef569baebc75.txt"),
        (iri(CCG + "endDate"), Literal("2014-05-31", datatype=XSD.date),
         "001_db56b25496b08169.txt")]
    assert len(run(kb, "conflicting-values")) == 2  # no other disagreement in the seeds


def test_contact_points_for_a_region_or_country(kb):
    gyor = run(kb, "contact-points-for-area", area=NUTS + "HU221")
    assert col(gyor, "contactPoint") == [iri(ID + "contact-point/fixture-hu")]
    assert gyor[0]["email"] == iri("mailto:clusters@example.org")
    brno = run(kb, "contact-points-for-area", area=NUTS + "CZ064")
    assert col(brno, "contactPoint") == [iri(ID + "contact-point/fixture-south-moravia")]
    assert brno[0]["served"] == iri(NUTS + "CZ06")
    hungary = run(kb, "contact-points-for-area", area=COUNTRY + "HUN")
    assert col(hungary, "contactPoint") == [iri(ID + "contact-point/fixture-hu")]


def test_clusters_holding_a_label_level(kb):
    gold = run(kb, "clusters-with-label", level=CCG + "ESCAGold")
    assert col(gold, "cluster") == [iri(ID + "cluster/fixture-moravia")]
    assert gold[0]["validUntil"] == Literal("2022-05-01", datatype=XSD.date)
    in_hungary = run(kb, "clusters-with-label", region=NUTS + "HU")
    assert col(in_hungary, "cluster") == [iri(ID + "cluster/fixture-gyor")]
    in_manufacturing = run(kb, "clusters-with-label", industry=NACE + "C")
    assert set(col(in_manufacturing, "cluster")) == {iri(ID + "cluster/fixture-moravia"),
                                                     iri(ID + "cluster/fixture-gyor")}
    assert run(kb, "clusters-with-label", industry=NACE + "J") == []


def test_indicator_values_beside_peers(kb):
    rows = run(kb, "cluster-indicator-peers", cluster=ID + "cluster/fixture-gyor")
    assert [(r["peer"].rsplit("/", 1)[-1], r["value"].toPython(), r["rank"].toPython())
            for r in rows] == [("fixture-moravia", Decimal("120.0"), 1),
                               ("fixture-gyor", Decimal("80.0"), 2),
                               ("fixture-kosice", Decimal("45.0"), 3)]
    assert [r["isCluster"].toPython() for r in rows] == [False, True, False]
    assert {str(r["unit"]) for r in rows} == {"members"}


def test_events_a_cluster_took_part_in(kb):
    rows = run(kb, "events-of-participant", participant=ID + "cluster/fixture-gyor")
    assert col(rows, "event") == [iri(ID + "event/fixture-brno-matchmaking")]
    assert rows[0]["date"] == Literal("2023-09-12", datatype=XSD.date)
    organiser = run(kb, "events-of-participant", participant=ID + "organisation/czechinvest")
    assert col(organiser, "role") == [iri(CCG + "organiser")]


def test_events_of_a_project_or_in_a_region(kb):
    rows = run(kb, "events-by-project-or-place", project=ID + "project/clusterix-2")
    assert col(rows, "event") == [iri(ID + "event/clusterix-2-consortium-meeting-gyor-2018")]
    assert rows[0]["date"] == Literal("2018-03-01", datatype=XSD.date)
    assert rows[0]["place"] == iri(NUTS + "HU221")
    assert rows[0]["reviewed"] == iri(ID + "recommendation/clusterix-policy-recommendations")
    west_hungary = run(kb, "events-by-project-or-place", region=NUTS + "HU2")
    assert col(west_hungary, "event") == col(rows, "event")
    assert len(run(kb, "events-by-project-or-place")) == 2


def test_emerging_industries_and_related_nace_sectors(kb):
    rows = run(kb, "emerging-industry-sectors")
    assert [(r["sector"], r["clusters"].toPython()) for r in rows] == [
        (iri(NACE + "2720"), 2), (iri(NACE + "2910"), 2)]
    assert rows[1]["sectorLabel"] == Literal("Manufacture of motor vehicles", lang="en")


def test_value_chain_neighbours(kb):
    rows = run(kb, "value-chain-neighbours", industry=NACE + "29")
    assert [(r["direction"].toPython(), r["neighbour"]) for r in rows] == [
        ("upstream", iri(NACE + "27"))]
    assert rows[0]["source"] == iri(ID + "source/test-fixture")


def test_outputs_and_activities_of_a_project(kb):
    rows = run(kb, "project-outputs", project=ID + "project/centramo")
    assert {r["item"].rsplit("/", 1)[-1] for r in rows} == {
        "centramo-benchmarking-training", "centramo-management-training",
        "centramo-international-benchmarking", "centramo-study-visits"}
    clustercoop = run(kb, "project-outputs", project=ID + "project/clustercoop")
    kinds = {r["item"].rsplit("/", 1)[-1]: r["kind"].rsplit("#", 1)[-1] for r in clustercoop}
    assert kinds["clustercoop-cluster-qualification-system"] == "QualificationSystem"
    assert kinds["clustercoop-matchmaking-roadshow"] == "ProjectActivity"
    assert kinds["clustercoop-ec-recommendations"] == "PolicyRecommendation"
    platform = next(r for r in clustercoop if r["item"].endswith("virtual-interactive-platform"))
    assert set(str(platform["sources"]).split()) == {
        "000_12a5a27be9d32cca.txt", "001_db56b25496b08169.txt", "003_9f6fef569baebc75.txt"}


def test_how_recommendations_are_implemented(kb):
    rows = run(kb, "recommendation-implementation")
    assert [(r["recommendation"], r["implementer"], r["programme"]) for r in rows] == [
        (iri(ID + "recommendation/clusterix-cross-sector-internationalisation"),
         iri(ID + "instrument/escp-4i"), iri(ID + "programme/cosme"))]
    assert rows[0]["recommendedBy"] == iri(ID + "project/clusterix")


def test_funders_and_the_projects_they_fund(kb):
    rows = run(kb, "funders-and-projects",
               funder=ID + "organisation/ec-dg-enterprise-directorate-industrial-innovation")
    assert [(r["instrument"], r["project"], r["budgetEUR"].toPython()) for r in rows] == [
        (iri(ID + "instrument/world-class-clusters-strand-2"), iri(ID + "project/centramo"),
         Decimal("425698.75"))]
    erdf = run(kb, "funders-and-projects", funder=ID + "fund/erdf")
    assert col(erdf, "project") == [iri(ID + "project/clustercoop")]
