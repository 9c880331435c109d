"""Server-rendered pages for policy makers, on the read layer (`ccgraph.read`): the read
functions give names and IRIs, these views make the links and render HTML or a download.

    site      search, resource pages, finder, gaps, map, SPARQL editor, ontology
    queries   the named-query forms and their answers (on the site's blueprint)
    quality   contact points, events, region comparison, a cluster's quality section
    dossier   a region's dossier, as a page, a PDF and downloads
    errors    the HTML error page browsers get
    common    what they share: services, languages, links, the page renderer

`create_app` calls `init_app`; `/id/...` (web/ld.py) hands browser requests to
`site.resource_page`.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, request, url_for

from ...namespaces import CCG, SKOS
from .. import downloads
from . import dossier, errors, quality, queries, site  # noqa: F401  (queries adds routes)
from .common import base, href

__all__ = ["init_app"]

_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.\-\[\]:]+$")


def _template_globals() -> dict[str, Any]:
    return {"nav": [("pages.home", "Search"), ("pages.finder", "Find instruments"),
                    ("pages.gaps", "Funding gaps"), ("pages.map_page", "Map"),
                    ("pages.queries", "Policy queries"), ("pages.sparql_editor", "SPARQL"),
                    ("pages.ontology", "Ontology")],
            "endpoint": lambda: url_for("sparql.endpoint"),
            "ccg": str(CCG), "skos": str(SKOS)}


def _print_origin() -> str:
    """This site's address for printed links ("/region/HU22" is no use on paper); only a
    plain scheme://host[:port] goes into the page's style sheet."""
    origin = request.url_root.rstrip("/")
    return origin if _ORIGIN.match(origin) else ""


def init_app(app: Flask) -> None:
    app.register_blueprint(site.bp)
    quality.init_app(app)
    errors.init_app(app)
    dossier.init_app(app)
    app.before_request(site.editor_for_browsers)
    app.context_processor(_template_globals)
    app.jinja_env.globals.update(href=href, ccg_base=base, print_origin=_print_origin,
                                 page_downloads=downloads.links)
