"""Every table a page shows, downloadable as CSV, XLSX (one sheet named after the page)
and JSON, with names and addresses in separate columns. A page builds its rows once and
hands them here when `?format=` asks for a file; the page itself renders the same rows.
"""

from __future__ import annotations

import csv
import io
import re

from flask import Response, json, request
from werkzeug.datastructures import MultiDict

from ..errors import BadRequest

__all__ = ["FORMATS", "chosen_table", "links", "requested", "table_response", "xlsx"]

FORMATS = {"csv": "CSV", "xlsx": "Excel (XLSX)", "json": "JSON"}
_MEDIA = {"csv": "text/csv; charset=utf-8", "json": "application/json",
          "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def requested() -> str | None:
    """The download format asked for, None for the page; an unknown one is reported."""
    fmt = request.args.get("format")
    if fmt is None:
        return None
    if fmt not in FORMATS:
        raise BadRequest(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}",
                         parameter="format")
    return fmt


def chosen_table(tables) -> str:
    """Which of a page's several tables `?table=` names; a missing or unknown one is
    reported with the names there are."""
    name = request.args.get("table", "")
    if name not in tables:
        raise BadRequest(f"table must be one of {', '.join(tables)}, got {name!r}",
                         parameter="table")
    return name


def links(table: str | None = None) -> list[tuple[str, str]]:
    """(label, URL) of the downloads of the page being shown, with its parameters; on a
    page with several tables, `table` names the one downloaded."""
    args = MultiDict(request.args)
    if table:
        args.setlist("table", [table])
    out = []
    for fmt, label in FORMATS.items():
        args.setlist("format", [fmt])
        query = "&".join(f"{k}={_quote(v)}" for k, v in args.items(multi=True))
        out.append((label, f"{request.path}?{query}"))
    return out


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


def table_response(fmt: str, name: str, title: str, columns: list[str],
                   rows: list[list]) -> Response:
    """`rows` hold plain values; a column of addresses sits beside its column of names."""
    if fmt == "json":
        body = json.dumps({"title": title, "columns": columns,
                           "rows": [dict(zip(columns, row, strict=True)) for row in rows]})
    elif fmt == "xlsx":
        body = xlsx(columns, rows, title)
    else:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows([columns, *rows])
        body = buffer.getvalue().encode()
    response = Response(body, content_type=_MEDIA[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def xlsx(columns: list[str], rows: list[list], title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    # Excel's rules for sheet names: at most 31 characters, none of []:*?/\
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:31] or "Results"
    sheet.append(columns)
    for row in rows:
        sheet.append(["" if v is None else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
