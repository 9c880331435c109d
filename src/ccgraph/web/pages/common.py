"""What every page module shares: the app's services, the reader's languages, links to
this site's pages, the page renderer (with the synthetic-data banner), the analytics call
that turns failures into a sentence, and the name search. The page modules import it; it
imports none of them."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Response, current_app, render_template, url_for

from ...namespaces import CCG
from ...read import messages, resource
from ...read.labels import nuts_code
from ...read.search import SearchIndex, matches
from .. import params

__all__ = ["analytics", "base", "hits", "href", "langs", "page", "services", "store",
           "without_addresses"]


def services() -> Any:
    return current_app.extensions["ccgraph"]


def store() -> Any:
    return services().store


def base() -> str:
    return str(services().settings.instance_base)


def langs() -> tuple[str, ...]:
    return params.languages()


def href(iri: str) -> str:
    """A link that stays on this server: /id/... for ours, /region/<code> for NUTS,
    /ontology#Term for the vocabulary, /resource?iri=... for everything else."""
    iri = str(iri)
    if iri.startswith(str(CCG)) and len(iri) > len(str(CCG)):
        return url_for("pages.ontology") + "#" + quote(iri[len(str(CCG)):])
    if iri.startswith(base()):
        return "/id/" + quote(iri[len(base()):], safe="/:@!$&'()*+,;=-._~")
    code = nuts_code(iri)
    if code:
        return url_for("pages.region", code=code)
    return url_for("pages.resource_page", iri=iri)


def _state() -> dict[str, Any]:
    state: dict[str, Any] = current_app.extensions.setdefault("ccgraph.pages", {})
    return state


def search_index() -> SearchIndex:
    state = _state()
    if "search" not in state:
        state["search"] = SearchIndex(store())
    index: SearchIndex = state["search"]
    return index


def any_synthetic() -> bool:
    state, generation = _state(), store().generation
    cached = state.get("synthetic")
    if cached is None or cached[0] != generation:
        cached = (generation, bool(resource.synthetic_graphs(store())))
        state["synthetic"] = cached
    return bool(cached[1])


def page(template: str, status: int = 200, **context: Any) -> Response:
    context.setdefault("synthetic", any_synthetic())
    response = Response(render_template(template, **context), status=status,
                        content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept, Accept-Language"
    return response


def analytics(method: str, *args: Any, **kwargs: Any) -> tuple[Any, str | None]:
    """(answer, None) or (None, a message a person can act on)."""
    return messages.attempt(services().analytics, method, store(), langs(), *args, **kwargs)


def without_addresses(message: str) -> tuple[str, list[str]]:
    try:
        opened = store()
    except Exception:  # the store may be what failed: the words come without names
        opened = None
    return messages.without_addresses(opened, message, langs())


def hits(text: str, kinds_wanted: tuple[str, ...], limit: int) -> list[dict[str, str]]:
    return matches(search_index(), text, kinds_wanted, limit, langs())
