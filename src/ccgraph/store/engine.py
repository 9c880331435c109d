"""What runs next to the data: query evaluation and writes on pyoxigraph stores.

These functions run in-process for the CLI and inside killable engine processes
for the web service (see `isolated.py`); they take plain, picklable arguments.
"""

from __future__ import annotations

from itertools import islice

import pyoxigraph as ox

from ..errors import BadRequest, StoreError
from ..namespaces import META_GRAPH
from ..rdfio import FORMATS
from ..sparql_text import inspect
from .base import GraphWrite, QueryOutput, QueryRequest
from .results import SOLUTION_FORMATS, serialize_boolean, serialize_solutions
from .terms import from_ntriples

__all__ = ["apply_writes", "run_query", "run_update"]

MAX_DEPTH = 200
_META = ox.NamedNode(str(META_GRAPH))
_NATIVE_RESULTS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                   "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}


def _dataset_options(request: QueryRequest, facts) -> dict:
    if request.default_graphs is not None or request.named_graphs is not None:
        return {
            "default_graph": [_graph_node(g) for g in request.default_graphs or ()],
            "named_graphs": [ox.NamedNode(g) for g in request.named_graphs or ()],
        }
    if request.union_default and not (facts.from_graphs or facts.from_named):
        return {"use_default_graph_as_union": True}
    return {}


def _graph_node(iri: str):
    return ox.DefaultGraph() if iri == "" else ox.NamedNode(iri)


def _syntax_error(exc: SyntaxError) -> BadRequest:
    return BadRequest(f"SPARQL syntax error: {exc.msg or exc}", line=exc.lineno, column=exc.offset)


def run_query(store, request: QueryRequest) -> QueryOutput:
    facts = inspect(request.text, MAX_DEPTH)
    options = {"base_iri": request.base_iri, **_dataset_options(request, facts)}
    try:
        result = _evaluate(store, request, options)
    except SyntaxError as exc:
        raise _syntax_error(exc) from None
    except OSError as exc:
        raise StoreError(f"the store could not answer: {exc}") from None
    return _render(result, request, facts)


def _evaluate(store, request: QueryRequest, options: dict):
    if not request.bindings:
        return store.query(request.text, **options)
    substitutions = {ox.Variable(name): from_ntriples(term) for name, term in request.bindings}
    try:
        return store.query(request.text, substitutions=substitutions, **options)
    except RuntimeError as exc:
        if "does not contain" not in str(exc):
            raise
    # Oxigraph substitutes only projected variables; a trailing VALUES binds any other
    # (its terms are written by the N-Triples serializer, never taken from raw text).
    names = [name for name, _ in request.bindings]
    row = " ".join(term for _, term in request.bindings)
    values = f"\nVALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }}"
    return store.query(request.text + values, **options)


def _render(result, request: QueryRequest, facts) -> QueryOutput:
    if isinstance(result, ox.QueryBoolean):
        fmt = request.solutions_format
        return QueryOutput("boolean", SOLUTION_FORMATS[fmt], serialize_boolean(bool(result), fmt))
    if isinstance(result, ox.QuerySolutions):
        return _render_solutions(result, request, facts)
    return _render_triples(result, request)


def _render_solutions(result, request: QueryRequest, facts) -> QueryOutput:
    fmt = request.solutions_format
    media_type = SOLUTION_FORMATS[fmt]
    if facts.top_level_limit is not None and facts.top_level_limit <= request.row_cap:
        # The query bounds itself: let Oxigraph's serializer do the work.
        return QueryOutput("solutions", media_type,
                           result.serialize(format=_NATIVE_RESULTS[fmt]), -1)
    variables = [v.value for v in result.variables]
    try:
        rows = list(islice(result, request.row_cap + 1))
    except (OSError, RuntimeError) as exc:
        raise StoreError(f"the store could not answer: {exc}") from None
    truncated = len(rows) > request.row_cap
    rows = rows[: request.row_cap]
    body = serialize_solutions(variables, rows, fmt)
    return QueryOutput("solutions", media_type, body, len(rows), truncated)


def _render_triples(result, request: QueryRequest) -> QueryOutput:
    info = FORMATS[request.graph_format]
    if info.datasets:
        info = FORMATS["ntriples"] if info.name == "nquads" else FORMATS["turtle"]
    triples = list(islice(result, request.row_cap + 1))
    truncated = len(triples) > request.row_cap
    triples = triples[: request.row_cap]
    body = ox.serialize(triples, format=info.ox_format) if triples else b""
    return QueryOutput("graph", info.media_type, body or b"", len(triples), truncated)


def run_update(store, text: str, base_iri: str | None) -> None:
    inspect(text, MAX_DEPTH)
    try:
        store.update(text, base_iri=base_iri)
    except SyntaxError as exc:
        raise _syntax_error(exc) from None
    except OSError as exc:
        raise StoreError(f"the update failed: {exc}") from None


BULK_THRESHOLD = 100_000


def apply_writes(store, writes: list[GraphWrite]) -> None:
    """Apply graph replacements, appends and drops (inside a journalled write)."""
    for write in writes:
        graph = _graph_node(write.graph)
        if write.mode in ("replace", "drop"):
            _clear(store, graph)
        if write.meta or write.mode in ("replace", "drop"):
            _forget_meta(store, write.graph)
        if write.mode == "replace" and isinstance(graph, ox.NamedNode):
            store.add_graph(graph)
    quads = [q for w in writes for q in w.quads]
    if len(quads) >= BULK_THRESHOLD:
        store.bulk_extend(quads)
    elif quads:
        store.extend(quads)
    meta = [q for w in writes for q in w.meta]
    if meta:
        store.extend(meta)


def _clear(store, graph) -> None:
    if isinstance(graph, ox.DefaultGraph):
        store.clear_graph(graph)
    elif store.contains_named_graph(graph):
        store.remove_graph(graph)


def _forget_meta(store, graph_iri: str) -> None:
    if not graph_iri:
        return
    subject = ox.NamedNode(graph_iri)
    for quad in list(store.quads_for_pattern(subject, None, None, _META)):
        store.remove(quad)
