"""Loading RDF: parse fully, validate, then commit atomically into named graphs.

One call is one transaction: every file is parsed and validated before anything
is written, and the write itself is journalled by the store, so a bad file or a
crash leaves what was stored untouched.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .config import Settings
from .errors import BadRequest, Forbidden, InvalidData, Problem
from .namespaces import GRAPH, INFERRED_GRAPH, META_GRAPH, VOID
from .provenance import graph_meta
from .rdfio import (
    FORMATS,
    decompress,
    detect_format,
    graph_of,
    is_blank,
    read_quads,
    screen,
    to_ntriples,
)
from .store.base import HIDDEN_GRAPHS, GraphWrite
from .store.terms import to_rdflib_triple

__all__ = ["LoadJob", "LoadReport", "Source", "apply_job", "default_graph_for", "load_files"]

RESERVED_GRAPHS = {str(META_GRAPH), str(INFERRED_GRAPH), *HIDDEN_GRAPHS}


@dataclass(frozen=True)
class Source:
    name: str
    data: bytes
    format: str | None = None
    graph: str | None = None          # target graph; None: derived from the name
    original: tuple[str, int] | None = None   # (sha256, bytes) of the file it was made from


@dataclass(frozen=True)
class LoadJob:
    sources: tuple[Source, ...]
    mode: str = "replace"             # replace or append
    validate: bool = True
    dry_run: bool = False
    flags: Mapping[str, object] = field(default_factory=dict)   # e.g. synthetic=True
    shapes_path: Path | None = None
    ontology_path: Path | None = None
    base_iri: str | None = None
    one_graph: bool = False           # the graph store: a named graph in the input is refused
    # The settings' SHACL engine; jobs run in engine processes, which read no environment.
    shacl_engine: str | None = None


@dataclass
class LoadReport:
    graphs: dict[str, int]            # graph IRI -> triples parsed into it
    files: list[dict]
    generation: int | None
    dry_run: bool
    validated: bool
    seconds: float

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())

    def to_dict(self) -> dict:
        return {"graphs": self.graphs, "files": self.files, "triples": self.triples,
                "generation": self.generation, "dry_run": self.dry_run,
                "validated": self.validated, "seconds": round(self.seconds, 3)}


def default_graph_for(name: str) -> str:
    """`data/seed/clustercoop.ttl.gz` -> https://w3id.org/ccgraph/graph/clustercoop"""
    stem = Path(name).name
    for suffix in (".gz", *(e for f in FORMATS.values() for e in f.extensions)):
        stem = stem.removesuffix(suffix)
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "data"
    return str(GRAPH[slug])


def _check_graph_iri(iri: str) -> str:
    if iri in RESERVED_GRAPHS:  # a valid request that policy refuses
        raise Forbidden(f"the graph {iri} is maintained by ccgraph and cannot be loaded into")
    if iri and not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$", iri):
        raise BadRequest(f"not an absolute IRI: {iri!r}")
    return iri


@dataclass
class _Parsed:
    graph: str
    quads: list
    files: list[dict]
    raw: list[tuple] = field(default_factory=list)   # inputs left to the bulk loader


def _describe(source: Source, data: bytes) -> dict:
    if source.original:
        return {"name": source.name, "sha256": source.original[0], "bytes": source.original[1]}
    return {"name": source.name, "sha256": hashlib.sha256(source.data).hexdigest(),
            "bytes": len(data)}


def _parse(source: Source, job: LoadJob, keep_quads: bool) -> list[_Parsed]:
    graph = _check_graph_iri(source.graph if source.graph is not None
                             else default_graph_for(source.name))
    data = decompress(source.name, source.data)
    info = detect_format(source.name, data[:4096], source.format)
    described = _describe(source, data)
    if not keep_quads and not info.datasets:
        screen(source.name, data, info)
        return [_Parsed(graph, [], [described], [(data, info.name, job.base_iri, source.name)])]
    quads = read_quads(source.name, data, info, base_iri=job.base_iri, graph=graph)
    if job.one_graph:
        _refuse_other_graphs(source.name, quads, graph)
    return _split_by_graph(quads, graph, described)


def _refuse_other_graphs(name: str, quads: list, target: str) -> None:
    other = next((g for g in map(graph_of, quads) if g != target), None)
    if other is not None:
        raise InvalidData(f"{name}: names the graph <{other}>; the graph store writes one "
                          "graph", [Problem(f"a named graph (<{other}>) in the input", file=name)])


def _split_by_graph(quads: list, graph: str, described: dict) -> list[_Parsed]:
    by_graph: dict[str, list] = {graph: []}
    for quad in quads:
        by_graph.setdefault(graph_of(quad), []).append(quad)
    for name in by_graph:
        _check_graph_iri(name)
    return [_Parsed(name, qs, [described]) for name, qs in by_graph.items()]


def _merge(parsed: Iterable[_Parsed]) -> dict[str, _Parsed]:
    """Inputs that target the same graph become one graph: an RDF set, so a triple
    stated by two files is stored once (and the union default graph shows it once)."""
    merged: dict[str, _Parsed] = {}
    for item in parsed:
        if item.graph in merged:
            merged[item.graph].quads.extend(item.quads)
            merged[item.graph].files.extend(item.files)
            merged[item.graph].raw.extend(item.raw)
        else:
            merged[item.graph] = item
    return merged


def apply_job(store, job: LoadJob) -> LoadReport:
    """Parse, validate and commit one load (runs next to the store: see run_exclusive)."""
    started = time.perf_counter()
    parsed = _merge(p for s in job.sources for p in _parse(s, job, keep_quads=job.validate))
    counts = {p.graph: len(set(p.quads)) for p in parsed.values() if not p.raw}
    if job.validate:
        _validate(store, job, [q for p in parsed.values() for q in p.quads])
        if not job.dry_run:
            parsed = to_bulk_loader(parsed)
    writes = [GraphWrite(graph=p.graph, triples=[to_rdflib_triple(q) for q in p.quads],
                         mode=job.mode, raw=tuple(p.raw),
                         meta=graph_meta(p.graph, p.files, job.mode, job.flags) if p.graph
                         else [])
              for p in parsed.values()]
    generation = None if job.dry_run else store.write(writes)
    unparsed = [g for g in parsed if g not in counts]   # left to the bulk loader unread
    if unparsed and generation is not None:
        counts.update(_counted(store, unparsed))
    files = [f for p in parsed.values() for f in p.files]
    return LoadReport(counts, files, generation, job.dry_run, job.validate,
                      time.perf_counter() - started)


BULK_QUADS = 100_000


def to_bulk_loader(parsed: dict[str, _Parsed], threshold: int | None = None) -> dict[str, _Parsed]:
    """A large validated load, handed to the store's bulk loader as N-Triples (one input per
    graph), as an unvalidated load is: the quads were kept only to be validated.

    Written as parsed quads, 1M validated triples went through the store's transactional
    inserts into the union merge (100k at a time, 5 s each) and the writer's final flush
    then waited forever in RocksDB (bench/load.py --validated-triples 1000000, 2026-12-05);
    the bulk loader's path (RocksDB ingestion) is the one unvalidated loads take at 10M.
    The data written is the data validated (serialised from the same quads). A blank node
    shared by two graphs stays on the quads path: the bulk loader renames blank nodes per
    input, which would split it in two.
    """
    threshold = BULK_QUADS if threshold is None else threshold
    if sum(len(p.quads) for p in parsed.values()) < threshold or _shared_blank_nodes(parsed):
        return parsed
    out = {}
    for graph, item in parsed.items():
        if not item.quads:
            out[graph] = item
            continue
        # N-Triples (one graph per item): the union merge can then parse the same bytes
        # straight into itself instead of reading the graph back (store/union.py)
        data = to_ntriples(item.quads)
        out[graph] = _Parsed(graph, [], item.files,
                             [*item.raw, (data, "ntriples", None, item.files[0]["name"])])
    return out


def _shared_blank_nodes(parsed: dict[str, _Parsed]) -> bool:
    seen: dict = {}
    for graph, item in parsed.items():
        for q in item.quads:
            for term in (q.subject, q.object):
                if is_blank(term) and seen.setdefault(term, graph) != graph:
                    return True
    return False


_RECORDED_COUNTS = f"SELECT ?g ?n WHERE {{ GRAPH <{META_GRAPH}> {{ ?g <{VOID.triples}> ?n }} }}"


def _counted(store, graphs: Sequence[str]) -> dict[str, int]:
    """Triples now in each graph ("" is the default graph) after a bulk load.

    Named graphs were counted by the store in the write itself (void:triples in the
    metadata graph); counting 1M triples again would cost a second.
    """
    from rdflib import URIRef

    named = [URIRef(g) for g in graphs if g]
    counts = {}
    if named:
        rows = store.select(_RECORDED_COUNTS, values={"g": named}, union_default=False)
        counts = {str(r["g"]): int(r["n"]) for r in rows}
    if "" in graphs:
        rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", union_default=False)
        counts[""] = int(rows[0]["n"])
    return {g: counts.get(g, 0) for g in graphs}


def _validate(store, job: LoadJob, quads: list) -> None:
    from .validate import validate_quads

    settings = Settings()
    validate_quads(store, quads, job.shapes_path or settings.shapes_path,
                   job.ontology_path or settings.ontology_path, job.shacl_engine)


def read_sources(paths: Sequence[str | Path], graph: str | None, fmt: str | None) -> list[Source]:
    sources = []
    for path in paths:
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InvalidData(f"cannot read {path}",
                              [Problem(exc.strerror or str(exc), file=str(path))]) from None
        sources.append(Source(str(path), data, fmt, graph))
    return sources


def load_files(store, paths: Sequence[str | Path], *, graph: str | None = None,
               mode: str = "replace", fmt: str | None = None, validate: bool = True,
               dry_run: bool = False, flags: Mapping[str, object] | None = None,
               shacl_engine: str | None = None) -> LoadReport:
    """Load files as one transaction; raise InvalidData (store unchanged) on any problem."""
    if mode not in ("replace", "append"):
        raise BadRequest(f"mode must be replace or append, not {mode!r}")
    job = LoadJob(tuple(read_sources(paths, graph, fmt)), mode=mode, validate=validate,
                  dry_run=dry_run, flags=dict(flags or {}), shacl_engine=shacl_engine)
    return store.run_exclusive(apply_job, job)
