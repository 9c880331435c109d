"""SHACL validation of new data, together with what it references in the store."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS

from .config import Settings
from .errors import InvalidData, Problem
from .rdfio import is_iri
from .store.terms import to_rdflib

# The engine of a caller that names none; callers with settings pass `settings.shacl_engine`.
DEFAULT_ENGINE = Settings.shacl_engine

__all__ = ["check_update", "referenced_facts", "validate_quads"]

_CHUNK = 2000


@functools.lru_cache(maxsize=4)
def _shapes(path: str, _mtime: float) -> Graph:
    return Graph().parse(path, format="turtle")


def load_shapes(path: Path) -> Graph | None:
    return _shapes(str(path), path.stat().st_mtime) if path.exists() else None


def to_graph(quads: Iterable) -> Graph:
    graph = Graph()
    add = graph.add
    for q in quads:
        add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return graph


def referenced_facts(store, quads: list) -> Graph:
    """Types, broader concepts and subclass links of resources the new data points to."""
    # Every IRI object, even one the new data also describes: its type may live elsewhere.
    targets = {q.object for q in quads if is_iri(q.object)}
    graph = Graph()
    ordered = sorted(t.value for t in targets)
    for start in range(0, len(ordered), _CHUNK):
        chunk = [URIRef(v) for v in ordered[start:start + _CHUNK]]
        for row in store.select(_REFERENCED, values={"x": chunk}, row_cap=10**9,
                                union_default=False):
            graph.add((row["x"], row["p"], row["o"]))
    return graph


# Every graph, whatever the default graph is (the stored one with the union off).
_REFERENCED = f"""SELECT DISTINCT ?x ?p ?o WHERE {{
  {{ ?x ?p ?o }} UNION {{ GRAPH ?g {{ ?x ?p ?o }} }}
  FILTER(?p IN (<{RDF.type}>, <{SKOS.broader}>, <{RDFS.subClassOf}>))
}}"""


def validate_quads(store, quads: list, shapes_path: Path, ontology_path: Path | None,
                   engine: str | None = None) -> None:
    """Raise InvalidData listing every violation (focus node, path, message).

    `engine`: "fast" (pyrudof and Oxigraph, see shacl_fast.py), "pyshacl", or "auto" (the
    setting; the default): the fast engine whenever it can express the shapes.
    """
    shapes = load_shapes(shapes_path)
    if shapes is None or not quads:
        return
    problems = _fast_problems(store, quads, shapes_path, ontology_path, engine)
    if problems is None:
        problems = _pyshacl_problems(store, quads, shapes, ontology_path)
    if problems:
        raise InvalidData(f"the data does not conform to the shapes ({len(problems)} problems)",
                          problems)


def _fast_problems(store, quads, shapes_path, ontology_path, engine) -> list[Problem] | None:
    """The fast engine's violations, or None where it does not apply."""
    if engine is None:  # a caller that names none gets the settings' default
        engine = DEFAULT_ENGINE
    if engine == "pyshacl":
        return None
    from .shacl_fast import fast_shapes

    shapes = fast_shapes(shapes_path)
    if shapes is None or not shapes.expressible:
        if engine == "fast":
            raise ValueError("the fast SHACL engine cannot run these shapes")
        return None
    context = [(r[0].n3(), r[1].n3(), r[2].n3()) for r in referenced_facts(store, quads)]
    if ontology_path and ontology_path.exists():
        hierarchy = _ontology_hierarchy(str(ontology_path), ontology_path.stat().st_mtime)
        context += [(s.n3(), p.n3(), o.n3()) for s, p, o in hierarchy]
    return shapes.validate(quads, context)


def _pyshacl_problems(store, quads, shapes, ontology_path) -> list[Problem]:
    import pyshacl  # slow to import; only loads need it

    data = to_graph(quads)
    data += referenced_facts(store, quads)
    if ontology_path and ontology_path.exists():
        data += _ontology_hierarchy(str(ontology_path), ontology_path.stat().st_mtime)
    conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", abort_on_first=False,
        allow_infos=True, allow_warnings=True, advanced=True)
    return [] if conforms else _problems(report)


@functools.lru_cache(maxsize=2)
def _ontology_hierarchy(path: str, _mtime: float) -> Graph:
    ontology = Graph().parse(path, format="turtle")
    hierarchy = Graph()
    for triple in ontology.triples((None, RDFS.subClassOf, None)):
        if isinstance(triple[2], URIRef):
            hierarchy.add(triple)
    return hierarchy


def _problems(report: Graph) -> list[Problem]:
    problems = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        if severity is not None and severity != SH.Violation:
            continue
        problems.append(Problem(
            message=str(report.value(result, SH.resultMessage) or "constraint violated"),
            focus_node=_str(report.value(result, SH.focusNode)),
            path=_str(report.value(result, SH.resultPath)),
            severity="violation",
            extra=_value(report.value(result, SH.value)),
        ))
    return sorted(problems, key=lambda p: (p.focus_node or "", p.path or "", p.message))


def _str(node) -> str | None:
    return None if node is None else str(node)


def _value(node) -> dict:
    return {} if node is None else {"value": str(node)}


def check_update(reader, statements: list, settings: Settings) -> None:
    """The one rule for SPARQL updates, as for loads: the resources an update changed are
    validated as they now are, in every graph (`statements`, as the store's update check
    gives them); InvalidData (and the writer's rollback) if they do not conform. Data that
    uses none of ccgraph's terms has no shapes to meet and is not read twice."""
    if not any(_ccgraph_term(q) for q in statements):
        return
    validate_quads(reader, statements, settings.shapes_path, settings.ontology_path,
                   settings.shacl_engine)


_CCG = "https://w3id.org/ccgraph/"


def _ccgraph_term(quad) -> bool:
    return quad.predicate.value.startswith(_CCG) or (
        quad.predicate.value == str(RDF.type) and quad.object.value.startswith(_CCG))
