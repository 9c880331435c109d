"""A region's dossier as plain data: what a policy maker needs before a meeting (its
clusters and their sectors, the programmes covering it with their status, the best
partner regions abroad and why, funding gaps, contact points, events and the sources of
it all), and each of its tables as rows for a download."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Any

from rdflib import URIRef

from .. import benchmarking, synthetic
from ..errors import BadRequest, NotFound
from ..namespaces import CCG, DCTERMS, NUTS, PROV, SKOS
from . import words
from .kinds import STATUS_ORDER, Analytics, iris_in, status
from .labels import Langs, Link, labels, nuts_code

__all__ = ["dossier_data", "shows_synthetic", "tables"]

Record = dict[str, Any]

_NUTS_CODE = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")
PARTNER_CLUSTERS = 12   # clusters of the region whose partners are scored (bounded work)

_CLUSTERS = f"""
SELECT DISTINCT ?c ?industry WHERE {{
  ?c a <{CCG.Cluster}> ; <{CCG.locatedIn}> ?x . ?x <{SKOS.broader}>* ?r
  OPTIONAL {{ ?c <{CCG.activeIn}> ?industry }}
}} LIMIT 2000"""
# The whole region is eligible through it or a region containing it; or only a part is
# (a programme that names NUTS 3 regions covers part of a NUTS 2 region).
_PROGRAMMES = f"""
SELECT DISTINCT ?i ?start ?end ?part WHERE {{
  {{ ?r <{SKOS.broader}>* ?e . ?i <{CCG.eligibleRegion}> ?e BIND(false AS ?part) }}
  UNION {{ ?e <{SKOS.broader}>+ ?r . ?i <{CCG.eligibleRegion}> ?e BIND(true AS ?part) }}
  OPTIONAL {{ ?i <{CCG.startDate}> ?start }} OPTIONAL {{ ?i <{CCG.endDate}> ?end }}
}} LIMIT 1000"""
_UP = f"SELECT DISTINCT ?up WHERE {{ ?r <{SKOS.broader}>* ?up }}"
_SOURCES = "SELECT DISTINCT ?s ?src WHERE { ?s ?cites ?src . FILTER(isIRI(?src)) }"


def _region(store: Any, code: str, langs: Langs) -> tuple[str, str]:
    if not _NUTS_CODE.match(code):
        raise BadRequest(f"{code!r} is not a NUTS code (two letters and up to three more "
                         "characters, such as AT22)", parameter="code")
    iri = str(NUTS[code])
    names = labels(store, [iri], langs)
    if iri not in names:
        raise NotFound(f"no region has the NUTS code {code!r}", id=iri)
    return iri, names[iri]


def _clusters(store: Any, node: URIRef, langs: Langs) -> list[Record]:
    by: dict[str, set[str]] = defaultdict(set)
    for row in store.select(_CLUSTERS, {"r": node}):
        by.setdefault(str(row["c"]), set())
        if "industry" in row:
            by[str(row["c"])].add(str(row["industry"]))
    names = labels(store, set(by) | {i for s in by.values() for i in s}, langs)
    out = [{"cluster": _link(c, names),
            "sectors": sorted(_link(i, names).label for i in industries)}
           for c, industries in by.items()]
    return sorted(out, key=lambda item: item["cluster"].label.lower())


def _link(iri: str, names: dict[str, str]) -> Link:
    return Link(iri, names.get(iri) or words.readable(iri))


def _programmes(store: Any, node: URIRef, langs: Langs) -> list[Record]:
    rows = store.select(_PROGRAMMES, {"r": node})
    today = dt.date.today()
    names = labels(store, {str(r["i"]) for r in rows}, langs)
    found: dict[str, Record] = {}
    for row in rows:
        start, end = str(row.get("start", "")), str(row.get("end", ""))
        entry = found.setdefault(str(row["i"]), {
            "programme": _link(str(row["i"]), names), "start": start[:10],
            "end": end[:10], "status": status(start, end, today), "part": True})
        entry["part"] = entry["part"] and str(row["part"]).lower() == "true"
    return sorted(found.values(), key=lambda p: (STATUS_ORDER[p["status"]],
                                                 p["programme"].label.lower()))


def _partner_regions(store: Any, clusters: list[Record],
                     analytics: Analytics) -> tuple[list[Record], str | None]:
    """NUTS-2 regions abroad whose clusters complement this region's: for each, how many
    recommended pairs, and the best pair with its reasons."""
    found: list[tuple[Link, Record]] = []
    error = None
    for item in clusters[:PARTNER_CLUSTERS]:
        partners, error = analytics("partners", item["cluster"].iri, n=5,
                                          cross_border_only=True)
        found += [(item["cluster"], p) for p in partners or []]
    located = _nuts2_of(store, {p["cluster"]["id"] for _ours, p in found})
    regions: dict[str, Record] = {}
    for ours, partner in found:
        place = located.get(partner["cluster"]["id"], "")
        entry = regions.setdefault(place, {"region": place, "pairs": 0, "best": None})
        entry["pairs"] += 1
        if entry["best"] is None or partner["score"] > entry["best"]["score"]:
            entry["best"] = {"ours": ours, **partner}
    ranked = sorted(regions.values(), key=lambda r: (-r["best"]["score"], -r["pairs"]))
    return ranked[:8], error


def _nuts2_of(store: Any, clusters: set[str]) -> dict[str, str]:
    if not clusters:
        return {}
    rows = store.select("SELECT ?c ?r WHERE { ?c ?in ?r }", {"in": CCG.locatedIn},
                        values={"c": [URIRef(c) for c in sorted(clusters)]})
    out = {}
    for row in rows:
        code = nuts_code(str(row["r"]))
        if code and len(code) >= 4:
            out[str(row["c"])] = str(NUTS[code[:4]])
    return out


def _gaps(code: str, analytics: Analytics) -> tuple[list[Record], str | None]:
    report, error = analytics("gaps", threshold=0.5, limit=100)
    if report is None:
        return [], error
    nuts2 = code[:4]
    mine = [g for g in report["groups"]
            if any((nuts_code(r.get("id") or "") or "").startswith(nuts2)
                   or nuts2.startswith(nuts_code(r.get("id") or "") or "-")
                   for r in g["regions"])]
    return mine[:10], None


def _contacts(store: Any, node: URIRef, langs: Langs) -> list[Record]:
    """Contact points serving this region, a region containing it or its country."""
    up = {str(r["up"]) for r in store.select(_UP, {"r": node})}
    up |= {str(r["c"]) for r in store.select("SELECT ?c WHERE { ?r ?in ?c }",
                                              {"r": node, "in": CCG.country})}
    chosen = [r for r in benchmarking.contact_points(store)
              if up & set(r["region"] + r["country"])]
    names = labels(store, {r["contact_point"] for r in chosen}, langs)
    return [{"contact": _link(r["contact_point"], names), "name": r.get("name"),
             "emails": [e.removeprefix("mailto:") for e in r["email"]],
             "telephones": [t.removeprefix("tel:") for t in r["telephone"]]}
            for r in chosen]


def _events(store: Any, code: str, langs: Langs) -> list[Record]:
    chosen = [r for r in benchmarking.events(store)
              if (nuts_code(r["place"] or "") or "").startswith(code)]
    names = labels(store, {r["event"] for r in chosen}, langs)
    return [{"event": _link(r["event"], names), "date": (r["date"] or "")[:10],
             "participants": r["participants"] or None} for r in chosen]


def _sources(store: Any, iris: set[str], langs: Langs) -> list[Link]:
    found: set[str] = set()
    nodes = [URIRef(i) for i in sorted(iris)]
    for start in range(0, len(nodes), 400):
        for predicate in (DCTERMS.source, PROV.wasDerivedFrom):
            rows = store.select(_SOURCES, {"cites": predicate},
                                values={"s": nodes[start:start + 400]})
            found |= {str(r["src"]) for r in rows}
    names = labels(store, found, langs)
    return sorted((_link(s, names) for s in found), key=lambda s: s.label.lower())


def dossier_data(store: Any, code: str, langs: Langs, analytics: Analytics) -> Record:
    """Everything the dossier shows, as plain values (the page, the PDF and the downloads
    share it)."""
    iri, label = _region(store, code, langs)
    node = URIRef(iri)
    clusters = _clusters(store, node, langs)
    partners, partners_error = _partner_regions(store, clusters, analytics)
    region_names = labels(store, {p["region"] for p in partners if p["region"]}, langs)
    for p in partners:
        p["place"] = _link(p["region"], region_names) if p["region"] else None
    programmes = _programmes(store, node, langs)
    gaps, gaps_error = _gaps(code, analytics)
    cited = {c["cluster"].iri for c in clusters} | {p["programme"].iri for p in programmes}
    example = synthetic.flagged(store, cited)  # tagged "example data" where listed
    return {"code": code, "iri": iri, "label": label, "clusters": clusters,
            "programmes": programmes, "partners": partners, "partners_error": partners_error,
            "gaps": gaps, "gaps_error": gaps_error,
            "contacts": _contacts(store, node, langs),
            "events": _events(store, code, langs),
            "sources": _sources(store, cited | {iri}, langs), "example": example,
            "today": dt.date.today().isoformat()}


def shows_synthetic(store: Any, info: Record) -> bool:
    """Whether anything the dossier names is generated example data (the banner)."""
    return bool(synthetic.flagged(store, set(iris_in(info))))


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _region_pair(regions: list[Record]) -> list[str]:
    ends = [*regions, {}, {}][:2]
    return [v for r in ends for v in (r.get("label") or "", r.get("id") or "")]


def tables(d: Record) -> dict[str, tuple[str, list[str], list[list[Any]]]]:
    """The dossier's tables as downloads: name -> (title, columns, rows), each name in a
    column of its own beside its address."""
    label, example = d["label"], d["example"]
    best = [(p, p["best"]) for p in d["partners"]]
    return {
        "clusters": (f"Clusters in {label}",
                     ["cluster", "cluster address", "sectors", "example data"],
                     [[c["cluster"].label, c["cluster"].iri, "; ".join(c["sectors"]),
                       _yes(c["cluster"].iri in example)] for c in d["clusters"]]),
        "programmes": (f"Programmes covering {label}",
                       ["programme or instrument", "address", "status", "start", "end",
                        "only part of the region eligible", "example data"],
                       [[p["programme"].label, p["programme"].iri, p["status"], p["start"],
                         p["end"], _yes(p["part"]), _yes(p["programme"].iri in example)]
                        for p in d["programmes"]]),
        "partners": (f"Partner regions for {label}",
                     ["partner region", "partner region address", "recommended pairs",
                      "cluster here", "cluster here address", "partner cluster",
                      "partner cluster address", "best score", "why"],
                     [[p["place"].label if p["place"] else "", p["region"], p["pairs"],
                       b["ours"].label, b["ours"].iri, b["cluster"].get("label") or "",
                       b["cluster"].get("id") or "", round(b["score"], 4),
                       " ".join(str(r) for r in b.get("reasons", []))] for p, b in best]),
        "gaps": (f"Funding gaps of {label}",
                 ["first region", "first region address", "second region",
                  "second region address", "complementary pairs without a common instrument",
                  "best score"],
                 [[*_region_pair(g["regions"]), g["pairs"], g["best_score"]]
                  for g in d["gaps"]]),
        "contacts": (f"Contact points for {label}",
                     ["contact point", "contact point address", "e-mail", "telephone"],
                     [[c["contact"].label, c["contact"].iri, ", ".join(c["emails"]),
                       ", ".join(c["telephones"])] for c in d["contacts"]]),
        "events": (f"Events in {label}",
                   ["date", "event", "event address", "participants recorded"],
                   [[e["date"], e["event"].label, e["event"].iri, e["participants"]]
                    for e in d["events"]]),
        "sources": (f"Sources on {label}", ["source", "source address"],
                    [[s.label, s.iri] for s in d["sources"]]),
    }
