"""Every IRI ccgraph spells is spelled here.

Other modules import these names; no other module writes an IRI literally.
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

__all__ = [
    "CCG",
    "COUNTRY",
    "DCAT",
    "DCTERMS",
    "DEFAULT_INSTANCE_BASE",
    "FOAF",
    "GRAPH",
    "ID",
    "INFERRED_GRAPH",
    "META_GRAPH",
    "NACE",
    "NACE_SCHEME",
    "NUTS",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "QB",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SD",
    "SH",
    "SKOS",
    "VCARD",
    "VOID",
    "XSD",
    "nace",
]

CCG = Namespace("https://w3id.org/ccgraph/ontology#")
DEFAULT_INSTANCE_BASE = "https://w3id.org/ccgraph/id/"
ID = Namespace(DEFAULT_INSTANCE_BASE)
GRAPH = Namespace("https://w3id.org/ccgraph/graph/")

NUTS = Namespace("http://data.europa.eu/nuts/code/")
NACE = Namespace("http://data.europa.eu/ux2/nace2/")
COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
NACE_SCHEME = URIRef("http://data.europa.eu/ux2/nace2/nace2")


def nace(code: str) -> URIRef:
    """The EU vocabulary's IRI of a NACE Rev. 2 code: the code as Eurostat writes it
    ("29.10") with its dots stripped (.../nace2/2910); the dotted code is its skos:notation."""
    return NACE[code.replace(".", "")]


ORG = Namespace("http://www.w3.org/ns/org#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
QB = Namespace("http://purl.org/linked-data/cube#")
SCHEMA = Namespace("https://schema.org/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SH = Namespace("http://www.w3.org/ns/shacl#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
VOID = Namespace("http://rdfs.org/ns/void#")
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")

# Graphs ccgraph itself maintains.
META_GRAPH = URIRef("urn:ccgraph:meta")
INFERRED_GRAPH = URIRef("urn:ccgraph:inferred")

PREFIXES = {
    "ccg": str(CCG), "id": DEFAULT_INSTANCE_BASE, "nuts": str(NUTS), "nace": str(NACE),
    "country": str(COUNTRY), "org": str(ORG), "skos": str(SKOS), "dcterms": str(DCTERMS),
    "prov": str(PROV), "rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL), "xsd": str(XSD),
    "qb": str(QB), "schema": str(SCHEMA), "vcard": str(VCARD), "foaf": str(FOAF),
    "dcat": str(DCAT), "sh": str(SH), "void": str(VOID), "sd": str(SD),
}
