"""The shapes' SPARQL-based constraints (sh:sparql), run by Oxigraph over the new data.

pyrudof's engine does not run them (see shacl_fast.py). They live here because only the
store package imports pyoxigraph (issue 18): shacl_fast.py hands over the parsed quads and
N-Triples lines of their context and gets plain bindings back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox
from rdflib.namespace import RDFS

__all__ = ["is_blank_node", "sparql_violations"]


def is_blank_node(term) -> bool:
    return isinstance(term, ox.BlankNode)


def sparql_violations(constraints: Sequence, quads: list,
                      context: list[tuple[str, str, str]]) -> Iterable[tuple[object, dict]]:
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
        names = [v.value for v in results.variables]
        for row in results:
            bound = {n: row[n] for n in names if row[n] is not None}
            if bound.get("this") in focus:
                yield constraint, {k: v.value for k, v in _as_written(bound, quads).items()}


def _staged(quads: list, context: list[tuple[str, str, str]]) -> ox.Store:
    """An in-memory store of the new data and its context (default graph)."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    if context:
        store.load("\n".join(f"{s} {p} {o} ." for s, p, o in context).encode(),
                   format=ox.RdfFormat.N_TRIPLES)
    return store


def _focus_nodes(store: ox.Store, targets) -> set:
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
    return {row["this"] for row in store.query(text)}


def _as_written(bound: dict, quads: list) -> dict:
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
