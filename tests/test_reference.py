"""The reference data in data/reference/: facts checked against the published classifications."""

from __future__ import annotations

import filecmp
import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import Namespace

from ccgraph.load import load_files
from ccgraph.namespaces import (
    CCG,
    COUNTRY,
    DCTERMS,
    ID,
    NACE,
    NACE_SCHEME,
    NUTS,
    PREFIXES,
    RDF,
    SKOS,
    XSD,
)
from ccgraph.store import open_store

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "reference"
GEO = ROOT / "data" / "geo"
WGS84 = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
OUTPUTS = ["nuts-2021.ttl", "nuts-2024.ttl", "nace2.ttl", "countries.ttl", "adjacency.ttl",
           "nuts-2021-other.ttl"]
TARGET = {"AT", "BG", "CZ", "DE", "HR", "HU", "IT", "PL", "RO", "SI", "SK"}
GISCO_CREDIT = ("Data source: GISCO – Eurostat (European Commission); "
                "administrative boundaries: © EuroGeographics")


@cache
def load(name: str) -> Graph:
    return Graph().parse(REFERENCE / name, format="turtle")


def ancestors(g: Graph, node: URIRef) -> list[URIRef]:
    chain = []
    while (parent := g.value(node, SKOS.broader)) is not None:
        chain.append(parent)
        node = parent
    return chain


def test_hu22_labels_level_parent_and_country():
    g = load("nuts-2021.ttl")
    hu22 = NUTS.HU22
    assert (hu22, SKOS.prefLabel, Literal("Nyugat-Dunántúl", lang="hu")) in g
    assert (hu22, SKOS.notation, Literal("HU22")) in g
    assert g.value(hu22, CCG.nutsLevel) == Literal(2, datatype=XSD.integer)
    assert {SKOS.Concept, CCG.Region} <= set(g.objects(hu22, RDF.type))
    assert ancestors(g, hu22) == [NUTS.HU2, NUTS.HU]
    assert g.value(NUTS.HU, CCG.country) == COUNTRY.HUN
    assert g.value(hu22, CCG.country) == COUNTRY.HUN
    assert (hu22, SKOS.inScheme, ID["scheme/nuts-2021"]) in g


def test_nuts2_label_point_is_inside_the_region():
    g = load("nuts-2021.ttl")
    lat, long = g.value(NUTS.HU22, WGS84.lat), g.value(NUTS.HU22, WGS84.long)
    assert lat.datatype == XSD.decimal
    assert 46.4 < float(lat) < 47.9 and 16.1 < float(long) < 18.2  # Győr-Sopron to Zala
    assert g.value(NUTS.HU221, WGS84.lat) is None  # points only at NUTS 2


def test_bulgarian_names_latin_preferred_cyrillic_alternative():
    g = load("nuts-2021.ttl")
    assert (NUTS.BG31, SKOS.prefLabel, Literal("Severozapaden", lang="bg-Latn")) in g
    assert (NUTS.BG31, SKOS.altLabel, Literal("Северозападен", lang="bg")) in g


def test_only_target_countries_all_levels():
    g = load("nuts-2021.ttl")
    codes = {str(n) for n in g.objects(None, SKOS.notation)}
    assert {c[:2] for c in codes} == TARGET
    levels = {int(x) for x in g.objects(None, CCG.nutsLevel)}
    assert levels == {0, 1, 2, 3}
    nuts2 = [s for s in g.subjects(CCG.nutsLevel, Literal(2, datatype=XSD.integer))]
    assert len(nuts2) == 125  # AT 9, BG 6, CZ 8, DE 38, HR 4, HU 8, IT 21, PL 17, RO 8, SI 2, SK 4


def test_nuts2024_thuringia_changes_and_2021_level0():
    g24, g21 = load("nuts-2024.ttl"), load("nuts-2021.ttl")
    in24 = set(g24.subjects(SKOS.inScheme, ID["scheme/nuts-2024"]))
    in21 = set(g21.subjects(SKOS.inScheme, ID["scheme/nuts-2021"]))
    new = {NUTS[c] for c in ("DEG0Q", "DEG0R", "DEG0S", "DEG0T", "DEG0U", "DEG0V")}
    gone = {NUTS[c] for c in ("DEG04", "DEG0B", "DEG0F", "DEG0H", "DEG0I", "DEG0N", "DEG0P")}
    assert in24 - in21 == new
    assert in21 - in24 == gone
    assert g24.value(NUTS.DEG0S, SKOS.prefLabel) == Literal("Suhl, Kreisfreie Stadt", lang="de")
    assert g24.value(NUTS.DEG0S, SKOS.broader) == NUTS.DEG0
    assert g24.value(NUTS.HU, CCG.country) == COUNTRY.HUN  # level 0 taken over from 2021
    assert not {NUTS.ATZ, NUTS.HUZZ, NUTS.DEZZZ} & in24  # Extra-Regio codes are left out


def test_renamed_2024_region_keeps_one_preflabel_per_language_across_both_files():
    union = load("nuts-2021.ttl") + load("nuts-2024.ttl")
    assert union.value(NUTS.HU333, SKOS.altLabel) == Literal("Csongrád-Csanád", lang="hu")
    for s in set(union.subjects(SKOS.prefLabel)):
        langs = [lit.language for lit in union.objects(s, SKOS.prefLabel)]
        assert len(langs) == len(set(langs)), s


def test_nace_chain_with_english_and_german_labels():
    g = load("nace2.ttl")
    node = NACE["2910"]
    assert ancestors(g, node) == [NACE["291"], NACE["29"], NACE["C"]]
    assert (node, SKOS.prefLabel, Literal("Manufacture of motor vehicles", lang="en")) in g
    assert (node, SKOS.prefLabel,
            Literal("Herstellung von Kraftwagen und Kraftwagenmotoren", lang="de")) in g
    assert (NACE["C"], SKOS.topConceptOf, NACE_SCHEME) in g
    assert (node, RDF.type, CCG.Industry) in g
    assert str(g.value(node, SKOS.scopeNote)).startswith("This class includes: - manufacture of")


def test_nace_is_complete():
    g = load("nace2.ttl")
    codes = [str(c) for c in g.objects(None, SKOS.notation)]
    by_length = {n: sum(1 for c in codes if len(c) == n) for n in (1, 2, 4, 5)}
    assert by_length == {1: 21, 2: 88, 4: 272, 5: 615}


def test_countries():
    g = load("countries.ttl")
    countries = set(g.subjects(RDF.type, CCG.Country))
    eleven = {COUNTRY[c] for c in ("AUT", "BGR", "CZE", "DEU", "HRV", "HUN", "ITA", "POL",
                                   "ROU", "SVN", "SVK")}
    # the eleven, the 26 other countries of the NUTS 2021 list, 17 partners without NUTS
    assert eleven <= countries and len(countries) == 11 + 26 + 17
    assert (COUNTRY.UKR, SKOS.prefLabel, Literal("Ukraine", lang="en")) in g
    assert {str(n) for n in g.objects(COUNTRY.HUN, SKOS.notation)} == {"HU", "HUN"}
    assert (COUNTRY.HUN, SKOS.prefLabel, Literal("Magyarország", lang="hu")) in g
    assert (COUNTRY.CZE, SKOS.prefLabel, Literal("Czechia", lang="en")) in g
    regions = load("nuts-2021.ttl")
    assert set(regions.objects(None, CCG.country)) == eleven
    others = load("nuts-2021-other.ttl")
    assert set(others.objects(None, CCG.country)) <= countries - eleven


def test_regions_of_other_countries_are_regions_without_map_data():
    g = load("nuts-2021-other.ttl")
    assert (NUTS.FRF11, RDF.type, CCG.Region) in g
    assert g.value(NUTS.FRF11, SKOS.broader) == NUTS.FRF1
    assert (NUTS.CH033, CCG.country, COUNTRY.CHE) in g
    assert not set(g.subjects(RDF.type, CCG.Region)) & set(load("nuts-2021.ttl").subjects())
    assert not any(str(p).startswith(str(WGS84)) for p in g.predicates())


def adjacent(a: str, b: str) -> bool:
    return (NUTS[a], CCG.adjacentTo, NUTS[b]) in load("adjacency.ttl")


@pytest.mark.parametrize(("a", "b"), [
    ("AT13", "AT12"),   # Wien inside Niederösterreich (a hole in its polygon)
    ("AT12", "CZ06"),   # Niederösterreich - Jihovýchod
    ("SK01", "AT12"),   # Bratislavský kraj - Niederösterreich
    ("HU22", "SI03"),   # Nyugat-Dunántúl - Vzhodna Slovenija
    ("BG32", "BG42"),   # 1.2 km apart after 1:20M generalisation: needs the tolerance
])
def test_adjacent_pairs(a, b):
    assert adjacent(a, b) and adjacent(b, a)


@pytest.mark.parametrize(("a", "b"), [
    ("HU22", "PL21"), ("AT12", "HU22"), ("ITF6", "ITG1"), ("AT13", "AT11"),
])
def test_not_adjacent_pairs(a, b):
    assert not adjacent(a, b) and not adjacent(b, a)


def test_adjacency_is_symmetric_and_between_nuts2_regions():
    g = load("adjacency.ttl")
    pairs = set(g.subject_objects(CCG.adjacentTo))
    assert len(pairs) == 2 * 298
    assert all((b, a) in pairs for a, b in pairs)
    assert all(len(str(a).rsplit("/", 1)[1]) == 4 for a, _ in pairs)


@pytest.mark.parametrize("name", OUTPUTS)
def test_every_file_describes_its_source_and_licence(name):
    g = load(name)
    dataset = ID[f"dataset/{name.removesuffix('.ttl')}"]
    assert g.value(dataset, DCTERMS.license) is not None
    assert g.value(dataset, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")) is not None
    if name != "nace2.ttl":
        assert str(g.value(dataset, DCTERMS.rights)) == GISCO_CREDIT


def test_map_layer_holds_the_target_regions_unchanged():
    full = json.loads((GEO / "NUTS_RG_20M_2021_4326_LEVL_2.geojson").read_text(encoding="utf-8"))
    layer = json.loads((GEO / "nuts2-central-europe.geojson").read_text(encoding="utf-8"))
    ids = [f["properties"]["NUTS_ID"] for f in layer["features"]]
    assert ids == sorted(ids) and len(ids) == 125
    original = {f["properties"]["NUTS_ID"]: f for f in full["features"]}
    assert all(f == original[f["properties"]["NUTS_ID"]] for f in layer["features"])


def test_build_is_deterministic_and_matches_the_committed_files(tmp_path):
    script = REFERENCE / "build.py"
    outputs = []
    for run, seed in ((1, "1"), (2, "977")):  # different hash seeds: no set-order leaks
        out = tmp_path / f"run{run}"
        subprocess.run([sys.executable, str(script), "--out", str(out)], check=True,
                       env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
                       capture_output=True)
        outputs.append(out)
    names = [f"reference/{n}" for n in OUTPUTS] + ["geo/nuts2-central-europe.geojson"]
    _match, mismatch, errors = filecmp.cmpfiles(outputs[0], outputs[1], names, shallow=False)
    assert (mismatch, errors) == ([], [])
    _match, mismatch, errors = filecmp.cmpfiles(outputs[0], ROOT / "data", names, shallow=False)
    assert (mismatch, errors) == ([], []), "rerun data/reference/build.py and commit its output"


def test_reference_files_pass_the_shapes_and_answer_sparql():
    head = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
    # DISTINCT: the union default graph repeats a triple held by nuts-2021 and nuts-2024.
    store = open_store("memory:")
    try:
        load_files(store, [REFERENCE / n for n in OUTPUTS], validate=True)
        assert store.ask(head + "ASK { nuts:HU221 skos:broader+ nuts:HU . "
                         "nuts:HU ccg:country ?c . ?c skos:notation 'HUN' }")
        rows = store.select(head + "SELECT DISTINCT ?n WHERE { nuts:AT13 ccg:adjacentTo ?r . "
                            "?r skos:notation ?n } ORDER BY ?n")
        assert [str(r["n"]) for r in rows] == ["AT12"]
    finally:
        store.close()


def test_bundled_nuts_versions_answer_once(bundled_store):
    """Both NUTS files share one graph, so unchanged facts are not doubled in the union."""
    rows = bundled_store.select(
        "SELECT ?label WHERE { <http://data.europa.eu/nuts/code/HU22> "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label }")
    assert [str(r["label"]) for r in rows] == ["Nyugat-Dunántúl"]
