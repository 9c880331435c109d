"""Spreadsheets into the graph: a declarative column-to-property mapping (YAML).

    subject: {template: "cluster/{id}", class: ccg:Cluster}
    columns:
      name_en: {property: [rdfs:label, skos:prefLabel], lang: en}
      nuts:    {property: ccg:locatedIn, iri: "http://data.europa.eu/nuts/code/{value}"}
      nace:    {property: ccg:activeIn, split: ";",
                iri: "http://data.europa.eu/ux2/nace2/{nodots:value}"}
      founded: {property: ccg:startDate, datatype: xsd:date}
    constants:
      dcterms:source: {iri: "https://w3id.org/ccgraph/id/source/my-survey"}

Every row is converted before anything is written; problems name the file, row
and column. The triples then go through the same validation, provenance and
atomic commit as `ccgraph load`.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from .config import Settings
from .errors import InvalidData, Problem
from .load import LoadJob, LoadReport, Source, apply_job, default_graph_for
from .namespaces import PREFIXES
from .store.terms import to_ntriples

__all__ = ["Mapping", "import_table", "read_mapping", "read_rows", "rows_to_ntriples"]

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")
_SLUG = re.compile(r"[^a-z0-9]+")
_CHECKS = {
    "xsd:date": lambda v: dt.date.fromisoformat(v).isoformat(),
    "xsd:decimal": lambda v: str(decimal.Decimal(v.replace(",", "."))),
    "xsd:integer": lambda v: str(int(v)),
    "xsd:boolean": lambda v: {"true": "true", "false": "false", "1": "true",
                              "0": "false"}[v.lower()],
    "xsd:string": str,
    "xsd:anyURI": str,
}


@dataclass(frozen=True)
class Column:
    name: str
    properties: tuple[str, ...]
    lang: str | None = None
    datatype: str | None = None
    iri: str | None = None
    split: str | None = None
    required: bool = False


@dataclass(frozen=True)
class Mapping:
    subject_template: str
    subject_class: str | None
    columns: tuple[Column, ...]
    constants: tuple[tuple[str, dict], ...]
    base: str
    graph: str | None
    sheet: str | None


def _expand(curie: str, where: str) -> str:
    if _IRI.match(curie) and curie.split(":", 1)[0] not in PREFIXES:
        return curie
    prefix, _, local = curie.partition(":")
    if prefix not in PREFIXES:
        raise InvalidData(f"unknown prefix {prefix!r} in {where}",
                          [Problem(f"known prefixes: {', '.join(sorted(PREFIXES))}")])
    return PREFIXES[prefix] + local


def read_mapping(path: Path) -> Mapping:
    try:
        spec = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise InvalidData(f"cannot read the mapping {path}", [Problem(str(exc), file=str(path))]) \
            from None
    if not isinstance(spec, dict) or "subject" not in spec or "columns" not in spec:
        raise InvalidData(f"{path}: a mapping needs 'subject' and 'columns'",
                          [Problem("see docs/data-curators.md for the format", file=str(path))])
    columns = tuple(_column(name, entry, path) for name, entry in spec["columns"].items())
    subject = spec["subject"]
    return Mapping(
        subject_template=subject["template"],
        subject_class=_expand(subject["class"], str(path)) if subject.get("class") else None,
        columns=columns,
        constants=tuple((_expand(p, str(path)), v)
                        for p, v in (spec.get("constants") or {}).items()),
        base=spec.get("base", Settings().instance_base),
        graph=spec.get("graph"),
        sheet=spec.get("sheet"),
    )


def _column(name: str, entry: dict, path: Path) -> Column:
    props = entry.get("property")
    props = [props] if isinstance(props, str) else list(props or [])
    if not props:
        raise InvalidData(f"{path}: column {name!r} has no property",
                          [Problem("give property: prefix:name", file=str(path))])
    datatype = entry.get("datatype")
    if datatype and datatype not in _CHECKS:
        raise InvalidData(f"{path}: column {name!r}: unsupported datatype {datatype!r}",
                          [Problem(f"use one of {sorted(_CHECKS)}", file=str(path))])
    return Column(name, tuple(_expand(p, str(path)) for p in props), entry.get("lang"),
                  datatype, entry.get("iri"), entry.get("split"), bool(entry.get("required")))


def read_rows(path: Path, sheet: str | None = None) -> list[dict[str, str]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx_rows(path, sheet)
    text = path.read_bytes().decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    return [{k.strip(): (v or "").strip() for k, v in row.items() if k}
            for row in csv.DictReader(io.StringIO(text), dialect=dialect)]


def _xlsx_rows(path: Path, sheet: str | None) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    worksheet = book[sheet] if sheet else book.active
    rows = list(worksheet.iter_rows(values_only=True))
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    return [{h: _cell(v) for h, v in zip(header, row, strict=False) if h} for row in rows[1:]
            if any(v not in (None, "") for v in row)]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _slug(value: str) -> str:
    return _SLUG.sub("-", value.lower()).strip("-")


def _fill(template: str, row: dict, value: str | None = None) -> str:
    def replace(match: re.Match) -> str:
        key = match.group(1)
        if key == "value":
            return value or ""
        if key.startswith("slug:"):
            return _slug(row.get(key[5:], ""))
        if key.startswith("nodots:"):  # NACE: the EU's IRIs drop the dots of "29.10"
            inner = key[7:]
            return (value or "" if inner == "value" else row.get(inner, "")).replace(".", "")
        return row.get(key, "")
    return re.sub(r"\{([^{}]+)\}", replace, template)


def rows_to_ntriples(name: str, rows: list[dict[str, str]], mapping: Mapping) -> bytes:
    problems: list[Problem] = []
    lines: list[str] = []
    known = set(rows[0]) if rows else set()
    for column in mapping.columns:
        if rows and column.name not in known:
            problems.append(Problem(f"the table has no column {column.name!r}", file=name,
                                    extra={"columns": sorted(known)}))
    if problems:
        raise InvalidData(f"{name}: the mapping does not fit the table", problems)
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        lines += _row_triples(name, number, row, mapping, problems)
    if problems:
        raise InvalidData(f"{name}: {len(problems)} problems; nothing was imported", problems)
    return ("\n".join(lines) + "\n").encode()


def _row_triples(name, number, row, mapping: Mapping, problems) -> list[str]:
    subject_iri = mapping.base + _fill(mapping.subject_template, row)
    if not _IRI.match(subject_iri) or subject_iri == mapping.base:
        problems.append(Problem(f"cannot make a subject IRI from {mapping.subject_template!r}",
                                file=name, line=number))
        return []
    subject = URIRef(subject_iri)
    triples = []
    if mapping.subject_class:
        triples.append((subject, RDF.type, URIRef(mapping.subject_class)))
    for column in mapping.columns:
        for obj in _objects(name, number, row, column, problems):
            triples += [(subject, URIRef(p), obj) for p in column.properties]
    for prop, spec in mapping.constants:
        triples.append((subject, URIRef(prop), _constant(spec)))
    return [" ".join(map(to_ntriples, triple)) + " ." for triple in triples]


def _objects(name, number, row, column: Column, problems) -> list:
    raw = row.get(column.name, "")
    if not raw:
        if column.required:
            problems.append(Problem(f"column {column.name!r} is empty but required", file=name,
                                    line=number, extra={"column": column.name}))
        return []
    values = [v.strip() for v in raw.split(column.split)] if column.split else [raw]
    objects = []
    for value in filter(None, values):
        try:
            objects.append(_object(value, row, column))
        except (ValueError, KeyError, decimal.InvalidOperation, TypeError):
            expected = column.datatype or ("IRI" if column.iri else "text")
            problems.append(Problem(f"column {column.name!r}: {value!r} is not a valid "
                                    f"{expected}", file=name, line=number,
                                    extra={"column": column.name}))
    return objects


def _object(value: str, row: dict, column: Column):
    if column.iri:
        iri = _fill(column.iri, row, value)
        if not _IRI.match(iri):
            raise ValueError(iri)
        return URIRef(iri)
    if column.lang:
        return Literal(value, lang=column.lang)
    if column.datatype:
        lexical = _CHECKS[column.datatype](value)
        return Literal(lexical, datatype=URIRef(_expand(column.datatype, "datatype")))
    return Literal(value)


def _constant(spec) -> URIRef | Literal:
    if isinstance(spec, dict) and "iri" in spec:
        return URIRef(spec["iri"])
    if isinstance(spec, bool):
        return Literal("true" if spec else "false", datatype=XSD.boolean)
    if isinstance(spec, dict) and "lang" in spec:
        return Literal(str(spec["value"]), lang=spec["lang"])
    return Literal(str(spec))


def import_table(store, table: Path, mapping_path: Path, *, graph: str | None = None,
                 dry_run: bool = False) -> LoadReport:
    mapping = read_mapping(mapping_path)
    try:
        rows = read_rows(table, mapping.sheet)
    except (OSError, csv.Error, KeyError, ValueError) as exc:
        raise InvalidData(f"cannot read {table}", [Problem(str(exc), file=str(table))]) from None
    data = rows_to_ntriples(str(table), rows, mapping)
    target = graph or mapping.graph or default_graph_for(table.name)
    source = Source(str(table), data, "ntriples", target,
                    original=(hashlib.sha256(table.read_bytes()).hexdigest(), table.stat().st_size))
    return store.run_exclusive(apply_job, LoadJob((source,), dry_run=dry_run))
