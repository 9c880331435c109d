"""Server-rendered pages for policy makers: search, resource pages, the instrument
finder, funding gaps, the SPARQL editor, the map and the ontology (the named queries
are in queries.py, on the same blueprint).

Registered by `create_app` through `init_app`; `/id/...` (web/ld.py) hands browser
requests to `resource_page`. JavaScript only adds what needs it (autocomplete,
map, path graph, SPARQL editor); every form also works without it.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from flask import Blueprint, Response, abort, jsonify, request, send_file

from ...errors import BadRequest
from ...namespaces import GRAPH, NUTS, PREFIXES
from ...read import kinds, resource
from ...read.finder import finder_graph
from ...read.labels import Link, labels
from ...read.ontology import ontology_document
from ...read.words import readable
from .. import downloads, params
from .common import analytics, hits, href, langs, page, services, store

__all__ = ["bp", "editor_for_browsers", "resolve_end", "resource_page"]

bp = Blueprint("pages", __name__)  # templates and static files are the app's own
log = logging.getLogger("ccgraph.web.pages")

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")
_NUTS_CODE = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")


# -- home and search ------------------------------------------------------------------
@bp.get("/")
def home():
    counts = kinds.home_counts(store())
    return page("home.html", counts=counts, queries=services().queries.all()[:6])


PAGE_SIZE = 20
SCOPE_WORDS = {"CrossBorder": "cross-border", "Transnational": "transnational",
               "Interregional": "interregional"}


def _kinds_arg() -> tuple[str, ...]:
    return tuple(k for k in request.args.get("kind", "").split(",") if k)


@bp.get("/search")
def search():
    text = request.args.get("q", "").strip()[:200]
    number = params.integer("page", 1, 1, 1000)
    found = hits(text, _kinds_arg(), 2000) if text else []
    fmt = downloads.requested()
    if fmt:  # every match, not only the page shown
        return downloads.table_response(
            fmt, "search-results", f"Search results for {text}" if text else "Search results",
            ["name", "address", "kind", "code", "language"],
            [[h["label"], h["iri"], h["kind_words"], h["code"], h["language"]] for h in found])
    pages = max(1, -(-len(found) // PAGE_SIZE))
    if number > pages:
        raise BadRequest(f"there are only {pages} pages of results for {text!r}",
                         parameter="page", maximum=pages)
    shown = found[(number - 1) * PAGE_SIZE:number * PAGE_SIZE]
    return page("search.html", q=text, results=shown, total=len(found), page=number,
                pages=pages, first=(number - 1) * PAGE_SIZE + 1, reader=langs()[0])


@bp.get("/search.json")
def search_json():
    text = request.args.get("q", "").strip()[:200]
    limit = params.integer("limit", 10, 1, 50)
    found = hits(text, _kinds_arg(), limit) if text else []
    return jsonify(query=text, results=[{**h, "href": href(h["iri"])} for h in found])


# -- resources ------------------------------------------------------------------------
@bp.get("/resource")
def resource_page(iri: str | None = None):
    """The page of any IRI: /id/... (via web/ld.py), /region/<code>, /resource?iri=..."""
    iri = iri or request.args.get("iri", "")
    if not _IRI.match(iri):
        return page("not_found.html", 404, iri=iri, synthetic=False)
    described = resource.describe(store(), iri, langs())
    if described is None:
        return page("not_found.html", 404, iri=iri, synthetic=False)
    extra = kinds.extra(described, store(), langs(), analytics)
    fmt = downloads.requested() if described.kind == "region" else None
    if fmt:
        return _region_download(fmt, described.label, extra)
    shows_synthetic = described.synthetic or kinds.mentions_synthetic(store(), described, extra)
    return page("resource.html", resource=described, extra=extra, synthetic=shows_synthetic)


def _region_download(fmt: str, label: str, extra: dict[str, Any]) -> Response:
    """One of the region page's lists (`?table=clusters` or `instruments`) as a file."""
    singular = {"clusters": "cluster", "instruments": "instrument"}
    table = downloads.chosen_table(singular)
    title = {"clusters": f"Clusters in {label}",
             "instruments": f"Instruments open to {label}"}[table]
    return downloads.table_response(
        fmt, f"{table}-{extra['code'] or 'region'}", title,
        [singular[table], f"{singular[table]} address"],
        [[link.label, link.iri] for link in extra[table]])


@bp.get("/region/<code>")
def region(code: str):
    if not _NUTS_CODE.match(code):
        return page("not_found.html", 404, iri=code, synthetic=False)
    return resource_page(iri=str(NUTS[code]))


# -- instrument finder and funding gaps -----------------------------------------------
def resolve_end(name: str,
                kinds_wanted: tuple[str, ...] = ("cluster", "region")) -> tuple[str, str]:
    """(IRI, label) from the hidden IRI field, or the best match for the typed text."""
    iri = request.args.get(name, "").strip()
    text = request.args.get(name + "_label", "").strip()
    if iri and _IRI.match(iri):
        names = labels(store(), [iri], langs())
        return iri, names.get(iri, text or iri)
    if text.startswith(("http://", "https://")) and _IRI.match(text):
        return text, text  # an address typed or pasted: the guide promises it works
    if text:
        best = hits(text, kinds_wanted, 1)
        if best:
            return best[0]["iri"], best[0]["label"]
    return "", text


@bp.get("/finder")
def finder():
    (a, a_label), (b, b_label) = resolve_end("a"), resolve_end("b")
    context = {"a": a, "a_label": a_label, "b": b, "b_label": b_label,
               "instruments": None, "explanation": None, "on": None, "paths": None,
               "error": None, "path_error": None}
    if a and b and a == b:
        context["error"] = (f"You chose {a_label} twice. Choose two different clusters or "
                            "two different regions: the finder looks for what links them.")
    elif a and b:
        answer, context["error"] = analytics("find_instruments", a, b)
        if answer is not None:
            context.update(instruments=answer["instruments"], on=answer["on"],
                           explanation=answer["explanation"])
            context["paths"], context["path_error"] = analytics("paths", a, b, k=3, max_len=6)
    elif request.args:
        context["error"] = "Choose two clusters or two regions from the suggestions."
    context["graph"] = finder_graph(context["instruments"], context["paths"])
    context["source"] = _source_links(context["instruments"] or [])
    fmt = downloads.requested()
    if fmt and context["instruments"] is not None:
        return downloads.table_response(
            fmt, "instruments", f"Instruments for {a_label} and {b_label}",
            ["programme or instrument", "address", "status", "period", "start", "end",
             "budget (EUR)", "scope", "why it matches", "sources", "source addresses"],
            [_finder_row(item, context["source"]) for item in context["instruments"]])
    return page("finder.html", **context)


def _finder_row(item: dict[str, Any], source: dict[str, Link]) -> list[Any]:
    period = item.get("period") or {}
    status = {"open": "current", "closed": "closed (history)"}.get(item["status"],
                                                                  item["status"])
    return [item["instrument"]["label"], item["instrument"]["id"], status,
            period.get("label") or "", period.get("start") or "", period.get("end") or "",
            " or ".join(f"{v:.0f}" for v in item.get("budget_eur") or []),
            SCOPE_WORDS.get(item.get("scope") or "", item.get("scope") or ""),
            " ".join(r["text"] for r in item["reasons"]),
            "; ".join(source[s].label for s in item.get("sources", [])),
            " ".join(item.get("sources", []))]


def _source_links(instruments: list[dict[str, Any]]) -> dict[str, Link]:
    """The pages a finder answer cites, by name and linked to their page on this server
    (their web addresses are on that page, not in the reading text)."""
    cited = {s for item in instruments for s in item.get("sources", [])}
    cited |= {s for item in instruments for r in item.get("reasons", [])
              for s in r.get("sources", [])}
    names = labels(store(), cited, langs())
    return {iri: Link(iri, names.get(iri) or readable(iri)) for iri in cited}


@bp.get("/gaps")
def gaps():
    threshold = params.decimal("threshold", 0.5, 0.0, 1.0)  # a bad value is reported
    limit = params.integer("limit", 20, 1, 100)
    report, error = analytics("gaps", threshold=threshold, limit=limit)
    fmt = downloads.requested()
    if fmt and report is not None:
        return downloads.table_response(
            fmt, "funding-gaps", "Funding gaps",
            ["first region", "first region address", "second region", "second region address",
             "complementary pairs without a common instrument", "best score"],
            [[*_pair(g["regions"]), g["pairs"], g["best_score"]] for g in report["groups"]])
    return page("gaps.html", report=report, error=error, threshold=threshold, limit=limit)


def _pair(regions: list[dict[str, Any]]) -> list[Any]:
    ends = [*regions, {}, {}][:2]
    return [v for r in ends for v in (r.get("label") or "", r.get("id") or "")]


# -- map ------------------------------------------------------------------------------
@bp.get("/map")
def map_page():
    counts = kinds.cluster_counts_by_nuts2(store())
    names = labels(store(), [NUTS[c] for c in counts], langs())
    rows = sorted(((code, names.get(str(NUTS[code]), code), n) for code, n in counts.items()),
                  key=lambda r: (-r[2], r[0]))
    fmt = downloads.requested()
    if fmt:
        return downloads.table_response(
            fmt, "clusters-per-region", "Clusters per region",
            ["region", "NUTS code", "region address", "clusters"],
            [[name, code, str(NUTS[code]), n] for code, name, n in rows])
    return page("map.html", counts=counts, rows=rows)


@bp.get("/geo/nuts2.geojson")
def nuts2_geojson():
    path = services().settings.data_dir / "geo" / "nuts2-central-europe.geojson"
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="application/geo+json", max_age=3600)


# -- SPARQL editor and ontology -------------------------------------------------------
EXAMPLE_QUERY = """PREFIX ccg: <https://w3id.org/ccgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

SELECT ?cluster ?label ?region WHERE {
  ?cluster a ccg:Cluster ; rdfs:label ?label ; ccg:locatedIn ?region .
}
ORDER BY ?label
LIMIT 20
"""


@bp.get("/sparql-editor")
def sparql_editor():
    return page("sparql.html", query=EXAMPLE_QUERY, prefixes=json.dumps(PREFIXES),
                 nuts_base=str(NUTS))


def editor_for_browsers() -> Response | None:
    """GET /sparql without a query, asked for by a browser, shows the editor.

    SPARQL clients (Accept: RDF or */*, or no Accept) still get the service
    description from web/sparql.py.
    """
    if request.path != "/sparql" or request.method != "GET":
        return None
    if "query" in request.args or "update" in request.args:
        return None
    accept = request.accept_mimetypes
    if "text/html" not in [value for value, _q in accept]:
        return None
    if accept["text/html"] > max(accept["text/turtle"], accept["application/rdf+xml"],
                                 accept["application/ld+json"]):
        return sparql_editor()
    return None


@bp.get("/ontology")
def ontology():
    path = services().settings.ontology_path
    accept = request.accept_mimetypes
    if accept.best_match(["text/html", "text/turtle"]) == "text/turtle" and \
            accept["text/turtle"] > accept["text/html"]:
        response = send_file(path, mimetype="text/turtle")
        response.headers["Vary"] = "Accept"
        return response
    document = ontology_document(store(), str(GRAPH["ontology"]), langs())
    return page("ontology.html", doc=document, synthetic=False)


@bp.get("/ontology.ttl")
def ontology_turtle():
    return send_file(services().settings.ontology_path, mimetype="text/turtle")
