"""Export, backup and restore, as plain N-Quads/TriG that any RDF store can read."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
from pathlib import Path

from . import __version__
from .errors import InvalidData, Problem
from .store.base import GraphWrite
from .store.terms import Triple, parse_dataset, serialize_dataset

__all__ = ["backup_store", "export_dataset", "restore_store"]

_META = "urn:ccgraph:meta"


def _all_triples(store, graphs=None) -> dict[str, list[Triple]]:
    """Triples by graph ("" is the default graph)."""
    names = list(graphs) if graphs else store.graph_names()
    dataset = {name: store.triples(name) for name in names}
    if not graphs:
        # The provenance graph is not among a client's graphs, but a backup keeps it (the
        # merged union graph is not kept: it is rebuilt from the graphs).
        meta = store.triples(_META)
        if meta:
            dataset[_META] = meta
        default = store.triples("")
        if default:
            dataset[""] = default
    return dataset


def export_dataset(store, handle, fmt: str = "trig", graphs=None) -> int:
    dataset = _all_triples(store, graphs)
    count = sum(len(t) for t in dataset.values())
    handle.write(serialize_dataset(dict(sorted(dataset.items())), fmt) if count else b"")
    return count


def backup_store(store, directory: Path) -> dict:
    directory.mkdir(parents=True, exist_ok=True)
    dataset = _all_triples(store)
    count = sum(len(t) for t in dataset.values())
    payload = serialize_dataset(dict(sorted(dataset.items())), "nquads") if count else b""
    (directory / "dataset.nq.gz").write_bytes(gzip.compress(payload, mtime=0))
    manifest = {
        "tool": f"ccgraph {__version__}",
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "generation": store.generation,
        "quads": count,
        "graphs": {name: len(ts) for name, ts in sorted(dataset.items())},
        "sha256": hashlib.sha256(payload).hexdigest(),
    }
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def restore_store(store, directory: Path) -> dict:
    """Replace the whole dataset with the backup, in one atomic write."""
    manifest, payload = _read_backup(directory)
    by_graph = {name: [] for name in manifest["graphs"]} | parse_dataset(payload, "nquads")
    writes = [GraphWrite(name, [], mode="drop") for name in store.graph_names()
              if name not in by_graph]
    writes.append(GraphWrite("", [], mode="drop"))
    writes += [GraphWrite(name, triples, mode="replace") for name, triples in by_graph.items()]
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
