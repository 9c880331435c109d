"""Pages for cluster quality and cooperation support (issue 9): the contact-point
directory, the events list, region-versus-region benchmarking, and the quality
section of a cluster page (its labels and its indicators beside its peers).

The numbers come from `ccgraph.benchmarking`, the same functions behind
`/api/indicators`, `/api/compare-regions`, `/api/contact-points` and `/api/events`.
"""

from __future__ import annotations

import re
from collections import defaultdict

from flask import Blueprint, request
from rdflib import URIRef

from .. import benchmarking, synthetic
from ..errors import BadRequest, NotFound
from ..namespaces import CCG, NUTS, SKOS
from . import downloads
from . import pages_common as site
from . import pages_data as data

__all__ = ["bp", "cluster_quality", "init_app"]

bp = Blueprint("quality", __name__)

_NUTS_CODE = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")
NAV = [("quality.contacts", "Contact points"), ("quality.events", "Events"),
       ("quality.compare", "Compare regions")]
PEER_GROUPS = (("industry", "Same industry"), ("country", "Same country"),
               ("all", "All clusters"))


def _store():
    return site.store()


def _langs() -> tuple[str, ...]:
    return data.preferred_languages()


def _link(iri: str, names: dict[str, str]) -> data.Link:
    return data.Link(iri, names.get(iri) or data.curie(iri), data.href(iri, site.base()))





def _any_flagged(iris) -> bool:
    """Whether any of `iris` is flagged `ccg:synthetic true` (the banner's trigger)."""
    return bool(synthetic.flagged(_store(), iris))


# -- contact points -------------------------------------------------------------------
_COUNTRY_CODES = """
SELECT ?country ?code WHERE { ?country a ?type ; ?notation ?code FILTER(STRLEN(STR(?code)) = 2) }"""
_REGION_COUNTRY = "SELECT ?region ?country WHERE { ?region ?in ?country }"


def _country_codes() -> dict[str, str]:
    rows = _store().select(_COUNTRY_CODES, {"type": CCG.Country,
                                            "notation": SKOS.notation})
    return {str(r["country"]): str(r["code"]) for r in rows}


def _countries_of_regions(regions: list[str]) -> dict[str, str]:
    if not regions:
        return {}
    rows = _store().select(_REGION_COUNTRY, {"in": CCG.country},
                           values={"region": [URIRef(r) for r in sorted(set(regions))]})
    return {str(r["region"]): str(r["country"]) for r in rows}


def _group_contacts(records: list[dict]) -> dict[str, list[dict]]:
    """Contact points by the country they serve (directly or through a region); ''
    holds those tied to no country."""
    region_country = _countries_of_regions([r for c in records for r in c["region"]])
    groups: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        countries = set(record["country"]) | {region_country[r] for r in record["region"]
                                              if r in region_country}
        for country in sorted(countries) or [""]:
            groups[country].append(record)
    return groups


def _contact_view(record: dict, names: dict[str, str]) -> dict:
    return {"iri": record["contact_point"],
            "label": names.get(record["contact_point"]) or record.get("label")
            or record.get("name") or data.curie(record["contact_point"]),
            "href": data.href(record["contact_point"], site.base()),
            "name": record.get("name"),
            "countries": [_link(i, names) for i in record["country"]],
            "regions": [_link(i, names) for i in record["region"]],
            "serves_for": [_link(i, names) for i in record["for"]],
            "emails": [e.removeprefix("mailto:") for e in record["email"]],
            "telephones": [t.removeprefix("tel:") for t in record["telephone"]],
            "urls": record["url"]}


@bp.get("/contacts")
def contacts():
    records = benchmarking.contact_points(_store())
    mentioned = {i for r in records for key in ("country", "region", "for") for i in r[key]}
    names = data.labels(_store(), mentioned | {r["contact_point"] for r in records}, _langs())
    codes = _country_codes()
    groups = _group_contacts(records)
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] == "", names.get(kv[0], kv[0])))
    choices = [(codes.get(c, ""), names.get(c) or data.words.readable(c), len(members))
               for c, members in ordered if c and codes.get(c)]
    wanted = request.args.get("country", "")
    if wanted and wanted not in {code for code, _n, _k in choices}:
        raise BadRequest(f"no contact point serves a country with the code {wanted!r}; "
                         "choose a country from the list", parameter="country")
    shown = [(c, m) for c, m in ordered if not wanted or codes.get(c) == wanted]
    view = [{"country": _link(c, names) if c else None, "code": codes.get(c, ""),
             "contacts": [_contact_view(r, names) for r in members]} for c, members in shown]
    fmt = downloads.requested()
    if fmt:
        return downloads.table_response(fmt, "contact-points", "Contact points",
                                        *_contact_table(view))
    flagged = _any_flagged({r["contact_point"] for r in records} | mentioned)
    return site.page("contacts.html", groups=view, total=len(records), choices=choices,
                      wanted=wanted, counts=_served_counts(records, codes),
                      synthetic=flagged)


def _contact_table(view: list[dict]) -> tuple[list[str], list[list]]:
    columns = ["country", "contact point", "contact point address", "e-mail", "telephone",
               "web site", "serves regions", "contact for"]
    rows = [[g["country"].label if g["country"] else "", c["label"], c["iri"],
             "; ".join(c["emails"]), "; ".join(c["telephones"]), "; ".join(c["urls"]),
             "; ".join(r.label for r in c["regions"]), "; ".join(x.label for x in c["serves_for"])]
            for g in view for c in g["contacts"]]
    return columns, rows


def _served_counts(records: list[dict], codes: dict[str, str]) -> dict[str, int]:
    """How many contact points serve each NUTS-2 region, directly, through a region that
    contains it or through its country: the map's colour."""
    nuts2 = [data.nuts_code(str(r["r"])) for r in _store().select(
        "SELECT ?r WHERE { ?r a ?region }", {"region": CCG.Region})]
    nuts2 = sorted(c for c in nuts2 if c and len(c) == 4)
    counts: dict[str, int] = {}
    for record in records:
        prefixes = {codes[c] for c in record["country"] if c in codes}
        prefixes |= {data.nuts_code(r) for r in record["region"] if data.nuts_code(r)}
        for code in nuts2:
            if any(code.startswith(p) or p.startswith(code) for p in prefixes):
                counts[code] = counts.get(code, 0) + 1
    return counts


# -- events ---------------------------------------------------------------------------
@bp.get("/events")
def events():
    rows = benchmarking.events(_store())
    names = data.labels(_store(), {r["event"] for r in rows} | {r["place"] for r in rows
                                                                 if r["place"]}, _langs())
    view = [{"event": _link(r["event"], names), "date": (r["date"] or "")[:10],
             "place": _link(r["place"], names) if r["place"] else None,
             "participants": r["participants"]} for r in rows]
    fmt = downloads.requested()
    if fmt:
        return downloads.table_response(
            fmt, "events", "Events",
            ["date", "event", "event address", "place", "place address",
             "participants recorded"],
            [[e["date"], e["event"].label, e["event"].iri, e["place"].label if e["place"] else "",
              e["place"].iri if e["place"] else "", e["participants"] or None] for e in view])
    flagged = _any_flagged({r["event"] for r in rows})
    return site.page("events.html", events=view, synthetic=flagged)


# -- region versus region -------------------------------------------------------------
def _region_arg(name: str) -> str | None:
    """A NUTS region from `name` (a code, or its IRI from the autocomplete), else from
    the typed text in `name_label` (forms without JavaScript); None when both are empty."""
    raw = request.args.get(name, "").strip()
    if not raw:
        text = request.args.get(name + "_label", "").strip()[:200]
        hits = site.hits(text, ("region",), 5) if text else []
        if text and not hits:
            raise NotFound(f"no region is called {text!r}", parameter=name)
        # A NUTS-2 region and its only NUTS-3 region share a name: take the larger one.
        same = [h["iri"] for h in hits if h["label"] == hits[0]["label"]] if hits else []
        return min(same, key=len) if same else None
    code = raw[len(str(NUTS)):] if raw.startswith(str(NUTS)) else raw
    if not _NUTS_CODE.match(code):
        raise BadRequest(f"the parameter {name!r} must be a NUTS code such as SK01, "
                         f"got {raw!r}", parameter=name)
    iri = str(NUTS[code])
    if not _store().ask("ASK { ?r a ?region }", {"r": URIRef(iri), "region": CCG.Region}):
        raise NotFound(f"no region has the NUTS code {code!r}", parameter=name, id=iri)
    return iri


def _side(side: dict, names: dict[str, str]) -> dict:
    levels = sorted(((names.get(level, data.curie(level)), n)
                     for level, n in side["labels"].items()), key=lambda kv: kv[0])
    return {"region": _link(side["region"], names), "code": data.nuts_code(side["region"]),
            "clusters": side["clusters"], "levels": levels,
            "labelled": sum(n for _label, n in levels)}


def _comparison(a: str, b: str) -> dict:
    result = benchmarking.compare_regions(_store(), a, b)
    indicators = [i["indicator"] for i in result["indicators"]]
    levels = set(result["a"]["labels"]) | set(result["b"]["labels"])
    names = data.labels(_store(), {a, b} | set(indicators) | levels, _langs())
    sides = {key: _side(result[key], names) for key in ("a", "b")}
    charts = [_chart(info, names, [(sides[k]["region"].label, result[k]["indicators"]
                                    .get(info["indicator"], {"n": 0})) for k in ("a", "b")])
              for info in result["indicators"]]
    return {"a": sides["a"], "b": sides["b"], "charts": charts}


@bp.get("/compare")
def compare():
    a, b = _region_arg("a"), _region_arg("b")
    result = _comparison(a, b) if a and b else None
    fmt = downloads.requested()
    if fmt and result:
        title = f"{result['a']['region'].label} and {result['b']['region'].label}"
        return downloads.table_response(fmt, "compare-regions", title, *_compare_table(result))
    names = data.labels(_store(), [i for i in (a, b) if i], _langs())
    return site.page("compare.html", result=result,
                      a=a or "", a_label=names.get(a or "", ""),
                      b=b or "", b_label=names.get(b or "", ""),
                      incomplete=bool(request.args) and not result)


def _compare_table(result: dict) -> tuple[list[str], list[list]]:
    """One row per region and measure: clusters, labelled clusters, each label level and
    each indicator's spread."""
    columns = ["region", "NUTS code", "region address", "measure", "value", "lowest",
               "median", "highest", "clusters measured"]
    rows = []
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


# -- the quality section of a cluster page --------------------------------------------
_LABELS = """
SELECT ?award ?level ?body ?awarded ?valid WHERE {
  ?cluster ?holds ?award .
  OPTIONAL { ?award ?levelOf ?level } OPTIONAL { ?award ?bodyOf ?body }
  OPTIONAL { ?award ?awardedOn ?awarded } OPTIONAL { ?award ?validUntil ?valid }
} ORDER BY DESC(?awarded)"""


def _quality_labels(cluster: str, langs) -> list[dict]:
    rows = _store().select(_LABELS, {
        "cluster": URIRef(cluster), "holds": CCG.holdsLabel, "levelOf": CCG.labelLevel,
        "bodyOf": CCG.awardedBy, "awardedOn": CCG.awardedOn, "validUntil": CCG.validUntil})
    iris = {str(r[k]) for r in rows for k in ("award", "level", "body") if k in r}
    names = data.labels(_store(), iris, langs)
    return [{"award": _link(str(r["award"]), names),
             "level": _link(str(r["level"]), names) if "level" in r else None,
             "body": _link(str(r["body"]), names) if "body" in r else None,
             "awarded": str(r.get("awarded", "")), "valid": str(r.get("valid", ""))}
            for r in rows]


def _summary(summary: dict) -> dict:
    """A peer group's summary without its raw values (the chart needs only these).

    `statistics.quantiles` (exclusive method) puts the quartiles of small groups outside
    their range (6 and 13 give 4.25 and 14.75); a chart clamps them to it."""
    shown = {k: v for k, v in summary.items() if k != "values"}
    if shown.get("n"):
        shown["q1"] = max(shown["q1"], shown["min"])
        shown["q3"] = min(shown["q3"], shown["max"])
    return shown


def _chart(info: dict, names: dict[str, str], groups: list[tuple[str, dict]],
           value: float | None = None) -> dict:
    iri = info["indicator"]
    return {"id": "chart-" + re.sub(r"[^A-Za-z0-9]+", "-", iri.rsplit("/", 1)[-1]),
            "indicator": iri, "label": names.get(iri) or info.get("label") or data.curie(iri),
            "href": data.href(iri, site.base()), "unit": info.get("unit"),
            "min": info.get("min"), "max": info.get("max"), "value": value,
            "year": info.get("year"),
            "groups": [{"label": label, "summary": _summary(s)} for label, s in groups]}


def cluster_quality(cluster: str) -> dict:
    """Labels and indicator charts for the cluster page (a Jinja global)."""
    langs = _langs()
    try:
        profile = benchmarking.indicator_profile(_store(), cluster)
    except NotFound:
        profile = {"indicators": []}
    names = data.labels(_store(), [i["indicator"] for i in profile["indicators"]], langs)
    charts = [_chart(info, names, [(label, info["peers"][key]) for key, label in PEER_GROUPS],
                     value=info["value"]) for info in profile["indicators"]]
    return {"labels": _quality_labels(cluster, langs), "charts": charts}


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals.update(cluster_quality=cluster_quality, quality_nav=NAV)
