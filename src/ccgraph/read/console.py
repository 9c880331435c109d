"""The command line's answer to a query: a named query, a .rq file or SPARQL text, as
an aligned text table (with a column marking generated example data) or in a standard
format, run through `read.named.run` like the pages' and the API's."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .. import synthetic
from ..errors import BadRequest
from ..queries import QueryRegistry
from ..rdfio import FORMATS
from .named import run

__all__ = ["render"]


def _parse_params(pairs: Iterable[str]) -> dict[str, str]:
    raw = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise BadRequest(f"--param needs NAME=VALUE, got {pair!r}")
        raw[key.strip()] = value
    return raw


def render(store: Any, registry: QueryRegistry, name_or_file: str | None, text: str | None,
           params: Iterable[str], fmt: str) -> str:
    """Run a named query, a file or text; render as a table or a standard format."""
    bindings: dict[str, Any] = {}
    if text is None and name_or_file and name_or_file.endswith(".rq"):
        text = Path(name_or_file).read_text()
    elif text is None:
        if not name_or_file:
            raise BadRequest("give a query name, a .rq file or --text")
        named = registry.get(name_or_file)
        text, bindings = named.text, named.bindings(_parse_params(params))
    if fmt == "table":
        return _table(store, text, bindings)
    solution_fmt = fmt if fmt in ("json", "csv", "tsv", "xml") else "json"
    graph_fmt = fmt if fmt in FORMATS else "turtle"
    return run(store, text, bindings, solutions_format=solution_fmt,
               graph_format=graph_fmt).text()


def _table(store: Any, text: str, bindings: dict[str, Any]) -> str:
    answer = run(store, text, bindings, solutions_format="tsv", graph_format="turtle")
    body = answer.text()
    if not answer.is_table:
        return body if body.endswith("\n") else body + "\n"
    rows = [line.split("\t") for line in body.rstrip("\n").split("\n")]
    marked = _mark_synthetic(store, rows)
    widths = [min(60, max(len(r[i]) for r in rows if i < len(r))) for i in range(len(rows[0]))]
    lines = ["  ".join(c[:60].ljust(w) for c, w in zip(r, widths, strict=False)) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    note = " (truncated)" if answer.truncated else ""
    if marked:
        note += f"; {marked} use synthetic example data (column synthetic), not facts"
    return "\n".join(lines) + f"\n{len(rows) - 1} rows{note}\n"


_TSV_IRI = re.compile(r"^<([^>]*)>$")


def _mark_synthetic(store: Any, rows: list[list[str]]) -> int:
    """Add a `synthetic` column (yes / blank) when any row names generated example data;
    return how many rows do."""
    iris = [[m.group(1) for c in row if (m := _TSV_IRI.match(c))] for row in rows[1:]]
    found = synthetic.flagged(store, (i for row in iris for i in row))
    if not found:
        return 0
    rows[0].append("synthetic")
    flags = [any(i in found for i in row) for row in iris]
    for row, flag in zip(rows[1:], flags, strict=True):
        row.append("yes" if flag else "")
    return sum(flags)
