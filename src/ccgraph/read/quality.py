"""Cluster quality and cooperation support (issue 9) for a reader: the contact-point
directory by country, the events list, two regions side by side, and a cluster's quality
profile (its labels and its indicators beside its peers).

The numbers come from `ccgraph.benchmarking`, the same functions behind the JSON API;
this module adds the names and groups them as the pages and their downloads show them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from rdflib import URIRef

from .. import benchmarking, synthetic
from ..errors import BadRequest, NotFound
from ..namespaces import CCG, SKOS
from . import words
from .labels import Langs, Link, curie, labels, nuts_code

__all__ = ["PEER_GROUPS", "cluster_quality", "compare_table", "comparison",
           "contact_directory", "contact_table", "event_list", "is_region"]

PEER_GROUPS = (("industry", "Same industry"), ("country", "Same country"),
               ("all", "All clusters"))
Record = dict[str, Any]


def _link(iri: str, names: dict[str, str]) -> Link:
    return Link(iri, names.get(iri) or curie(iri))


# -- contact points -------------------------------------------------------------------
_COUNTRY_CODES = """
SELECT ?country ?code WHERE { ?country a ?type ; ?notation ?code FILTER(STRLEN(STR(?code)) = 2) }"""
_REGION_COUNTRY = "SELECT ?region ?country WHERE { ?region ?in ?country }"
_REGIONS = "SELECT ?r WHERE { ?r a ?region }"


def _country_codes(store: Any) -> dict[str, str]:
    rows = store.select(_COUNTRY_CODES, {"type": CCG.Country, "notation": SKOS.notation})
    return {str(r["country"]): str(r["code"]) for r in rows}


def _countries_of_regions(store: Any, regions: list[str]) -> dict[str, str]:
    if not regions:
        return {}
    rows = store.select(_REGION_COUNTRY, {"in": CCG.country},
                        values={"region": [URIRef(r) for r in sorted(set(regions))]})
    return {str(r["region"]): str(r["country"]) for r in rows}


def _group_contacts(store: Any, records: list[Record]) -> dict[str, list[Record]]:
    """Contact points by the country they serve (directly or through a region); ''
    holds those tied to no country."""
    region_country = _countries_of_regions(store, [r for c in records for r in c["region"]])
    groups: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        countries = set(record["country"]) | {region_country[r] for r in record["region"]
                                              if r in region_country}
        for country in sorted(countries) or [""]:
            groups[country].append(record)
    return groups


def _contact_view(record: Record, names: dict[str, str]) -> Record:
    return {"iri": record["contact_point"],
            "label": names.get(record["contact_point"]) or record.get("label")
            or record.get("name") or curie(record["contact_point"]),
            "name": record.get("name"),
            "countries": [_link(i, names) for i in record["country"]],
            "regions": [_link(i, names) for i in record["region"]],
            "serves_for": [_link(i, names) for i in record["for"]],
            "emails": [e.removeprefix("mailto:") for e in record["email"]],
            "telephones": [t.removeprefix("tel:") for t in record["telephone"]],
            "urls": record["url"]}


def contact_directory(store: Any, langs: Langs, wanted: str = "") -> Record:
    """Contact points grouped by country (only the country coded `wanted`, if given),
    the countries to choose from, and how many serve each NUTS-2 region (the map)."""
    records = benchmarking.contact_points(store)
    mentioned = {i for r in records for key in ("country", "region", "for") for i in r[key]}
    names = labels(store, mentioned | {r["contact_point"] for r in records}, langs)
    codes = _country_codes(store)
    groups = _group_contacts(store, records)
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] == "", names.get(kv[0], kv[0])))
    choices = [(codes.get(c, ""), names.get(c) or words.readable(c), len(members))
               for c, members in ordered if c and codes.get(c)]
    if wanted and wanted not in {code for code, _n, _k in choices}:
        raise BadRequest(f"no contact point serves a country with the code {wanted!r}; "
                         "choose a country from the list", parameter="country")
    shown = [(c, m) for c, m in ordered if not wanted or codes.get(c) == wanted]
    view = [{"country": _link(c, names) if c else None, "code": codes.get(c, ""),
             "contacts": [_contact_view(r, names) for r in members]} for c, members in shown]
    flagged = synthetic.flagged(store, {r["contact_point"] for r in records} | mentioned)
    return {"groups": view, "total": len(records), "choices": choices, "wanted": wanted,
            "counts": _served_counts(store, records, codes), "synthetic": bool(flagged)}


def contact_table(groups: list[Record]) -> tuple[list[str], list[list[Any]]]:
    columns = ["country", "contact point", "contact point address", "e-mail", "telephone",
               "web site", "serves regions", "contact for"]
    rows = [[g["country"].label if g["country"] else "", c["label"], c["iri"],
             "; ".join(c["emails"]), "; ".join(c["telephones"]), "; ".join(c["urls"]),
             "; ".join(r.label for r in c["regions"]), "; ".join(x.label for x in c["serves_for"])]
            for g in groups for c in g["contacts"]]
    return columns, rows


def _served_counts(store: Any, records: list[Record], codes: dict[str, str]) -> dict[str, int]:
    """How many contact points serve each NUTS-2 region, directly, through a region that
    contains it or through its country: the map's colour."""
    found = [nuts_code(str(r["r"])) for r in store.select(_REGIONS, {"region": CCG.Region})]
    nuts2 = sorted(c for c in found if c and len(c) == 4)
    counts: dict[str, int] = {}
    for record in records:
        prefixes = {codes[c] for c in record["country"] if c in codes}
        prefixes |= {code for r in record["region"] if (code := nuts_code(r))}
        for code in nuts2:
            if any(code.startswith(p) or p.startswith(code) for p in prefixes):
                counts[code] = counts.get(code, 0) + 1
    return counts


# -- events ---------------------------------------------------------------------------
def event_list(store: Any, langs: Langs) -> Record:
    rows = benchmarking.events(store)
    names = labels(store, {r["event"] for r in rows} | {r["place"] for r in rows
                                                        if r["place"]}, langs)
    view = [{"event": _link(r["event"], names), "date": (r["date"] or "")[:10],
             "place": _link(r["place"], names) if r["place"] else None,
             "participants": r["participants"]} for r in rows]
    return {"events": view, "synthetic": bool(synthetic.flagged(store, {r["event"]
                                                                        for r in rows}))}


# -- region versus region -------------------------------------------------------------
def is_region(store: Any, iri: str) -> bool:
    return bool(store.ask("ASK { ?r a ?region }", {"r": URIRef(iri), "region": CCG.Region}))


def _side(side: Record, names: dict[str, str]) -> Record:
    levels = sorted(((names.get(level, curie(level)), n)
                     for level, n in side["labels"].items()), key=lambda kv: kv[0])
    return {"region": _link(side["region"], names), "code": nuts_code(side["region"]),
            "clusters": side["clusters"], "levels": levels,
            "labelled": sum(n for _label, n in levels)}


def comparison(store: Any, a: str, b: str, langs: Langs) -> Record:
    result = benchmarking.compare_regions(store, a, b)
    indicators = [i["indicator"] for i in result["indicators"]]
    levels = set(result["a"]["labels"]) | set(result["b"]["labels"])
    names = labels(store, {a, b} | set(indicators) | levels, langs)
    sides = {key: _side(result[key], names) for key in ("a", "b")}
    charts = [_chart(info, names, [(sides[k]["region"].label, result[k]["indicators"]
                                    .get(info["indicator"], {"n": 0})) for k in ("a", "b")])
              for info in result["indicators"]]
    return {"a": sides["a"], "b": sides["b"], "charts": charts}


def compare_table(result: Record) -> tuple[list[str], list[list[Any]]]:
    """One row per region and measure: clusters, labelled clusters, each label level and
    each indicator's spread."""
    columns = ["region", "NUTS code", "region address", "measure", "value", "lowest",
               "median", "highest", "clusters measured"]
    rows: list[list[Any]] = []
    for side in (result["a"], result["b"]):
        region = [side["region"].label, side["code"], side["region"].iri]
        rows.append([*region, "clusters", side["clusters"], None, None, None, None])
        rows.append([*region, "with a quality label", side["labelled"], None, None, None, None])
        rows += [[*region, f"label level: {level}", n, None, None, None, None]
                 for level, n in side["levels"]]
    for chart in result["charts"]:
        for group in chart["groups"]:
            side = result["a"] if group["label"] == result["a"]["region"].label else result["b"]
            s = group["summary"]
            rows.append([side["region"].label, side["code"], side["region"].iri, chart["label"],
                         None, s.get("min"), s.get("median"), s.get("max"), s.get("n")])
    return columns, rows


# -- a cluster's quality profile ------------------------------------------------------
_LABELS = """
SELECT ?award ?level ?body ?awarded ?valid WHERE {
  ?cluster ?holds ?award .
  OPTIONAL { ?award ?levelOf ?level } OPTIONAL { ?award ?bodyOf ?body }
  OPTIONAL { ?award ?awardedOn ?awarded } OPTIONAL { ?award ?validUntil ?valid }
} ORDER BY DESC(?awarded)"""


def _quality_labels(store: Any, cluster: str, langs: Langs) -> list[Record]:
    rows = store.select(_LABELS, {
        "cluster": URIRef(cluster), "holds": CCG.holdsLabel, "levelOf": CCG.labelLevel,
        "bodyOf": CCG.awardedBy, "awardedOn": CCG.awardedOn, "validUntil": CCG.validUntil})
    iris = {str(r[k]) for r in rows for k in ("award", "level", "body") if k in r}
    names = labels(store, iris, langs)
    return [{"award": _link(str(r["award"]), names),
             "level": _link(str(r["level"]), names) if "level" in r else None,
             "body": _link(str(r["body"]), names) if "body" in r else None,
             "awarded": str(r.get("awarded", "")), "valid": str(r.get("valid", ""))}
            for r in rows]


def _summary(summary: Record) -> Record:
    """A peer group's summary without its raw values (the chart needs only these).

    `statistics.quantiles` (exclusive method) puts the quartiles of small groups outside
    their range (6 and 13 give 4.25 and 14.75); a chart clamps them to it."""
    shown = {k: v for k, v in summary.items() if k != "values"}
    if shown.get("n"):
        shown["q1"] = max(shown["q1"], shown["min"])
        shown["q3"] = min(shown["q3"], shown["max"])
    return shown


def _chart(info: Record, names: dict[str, str], groups: Iterable[tuple[str, Record]],
           value: float | None = None) -> Record:
    iri = info["indicator"]
    return {"id": "chart-" + re.sub(r"[^A-Za-z0-9]+", "-", iri.rsplit("/", 1)[-1]),
            "indicator": iri, "label": names.get(iri) or info.get("label") or curie(iri),
            "unit": info.get("unit"), "min": info.get("min"), "max": info.get("max"),
            "value": value, "year": info.get("year"),
            "groups": [{"label": label, "summary": _summary(s)} for label, s in groups]}


def cluster_quality(store: Any, cluster: str, langs: Langs) -> Record:
    """A cluster's quality labels, and a chart of each indicator beside its peers."""
    try:
        profile = benchmarking.indicator_profile(store, cluster)
    except NotFound:
        profile = {"indicators": []}
    names = labels(store, [i["indicator"] for i in profile["indicators"]], langs)
    charts = [_chart(info, names, [(label, info["peers"][key]) for key, label in PEER_GROUPS],
                     value=info["value"]) for info in profile["indicators"]]
    return {"labels": _quality_labels(store, cluster, langs), "charts": charts}
