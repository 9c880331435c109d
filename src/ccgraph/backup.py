"""Export, backup and restore, as plain N-Quads/TriG that any RDF store can read."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
from pathlib import Path

import pyoxigraph as ox

from . import __version__
from .errors import InvalidData, Problem
from .rdfio import FORMATS
from .store.base import GraphWrite

__all__ = ["backup_store", "export_dataset", "restore_store"]

_META = "urn:ccgraph:meta"
_DEFAULT_GRAPH_QUERY = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def _default_graph_quads(store) -> list:
    output = store.execute(store.request(_DEFAULT_GRAPH_QUERY, union_default=False,
                                         graph_format="ntriples", row_cap=2**62))
    return list(ox.parse(output.body, format=ox.RdfFormat.N_TRIPLES)) if output.body else []


def _all_quads(store, graphs=None) -> dict[str, list]:
    names = list(graphs) if graphs else store.graph_names()
    dataset = {name: store.quads(name) for name in names}
    if not graphs:
        # The provenance graph is not among a client's graphs, but a backup keeps it (the
        # merged union graph is not kept: it is rebuilt from the graphs).
        meta = store.quads(_META)
        if meta:
            dataset[_META] = meta
        default = _default_graph_quads(store)
        if default:
            dataset[""] = default
    return dataset


def export_dataset(store, handle, fmt: str = "trig", graphs=None) -> int:
    dataset = _all_quads(store, graphs)
    quads = [q for name in sorted(dataset) for q in dataset[name]]
    handle.write(ox.serialize(quads, format=FORMATS[fmt].ox_format) if quads else b"")
    return len(quads)


def backup_store(store, directory: Path) -> dict:
    directory.mkdir(parents=True, exist_ok=True)
    dataset = _all_quads(store)
    quads = [q for name in sorted(dataset) for q in dataset[name]]
    payload = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) if quads else b""
    (directory / "dataset.nq.gz").write_bytes(gzip.compress(payload, mtime=0))
    manifest = {
        "tool": f"ccgraph {__version__}",
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "generation": store.generation,
        "quads": len(quads),
        "graphs": {name: len(qs) for name, qs in sorted(dataset.items())},
        "sha256": hashlib.sha256(payload).hexdigest(),
    }
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def restore_store(store, directory: Path) -> dict:
    """Replace the whole dataset with the backup, in one atomic write."""
    manifest, payload = _read_backup(directory)
    by_graph: dict[str, list] = {name: [] for name in manifest["graphs"]}
    for quad in ox.parse(payload, format=ox.RdfFormat.N_QUADS):
        name = "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        by_graph.setdefault(name, []).append(quad)
    writes = [GraphWrite(name, [], mode="drop") for name in store.graph_names()
              if name not in by_graph]
    writes.append(GraphWrite("", [], mode="drop"))
    writes += [GraphWrite(name, quads, mode="replace") for name, quads in by_graph.items()]
    store.write(writes)
    return manifest


def _read_backup(directory: Path) -> tuple[dict, bytes]:
    try:
        manifest = json.loads((directory / "manifest.json").read_text())
        payload = gzip.decompress((directory / "dataset.nq.gz").read_bytes())
    except (OSError, ValueError, EOFError) as exc:
        raise InvalidData(f"{directory} is not a ccgraph backup",
                          [Problem(str(exc), file=str(directory))]) from None
    if hashlib.sha256(payload).hexdigest() != manifest.get("sha256"):
        raise InvalidData(f"{directory}: the backup is damaged (checksum mismatch)",
                          [Problem("SHA-256 of dataset.nq.gz does not match manifest.json",
                                   file=str(directory / "dataset.nq.gz"))])
    return manifest, payload
