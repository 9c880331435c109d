"""SPARQL 1.1 Protocol parsing: a pure function from request parts to an operation.

Kept apart from execution so it can be tested on its own (GET, POST form,
POST direct, media types, conflicting or missing parameters).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs

from ..errors import BadRequest, UnsupportedMediaType

__all__ = ["SparqlOperation", "parse_operation"]


@dataclass(frozen=True)
class SparqlOperation:
    kind: str                              # "query", "update" or "describe-service"
    text: str = ""
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    using_graphs: tuple[str, ...] = ()
    using_named: tuple[str, ...] = ()

    @property
    def has_dataset(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


def _one(params: dict[str, list[str]], key: str) -> str | None:
    values = params.get(key, [])
    if len(values) > 1:
        raise BadRequest(f"the parameter {key!r} was given {len(values)} times")
    return values[0] if values else None


def _decode(body: bytes, charset: str = "utf-8") -> str:
    # The protocol's operations are UTF-8 only: a body declared in another encoding is
    # refused, not transcoded.
    if charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"the request body is declared as {charset}; SPARQL "
                                   "operations are sent in UTF-8 only", charset=charset)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the request body is not valid UTF-8") from None


def _media_type(content_type: str | None) -> tuple[str, str]:
    if not content_type:
        return "", "utf-8"
    base, *options = (part.strip() for part in content_type.split(";"))
    charset = next((o.split("=", 1)[1].strip('"') for o in options
                    if o.lower().startswith("charset=")), "utf-8")
    return base.lower(), charset


def parse_operation(method: str, url_params: dict[str, list[str]], content_type: str | None,
                    body: bytes) -> SparqlOperation:
    """What a request to /sparql asks for, or BadRequest / UnsupportedMediaType."""
    if method == "GET":
        return _from_params(url_params, allow_update=False)
    if method != "POST":
        raise BadRequest(f"{method} is not a SPARQL protocol method")
    media_type, charset = _media_type(content_type)
    if media_type == "application/x-www-form-urlencoded":
        form = _parse_form(_decode(body, charset), charset)
        if "query" in url_params or "update" in url_params:
            raise BadRequest("give the query or update in the body or the URL, not both")
        return _from_params({**url_params, **form}, allow_update=True)
    if media_type == "application/sparql-query":
        _no_text_params(url_params)
        return _operation("query", _decode(body, charset), url_params)
    if media_type == "application/sparql-update":
        _no_text_params(url_params)
        return _operation("update", _decode(body, charset), url_params)
    raise UnsupportedMediaType(
        f"unsupported Content-Type {media_type or '(none)'!r}: use "
        "application/sparql-query, application/sparql-update or "
        "application/x-www-form-urlencoded")


def _parse_form(text: str, charset: str) -> dict[str, list[str]]:
    # Percent-escapes are bytes in the form's charset; undecodable ones are refused,
    # not turned into U+FFFD inside the query.
    try:
        return parse_qs(text, keep_blank_values=True, encoding=charset, errors="strict")
    except UnicodeDecodeError:
        raise BadRequest(f"the form is not valid {charset}") from None


def _no_text_params(params: dict[str, list[str]]) -> None:
    if "query" in params or "update" in params:
        raise BadRequest("a direct POST carries the operation in the body only")


def _from_params(params: dict[str, list[str]], allow_update: bool) -> SparqlOperation:
    query, update = _one(params, "query"), _one(params, "update")
    if query is not None and update is not None:
        raise BadRequest("give either query or update, not both")
    if update is not None:
        if not allow_update:
            raise BadRequest("updates must be sent by POST")
        return _operation("update", update, params)
    if query is not None:
        return _operation("query", query, params)
    if allow_update:
        raise BadRequest("the request has neither a query nor an update")
    return SparqlOperation("describe-service")


def _operation(kind: str, text: str, params: dict[str, list[str]]) -> SparqlOperation:
    if not text.strip():
        raise BadRequest(f"the {kind} is empty")
    if kind == "query" and (params.get("using-graph-uri") or params.get("using-named-graph-uri")):
        raise BadRequest("using-graph-uri and using-named-graph-uri apply to updates only")
    if kind == "update" and (params.get("default-graph-uri") or params.get("named-graph-uri")):
        raise BadRequest("default-graph-uri and named-graph-uri apply to queries only")
    return SparqlOperation(
        kind, text,
        default_graphs=tuple(params.get("default-graph-uri", [])),
        named_graphs=tuple(params.get("named-graph-uri", [])),
        using_graphs=tuple(params.get("using-graph-uri", [])),
        using_named=tuple(params.get("using-named-graph-uri", [])),
    )
