"""What a page shows beyond a resource's own facts, by the kind of resource (cluster,
region, instrument, project), and the counts of the home page and the map."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from rdflib import URIRef

from ..namespaces import CCG, DCTERMS, SKOS
from .labels import Langs, Link, curie, in_language, labels, nuts_code
from .resource import Resource

__all__ = ["STATUS_ORDER", "cluster_counts_by_nuts2", "extra", "home_counts", "iris_in",
           "mentions_synthetic", "status"]

# (method, *args, **kwargs) -> (answer, None) or (None, a sentence for the reader)
Analytics = Callable[..., tuple[Any, str | None]]

_COUNT = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?type }"


def home_counts(store: Any) -> list[tuple[str, int]]:
    out = []
    for name, cls in (("clusters", CCG.Cluster), ("regions", CCG.Region),
                      ("funding instruments", CCG.FundingInstrument), ("projects", CCG.Project),
                      ("organisations", CCG.Organisation)):
        rows = store.select(_COUNT, {"type": cls})
        out.append((name, int(rows[0]["n"]) if rows else 0))
    return out


def extra(resource: Resource, store: Any, langs: Langs,
          analytics: Analytics) -> dict[str, Any]:
    """Kind-specific sections; every list holds `Link`s."""
    handler = {"cluster": _cluster, "region": _region, "instrument": _instrument,
               "project": _project}.get(resource.kind)
    return handler(resource, store, langs, analytics) if handler else {}


_FLAGGED = "SELECT DISTINCT ?s WHERE { ?s ?flag true }"


def mentions_synthetic(store: Any, resource: Resource, extra: dict[str, Any]) -> bool:
    """Whether anything the page links to is flagged `ccg:synthetic true`."""
    iris = set(resource.links) | set(iris_in(extra))
    nodes = [URIRef(i) for i in sorted(iris)]
    for start in range(0, len(nodes), 500):
        if store.select(_FLAGGED, {"flag": CCG.synthetic}, values={"s": nodes[start:start + 500]}):
            return True
    return False


def iris_in(value: Any) -> Iterator[str]:
    """Every IRI in a nest of links, analytics answers (`"id"`), lists and dicts."""
    if isinstance(value, Link):
        yield value.iri
    elif isinstance(value, dict):
        if isinstance(value.get("id"), str):
            yield value["id"]
        for item in value.values():
            yield from iris_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from iris_in(item)


def _codes(links: Iterable[Link]) -> str:
    return " ".join(c for c in (nuts_code(link.iri) for link in links) if c)


def _links(store: Any, iris: Iterable[Any], langs: Langs, kind: str = "") -> list[Link]:
    wanted = sorted({str(i) for i in iris})
    names = labels(store, wanted, langs)
    found = [Link(i, names.get(i) or curie(i), kind) for i in wanted]
    return sorted(found, key=lambda link: link.label.lower())


def _cluster(resource: Resource, store: Any, langs: Langs,
             analytics: Analytics) -> dict[str, Any]:
    regions = resource.linked(CCG.locatedIn)
    partners, partners_error = analytics("partners", resource.iri, n=5)
    instruments: dict[str, dict[str, Any]] = {}
    for partner in partners or []:
        for inst in partner.get("instruments", []):
            entry = instruments.setdefault(inst["id"], {"instrument": inst, "with": []})
            entry["with"].append(partner["cluster"])
    return {
        "regions": regions, "map_codes": _codes(regions),
        "industries": resource.linked(CCG.activeIn),
        "projects": resource.referring(CCG.partner, CCG.leadPartner, CCG.associatedPartner,
                                       CCG.participant),
        "members": _members(resource),
        "quality_labels": resource.linked(CCG.holdsLabel),
        "partners": partners, "partners_error": partners_error,
        "instruments": _by_status(store, instruments),
    }


STATUS_ORDER = {"current": 0, "not yet started": 1, "period not stated": 2, "closed": 3}


def status(start: str, end: str, today: dt.date) -> str:
    """Current, not yet started, closed, or period not stated, on `today`."""
    if end and end[:10] < today.isoformat():
        return "closed"
    if start and start[:10] > today.isoformat():
        return "not yet started"
    return "current" if start or end else "period not stated"


_PERIODS = "SELECT ?i ?start ?end WHERE { OPTIONAL { ?i ?s ?start } OPTIONAL { ?i ?e ?end } }"


def _by_status(store: Any, instruments: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Instruments with their status today, current first and closed ones last, so a
    closed call is never offered as if it were open."""
    rows = store.select(_PERIODS, {"s": CCG.startDate, "e": CCG.endDate},
                        values={"i": [URIRef(i) for i in sorted(instruments)]}) \
        if instruments else []
    periods = {str(r["i"]): (str(r.get("start", ""))[:10], str(r.get("end", ""))[:10])
               for r in rows}
    today = dt.date.today()
    for iri, entry in instruments.items():
        entry["status"] = status(*periods.get(iri, ("", "")), today)
    return sorted(instruments.values(), key=lambda e: (STATUS_ORDER[e["status"]],
                                                        e["instrument"]["label"]))


def _members(resource: Resource) -> str | None:
    """Member counts as the sources state them, else the members listed, else unknown
    (None: the page says "not recorded" rather than 0)."""
    counts = sorted({int(c) for c in resource.all(CCG.memberCount)
                     if str(c).lstrip("-").isdigit()})
    if counts:
        return " or ".join(str(c) for c in counts) + (" (the sources differ)"
                                                      if len(counts) > 1 else "")
    listed = len(resource.all(CCG.hasMember))
    return str(listed) if listed else None


# Property paths need constant predicates: the vocabulary comes from namespaces.py,
# the region is bound.
_REGION_CLUSTERS = f"""
SELECT DISTINCT ?c WHERE {{
  ?c a <{CCG.Cluster}> ; <{CCG.locatedIn}> ?x . ?x <{SKOS.broader}>* ?r
}} LIMIT 300"""
_REGION_INSTRUMENTS = f"""
SELECT DISTINCT ?i WHERE {{ ?r <{SKOS.broader}>* ?e . ?i <{CCG.eligibleRegion}> ?e }} LIMIT 300"""


def _region(resource: Resource, store: Any, langs: Langs,
            analytics: Analytics) -> dict[str, Any]:
    node = URIRef(resource.iri)
    clusters = store.select(_REGION_CLUSTERS, {"r": node})
    instruments = store.select(_REGION_INSTRUMENTS, {"r": node})
    code = nuts_code(resource.iri) or ""
    return {
        "code": code, "map_codes": code,
        "broader": resource.linked(SKOS.broader),
        "narrower": resource.referring(SKOS.broader),
        "adjacent": resource.linked(CCG.adjacentTo),
        "clusters": _links(store, [r["c"] for r in clusters], langs, "cluster"),
        "instruments": _links(store, [r["i"] for r in instruments], langs, "instrument"),
    }


def _instrument(resource: Resource, store: Any, langs: Langs,
                analytics: Analytics) -> dict[str, Any]:
    eligible = resource.linked(CCG.eligibleRegion)
    return {
        "eligible": eligible, "map_codes": _codes(eligible),
        "scope": resource.linked(CCG.cooperationScope),
        "programmes": resource.linked(CCG.partOfProgramme),
        "industries": resource.linked(CCG.eligibleIndustry),
        "projects": resource.referring(CCG.fundedBy),
        "budget": resource.first(CCG.budgetEUR),
        "start": resource.first(CCG.startDate), "end": resource.first(CCG.endDate),
    }


def _project(resource: Resource, store: Any, langs: Langs,
             analytics: Analytics) -> dict[str, Any]:
    return {
        "lead": resource.linked(CCG.leadPartner),
        "partners": resource.linked(CCG.partner),
        "associated": resource.linked(CCG.associatedPartner),
        "funded_by": resource.linked(CCG.fundedBy),
        "programmes": resource.linked(CCG.partOfProgramme),
        "budget": resource.first(CCG.budgetEUR),
        "start": resource.first(CCG.startDate), "end": resource.first(CCG.endDate),
        "objectives": sorted(str(o) for o in in_language(resource.all(CCG.objective), langs)),
        "description": next(iter(in_language(resource.all(DCTERMS.description), langs)),
                            None),
    }


# -- aggregates for the map and the home page -----------------------------------------
_CLUSTER_REGIONS = """
SELECT ?r (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a ?cluster ; ?located ?r } GROUP BY ?r"""


def cluster_counts_by_nuts2(store: Any) -> dict[str, int]:
    """Clusters per NUTS-2 code (a NUTS code's first four characters are its NUTS-2)."""
    counts: dict[str, int] = defaultdict(int)
    for row in store.select(_CLUSTER_REGIONS, {"cluster": CCG.Cluster,
                                               "located": CCG.locatedIn}):
        code = nuts_code(str(row["r"]))
        if code and len(code) >= 4:
            counts[code[:4]] += int(row["n"])
    return dict(sorted(counts.items()))
