"""The JSON API: graphs, named queries, and the complementarity engine."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, current_app, jsonify, request

from .. import __version__, benchmarking, synthetic
from ..errors import BadRequest
from ..read import named as answers
from . import params

bp = Blueprint("api", __name__, url_prefix="/api")


def _services():
    return current_app.extensions["ccgraph"]


@bp.after_request
def _cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/health")
def health():
    store = _services().store
    return jsonify(status="ok", version=__version__, generation=store.generation)


@bp.get("/graphs")
def graphs():
    infos = _services().store.graphs()
    return jsonify(graphs=[{"graph": i.iri, "triples": i.triples, **i.meta} for i in infos])


@bp.get("/queries")
def queries():
    return jsonify(queries=[{k: v for k, v in q.to_dict().items() if k != "sparql"}
                            for q in _services().queries.all()])


@bp.get("/queries/<name>")
def named_query(name: str):
    return jsonify(_services().queries.get(name).to_dict())


_DOWNLOADS = {"json", "csv", "tsv", "xlsx"}


@bp.get("/queries/<name>/results")
def named_query_results(name: str):
    named = _services().queries.get(name)
    fmt = request.args.get("format", "json")
    if fmt not in _DOWNLOADS:
        raise BadRequest(f"format must be one of {sorted(_DOWNLOADS)}", parameter="format")
    raw = {k: v for k, v in request.args.items() if k != "format"}
    store = _services().store
    answer = answers.run_named(store, named, raw)
    columns, rows = answers.json_rows(answer)
    if fmt == "json":
        synthetic.mark(store, rows, answers.row_iris)
        return jsonify(query=name, columns=columns, rows=rows, truncated=answer.truncated)
    columns, rows = answers.with_names(store, columns, rows, params.languages())
    return _download(name, fmt, columns, rows, sheet=named.title)


def _download(name: str, fmt: str, columns: list[str], rows: list[dict],
              sheet: str = "") -> Response:
    table = [[row.get(c, {}).get("value", "") for c in columns] for row in rows]
    if fmt == "xlsx":
        body, media = _xlsx(columns, table, sheet or name), \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter="," if fmt == "csv" else "\t",
                   lineterminator="\r\n").writerows([columns, *table])
        body, media = buffer.getvalue().encode(), \
            "text/csv" if fmt == "csv" else "text/tab-separated-values"
    response = Response(body, content_type=media)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _xlsx(columns: list[str], table: list[list[str]], title: str) -> bytes:
    from .downloads import xlsx

    return xlsx(columns, table, title)


# -- complementarity engine -------------------------------------------------------------
def _analysed(engine, answer) -> Response:
    """An analytics answer marked with the store generation its projection reflects: after
    a write it may come from the previous projection while the next one is built."""
    generation = engine.reflected_generation()
    if isinstance(answer, dict):
        answer = {**answer, "generation": generation}
    response = jsonify(answer)
    response.headers["X-CCGraph-Generation"] = str(generation)
    return response


@bp.get("/paths")
def paths():
    engine = _services().analytics
    answer = engine.paths(params.iri("from"), params.iri("to"), k=params.integer("k", 5, 1, 20),
                          max_len=params.integer("max_len", 6, 1, 8))
    return _analysed(engine, answer)


@bp.get("/partners")
def partners():
    engine = _services().analytics
    answer = engine.partners(params.iri("cluster"), n=params.integer("n", 10, 1, 100),
                             cross_border_only=params.boolean("cross_border_only", False))
    return _analysed(engine, answer)


@bp.get("/instruments")
def instruments():
    engine = _services().analytics
    answer = engine.find_instruments(params.iri("a"), params.iri("b"), params.date("on"))
    return _analysed(engine, answer)


@bp.get("/gaps")
def gaps():
    engine = _services().analytics
    answer = engine.gaps(threshold=params.decimal("threshold", 0.5, 0.0, 1.0),
                         limit=params.integer("limit", 20, 1, 100))
    return _analysed(engine, answer)


@bp.get("/brokers")
def brokers():
    engine = _services().analytics
    return _analysed(engine, engine.brokers(n=params.integer("n", 20, 1, 100)))


@bp.get("/communities")
def communities():
    engine = _services().analytics
    return _analysed(engine, engine.communities())


# -- cluster quality, contact points, events (issue 9) ------------------------------------
@bp.get("/indicators")
def indicators():
    """A cluster's indicator values beside its peers (same industry, same country, all)."""
    return jsonify(benchmarking.indicator_profile(_services().store, params.iri("cluster")))


@bp.get("/compare-regions")
def compare_regions():
    return jsonify(benchmarking.compare_regions(_services().store, params.iri("a"),
                                                params.iri("b")))


@bp.get("/contact-points")
def contact_points():
    store = _services().store
    return jsonify(synthetic.mark(store, benchmarking.contact_points(store),
                                  lambda r: [r["contact_point"]]))


@bp.get("/events")
def events():
    store = _services().store
    return jsonify(synthetic.mark(store, benchmarking.events(store), lambda r: [r["event"]]))
