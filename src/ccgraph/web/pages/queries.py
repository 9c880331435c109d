"""The named queries as pages: the list in words, and each query's form with its answer,
its example and its downloads (served by the JSON API). The routes are the site's
(`pages.queries`, `pages.named_query`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Response, request, url_for

from ...errors import CCGraphError
from ...queries import NamedQuery
from ...read import named as answers
from ...read.labels import labels
from ...read.query_form import in_words, query_form
from .common import langs, page, services, store
from .site import bp, resolve_end

__all__ = ["download_links"]


@bp.get("/queries")
def queries() -> Response:
    described = [(q, in_words(q.description, store(), langs())) for q in services().queries.all()]
    return page("queries.html", queries=described)


@bp.get("/queries/<name>")
def named_query(name: str) -> Response:
    named = services().queries.get(name)
    fields = query_form(named, request.args, store(), langs(),
                        resolve=lambda field: resolve_end(field, ())[0])
    values = {f["name"]: f["value"] for f in fields}
    table = error = None
    if request.args.get("run"):
        try:
            table = answers.page_table(store(), answers.run_named(store(), named, values),
                                       langs())
        except CCGraphError as exc:
            error = exc.message
    return page("query.html", query=named, params=fields, table=table, error=error,
                lead=in_words(named.description, store(), langs()),
                downloads=download_links(named, values), example_url=_example_url(fields))


def _example_url(fields: list[dict[str, Any]]) -> str | None:
    """The form filled with the examples the query's header names, with their names."""
    examples = {f["name"]: f["example"] for f in fields if f["example"]}
    iris = [f["example"] for f in fields if f["type"] == "iri" and f["example"]]
    names = labels(store(), iris, langs())
    examples |= {f["name"] + "_label": names.get(f["example"])
                 for f in fields if f["type"] == "iri" and f["example"]}
    examples = {k: v for k, v in examples.items() if v}
    if not examples:
        return None
    return url_for("pages.named_query", name=request.view_args["name"], run=1, **examples)


def download_links(named: NamedQuery, values: dict[str, str]) -> list[tuple[str, str]]:
    """Links to the whole answer, with the values the form resolved (a typed name or
    address becomes the resource it names)."""
    chosen = {p.name: values.get(p.name) for p in named.parameters if values.get(p.name)}
    base = url_for("api.named_query_results", name=named.name)
    return [(label, f"{base}?{urlencode({**chosen, 'format': fmt})}")
            for fmt, label in (("csv", "CSV"), ("xlsx", "Excel (XLSX)"), ("json", "JSON"))]
