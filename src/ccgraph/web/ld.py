"""Linked data: every IRI under the instance base dereferences here, by content negotiation."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from ..errors import BadRequest
from ..read.resource import statements
from . import params
from .servicedesc import rdf_response

bp = Blueprint("ld", __name__)

def _services():
    return current_app.extensions["ccgraph"]


def describe(iri: str):
    """The resource's statements as RDF; NotFound when nothing is known about it."""
    return statements(_services().store, iri)


@bp.get("/id/<path:rest>")
def resource(rest: str):
    iri = _services().settings.instance_base + rest
    pages = current_app.view_functions.get("pages.resource_page")
    if pages is not None and _prefers_html():
        return pages(iri=iri)
    return rdf_response(describe(iri))


def _prefers_html() -> bool:
    accept = request.accept_mimetypes
    best = accept.best_match(["text/turtle", "application/ld+json", "application/n-triples",
                              "application/rdf+xml", "text/html"])
    return best == "text/html" and accept["text/html"] >= accept["text/turtle"]


# Links a person can click (no Accept header to set): ?format= picks the syntax.
_FORMATS = {"turtle": ("turtle", "text/turtle", "ttl"),
            "json-ld": ("json-ld", "application/ld+json", "jsonld"),
            "nt": ("nt", "application/n-triples", "nt"),
            "xml": ("xml", "application/rdf+xml", "rdf")}


@bp.get("/describe")
def described():
    """The description of any IRI as a download, in the syntax named by `format`."""
    iri, fmt = params.iri("iri"), request.args.get("format", "turtle")
    if fmt not in _FORMATS:
        raise BadRequest(f"format must be one of {', '.join(_FORMATS)}, got {fmt!r}",
                         parameter="format")
    syntax, media, extension = _FORMATS[fmt]
    body = describe(iri).serialize(format=syntax, encoding="utf-8")
    response = Response(body, content_type=f"{media}; charset=utf-8")
    name = iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or "resource"
    response.headers["Content-Disposition"] = f'inline; filename="{name}.{extension}"'
    return response
