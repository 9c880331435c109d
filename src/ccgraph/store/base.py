"""The one interface every backend offers, with rdflib Dataset semantics on top.

Backends implement four primitives (`execute`, `execute_update`, `write`,
`generation`); everything else (select, ask, construct, graphs) is built here
on those, so the embedded, isolated and remote stores behave alike.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Self

from rdflib import Graph, URIRef
from rdflib.term import Node

from ..config import Settings
from ..errors import BadRequest
from ..sparql_text import inject_values
from .graphs import GraphInfo, graph_infos
from .results import Row, parse_boolean, parse_solutions
from .terms import Triple, parse_ntriples, to_ntriples

__all__ = ["HIDDEN_GRAPHS", "UNION_GRAPH", "GraphInfo", "GraphWrite", "QueryOutput",
           "QueryRequest", "Store"]

# ccgraph's own graphs: the provenance of loads, and the union default graph kept as an RDF
# merge (each triple once, however many graphs state it). They are not part of the dataset
# a client sees or changes: a client reads one only by naming it (FROM NAMED, named-graph-uri).
UNION_GRAPH = "urn:ccgraph:union"
HIDDEN_GRAPHS = frozenset({"urn:ccgraph:meta", UNION_GRAPH})


@dataclass(frozen=True)
class QueryRequest:
    text: str
    bindings: tuple[tuple[str, str], ...] = ()      # variable -> N-Triples term
    default_graphs: tuple[str, ...] | None = None   # protocol default-graph-uri
    named_graphs: tuple[str, ...] | None = None     # protocol named-graph-uri
    solutions_format: str = "json"                  # json, xml, csv, tsv
    graph_format: str = "ntriples"                  # an rdfio format name
    row_cap: int = Settings.row_cap
    base_iri: str | None = None
    union_default: bool = True
    timeout: float = Settings.query_timeout
    max_nesting: int = Settings.max_nesting     # brackets, checked before parsing
    client: bool = False    # a protocol client: ccgraph's own graphs are not in its dataset


@dataclass(frozen=True)
class QueryOutput:
    kind: str           # "solutions", "boolean" or "graph"
    media_type: str
    body: bytes
    rows: int = 0
    truncated: bool = False


# An input left to the store's bulk parser: (bytes, rdfio format name, base IRI, file name).
RawInput = tuple[bytes, str, str | None, str]


@dataclass(frozen=True)
class GraphWrite:
    """New content for one named graph ("" is the default graph), applied atomically."""

    graph: str
    triples: Sequence[Triple] = ()      # rdflib triples written into `graph`
    mode: str = "replace"               # replace, append or drop
    meta: Sequence[Triple] = ()         # provenance triples, kept in urn:ccgraph:meta
    raw: tuple[RawInput, ...] = ()      # inputs bulk-parsed by the store, unread by Python


def encode_bindings(bindings: Mapping[str, Node] | None) -> tuple[tuple[str, str], ...]:
    if not bindings:
        return ()
    out = []
    for name, term in bindings.items():
        if not name.isidentifier():
            raise BadRequest(f"invalid variable name {name!r}")
        out.append((name, _ntriples(name, term)))
    return tuple(out)


def _ntriples(name: str, term: Node) -> str:
    """A term in N-Triples; a value no RDF term can hold is the client's error, not ours."""
    try:
        return to_ntriples(term)
    except ValueError as exc:  # e.g. an IRI with control characters or bad %-escapes
        raise BadRequest(f"cannot bind ?{name}: {exc}", parameter=name) from None


def bindings_block(bindings: tuple[tuple[str, str], ...]) -> str:
    """One VALUES row from already-encoded bindings (variable, N-Triples term)."""
    names = " ".join(f"?{name}" for name, _ in bindings)
    row = " ".join(term for _, term in bindings)
    return f"VALUES ({names}) {{ ({row}) }}"


def values_block(values: Mapping[str, Sequence[Node]]) -> str:
    """A VALUES block; every term is written by the N-Triples serializer."""
    names = list(values)
    for name in names:
        if not name.isidentifier():
            raise BadRequest(f"invalid variable name {name!r}")
    columns = [values[n] for n in names]
    rows = zip(*columns, strict=True)
    body = " ".join("(" + " ".join(_ntriples(n, t) for n, t in zip(names, row, strict=True))
                    + ")" for row in rows)
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ {body} }}"


class Store(ABC):
    """A dataset of named graphs. Queries see the union of named graphs by default."""

    union_default_graph: bool = Settings.union_default_graph
    row_cap: int = Settings.row_cap
    query_timeout: float = Settings.query_timeout
    max_nesting: int = Settings.max_nesting

    # -- primitives -------------------------------------------------------------
    @abstractmethod
    def execute(self, request: QueryRequest) -> QueryOutput: ...

    @abstractmethod
    def execute_update(self, text: str, *, base_iri: str | None = None,
                       timeout: float | None = None) -> int: ...

    @abstractmethod
    def write(self, writes: Sequence[GraphWrite], *, timeout: float | None = None) -> int:
        """Apply all writes atomically; return the new generation."""

    @property
    @abstractmethod
    def generation(self) -> int: ...

    def close(self) -> None:  # noqa: B027 - optional hook
        pass

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- conveniences with rdflib semantics ------------------------------------
    def request(self, text: str, bindings: Mapping[str, Node] | None = None, *,
                values: Mapping[str, Sequence[Node]] | None = None,
                **options: Any) -> QueryRequest:
        if values:
            text = inject_values(text, values_block(values))
        options.setdefault("union_default", self.union_default_graph)
        options.setdefault("row_cap", self.row_cap)
        options.setdefault("timeout", self.query_timeout)
        options.setdefault("max_nesting", self.max_nesting)
        return QueryRequest(text=text, bindings=encode_bindings(bindings), **options)

    def select(self, text: str, bindings: Mapping[str, Node] | None = None, *,
               values: Mapping[str, Sequence[Node]] | None = None,
               **options: Any) -> list[Row]:
        """Rows as dicts of rdflib terms; unbound variables are absent from a row."""
        output = self.execute(self.request(text, bindings, values=values, **options))
        if output.kind != "solutions":
            raise BadRequest("select() needs a SELECT query")
        _variables, rows = parse_solutions(output.body)
        return rows

    def ask(self, text: str, bindings: Mapping[str, Node] | None = None,
            **options: Any) -> bool:
        output = self.execute(self.request(text, bindings, **options))
        if output.kind != "boolean":
            raise BadRequest("ask() needs an ASK query")
        return parse_boolean(output.body)

    def construct(self, text: str, bindings: Mapping[str, Node] | None = None,
                  **options: Any) -> Graph:
        output = self.execute(self.request(text, bindings, graph_format="ntriples", **options))
        if output.kind != "graph":
            raise BadRequest("construct() needs a CONSTRUCT or DESCRIBE query")
        return Graph().parse(data=output.body.decode(), format="nt")

    def update(self, text: str, **options: Any) -> int:
        return self.execute_update(text, **options)

    def triples(self, graph: str = "") -> list[Triple]:
        """All triples of one graph ("" is the default graph), as rdflib terms (for export
        and backup)."""
        text = ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }" if graph == "" else
                "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        output = self.execute(self.request(
            text, {"g": URIRef(graph)} if graph else None, graph_format="ntriples",
            row_cap=2**62, union_default=False))
        return parse_ntriples(output.body)

    def graph_names(self) -> list[str]:
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", union_default=False,
                           row_cap=2**62)
        # Virtuoso answers an empty pattern with one row where ?g is unbound.
        return sorted(str(r["g"]) for r in rows if "g" in r and str(r["g"]) not in HIDDEN_GRAPHS)

    def graphs(self) -> list[GraphInfo]:
        """Named graphs with their triple counts and provenance records."""
        return graph_infos(self)

