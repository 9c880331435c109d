"""The SPARQL 1.1 Protocol endpoint: /sparql (query, update, service description)."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, Response, current_app, request

from ..errors import BadRequest, Forbidden, PayloadTooLarge, UriTooLong
from ..sparql_text import SparqlFacts, add_using, check_update_syntax, drop_silent_loads, inspect
from ..store.results import SOLUTION_FORMATS
from .http import negotiate, read_body, require_write_token, settings
from .protocol import SparqlOperation, parse_operation
from .servicedesc import service_description

bp = Blueprint("sparql", __name__)

SOLUTION_OFFERS = [
    *SOLUTION_FORMATS.items(),
    ("json", "application/json"),
    ("xml", "application/xml"),
    ("xml", "text/xml"),
    ("csv", "text/plain"),
]
GRAPH_OFFERS = [
    ("turtle", "text/turtle"),
    ("ntriples", "application/n-triples"),
    ("jsonld", "application/ld+json"),
    ("rdfxml", "application/rdf+xml"),
    ("turtle", "application/x-turtle"),
    ("ntriples", "text/plain"),
    ("jsonld", "application/json"),
    ("rdfxml", "application/xml"),
]
# SPARQLWrapper and others name the format in the request as well.
_FORMAT_PARAMS = ("format", "output", "results")
RDFLIB_DEFAULT_GRAPH = "urn:x-rdflib:default"
_FORMAT_ALIASES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv",
                   "turtle": "turtle", "n3": "turtle", "nt": "ntriples", "ntriples": "ntriples",
                   "json-ld": "jsonld", "jsonld": "jsonld", "rdf": "rdfxml", "rdf+xml": "rdfxml"}


def _services():
    return current_app.extensions["ccgraph"]


@bp.route("/sparql", methods=["GET", "POST"], provide_automatic_options=False)
def endpoint():
    # Updates may carry data (INSERT DATA), so a body may be as large as an upload;
    # the tighter limit for query text is applied once we know it is a query.
    body = read_body(settings().max_upload_bytes) if request.method == "POST" else b""
    if request.method in ("GET", "HEAD") and len(request.query_string) > settings().max_query_bytes:
        raise UriTooLong(f"the query string exceeds {settings().max_query_bytes} bytes; "
                         "send long queries by POST")
    params = request.args.to_dict(flat=False)
    method = "GET" if request.method == "HEAD" else request.method  # HEAD: GET without a body
    operation = parse_operation(method, params, request.content_type, body)
    if operation.kind == "describe-service":
        return service_description(_services())
    if operation.kind == "update":
        return _update(operation)
    return _query(operation)


def _checked(text: str, limit: int | None = None) -> SparqlFacts:
    limit = limit or settings().max_query_bytes
    if len(text.encode()) > limit:
        raise PayloadTooLarge(f"the SPARQL text exceeds {limit} bytes", limit=limit)
    facts = inspect(text, settings().max_nesting)
    allow = settings().federation_allowlist
    for service in facts.services:
        if service not in allow:
            raise BadRequest(f"SERVICE <{service}> is refused: federated queries are off "
                             "unless the operator allowlists the endpoint", service=service)
    return facts


def _without_loads(text: str, facts: SparqlFacts) -> str:
    """The server never fetches: a LOAD is a valid request refused by policy (403), and
    `LOAD SILENT` is the no-op SILENT asks for when a LOAD cannot be done."""
    if not facts.loads:
        return text
    check_update_syntax(text)  # 400 for a malformed request, before the policy's 403
    text, refused = drop_silent_loads(text)
    if refused:
        raise Forbidden(f"LOAD {refused[0]} is refused: the server never fetches data; "
                        "upload it to /store instead (LOAD SILENT is accepted and does "
                        "nothing)", load=refused[0].strip("<>"))
    return text


def _timeout() -> float:
    ceiling = settings().query_timeout
    raw = request.args.get("timeout") or request.headers.get("X-Timeout")
    if not raw:
        return ceiling
    try:
        value = float(raw)
    except ValueError:
        raise BadRequest(f"timeout must be a number of seconds, got {raw!r}") from None
    if value <= 0:
        raise BadRequest("timeout must be positive")
    return min(value, ceiling)


def _format_override() -> str | None:
    # URL parameters only: `request.values` would make Werkzeug parse the body a second
    # time (it costs a fifth of a point lookup); form posts from SPARQLWrapper carry the
    # same choice in their Accept header.
    for name in _FORMAT_PARAMS:
        value = request.args.get(name)
        if value:
            return _FORMAT_ALIASES.get(value.lower().split("/")[-1].replace("sparql-results+", ""))
    return None


def _without_rdflib_default(operation: SparqlOperation) -> SparqlOperation:
    """rdflib's `Dataset(store=SPARQLStore(url))` sends default-graph-uri=urn:x-rdflib:default,
    its own name for "the default graph": read as the service's default graph, not as a
    graph that is not in the store."""
    defaults = tuple(g for g in operation.default_graphs if g != RDFLIB_DEFAULT_GRAPH)
    if defaults == operation.default_graphs:
        return operation
    return replace(operation, default_graphs=defaults)


def _query(operation: SparqlOperation) -> Response:
    operation = _without_rdflib_default(operation)
    facts = _checked(operation.text)
    graph_form = facts.form in ("CONSTRUCT", "DESCRIBE")
    offers = GRAPH_OFFERS if graph_form else SOLUTION_OFFERS
    fmt = negotiate(offers, "turtle" if graph_form else "json", _format_override())
    store = _services().store
    dataset = {}
    if operation.has_dataset:
        dataset = {"default_graphs": operation.default_graphs,
                   "named_graphs": operation.named_graphs}
    output = store.execute(store.request(
        operation.text, solutions_format=fmt if not graph_form else "json",
        graph_format=fmt if graph_form else "turtle", timeout=_timeout(),
        base_iri=request.base_url, client=True, **dataset))
    return _respond(output)


def _respond(output) -> Response:
    content_type = output.media_type
    if content_type.startswith("text/") or content_type.endswith(("json", "xml")):
        content_type += "; charset=utf-8"
    response = Response(output.body, content_type=content_type)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Vary"] = "Accept"
    if output.truncated:
        response.headers["X-CCGraph-Truncated"] = "true"
        response.headers["X-CCGraph-Row-Cap"] = str(settings().row_cap)
    return response


def _update(operation: SparqlOperation) -> Response:
    require_write_token()
    facts = _checked(operation.text, settings().max_upload_bytes)
    text = _without_loads(operation.text, facts)
    if operation.using_graphs or operation.using_named:
        if facts.using_graphs or facts.has_with:
            raise BadRequest("the update names its dataset (USING or WITH) and the request "
                             "gives using-graph-uri too: use one or the other")
        text = add_using(text, list(operation.using_graphs), list(operation.using_named))
    generation = _services().store.update(text, base_iri=request.base_url,
                                          timeout=settings().update_timeout)
    response = Response("update applied\n", content_type="text/plain; charset=utf-8")
    response.headers["X-CCGraph-Generation"] = str(generation)
    return response
