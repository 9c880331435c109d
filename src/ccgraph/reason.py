"""OWL reasoning: a HermiT consistency proof and the materialisation of inferred triples.

The only module that imports owlready2, and only inside a worker process: owlready2
runs Java through `subprocess` with no timeout, so the whole owlready2 + HermiT run
happens in a child process of its own session, and a deadline kills that session
(Python and Java together).

How to call (the CLI's `ccgraph reason [--check]` wraps exactly this):

    from ccgraph.reason import check, materialise
    report = check([ontology_graph, data_graph], timeout=120)   # -> ReasonReport
    print(report.summary())                    # consistent, unsatisfiable classes, seconds
    inferred = materialise([ontology_graph, data_graph])   # -> rdflib.Graph (rules only)
    inferred = materialise([ontology_graph, data_graph], hermit=True, timeout=600)  # + HermiT
    # store `inferred` (only NEW triples) in the named graph namespaces.INFERRED_GRAPH

`check` raises `InconsistentOntology` (naming the offending individuals and
classes it can find), `ReasonerTimeout` past the deadline, `ReasonerUnavailable`
without Java, `ReasonerFailed` when HermiT itself fails, and `BadRequest` for
`owl:imports` when called with `imports="refuse"` (the default, "strip", drops
them and lists them in the report). Nothing is ever fetched from the network.

`materialise` returns, without any triple already in the input, what a Python
rule set computes to a fixpoint: types from rdfs:subClassOf, owl:equivalentClass
(named classes), rdfs:domain and rdfs:range; rdfs:subPropertyOf; owl:inverseOf;
owl:SymmetricProperty; owl:TransitiveProperty; owl:propertyChainAxiom; and the
SKOS axioms broader -> broaderTransitive (transitive), narrower inverse of broader.
With `hermit=True` it first adds the types HermiT realises (defined classes,
class expressions); on the ccgraph ontology that added nothing the rules had not
found, at 20-150x the time (docs/reasoning.md), so it is off by default.
Only facts about individuals are returned, never TBox axioms. `materialise` proves
nothing about consistency (unless HermiT runs): call `check` first.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

from .errors import BadRequest, CCGraphError, EngineCrashed, QueryTimeout
from .namespaces import OWL, RDF, RDFS, SKOS, XSD
from .store.terms import write_ntriples

__all__ = [
    "DEFAULT_TIMEOUT", "InconsistentOntology", "ReasonReport", "ReasonerFailed",
    "ReasonerTimeout", "ReasonerUnavailable", "check", "java_available", "materialise",
]

DEFAULT_TIMEOUT = 300.0
JAVA_MEMORY_MB = 2000

# Axioms of the SKOS vocabulary itself that the closure uses (from the SKOS RDF schema).
SKOS_AXIOMS = [
    (SKOS.broader, RDFS.subPropertyOf, SKOS.broaderTransitive),
    (SKOS.narrower, RDFS.subPropertyOf, SKOS.narrowerTransitive),
    (SKOS.broaderTransitive, RDF.type, OWL.TransitiveProperty),
    (SKOS.narrowerTransitive, RDF.type, OWL.TransitiveProperty),
    (SKOS.narrower, OWL.inverseOf, SKOS.broader),
    (SKOS.narrowerTransitive, OWL.inverseOf, SKOS.broaderTransitive),
]

# What makes a triple part of the schema, for the rules and for the TBox-only check.
SCHEMA_PREDICATES = {
    RDFS.subClassOf, OWL.equivalentClass, RDFS.subPropertyOf, OWL.equivalentProperty,
    OWL.inverseOf, RDFS.domain, RDFS.range, OWL.propertyChainAxiom, OWL.disjointWith,
    OWL.members, RDF.first, RDF.rest,
}
SCHEMA_TYPES = {
    OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
    RDF.Property, OWL.Ontology, OWL.AllDisjointClasses, OWL.Restriction, RDFS.Datatype,
    OWL.TransitiveProperty, OWL.SymmetricProperty, OWL.FunctionalProperty,
    OWL.InverseFunctionalProperty,
}

# Types that say nothing a consumer can use.
TRIVIAL_TYPES = {OWL.Thing, OWL.NamedIndividual, RDFS.Resource}


class InconsistentOntology(CCGraphError):
    status = 422
    code = "inconsistent_ontology"


class ReasonerTimeout(QueryTimeout):
    code = "reasoner_timeout"


class ReasonerUnavailable(CCGraphError):
    status = 503
    code = "reasoner_unavailable"


class ReasonerFailed(EngineCrashed):
    code = "reasoner_failed"


@dataclass
class ReasonReport:
    consistent: bool
    unsatisfiable: list[str]
    triples: int
    seconds: float
    reasoner: str = "HermiT (owlready2)"
    imports_ignored: list[str] = field(default_factory=list)
    datatypes_ignored: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable

    def summary(self) -> str:
        lines = [f"{self.reasoner}: {'consistent' if self.consistent else 'INCONSISTENT'}, "
                 f"{self.triples} triples, {self.seconds:.1f} s"]
        lines += [f"  unsatisfiable class <{c}>" for c in self.unsatisfiable]
        lines += [f"  owl:imports <{i}> ignored (never fetched)" for i in self.imports_ignored]
        lines += [f"  literals of <{d}> treated as opaque (not an OWL 2 datatype)"
                  for d in self.datatypes_ignored]
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {**self.__dict__, "ok": self.ok}


def java_available() -> bool:
    return shutil.which("java") is not None


# ---------------------------------------------------------------- public API

def check(graphs: Graph | Iterable[Graph], timeout: float = DEFAULT_TIMEOUT, *,
          imports: str = "strip") -> ReasonReport:
    """Prove consistency with HermiT; list unsatisfiable classes.

    Raises InconsistentOntology (with `details["individuals"]`/`["classes"]`); finding
    those takes a second HermiT run on the TBox alone, with the same timeout.
    """
    given, ignored = _collect(graphs, imports)
    started = time.monotonic()
    result = _run_worker(given, timeout, infer=False)
    seconds = time.monotonic() - started
    if not result["consistent"]:
        raise _inconsistency(given, timeout)
    return ReasonReport(True, result["unsatisfiable"], len(given), seconds,
                        imports_ignored=ignored, datatypes_ignored=_non_owl2_datatypes(given))


def materialise(graphs: Graph | Iterable[Graph], timeout: float = DEFAULT_TIMEOUT, *,
                hermit: bool = False, imports: str = "strip") -> Graph:
    """The NEW triples entailed by the ontology + data (see the module docstring).

    `timeout` bounds the HermiT run only; the Python rules run in process.
    """
    given, _ = _collect(graphs, imports)
    extra: set = set()
    if hermit:
        result = _run_worker(given, timeout, infer=True)
        if not result["consistent"]:
            raise _inconsistency(given, timeout)
        inferred = Graph().parse(data=result["inferred"], format="nt")
        inferred.remove((None, RDF.type, OWL.Ontology))  # owlready2's container, not a fact
        extra = set(inferred)
    return _new_abox_triples(given, closure(given | extra))


# ---------------------------------------------------------------- input preparation

def _collect(graphs: Graph | Iterable[Graph], imports: str) -> tuple[set, list[str]]:
    """Every triple once, without owl:imports, so nothing can reach the network.

    A set, not a merged rdflib Graph: building one costs more than the reasoning rules.
    """
    if imports not in ("strip", "refuse"):
        raise BadRequest(f"imports must be 'strip' or 'refuse', not {imports!r}")
    triples: set = set()
    for g in [graphs] if isinstance(graphs, Graph) else graphs:
        triples.update(g)
    found = sorted({str(o) for _, p, o in triples if p == OWL.imports})
    if found and imports == "refuse":
        raise BadRequest("owl:imports is not followed; merge the imported ontology instead",
                         imports=found)
    return {t for t in triples if t[1] != OWL.imports}, found


_OWL2_DATATYPES = {
    *(XSD[n] for n in (
        "decimal", "integer", "nonNegativeInteger", "nonPositiveInteger", "positiveInteger",
        "negativeInteger", "long", "int", "short", "byte", "unsignedLong", "unsignedInt",
        "unsignedShort", "unsignedByte", "double", "float", "string", "normalizedString", "token",
        "language", "Name", "NCName", "NMTOKEN", "boolean", "hexBinary", "base64Binary",
        "anyURI", "dateTime", "dateTimeStamp")),
    OWL.real, OWL.rational, RDF.PlainLiteral, RDF.XMLLiteral, RDFS.Literal, RDF.langString,
}


def _non_owl2_datatypes(triples: set) -> list[str]:
    found = {o.datatype for _, _, o in triples if isinstance(o, Literal) and o.datatype}
    return sorted(str(d) for d in found - _OWL2_DATATYPES)


# ---------------------------------------------------------------- the worker process

def _run_worker(triples: set, timeout: float, infer: bool) -> dict:
    """Run owlready2 + HermiT on `triples` in a killable child process; its JSON result."""
    if not java_available():
        raise ReasonerUnavailable("HermiT needs Java, and no `java` is on PATH")
    with tempfile.TemporaryDirectory(prefix="ccgraph-reason-") as tmp:
        source, output = Path(tmp, "input.nt"), Path(tmp, "result.json")
        _write_ntriples(triples, source)
        command = [sys.executable, "-m", "ccgraph.reason", str(source), str(output),
                   "infer" if infer else "check", str(JAVA_MEMORY_MB)]
        _run_killable(command, timeout, cwd=tmp)
        return json.loads(output.read_text(encoding="utf-8"))


def _write_ntriples(triples: set, path: Path) -> None:
    try:
        write_ntriples(triples, path)
    except ValueError as error:  # an IRI that rdflib let through but RDF does not allow
        raise BadRequest(f"cannot pass the data to the reasoner: {error}") from None


def _run_killable(command: list[str], timeout: float, cwd: str) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(Path(__file__).resolve().parents[1]), os.environ.get("PYTHONPATH")]))}
    # A session of its own, so one killpg reaches Java, which owlready2 starts as a grandchild.
    with subprocess.Popen(command, cwd=cwd, env=env, start_new_session=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT) as proc:
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise ReasonerTimeout(f"reasoning did not finish within {timeout:g} s and was "
                                  "stopped", timeout=timeout, pid=proc.pid) from None
        if proc.returncode != 0:
            _kill_group(proc)  # a worker that died may leave its Java behind
            text = _error_text(out.decode("utf-8", "replace"))
            raise ReasonerFailed(f"the reasoner failed (exit {proc.returncode}): {text}")


def _error_text(output: str) -> str:
    """The Java or Python exception line(s), not a page of stack trace."""
    lines = [x for x in output.splitlines() if "Error" in x or "Exception" in x]
    return "\n".join(lines[-3:]) or output[-2000:]


def _kill_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()  # reap the worker and close its pipe


def _worker(source: str, output: str, mode: str, memory_mb: str) -> None:
    """Child-process side: N-Triples in, HermiT, JSON out."""
    _forbid_network()
    run = _realise if mode == "infer" else _prove_consistent
    Path(output).write_text(json.dumps(run(source, int(memory_mb))), encoding="utf-8")


def _prove_consistent(source: str, memory_mb: int) -> dict:
    """HermiT's own command line on owlready2's bundled jar: consistency (-k) and the
    unsatisfiable classes (-U). owlready2's sync_reasoner always realises every
    individual as well (-I), which took 237 s instead of a few on 100k triples."""
    import owlready2  # only the worker needs it (and Java)
    import owlready2.reasoning

    # --ignoreUnsupportedDatatypes: xsd:date, xsd:gYear... are outside the OWL 2
    # datatype map, and HermiT refuses the whole input over them otherwise.
    command = [owlready2.JAVA_EXE, f"-Xmx{memory_mb}M", "-cp",
               owlready2.reasoning._HERMIT_CLASSPATH, "org.semanticweb.HermiT.cli.CommandLine",
               "-N", "-k", "-U", "--ignoreUnsupportedDatatypes", Path(source).resolve().as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode == 1 and "InconsistentOntologyException" in done.stderr:
        return {"consistent": False, "unsatisfiable": []}
    if done.returncode != 0:
        raise SystemExit(f"HermiT failed: {_error_text(done.stderr + done.stdout)}")
    listed = [line.strip() for line in done.stdout.splitlines() if line.startswith("\t")]
    return {"consistent": True, "unsatisfiable": sorted(set(listed) - {str(OWL.Nothing)})}


def _realise(source: str, memory_mb: int) -> dict:
    """owlready2's HermiT run in a fresh World: classification and every individual's types."""
    import owlready2
    import owlready2.reasoning

    owlready2.reasoning.JAVA_MEMORY = memory_mb
    world = owlready2.World()  # never the default world: no state shared between runs
    with open(source, "rb") as f:
        world.get_ontology("urn:ccgraph:reasoning-input").load(fileobj=f, format="ntriples")
    inferred = world.get_ontology("urn:ccgraph:hermit-inferred")
    try:
        with inferred:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0,
                                           ignore_unsupported_datatypes=True)
    except owlready2.OwlReadyInconsistentOntologyError:
        return {"consistent": False, "unsatisfiable": [], "inferred": ""}
    unsatisfiable = sorted(c.iri for c in world.inconsistent_classes()
                           if c is not owlready2.Nothing)
    return {"consistent": True, "unsatisfiable": unsatisfiable, "inferred": _ntriples(inferred)}


def _ntriples(ontology) -> str:
    import io

    buffer = io.BytesIO()
    ontology.save(buffer, format="ntriples")
    return buffer.getvalue().decode("utf-8")


def _forbid_network() -> None:
    """The worker never needs a socket; make any attempt (an import, a DTD) fail loudly."""
    import socket

    def refuse(*_args, **_kwargs):
        raise OSError("ccgraph.reason: network access is disabled while reasoning")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.create_connection = refuse  # type: ignore[assignment]


# ---------------------------------------------------------------- explaining inconsistency

def _inconsistency(given: set, timeout: float) -> InconsistentOntology:
    """Name what can be named: individuals in disjoint classes (after the closure) and
    individuals typed with a class that is unsatisfiable in the TBox alone."""
    facts = closure(given)
    individuals, classes = _disjoint_members(_schema_graph(given), facts)
    try:
        empty = _run_worker(_tbox(given), timeout, infer=False)["unsatisfiable"]
    except CCGraphError:
        empty = []
    for cls in map(URIRef, empty):
        members = {str(s) for s, types in facts.types.items() if cls in types}
        individuals |= members
        classes |= {str(cls)} if members else set()
    found = (f": {len(individuals)} individual(s), e.g. <{min(individuals)}>"
             if individuals else "; the offending axioms could not be localised")
    return InconsistentOntology(f"HermiT found the ontology and data inconsistent{found}",
                                individuals=sorted(individuals)[:100],
                                classes=sorted(classes)[:100])


def _disjoint_pairs(schema: Graph) -> set[tuple[URIRef, URIRef]]:
    pairs = {(a, b) for a, b in schema.subject_objects(OWL.disjointWith)}
    for group in schema.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(Collection(schema, schema.value(group, OWL.members)))
        pairs |= {(a, b) for a in members for b in members if a != b}
    return {p for p in pairs if all(isinstance(c, URIRef) for c in p)}


def _disjoint_members(schema: Graph, facts: _Facts) -> tuple[set[str], set[str]]:
    individuals, classes = set(), set()
    for a, b in _disjoint_pairs(schema):
        both = {s for s, types in facts.types.items() if a in types and b in types}
        if both:
            individuals |= {str(x) for x in both}
            classes |= {str(a), str(b)}
    return individuals, classes


def _tbox(given: set) -> set:
    """Schema triples only: subjects that are classes, properties, restrictions, lists."""
    keep = {s for s, p, o in given if p == RDF.type and o in SCHEMA_TYPES}
    return {t for t in given if t[0] in keep or isinstance(t[0], BNode)}


# ---------------------------------------------------------------- the Python closure

@dataclass
class _Schema:
    supers: dict = field(default_factory=lambda: defaultdict(set))        # class -> superclasses
    super_props: dict = field(default_factory=lambda: defaultdict(set))   # prop -> superprops
    inverse: dict = field(default_factory=lambda: defaultdict(set))
    domain: dict = field(default_factory=lambda: defaultdict(set))
    range: dict = field(default_factory=lambda: defaultdict(set))
    symmetric: set = field(default_factory=set)
    transitive: set = field(default_factory=set)
    chains: list = field(default_factory=list)                             # (prop, [p1, p2..])


def _reflexive_transitive(edges: dict) -> dict:
    closed = defaultdict(set)
    for start in list(edges):
        stack, seen = [start], set()
        while stack:
            for nxt in edges.get(stack.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        closed[start] = seen
    return closed


def _schema(graph: Graph) -> _Schema:
    """The axioms the rules use, read from the small schema graph."""
    sc, sp = defaultdict(set), defaultdict(set)
    for a, b in graph.subject_objects(RDFS.subClassOf):
        sc[a].add(b)
    for a, b in graph.subject_objects(OWL.equivalentClass):
        sc[a].add(b)
        sc[b].add(a)
    for a, b in graph.subject_objects(RDFS.subPropertyOf):
        sp[a].add(b)
    for a, b in graph.subject_objects(OWL.equivalentProperty):
        sp[a].add(b)
        sp[b].add(a)
    schema = _Schema(supers=_reflexive_transitive(sc), super_props=_reflexive_transitive(sp))
    for a, b in graph.subject_objects(OWL.inverseOf):
        schema.inverse[a].add(b)
        schema.inverse[b].add(a)
    for p, c in graph.subject_objects(RDFS.domain):
        schema.domain[p].add(c)
    for p, c in graph.subject_objects(RDFS.range):
        schema.range[p].add(c)
    schema.symmetric = set(graph.subjects(RDF.type, OWL.SymmetricProperty))
    schema.transitive = set(graph.subjects(RDF.type, OWL.TransitiveProperty))
    for p, head in graph.subject_objects(OWL.propertyChainAxiom):
        schema.chains.append((p, list(Collection(graph, head))))
    return schema


class _Facts:
    """Object-property assertions by predicate, and types by individual."""

    def __init__(self, triples: Iterable) -> None:
        self.edges: dict = defaultdict(set)
        self.types: dict = defaultdict(set)
        self.with_literal: dict = defaultdict(set)  # datatype property -> subjects (for domains)
        for s, p, o in triples:
            if p == RDF.type:
                self.types[s].add(o)
            elif isinstance(o, Literal):
                self.with_literal[p].add(s)
            else:
                self.edges[p].add((s, o))

    def add_edges(self, p, pairs: Iterable) -> bool:
        before = len(self.edges[p])
        self.edges[p] |= set(pairs)
        return len(self.edges[p]) > before

    def triples(self) -> Iterator[tuple]:
        for p, pairs in self.edges.items():
            for s, o in pairs:
                yield s, p, o
        for s, classes in self.types.items():
            for c in classes:
                yield s, RDF.type, c


def _schema_graph(given: set) -> Graph:
    """The few triples the rules read axioms from (a Graph, for rdf:List traversal)."""
    g = Graph()
    for t in given:
        if t[1] in SCHEMA_PREDICATES or (t[1] == RDF.type and t[2] in SCHEMA_TYPES):
            g.add(t)
    for axiom in SKOS_AXIOMS:
        g.add(axiom)
    return g


def closure(given: set) -> _Facts:
    """Everything the Python rule set entails from `given` (a fixpoint), as facts."""
    schema, facts = _schema(_schema_graph(given)), _Facts(given)
    while _property_rules(schema, facts):
        pass
    _type_rules(schema, facts)
    return facts


def _property_rules(schema: _Schema, facts: _Facts) -> bool:
    changed = False
    for p in list(facts.edges):
        pairs = facts.edges[p]
        for q in schema.super_props.get(p, ()):
            changed |= facts.add_edges(q, pairs)
        for q in schema.inverse.get(p, ()):
            changed |= facts.add_edges(q, {(o, s) for s, o in pairs})
        if p in schema.symmetric:
            changed |= facts.add_edges(p, {(o, s) for s, o in pairs})
    for p in schema.transitive:
        changed |= facts.add_edges(p, _transitive_pairs(facts.edges.get(p, set())))
    for p, chain in schema.chains:
        changed |= facts.add_edges(p, _chain_pairs([facts.edges.get(q, set()) for q in chain]))
    return changed


def _transitive_pairs(pairs: set) -> set:
    succ = defaultdict(set)
    for s, o in pairs:
        succ[s].add(o)
    reach = _reflexive_transitive(succ)
    return {(s, o) for s, targets in reach.items() for o in targets}


def _chain_pairs(steps: list[set]) -> set:
    current = steps[0] if steps else set()
    for step in steps[1:]:
        succ = defaultdict(set)
        for s, o in step:
            succ[s].add(o)
        current = {(s, z) for s, o in current for z in succ.get(o, ())}
    return current


def _type_rules(schema: _Schema, facts: _Facts) -> None:
    for p, subjects in facts.with_literal.items():
        for c in schema.domain.get(p, ()):
            for s in subjects:
                facts.types[s].add(c)
    for p, pairs in facts.edges.items():
        for c in schema.domain.get(p, ()):
            for s, _ in pairs:
                facts.types[s].add(c)
        for c in schema.range.get(p, ()):
            for _, o in pairs:
                facts.types[o].add(c)
    for individual, classes in facts.types.items():
        closed = set(classes)
        for c in classes:
            closed |= schema.supers.get(c, set())
        facts.types[individual] = closed


def _new_abox_triples(given: set, facts: _Facts) -> Graph:
    """Triples about individuals that `given` does not already hold."""
    schema_subjects = {s for s, p, o in given if p == RDF.type and o in SCHEMA_TYPES}
    schema_subjects |= {s for s, _, _ in SKOS_AXIOMS}
    new = Graph()
    for s, p, o in facts.triples():
        if isinstance(s, BNode) or isinstance(o, BNode) or s in schema_subjects:
            continue
        if p in SCHEMA_PREDICATES:  # e.g. a subsumption HermiT found: TBox, not a fact
            continue
        if (p == RDF.type and o in TRIVIAL_TYPES) or (s, p, o) in given:
            continue
        new.add((s, p, o))
    return new


if __name__ == "__main__":  # the worker: python -m ccgraph.reason INPUT.nt OUTPUT.json MODE MB
    _worker(*sys.argv[1:5])
