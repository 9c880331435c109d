"""Property-based tests (hypothesis, bounded): readers of untrusted input fail only with
InvalidData or BadRequest, never otherwise; the pre-parse lexer sees every SERVICE and LOAD
that Oxigraph would execute; slugs and IRIs stay valid; bound values stay values."""

from __future__ import annotations

import contextlib
import gzip
import re

import pyoxigraph as ox
import pytest
import requests
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import Literal

from ccgraph.errors import BadRequest, InvalidData
from ccgraph.load import default_graph_for
from ccgraph.namespaces import GRAPH
from ccgraph.queries import Parameter
from ccgraph.rdfio import FORMATS, decompress, detect_format, read_quads
from ccgraph.sparql_text import inspect
from ccgraph.store import open_store
from ccgraph.store.base import encode_bindings
from ccgraph.store.terms import from_ntriples

BOUNDED = settings(max_examples=150, deadline=None, database=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture,
                                          HealthCheck.too_slow])
RDF_ALPHABET = st.sampled_from([
    *'<>"\'#@.;,:[](){}_\\\n\r\t ^aAzZ09/-+&%=?', "http://e/", "@prefix", "PREFIX", "\\u0041",
    "<<", ">>", '"""', "\'\'\'", "^^", "@en", "_:b", "true", "1.5e3", "\u00e9", '{"@id":',
    '"@context":', "<?xml", "<rdf:RDF", "&lt;"])
RDFISH = st.lists(RDF_ALPHABET, max_size=60).map("".join).map(str.encode)


# -- reading untrusted bytes ---------------------------------------------------------------
@pytest.mark.parametrize("fmt", sorted(FORMATS))
@BOUNDED
@given(data=st.one_of(st.binary(max_size=600), RDFISH))
def test_reading_any_bytes_succeeds_or_raises_invalid_data(fmt, data):
    try:
        quads = read_quads("fuzz", data, FORMATS[fmt])
    except InvalidData as exc:
        assert exc.problems and all(p.message for p in exc.problems)
        return
    assert all(isinstance(q, ox.Quad) for q in quads)


@BOUNDED
@given(name=st.text(max_size=40), data=st.one_of(st.binary(max_size=300), RDFISH))
def test_format_detection_and_decompression_never_crash(name, data):
    try:
        info = detect_format(name, decompress(name, data)[:4096])
    except InvalidData:
        return
    assert info.name in FORMATS


@BOUNDED
@given(data=st.binary(max_size=300))
def test_gzip_of_anything_is_read_back_or_refused(data):
    assert decompress("x.gz", gzip.compress(data)) == data
    with contextlib.suppress(InvalidData):
        decompress("x.ttl.gz", data)


@pytest.mark.parametrize("fmt", ["turtle", "trig"])
@pytest.mark.parametrize("hiding", ["# note\r", "<http://e/\\u0061#x> ", "ex:\\#x ",
                                    "<http://e/\u00a0#x> "])
def test_nesting_cannot_hide_behind_what_the_parser_reads_differently(fmt, hiding):
    deep = f"@prefix ex: <http://e/> . ex:a ex:p {hiding}" + "(" * 600 + ")" * 600 + " ."
    if fmt == "trig":
        deep = deep.replace("ex:a ex:p", "ex:g { ex:a ex:p") + " }"
    with pytest.raises(InvalidData, match="nesting too deep"):
        read_quads("deep", deep.encode(), FORMATS[fmt])


# -- the lexer sees every SERVICE and LOAD Oxigraph would run ------------------------------
# Valid pieces of SPARQL whose characters could mislead a lexer: comments ended by CR or LF,
# '#' inside IRIs and strings, escapes, long strings, escaped local names.
TERMS = ["<http://e/a>", "<http://e/#x>", "<http://e/\\u0061#x>", "<http://e/\u00a0#x>",
         '"a#b"', "'a#b'", '"""a\n#b"""', "'''a'''", '"\\"#"', "'\\'#'", "ex:a", "ex:\\#x",
         "ex:a\\.b", '"x"@en', '"1"^^<http://www.w3.org/2001/XMLSchema#integer>', "1.5", "true",
         "_:b"]
GAPS = [" ", "\n", "\r", "\t", " # note\n", " # note\r", " #\r\n", "\r# x\r"]
GAP, TERM = st.sampled_from(GAPS), st.sampled_from(TERMS)


@st.composite
def object_list(draw) -> str:
    terms = draw(st.lists(TERM, min_size=1, max_size=4))
    return " , ".join(draw(GAP) + term + draw(GAP) for term in terms)


@pytest.fixture(scope="module")
def memory_store():
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"),
                      ox.NamedNode("http://e/a")))
    return store


@BOUNDED
@given(objects=object_list(), gap=GAP, update=st.booleans())
@example(objects='"a" # note\r', gap=" ", update=True)
@example(objects="<http://e/\\u0061#x>", gap=" ", update=False)
@example(objects="ex:\\#x", gap=" ", update=True)
def test_lexer_sees_every_service_and_load(memory_store, canary, objects, gap, update):
    prefix = "PREFIX ex: <http://e/> "
    if update:
        text = (f"{prefix}INSERT DATA {{ <http://e/a> <http://e/p> {objects} }} ;{gap}"
                f"LOAD <{canary.url}/load> INTO GRAPH <http://e/g>")
    else:
        text = (f"{prefix}SELECT * WHERE {{ SERVICE <{canary.url}/service> {{ ?s ?p ?o }}{gap}"
                f"OPTIONAL {{ ?s ?p {objects} }} }}")
    facts = inspect(text, 200)
    before = len(canary.hits)
    with contextlib.suppress(SyntaxError, OSError, RuntimeError):
        memory_store.update(text) if update else list(memory_store.query(text))
    if len(canary.hits) > before:  # Oxigraph really made the request: the lexer must know
        assert facts.loads if update else facts.services, text


# -- slugs, IRIs and parameter conversion --------------------------------------------------
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@BOUNDED
@given(name=st.text(max_size=80))
@example(name="data/seed/Clustercoop Ä.ttl.gz")
@example(name="../../etc/passwd")
@example(name=".ttl")
def test_default_graph_is_a_valid_iri_under_the_graph_namespace(name):
    iri = default_graph_for(name)
    slug = iri.removeprefix(str(GRAPH))
    assert iri.startswith(str(GRAPH)) and SLUG.match(slug), iri
    ox.NamedNode(iri)  # Oxigraph accepts it
    assert default_graph_for(slug + ".ttl") == iri  # stable


@pytest.mark.parametrize("kind", ["iri", "string", "integer", "decimal", "date", "langtag",
                                  "boolean"])
@BOUNDED
@given(raw=st.text(max_size=60))
@example(raw="a:\x01")
@example(raw="http://e/%zz")
@example(raw="> } ; DROP ALL #")
def test_parameters_convert_to_terms_that_bind_exactly(kind, raw):
    parameter = Parameter("x", kind, False, "")
    try:
        term = parameter.to_term(raw)
        ((_, spelled),) = encode_bindings({"x": term})
    except BadRequest as exc:
        assert exc.status == 400
        return
    back = from_ntriples(spelled)  # what the engine process substitutes
    assert back.value == str(term)
    if kind == "iri":
        assert isinstance(back, ox.NamedNode) and back.value == raw
    elif kind == "string":
        assert isinstance(back, ox.Literal) and back.value == raw


@pytest.fixture(scope="module")
def app():
    from ccgraph.config import Settings
    from ccgraph.web import create_app

    return create_app(Settings(store="memory:"), store=open_store("memory:"))


@BOUNDED
@given(raw=st.text(max_size=40))
@example(raw="9" * 400)
@example(raw="nan")
@example(raw="-inf")
@example(raw="1e999")
def test_web_parameters_are_in_bounds_or_refused(app, raw):
    from ccgraph.web import params

    with app.test_request_context(query_string={"v": raw}):
        for read in (lambda: params.integer("v", 5, 1, 20),
                     lambda: params.decimal("v", 0.5, 0.0, 1.0)):
            try:
                value = read()
            except BadRequest:
                continue
            assert (1 <= value <= 20) if isinstance(value, int) else (0.0 <= value <= 1.0)
        with contextlib.suppress(BadRequest):
            ox.NamedNode(params.iri("v"))
        with contextlib.suppress(BadRequest):
            assert params.boolean("v", False) in (True, False)


# -- bound values are values: no rows, nothing changed -------------------------------------
@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    with open_store(f"oxigraph:{tmp_path_factory.mktemp('props') / 'store'}") as store:
        store.update('INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/p> "safe" } }')
        yield store


@BOUNDED
@given(text=st.text(max_size=80))
@example(text="> } ; DROP ALL #")
@example(text='" } ; DELETE WHERE { ?s ?p ?o } #')
@example(text="\\u0022 } ; CLEAR ALL")
def test_bound_literals_match_nothing_and_change_nothing(small_store, text):
    generation = small_store.generation
    if text == "safe":
        return
    rows = small_store.select("SELECT ?s WHERE { ?s ?p ?x }", {"x": Literal(text)})
    assert rows == []
    rows = small_store.select("SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(?o = ?x) } "
                              "GROUP BY ?s", {"x": Literal(text)})
    assert rows == []
    assert small_store.generation == generation
    assert len(small_store.select("SELECT * WHERE { ?s ?p ?o }")) == 1


@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.text(max_size=60))
@example(raw="> } ; DROP ALL #")
@example(raw="a:\x01")
@example(raw="http://e/x> } ; DROP ALL #")
def test_named_query_parameters_over_http_are_bound_not_spliced(server, raw):
    before = requests.get(server.url + "/api/health", timeout=30).json()["generation"]
    response = requests.get(server.url + "/api/queries/clusters-with-label/results",
                            params={"region": raw}, timeout=60)
    assert response.status_code in (200, 400), (raw, response.status_code, response.text)
    if response.status_code == 200:
        assert response.json()["rows"] == []
    else:
        assert response.json()["error"]["parameter"] == "region"
    assert requests.get(server.url + "/api/health", timeout=30).json()["generation"] == before


def test_facts_of_a_repeated_text_are_remembered_but_refusals_are_not():
    text = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"
    assert inspect(text, 200) is inspect(text, 200)
    deep = "SELECT * WHERE " + "{" * 30 + "}" * 30
    for _ in range(2):  # a refused text is refused every time, not served from memory
        with pytest.raises(BadRequest):
            inspect(deep, 10)
    huge = text + " #" + "x" * 20_000  # long texts are lexed afresh (memory stays bounded)
    assert inspect(huge, 200) is not inspect(huge, 200)
    assert inspect(huge, 200).top_level_limit == 3
