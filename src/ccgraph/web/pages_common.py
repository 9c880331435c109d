"""What every page module shares: the app's services, the page renderer (with the
synthetic-data banner), the analytics call that turns failures into a sentence, and the
name search. pages.py, pages_quality.py and pages_dossier.py import it; it imports none
of them, so the page modules form no import cycle."""

from __future__ import annotations

import logging
import re

from flask import Response, current_app, render_template

from ..errors import CCGraphError
from . import pages_data as data
from .search import SearchIndex

__all__ = ["KIND_WORDS", "analytics", "base", "hits", "page", "services", "store",
           "without_addresses"]

log = logging.getLogger("ccgraph.web.pages")


def services():
    return current_app.extensions["ccgraph"]


def store():
    return services().store


def base() -> str:
    return services().settings.instance_base


def search_index() -> SearchIndex:
    state = current_app.extensions.setdefault("ccgraph.pages", {})
    if "search" not in state:
        state["search"] = SearchIndex(store())
    return state["search"]


def any_synthetic() -> bool:
    state = current_app.extensions.setdefault("ccgraph.pages", {})
    generation = store().generation
    cached = state.get("synthetic")
    if cached is None or cached[0] != generation:
        cached = (generation, bool(data.synthetic_graphs(store())))
        state["synthetic"] = cached
    return cached[1]


def page(template: str, status: int = 200, **context) -> Response:
    context.setdefault("synthetic", any_synthetic())
    response = Response(render_template(template, **context), status=status,
                        content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept, Accept-Language"
    return response


def analytics(method: str, *args, **kwargs):
    """(answer, None) or (None, a message a person can act on)."""
    try:
        return getattr(services().analytics, method)(*args, **kwargs), None
    except CCGraphError as exc:  # said on the page: names, not addresses
        return None, without_addresses(exc.message)[0]
    except Exception:  # the engine is optional for the pages: say so, log the cause
        log.exception("analytics.%s failed", method)
        return None, "This analysis is not available right now (the complementarity " \
                     "engine reported an error; see the server log)."


# An address as the core writes it in a message: <iri>, 'iri' or a bare http(s) URL.
_ADDRESS = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]*:[^\s<>]+)>|'(https?://[^\s']+)'"
                      r"|\b(https?://[^\s<>'\",;]+[^\s<>'\",;.)])")


def without_addresses(message: str) -> tuple[str, list[str]]:
    """The message with each address replaced by the resource's name in quotes, or "this
    resource" when it has none; and the addresses, for the technical details."""
    found = [next(g for g in m.groups() if g) for m in _ADDRESS.finditer(message)]
    if not found:
        return message, []
    try:
        names = data.labels(store(), found, data.preferred_languages())
    except Exception:  # the store may be what failed: the words still come without names
        log.warning("names for an error message could not be read", exc_info=True)
        names = {}

    def name(match: re.Match) -> str:
        iri = next(g for g in match.groups() if g)
        return f"“{names[iri]}”" if iri in names else "this resource"

    return _ADDRESS.sub(name, message), list(dict.fromkeys(found))


def hits(text: str, kinds_wanted: tuple[str, ...], limit: int):
    hits = search_index().search(text, kinds=kinds_wanted, limit=limit,
                                  langs=data.preferred_languages())
    return [{"iri": h.iri, "label": h.label, "lang": h.lang, "kind": h.kind, "code": h.code,
             "language": data.words.language_name(h.lang),
             "kind_words": KIND_WORDS.get(h.kind, h.kind),
             "href": data.href(h.iri, base())} for h in hits]


KIND_WORDS = {"instrument": "funding instrument", "source": "source document",
              "resource": "other", "concept": "classification entry",
              "industry": "industry (NACE)", "policy measure": "policy measure"}
