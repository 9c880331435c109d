"""One error shape for every surface: JSON by default, plain text when asked for, and an
HTML page in words for a browser when the pages are installed (they register it)."""

from __future__ import annotations

import logging

from flask import Response, current_app, json, request
from werkzeug.exceptions import HTTPException

from ..errors import CCGraphError

__all__ = ["error_response", "init_app"]

log = logging.getLogger("ccgraph.web")


def _wants_text() -> bool:
    accept = request.accept_mimetypes
    return accept.best_match(["application/json", "text/plain"]) == "text/plain" and \
        accept["text/plain"] > accept["application/json"]


def _wants_html() -> bool:
    accept = request.accept_mimetypes
    return accept["text/html"] > accept["application/json"]


def error_response(status: int, code: str, message: str, details: dict | None = None) -> Response:
    html_page = current_app.extensions.get("ccgraph.error_page")
    if html_page is not None and _wants_html():
        page = html_page(status, code, message, details or {})
        if page is not None:  # None: the page could not be drawn, the JSON shape follows
            return page
    if _wants_text():
        return Response(f"{status} {code}: {message}\n", status=status,
                        content_type="text/plain; charset=utf-8")
    payload = {"error": {"code": code, "message": message, "status": status, **(details or {})}}
    return Response(json.dumps(payload), status=status, content_type="application/json")


def _ccgraph_error(exc: CCGraphError):
    if exc.status >= 500:
        log.error("server fault: %s", exc.message)
    return error_response(exc.status, exc.code, exc.message, exc.details)


def _http_error(exc: HTTPException):
    code = (exc.name or "error").lower().replace(" ", "_")
    response = error_response(exc.code or 500, code, exc.description or exc.name)
    if exc.code == 405 and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def _unexpected(exc: Exception):
    log.exception("unexpected error")  # the traceback goes to the log, never to the client
    return error_response(500, "internal_error", "an unexpected error occurred on the server")


def init_app(app) -> None:
    app.register_error_handler(CCGraphError, _ccgraph_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
