"""Cluster quality: indicator values beside their peers, regions compared, contact
points and events. Data functions over any store; the web layer renders them."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable

from rdflib import URIRef

from .errors import NotFound

__all__ = ["compare_regions", "contact_points", "events", "indicator_profile", "summarise"]

_PREFIXES = """PREFIX ccg: <https://w3id.org/ccgraph/ontology#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX vcard: <http://www.w3.org/2006/vcard/ns#>
"""

_OBSERVATIONS = _PREFIXES + """
SELECT DISTINCT ?obs ?cluster ?indicator ?year ?value ?country WHERE {
  ?obs a qb:Observation ; ccg:refCluster ?cluster ; ccg:indicator ?indicator ;
       ccg:indicatorValue ?value .
  OPTIONAL { ?obs ccg:refYear ?year }
  OPTIONAL { ?cluster ccg:country ?country }
}"""

_INDUSTRIES = _PREFIXES + """
SELECT DISTINCT ?cluster ?industry WHERE { ?cluster a ccg:Cluster ; ccg:activeIn ?industry }"""

_INDICATORS = _PREFIXES + """
SELECT ?indicator (SAMPLE(?l) AS ?label) (SAMPLE(?u) AS ?unit) (SAMPLE(?lo) AS ?min)
       (SAMPLE(?hi) AS ?max) WHERE {
  ?indicator a ccg:Indicator .
  OPTIONAL { ?indicator rdfs:label ?l FILTER(LANGMATCHES(LANG(?l), "en") || LANG(?l) = "") }
  OPTIONAL { ?indicator ccg:unit ?u } OPTIONAL { ?indicator ccg:minValue ?lo }
  OPTIONAL { ?indicator ccg:maxValue ?hi }
} GROUP BY ?indicator"""

_LABEL = _PREFIXES + """
SELECT ?label WHERE { ?r rdfs:label ?label } LIMIT 1"""

MAX_VALUES = 2000  # values per peer group handed to a chart


def _number(term) -> float:
    return float(term.toPython())


def summarise(values: Iterable[float], own: float | None = None) -> dict:
    """n, min, quartiles, max and mean; the rank of `own` (1 = highest) when given."""
    data = sorted(values)
    if not data:
        return {"n": 0}
    # inclusive: quartiles stay within the observed range, even for two or three values
    quartiles = (statistics.quantiles(data, n=4, method="inclusive") if len(data) > 1
                 else [data[0]] * 3)
    summary = {"n": len(data), "min": data[0], "q1": quartiles[0], "median": quartiles[1],
               "q3": quartiles[2], "max": data[-1], "mean": statistics.fmean(data)}
    if own is not None:
        summary["rank"] = 1 + sum(1 for v in data if v > own)
    if len(data) <= MAX_VALUES:
        summary["values"] = data
    return summary


def _observations(store) -> list[dict]:
    rows = store.select(_OBSERVATIONS, row_cap=10**7)
    return [{"cluster": str(r["cluster"]), "indicator": str(r["indicator"]),
             "year": int(str(r["year"])[:4]) if "year" in r else None,
             "value": _number(r["value"]), "country": str(r.get("country", ""))}
            for r in rows]


def _indicator_info(store) -> dict[str, dict]:
    info = {}
    for row in store.select(_INDICATORS):
        info[str(row["indicator"])] = {
            "indicator": str(row["indicator"]), "label": str(row.get("label", "")),
            "unit": str(row["unit"]) if "unit" in row else None,
            "min": _number(row["min"]) if "min" in row else None,
            "max": _number(row["max"]) if "max" in row else None}
    return info


def _latest(observations: list[dict]) -> dict[tuple[str, str], dict]:
    """The newest observation per (cluster, indicator)."""
    latest: dict[tuple[str, str], dict] = {}
    for obs in observations:
        key = (obs["cluster"], obs["indicator"])
        if key not in latest or (obs["year"] or 0) > (latest[key]["year"] or 0):
            latest[key] = obs
    return latest


def indicator_profile(store, cluster: str) -> dict:
    """A cluster's newest value of each indicator beside the distribution of its peers:
    clusters sharing an industry, clusters in the same country, and all clusters."""
    latest = _latest(_observations(store))
    own = {ind: obs for (c, ind), obs in latest.items() if c == cluster}
    if not own and not store.ask("ASK { ?c a <https://w3id.org/ccgraph/ontology#Cluster> }",
                                 {"c": URIRef(cluster)}):
        raise NotFound(f"no cluster <{cluster}>", id=cluster)
    industries: dict[str, set[str]] = defaultdict(set)
    for row in store.select(_INDUSTRIES, row_cap=10**7):
        industries[str(row["cluster"])].add(str(row["industry"]))
    info = _indicator_info(store)
    profile = []
    for indicator, obs in sorted(own.items()):
        peers = [o for (c, ind), o in latest.items() if ind == indicator]
        groups = {
            "industry": [o["value"] for o in peers
                         if industries[o["cluster"]] & industries[cluster]],
            "country": [o["value"] for o in peers if o["country"] == obs["country"]],
            "all": [o["value"] for o in peers],
        }
        profile.append({**info.get(indicator, {"indicator": indicator}), "year": obs["year"],
                        "value": obs["value"],
                        "peers": {name: summarise(values, obs["value"])
                                  for name, values in groups.items()}})
    return {"cluster": cluster, "indicators": profile}


_IN_REGION = _PREFIXES + """
SELECT DISTINCT ?cluster ?level WHERE {
  ?cluster a ccg:Cluster ; ccg:locatedIn ?r . ?r skos:broader* ?region .
  OPTIONAL { ?cluster ccg:holdsLabel/ccg:labelLevel ?level }
}"""


def compare_regions(store, region_a: str, region_b: str) -> dict:
    """Clusters of two regions (or anything narrower) side by side: label levels, and
    the distribution of each indicator's newest values in each region."""
    latest = _latest(_observations(store))
    info = _indicator_info(store)
    sides = {}
    for key, region in (("a", region_a), ("b", region_b)):
        rows = store.select(_IN_REGION, {"region": URIRef(region)}, row_cap=10**7)
        clusters = {str(r["cluster"]) for r in rows}
        levels: dict[str, int] = defaultdict(int)
        for row in rows:
            if "level" in row:
                levels[str(row["level"])] += 1
        indicators = defaultdict(list)
        for (cluster, indicator), obs in latest.items():
            if cluster in clusters:
                indicators[indicator].append(obs["value"])
        sides[key] = {"region": region, "clusters": len(clusters), "labels": dict(levels),
                      "indicators": {i: summarise(v) for i, v in indicators.items()}}
    shared = sorted(set(sides["a"]["indicators"]) | set(sides["b"]["indicators"]))
    return {"a": sides["a"], "b": sides["b"],
            "indicators": [info.get(i, {"indicator": i}) for i in shared]}


_CONTACT_POINTS = _PREFIXES + """
SELECT DISTINCT ?cp ?label ?name ?email ?telephone ?url ?country ?region ?for WHERE {
  ?cp a ccg:ContactPoint .
  OPTIONAL { ?cp rdfs:label ?label } OPTIONAL { ?cp vcard:fn ?name }
  OPTIONAL { ?cp vcard:hasEmail ?email } OPTIONAL { ?cp vcard:hasTelephone ?telephone }
  OPTIONAL { ?cp vcard:hasURL ?url }
  OPTIONAL { ?cp ccg:servesCountry ?country } OPTIONAL { ?cp ccg:servesRegion ?region }
  OPTIONAL { ?cp ccg:contactFor ?for }
}"""

_MULTI = ("country", "region", "for", "email", "telephone", "url")


def contact_points(store) -> list[dict]:
    """Every contact point with what it serves and how to reach it."""
    merged: dict[str, dict] = {}
    for row in store.select(_CONTACT_POINTS, row_cap=10**6):
        record = merged.setdefault(str(row["cp"]), {"contact_point": str(row["cp"]),
                                                    **{k: [] for k in _MULTI}})
        for key in ("label", "name"):
            if key in row and key not in record:
                record[key] = str(row[key])
        for key in _MULTI:
            if key in row and str(row[key]) not in record[key]:
                record[key].append(str(row[key]))
    return sorted(merged.values(), key=lambda r: (r.get("label") or r.get("name") or ""))


_EVENTS = _PREFIXES + """
SELECT ?event (SAMPLE(?l) AS ?label) (SAMPLE(?d) AS ?date) (SAMPLE(?p) AS ?place)
       (COUNT(DISTINCT ?participant) AS ?participants) WHERE {
  ?event a ccg:Event .
  OPTIONAL { ?event rdfs:label ?l } OPTIONAL { ?event ccg:startDate ?d }
  OPTIONAL { ?event ccg:locatedIn ?p } OPTIONAL { ?event ccg:participant ?participant }
} GROUP BY ?event ORDER BY DESC(?date)"""


def events(store) -> list[dict]:
    return [{"event": str(r["event"]), "label": str(r.get("label", "")),
             "date": str(r["date"]) if "date" in r else None,
             "place": str(r["place"]) if "place" in r else None,
             "participants": int(r["participants"])}
            for r in store.select(_EVENTS, row_cap=10**6)]
