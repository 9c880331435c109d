"""What runs next to the data: query evaluation and writes on pyoxigraph stores.

These functions run in-process for the CLI and inside killable engine processes
for the web service (see `isolated.py`); they take plain, picklable arguments.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from typing import IO, Any, cast

import pyoxigraph as ox

from ..errors import BadRequest, Forbidden, InvalidData, StoreError
from ..namespaces import META_GRAPH
from ..rdfio import FORMATS, syntax_problem
from ..sparql_text import (
    SparqlFacts,
    inject_values,
    inspect,
    simple_group_concat,
    update_targets,
    with_dataset,
)
from . import union as merged
from .base import (
    HIDDEN_GRAPHS,
    GraphWrite,
    QueryOutput,
    QueryRequest,
    RawInput,
    Store,
    bindings_block,
)
from .results import SOLUTION_FORMATS, serialize_boolean, serialize_solutions
from .terms import from_ntriples, graph_node, ox_quads

__all__ = ["OpenStore", "UpdateCheck", "apply_writes", "run_query", "run_update"]

# Called after an update with the store as it now is and its statements about every
# resource the update changed (Oxigraph quads, as rdfio parses them); raises to refuse.
UpdateCheck = Callable[[Store, list[ox.Quad]], None]
Answer = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
Graph = merged.GraphName | ox.DefaultGraph

_META = ox.NamedNode(str(META_GRAPH))
_NATIVE_RESULTS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                   "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}


def _dataset_options(request: QueryRequest, facts: SparqlFacts,
                     graphs: Callable[[], merged.Catalog]) -> dict[str, Any]:
    """The dataset a query sees. A graph it names that the store does not hold is an empty
    graph (nothing is ever fetched); the protocol's parameters override FROM in the text.
    `graphs()` gives the snapshot's `union.Catalog`."""
    if request.default_graphs is not None or request.named_graphs is not None:
        return {
            "default_graph": [graph_node(g) for g in request.default_graphs or ()],
            "named_graphs": [ox.NamedNode(g) for g in request.named_graphs or ()],
        }
    if facts.from_graphs or facts.from_named:
        return {}
    catalog = graphs()
    default = catalog.union if request.union_default else [ox.DefaultGraph()]
    if request.client:  # ccgraph's own graphs are not in a client's dataset
        return {"default_graph": default, "named_graphs": catalog.visible}
    # ccgraph's own queries may read the metadata graph by name, never the merge.
    named = {} if catalog.internal is None else {"named_graphs": catalog.internal}
    return {"default_graph": default, **named}


def _syntax_error(exc: SyntaxError) -> BadRequest:
    return BadRequest(f"SPARQL syntax error: {exc.msg or exc}", line=exc.lineno, column=exc.offset)


def _evaluation_error(exc: RuntimeError) -> BadRequest:
    # Oxigraph raises RuntimeError for what the request asks that cannot be done (a custom
    # function it does not know, DROP/CLEAR of a missing graph without SILENT); storage
    # faults are OSError. These are answers to the client, not server faults.
    return BadRequest(f"the operation cannot be evaluated: {exc}")


def run_query(store: ox.Store, request: QueryRequest,
              graphs: Callable[[], merged.Catalog] | None = None) -> QueryOutput:
    """`graphs()` gives the store's `union.Catalog` (the reader caches it per snapshot)."""
    facts = inspect(request.text, request.max_nesting)
    graphs = graphs or (lambda: merged.catalog(store))
    options = {"base_iri": request.base_iri, **_dataset_options(request, facts, graphs)}
    with _answer_errors():
        result = _evaluate(store, request, options)
        if not isinstance(result, ox.QuerySolutions):
            return _render(result, request)
        native = _native_solutions(result, request, _bounded_by_query(facts, request))
        if native is not None:
            return native
        # Over the cap (or too large to count): evaluate again for the capped writer.
        again = _evaluate(store, request, options)
        assert isinstance(again, ox.QuerySolutions)  # the same query as the first time
        return _capped_solutions(again, request)


@contextlib.contextmanager
def _answer_errors() -> Iterator[None]:
    # Evaluation is lazy: errors surface while rows are read and serialised, not only in
    # store.query().
    try:
        yield
    except SyntaxError as exc:
        raise _syntax_error(exc) from None
    except RuntimeError as exc:
        raise _evaluation_error(exc) from None
    except OSError as exc:
        raise StoreError(f"the store could not answer: {exc}") from None


def _evaluate(store: ox.Store, request: QueryRequest, options: dict[str, Any]) -> Answer:
    text = simple_group_concat(request.text)  # SPARQL 1.1's GROUP_CONCAT, a simple literal
    try:
        return _evaluate_text(store, text, request, options)
    except SyntaxError:
        if text == request.text:
            raise
    # The error as the client wrote the query (its line and column, not the rewrite's).
    return _evaluate_text(store, request.text, request, options)


def _evaluate_text(store: ox.Store, text: str, request: QueryRequest,
                   options: dict[str, Any]) -> Answer:
    if not request.bindings:
        return store.query(text, **options)
    substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
        ox.Variable(name): from_ntriples(term) for name, term in request.bindings}
    try:
        return store.query(text, substitutions=substitutions, **options)
    except RuntimeError as exc:
        if "does not contain" not in str(exc):
            raise
    # Oxigraph substitutes only projected variables; a VALUES block in the WHERE group
    # binds any other (its terms were written by the N-Triples serializer).
    return store.query(inject_values(text, bindings_block(request.bindings)), **options)


def _render(result: ox.QueryBoolean | ox.QueryTriples, request: QueryRequest) -> QueryOutput:
    if isinstance(result, ox.QueryBoolean):
        fmt = request.solutions_format
        return QueryOutput("boolean", SOLUTION_FORMATS[fmt], serialize_boolean(bool(result), fmt))
    return _render_triples(result, request)


def _bounded_by_query(facts: SparqlFacts, request: QueryRequest) -> bool:
    return facts.top_level_limit is not None and facts.top_level_limit <= request.row_cap


# Oxigraph's own serialisers are several times faster than writing rows from Python, but
# they cannot stop at the row cap. So an answer is serialised natively into a bounded
# buffer, and its rows are counted only when it is large enough to hold more than the cap
# (the smallest row of each format is an empty binding).
NATIVE_BUDGET = 64 * 1024 * 1024
_SMALLEST_ROW = {"json": 3, "xml": 17, "csv": 2, "tsv": 1}


class _BudgetExceeded(Exception):
    pass


class _BoundedBuffer:
    def __init__(self, budget: int) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.budget = budget

    def write(self, chunk: bytes) -> int:
        self.size += len(chunk)
        if self.size > self.budget:
            raise _BudgetExceeded  # stops the serialiser, and with it the evaluation
        self.parts.append(bytes(chunk))
        return len(chunk)

    def flush(self) -> None:
        pass


def _native_solutions(result: ox.QuerySolutions, request: QueryRequest,
                      bounded: bool) -> QueryOutput | None:
    """The answer in Oxigraph's own serialisation, or None if it has more rows than the cap."""
    fmt, row_cap = request.solutions_format, request.row_cap
    if bounded:  # the query's own LIMIT keeps it within the cap
        return QueryOutput("solutions", SOLUTION_FORMATS[fmt],
                           result.serialize(format=_NATIVE_RESULTS[fmt]) or b"", -1)
    buffer = _BoundedBuffer(NATIVE_BUDGET)
    try:
        result.serialize(cast(IO[bytes], buffer), format=_NATIVE_RESULTS[fmt])  # write() only
    except _BudgetExceeded:
        return None
    body = b"".join(buffer.parts)
    if len(body) > _SMALLEST_ROW[fmt] * (row_cap + 1) and _count_rows(body, fmt, row_cap) > row_cap:
        return None
    return QueryOutput("solutions", SOLUTION_FORMATS[fmt], body, -1)


def _count_rows(body: bytes, fmt: str, row_cap: int) -> int:
    if fmt == "json":
        # Oxigraph writes compact JSON: every boundary between two rows is "},{", so this
        # count bounds the rows from above (values may hold it too); parse only past the cap.
        upper = body.count(b"},{") + 1
        return upper if upper <= row_cap else len(json.loads(body)["results"]["bindings"])
    if fmt == "xml":  # "<" inside values is escaped, so the tag is only ever a row
        return body.count(b"<result>")
    if fmt == "tsv":  # newlines inside values are escaped: one line per row, after the header
        return body.count(b"\n") - 1
    return sum(1 for _ in csv.reader(io.StringIO(body.decode(), newline=""))) - 1


def _capped_solutions(result: ox.QuerySolutions, request: QueryRequest) -> QueryOutput:
    """The first `row_cap` rows, written from Python, and whether there were more."""
    fmt = request.solutions_format
    media_type = SOLUTION_FORMATS[fmt]
    variables = [v.value for v in result.variables]
    rows = list(islice(result, request.row_cap + 1))
    truncated = len(rows) > request.row_cap
    rows = rows[: request.row_cap]
    body = serialize_solutions(variables, rows, fmt)
    return QueryOutput("solutions", media_type, body, len(rows), truncated)


def _render_triples(result: ox.QueryTriples, request: QueryRequest) -> QueryOutput:
    info = FORMATS[request.graph_format]
    if info.datasets and info.name != "jsonld":  # JSON-LD writes a plain graph as well
        info = FORMATS["ntriples"] if info.name == "nquads" else FORMATS["turtle"]
    triples = list(islice(result, request.row_cap + 1))
    truncated = len(triples) > request.row_cap
    triples = triples[: request.row_cap]
    # Serialised even when empty: an empty RDF/XML or JSON-LD answer is still a document.
    body = ox.serialize(triples, format=info.ox_format)
    return QueryOutput("graph", info.media_type, body or b"", len(triples), truncated)


def run_update(store: ox.Store, text: str, base_iri: str | None, *, max_nesting: int,
               union: bool = False, check: UpdateCheck | None = None) -> None:
    """Run a client's update on the dataset it sees: ccgraph's own graphs are set aside while
    it runs (so CLEAR ALL, GRAPH ?g or COPY never see them), and with the union default graph
    its WHERE reads the merge. `check(reader, statements)` may refuse the result (SHACL): it
    gets the store as it now is and what it says about every resource the update changed;
    the caller's journal then rolls everything back."""
    inspect(text, max_nesting)
    iris, everything = update_targets(text, base_iri)
    reserved = sorted(set(iris) & HIDDEN_GRAPHS)
    if reserved:
        raise Forbidden(f"the graph <{reserved[0]}> is maintained by ccgraph; an update "
                        "cannot name it", graph=reserved[0])
    _prepare(store, union)
    watch = _watched(store, iris, everything)
    # The update's changes are needed to keep an existing merge and for the check.
    diffed = (union and merged.exists(store)) or check is not None
    before = {g: merged.contents(store, g) for g in watch} if diffed else {}
    if union:
        catalog = merged.catalog(store)
        default = catalog.union[0].value if len(catalog.union) == 1 else merged.UNION.value
        text = with_dataset(text, default, [g.value for g in catalog.visible])
    meta = list(store.quads_for_pattern(None, None, None, merged.META))
    store.remove_graph(merged.META) if meta else None
    try:
        _update(store, text, base_iri)
    finally:
        if store.contains_named_graph(merged.META):
            store.remove_graph(merged.META)
        store.extend(meta)
    added, removed = _changes(store, before, _watched(store, iris, everything)) if diffed \
        else ([], [])
    if union:
        merged.refresh(store, added, {(q.subject, q.predicate, q.object) for q in removed
                                      if not isinstance(q.graph_name, ox.DefaultGraph)})
    if check is not None and (added or removed):
        check(OpenStore(store), _statements_about(store, {q.subject for q in added + removed}))


def _statements_about(store: ox.Store,
                      subjects: set[ox.NamedNode | ox.BlankNode | ox.Triple]) -> list[ox.Quad]:
    """Everything the dataset now says about `subjects` (visible graphs and the default
    graph): what a check validates them as."""
    graphs = {g.value for g in merged.visible_graphs(store)}
    return [q for s in subjects for q in store.quads_for_pattern(s, None, None, None)
            if isinstance(q.graph_name, ox.DefaultGraph) or q.graph_name.value in graphs]


class OpenStore(Store):
    """The writer's open store read in this process, mid-write, so that a check after an
    update sees the update. Reads only."""

    union_default_graph = False

    def __init__(self, store: ox.Store) -> None:
        self._store = store

    def execute(self, request: QueryRequest) -> QueryOutput:
        return run_query(self._store, request)

    def execute_update(self, text: str, *, base_iri: str | None = None,
                       timeout: float | None = None) -> int:
        raise StoreError("an OpenStore is read only")

    def write(self, writes: Sequence[GraphWrite], *, timeout: float | None = None) -> int:
        raise StoreError("an OpenStore is read only")

    @property
    def generation(self) -> int:
        return -1


def _prepare(store: ox.Store, union: bool) -> None:
    # A store written in W3C mode has no merge to keep: the first such write drops it.
    if union:
        merged.ensure(store)
    else:
        merged.drop(store)


def _watched(store: ox.Store, iris: list[str], everything: bool) -> list[Graph]:
    """Graphs an update may change: those its text names, or all when it says GRAPH ?g,
    ALL or NAMED; the default graph always."""
    wanted = set(iris)
    graphs = [g for g in merged.visible_graphs(store) if everything or g.value in wanted]
    return [ox.DefaultGraph(), *graphs]


def _changes(store: ox.Store, before: dict[Graph, set[merged.OxTriple]],
             watch: list[Graph]) -> tuple[list[ox.Quad], list[ox.Quad]]:
    added, removed = [], []
    for graph in {*before, *watch}:
        old = before.get(graph, set())
        new = merged.contents(store, graph)
        added += [ox.Quad(s, p, o, graph) for s, p, o in new - old]
        removed += [ox.Quad(s, p, o, graph) for s, p, o in old - new]
    return added, removed


def _update(store: ox.Store, text: str, base_iri: str | None) -> None:
    rewritten = simple_group_concat(text)  # as for queries: GROUP_CONCAT is a simple literal
    try:
        try:
            store.update(rewritten, base_iri=base_iri)
        except SyntaxError:
            if rewritten == text:
                raise
            # Oxigraph parses the whole update before running any of it: nothing has
            # changed, and the error is reported where the client wrote it.
            store.update(text, base_iri=base_iri)
    except SyntaxError as exc:
        raise _syntax_error(exc) from None
    except RuntimeError as exc:
        raise _evaluation_error(exc) from None
    except OSError as exc:
        raise StoreError(f"the update failed: {exc}") from None


BULK_THRESHOLD = 100_000


def apply_writes(store: ox.Store, writes: list[GraphWrite], union: bool = False) -> None:
    """Apply graph replacements, appends and drops (inside a journalled write), keeping the
    merged union graph current when the union default graph is on."""
    _prepare(store, union)
    keeps_merge = union and merged.exists(store)
    replaced = set()
    for write in writes:
        graph = graph_node(write.graph)
        if write.mode in ("replace", "drop"):
            if keeps_merge and isinstance(graph, ox.NamedNode):
                replaced |= merged.contents(store, graph)
            _clear(store, graph)
            _forget_meta(store, write.graph, everything=True)
        elif write.meta:
            _forget_meta(store, write.graph, everything=False)
        if write.mode == "replace" and isinstance(graph, ox.NamedNode):
            store.add_graph(graph)
    quads = [q for w in writes for q in ox_quads(w.triples, w.graph)]
    if len(quads) >= BULK_THRESHOLD:
        store.bulk_extend(quads)
    elif quads:
        store.extend(quads)
    for write in writes:
        for raw in write.raw:
            _bulk_parse(store, write.graph, raw)
    if union:
        reread = [(ox.NamedNode(w.graph), list(w.raw)) for w in writes if w.raw and w.graph]
        merged.refresh(store, quads, replaced, reread)
    meta = [q for w in writes for q in ox_quads(w.meta, str(META_GRAPH))]
    meta += [_count_quad(store, w.graph) for w in writes if w.meta and w.graph]
    if meta:
        store.extend(meta)


def _bulk_parse(store: ox.Store, graph: str, raw: RawInput) -> None:
    data, fmt, base_iri, name = raw
    try:
        store.bulk_load(data, format=FORMATS[fmt].ox_format, base_iri=base_iri,
                        to_graph=graph_node(graph))
    except SyntaxError as exc:
        raise InvalidData(f"{name}: syntax error", [syntax_problem(name, exc)]) from None


_VOID_TRIPLES = ox.NamedNode("http://rdfs.org/ns/void#triples")
_XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def _count_quad(store: ox.Store, graph_iri: str) -> ox.Quad:
    graph = ox.NamedNode(graph_iri)
    result = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                         substitutions={ox.Variable("g"): graph})
    assert isinstance(result, ox.QuerySolutions)
    row = next(iter(result), None)
    count = row["n"].value if row is not None else "0"
    return ox.Quad(graph, _VOID_TRIPLES, ox.Literal(count, datatype=_XSD_INTEGER), _META)


def _clear(store: ox.Store, graph: Graph) -> None:
    if isinstance(graph, ox.DefaultGraph):
        store.clear_graph(graph)
    elif store.contains_named_graph(graph):
        store.remove_graph(graph)


_REFRESHED = {"http://rdfs.org/ns/void#triples", "http://www.w3.org/ns/prov#generatedAtTime",
              "https://w3id.org/ccgraph/ontology#loadedWith",
              "https://w3id.org/ccgraph/ontology#loadMode"}


def _forget_meta(store: ox.Store, graph_iri: str, everything: bool) -> None:
    """Drop a graph's provenance (or, on append, the facts that the append refreshes)."""
    if not graph_iri:
        return
    subject = ox.NamedNode(graph_iri)
    for quad in list(store.quads_for_pattern(subject, None, None, _META)):
        if everything or quad.predicate.value in _REFRESHED:
            store.remove(quad)
