"""SHACL validation in Rust: pyrudof's native engine for SHACL Core, Oxigraph for the
shapes' SPARQL-based constraints (which pyrudof does not run).

pySHACL took 53 s on 116k triples where pyrudof's engine took 1.9 s and found the same
violations (FINDINGS.md). pyrudof's time grows faster than the data (16x for 10x), so
large inputs are validated in chunks of whole resources, each with the types of what it
points to: the shapes only look at a resource's own statements and the types and
hierarchy of its values (see the header of ontology/shapes.ttl), so the verdicts are those
of one pass. Shapes using anything outside `SUPPORTED` are left to pySHACL (validate.py).
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS

from .errors import Problem
from .store.shacl_sparql import is_blank_node, sparql_violations

__all__ = ["FastShapes", "fast_shapes"]

CHUNK_TRIPLES = 50_000

# SHACL terms pyrudof 0.3.35's native engine was checked against pySHACL on (tests/
# test_validation_engines.py), plus sh:sparql, which runs here in Oxigraph.
_SUPPORTED_NAMES = (
    "targetClass targetNode targetSubjectsOf targetObjectsOf property path minCount maxCount "
    "class datatype nodeKind node or and not xone in hasValue pattern flags minInclusive "
    "maxInclusive minExclusive maxExclusive minLength maxLength lessThan lessThanOrEquals "
    "equals disjoint uniqueLang languageIn qualifiedValueShape qualifiedMinCount "
    "qualifiedMaxCount closed ignoredProperties message severity name description order "
    "group sparql select prefixes declare prefix namespace")
SUPPORTED = {SH[name] for name in _SUPPORTED_NAMES.split()}
_TYPED = (str(RDF.type), str(SKOS.broader), str(RDFS.subClassOf))
_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"(@[A-Za-z-]+)?')
_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")


@dataclass(frozen=True)
class SparqlConstraint:
    targets: tuple[tuple[str, str], ...]      # (kind, IRI): targetClass, targetSubjectsOf...
    query: str                                # with $this as ?this, prefixes declared
    message: str


class FastShapes:
    """One shapes file, ready for pyrudof (one engine per thread) and Oxigraph."""

    def __init__(self, shapes: Graph, source: tuple[str, float] | None = None) -> None:
        self.source = source      # (path, mtime): how a worker process finds the same shapes
        self.expressible = _expressible(shapes)
        self.messages = {str(s): str(m) for s, m in shapes.subject_objects(SH.message)
                         if isinstance(s, URIRef)}
        # pyrudof quotes the shape's message in its own without escaping inner quotes, so
        # it is found by looking for each message the shapes write (longest first).
        self.written = sorted({(str(m), m.language or "") for m in
                               shapes.objects(None, SH.message)}, key=lambda m: -len(m[0]))
        self.by_component = _messages_by_component(shapes)
        self.constraints = [_constraint(shapes, shape, node)
                            for shape, node in shapes.subject_objects(SH.sparql)]
        core = Graph()
        for triple in shapes:
            core.add(triple)
        for shape, node in list(core.subject_objects(SH.sparql)):
            core.remove((shape, SH.sparql, node))
        self._turtle = core.serialize(format="turtle")
        self._local = threading.local()

    def _rudof(self):
        engine = getattr(self._local, "rudof", None)
        if engine is None:
            import pyrudof

            engine = pyrudof.Rudof(pyrudof.RudofConfig())
            engine.read_shacl(self._turtle)
            self._local.rudof = engine
        return engine

    def validate(self, quads: list, context: list[tuple[str, str, str]]) -> list[Problem]:
        """Violations of the new `quads`, given `context`: N-Triples lines (subject,
        predicate, object) of the types and hierarchy of what they reference."""
        types = defaultdict(list)
        for q in quads:
            if q.predicate.value in _TYPED:
                types[str(q.subject)].append((str(q.subject), str(q.predicate), str(q.object)))
        for triple in context:
            types[triple[0]].append(triple)
        texts = [_ntriples(chunk, types) for chunk in _chunks(quads)]
        problems = self._all_problems(texts, quads, context)
        unique = {(p.focus_node, p.path, p.message, tuple(p.extra.items())): p for p in problems}
        return sorted(unique.values(), key=lambda p: (p.focus_node or "", p.path or "",
                                                      p.message))

    def _all_problems(self, texts: list[str], quads: list, context: list) -> list[Problem]:
        """pyrudof over every chunk, in worker processes where there are cores for them,
        while this process runs the SPARQL constraints. pyrudof holds the GIL (two threads
        took as long as one), and it was most of a validated 1M load's time (30 of 55 s
        validating, cProfile)."""
        workers = min(len(texts), _cores())
        if workers < 2 or self.source is None:
            return [p for text in texts for p in self._core(text)] + self._sparql(quads, context)
        # forkserver: the loading process runs RocksDB's threads, which fork would copy.
        with ProcessPoolExecutor(workers, mp_context=get_context("forkserver")) as pool:
            found = pool.map(_core_in_worker, [self.source] * len(texts), texts)
            problems = self._sparql(quads, context)
            return problems + [p for chunk in found for p in chunk]

    def _core(self, text: str) -> list[Problem]:
        import pyrudof

        engine = self._rudof()
        engine.reset_data()
        engine.read_data(text, format=pyrudof.RDFFormat.NTriples)
        return [self._problem(e) for e in engine.validate_shacl()
                if str(e.severity).endswith("Violation")]

    def _problem(self, entry) -> Problem:
        raw = entry.message or ""
        written = next((text for text, lang in self.written
                        if f'"{text}"@{lang}' in raw or f'"{text}"' == raw), None)
        literals = _LITERAL.findall(raw)
        message = (written or self.messages.get(str(entry.source_shape or ""))
                   or self.by_component.get((entry.path, str(entry.constraint_component)))
                   or (_unescape(literals[0][0]) if literals else "constraint violated"))
        value = entry.value
        return Problem(message=message, focus_node=_node(entry.focus_node),
                       path=entry.path or None, severity="violation",
                       extra={} if value is None else {"value": _node(value)})

    def _sparql(self, quads: list, context: list) -> list[Problem]:
        return [_sparql_problem(constraint, bound) for constraint, bound
                in sparql_violations(self.constraints, quads, context)]


def _sparql_problem(constraint: SparqlConstraint, bound: dict) -> Problem:
    def fill(match):
        return bound.get(match.group(1), "")

    this = bound["this"]
    return Problem(message=_PLACEHOLDER.sub(fill, constraint.message),
                   focus_node=this, path=None, severity="violation",
                   extra={"value": bound.get("value", this)})


def _messages_by_component(shapes: Graph) -> dict[tuple[str, str], str]:
    """(path, constraint component) -> the message of the one property shape that has both:
    pyrudof leaves some shapes' messages out of its report (sh:lessThanOrEquals)."""
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for shape, message in shapes.subject_objects(SH.message):
        path = shapes.value(shape, SH.path)
        for parameter in set(shapes.predicates(shape)) - {SH.path, SH.message}:
            if str(parameter).startswith(str(SH)) and path is not None:
                name = str(parameter)[len(str(SH)):]
                component = f"{SH}{name[0].upper()}{name[1:]}ConstraintComponent"
                found[(str(path), component)].add(str(message))
    return {key: next(iter(texts)) for key, texts in found.items() if len(texts) == 1}


def _constraint(shapes: Graph, shape, node) -> SparqlConstraint:
    targets = tuple((kind, str(iri)) for kind in
                    ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode")
                    for iri in shapes.objects(shape, SH[kind]))
    prefixes = []
    for ontology in shapes.objects(node, SH.prefixes):
        for declaration in shapes.objects(ontology, SH.declare):
            prefixes.append(f"PREFIX {shapes.value(declaration, SH.prefix)}: "
                            f"<{shapes.value(declaration, SH.namespace)}>")
    select = str(shapes.value(node, SH.select)).replace("$this", "?this")
    message = str(shapes.value(node, SH.message) or shapes.value(shape, SH.message)
                  or "SPARQL constraint violated")
    return SparqlConstraint(targets, "\n".join([*prefixes, select]), message)


def _expressible(shapes: Graph) -> bool:
    used = {p for p in shapes.predicates() if str(p).startswith(str(SH))}
    if used - SUPPORTED:
        return False
    # A SPARQL constraint needs explicit targets here (no implicit class targets).
    return all(any(shapes.objects(s, SH[k]) for k in ("targetClass", "targetSubjectsOf",
                                                      "targetObjectsOf", "targetNode"))
               and shapes.value(n, SH.select) is not None
               for s, n in shapes.subject_objects(SH.sparql))


def _cores() -> int:
    return len(os.sched_getaffinity(0))


def _core_in_worker(source: tuple[str, float], text: str) -> list[Problem]:
    return _cached(*source)._core(text)


def _ntriples(chunk: list, types: dict) -> str:
    """The chunk and the closure of its types, as N-Triples for pyrudof."""
    lines = [f"{q.subject} {q.predicate} {q.object} ." for q in chunk]
    lines += [f"{s} {p} {o} ." for s, p, o in _closure(chunk, types)]
    return "\n".join(lines)


def _closure(chunk: list, types: dict) -> list[tuple[str, str, str]]:
    """Type, broader and subclass statements of everything the chunk names, followed
    through (a value's type, that type's superclasses...), as one pass would see them."""
    queue = list({str(q.subject) for q in chunk} | {str(q.object) for q in chunk})
    seen, out = set(queue), []
    while queue:
        for triple in types.get(queue.pop(), ()):
            out.append(triple)
            if triple[2] not in seen:
                seen.add(triple[2])
                queue.append(triple[2])
    return out


def _chunks(quads: list):
    """Whole resources (a blank node with the resource that points to it), about
    CHUNK_TRIPLES triples a chunk."""
    owner = {}
    for q in quads:
        if is_blank_node(q.object):
            owner.setdefault(q.object, q.subject)
    by_root = defaultdict(list)
    for q in quads:
        by_root[_root(q.subject, owner)].append(q)
    chunk = []
    for group in by_root.values():
        chunk.extend(group)
        if len(chunk) >= CHUNK_TRIPLES:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _root(node, owner: dict):
    seen = set()
    while is_blank_node(node) and node in owner and node not in seen:
        seen.add(node)
        node = owner[node]
    return node


def _node(text) -> str | None:
    """pyrudof writes IRIs bare or in <>, literals as "text"^^type: the text, as pySHACL."""
    if text is None:
        return None
    text = str(text)
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    literal = _LITERAL.match(text)
    return _unescape(literal.group(1)) if literal else text


def _unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\\\", "\\")


@functools.lru_cache(maxsize=4)
def _cached(path: str, _mtime: float) -> FastShapes:
    return FastShapes(Graph().parse(path, format="turtle"), source=(path, _mtime))


def fast_shapes(path: Path) -> FastShapes | None:
    """The shapes file ready for the fast engine, or None if pyrudof is not installed."""
    try:
        import pyrudof  # noqa: F401
    except ImportError:
        return None
    return _cached(str(path), path.stat().st_mtime)

