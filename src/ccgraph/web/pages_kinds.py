"""The parts of a page that depend on what a resource is (cluster, region, instrument,
project), the home page counts, the finder graph and the named-query forms."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from urllib.parse import urlencode

from flask import url_for
from rdflib import URIRef

from ..namespaces import CCG, DCTERMS, SKOS
from ..store.results import parse_json_results
from . import pages_data as data

__all__ = ["STATUS_ORDER", "download_links", "extra", "finder_graph", "home_counts",
           "in_words", "iris_in", "mentions_synthetic", "query_form", "run_query", "status"]

_COUNT = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?type }"


def home_counts(store) -> list[tuple[str, int]]:
    out = []
    for name, cls in (("clusters", CCG.Cluster), ("regions", CCG.Region),
                      ("funding instruments", CCG.FundingInstrument), ("projects", CCG.Project),
                      ("organisations", CCG.Organisation)):
        rows = store.select(_COUNT, {"type": cls})
        out.append((name, int(rows[0]["n"]) if rows else 0))
    return out


def extra(resource, store, langs, base, analytics) -> dict:
    """Kind-specific sections; every list holds `pages_data.Link`s."""
    handler = {"cluster": _cluster, "region": _region, "instrument": _instrument,
               "project": _project}.get(resource.kind)
    return handler(resource, store, langs, base, analytics) if handler else {}


_FLAGGED = "SELECT DISTINCT ?s WHERE { ?s ?flag true }"


def mentions_synthetic(store, resource, extra: dict) -> bool:
    """Whether anything the page links to is flagged `ccg:synthetic true`."""
    iris = set(resource.links) | set(iris_in(extra))
    nodes = [URIRef(i) for i in sorted(iris)]
    for start in range(0, len(nodes), 500):
        if store.select(_FLAGGED, {"flag": CCG.synthetic}, values={"s": nodes[start:start + 500]}):
            return True
    return False


def iris_in(value):
    if isinstance(value, data.Link):
        yield value.iri
    elif isinstance(value, dict):
        if isinstance(value.get("id"), str):
            yield value["id"]
        for item in value.values():
            yield from iris_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from iris_in(item)


def _codes(links) -> str:
    return " ".join(c for c in (data.nuts_code(link.iri) for link in links) if c)


def _links(store, iris, langs, base, kind: str = "") -> list:
    iris = sorted({str(i) for i in iris})
    names = data.labels(store, iris, langs)
    found = [data.Link(i, names.get(i) or data.curie(i), data.href(i, base), kind) for i in iris]
    return sorted(found, key=lambda link: link.label.lower())


def _cluster(resource, store, langs, base, analytics) -> dict:
    regions = resource.linked(CCG.locatedIn)
    partners, partners_error = analytics("partners", resource.iri, n=5)
    instruments: dict[str, dict] = {}
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


def _by_status(store, instruments: dict[str, dict]) -> list[dict]:
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


def _members(resource) -> str | None:
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


def _region(resource, store, langs, base, analytics) -> dict:
    node = URIRef(resource.iri)
    clusters = store.select(_REGION_CLUSTERS, {"r": node})
    instruments = store.select(_REGION_INSTRUMENTS, {"r": node})
    code = data.nuts_code(resource.iri) or ""
    return {
        "code": code, "map_codes": code,
        "broader": resource.linked(SKOS.broader),
        "narrower": resource.referring(SKOS.broader),
        "adjacent": resource.linked(CCG.adjacentTo),
        "clusters": _links(store, [r["c"] for r in clusters], langs, base, "cluster"),
        "instruments": _links(store, [r["i"] for r in instruments], langs, base, "instrument"),
    }


def _instrument(resource, store, langs, base, analytics) -> dict:
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


def _project(resource, store, langs, base, analytics) -> dict:
    return {
        "lead": resource.linked(CCG.leadPartner),
        "partners": resource.linked(CCG.partner),
        "associated": resource.linked(CCG.associatedPartner),
        "funded_by": resource.linked(CCG.fundedBy),
        "programmes": resource.linked(CCG.partOfProgramme),
        "budget": resource.first(CCG.budgetEUR),
        "start": resource.first(CCG.startDate), "end": resource.first(CCG.endDate),
        "objectives": sorted(str(o) for o in data.in_language(resource.all(CCG.objective),
                                                              langs)),
        "description": next(iter(data.in_language(resource.all(DCTERMS.description), langs)),
                            None),
    }


# Edge names in the finder graph, read from the first node to the second as stated.
EDGE_WORDS = {
    "located_in": "is located in", "active_in": "is active in", "adjacent_to": "borders",
    "broader": "is part of", "related_industry": "draws on", "value_chain": "supplies",
    "eligible_region": "is eligible in", "eligible_industry": "is open to",
    "funded_by": "is funded by", "part_of": "belongs to", "partner": "is a partner in",
    "implements": "implements", "participated": "took part in", "member": "is a member of",
}


def finder_graph(instruments, paths) -> dict:
    """Nodes and edges to draw, each edge named in words: an instrument's eligibility
    path (region "is part of" region, instrument "is eligible in" region), then the
    explained paths with their relations."""
    nodes: dict[str, dict] = {}
    edges: dict[frozenset, dict] = {}

    def edge(source: str, target: str, words: str) -> None:
        edges.setdefault(frozenset((source, target)),
                         {"source": source, "target": target, "label": words})

    for item in (instruments or [])[:5]:
        chain = item["path"]
        nodes.update((n["id"], n) for n in chain)
        for left, right in itertools.pairwise(chain):
            if right["kind"] == "instrument":
                edge(right["id"], left["id"], "is eligible in")
            elif left["kind"] == "instrument":
                edge(left["id"], right["id"], "is eligible in")
            elif right["kind"] == "region" and left["kind"] == "region":
                # the chain climbs to the instrument's area and descends after it
                up = chain.index(right) <= _instrument_at(chain)
                edge(*((left["id"], right["id"]) if up else (right["id"], left["id"])),
                     "is part of")
            else:
                edge(left["id"], right["id"], "is located in")
    for path in (paths or [])[:3]:
        nodes.update((n["id"], n) for n in path["nodes"])
        for step in path["steps"]:
            # the step's sentence starts with the node the relation is read from
            first, second = step["from"], step["to"]
            if not step["sentence"].startswith(nodes[first]["label"]):
                first, second = second, first
            edge(first, second, EDGE_WORDS.get(step["rel"], "is linked to"))
    order = [n for n in nodes]
    return {"nodes": [nodes[n] for n in order], "edges": list(edges.values()),
            "start": order[0] if order else None}


def _instrument_at(chain) -> int:
    return next((i for i, n in enumerate(chain) if n["kind"] == "instrument"), len(chain))


# -- named queries --------------------------------------------------------------------
# The header's description names an example: "e.g. <value>", else the first IRI in it.
_EXAMPLE = re.compile(r"e\.g\.\s+(\S+?)[),;]?(?:\s|$)")
_FIRST_IRI = re.compile(r"(https?://\S+?)[),;]?(?:\s|$)")


_TERM = re.compile(r"(?:ccg:|https://w3id\.org/ccgraph/ontology#|\.\.\.#)([A-Z][A-Za-z]+)")
_ANY_IRI = re.compile(r"\(?(?:https?://\S+?|ccg:[A-Za-z]+|\.\.\.#[A-Za-z]+)[),;]?(?=\s|$)\)?")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def words_of(name: str) -> str:
    """A parameter or column name in words: "regionA" -> "region A", "instrumentLabel"
    -> "instrument name"."""
    text = _CAMEL.sub(" ", name).replace("_", " ").replace("Label", "name").lower()
    text = re.sub(r"\b(\w+) label\b", r"\1 name", text)
    return re.sub(r"\b([a-z])$", lambda m: m.group(1).upper(), text)


def query_form(named, args, store=None, langs=("en",), resolve=None) -> list[dict]:
    """The form's fields in words: a label from the description, a hint with names where
    the description gives addresses, a choice where it lists ontology terms (scopes,
    levels, statuses), and the autocomplete for any other resource."""
    fields = []
    for param in named.parameters:
        example = _EXAMPLE.search(param.description) or (
            None if param.optional else _FIRST_IRI.search(param.description))
        choices = [str(CCG[t]) for t in dict.fromkeys(_TERM.findall(param.description))]
        choices = choices if len(choices) > 1 else []  # one example is no list to choose from
        value = args.get(param.name, "")
        if param.type == "iri" and not value and resolve is not None:
            value = resolve(param.name) or ""
        fields.append({"name": param.name, "type": param.type, "optional": param.optional,
                       "description": param.description, "label": _field_label(param),
                       "example": example.group(1) if example else "",
                       "choices": choices, "value": value})
    names = data.labels(store, [c for f in fields for c in f["choices"]]
                        + [f["value"] for f in fields if f["type"] == "iri" and f["value"]]
                        + [f["example"] for f in fields if f["example"].startswith("http")],
                        langs) if store is not None else {}
    for f in fields:
        f["choices"] = [(c, names.get(c) or data.words.readable(c)) for c in f["choices"]]
        f["value_label"] = names.get(f["value"], "") if f["type"] == "iri" else ""
        f["hint"] = _hint(f, names)
    return fields


_CCG_TERM = re.compile(r"\bccg:([A-Za-z]+)")


def in_words(text: str, store, langs) -> str:
    """A description with ontology terms (ccg:leadPartner) written as their labels."""
    terms = [str(CCG[t]) for t in _CCG_TERM.findall(text)]
    names = data.labels(store, terms, langs) if terms else {}
    return _CCG_TERM.sub(lambda m: names.get(str(CCG[m.group(1)]))
                         or data.words.readable(str(CCG[m.group(1)])), text)


def _field_label(param) -> str:
    text = param.description.replace("optional,", "").strip()
    text = re.split(r"\s*(?:\(?e\.g\.|\bdefault\b|[;:(])", text)[0]
    text = _ANY_IRI.sub("", text).strip(" ,.")
    text = re.sub(r"^(a|an|any|one)\s+", "", text, flags=re.I)
    if not text:
        text = words_of(param.name)
    return text[:1].upper() + text[1:]


def _hint(field: dict, names: dict[str, str]) -> str:
    parts = ["Optional." if field["optional"] else "Required."]
    if field["choices"]:
        parts.append("Choose one." if not field["optional"] else "Leave it open for any.")
    elif field["type"] == "iri":
        example = names.get(field["example"]) if field["example"] else None
        parts.append("Type a name and pick it from the suggestions"
                     + (f", e.g. {example}." if example else "."))
    elif field["type"] == "date":
        parts.append("A day, e.g. 2024-01-31.")
    return " ".join(parts)


def download_links(named, values: dict[str, str]) -> list[tuple[str, str]]:
    """Links to the whole answer, with the values the form resolved (a typed name or
    address becomes the resource it names)."""
    params = {p.name: values.get(p.name) for p in named.parameters if values.get(p.name)}
    base = url_for("api.named_query_results", name=named.name)
    return [(label, f"{base}?{urlencode({**params, 'format': fmt})}")
            for fmt, label in (("csv", "CSV"), ("xlsx", "Excel (XLSX)"), ("json", "JSON"))]


PAGE_ROWS = 500


def run_query(store, named, raw: dict, langs, base) -> dict:
    bindings = named.bindings({k: v for k, v in raw.items() if v})
    output = store.execute(store.request(named.text, bindings, solutions_format="json"))
    if output.kind != "solutions":
        return {"columns": ["result"], "rows": [[{"text": output.body.decode()[:2000]}]],
                "truncated": False, "count": 1}
    columns, rows = parse_json_results(output.body)
    iris = {str(v) for row in rows[:PAGE_ROWS] for v in row.values() if isinstance(v, URIRef)}
    names = data.labels(store, iris, langs)
    shown = [c for c in columns if not (c.endswith("Label") and c[:-5] in columns)]
    table = [[_cell(row.get(c), names, base, row.get(c + "Label")) for c in shown]
             for row in rows[:PAGE_ROWS]]
    return {"columns": [_capital(words_of(c)) for c in shown], "rows": table,
            "count": len(rows), "truncated": output.truncated or len(rows) > PAGE_ROWS}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _cell(term, names, base, label=None) -> dict:
    if term is None:
        return {"text": ""}
    if isinstance(term, URIRef):
        iri = str(term)
        return {"text": str(label) if label else names.get(iri) or data.words.readable(iri),
                "href": data.href(iri, base), "title": iri}
    return {"text": str(term)}
