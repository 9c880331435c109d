"""A remote SPARQL 1.1 store (Oxigraph server, Fuseki, Virtuoso, GraphDB) behind the
same interface. Queries and updates go over the standard protocol; every write is
one SPARQL Update request, which these stores apply atomically.

    sparql:http://host/query update=http://host/update
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import pyoxigraph as ox
import requests

from ..config import Settings
from ..errors import BadRequest, ConfigError, Forbidden, QueryTimeout, RemoteStoreError
from ..namespaces import CCG, META_GRAPH
from ..rdfio import FORMATS
from ..sparql_text import inject_values, inspect, update_targets
from .base import (
    HIDDEN_GRAPHS,
    UNION_GRAPH,
    GraphWrite,
    QueryOutput,
    QueryRequest,
    Store,
    bindings_block,
)
from .results import SOLUTION_FORMATS
from .terms import ox_quads

__all__ = ["RemoteStore"]

T = TypeVar("T")

_STORE_NODE = "urn:ccgraph:store"
_GENERATION = f"""SELECT ?n WHERE {{ GRAPH <{META_GRAPH}> {{
  <{_STORE_NODE}> <{CCG.generation}> ?n }} }}"""
# MAX in a subquery rather than OPTIONAL + COALESCE: Virtuoso never creates the counter
# from an OPTIONAL that matched nothing; this form works on Oxigraph, Fuseki and Virtuoso.
_BUMP = f"""DELETE {{ GRAPH <{META_GRAPH}> {{ <{_STORE_NODE}> <{CCG.generation}> ?old }} }}
INSERT {{ GRAPH <{META_GRAPH}> {{ <{_STORE_NODE}> <{CCG.generation}> ?new }} }}
WHERE {{ {{ SELECT (MAX(?n) AS ?old) WHERE {{ OPTIONAL {{ GRAPH <{META_GRAPH}> {{
  <{_STORE_NODE}> <{CCG.generation}> ?n }} }} }} }}
  BIND(COALESCE(?old, 0) + 1 AS ?new) }}"""
_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"
_META_QUADS = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{META_GRAPH}> {{ ?s ?p ?o }} }}"
_REFRESHED = ("http://rdfs.org/ns/void#triples", "http://www.w3.org/ns/prov#generatedAtTime",
              str(CCG.loadedWith), str(CCG.loadMode))


class RemoteStore(Store):
    def __init__(self, query_url: str, update_url: str | None = None, *,
                 union_default_graph: bool = Settings.union_default_graph,
                 row_cap: int = Settings.row_cap, query_timeout: float = Settings.query_timeout,
                 max_nesting: int = Settings.max_nesting) -> None:
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.union_default_graph = union_default_graph
        self.row_cap = row_cap
        self.query_timeout = query_timeout
        self.max_nesting = max_nesting
        self.http = requests.Session()
        self.http.trust_env = False  # no proxies from the environment: talk to the store only

    @classmethod
    def from_url(cls, spec: str, **options: Any) -> RemoteStore:
        parts = spec.split()
        if not parts or not parts[0].startswith(("http://", "https://")):
            raise ConfigError(f"sparql: needs a query URL, got {spec!r}")
        extra = dict(p.split("=", 1) for p in parts[1:] if "=" in p)
        return cls(parts[0], extra.get("update"), **options)

    # -- queries ---------------------------------------------------------------------
    def execute(self, request: QueryRequest) -> QueryOutput:
        facts = inspect(request.text, request.max_nesting)
        graph_form = facts.form in ("CONSTRUCT", "DESCRIBE")
        info = FORMATS[request.graph_format] if graph_form else None
        accept = info.media_type if info else SOLUTION_FORMATS[request.solutions_format]
        text = request.text
        if request.bindings:
            text = inject_values(text, bindings_block(request.bindings))
        data: dict[str, str | list[str]] = {"query": text}
        if request.default_graphs is not None or request.named_graphs is not None:
            data["default-graph-uri"] = list(request.default_graphs or ())
            data["named-graph-uri"] = list(request.named_graphs or ())
        elif facts.from_graphs or facts.from_named:
            # A store whose default graph is the union may ignore FROM; the protocol's
            # parameters name the same dataset and take precedence everywhere.
            data["default-graph-uri"] = facts.from_graphs
            data["named-graph-uri"] = facts.from_named
        elif request.client and request.union_default:
            data.update(self._client_dataset())
        response = self._post(self.query_url, data, accept, request.timeout)
        kind = "graph" if graph_form else ("boolean" if facts.form == "ASK" else "solutions")
        return self._capped(QueryOutput(kind, accept, response.content), request)

    def _client_dataset(self) -> dict[str, list[str]]:
        """A client's dataset in union mode: the remote store's union default graph would
        hold ccgraph's metadata graph, so the dataset is named, the visible graphs being
        both the default graph and the named graphs (one request more per query; listed
        each time, as another process may have written). Protocol parameters cannot name a
        store's own default graph, so with the union off the remote dataset is as it is
        (docs/sparql-clients.md)."""
        response = self._post(self.query_url, {"query": _GRAPHS},
                              SOLUTION_FORMATS["json"], self.query_timeout)
        graphs = sorted({row["g"]["value"] for row in response.json()["results"]["bindings"]
                         if "g" in row} - HIDDEN_GRAPHS)
        # No graph at all: a graph nobody writes, so that the default graph is empty.
        return {"default-graph-uri": graphs or [UNION_GRAPH], "named-graph-uri": graphs}

    def _capped(self, output: QueryOutput, request: QueryRequest) -> QueryOutput:
        if output.kind != "solutions" or request.solutions_format != "json":
            return output
        document = json.loads(output.body)
        bindings = document["results"]["bindings"]
        if len(bindings) <= request.row_cap:
            return QueryOutput(output.kind, output.media_type, output.body, len(bindings))
        document["results"]["bindings"] = bindings[: request.row_cap]
        return QueryOutput(output.kind, output.media_type, json.dumps(document).encode(),
                           request.row_cap, True)

    def _post(self, url: str, data: Mapping[str, str | list[str]], accept: str | None,
              timeout: float) -> requests.Response:
        headers = {"Accept": accept} if accept else {}
        try:
            response = self.http.post(url, data=data, headers=headers, timeout=timeout)
        except requests.Timeout:
            raise QueryTimeout(f"the remote store did not answer within {timeout:.1f} s",
                               deadline_seconds=timeout) from None
        except requests.RequestException as exc:
            raise RemoteStoreError(f"cannot reach the remote store at {url}: {exc}") from None
        if response.status_code >= 400:
            raise self._error(response)
        return response

    @staticmethod
    def _error(response: requests.Response) -> Exception:
        message = response.text.strip()[:500]
        if response.status_code == 400:
            return BadRequest(f"the store refused the request: {message}")
        return RemoteStoreError(f"the remote store answered {response.status_code}: {message}")

    # -- writes ----------------------------------------------------------------------
    @property
    def generation(self) -> int:
        rows = self.select(_GENERATION, union_default=False)
        return int(str(rows[0]["n"])) if rows else 0

    def execute_update(self, text: str, *, base_iri: str | None = None,
                       timeout: float | None = None) -> int:
        inspect(text, self.max_nesting)
        iris, everything = update_targets(text, base_iri)
        reserved = sorted(set(iris) & HIDDEN_GRAPHS)
        if reserved:
            raise Forbidden(f"the graph <{reserved[0]}> is maintained by ccgraph; an update "
                            "cannot name it", graph=reserved[0])
        body = text.rstrip().rstrip(";")
        if base_iri:
            body = f"BASE <{base_iri}>\n{body}"
        operations = [body]
        if everything:
            # CLEAR ALL, DROP NAMED or GRAPH ?g reach the metadata graph on the remote store:
            # it is put back in the same request (the generation must never go back either).
            operations.append(self._meta_restore())
        operations.append(_BUMP)
        self._post(self.update_url, {"update": " ;\n".join(o for o in operations if o)},
                   None, timeout or self.query_timeout * 3)
        return self.generation

    def _meta_restore(self) -> str:
        response = self._post(self.query_url, {"query": _META_QUADS}, "application/n-triples",
                              self.query_timeout)
        body = response.content.decode().strip()
        return f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ {body} }} }}" if body else ""

    def write(self, writes: Sequence[GraphWrite], *, timeout: float | None = None) -> int:
        operations = [op for write in writes for op in _write_operations(write)]
        operations.append(_BUMP)
        self._post(self.update_url, {"update": " ;\n".join(operations)}, None,
                   timeout or 600)
        return self.generation

    def run_exclusive(self, func: Callable[..., T], *args: Any,
                      timeout: float | None = None) -> T:
        return func(self, *args)


def _ntriples(quads: Iterable[ox.Quad]) -> str:
    return "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)


def _raw_quads(write: GraphWrite) -> list[ox.Quad]:
    return [q for data, fmt, base_iri, _name in write.raw
            for q in ox.parse(data, format=FORMATS[fmt].ox_format, base_iri=base_iri)]


_PLAIN_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")


def _write_operations(write: GraphWrite) -> list[str]:
    if write.graph and not _PLAIN_IRI.match(write.graph):
        raise BadRequest(f"not an absolute IRI: {write.graph!r}")
    target = f"GRAPH <{write.graph}>" if write.graph else "DEFAULT"
    ops = []
    if write.mode in ("replace", "drop"):
        ops.append(f"DROP SILENT {target}")
        if write.graph:
            ops.append(f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ <{write.graph}> ?p ?o }} }}")
    elif write.meta and write.graph:
        ops += [f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ <{write.graph}> <{p}> ?o }} }}"
                for p in _REFRESHED]
    quads = ox_quads(write.triples, write.graph) + (_raw_quads(write) if write.raw else [])
    if quads:
        body = _ntriples(quads)
        ops.append(f"INSERT DATA {{ GRAPH <{write.graph}> {{ {body} }} }}" if write.graph
                   else f"INSERT DATA {{ {body} }}")
    if write.meta:
        meta = _ntriples(ox_quads(write.meta, str(META_GRAPH)))
        ops.append(f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ {meta} }} }}")
        ops.append(f"""INSERT {{ GRAPH <{META_GRAPH}> {{ <{write.graph}>
  <http://rdfs.org/ns/void#triples> ?n }} }}
WHERE {{ SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{write.graph}> {{ ?s ?p ?o }} }} }}""")
    return ops
