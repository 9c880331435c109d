"""SPARQL result serialisation with a row cap, and parsing JSON results into rdflib terms."""

from __future__ import annotations

import csv
import io
import json
from json.encoder import encode_basestring as _quote  # json.dumps(ensure_ascii=False), str
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .terms import XSD_STRING

__all__ = ["SOLUTION_FORMATS", "Row", "parse_boolean", "parse_json_results", "parse_solutions",
           "serialize_boolean", "serialize_solutions"]

Row = dict[str, Node]       # one solution; an unbound variable is absent
OxValue = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

SOLUTION_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


def _json_term(term: OxValue) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def _xml_term(term: OxValue) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if not isinstance(term, ox.Literal):  # an RDF-star triple: not in SPARQL 1.1 results
        return f"<literal>{escape(str(term))}</literal>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _csv_term(term: OxValue | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value if not isinstance(term, ox.Triple) else str(term)


def _tsv_term(term: OxValue | None) -> str:
    return "" if term is None else str(term)


def serialize_solutions(variables: list[str], rows: list[ox.QuerySolution], fmt: str) -> bytes:
    """`rows` are pyoxigraph QuerySolutions; unbound variables are left out or empty."""
    return _WRITERS[fmt](variables, rows)


def _json_text(term: OxValue) -> str:
    """`_json_term(term)` as compact JSON (all its values are strings)."""
    return "{" + ",".join(f"{_quote(k)}:{_quote(v)}" for k, v in _json_term(term).items()) + "}"


def _write_json(variables: list[str], rows: list[ox.QuerySolution]) -> bytes:
    # Written as text: positional access to a solution is several times cheaper than
    # row[name], and each distinct term is encoded once (answers repeat terms). The
    # output is byte for byte what json.dumps(..., separators=(",", ":")) gave.
    keys = [_quote(v) + ":" for v in variables]
    cache: dict[OxValue, str] = {}
    parts = []
    for row in rows:
        fields = []
        for key, term in zip(keys, row, strict=True):
            if term is not None:
                text = cache.get(term)
                if text is None:
                    text = cache[term] = _json_text(term)
                fields.append(key + text)
        parts.append("{" + ",".join(fields) + "}")
    head = ",".join(_quote(v) for v in variables)
    return f'{{"head":{{"vars":[{head}]}},"results":{{"bindings":[{",".join(parts)}]}}}}'.encode()


def _write_xml(variables: list[str], rows: list[ox.QuerySolution]) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
           "<head>", *(f"<variable name={quoteattr(v)}/>" for v in variables), "</head><results>"]
    for row in rows:
        out.append("<result>")
        for var in variables:
            term = row[var]
            if term is not None:
                out.append(f"<binding name={quoteattr(var)}>{_xml_term(term)}</binding>")
        out.append("</result>")
    out.append("</results></sparql>")
    return "".join(out).encode()


def _write_csv(variables: list[str], rows: list[ox.QuerySolution]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_term(row[v]) for v in variables])
    return buffer.getvalue().encode()


def _write_tsv(variables: list[str], rows: list[ox.QuerySolution]) -> bytes:
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines.extend("\t".join(_tsv_term(row[v]) for v in variables) for row in rows)
    return ("\n".join(lines) + "\n").encode()


_WRITERS = {"json": _write_json, "xml": _write_xml, "csv": _write_csv, "tsv": _write_tsv}


def serialize_boolean(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>").encode()
    return (b"true" if value else b"false") + b"\n"


def _rdflib_term(binding: dict[str, str]) -> Node:
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    datatype = binding.get("datatype")
    return Literal(value, lang=binding.get("xml:lang"),
                   datatype=URIRef(datatype) if datatype and datatype != XSD_STRING else None)


def parse_json_results(body: bytes) -> Any:
    """SPARQL JSON results as (variables, rows of rdflib terms) or a bool for ASK (untyped:
    `parse_solutions` and `parse_boolean` say which they expect)."""
    doc = json.loads(body)
    return bool(doc["boolean"]) if "boolean" in doc else _solutions(doc)


def parse_solutions(body: bytes) -> tuple[list[str], list[Row]]:
    """SPARQL JSON solutions as (variables, rows of rdflib terms)."""
    return _solutions(json.loads(body))


def parse_boolean(body: bytes) -> bool:
    return bool(json.loads(body)["boolean"])


def _solutions(doc: dict[str, Any]) -> tuple[list[str], list[Row]]:
    variables: list[str] = doc["head"].get("vars", [])
    rows = [{var: _rdflib_term(b) for var, b in binding.items()}
            for binding in doc["results"]["bindings"]]
    return variables, rows
