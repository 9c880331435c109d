"""A small SPARQL lexer: what we must know about a request before an engine sees it.

Engines crash on deep nesting and happily fetch from the network (`SERVICE`,
`LOAD`, `FROM <http://...>`), so these facts are read from the tokens first:
nesting depth, the operation kind, the graphs a dataset clause names, and the
federated or loading operations that are refused by default.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from .errors import BadRequest

__all__ = ["SparqlFacts", "check_update_syntax", "drop_silent_loads", "inspect",
           "simple_group_concat", "update_targets", "with_dataset"]

_TOKEN = re.compile(
    # Terminals as Oxigraph reads them: a comment ends at CR or LF, IRIs may hold \u
    # escapes and any character above U+0020, local names may hold \-escapes such as \#.
    # Wherever this lexer and the engine disagree, a SERVICE or LOAD could hide.
    r'(?P<ws>\s+)|(?P<comment>#[^\r\n]*)'
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\r\n]|\\.)*"|\'(?:[^\'\\\r\n]|\\.)*\')'
    r'|(?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)'
    r'|(?P<var>[?$][\w\u00b7-\U000effff]+)'
    r'|(?P<pname>(?:[A-Za-z\u00c0-\U000effff][\w.\-\u00b7-\U000effff]*)?:'
    r'(?:(?:[\w\-:%\u00b7-\U000effff]|\\[_~.\-!$&\'()*+,;=/?#@%])'
    r'(?:\.*(?:[\w\-:%\u00b7-\U000effff]|\\[_~.\-!$&\'()*+,;=/?#@%]))*)?)'
    r'|(?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)'
    r'|(?P<word>[A-Za-z_][\w]*)'
    r'|(?P<open>[{(\[])|(?P<close>[})\]])'
    r'|(?P<other>.)',
    re.DOTALL,
)

_QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD",
                 "WITH"}


@dataclass
class SparqlFacts:
    kind: str = ""                      # "query" or "update"
    form: str = ""                      # SELECT, ASK, CONSTRUCT, DESCRIBE (queries)
    depth: int = 0
    services: list[str] = field(default_factory=list)
    loads: list[str] = field(default_factory=list)
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    using_graphs: list[str] = field(default_factory=list)
    has_with: bool = False
    top_level_limit: int | None = None


def _tokens(text: str):
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind in ("ws", "comment"):
            continue
        yield kind, match.group()


def add_using(text: str, graphs: list[str], named: list[str]) -> str:
    """Apply the protocol's using-graph-uri / using-named-graph-uri to every
    DELETE/INSERT ... WHERE operation, as if each had those USING clauses.

    The IRIs are checked to be plain absolute IRIs and written between angle
    brackets; the update's own text is not otherwise touched.
    """
    for iri in (*graphs, *named):
        if not _PLAIN_IRI.match(iri):
            raise BadRequest(f"not an absolute IRI: {iri!r}")
    clause = " ".join([*(f"USING <{g}>" for g in graphs), *(f"USING NAMED <{g}>" for g in named)])
    cuts, depth, previous = [], 0, ""
    for match in _TOKEN.finditer(text):
        kind, value = match.lastgroup, match.group()
        if kind in ("ws", "comment"):
            continue
        depth += kind == "open"
        depth -= kind == "close"
        if kind == "word" and value.upper() == "WHERE" and depth == 0 and previous == "}":
            cuts.append(match.start())
        previous = value
    for position in reversed(cuts):
        text = f"{text[:position]}{clause} {text[position:]}"
    return text


def inject_values(text: str, block: str) -> str:
    """Put a VALUES block first inside the query's WHERE group.

    A trailing VALUES is joined after aggregation, so it would not restrict a
    COUNT; inside the group it binds the variable before anything is computed.
    `block` is written by the caller from serialized RDF terms only.
    """
    depth, after_where, kind = 0, False, ""
    for match in _TOKEN.finditer(text):
        group, value = match.lastgroup, match.group()
        if group in ("ws", "comment"):
            continue
        upper = value.upper() if group == "word" else ""
        if depth == 0 and upper in _QUERY_FORMS and not kind:
            kind = upper
        if depth == 0 and upper == "WHERE":
            after_where = True
        if group == "open" and value == "{":
            if depth == 0 and (after_where or kind in ("SELECT", "ASK", "DESCRIBE")):
                return f"{text[:match.end()]} {block} {text[match.end():]}"
            depth += 1
        elif group == "open":
            depth += 1
        elif group == "close":
            depth -= 1
    raise BadRequest("cannot find the query's WHERE clause to bind parameters in")


_PLAIN_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")


def _matches(text: str):
    return [m for m in _TOKEN.finditer(text) if m.lastgroup not in ("ws", "comment")]


def update_targets(text: str, base_iri: str | None = None) -> tuple[list[str], bool]:
    """The IRIs an update names (resolved), and whether it may write any graph at all
    (`GRAPH ?g` in a template, ALL, NAMED). An over-estimate is safe: the writer compares
    what these graphs held before and after the update."""
    prefixes: dict[str, str] = {}
    base, iris, everything = base_iri or "", [], False
    tokens = [(m.lastgroup, m.group()) for m in _matches(text)]
    depth, section, previous = 0, "", ""
    for i, (kind, value) in enumerate(tokens):
        upper = value.upper() if kind == "word" else ""
        if upper == "PREFIX" and i + 2 < len(tokens) and tokens[i + 2][0] == "iri":
            prefixes[tokens[i + 1][1].rstrip(":")] = urljoin(base, tokens[i + 2][1][1:-1])
        elif upper == "BASE" and i + 1 < len(tokens) and tokens[i + 1][0] == "iri":
            base = urljoin(base, tokens[i + 1][1][1:-1])
        elif kind in ("iri", "pname"):
            iris.append(_resolve(value, prefixes, base))
        depth += (kind == "open") - (kind == "close")
        if depth == 0 and upper in ("INSERT", "DELETE"):
            section = "template"
        elif depth == 0 and upper == "WHERE" and previous != "DELETE":
            section = "where"
        following = tokens[i + 1] if i + 1 < len(tokens) else ("", "")
        if upper == "GRAPH" and following[0] == "var" and section == "template":
            everything = True
        if upper == "ALL" or (upper == "NAMED" and previous not in ("USING", "FROM")):
            everything = True
        previous = upper or value
    return iris, everything


def with_dataset(text: str, default: str, named: list[str]) -> str:
    """Give every DELETE/INSERT ... WHERE operation that names no dataset of its own (USING,
    WITH) the dataset `USING <default> USING NAMED <each of named>`; a DELETE WHERE is
    written as the DELETE ... WHERE it abbreviates so that it can carry one."""
    for iri in (default, *named):
        if not _PLAIN_IRI.match(iri):
            raise BadRequest(f"not an absolute IRI: {iri!r}")
    clause = " ".join([f"USING <{default}>", *(f"USING NAMED <{g}>" for g in named)])
    edits = []
    for operation in _operations(_matches(text)):
        edits += _dataset_edits(text, operation, clause)
    for start, end, replacement in sorted(edits, reverse=True):
        text = f"{text[:start]}{replacement}{text[end:]}"
    return text


def _operations(matches: list) -> list[list]:
    operations, current, depth = [], [], 0
    for match in matches:
        depth += (match.lastgroup == "open") - (match.lastgroup == "close")
        if depth == 0 and match.group() == ";":
            operations.append(current)
            current = []
        else:
            current.append(match)
    return [*operations, current]


def _dataset_edits(text: str, tokens: list, clause: str) -> list[tuple[int, int, str]]:
    words, depth, edits, previous = [], 0, [], None
    for i, match in enumerate(tokens):
        upper = match.group().upper() if match.lastgroup == "word" else ""
        if depth == 0 and upper:
            words.append(upper)
            if upper == "WHERE" and previous is not None and previous.group() == "}":
                edits.append((match.start(), match.start(), f"{clause} "))
            elif upper == "WHERE" and previous is not None and previous.group().upper() == "DELETE":
                edits.append(_delete_where(text, tokens, i, clause))
        depth += (match.lastgroup == "open") - (match.lastgroup == "close")
        previous = match
    if {"USING", "WITH"} & set(words):
        return []
    return [e for e in edits if e is not None]


def _delete_where(text: str, tokens: list, i: int, clause: str):
    depth = 0
    for match in tokens[i + 1:]:
        depth += (match.lastgroup == "open") - (match.lastgroup == "close")
        if depth == 0 and match.group() == "}":
            block = text[tokens[i + 1].start():match.end()]
            return (tokens[i].start(), match.end(), f"{block} {clause} WHERE {block}")
    return None


def check_update_syntax(text: str) -> None:
    """BadRequest if the update is malformed, without running any of it.

    An update with a LOAD is refused by policy (403) before the engine sees it, and only a
    well-formed request may be refused by policy: a malformed one is 400 (W3C syntax-update
    tests). Oxigraph parses only as it runs, and running a LOAD fetches, so rdflib's parser
    (the SPARQL grammar, no evaluation, never fetches) reads it. Text too deeply nested for
    that parser is not judged here (it is refused by policy all the same).
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except ParseException as exc:
        raise BadRequest(f"SPARQL syntax error: {exc.msg}", line=exc.lineno,
                         column=exc.col) from None
    except RecursionError:
        return


def drop_silent_loads(text: str) -> tuple[str, list[str]]:
    """`LOAD SILENT <iri> [INTO GRAPH <g>]` operations removed (the service never fetches;
    SILENT asks for a refused LOAD to be a no-op), and the targets of LOADs without SILENT."""
    matches = _matches(text)
    edits, refused = [], []
    for i, match in enumerate(matches):
        if match.lastgroup != "word" or match.group().upper() != "LOAD":
            continue
        silent = i + 1 < len(matches) and matches[i + 1].group().upper() == "SILENT"
        if not silent:
            refused.append(matches[i + 1].group() if i + 1 < len(matches) else "?")
            continue
        end = i + 3
        if end < len(matches) and matches[end].group().upper() == "INTO":
            end += 3
        if end < len(matches) and matches[end].group() == ";":
            end += 1
        last = matches[min(end, len(matches)) - 1]
        edits.append((match.start(), last.end()))
    for start, end in reversed(edits):
        text = f"{text[:start]} {text[end:]}"
    return text, refused


def simple_group_concat(text: str) -> str:
    """Every `GROUP_CONCAT(...)` written as `STR(GROUP_CONCAT(...))`.

    SPARQL 1.1 (18.5.1.7) defines GROUP_CONCAT's value as a simple literal; Oxigraph keeps
    a language tag its inputs share (`"1 2"@en`, the SPARQL 1.2 draft), so a 1.1 query
    comparing it with "1 2" is false. STR of that value is the 1.1 value, and STR of an
    error is an error, so the wrapper changes nothing else; STR(aggregate) is allowed
    wherever an aggregate is (SELECT, HAVING, ORDER BY). Only a bare word is the
    aggregate: strings, IRIs, prefixed names and variables are other tokens.
    """
    if "group_concat" not in text.lower():
        return text
    matches = _matches(text)
    edits = []
    for i, match in enumerate(matches[:-1]):
        if match.lastgroup != "word" or match.group().upper() != "GROUP_CONCAT" \
                or matches[i + 1].group() != "(":
            continue
        depth = 0
        for closing in matches[i + 1:]:
            depth += (closing.lastgroup == "open") - (closing.lastgroup == "close")
            if depth == 0:
                edits += [(match.start(), 1, "STR("), (closing.end(), 0, ")")]
                break
    # From the end, so earlier positions stay right; at one position "STR(" goes in first,
    # so a ")" inserted there after it lands before it.
    for position, _, insert in sorted(edits, reverse=True):
        text = f"{text[:position]}{insert}{text[position:]}"
    return text


def inspect(text: str, max_depth: int) -> SparqlFacts:
    """Facts about a query or update, reading tokens only (no parse, no recursion).

    The facts of a text seen recently are remembered (applications send the same queries
    again and again, and lexing a named query took 0.07 ms, once in the web process and
    once in the engine): callers read them and never change them.
    """
    if len(text) > _REMEMBERED_TEXT:
        return _inspect(text, max_depth)
    return _inspect_remembered(text, max_depth)


def _inspect(text: str, max_depth: int) -> SparqlFacts:
    facts = SparqlFacts()
    prefixes: dict[str, str] = {}
    base = ""
    tokens = list(_tokens(text))
    depth = 0
    for i, (kind, value) in enumerate(tokens):
        upper = value.upper() if kind == "word" else ""
        if kind == "open":
            depth += 1
            if depth > max_depth:
                raise BadRequest(f"query nesting is deeper than {max_depth} levels",
                                 limit=max_depth)
            facts.depth = max(facts.depth, depth)
        elif kind == "close":
            depth -= 1
        elif upper == "PREFIX" and i + 2 < len(tokens) and tokens[i + 2][0] == "iri":
            prefixes[tokens[i + 1][1].rstrip(":")] = urljoin(base, tokens[i + 2][1][1:-1])
        elif upper == "BASE" and i + 1 < len(tokens) and tokens[i + 1][0] == "iri":
            base = urljoin(base, tokens[i + 1][1][1:-1])
        elif upper and depth == 0 and not facts.kind:
            _classify(facts, upper)
        if upper:
            _note_keyword(facts, upper, tokens, i, depth, prefixes, base)
    return facts


_REMEMBERED_TEXT = 16_384
_inspect_remembered = functools.lru_cache(maxsize=256)(_inspect)


def _classify(facts: SparqlFacts, upper: str) -> None:
    if upper in _QUERY_FORMS:
        facts.kind, facts.form = "query", upper
    elif upper in _UPDATE_WORDS:
        facts.kind = "update"


def _note_keyword(facts, upper, tokens, i, depth, prefixes, base) -> None:
    following = tokens[i + 1: i + 4]
    if upper == "SERVICE":
        target = next((v for k, v in following if k in ("iri", "pname", "var")), "?")
        facts.services.append(_resolve(target, prefixes, base))
    elif upper == "LOAD":
        target = next((v for k, v in following if k in ("iri", "pname")), "?")
        facts.loads.append(_resolve(target, prefixes, base))
    elif upper in ("FROM", "USING"):
        named = bool(following) and following[0][1].upper() == "NAMED"
        target = following[1 if named else 0] if len(following) > int(named) else ("", "")
        iri = _resolve(target[1], prefixes, base)
        if upper == "USING":
            facts.using_graphs.append(iri)
        else:
            (facts.from_named if named else facts.from_graphs).append(iri)
    elif upper == "WITH" and depth == 0:
        facts.has_with = True
    elif upper == "LIMIT" and depth == 0 and following and following[0][1].isdigit():
        facts.top_level_limit = int(following[0][1])


def _resolve(token: str, prefixes: dict[str, str], base: str) -> str:
    if token.startswith("<") and token.endswith(">"):
        return urljoin(base, token[1:-1]) if base else token[1:-1]
    if ":" in token and not token.startswith(("?", "$")):
        prefix, local = token.split(":", 1)
        if prefix in prefixes:
            return prefixes[prefix] + local
    return token
