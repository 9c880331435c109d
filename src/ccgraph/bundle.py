"""The bundled data set (data/manifest.yaml): ontology, reference, seed and real graphs, and
the synthetic example graph, which is loaded only when asked for (`--with-example`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .config import PROJECT_ROOT
from .errors import ConfigError
from .load import LoadJob, LoadReport, Source, apply_job

__all__ = ["BundledGraph", "load_bundled", "manifest"]


@dataclass(frozen=True)
class BundledGraph:
    file: Path
    graph: str
    kind: str
    synthetic: bool


def manifest(root: Path = PROJECT_ROOT) -> list[BundledGraph]:
    path = root / "data" / "manifest.yaml"
    try:
        entries = yaml.safe_load(path.read_text())["graphs"]
    except (OSError, KeyError, TypeError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read the bundle manifest {path}: {exc}") from None
    return [BundledGraph(root / e["file"], e["graph"], e.get("kind", "data"),
                         bool(e.get("synthetic", False)))
            for e in entries if (root / e["file"]).exists()]


def load_bundled(store, *, validate: bool = True, with_example: bool = False,
                 root: Path = PROJECT_ROOT) -> LoadReport:
    """Load the bundled graphs in one transaction per kind flag set.

    Ontology and reference data are loaded first without SHACL (they are the
    vocabulary the shapes refer to); seed, real and example data are validated.
    Synthetic graphs are loaded only `with_example`: generated data serves tests,
    benchmarks and demos, and must never pass for knowledge.
    """
    reports = []
    entries = [e for e in manifest(root) if with_example or not e.synthetic]
    for checked in (False, True):
        batch = [e for e in entries if (e.kind not in ("ontology", "reference")) == checked]
        for synthetic in (False, True):
            group = [e for e in batch if e.synthetic == synthetic]
            if group:
                reports.append(_load_group(store, group, validate and checked, synthetic, root))
    return _combine(reports)


def _load_group(store, group: list[BundledGraph], validate: bool, synthetic: bool,
                root: Path) -> LoadReport:
    sources = tuple(Source(str(e.file.relative_to(root)), e.file.read_bytes(), None, e.graph)
                    for e in group)
    flags = {"graphKind": group[0].kind}
    if synthetic:
        flags["synthetic"] = True
    kinds = {e.kind for e in group}
    if len(kinds) > 1:
        flags.pop("graphKind")
    job = LoadJob(sources, mode="replace", validate=validate, flags=flags)
    return store.run_exclusive(apply_job, job)


def _combine(reports: list[LoadReport]) -> LoadReport:
    graphs: dict[str, int] = {}
    files: list[dict] = []
    for report in reports:
        graphs.update(report.graphs)
        files.extend(report.files)
    return LoadReport(graphs, files, reports[-1].generation if reports else None, False,
                      any(r.validated for r in reports), sum(r.seconds for r in reports))
