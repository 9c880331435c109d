"""The OpenAPI 3.1 document of the HTTP interface, served at /openapi.json."""

from __future__ import annotations

from flask import Blueprint, jsonify

from .. import __version__

bp = Blueprint("openapi", __name__)

_ERROR = {"$ref": "#/components/responses/Error"}
_IRI = {"type": "string", "format": "iri", "pattern": "^[A-Za-z][A-Za-z0-9+.-]*:[^ <>]*$"}


def _param(name: str, schema: dict, required: bool = False, description: str = "") -> dict:
    return {"name": name, "in": "query", "required": required, "schema": schema,
            "description": description}


_OBJECT = {"type": "object"}
_QUERY_NAME = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$",
               "examples": ["projects-by-programme"]}
_LIST = {"type": "array", "items": {"type": "object"}}
# Resources of the bundled example data, so that generated requests reach the engine.
_CLUSTER = "https://w3id.org/ccgraph/id/cluster/synthetic-1"
_OTHER_CLUSTER = "https://w3id.org/ccgraph/id/cluster/synthetic-2"


def _iri(example: str) -> dict:
    return {**_IRI, "examples": [example]}


def _get(summary: str, parameters: list, ok: str = "Result as JSON", json_ok: bool = True,
         errors=(400, 404), schema: dict = _OBJECT) -> dict:
    content = {"application/json": {"schema": schema}} if json_ok else \
        {"*/*": {"schema": {}}}
    return {"get": {"summary": summary, "parameters": parameters,
                    "responses": {"200": {"description": ok, "content": content},
                                  **{str(code): _ERROR for code in errors}}}}


def document() -> dict:
    int_k = {"type": "integer", "minimum": 1, "maximum": 20, "default": 5}
    return {
        "openapi": "3.1.0",
        "info": {"title": "ccgraph", "version": __version__,
                 "description": "Cluster-policy knowledge graph: SPARQL 1.1, graph store, "
                                "complementarity paths and funding instruments."},
        "paths": {
            "/api/health": _get("Service status and store generation", [], errors=()),
            "/api/graphs": _get("Named graphs with provenance", [], errors=()),
            "/api/queries": _get("Named queries", [], errors=()),
            "/api/queries/{name}": {"get": {
                "summary": "One named query", "parameters": [
                    {"name": "name", "in": "path", "required": True,
                     "schema": _QUERY_NAME}],
                "responses": {"200": {"description": "The query",
                                      "content": {"application/json": {"schema": {}}}},
                              "404": _ERROR}}},
            "/api/queries/{name}/results": {"get": {
                "summary": "Run a named query; its parameters go in the query string too",
                "parameters": [
                    {"name": "name", "in": "path", "required": True,
                     "schema": _QUERY_NAME},
                    _param("format", {"type": "string", "enum": ["json", "csv", "tsv", "xlsx"]})],
                "responses": {"200": {"description": "The rows (JSON) or a download",
                                      "content": {"application/json": {"schema": _OBJECT},
                                                  "text/csv": {"schema": {"type": "string"}},
                                                  "text/tab-separated-values": {
                                                      "schema": {"type": "string"}},
                                                  "application/vnd.openxmlformats-"
                                                  "officedocument.spreadsheetml.sheet": {
                                                      "schema": {}}}},
                              "400": _ERROR, "404": _ERROR, "503": _ERROR}}},
            "/api/paths": _get("Explained complementarity paths between two resources", [
                _param("from", _iri(_CLUSTER), True), _param("to", _iri(_OTHER_CLUSTER), True),
                _param("k", int_k),
                _param("max_len", {"type": "integer", "minimum": 1, "maximum": 8})],
                schema=_LIST),
            "/api/partners": _get("Ranked partner recommendations for a cluster", [
                _param("cluster", _iri(_CLUSTER), True),
                _param("n", {"type": "integer", "minimum": 1, "maximum": 100}),
                _param("cross_border_only", {"type": "boolean"})], schema=_LIST),
            "/api/instruments": _get("Programmes and instruments that could fund a link "
                                     "between two clusters or regions: status on a day, "
                                     "period, budget, reasons with sources; when none, why",
                                     [_param("a", _iri(_CLUSTER), True),
                                      _param("b", _iri(_OTHER_CLUSTER), True),
                                      _param("on", {"type": "string", "format": "date"})]),
            "/api/gaps": _get("Complementary pairs no common instrument covers", [
                _param("threshold", {"type": "number", "minimum": 0, "maximum": 1}),
                _param("limit", {"type": "integer", "minimum": 1, "maximum": 100})],
                errors=(400,)),
            "/api/brokers": _get("Brokers between clusters", [
                _param("n", {"type": "integer", "minimum": 1, "maximum": 100})], errors=(400,),
                schema=_LIST),
            "/api/communities": _get("Communities of clusters", [], errors=(), schema=_LIST),
            "/api/indicators": _get("A cluster's indicator values beside its peers (same "
                                    "industry, same country, all)", [
                _param("cluster", _iri(_CLUSTER), True)]),
            "/api/compare-regions": _get("Clusters of two regions compared on labels and "
                                         "indicators", [
                _param("a", _iri("http://data.europa.eu/nuts/code/HU"), True),
                _param("b", _iri("http://data.europa.eu/nuts/code/AT"), True)], errors=(400,)),
            "/api/contact-points": _get("Every contact point, what it serves and how to reach "
                                        "it", [], errors=(), schema=_LIST),
            "/api/events": _get("Matchmaking events and meetings, newest first", [], errors=(),
                                schema=_LIST),
        },
        "components": {"responses": {"Error": {
            "description": "An error, in the one error shape",
            "content": {"application/json": {"schema": {
                "type": "object", "required": ["error"],
                "properties": {"error": {"type": "object", "required": ["code", "message"],
                                         "properties": {"code": {"type": "string"},
                                                        "message": {"type": "string"},
                                                        "status": {"type": "integer"}}}}}}}}}},
    }


@bp.get("/openapi.json")
def openapi_json():
    response = jsonify(document())
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
