"""SPARQL result serialisation with a row cap, and parsing JSON results into rdflib terms."""

from __future__ import annotations

import csv
import io
import json
from json.encoder import encode_basestring as _quote  # json.dumps(ensure_ascii=False), str
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from .terms import XSD_STRING

__all__ = ["SOLUTION_FORMATS", "parse_json_results", "serialize_boolean", "serialize_solutions"]

SOLUTION_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


def _json_term(term) -> dict:
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


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _csv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def _tsv_term(term) -> str:
    return "" if term is None else str(term)


def serialize_solutions(variables: list[str], rows: list, fmt: str) -> bytes:
    """`rows` are pyoxigraph QuerySolutions; unbound variables are left out or empty."""
    return _WRITERS[fmt](variables, rows)


def _json_text(term) -> str:
    """`_json_term(term)` as compact JSON (all its values are strings)."""
    return "{" + ",".join(f"{_quote(k)}:{_quote(v)}" for k, v in _json_term(term).items()) + "}"


def _write_json(variables, rows) -> bytes:
    # Written as text: positional access to a solution is several times cheaper than
    # row[name], and each distinct term is encoded once (answers repeat terms). The
    # output is byte for byte what json.dumps(..., separators=(",", ":")) gave.
    keys = [_quote(v) + ":" for v in variables]
    cache: dict = {}
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


def _write_xml(variables, rows) -> bytes:
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


def _write_csv(variables, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_term(row[v]) for v in variables])
    return buffer.getvalue().encode()


def _write_tsv(variables, rows) -> bytes:
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


def _rdflib_term(binding: dict):
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    datatype = binding.get("datatype")
    return Literal(value, lang=binding.get("xml:lang"),
                   datatype=URIRef(datatype) if datatype and datatype != XSD_STRING else None)


def parse_json_results(body: bytes):
    """SPARQL JSON results as (variables, rows of rdflib terms) or a bool for ASK."""
    doc = json.loads(body)
    if "boolean" in doc:
        return doc["boolean"]
    variables = doc["head"].get("vars", [])
    rows = [{var: _rdflib_term(b) for var, b in binding.items()}
            for binding in doc["results"]["bindings"]]
    return variables, rows
