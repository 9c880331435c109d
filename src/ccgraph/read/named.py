"""Running a named query, the one place that tells a table (SELECT) from a yes/no (ASK)
and a graph (CONSTRUCT, DESCRIBE); and its answer as plain data for each reader: rows of
typed values for the JSON API, rows with names beside addresses for downloads, labelled
cells for the page.

Parameters are bound by the engine (`NamedQuery.bindings`), never written into the text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import URIRef

from ..errors import BadRequest
from ..queries import NamedQuery
from ..store.results import parse_json_results
from . import words
from .labels import Langs, labels
from .query_form import words_of

__all__ = ["PAGE_ROWS", "Answer", "json_rows", "page_table", "run", "run_named",
           "with_names"]

PAGE_ROWS = 500  # rows a page shows; downloads carry every row the store returned


@dataclass(frozen=True)
class Answer:
    """What the store answered, in the format asked for."""

    kind: str  # "solutions" (a table), "boolean" (ASK) or "graph" (CONSTRUCT, DESCRIBE)
    body: bytes
    truncated: bool

    @property
    def is_table(self) -> bool:
        return self.kind == "solutions"

    def text(self) -> str:
        return self.body.decode()

    def table(self) -> tuple[list[str], list[dict[str, Any]]]:
        """(columns, rows of rdflib terms); only for a table asked for as JSON."""
        if not self.is_table:
            raise BadRequest("this named query does not return a table")
        columns, rows = parse_json_results(self.body)
        return list(columns), rows


def run(store: Any, text: str, bindings: Mapping[str, Any], *,
        solutions_format: str = "json", graph_format: str = "turtle") -> Answer:
    output = store.execute(store.request(text, bindings, solutions_format=solutions_format,
                                         graph_format=graph_format))
    return Answer(output.kind, output.body, output.truncated)


def run_named(store: Any, named: NamedQuery, raw: Mapping[str, str], **formats: str) -> Answer:
    """Run `named` with the values a form or a URL gave (empty ones left out)."""
    bindings = named.bindings({k: v for k, v in raw.items() if v})
    return run(store, named.text, bindings, **formats)


# -- the JSON API and downloads ---------------------------------------------------------
def json_rows(answer: Answer) -> tuple[list[str], list[dict[str, dict[str, str]]]]:
    """Columns, and rows of {"value", "type", "lang"?, "datatype"?} per bound column."""
    columns, rows = answer.table()
    return columns, [{c: _json_value(row[c]) for c in columns if c in row} for row in rows]


def _json_value(term: Any) -> dict[str, str]:
    value = {"value": str(term), "type": type(term).__name__.lower()}
    if getattr(term, "language", None):
        value["lang"] = term.language
    if getattr(term, "datatype", None):
        value["datatype"] = str(term.datatype)
    return value


def row_iris(row: Mapping[str, Any]) -> list[str]:
    """The addresses in a row of `json_rows`."""
    return [v["value"] for v in row.values() if isinstance(v, dict) and v["type"] == "uriref"]


def with_names(store: Any, columns: list[str], rows: list[dict[str, Any]],
               langs: Langs) -> tuple[list[str], list[dict[str, Any]]]:
    """Beside every column of addresses, a column of their names ("region name" before
    "region"), so a spreadsheet reads without looking anything up."""
    linked = [c for c in columns if any(r.get(c, {}).get("type") == "uriref" for r in rows)]
    iris = {r[c]["value"] for r in rows for c in linked if r.get(c, {}).get("type") == "uriref"}
    names = labels(store, iris, langs)
    out_columns: list[str] = []
    for c in columns:
        if c in linked and c + "Label" not in columns:
            out_columns.append(c + " name")
        out_columns.append(c)
    out_rows = []
    for row in rows:
        named = dict(row)
        for c in linked:
            named[c + " name"] = {"value": names.get(row.get(c, {}).get("value", ""), "")}
        out_rows.append(named)
    return out_columns, out_rows


# -- the page -----------------------------------------------------------------------------
def page_table(store: Any, answer: Answer, langs: Langs) -> dict[str, Any]:
    """Columns in words and cells with names; a cell of an address keeps it in `iri`."""
    if not answer.is_table:
        return {"columns": ["result"], "rows": [[{"text": answer.text()[:2000]}]],
                "truncated": False, "count": 1}
    columns, rows = answer.table()
    iris = {str(v) for row in rows[:PAGE_ROWS] for v in row.values() if isinstance(v, URIRef)}
    names = labels(store, iris, langs)
    shown = [c for c in columns if not (c.endswith("Label") and c[:-5] in columns)]
    table = [[_cell(row.get(c), names, row.get(c + "Label")) for c in shown]
             for row in rows[:PAGE_ROWS]]
    return {"columns": [_capital(words_of(c)) for c in shown], "rows": table,
            "count": len(rows), "truncated": answer.truncated or len(rows) > PAGE_ROWS}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _cell(term: Any, names: dict[str, str], label: Any = None) -> dict[str, str]:
    if term is None:
        return {"text": ""}
    if isinstance(term, URIRef):
        iri = str(term)
        return {"text": str(label) if label else names.get(iri) or words.readable(iri),
                "iri": iri}
    return {"text": str(term)}
