"""Reading RDF safely: format detection, hostile-input screening, precise syntax errors.

The parsers underneath (Oxigraph's) are fast but trust their input: a billion-laughs
RDF/XML makes them allocate gigabytes, and very deep JSON-LD or Turtle nesting
crashes the process. So every input is screened here first, cheaply, and only
then parsed. Nothing here ever dereferences an IRI: remote JSON-LD contexts,
DOCTYPEs and entities are refused.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from .errors import InvalidData, Problem, UnsupportedMediaType

__all__ = ["FORMATS", "RdfFormatInfo", "detect_format", "format_by_media_type", "graph_of",
           "is_blank", "is_iri", "read_quads", "to_ntriples"]


@dataclass(frozen=True)
class RdfFormatInfo:
    name: str
    media_types: tuple[str, ...]
    extensions: tuple[str, ...]
    ox_format: ox.RdfFormat
    nests: bool  # whether the syntax has brackets that can nest

    @property
    def media_type(self) -> str:
        return self.media_types[0]

    @property
    def datasets(self) -> bool:
        return self.ox_format.supports_datasets


FORMATS: dict[str, RdfFormatInfo] = {
    f.name: f
    for f in (
        RdfFormatInfo("turtle", ("text/turtle", "application/x-turtle"), (".ttl",),
                      ox.RdfFormat.TURTLE, True),
        RdfFormatInfo("ntriples", ("application/n-triples", "text/plain"), (".nt",),
                      ox.RdfFormat.N_TRIPLES, False),
        RdfFormatInfo("nquads", ("application/n-quads", "text/x-nquads"), (".nq",),
                      ox.RdfFormat.N_QUADS, False),
        RdfFormatInfo("trig", ("application/trig",), (".trig",), ox.RdfFormat.TRIG, True),
        RdfFormatInfo("jsonld", ("application/ld+json",), (".jsonld", ".json"),
                      ox.RdfFormat.JSON_LD, True),
        RdfFormatInfo("rdfxml", ("application/rdf+xml", "application/xml", "text/xml"),
                      (".rdf", ".owl", ".xml"), ox.RdfFormat.RDF_XML, False),
    )
}

MAX_NESTING = 500

_XML_DANGER = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def format_by_media_type(media_type: str) -> RdfFormatInfo:
    base = media_type.split(";")[0].strip().lower()
    for info in FORMATS.values():
        if base in info.media_types:
            return info
    known = ", ".join(f.media_type for f in FORMATS.values())
    raise UnsupportedMediaType(f"unsupported RDF media type {base!r}; use one of: {known}")


def detect_format(name: str, head: bytes, explicit: str | None = None) -> RdfFormatInfo:
    """The format named explicitly, else by file extension, else sniffed from the content."""
    if explicit:
        if explicit in FORMATS:
            return FORMATS[explicit]
        raise InvalidData(f"unknown format {explicit!r}; use one of: {', '.join(FORMATS)}")
    lowered = name.lower().removesuffix(".gz")
    for info in FORMATS.values():
        if lowered.endswith(info.extensions):
            return info
    return _sniff(name, head)


def _sniff(name: str, head: bytes) -> RdfFormatInfo:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith((b"{", b"[")):
        return FORMATS["jsonld"]
    if text.startswith(b"<?xml") or text.startswith(b"<rdf:RDF"):
        return FORMATS["rdfxml"]
    if re.match(rb"(@prefix|@base|PREFIX|BASE)\b", text, re.IGNORECASE):
        return FORMATS["trig"] if b"GRAPH" in head or b"{" in head else FORMATS["turtle"]
    first = text.split(b"\n", 1)[0].strip()
    if re.match(rb"^(<[^>]*>|_:\S+)\s+<[^>]*>\s+.+\s+(<[^>]*>|_:\S+)\s*\.$", first):
        return FORMATS["nquads"]
    if re.match(rb"^(<[^>]*>|_:\S+)\s+<[^>]*>\s+.+\.$", first):
        return FORMATS["ntriples"]
    raise InvalidData(f"cannot tell the RDF format of {name}; give it with --format",
                      [Problem("unknown format", file=name)])


def decompress(name: str, data: bytes) -> bytes:
    if name.lower().endswith(".gz") or data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError) as exc:
            problem = Problem(str(exc), file=name)
            raise InvalidData(f"{name}: not a valid gzip file", [problem]) from None
    return data


def screen(name: str, data: bytes, info: RdfFormatInfo, max_nesting: int = MAX_NESTING) -> None:
    """Refuse inputs the parser would mishandle, before it sees them."""
    if info.name == "rdfxml":
        _screen_xml(name, data)
    elif info.name == "jsonld":
        _screen_json(name, data, max_nesting)
    elif info.nests:
        depth, line = _bracket_depth(data)
        if depth > max_nesting:
            raise _too_deep(name, depth, max_nesting, line)


def _screen_xml(name: str, data: bytes) -> None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4]:
        raise InvalidData(f"{name}: RDF/XML must be UTF-8",
                          [Problem("UTF-16 and other encodings are not accepted", file=name)])
    match = _XML_DANGER.search(data)
    if match:
        line = data.count(b"\n", 0, match.start()) + 1
        raise InvalidData(
            f"{name}: RDF/XML with a DOCTYPE or entity declarations is refused",
            [Problem("DOCTYPE and ENTITY declarations are not allowed (they enable "
                     "entity-expansion and external-entity attacks)", file=name, line=line)])


def _screen_json(name: str, data: bytes, max_nesting: int) -> None:
    try:
        document = json.loads(data)
    except RecursionError:
        raise _too_deep(name, None, max_nesting, None) from None
    except (ValueError, UnicodeDecodeError) as exc:
        line, col = getattr(exc, "lineno", None), getattr(exc, "colno", None)
        raise InvalidData(f"{name}: not valid JSON",
                          [Problem(getattr(exc, "msg", str(exc)), file=name, line=line,
                                   column=col)]) from None
    depth = _json_depth(document, max_nesting)
    if depth > max_nesting:
        raise _too_deep(name, depth, max_nesting, None)
    _refuse_remote_contexts(name, document)


def _json_depth(node: object, limit: int) -> int:
    depth, frontier = 0, [node]
    while frontier and depth <= limit:
        depth += 1
        children: list = []
        for item in frontier:
            if isinstance(item, dict):
                children.extend(v for v in item.values() if isinstance(v, dict | list))
            elif isinstance(item, list):
                children.extend(v for v in item if isinstance(v, dict | list))
        frontier = children
    return depth


def _refuse_remote_contexts(name: str, node: object) -> None:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            context = item.get("@context")
            for ctx in context if isinstance(context, list) else [context]:
                if isinstance(ctx, str):
                    raise InvalidData(
                        f"{name}: remote JSON-LD @context {ctx!r} is refused",
                        [Problem("ccgraph never fetches remote contexts; embed the context "
                                 "object in the document", file=name)])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


# Terminals as the parser reads them (a comment ends at CR or LF, IRIs hold \u escapes,
# local names \-escapes such as \#): a mismatch would hide brackets from the count.
_TOKENS = re.compile(
    rb'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    rb'|"(?:[^"\\\r\n]|\\.)*"|\'(?:[^\'\\\r\n]|\\.)*\''
    rb'|<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>'
    rb'|\\.|#[^\r\n]*|[\[\](){}]',
    re.DOTALL,
)


def _bracket_depth(data: bytes) -> tuple[int, int | None]:
    depth = deepest = 0
    deepest_at = None
    for match in _TOKENS.finditer(data):
        token = match.group()
        if token in (b"[", b"(", b"{"):
            depth += 1
            if depth > deepest:
                deepest, deepest_at = depth, match.start()
        elif token in (b"]", b")", b"}"):
            depth -= 1
    line = data.count(b"\n", 0, deepest_at) + 1 if deepest_at is not None else None
    return deepest, line


def _too_deep(name: str, depth: int | None, limit: int, line: int | None) -> InvalidData:
    found = f"{depth} levels" if depth else "too many levels"
    return InvalidData(f"{name}: nesting too deep ({found}; the limit is {limit})",
                       [Problem(f"nesting deeper than {limit} levels", file=name, line=line)])


def read_quads(name: str, data: bytes, info: RdfFormatInfo, *,
               base_iri: str | None = None, graph: str = "") -> list[ox.Quad]:
    """Parse fully (so a syntax error anywhere rejects the whole input) into quads.

    Triples land in `graph` ("" is the default graph); quads keep their own graph. The
    quads are for validation and the helpers below; the store takes rdflib triples
    (`store.terms` converts).
    """
    screen(name, data, info)
    try:
        parsed: Iterator = ox.parse(data, format=info.ox_format, base_iri=base_iri,
                                    rename_blank_nodes=True)
        quads = list(parsed)
    except SyntaxError as exc:
        problem = syntax_problem(name, exc)
        if problem.line is None and info.name == "rdfxml":
            problem = _xml_position(name, data) or problem
        raise InvalidData(f"{name}: syntax error", [problem]) from None
    except (ValueError, OSError) as exc:
        raise InvalidData(f"{name}: cannot read", [Problem(str(exc), file=name)]) from None
    if not graph:
        return quads
    node = ox.NamedNode(graph)
    return [q if not isinstance(q.graph_name, ox.DefaultGraph)
            else ox.Quad(q.subject, q.predicate, q.object, node) for q in quads]


# -- what load and validate ask of parsed quads, without handling Oxigraph's types ------
def graph_of(quad: ox.Quad) -> str:
    """The IRI of a parsed quad's graph; "" for the default graph."""
    return "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value


def is_iri(term: object) -> bool:
    return isinstance(term, ox.NamedNode)


def is_blank(term: object) -> bool:
    return isinstance(term, ox.BlankNode)


def to_ntriples(quads: list[ox.Quad]) -> bytes:
    """The quads' triples (their graph left to whoever loads them)."""
    return ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES) or b""



def _xml_position(name: str, data: bytes) -> Problem | None:
    """Oxigraph's RDF/XML errors carry no position; expat finds well-formedness errors'.

    Safe here: documents with a DOCTYPE or entities were refused by `screen` already.
    """
    from xml.parsers import expat

    parser = expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        return Problem(expat.errors.messages[exc.code], file=name, line=exc.lineno,
                       column=exc.offset + 1)
    return None


def syntax_problem(name: str | None, exc: SyntaxError) -> Problem:
    message = exc.msg or str(exc)
    message = re.sub(r"^Parser error (between|at) line \d+ (column \d+|between columns \d+"
                     r" and \d+)( and line \d+ column \d+)?: ", "", message)
    return Problem(message, file=name, line=exc.lineno, column=exc.offset)
