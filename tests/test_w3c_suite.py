"""The W3C SPARQL 1.1 test suite (query, update, syntax: the 495 countable tests) run
against one live ccgraph server with plain W3C dataset semantics.

Data goes in through the Graph Store Protocol, queries and updates through the SPARQL
Protocol, results come back over HTTP: this measures the service, not the library.
`pytest -s tests/test_w3c_suite.py` prints the failing tests grouped by cause.
"""

from __future__ import annotations

from collections import Counter

import pytest

import w3c
from servers import start_server, stop_server

# Oxigraph (pyoxigraph and `oxigraph serve`) passes 484 of these; ccgraph passes
# agg-groupconcat-04 and -06 too (GROUP_CONCAT is evaluated as SPARQL 1.1's simple literal,
# see sparql_text.simple_group_concat). Raise the floor when the count goes up; never lower
# it without saying why in the commit.
FLOOR = 485
COUNTED = 495
# Why the others fail today. A failure outside these lists is a regression.
KNOWN = {
    "the engine (Oxigraph fails them in its own harness too)": {
        "aggregates/agg-empty-group-count-graph", "bindings/graph",
        "functions/bnode01", "negation/graph-minus",
        "property-path/zero_or_more_set_start", "property-path/zero_or_more_set_end",
        "property-path/zero_or_one_set_start", "property-path/zero_or_one_set_end",
    },
    # Lost when the data is stored, before any result writer sees it: Oxigraph's store keeps
    # "1.0E6"^^xsd:double as "1000000" and "-3"^^xsd:negativeInteger as "-3"^^xsd:integer.
    "lexical forms and derived integer types (Oxigraph's store keeps values)": {
        "csv-tsv-res/csv03", "csv-tsv-res/tsv03",
    },
}


@pytest.fixture(scope="module")
def w3c_server():
    live = start_server(env={"CCGRAPH_UNION_DEFAULT_GRAPH": "0"}, lifetime=900)
    yield live
    stop_server(live)


def test_case_count():
    kinds = Counter(case.kind for case in w3c.load_cases())
    assert sum(kinds.values()) == COUNTED, kinds


@pytest.mark.timeout(600)
def test_w3c_sparql11_suite(w3c_server):
    runner = w3c.Runner(w3c_server.url, w3c_server.token)
    outcomes = runner.run_all(w3c.load_cases())
    passed = [o for o in outcomes if o.status == "pass"]
    failed = {o.case.name: o for o in outcomes if o.status != "pass"}
    print(f"\nW3C SPARQL 1.1: {len(passed)} passed, {len(failed)} failed of {len(outcomes)}")
    for cause, names in KNOWN.items():
        print(f"{cause}: {len(names & failed.keys())}")
        for name in sorted(names & failed.keys()):
            print(f"  {name} [{failed[name].status}] {failed[name].detail[:140]}")
    unexpected = sorted(failed.keys() - set().union(*KNOWN.values()))
    print(f"unexpected: {len(unexpected)}")
    for name in unexpected:
        print(f"  {name} [{failed[name].case.kind}] {failed[name].detail[:300]}")
    assert w3c_server.alive(), "the server died during the suite"
    assert len(passed) >= FLOOR, f"{len(passed)} passed, the floor is {FLOOR}"
    assert not unexpected, f"new failures: {unexpected}"
