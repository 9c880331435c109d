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

from .errors import BadRequest, NotFound

__all__ = ["NamedQuery", "Parameter", "QueryRegistry"]

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
