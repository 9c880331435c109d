"""Server-rendered pages for policy makers: search, resource pages, the instrument
finder, funding gaps, named queries, the SPARQL editor, the map and the ontology.

Registered by `create_app` through `init_app`; `/id/...` (web/ld.py) hands browser
requests to `resource_page`. JavaScript only adds what needs it (autocomplete,
map, path graph, SPARQL editor); every form also works without it.
"""

from __future__ import annotations

import json
import logging
import re

from flask import (
    Blueprint,
    abort,
    jsonify,
    request,
    send_file,
    url_for,
)

from ..errors import BadRequest, CCGraphError
from ..namespaces import CCG, GRAPH, NUTS, PREFIXES, SKOS
from . import downloads, pages_dossier, pages_errors, pages_quality, params
from . import pages_data as data
from . import pages_kinds as kinds
from .pages_common import analytics as _analytics
from .pages_common import base as _base
from .pages_common import hits as _hits
from .pages_common import page as _page
from .pages_common import services as _services
from .pages_common import store as _store
from .pages_ontology import ontology_document

__all__ = ["bp", "init_app", "resource_page"]

bp = Blueprint("pages", __name__)  # templates and static files are the app's own
log = logging.getLogger("ccgraph.web.pages")

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")
_NUTS_CODE = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")


# -- home and search ------------------------------------------------------------------
@bp.get("/")
def home():
    counts = kinds.home_counts(_store())
    return _page("home.html", counts=counts, queries=_services().queries.all()[:6])


PAGE_SIZE = 20
SCOPE_WORDS = {"CrossBorder": "cross-border", "Transnational": "transnational",
               "Interregional": "interregional"}


def _kinds_arg() -> tuple[str, ...]:
    return tuple(k for k in request.args.get("kind", "").split(",") if k)


@bp.get("/search")
def search():
    text = request.args.get("q", "").strip()[:200]
    page = params.integer("page", 1, 1, 1000)
    found = _hits(text, _kinds_arg(), 2000) if text else []
    fmt = downloads.requested()
    if fmt:  # every match, not only the page shown
        return downloads.table_response(
            fmt, "search-results", f"Search results for {text}" if text else "Search results",
            ["name", "address", "kind", "code", "language"],
            [[h["label"], h["iri"], h["kind_words"], h["code"], h["language"]] for h in found])
    pages = max(1, -(-len(found) // PAGE_SIZE))
    if page > pages:
        raise BadRequest(f"there are only {pages} pages of results for {text!r}",
                         parameter="page", maximum=pages)
    shown = found[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    return _page("search.html", q=text, results=shown, total=len(found), page=page,
                 pages=pages, first=(page - 1) * PAGE_SIZE + 1,
                 reader=data.preferred_languages()[0])


@bp.get("/search.json")
def search_json():
    text = request.args.get("q", "").strip()[:200]
    limit = params.integer("limit", 10, 1, 50)
    return jsonify(query=text, results=_hits(text, _kinds_arg(), limit) if text else [])


# -- resources ------------------------------------------------------------------------
@bp.get("/resource")
def resource_page(iri: str | None = None):
    """The page of any IRI: /id/... (via web/ld.py), /region/<code>, /resource?iri=..."""
    iri = iri or request.args.get("iri", "")
    if not _IRI.match(iri):
        return _page("not_found.html", 404, iri=iri, synthetic=False)
    langs = data.preferred_languages()
    resource = data.describe(_store(), iri, langs, _base())
    if resource is None:
        return _page("not_found.html", 404, iri=iri, synthetic=False)
    extra = kinds.extra(resource, _store(), langs, _base(), _analytics)
    fmt = downloads.requested() if resource.kind == "region" else None
    if fmt:
        return _region_download(fmt, resource.label, extra)
    shows_synthetic = resource.synthetic or kinds.mentions_synthetic(_store(), resource, extra)
    return _page("resource.html", resource=resource, extra=extra, synthetic=shows_synthetic)


def _region_download(fmt: str, label: str, extra: dict):
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
        return _page("not_found.html", 404, iri=code, synthetic=False)
    return resource_page(iri=str(NUTS[code]))


# -- instrument finder and funding gaps -----------------------------------------------
def _resolve_end(name: str, kinds_wanted=("cluster", "region")) -> tuple[str, str]:
    """(IRI, label) from the hidden IRI field, or the best match for the typed text."""
    iri = request.args.get(name, "").strip()
    text = request.args.get(name + "_label", "").strip()
    if iri and _IRI.match(iri):
        names = data.labels(_store(), [iri], data.preferred_languages())
        return iri, names.get(iri, text or iri)
    if text.startswith(("http://", "https://")) and _IRI.match(text):
        return text, text  # an address typed or pasted: the guide promises it works
    if text:
        hits = _hits(text, kinds_wanted, 1)
        if hits:
            return hits[0]["iri"], hits[0]["label"]
    return "", text


@bp.get("/finder")
def finder():
    (a, a_label), (b, b_label) = _resolve_end("a"), _resolve_end("b")
    context = {"a": a, "a_label": a_label, "b": b, "b_label": b_label,
               "instruments": None, "explanation": None, "on": None, "paths": None,
               "error": None, "path_error": None}
    if a and b and a == b:
        context["error"] = (f"You chose {a_label} twice. Choose two different clusters or "
                            "two different regions: the finder looks for what links them.")
    elif a and b:
        answer, context["error"] = _analytics("find_instruments", a, b)
        if answer is not None:
            context.update(instruments=answer["instruments"], on=answer["on"],
                           explanation=answer["explanation"])
            context["paths"], context["path_error"] = _analytics("paths", a, b, k=3,
                                                                 max_len=6)
    elif request.args:
        context["error"] = "Choose two clusters or two regions from the suggestions."
    context["graph"] = kinds.finder_graph(context["instruments"], context["paths"])
    context["source"] = _source_links(context["instruments"] or [])
    fmt = downloads.requested()
    if fmt and context["instruments"] is not None:
        return downloads.table_response(
            fmt, "instruments", f"Instruments for {a_label} and {b_label}",
            ["programme or instrument", "address", "status", "period", "start", "end",
             "budget (EUR)", "scope", "why it matches", "sources", "source addresses"],
            [_finder_row(item, context["source"]) for item in context["instruments"]])
    return _page("finder.html", **context)


def _finder_row(item: dict, source: dict) -> list:
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


def _source_links(instruments) -> dict:
    """The pages a finder answer cites, by name and linked to their page on this server
    (their web addresses are on that page, not in the reading text)."""
    cited = {s for item in instruments for s in item.get("sources", [])}
    cited |= {s for item in instruments for r in item.get("reasons", [])
              for s in r.get("sources", [])}
    names = data.labels(_store(), cited, data.preferred_languages())
    return {iri: data.Link(iri, names.get(iri) or data.words.readable(iri),
                           data.href(iri, _base())) for iri in cited}


@bp.get("/gaps")
def gaps():
    threshold = params.decimal("threshold", 0.5, 0.0, 1.0)  # a bad value is reported
    limit = params.integer("limit", 20, 1, 100)
    report, error = _analytics("gaps", threshold=threshold, limit=limit)
    fmt = downloads.requested()
    if fmt and report is not None:
        return downloads.table_response(
            fmt, "funding-gaps", "Funding gaps",
            ["first region", "first region address", "second region", "second region address",
             "complementary pairs without a common instrument", "best score"],
            [[*_pair(g["regions"]), g["pairs"], g["best_score"]] for g in report["groups"]])
    return _page("gaps.html", report=report, error=error, threshold=threshold, limit=limit)


def _pair(regions: list[dict]) -> list:
    ends = [*regions, {}, {}][:2]
    return [v for r in ends for v in (r.get("label") or "", r.get("id") or "")]


# -- map ------------------------------------------------------------------------------
@bp.get("/map")
def map_page():
    counts = data.cluster_counts_by_nuts2(_store())
    names = data.labels(_store(), [NUTS[c] for c in counts], data.preferred_languages())
    rows = sorted(((code, names.get(str(NUTS[code]), code), n) for code, n in counts.items()),
                  key=lambda r: (-r[2], r[0]))
    fmt = downloads.requested()
    if fmt:
        return downloads.table_response(
            fmt, "clusters-per-region", "Clusters per region",
            ["region", "NUTS code", "region address", "clusters"],
            [[name, code, str(NUTS[code]), n] for code, name, n in rows])
    return _page("map.html", counts=counts, rows=rows)


@bp.get("/geo/nuts2.geojson")
def nuts2_geojson():
    path = _services().settings.data_dir / "geo" / "nuts2-central-europe.geojson"
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="application/geo+json", max_age=3600)


# -- named queries --------------------------------------------------------------------
@bp.get("/queries")
def queries():
    langs = data.preferred_languages()
    described = [(q, kinds.in_words(q.description, _store(), langs))
                 for q in _services().queries.all()]
    return _page("queries.html", queries=described)


@bp.get("/queries/<name>")
def named_query(name: str):
    named = _services().queries.get(name)
    params = kinds.query_form(named, request.args, _store(), data.preferred_languages(),
                              resolve=lambda field: _resolve_end(field, ())[0])
    table = error = None
    if request.args.get("run"):
        raw = {p["name"]: p["value"] for p in params}
        try:
            table = kinds.run_query(_store(), named, raw, data.preferred_languages(), _base())
        except CCGraphError as exc:
            error = exc.message
    downloads = kinds.download_links(named, {p["name"]: p["value"] for p in params})
    examples = {p["name"]: p["example"] for p in params if p["example"]}
    examples |= {p["name"] + "_label": data.labels(_store(), [p["example"]],
                                                   data.preferred_languages()).get(p["example"])
                 for p in params if p["type"] == "iri" and p["example"]}
    examples = {k: v for k, v in examples.items() if v}
    example_url = url_for("pages.named_query", name=name, run=1, **examples) \
        if examples else None
    lead = kinds.in_words(named.description, _store(), data.preferred_languages())
    return _page("query.html", query=named, params=params, table=table, error=error, lead=lead,
                 downloads=downloads, example_url=example_url)


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
    return _page("sparql.html", query=EXAMPLE_QUERY, prefixes=json.dumps(PREFIXES),
                 nuts_base=str(NUTS))


def _editor_for_browsers():
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
    path = _services().settings.ontology_path
    accept = request.accept_mimetypes
    if accept.best_match(["text/html", "text/turtle"]) == "text/turtle" and \
            accept["text/turtle"] > accept["text/html"]:
        response = send_file(path, mimetype="text/turtle")
        response.headers["Vary"] = "Accept"
        return response
    document = ontology_document(_store(), str(GRAPH["ontology"]), data.preferred_languages())
    return _page("ontology.html", doc=document, synthetic=False)


@bp.get("/ontology.ttl")
def ontology_turtle():
    return send_file(_services().settings.ontology_path, mimetype="text/turtle")


# -- wiring ---------------------------------------------------------------------------
def _template_globals() -> dict:
    return {"nav": [("pages.home", "Search"), ("pages.finder", "Find instruments"),
                    ("pages.gaps", "Funding gaps"), ("pages.map_page", "Map"),
                    ("pages.queries", "Policy queries"), ("pages.sparql_editor", "SPARQL"),
                    ("pages.ontology", "Ontology")],
            "endpoint": lambda: url_for("sparql.endpoint"),
            "ccg": str(CCG), "skos": str(SKOS)}


def init_app(app) -> None:
    app.register_blueprint(bp)
    pages_quality.init_app(app)
    pages_errors.init_app(app)
    pages_dossier.init_app(app)
    app.before_request(_editor_for_browsers)
    app.context_processor(_template_globals)
    app.jinja_env.globals.update(href=lambda iri: data.href(str(iri), _base()),
                                 ccg_base=_base, print_origin=_print_origin,
                                 page_downloads=downloads.links)


_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.\-\[\]:]+$")


def _print_origin() -> str:
    """This site's address for printed links ("/region/HU22" is no use on paper); only a
    plain scheme://host[:port] goes into the page's style sheet."""
    origin = request.url_root.rstrip("/")
    return origin if _ORIGIN.match(origin) else ""
