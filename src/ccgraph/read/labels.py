"""Names for IRIs in the reader's language, and the plain link every read function
returns (an IRI with its name; the views turn it into an address on their site)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rdflib import Literal, URIRef

from ..namespaces import NUTS, PREFIXES, RDFS, SKOS

__all__ = ["Link", "curie", "in_language", "labels", "nuts_code", "pick"]

Langs = tuple[str, ...]

_LABEL_PREDICATES = (SKOS.prefLabel, RDFS.label)
_LABELS = """
SELECT DISTINCT ?s ?p ?label WHERE { ?s ?p ?label . FILTER(isLiteral(?label)) }"""
_CHUNK = 400


@dataclass
class Link:
    """A resource as a reader sees it: its name, and its IRI for the link."""

    iri: str
    label: str
    kind: str = ""


def pick(literals: Iterable[Literal], langs: Langs) -> Literal | None:
    """The literal in the first preferred language, else one without a tag, else any."""
    ordered = sorted(literals, key=lambda lit: (str(lit.language or ""), str(lit)))
    if not ordered:
        return None
    for lang in langs:
        for lit in ordered:
            if (lit.language or "").split("-")[0].lower() == lang:
                return lit
    untagged = [lit for lit in ordered if not lit.language]
    return untagged[0] if untagged else ordered[0]


def in_language(literals: Iterable[Any], langs: Langs) -> list[Any]:
    """The texts in the first preferred language that has any, else all of them."""
    literals = list(literals)
    for lang in langs:
        chosen = [lit for lit in literals
                  if (getattr(lit, "language", None) or "").split("-")[0].lower() == lang]
        if chosen:
            return chosen
    return literals


def labels(store: Any, iris: Iterable[Any], langs: Langs) -> dict[str, str]:
    """Display names of many IRIs in one query per chunk (prefLabel before rdfs:label)."""
    wanted = sorted({str(i) for i in iris if isinstance(i, URIRef | str)})
    found: dict[str, dict[str, list[Literal]]] = defaultdict(lambda: defaultdict(list))
    for start in range(0, len(wanted), _CHUNK):
        chunk = [URIRef(i) for i in wanted[start:start + _CHUNK]]
        rows = store.select(_LABELS, values={
            "s": chunk * len(_LABEL_PREDICATES),
            "p": [p for p in _LABEL_PREDICATES for _ in chunk]})
        for row in rows:
            found[str(row["s"])][str(row["p"])].append(row["label"])
    out = {}
    for iri, by_predicate in found.items():
        for predicate in _LABEL_PREDICATES:
            chosen = pick(by_predicate.get(str(predicate), []), langs)
            if chosen is not None:
                out[iri] = str(chosen)
                break
    return out


def curie(iri: str) -> str:
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def nuts_code(iri: str) -> str | None:
    return iri[len(str(NUTS)):] if iri.startswith(str(NUTS)) else None
