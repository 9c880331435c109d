"""The real data (data/real/): every resource cites the pages it was read from, the
programmes' areas hold the regions they should, and the instrument finder answers
about the real world (issue 15)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections import Counter

import pytest
from rdflib import Graph, URIRef

from ccgraph.analytics import Engine
from ccgraph.bundle import load_bundled
from ccgraph.namespaces import CCG, COUNTRY, DCTERMS, NUTS, PROV, RDF, SKOS
from ccgraph.store import open_store
from servers import ROOT

sys.path.insert(0, str(ROOT / "data" / "real"))
import counts  # data/real/counts.py: the guide's figures

PROGRAMME = "https://w3id.org/ccgraph/id/programme/"
OWN = "https://w3id.org/ccgraph/"
DAY = dt.date(2026, 12, 5)
ELEVEN = ("AUT", "BGR", "CZE", "DEU", "HRV", "HUN", "ITA", "POL", "ROU", "SVN", "SVK")


@pytest.fixture(scope="module")
def real() -> Graph:
    return counts.real_graph()


@pytest.fixture(scope="module")
def reference() -> Graph:
    g = Graph()
    for name in ("nuts-2021.ttl", "nuts-2024.ttl", "nuts-2021-other.ttl", "countries.ttl"):
        g.parse(ROOT / "data" / "reference" / name)
    return g


@pytest.fixture(scope="module")
def real_store(tmp_path_factory):
    """The default bundle (no synthetic data), validated."""
    with open_store(f"oxigraph:{tmp_path_factory.mktemp('real') / 'store'}") as store:
        load_bundled(store)
        yield store


@pytest.fixture(scope="module")
def engine(real_store):
    return Engine(real_store)


def pages_of(g: Graph, s) -> set[str]:
    cited = set(g.objects(s, DCTERMS.source)) | set(g.objects(s, PROV.wasDerivedFrom))
    return {str(p) for p in cited if isinstance(p, URIRef) and not str(p).startswith(OWN)}


# -- sources ------------------------------------------------------------------------------
def test_every_programme_instrument_cluster_and_organisation_cites_a_web_page(real):
    kinds = (CCG.Programme, CCG.FundingInstrument, CCG.Cluster, CCG.Organisation, CCG.Fund)
    described = {s for k in kinds for s in real.subjects(RDF.type, k)}
    unsourced = sorted(str(s) for s in described if not pages_of(real, s))
    assert len(described) > 200 and not unsourced


def test_every_cited_page_is_described_with_the_day_it_was_read(real):
    cited = {p for s in set(real.subjects()) for p in pages_of(real, s)}
    for r in real.objects(None, CCG.reported):
        cited |= pages_of(real, r)
    described = {str(p) for p in real.subjects(RDF.type, CCG.WebPage)}
    assert cited and cited <= described, sorted(cited - described)[:5]
    for page in real.subjects(RDF.type, CCG.WebPage):
        day = real.value(page, CCG.accessedOn)
        assert day is not None and day.toPython() <= dt.date.today(), page


def test_every_number_and_date_of_a_programme_is_reported_with_its_page(real):
    """A budget or rate stated on a programme is backed by a ccg:reported naming a page."""
    for prop in (CCG.budgetEUR, CCG.euContributionEUR, CCG.coFinancingRate):
        for s, value in real.subject_objects(prop):
            backing = [r for r in real.objects(s, CCG.reported)
                       if real.value(r, CCG.reportedProperty) == prop
                       and real.value(r, CCG.value).toPython() == value.toPython()]
            assert backing and all(pages_of(real, r) for r in backing), (s, prop, value)


def test_the_guide_shows_the_figures_of_the_files(real):
    guide = (ROOT / "docs" / "data-sources.md").read_text()
    assert counts.table(counts.counts(real)) in guide


# -- clusters -----------------------------------------------------------------------------
def test_at_least_120_real_clusters_and_5_in_each_of_the_eleven_countries(real):
    clusters = set(real.subjects(RDF.type, CCG.Cluster))
    per_country = Counter(str(real.value(c, CCG.country)) for c in clusters)
    assert len(clusters) >= 120
    assert all(per_country[str(COUNTRY[c])] >= 5 for c in ELEVEN), per_country


def test_every_real_cluster_has_a_seat_a_sector_and_names(real, reference):
    for c in real.subjects(RDF.type, CCG.Cluster):
        seat = real.value(c, CCG.locatedIn)
        assert (seat, RDF.type, CCG.Region) in reference, (c, seat)
        assert list(real.objects(c, CCG.activeIn)), c
        assert real.value(c, SKOS.prefLabel) is not None or list(real.objects(c, None)), c


# -- programme areas ----------------------------------------------------------------------
def covered(real: Graph, reference: Graph, programme: str, code: str) -> bool:
    """Whether the programme's stated area holds the region (itself or a broader one)."""
    area = set(real.objects(URIRef(PROGRAMME + programme), CCG.eligibleRegion))
    assert area, f"{programme} states no area"
    node = NUTS[code]
    while node is not None:
        if node in area:
            return True
        node = reference.value(node, SKOS.broader)
    return False


# (programme, regions inside, regions outside): inside/outside as the programmes' own
# pages state them (cited in data/real), outside chosen far from every border.
AREAS = [
    ("interreg-austria-hungary-2021-2027", ["AT221", "AT130", "HU221", "HU222", "HU223"],
     ["CZ010", "HU110", "AT332"]),
    ("interreg-italy-slovenia-2021-2027", ["ITH44", "SI044"], ["ITI43", "HU110"]),
    ("interreg-romania-bulgaria-2021-2027", ["RO223", "BG323"], ["RO113", "BG411"]),
    ("interreg-central-europe-2021-2027", ["CZ010", "SI041", "HU110", "PL911"],
     ["FR101", "ITF33"]),
    ("interreg-danube-region-2021-2027", ["HU110", "RO321", "DE212"], ["DE300", "PL911"]),
    ("interreg-alpine-space-2021-2027", ["ITC11", "AT323", "SI041"], ["ITF33", "PL911"]),
]


@pytest.mark.parametrize(("programme", "inside", "outside"), AREAS,
                         ids=[a[0] for a in AREAS])
def test_programme_area_holds_its_regions_and_not_others(real, reference, programme, inside,
                                                        outside):
    for code in inside:
        assert covered(real, reference, programme, code), f"{code} should be in {programme}"
    for code in outside:
        assert not covered(real, reference, programme, code), f"{code} is not in {programme}"


def test_every_interreg_programme_states_strand_scope_period_and_area(real):
    for p in set(real.subjects(CCG.strand, None)):
        assert real.value(p, CCG.cooperationScope) is not None, p
        assert real.value(p, CCG.programmingPeriod) is not None, p
        assert (p, CCG.eligibleRegion, None) in real or (p, CCG.eligibleCountry, None) in real, p


def test_successor_programmes_continue_their_predecessors(real):
    pairs = list(real.subject_objects(CCG.continues))
    assert pairs
    period = CCG.programmingPeriod
    for new, old in pairs:
        assert str(real.value(new, period)) > str(real.value(old, period)), (new, old)


# -- the finder on real data --------------------------------------------------------------
GRAZ, GYOR = str(NUTS.AT221), str(NUTS.HU221)
PRAHA, WIEN = str(NUTS.CZ010), str(NUTS.AT130)
AT_HU = PROGRAMME + "interreg-austria-hungary-2021-2027"


def test_graz_and_gyor_get_interreg_austria_hungary_with_period_status_budget_source(engine):
    answer = engine.find_instruments(GRAZ, GYOR, DAY)
    found = {i["instrument"]["id"]: i for i in answer["instruments"]}
    assert AT_HU in found
    item = found[AT_HU]
    assert item["status"] == "open" and item["period"]["label"] == "2021-2027"
    assert item["budget_eur"] and item["sources"]
    assert all(r["sources"] for r in item["reasons"])
    assert not item["instrument"]["synthetic"]
    statuses = [i["status"] for i in answer["instruments"]]
    assert statuses == sorted(statuses, key=["open", "not yet started", "unknown",
                                             "closed"].index)   # current first
    assert answer["instruments"][0]["instrument"]["id"] == AT_HU   # made for this pair


def test_praha_and_wien_do_not_get_austria_hungary(engine):
    answer = engine.find_instruments(PRAHA, WIEN, DAY)
    assert AT_HU not in {i["instrument"]["id"] for i in answer["instruments"]}


def test_a_nuts2_region_against_nuts3_areas_is_told_which_part_is_eligible(engine):
    steiermark = str(NUTS.AT22)    # AT-HU names only Graz and Oststeiermark in it
    answer = engine.find_instruments(steiermark, GYOR, DAY)
    item = next(i for i in answer["instruments"] if i["instrument"]["id"] == AT_HU)
    assert item["partial"]
    assert {r["id"] for r in item["eligible_a"]} <= {str(NUTS.AT221), str(NUTS.AT224)}
    assert "Part of" in item["rule"]


def test_closed_programmes_come_after_current_ones_as_history(engine):
    answer = engine.find_instruments(GRAZ, GYOR, DAY)
    statuses = [i["status"] for i in answer["instruments"]]
    assert "closed" in statuses and statuses.index("closed") > statuses.index("open")


def test_an_empty_answer_says_why(engine):
    # Two regions of one country: cross-border and transnational scopes need two countries.
    graz, linz = str(NUTS.AT221), str(NUTS.AT312)
    answer = engine.find_instruments(graz, linz, DAY)
    cross = [i for i in answer["instruments"] if i["scope"] in ("CrossBorder", "Transnational")]
    assert not cross
    # Two regions no programme covers together: the programmes of each end are named.
    far = engine.find_instruments(str(NUTS.AT221), str(NUTS.BG411), DAY)
    if not far["instruments"]:
        assert far["explanation"]["covering_a"] and far["explanation"]["text"]


def test_the_api_answers_as_the_engine_does(client):
    response = client.get("/api/instruments",
                          query_string={"a": GRAZ, "b": GYOR, "on": "2026-12-05"})
    assert response.status_code == 200
    body = response.json
    item = next(i for i in body["instruments"] if i["instrument"]["id"] == AT_HU)
    assert item["status"] == "open" and item["sources"] and item["budget_eur"]
    assert body["on"] == "2026-12-05"
    bad = client.get("/api/instruments", query_string={"a": GRAZ, "b": GYOR, "on": "5.12.2026"})
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.json["error"]["message"]


def test_the_cli_names_the_programme_with_its_period_status_budget_and_source(
        bundled_store_path, tmp_path):
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(bundled_store_path, copy)
    env = {**os.environ, "CCGRAPH_STORE": f"oxigraph:{copy}"}
    result = subprocess.run([sys.executable, "-m", "ccgraph.cli", "instruments", GRAZ, GYOR,
                             "--on", "2026-12-05"], env=env, capture_output=True, text=True,
                            timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    item = next(i for i in body["instruments"] if i["instrument"]["id"] == AT_HU)
    assert item["status"] == "open" and item["period"]["start"] == "2021-01-01"
    assert item["budget_eur"] and item["sources"][0].startswith("http")


def test_synthetic_items_are_flagged_in_api_answers(client):
    body = client.get("/api/partners", query_string={
        "cluster": "https://w3id.org/ccgraph/id/cluster/synthetic-1"}).json
    assert body
    for item in body:   # real clusters may be recommended too: each item says which it is
        assert item["cluster"]["synthetic"] == ("/synthetic-" in item["cluster"]["id"])
    real = client.get("/api/instruments", query_string={"a": GRAZ, "b": GYOR}).json
    assert not any(i["instrument"]["synthetic"] for i in real["instruments"]
                   if i["instrument"]["id"].startswith(PROGRAMME))


def test_graph_exports_mark_synthetic_nodes(engine, tmp_path):
    import io

    out = io.BytesIO()
    engine.export("graphml", out)
    text = out.getvalue().decode()
    assert 'attr.name="synthetic"' in text


def test_the_data_sources_guide_commands_run_on_the_bundle(bundled_store_path, tmp_path):
    import re
    import shlex
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(bundled_store_path, copy)
    env = {**os.environ, "CCGRAPH_STORE": f"oxigraph:{copy}",
           "PATH": f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}"}
    text = (ROOT / "docs" / "data-sources.md").read_text()
    lines = [line for block in re.findall(r"```sh\n(.*?)```", text, re.DOTALL)
             for line in block.splitlines() if line.strip()]
    assert lines
    for line in lines:
        result = subprocess.run(shlex.split(line), env=env, capture_output=True, text=True,
                                timeout=300, cwd=ROOT)
        assert result.returncode == 0, (line, result.stderr)
        if "resource-sources" in line:
            assert "interreg-athu.eu" in result.stdout, result.stdout[:500]


def test_cli_tables_mark_rows_of_synthetic_data(bundled_store_path, tmp_path):
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(bundled_store_path, copy)
    env = {**os.environ, "CCGRAPH_STORE": f"oxigraph:{copy}"}
    query = ("SELECT ?c WHERE { VALUES ?c { <https://w3id.org/ccgraph/id/cluster/synthetic-1> "
             f"<{PROGRAMME}interreg-austria-hungary-2021-2027> }} }}")
    result = subprocess.run([sys.executable, "-m", "ccgraph.cli", "query", "-e", query],
                            env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[-1] == "synthetic"
    flagged = {line.split()[0]: line.split()[-1] for line in lines[2:4]}
    assert flagged["<https://w3id.org/ccgraph/id/cluster/synthetic-1>"] == "yes"
    assert "1 use synthetic example data" in lines[-1]


def test_the_default_bundle_is_real_and_the_example_comes_only_when_asked(
        engine, real_store, bundled_store_path):
    example = "https://w3id.org/ccgraph/graph/example"
    G = engine.graph()
    assert not any(d.get("synthetic") for _, d in G.nodes(data=True))
    assert example not in real_store.graph_names()
    with open_store(f"oxigraph:{bundled_store_path}") as with_example:
        assert example in with_example.graph_names()
