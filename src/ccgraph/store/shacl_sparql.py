"""The shapes' SPARQL-based constraints (sh:sparql), run by Oxigraph over the new data.

pyrudof's engine does not run them (see shacl_fast.py). They live here because only the
store package imports pyoxigraph (issue 18): shacl_fast.py hands over the parsed quads and
N-Triples lines of their context and gets plain bindings back.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal, InvalidOperation
from typing import Protocol, TypeVar

import pyoxigraph as ox
from rdflib.namespace import RDFS

__all__ = ["is_blank_node", "sparql_violations"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


class Constraint(Protocol):
    """What is asked of shacl_fast's constraints here."""

    @property
    def targets(self) -> tuple[tuple[str, str], ...]: ...

    @property
    def query(self) -> str: ...


C = TypeVar("C", bound=Constraint)


def is_blank_node(term: object) -> bool:
    return isinstance(term, ox.BlankNode)


def sparql_violations(constraints: Sequence[C], quads: list[ox.Quad],
                      context: list[tuple[str, str, str]]) -> Iterator[tuple[C, dict[str, str]]]:
    """(constraint, bindings as written) for every row of a constraint's query whose ?this
    is one of its focus nodes. Bindings map variable names to the terms' lexical values."""
    if not constraints:
        return
    store = _staged(quads, context)
    for constraint in constraints:
        focus = _focus_nodes(store, constraint.targets)
        if not focus:
            continue
        results = store.query(constraint.query)
        assert isinstance(results, ox.QuerySolutions)  # the shapes' queries are SELECTs
        names = [v.value for v in results.variables]
        for row in results:
            bound = {n: row[n] for n in names if row[n] is not None}
            if bound.get("this") in focus:
                yield constraint, {k: _lexical(v) for k, v in _as_written(bound, quads).items()}


def _lexical(term: Term) -> str:
    return str(term) if isinstance(term, ox.Triple) else term.value


def _staged(quads: list[ox.Quad], context: list[tuple[str, str, str]]) -> ox.Store:
    """An in-memory store of the new data and its context (default graph)."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    if context:
        store.load("\n".join(f"{s} {p} {o} ." for s, p, o in context).encode(),
                   format=ox.RdfFormat.N_TRIPLES)
    return store


def _focus_nodes(store: ox.Store, targets: tuple[tuple[str, str], ...]) -> set[Term]:
    # The target IRIs come from the shapes file (trusted, parsed IRIs), not from a request.
    parts = []
    for kind, iri in targets:
        if kind == "targetClass":
            parts.append(f"{{ ?this a/<{RDFS.subClassOf}>* <{iri}> }}")
        elif kind == "targetSubjectsOf":
            parts.append(f"{{ ?this <{iri}> ?any }}")
        elif kind == "targetObjectsOf":
            parts.append(f"{{ ?any <{iri}> ?this }}")
        else:
            parts.append(f"{{ VALUES ?this {{ <{iri}> }} }}")
    text = "SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " }"
    results = store.query(text)
    assert isinstance(results, ox.QuerySolutions)
    return {row["this"] for row in results}


def _as_written(bound: dict[str, Term], quads: list[ox.Quad]) -> dict[str, Term]:
    """The store keeps literals canonical (900.0 becomes 900); messages quote them as the
    data wrote them, found among the statements of the resources the row names."""
    literals = {k: v for k, v in bound.items() if isinstance(v, ox.Literal)}
    if not literals:
        return bound
    nodes = {v for v in bound.values() if not isinstance(v, ox.Literal)}
    written = [q.object for q in quads if q.subject in nodes and isinstance(q.object, ox.Literal)]
    out = dict(bound)
    for name, value in literals.items():
        out[name] = next((w for w in written if _same_value(w, value)), value)
    return out


def _same_value(a: ox.Literal, b: ox.Literal) -> bool:
    if a.datatype != b.datatype or a.language != b.language:
        return False
    if a.value == b.value:
        return True
    try:
        return Decimal(a.value) == Decimal(b.value)
    except InvalidOperation:
        return False
