"""The SPARQL 1.1 Graph Store HTTP Protocol at /store: indirect identification
(?default, ?graph=IRI) and direct identification (/store/some/path names the graph whose
IRI is that URL).

Writes go through the same parse, SHACL validation and journalled commit as
`ccgraph load`, so a bad upload changes nothing.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, current_app, request

from ..errors import BadRequest, Forbidden, NotFound, UnsupportedMediaType
from ..load import LoadJob, Source, apply_job
from ..rdfio import format_by_media_type
from ..store.base import HIDDEN_GRAPHS, GraphWrite
from .http import negotiate, read_body, require_write_token, settings
from .sparql import GRAPH_OFFERS

bp = Blueprint("gsp", __name__)

_ALL = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
_DEFAULT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def _services():
    return current_app.extensions["ccgraph"]


def _target(direct: str | None = None) -> str | None:
    """"" for the default graph, an IRI, or None when the request names neither."""
    if direct is not None:
        if "default" in request.args or "graph" in request.args:
            raise BadRequest("a graph named by its URL takes neither ?default nor ?graph")
        return request.base_url
    has_default = "default" in request.args
    graph = request.args.get("graph")
    if has_default and graph is not None:
        raise BadRequest("give either ?default or ?graph=IRI, not both")
    if has_default:
        return ""
    if graph is not None:
        if not graph.strip() or ":" not in graph:
            raise BadRequest(f"?graph must be an absolute IRI, got {graph!r}")
        return graph
    return None


def _exists(graph: str) -> bool:
    return graph == "" or graph in _services().graph_names()


def _writable(graph: str) -> str:
    if graph in HIDDEN_GRAPHS:
        raise Forbidden(f"the graph <{graph}> is maintained by ccgraph", graph=graph)
    return graph


# provide_automatic_options=False: Flask would otherwise answer every OPTIONS itself
# (200, no CORS headers) and `preflight` below would never run.
@bp.route("/store", methods=["GET", "HEAD"], provide_automatic_options=False)
@bp.route("/store/<path:direct>", methods=["GET", "HEAD"], provide_automatic_options=False)
def read(direct: str | None = None):
    graph = _target(direct)
    if graph is None:
        raise BadRequest("name the graph with ?default or ?graph=IRI")
    if not _exists(graph) and graph not in HIDDEN_GRAPHS:  # ccgraph's own: read by name
        raise NotFound(f"no graph <{graph}> in the store", id=graph)
    fmt = negotiate(GRAPH_OFFERS, "turtle")
    store = _services().store
    cap = settings().gsp_row_cap
    if graph:
        from rdflib import URIRef

        req = store.request(_ALL, {"g": URIRef(graph)}, graph_format=fmt, union_default=False,
                            row_cap=cap)
    else:
        # The default graph a query sees: with the union default graph on, the merge of the
        # named graphs (writes to ?default still go to the stored default graph, which such
        # queries do not read, as with Fuseki's unionDefaultGraph: docs/sparql-clients.md).
        req = store.request(_DEFAULT, graph_format=fmt, row_cap=cap, client=True)
    output = store.execute(req)
    response = Response(output.body if request.method == "GET" else b"",
                        content_type=f"{output.media_type}; charset=utf-8")
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Vary"] = "Accept"
    if request.method == "HEAD":
        response.headers["Content-Length"] = str(len(output.body))
    if output.truncated:
        response.headers["X-CCGraph-Truncated"] = "true"
    return response


def _rdf_format(content_type: str | None, name: str):
    if not content_type:
        raise UnsupportedMediaType(f"give the RDF media type of {name} in Content-Type")
    info = format_by_media_type(content_type)
    # JSON-LD can hold named graphs but is mostly one graph, as GSP clients send it.
    if info.datasets and info.name != "jsonld":
        raise UnsupportedMediaType(f"{info.media_type} describes a dataset; the graph store "
                                   "takes one graph (Turtle, N-Triples, JSON-LD, RDF/XML)")
    return info


def _sources(graph: str) -> tuple[Source, ...]:
    """The request body, or each file of a multipart/form-data upload (all into the graph)."""
    if request.mimetype != "multipart/form-data":
        info = _rdf_format(request.content_type, "the body")
        return (Source("request body", read_body(), info.name, graph),)
    limit = settings().max_upload_bytes
    if request.content_length is None or request.content_length > limit:
        read_body()  # 411 or 413, as for any other body
    files = [f for values in request.files.listvalues() for f in values]
    if not files:
        raise BadRequest("the multipart upload holds no file part")
    return tuple(Source(f.filename or f.name or "part", f.read(),
                        _rdf_format(f.content_type, f.filename or "a part").name, graph)
                 for f in files)


def _upload(graph: str, mode: str) -> dict:
    job = LoadJob(_sources(graph), mode=mode, validate=True, base_iri=graph or None,
                  one_graph=True, shacl_engine=settings().shacl_engine)
    return _services().store.run_exclusive(apply_job, job).to_dict()


@bp.route("/store", methods=["PUT", "POST"], provide_automatic_options=False)
@bp.route("/store/<path:direct>", methods=["PUT", "POST"], provide_automatic_options=False)
def write(direct: str | None = None):
    require_write_token()
    graph = _target(direct)
    if graph is None and request.method == "PUT":
        raise BadRequest("name the graph with ?default or ?graph=IRI")
    created = graph is None or not _exists(graph)
    if graph is None:
        # POST to the store itself: a new graph, named by the server with a URL of this
        # store, so the Location both is the graph's IRI and identifies it directly.
        graph = f"{request.host_url}store/{uuid.uuid4()}"
    report = _upload(_writable(graph), "replace" if request.method == "PUT" else "append")
    response = Response(status=201 if created else 204)
    if created:
        response.headers["Location"] = graph
    response.headers["X-CCGraph-Generation"] = str(report["generation"])
    return response


@bp.route("/store", methods=["DELETE"], provide_automatic_options=False)
@bp.route("/store/<path:direct>", methods=["DELETE"], provide_automatic_options=False)
def delete(direct: str | None = None):
    require_write_token()
    graph = _target(direct)
    if graph is None:
        raise BadRequest("name the graph with ?default or ?graph=IRI")
    _writable(graph)
    if not _exists(graph):
        raise NotFound(f"no graph <{graph}> in the store", id=graph)
    _services().store.write([GraphWrite(graph, [], mode="drop")])
    return Response(status=204)


@bp.route("/store", methods=["OPTIONS"])
@bp.route("/store/<path:direct>", methods=["OPTIONS"])
@bp.route("/sparql", methods=["OPTIONS"])
def preflight(direct: str | None = None):
    """CORS for reads only: a preflight for a write (or one carrying credentials) is refused."""
    method = request.headers.get("Access-Control-Request-Method", "GET").upper()
    headers = {h.strip().lower() for h in
               request.headers.get("Access-Control-Request-Headers", "").split(",") if h.strip()}
    if method not in ("GET", "HEAD", "POST") or "authorization" in headers or \
            (method == "POST" and request.path.startswith("/store")):
        raise Forbidden("cross-origin writes are not allowed")
    response = Response(status=204)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
    response.headers["Access-Control-Max-Age"] = "600"
    return response
