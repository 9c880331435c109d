"""Words for people where the data has only addresses: names of well-known vocabulary
terms the ontology does not label, a readable fallback for any unlabelled IRI, and
language names for language tags.

The pages never show an IRI or a `prefix:Name` outside their technical details; every
name they print comes from the store's labels or from here.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlparse

from ..namespaces import (
    CCG,
    DCTERMS,
    FOAF,
    GEO,
    ORG,
    OWL,
    PREFIXES,
    PROV,
    QB,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    VCARD,
)

__all__ = ["VOCABULARY", "a_kind_of", "language_name", "readable", "same_fact"]

_GEO, _ORG, _FOAF, _SCHEMA, _VCARD = (str(ns) for ns in (GEO, ORG, FOAF, SCHEMA, VCARD))

# Terms of other vocabularies that the data uses and the ontology does not label.
VOCABULARY = {
    str(RDF.type): "type",
    str(RDFS.label): "name",
    str(SKOS.prefLabel): "name",
    str(SKOS.altLabel): "also called",
    str(SKOS.hiddenLabel): "also written",
    str(SKOS.notation): "code",
    str(SKOS.note): "note",
    str(SKOS.definition): "definition",
    str(SKOS.broader): "part of",
    str(SKOS.broaderTransitive): "part of (at any level)",
    str(SKOS.narrower): "contains",
    str(SKOS.inScheme): "in the classification",
    str(SKOS.exactMatch): "the same as",
    str(SKOS.closeMatch): "close to",
    str(RDFS.comment): "comment",
    str(RDFS.seeAlso): "see also",
    str(RDFS.subClassOf): "a kind of",
    str(OWL.sameAs): "the same as",
    str(DCTERMS.source): "source",
    str(DCTERMS.title): "title",
    str(DCTERMS.description): "description",
    str(DCTERMS.identifier): "identifier",
    str(DCTERMS.created): "created",
    str(DCTERMS.modified): "modified",
    str(DCTERMS.issued): "published",
    str(DCTERMS.publisher): "publisher",
    str(PROV.wasDerivedFrom): "source",
    _GEO + "lat": "latitude",
    _GEO + "long": "longitude",
    _ORG + "hasMember": "has member",
    _ORG + "memberOf": "member of",
    _ORG + "OrganizationalCollaboration": "Collaboration of organisations",
    _ORG + "Organization": "Organisation",
    _ORG + "FormalOrganization": "Organisation",
    _FOAF + "homepage": "web site",
    _FOAF + "name": "name",
    _SCHEMA + "url": "web site",
    _VCARD + "hasEmail": "e-mail",
    _VCARD + "hasTelephone": "telephone",
    _VCARD + "hasURL": "web site",
    str(CCG.synthetic): "generated example data",
    str(QB.Observation): "Observation",
    str(QB.DataSet): "Data set",
}

# Predicates that state the same fact for a reader: shown once, under the first one.
_SAME = ((str(SKOS.prefLabel), str(RDFS.label)), (str(PROV.wasDerivedFrom), str(DCTERMS.source)))

LANGUAGES = {
    "bg": "Bulgarian", "cs": "Czech", "da": "Danish", "de": "German", "el": "Greek",
    "en": "English", "es": "Spanish", "et": "Estonian", "fi": "Finnish", "fr": "French",
    "ga": "Irish", "hr": "Croatian", "hu": "Hungarian", "it": "Italian", "lt": "Lithuanian",
    "lv": "Latvian", "mt": "Maltese", "nl": "Dutch", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "sk": "Slovak", "sl": "Slovenian", "sv": "Swedish", "sr": "Serbian",
    "uk": "Ukrainian", "bs": "Bosnian", "sq": "Albanian", "mk": "Macedonian",
    "me": "Montenegrin", "tr": "Turkish", "ru": "Russian", "la": "Latin", "no": "Norwegian",
    "is": "Icelandic", "ca": "Catalan", "eu": "Basque", "gl": "Galician", "lb": "Luxembourgish",
}

_TERM = re.compile(r"^[a-zA-Z]+[A-Z][a-zA-Z0-9]*$|^[A-Z][a-zA-Z0-9]*$")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|[_\-]+")


def language_name(tag: str | None) -> str:
    """'de' -> 'German', 'de-AT' -> 'German (AT)'; an unknown tag stays as it is."""
    if not tag:
        return ""
    primary, _, region = tag.partition("-")
    name = LANGUAGES.get(primary.lower(), tag)
    return f"{name} ({region.upper()})" if region and name != tag else name


def readable(iri: str) -> str:
    """Words for an IRI nobody labelled: a known vocabulary term, else its last segment
    written as words ('hasMember' -> 'has member'), else the web site it is on."""
    if iri in VOCABULARY:
        return VOCABULARY[iri]
    parsed = urlparse(iri)
    tail = unquote(re.split(r"[#/:]", iri.rstrip("/#"))[-1]) if iri else ""
    known = any(iri.startswith(ns) for ns in PREFIXES.values())
    term = "#" in iri or bool(_TERM.match(tail))  # vocabulary terms are camelCase names
    if parsed.scheme in ("http", "https") and not (known or term):
        return f"a page on {parsed.hostname}"  # a document: its site says more than its path
    if not tail:
        return "an unnamed resource"
    words = _CAMEL.sub(" ", tail).strip()
    if words[:1].isupper():  # a class: "FundingProgramme" -> "Funding programme"
        return words[:1] + words[1:].lower()
    return words.lower()


def a_kind_of(kind: str, of: str = "") -> str:
    """An unnamed resource in words from its type: ("Observation", "Example Cluster 35")
    -> "an observation of Example Cluster 35"; ("Quality label") -> "a quality label".
    A name that starts with capitals ("NUTS region") keeps them."""
    if not kind:
        return f"something that refers to {of}" if of else "an unnamed resource"
    if kind[1:2].islower():
        kind = kind[:1].lower() + kind[1:]
    article = "an" if kind[:1].lower() in "aeiou" else "a"
    return f"{article} {kind} of {of}" if of else f"{article} {kind}"


def same_fact(predicate: str) -> str:
    """The predicate a reader's fact is shown under (skos:prefLabel for rdfs:label)."""
    for kept, *others in _SAME:
        if predicate in others:
            return kept
    return predicate
