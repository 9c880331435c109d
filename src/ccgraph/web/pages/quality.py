"""Pages for cluster quality and cooperation support (issue 9): the contact-point
directory, the events list, region-versus-region benchmarking, and the quality
section of a cluster page (its labels and its indicators beside its peers).

The data comes from `ccgraph.read.quality`, on the same benchmarking functions as
`/api/indicators`, `/api/compare-regions`, `/api/contact-points` and `/api/events`.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Flask, Response, request

from ...errors import BadRequest, NotFound
from ...namespaces import NUTS
from ...read import quality
from ...read.labels import labels
from .. import downloads
from .common import hits, langs, page, store

__all__ = ["bp", "cluster_quality", "init_app"]

bp = Blueprint("quality", __name__)

_NUTS_CODE = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")
NAV = [("quality.contacts", "Contact points"), ("quality.events", "Events"),
       ("quality.compare", "Compare regions")]


@bp.get("/contacts")
def contacts() -> Response:
    directory = quality.contact_directory(store(), langs(), request.args.get("country", ""))
    fmt = downloads.requested()
    if fmt:
        return downloads.table_response(fmt, "contact-points", "Contact points",
                                        *quality.contact_table(directory["groups"]))
    return page("contacts.html", **directory)


@bp.get("/events")
def events() -> Response:
    listed = quality.event_list(store(), langs())
    fmt = downloads.requested()
    if fmt:
        return downloads.table_response(
            fmt, "events", "Events",
            ["date", "event", "event address", "place", "place address",
             "participants recorded"],
            [[e["date"], e["event"].label, e["event"].iri, e["place"].label if e["place"] else "",
              e["place"].iri if e["place"] else "", e["participants"] or None]
             for e in listed["events"]])
    return page("events.html", **listed)


def _region_arg(name: str) -> str | None:
    """A NUTS region from `name` (a code, or its IRI from the autocomplete), else from
    the typed text in `name_label` (forms without JavaScript); None when both are empty."""
    raw = request.args.get(name, "").strip()
    if not raw:
        text = request.args.get(name + "_label", "").strip()[:200]
        found = hits(text, ("region",), 5) if text else []
        if text and not found:
            raise NotFound(f"no region is called {text!r}", parameter=name)
        # A NUTS-2 region and its only NUTS-3 region share a name: take the larger one.
        same = [h["iri"] for h in found if h["label"] == found[0]["label"]] if found else []
        return min(same, key=len) if same else None
    code = raw[len(str(NUTS)):] if raw.startswith(str(NUTS)) else raw
    if not _NUTS_CODE.match(code):
        raise BadRequest(f"the parameter {name!r} must be a NUTS code such as SK01, "
                         f"got {raw!r}", parameter=name)
    iri = str(NUTS[code])
    if not quality.is_region(store(), iri):
        raise NotFound(f"no region has the NUTS code {code!r}", parameter=name, id=iri)
    return iri


@bp.get("/compare")
def compare() -> Response:
    a, b = _region_arg("a"), _region_arg("b")
    result = quality.comparison(store(), a, b, langs()) if a and b else None
    fmt = downloads.requested()
    if fmt and result:
        title = f"{result['a']['region'].label} and {result['b']['region'].label}"
        return downloads.table_response(fmt, "compare-regions", title,
                                        *quality.compare_table(result))
    names = labels(store(), [i for i in (a, b) if i], langs())
    return page("compare.html", result=result,
                a=a or "", a_label=names.get(a or "", ""),
                b=b or "", b_label=names.get(b or "", ""),
                incomplete=bool(request.args) and not result)


def cluster_quality(cluster: str) -> dict[str, Any]:
    """Labels and indicator charts for the cluster page (a Jinja global)."""
    return quality.cluster_quality(store(), cluster, langs())


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals.update(cluster_quality=cluster_quality, quality_nav=NAV)
