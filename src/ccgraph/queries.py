"""Named queries: one `.rq` file each in queries/, described by a header comment.

    # title: Instruments open to two regions with a cross-border scope
    # description: ...
    # param: regionA iri  A NUTS region
    # param: scope iri?  optional (a trailing ? marks it optional)

Parameters are bound as the variables of the same name by the engine; their
values are converted to typed RDF terms here and never written into the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from . import synthetic
from .errors import BadRequest, NotFound
from .rdfio import FORMATS

__all__ = ["NamedQuery", "Parameter", "QueryRegistry", "render_cli"]

_PARAM_TYPES = ("iri", "string", "integer", "decimal", "date", "langtag", "boolean")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    optional: bool
    description: str

    def to_term(self, raw: str):
        try:
            return _CONVERTERS[self.type](raw)
        except (ValueError, TypeError):
            raise BadRequest(f"parameter {self.name!r} must be a {self.type}, got {raw!r}",
                             parameter=self.name) from None


def _iri(raw: str) -> URIRef:
    if not _IRI.match(raw):
        raise ValueError(raw)
    return URIRef(raw)


def _typed(datatype, check):
    def convert(raw: str) -> Literal:
        check(raw)
        return Literal(raw, datatype=datatype)
    return convert


def _date(raw: str) -> None:
    import datetime

    datetime.date.fromisoformat(raw)


def _boolean(raw: str) -> None:
    if raw not in ("true", "false"):
        raise ValueError(raw)


def _langtag(raw: str) -> Literal:
    if not re.match(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$", raw):
        raise ValueError(raw)
    return Literal(raw)


_CONVERTERS = {
    "iri": _iri,
    "string": Literal,
    "integer": _typed(XSD.integer, int),
    "decimal": _typed(XSD.decimal, float),
    "date": _typed(XSD.date, _date),
    "boolean": _typed(XSD.boolean, _boolean),
    "langtag": _langtag,
}


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    text: str
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)

    def bindings(self, raw: dict[str, str]) -> dict:
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(raw) - set(known))
        if unknown:
            raise BadRequest(f"unknown parameter(s) for {self.name}: {', '.join(unknown)}",
                             parameters=sorted(known))
        bound = {}
        for param in self.parameters:
            value = raw.get(param.name)
            if value in (None, ""):
                if not param.optional:
                    raise BadRequest(f"parameter {param.name!r} is required", parameter=param.name)
                continue
            bound[param.name] = param.to_term(value)
        return bound

    def to_dict(self) -> dict:
        return {"name": self.name, "title": self.title, "description": self.description,
                "parameters": [p.__dict__ for p in self.parameters], "sparql": self.text}


def parse_named_query(name: str, text: str) -> NamedQuery:
    header: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        key, sep, value = line.lstrip("# ").partition(":")
        if sep and key.strip() in ("title", "description", "param"):
            header.setdefault(key.strip(), []).append(value.strip())
    params = tuple(_parse_param(name, spec) for spec in header.get("param", []))
    return NamedQuery(name, (header.get("title") or [name])[0],
                      " ".join(header.get("description", [])), text, params)


def _parse_param(query: str, spec: str) -> Parameter:
    parts = spec.split(None, 2)
    if len(parts) < 2:
        raise BadRequest(f"{query}: malformed parameter line {spec!r}")
    kind = parts[1].rstrip("?")
    if kind not in _PARAM_TYPES:
        raise BadRequest(f"{query}: parameter type {kind!r} is not one of {_PARAM_TYPES}")
    return Parameter(parts[0], kind, parts[1].endswith("?"), parts[2] if len(parts) > 2 else "")


class QueryRegistry:
    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def all(self) -> list[NamedQuery]:
        return [self.get(p.stem) for p in sorted(self.directory.glob("*.rq"))]

    def get(self, name: str) -> NamedQuery:
        if not _NAME.match(name or ""):
            raise NotFound(f"no named query {name!r}", id=name)
        path = self.directory / f"{name}.rq"
        if not path.is_file():
            raise NotFound(f"no named query {name!r}", id=name)
        return parse_named_query(name, path.read_text())


def _parse_params(pairs) -> dict[str, str]:
    raw = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise BadRequest(f"--param needs NAME=VALUE, got {pair!r}")
        raw[key.strip()] = value
    return raw


def render_cli(store, registry: QueryRegistry, name_or_file, text, params, fmt) -> str:
    """Run a named query, a file or text; render as a table or a standard format."""
    bindings = {}
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
    output = store.execute(store.request(text, bindings, solutions_format=solution_fmt,
                                         graph_format=graph_fmt))
    return output.body.decode()


def _table(store, text: str, bindings: dict) -> str:
    output = store.execute(store.request(text, bindings, solutions_format="tsv",
                                         graph_format="turtle"))
    body = output.body.decode()
    if output.kind != "solutions":
        return body if body.endswith("\n") else body + "\n"
    rows = [line.split("\t") for line in body.rstrip("\n").split("\n")]
    marked = _mark_synthetic(store, rows)
    widths = [min(60, max(len(r[i]) for r in rows if i < len(r))) for i in range(len(rows[0]))]
    lines = ["  ".join(c[:60].ljust(w) for c, w in zip(r, widths, strict=False)) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    note = " (truncated)" if output.truncated else ""
    if marked:
        note += f"; {marked} use synthetic example data (column synthetic), not facts"
    return "\n".join(lines) + f"\n{len(rows) - 1} rows{note}\n"


_TSV_IRI = re.compile(r"^<([^>]*)>$")


def _mark_synthetic(store, rows: list[list[str]]) -> int:
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
