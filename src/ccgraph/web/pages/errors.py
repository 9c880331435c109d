"""Errors for people: the HTML page a browser gets instead of the JSON error shape,
saying in words what went wrong and what to do next. JSON and plain-text clients keep
the shape of web/errors.py, which calls `error_page` only for browsers."""

from __future__ import annotations

import logging

from flask import Response, render_template, request, url_for

from .common import without_addresses

__all__ = ["error_page", "init_app"]

log = logging.getLogger("ccgraph.web.pages")

_TITLES = {
    400: "Something in the address or the form is not right",
    404: "Not found",
    405: "This page cannot be used that way",
    406: "This page cannot be given in the format asked for",
    413: "What was sent is too large",
    414: "The address is too long",
    429: "Too many requests",
    503: "The question took too long or the service is busy",
}

# Named query and finder parameters as the forms label them.
FIELD_NAMES = {"a": "First", "b": "Second", "threshold": "Complementarity threshold",
               "limit": "Region pairs to show", "q": "Search", "page": "Page",
               "format": "Download format", "table": "Table to download",
               "resource": "Resource", "on": "Date"}


def _next_steps(status: int, details: dict) -> list[tuple[str, str | None]]:
    """(sentence, link) pairs: what a person can do about this error."""
    back = request.referrer if request.referrer else None
    steps: list[tuple[str, str | None]] = []
    if status == 400:
        field = FIELD_NAMES.get(details.get("parameter", ""), details.get("parameter"))
        if field:
            steps.append((f"Correct the field “{field}” and try again.", back))
        steps.append(("Where a form offers suggestions, pick a name from them.", None))
    elif status == 404:
        if request.path.startswith("/queries/"):
            steps.append(("Choose a question from the policy queries.",
                          url_for("pages.queries")))
        steps.append(("Search for what you were looking for by its name.",
                      url_for("pages.search")))
        steps.append(("Browse the map of regions.", url_for("pages.map_page")))
    elif status >= 500:
        steps.append(("Try again in a minute; if it happens again, tell the people who "
                      "run this service what you did.", None))
    steps.append(("Go to the start page.", url_for("pages.home")))
    return steps


def error_page(status: int, code: str, message: str, details: dict) -> Response | None:
    try:
        words, addresses = without_addresses(message)
        body = render_template(
            "error.html", status=status, code=code, message=words, details=details,
            addresses=addresses, original=message,
            title=_TITLES.get(status, "Something went wrong on the server"
                              if status >= 500 else "This did not work"),
            steps=_next_steps(status, details), synthetic=False)
    except Exception:  # never hide the original error behind a failing page
        log.exception("the error page could not be drawn")
        return None
    response = Response(body, status=status, content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response


def init_app(app) -> None:
    app.extensions["ccgraph.error_page"] = error_page
