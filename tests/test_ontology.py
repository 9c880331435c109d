"""ontology/ccgraph.ttl: parses, documents every term, stays inside OWL 2 DL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from ccgraph.namespaces import CCG

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_FILE = ROOT / "ontology" / "ccgraph.ttl"
ONTOLOGY_IRI = URIRef("https://w3id.org/ccgraph/ontology")
BUILT_IN = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#",
            "http://www.w3.org/2002/07/owl#", "http://www.w3.org/2001/XMLSchema#")
DECLARATIONS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                OWL.NamedIndividual, RDFS.Datatype)


def words(text: str) -> list[str]:
    return text.split()


# The OWL 2 datatype map (OWL 2 Structural Specification, section 4); xsd:date is not in it.
OWL2_DATATYPES = {XSD[n] for n in words(
    "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger long "
    "int short byte unsignedLong unsignedInt unsignedShort unsignedByte double float string "
    "normalizedString token language Name NCName NMTOKEN boolean hexBinary base64Binary anyURI "
    "dateTime dateTimeStamp")} | {RDF.PlainLiteral, RDF.XMLLiteral, RDFS.Literal,
                                  OWL.real, OWL.rational}

CORE_CLASSES = words("Cluster Organisation Region Country Industry EmergingIndustry Policy "
                     "PolicyMeasure FundingInstrument Programme Project ActionPlan "
                     "PolicyRecommendation ContactPoint CooperationScope Event QualityLabel "
                     "Indicator ValueChainLink")
CORE_OBJECT_PROPERTIES = words("locatedIn country activeIn eligibleRegion eligibleIndustry "
                               "cooperationScope fundedBy partOfProgramme partner leadPartner "
                               "associatedPartner relatedIndustry implements organiser "
                               "participant labelLevel awardedBy holdsLabel servesCountry "
                               "servesRegion indicator refCluster valueChainLink s3Domain")
CORE_DATATYPE_PROPERTIES = words("budgetEUR startDate endDate awardedOn validUntil refYear "
                                 "indicatorValue method minValue maxValue unit")


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def declared(graph: Graph) -> set[URIRef]:
    return {s for t in DECLARATIONS for s in graph.subjects(RDF.type, t)
            if isinstance(s, URIRef)} | _individuals(graph)


def _individuals(graph: Graph) -> set[URIRef]:
    classes = set(graph.subjects(RDF.type, OWL.Class))
    return {s for s, o in graph.subject_objects(RDF.type) if o in classes}


def ccg_terms(graph: Graph) -> set[URIRef]:
    return {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(str(CCG))}


def test_header_names_version_licence_and_dates(onto):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    assert onto.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef(
        "https://w3id.org/ccgraph/ontology/0.1.0")
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.created,
                 RDFS.comment, RDFS.label):
        assert onto.value(ONTOLOGY_IRI, prop) is not None, prop
    assert onto.value(ONTOLOGY_IRI, DCTERMS.created).datatype == XSD.date
    assert not list(onto.objects(None, OWL.imports)), "no owl:imports: nothing may be fetched"


@pytest.mark.parametrize(("names", "kind"), [(CORE_CLASSES, OWL.Class),
                                              (CORE_OBJECT_PROPERTIES, OWL.ObjectProperty),
                                              (CORE_DATATYPE_PROPERTIES, OWL.DatatypeProperty)])
def test_core_names_are_declared(onto, names, kind):
    missing = [n for n in names if (CCG[n], RDF.type, kind) not in onto]
    assert not missing


def test_scopes_levels_and_statuses_are_individuals_of_their_classes(onto):
    for name in ("CrossBorder", "Transnational", "Interregional"):
        assert (CCG[name], RDF.type, CCG.CooperationScope) in onto
        assert (CCG[name], SKOS.inScheme, CCG.CooperationScopes) in onto
    for name in ("ESCABronze", "ESCASilver", "ESCAGold"):
        assert (CCG[name], SKOS.inScheme, CCG.QualityLevels) in onto
    open_statuses = {s for s in onto.subjects(SKOS.broader, CCG.Open)}
    assert open_statuses == {CCG.Proposed, CCG.Valid, CCG.UnderImplementation}


def test_every_term_has_an_english_label_and_definition(onto):
    undocumented = []
    for term in sorted(ccg_terms(onto)):
        for prop in (RDFS.label, SKOS.prefLabel, RDFS.comment):
            if not any(isinstance(v, Literal) and v.language == "en"
                       for v in onto.objects(term, prop)):
                undocumented.append((term.removeprefix(str(CCG)), prop.n3()))
    assert not undocumented
    assert len(ccg_terms(onto)) > 120


def test_alignment_with_org_skos_and_frapo(onto):
    assert (CCG.Cluster, RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#"
                                                 "OrganizationalCollaboration")) in onto
    assert (CCG.Organisation, RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#"
                                                      "Organization")) in onto
    for cls in (CCG.Region, CCG.Industry, CCG.Country):
        assert (cls, RDFS.subClassOf, SKOS.Concept) in onto
    assert (CCG.leadPartner, RDFS.subPropertyOf, CCG.partner) in onto
    assert (CCG.partnerIn, OWL.inverseOf, CCG.partner) in onto
    assert (CCG.fundedBy, RDFS.subPropertyOf, URIRef("http://purl.org/cerif/frapo/"
                                                     "isFundedBy")) in onto


def test_no_term_is_used_without_being_declared(onto):
    """OWL 2 DL: every IRI in the ontology is declared (or is built-in vocabulary)."""
    known = declared(onto) | {ONTOLOGY_IRI}
    used = set()
    for s, p, o in onto:
        if p in (OWL.versionIRI, DCTERMS.license):
            continue
        for node in (s, p, o):
            if isinstance(node, URIRef) and not str(node).startswith(BUILT_IN):
                used.add(node)
    assert sorted(used - known) == []


def test_no_punning_between_kinds_of_property(onto):
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    sets = {k: set(onto.subjects(RDF.type, k)) for k in kinds}
    for i, a in enumerate(kinds):
        for b in kinds[i + 1:]:
            assert not sets[a] & sets[b], (a, b, sets[a] & sets[b])
    assert not set(onto.subjects(RDF.type, OWL.Class)) & set().union(*sets.values())


def test_datatype_ranges_are_in_the_owl2_datatype_map(onto):
    for prop in onto.subjects(RDF.type, OWL.DatatypeProperty):
        for rng in onto.objects(prop, RDFS.range):
            assert rng in OWL2_DATATYPES, (prop, rng)
    assert "xsd:date" in str(onto.value(CCG.endDate, SKOS.scopeNote))


def test_cooperation_scope_is_closed_over_its_three_individuals(onto):
    enumeration = onto.value(CCG.CooperationScope, OWL.equivalentClass)
    assert isinstance(enumeration, BNode)
    members = list(onto.items(onto.value(enumeration, OWL.oneOf)))
    assert members == [CCG.CrossBorder, CCG.Transnational, CCG.Interregional]


def test_data_and_queries_use_only_declared_ccg_terms(onto):
    known = {str(t) for t in ccg_terms(onto)}
    files = [*sorted((ROOT / "data" / "seed").glob("*.ttl")),
             *sorted((ROOT / "queries").glob("*.rq")), ROOT / "ontology" / "shapes.ttl"]
    unknown = set()
    for path in files:
        for local in re.findall(r"\bccg:([A-Za-z][A-Za-z0-9]*)", path.read_text()):
            if str(CCG[local]) not in known:
                unknown.add((path.name, local))
    assert sorted(unknown) == []


def test_hermit_finds_the_ontology_consistent(tmp_path, onto):
    owlready2 = pytest.importorskip("owlready2")
    ntriples = tmp_path / "ccgraph.nt"
    onto.serialize(ntriples, format="nt", encoding="utf-8")
    world = owlready2.World()
    ontology = world.get_ontology(ntriples.as_uri()).load()
    with ontology:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    assert list(world.inconsistent_classes()) == []
    assert world["https://w3id.org/ccgraph/ontology#Cluster"] is not None


def test_manifest_bundles_the_ontology_and_every_seed_file_once():
    from ccgraph.bundle import manifest

    entries = manifest(ROOT)
    assert entries[0].file == ONTOLOGY_FILE and entries[0].kind == "ontology"
    files = [e.file for e in entries]
    assert len(files) == len(set(files))
    # one graph per file, except the two NUTS versions, which share one graph on purpose,
    # and the real data, whose files share one graph per family of sources
    nuts = {e.graph for e in entries if e.file.name in ("nuts-2021.ttl", "nuts-2024.ttl")}
    assert nuts == {"https://w3id.org/ccgraph/graph/reference/nuts"}
    others = [e.graph for e in entries
              if e.file.name not in ("nuts-2021.ttl", "nuts-2024.ttl") and e.kind != "real"]
    assert len(others) == len(set(others))
    real = {e.graph for e in entries if e.kind == "real"}
    assert real and all(g.startswith("https://w3id.org/ccgraph/graph/real/") for g in real)
    example = [e for e in entries if e.synthetic]
    assert [e.kind for e in example] == ["example"]   # loaded only with --with-example
    seeds = {e.file.name: e.graph for e in entries if e.kind == "seed"}
    assert set(seeds) == {p.name for p in (ROOT / "data" / "seed").glob("*.ttl")}
    assert all(g == f"https://w3id.org/ccgraph/graph/seed/{n.removesuffix('.ttl')}"
               for n, g in seeds.items())
    kinds = [e.kind for e in entries]
    assert kinds.index("seed") > max(i for i, k in enumerate(kinds) if k == "reference")
