"""The W3C SPARQL 1.1 test suite as a client of a live ccgraph server.

Reads the vendored manifests (mf:/qt:/ut: vocabularies), loads each test's data
through the Graph Store Protocol, runs the query or update through the SPARQL
Protocol and compares what comes back with the expected results: solution
multisets up to blank-node renaming (in order when the query has ORDER BY),
graphs up to isomorphism.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import requests
from rdflib import RDF, RDFS, BNode, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic

__all__ = ["BASE", "ROOT", "Case", "Outcome", "Runner", "load_cases"]

ROOT = Path(__file__).parent / "w3c-sparql11"
# The suite's canonical base: test, file and graph IRIs are formed from it.
BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")
XSD = "http://www.w3.org/2001/XMLSchema#"

# Folders outside the 495 countable tests: other specifications, or tests that need
# a second service (federation) or an entailment regime.
SKIPPED_FOLDERS = {"entailment", "service", "syntax-fed", "protocol", "graph-store-protocol",
                   "service-description", "http-rdf-update"}
COUNTED_TYPES = {"QueryEvaluationTest", "CSVResultFormatTest", "UpdateEvaluationTest",
                 "PositiveSyntaxTest11", "NegativeSyntaxTest11",
                 "PositiveUpdateSyntaxTest11", "NegativeUpdateSyntaxTest11"}


@dataclass
class Case:
    iri: str
    kind: str                                  # the mf: test type, without namespace
    action: str                                # the .rq or .ru file IRI
    data: list[str] = field(default_factory=list)                 # default graph files
    graph_data: list[tuple[str, str]] = field(default_factory=list)   # (graph name, file)
    result: str | None = None                  # expected results file (queries)
    result_data: list[str] = field(default_factory=list)          # expected default graph
    result_graphs: list[tuple[str, str]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.iri.removeprefix(BASE).replace("/manifest#", "/")


@dataclass
class Outcome:
    case: Case
    status: str                                # "pass", "fail" or "refused"
    detail: str = ""


def path_of(iri: str) -> Path:
    return ROOT / iri.removeprefix(BASE)


# -- manifests ----------------------------------------------------------------------------
def load_cases() -> list[Case]:
    cases = []
    for folder in sorted(p for p in ROOT.iterdir() if (p / "manifest.ttl").exists()):
        if folder.name not in SKIPPED_FOLDERS:
            cases.extend(_manifest_cases(folder))
    return cases


def _manifest_cases(folder: Path) -> list[Case]:
    graph = Graph().parse(folder / "manifest.ttl", format="turtle",
                          publicID=f"{BASE}{folder.name}/manifest.ttl")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    cases = []
    for test in Collection(graph, graph.value(manifest, MF.entries)):
        kind = str(graph.value(test, RDF.type)).rsplit("#", 1)[-1]
        if kind in COUNTED_TYPES:
            cases.append(_case(graph, test, kind))
    return cases


def _case(graph: Graph, test, kind: str) -> Case:
    action = graph.value(test, MF.action)
    result = graph.value(test, MF.result)
    if isinstance(action, URIRef):  # syntax tests name the file directly
        return Case(str(test), kind, str(action))
    text = graph.value(action, QT.query) or graph.value(action, UT.request)
    case = Case(str(test), kind, str(text))
    case.data = [str(o) for p in (QT.data, UT.data) for o in graph.objects(action, p)]
    case.graph_data = _graph_data(graph, action)
    if isinstance(result, URIRef):
        case.result = str(result)
    elif result is not None:
        case.result_data = [str(o) for o in graph.objects(result, UT.data)]
        case.result_graphs = _graph_data(graph, result)
    return case


def _graph_data(graph: Graph, node) -> list[tuple[str, str]]:
    out = []
    for item in (*graph.objects(node, QT.graphData), *graph.objects(node, UT.graphData)):
        if isinstance(item, URIRef):  # query tests: the graph is named by its file
            out.append((str(item), str(item)))
        else:  # update tests: the file in ut:graph, the name in rdfs:label
            file = str(graph.value(item, UT.graph))
            out.append((str(graph.value(item, RDFS.label) or file), file))
    return out


# -- terms and result sets ----------------------------------------------------------------
# A term is a tuple: ("uri", iri), ("bnode", label) or ("literal", lexical, datatype, lang).
def literal(value: str, datatype: str | None = None, lang: str | None = None) -> tuple:
    if lang:
        return ("literal", value, "", lang.lower())
    datatype = "" if datatype in (None, XSD + "string") else datatype
    return ("literal", _numeric_value(value, datatype), datatype, "")


_INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                               "positiveInteger", "nonPositiveInteger", "negativeInteger",
                               "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}


def _numeric_value(value: str, datatype: str):
    """Numbers and booleans compare by value within their datatype ("1.0E2" and
    "100"^^xsd:double are one result): Oxigraph keeps values, not lexical forms."""
    try:
        if datatype in _INTEGERS:
            return int(value)
        if datatype == XSD + "decimal":
            return Decimal(value).normalize()
        if datatype in (XSD + "double", XSD + "float"):
            return float(value)
        if datatype == XSD + "boolean" and value in ("true", "false", "1", "0"):
            return value in ("true", "1")
    except (ValueError, ArithmeticError):
        pass
    return value


def _json_term(binding: dict) -> tuple:
    kind = binding["type"]
    if kind == "uri":
        return ("uri", binding["value"])
    if kind == "bnode":
        return ("bnode", binding["value"])
    return literal(binding["value"], binding.get("datatype"), binding.get("xml:lang"))


@dataclass
class Solutions:
    variables: list[str]
    rows: list[dict[str, tuple]]


def parse_json(body: bytes | str) -> Solutions | bool:
    doc = json.loads(body)
    if "boolean" in doc:
        return bool(doc["boolean"])
    rows = [{k: _json_term(v) for k, v in b.items()} for b in doc["results"]["bindings"]]
    return Solutions(doc["head"].get("vars", []), rows)


_SRX = "{http://www.w3.org/2005/sparql-results#}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def parse_srx(body: bytes) -> Solutions | bool:
    root = ET.fromstring(body)
    boolean = root.find(f"{_SRX}boolean")
    if boolean is not None:
        return boolean.text.strip() == "true"
    variables = [v.get("name") for v in root.iter(f"{_SRX}variable")]
    rows = []
    for result in root.iter(f"{_SRX}result"):
        row = {}
        for binding in result.findall(f"{_SRX}binding"):
            term = binding[0]
            tag = term.tag.removeprefix(_SRX)
            if tag == "uri":
                row[binding.get("name")] = ("uri", (term.text or "").strip())
            elif tag == "bnode":
                row[binding.get("name")] = ("bnode", (term.text or "").strip())
            else:
                row[binding.get("name")] = literal(term.text or "", term.get("datatype"),
                                                   term.get(_XML_LANG))
        rows.append(row)
    return Solutions(variables, rows)


def _tsv_term(text: str) -> tuple | None:
    if text == "":
        return None
    parsed = ox.parse(f"<urn:x:s> <urn:x:p> {text} .", format=ox.RdfFormat.TURTLE)
    return _ox_term(next(iter(parsed)).object)


def _ox_term(term) -> tuple:
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value)
    return literal(term.value, term.datatype.value, term.language)


def parse_tsv(body: str) -> Solutions:
    lines = body.rstrip("\n").split("\n")
    variables = [v.strip().lstrip("?$") for v in lines[0].split("\t")]
    rows = []
    for line in lines[1:]:
        cells = line.split("\t")
        row = {v: _tsv_term(c.strip()) for v, c in zip(variables, cells, strict=False)}
        rows.append({k: t for k, t in row.items() if t is not None})
    return Solutions(variables, rows)


def parse_csv(body: str) -> Solutions:
    """CSV keeps only lexical forms: every value becomes a plain string, bnodes stay bnodes."""
    reader = list(csv.reader(io.StringIO(body)))
    variables = reader[0]
    rows = []
    for record in reader[1:]:
        row = {}
        for var, cell in zip(variables, record, strict=False):
            if cell == "":
                continue
            row[var] = ("bnode", cell[2:]) if cell.startswith("_:") else ("text", cell)
        rows.append(row)
    return Solutions(variables, rows)


def _rdflib_term(term) -> tuple:
    if isinstance(term, URIRef):
        return ("uri", str(term))
    if isinstance(term, BNode):
        return ("bnode", str(term))
    return literal(str(term), str(term.datatype) if term.datatype else None, term.language)


def parse_result_graph(graph: Graph) -> Solutions | bool:
    """A result set written in RDF with the rs: vocabulary."""
    result_set = next(graph.subjects(RDF.type, RS.ResultSet))
    boolean = graph.value(result_set, RS.boolean)
    if boolean is not None:
        return bool(boolean.toPython())
    variables = [str(v) for v in graph.objects(result_set, RS.resultVariable)]
    rows = []
    for solution in graph.objects(result_set, RS.solution):
        rows.append({str(graph.value(b, RS.variable)): _rdflib_term(graph.value(b, RS.value))
                     for b in graph.objects(solution, RS.binding)})
    return Solutions(variables, rows)


# -- comparison ---------------------------------------------------------------------------
def _has_bnodes(rows: list[dict]) -> bool:
    return any(term[0] == "bnode" for row in rows for term in row.values())


def same_solutions(expected: Solutions, actual: Solutions, ordered: bool) -> bool:
    if len(expected.rows) != len(actual.rows):
        return False
    if not _has_bnodes(expected.rows) and not _has_bnodes(actual.rows):
        freeze = [frozenset(r.items()) for r in expected.rows]
        got = [frozenset(r.items()) for r in actual.rows]
        return freeze == got if ordered else Counter(freeze) == Counter(got)
    return _match(expected.rows, actual.rows, {}, set(), ordered, 0)


def _row_fits(expected: dict, actual: dict, mapping: dict) -> dict | None:
    if expected.keys() != actual.keys():
        return None
    mapping = dict(mapping)
    used = {v: k for k, v in mapping.items()}
    for var, term in expected.items():
        other = actual[var]
        if term[0] == "bnode" and other[0] == "bnode":
            if mapping.get(term, other) != other or used.get(other, term) != term:
                return None
            mapping[term], used[other] = other, term
        elif term != other:
            return None
    return mapping


def _match(expected, actual, mapping, taken, ordered, i) -> bool:
    if i == len(expected):
        return True
    candidates = [i] if ordered else range(len(actual))
    for j in candidates:
        if j in taken:
            continue
        extended = _row_fits(expected[i], actual[j], mapping)
        if extended is not None and _match(expected, actual, extended, taken | {j}, ordered,
                                           i + 1):
            return True
    return False


_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)


def _graph_from_file(iri: str) -> Graph:
    path = path_of(iri)
    fmt = {"rdf": "xml", "nt": "nt"}.get(path.suffix.lstrip("."), "turtle")
    return Graph().parse(path, format=fmt, publicID=iri)


def _ntriples(iri: str) -> bytes:
    """A data file as N-Triples, relative IRIs resolved against the file's suite IRI."""
    path = path_of(iri)
    fmt = {".rdf": ox.RdfFormat.RDF_XML, ".nt": ox.RdfFormat.N_TRIPLES}.get(
        path.suffix, ox.RdfFormat.TURTLE)
    triples = list(ox.parse(path=str(path), format=fmt, base_iri=iri))
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) if triples else b""


# -- running ------------------------------------------------------------------------------
SYNTAX_ERROR = "SPARQL syntax error"
SYNTAX_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
_REFUSAL = re.compile(r"is refused|is not in the store|never fetches")


class Runner:
    """Runs cases one by one against a live server (union default graph off)."""

    def __init__(self, url: str, token: str, timeout: float = 30) -> None:
        self.url = url
        self.http = requests.Session()
        self.http.trust_env = False
        self.write_headers = {"Authorization": f"Bearer {token}"}
        self.timeout = timeout
        self._loaded: tuple | None = None    # data signature in the store; () empty, None unknown

    # store handling
    def graph_names(self) -> list[str]:
        response = self._sparql("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", "query",
                                "application/sparql-results+json")
        response.raise_for_status()
        return [b["g"]["value"] for b in response.json()["results"]["bindings"]]

    def clean(self) -> None:
        for graph in [*self.graph_names(), None]:
            params = {"graph": graph} if graph else {"default": ""}
            response = self.http.delete(self.url + "/store", params=params,
                                        headers=self.write_headers, timeout=self.timeout)
            if response.status_code not in (204, 404):
                raise RuntimeError(f"cannot delete {graph or 'default'}: {response.text}")

    def put(self, file_iri: str, graph: str | None) -> None:
        params = {"graph": graph} if graph else {"default": ""}
        response = self.http.put(
            self.url + "/store", params=params, data=_ntriples(file_iri), timeout=self.timeout,
            headers={**self.write_headers, "Content-Type": "application/n-triples"})
        if response.status_code not in (201, 204):
            raise LoadRefused(f"PUT {file_iri} -> {response.status_code}: {response.text[:300]}")

    def load(self, case: Case) -> None:
        for file in case.data:
            self.put(file, None)
        for name, file in case.graph_data:
            self.put(file, name)

    def fetch(self, graph: str | None) -> Graph:
        params = {"graph": graph} if graph else {"default": ""}
        response = self.http.get(self.url + "/store", params=params, timeout=self.timeout,
                                 headers={"Accept": "application/n-triples"})
        response.raise_for_status()
        return Graph().parse(data=response.text, format="nt")

    def _sparql(self, text: str, kind: str, accept: str) -> requests.Response:
        headers = {"Content-Type": f"application/sparql-{kind}", "Accept": accept}
        if kind == "update":
            headers.update(self.write_headers)
        return self.http.post(self.url + "/sparql", data=text.encode(), headers=headers,
                              timeout=self.timeout)

    # cases
    def run_all(self, cases: list[Case]) -> list[Outcome]:
        """Query tests run grouped by their data (loaded once per group); anything that
        writes starts from a clean store."""
        return [self.run(case) for case in sorted(cases, key=_run_order)]

    def run(self, case: Case) -> Outcome:
        try:
            self._prepare(case)
            outcome = self._run(case)
        except LoadRefused as exc:
            self._loaded = None
            return Outcome(case, "fail", f"data not loaded: {exc}")
        except (requests.RequestException, ValueError, KeyError, SyntaxError,
                ET.ParseError) as exc:
            self._loaded = None
            return Outcome(case, "fail", f"{type(exc).__name__}: {exc}")
        if "Update" in case.kind:
            self._loaded = None  # the update may have changed anything
        return outcome

    def _prepare(self, case: Case) -> None:
        wanted = _signature(case)
        if wanted == self._loaded:
            return
        if self._loaded != ():
            self.clean()
            self._loaded = ()
        self._loaded = None
        self.load(case)
        self._loaded = wanted

    def _run(self, case: Case) -> Outcome:
        text = f"BASE <{case.action}>\n" + path_of(case.action).read_text(encoding="utf-8")
        if case.kind.endswith("SyntaxTest11"):
            return self._syntax(case, text)
        if case.kind == "UpdateEvaluationTest":
            return self._update(case, text)
        return self._query(case, text)

    def _refusal(self, case: Case, response: requests.Response) -> Outcome:
        message = _message(response)
        status = "refused" if response.status_code == 400 and _REFUSAL.search(message) else "fail"
        return Outcome(case, status, f"{response.status_code}: {message}")

    def _syntax(self, case: Case, text: str) -> Outcome:
        """Negative: a 400 syntax error. Positive: anything but a syntax error or a refusal
        (the service runs what it parses, on an empty store: a DROP of a missing graph or
        an unknown extension function is an evaluation error, which shows it parsed; a LOAD
        is refused by policy with 403 only once the whole update has parsed)."""
        kind = "update" if "Update" in case.kind else "query"
        response = self._sparql(text, kind, SYNTAX_ACCEPT)
        message = _message(response) if response.status_code >= 400 else ""
        syntax_error = response.status_code == 400 and message.startswith(SYNTAX_ERROR)
        if response.status_code == 400 and _REFUSAL.search(message):
            return self._refusal(case, response)  # refused before parsing: syntax untested
        if case.kind.startswith("Negative"):
            return Outcome(case, "pass" if syntax_error else "fail",
                           f"{response.status_code} {message}")
        ok = response.status_code < 300 or (response.status_code == 400 and not syntax_error) \
            or (response.status_code == 403 and "never fetches" in message)
        return Outcome(case, "pass" if ok else "fail", f"{response.status_code} {message}")

    def _query(self, case: Case, text: str) -> Outcome:
        suffix = Path(case.result).suffix
        expected_graph = None
        if suffix in (".ttl", ".rdf", ".nt"):
            expected_graph = _graph_from_file(case.result)
            if (None, RDF.type, RS.ResultSet) in expected_graph:
                expected, expected_graph = parse_result_graph(expected_graph), None
        elif suffix == ".srx":
            expected = parse_srx(path_of(case.result).read_bytes())
        elif suffix == ".srj":
            expected = parse_json(path_of(case.result).read_bytes())
        elif suffix == ".tsv":
            expected = parse_tsv(path_of(case.result).read_text(encoding="utf-8"))
        else:
            expected = parse_csv(path_of(case.result).read_text(encoding="utf-8"))
        accept = ("application/n-triples" if expected_graph is not None else
                  "text/csv" if suffix == ".csv" else "application/sparql-results+json")
        response = self._sparql(text, "query", accept)
        if response.status_code != 200:
            return self._refusal(case, response)
        if expected_graph is not None:
            actual = Graph().parse(data=response.text, format="nt")
            ok = isomorphic(expected_graph, actual)
            return Outcome(case, "pass" if ok else "fail",
                           "" if ok else f"graph differs: got {len(actual)} triples, "
                           f"expected {len(expected_graph)}")
        actual = (parse_csv(response.content.decode()) if suffix == ".csv"
                  else parse_json(response.content))
        return self._compare(case, expected, actual, bool(_ORDER_BY.search(text)))

    def _compare(self, case, expected, actual, ordered) -> Outcome:
        if isinstance(expected, bool) or isinstance(actual, bool):
            ok = expected == actual
            return Outcome(case, "pass" if ok else "fail", f"expected {expected}, got {actual}")
        if same_solutions(expected, actual, ordered):
            return Outcome(case, "pass")
        return Outcome(case, "fail", f"solutions differ: expected {expected.rows[:5]}..., "
                       f"got {actual.rows[:5]}... ({len(expected.rows)} vs "
                       f"{len(actual.rows)} rows, ordered={ordered})")

    def _update(self, case: Case, text: str) -> Outcome:
        response = self._sparql(text, "update", "text/plain")
        if response.status_code >= 300:
            return self._refusal(case, response)
        expected = {None: _union(case.result_data)}
        for name, file in case.result_graphs:
            expected.setdefault(name, Graph())
            expected[name] += _graph_from_file(file)
        actual = {None: self.fetch(None)}
        for name in self.graph_names():  # every graph the service lists: none is excluded
            actual[name] = self.fetch(name)
        expected = {k: g for k, g in expected.items() if k is None or len(g)}
        actual = {k: g for k, g in actual.items() if k is None or len(g)}
        if expected.keys() != actual.keys():
            return Outcome(case, "fail", f"graphs differ: expected {sorted(map(str, expected))}"
                           f", got {sorted(map(str, actual))}")
        different = [str(k) for k in expected if not isomorphic(expected[k], actual[k])]
        return Outcome(case, "fail" if different else "pass",
                       f"graph content differs: {different}" if different else "")


def _signature(case: Case) -> tuple:
    return (*case.data, *(f"{name}={file}" for name, file in case.graph_data))


def _run_order(case: Case) -> tuple:
    group = 0 if case.kind.endswith("SyntaxTest11") and "Update" not in case.kind else \
        1 if "Update" not in case.kind else 2
    return (group, _signature(case) if group == 1 else ())


def _union(files: list[str]) -> Graph:
    graph = Graph()
    for file in files:
        graph += _graph_from_file(file)
    return graph


def _message(response: requests.Response) -> str:
    try:
        return response.json()["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return response.text[:300]


class LoadRefused(Exception):
    pass
