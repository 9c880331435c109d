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


def _get(summary: str, parameters: list, ok: str = "Result as JSON", json_ok: bool = True,
         errors=(400, 404)) -> dict:
    content = {"application/json": {"schema": {"type": "object"}}} if json_ok else \
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
                     "schema": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}}],
                "responses": {"200": {"description": "The query",
                                      "content": {"application/json": {"schema": {}}}},
                              "404": _ERROR}}},
            "/api/paths": _get("Explained complementarity paths between two resources", [
                _param("from", _IRI, True), _param("to", _IRI, True), _param("k", int_k),
                _param("max_len", {"type": "integer", "minimum": 1, "maximum": 8})]),
            "/api/partners": _get("Ranked partner recommendations for a cluster", [
                _param("cluster", _IRI, True),
                _param("n", {"type": "integer", "minimum": 1, "maximum": 100}),
                _param("cross_border_only", {"type": "boolean"})]),
            "/api/instruments": _get("Instruments that could fund a link between two "
                                     "clusters or regions", [
                _param("a", _IRI, True), _param("b", _IRI, True)]),
            "/api/gaps": _get("Complementary pairs no common instrument covers", [
                _param("threshold", {"type": "number", "minimum": 0, "maximum": 1}),
                _param("limit", {"type": "integer", "minimum": 1, "maximum": 500})],
                errors=(400,)),
            "/api/brokers": _get("Brokers between clusters", [
                _param("n", {"type": "integer", "minimum": 1, "maximum": 100})], errors=(400,)),
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
