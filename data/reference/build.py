"""Build the SKOS reference data (NUTS, NACE, countries, adjacency) and the web-map layer.

Run from the repository root with the project's interpreter:

    .venv/bin/python data/reference/build.py            # writes data/reference/*.ttl, data/geo/
    .venv/bin/python data/reference/build.py --out DIR  # writes the same files under DIR

Inputs are the unchanged copies in data/reference/sources/ and data/geo/ (see
data/reference/SOURCES.md), so the build needs nothing outside the repository.
The output is deterministic: no blank nodes, no timestamps, sorted input; the
same inputs give byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef

from ccgraph.namespaces import (
    CCG,
    COUNTRY,
    DCAT,
    DCTERMS,
    ID,
    NACE_SCHEME,
    NUTS,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SKOS,
    XSD,
    nace,
)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SOURCES = HERE / "sources"
POLYGONS = ROOT / "data" / "geo" / "NUTS_RG_20M_2021_4326_LEVL_2.geojson"

# W3C Basic Geo; rdflib's WGS namespace spells it with https, which no one else uses.
WGS84 = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")

# Target countries: NUTS code -> (ISO alpha-3, English name, BCP 47 tag of the national names).
# Names follow the EU Publications Office country authority table.
COUNTRIES = {
    "AT": ("AUT", "Austria", "de"), "BG": ("BGR", "Bulgaria", "bg"),
    "CZ": ("CZE", "Czechia", "cs"), "DE": ("DEU", "Germany", "de"),
    "HR": ("HRV", "Croatia", "hr"), "HU": ("HUN", "Hungary", "hu"),
    "IT": ("ITA", "Italy", "it"), "PL": ("POL", "Poland", "pl"),
    "RO": ("ROU", "Romania", "ro"), "SI": ("SVN", "Slovenia", "sl"),
    "SK": ("SVK", "Slovakia", "sk"),
}
# The other countries of the NUTS 2021 list (EU, EFTA, candidates, UK): their regions are
# named by programmes and instruments that reach beyond the eleven (an Interreg area, an
# EU-wide call). Regions and countries only: no boundaries, label points or adjacency.
# English names follow the EU Publications Office country authority table.
OTHER_COUNTRIES = {
    "AL": ("ALB", "Albania"), "BE": ("BEL", "Belgium"), "CH": ("CHE", "Switzerland"),
    "CY": ("CYP", "Cyprus"), "DK": ("DNK", "Denmark"), "EE": ("EST", "Estonia"),
    "EL": ("GRC", "Greece"), "ES": ("ESP", "Spain"), "FI": ("FIN", "Finland"),
    "FR": ("FRA", "France"), "IE": ("IRL", "Ireland"), "IS": ("ISL", "Iceland"),
    "LI": ("LIE", "Liechtenstein"), "LT": ("LTU", "Lithuania"), "LU": ("LUX", "Luxembourg"),
    "LV": ("LVA", "Latvia"), "ME": ("MNE", "Montenegro"), "MK": ("MKD", "North Macedonia"),
    "MT": ("MLT", "Malta"), "NL": ("NLD", "Netherlands"), "NO": ("NOR", "Norway"),
    "PT": ("PRT", "Portugal"), "RS": ("SRB", "Serbia"), "SE": ("SWE", "Sweden"),
    "TR": ("TUR", "Türkiye"), "UK": ("GBR", "United Kingdom"),
}
# Neighbours without NUTS regions that programmes name as eligible (ccg:eligibleCountry).
NON_NUTS_COUNTRIES = {
    "BIH": "Bosnia and Herzegovina", "BLR": "Belarus", "MDA": "Moldova", "RUS": "Russia",
    "UKR": "Ukraine", "ARM": "Armenia", "GEO": "Georgia", "XKX": "Kosovo",
    "SMR": "San Marino", "AZE": "Azerbaijan",
    # Mediterranean partners of NEXT MED / ENI CBC Med
    "DZA": "Algeria", "EGY": "Egypt", "ISR": "Israel", "JOR": "Jordan", "LBN": "Lebanon",
    "PSE": "Palestine", "TUN": "Tunisia",
}

# NUTS names of Bulgarian regions are Cyrillic; NAME_LATN is their transliteration.
LATIN_TAG = {"BG": "bg-Latn"}

# Real neighbours BG32-BG42 and DE73-DE92 are 1.0-1.2 km apart at 1:20M; the nearest
# non-neighbours (AT12-HU22, AT33-ITH4) are 4.0-4.3 km apart.
ADJACENCY_TOLERANCE_KM = 2.0
EXTRA_REGIO = re.compile(r"^[A-Z]{2}Z+$")  # ATZ, ATZZ, ...; the country code CZ is not one

GISCO_CREDIT = ("Data source: GISCO – Eurostat (European Commission); "
                "administrative boundaries: © EuroGeographics")
EUROSTAT_CREDIT = "Data source: Eurostat (European Commission)"
EUROSTAT_LICENCE = URIRef("https://ec.europa.eu/eurostat/about-us/policies/copyright")

# Where each copied file came from (repository file at a fixed commit); see SOURCES.md.
ORIGINS = {
    "NUTS2021-NUTS2024.csv": "https://github.com/arepnikov/eurostat-nuts/blob/"
    "a7545a975315d616a1978d44ad609d55077c2b28/datasets/NUTS2021-NUTS2024.csv",
    "nuts2021_regions.csv": "https://github.com/BIAKuustom/NUTSMaps/blob/"
    "ba432545b5420274d63ca16ce3e70d8bfef5aa69/NUTS_RG_60M_2021_4326.geojson",
    "NUTS_LB_2021_4326.geojson": "https://github.com/BIAKuustom/NUTSMaps/blob/"
    "ba432545b5420274d63ca16ce3e70d8bfef5aa69/NUTS_LB_2021_4326.geojson",
    "NUTS_RG_20M_2021_4326_LEVL_2.geojson": "https://github.com/eurostat/mortality-viz/blob/"
    "095a0239880b2f9fa56719ebb245f55ebd28ba55/NUTS_RG_20M_2021_4326_LEVL_2.geojson",
    "nace2_en.csv": "https://github.com/eurostat/correspondenceTables/blob/"
    "a341e17a2f02107b3d626605d861cc66b7bdc7dc/inst/extdata/nace2_en.csv",
    "nace2_de.csv": "https://github.com/eurostat/correspondenceTables/blob/"
    "a341e17a2f02107b3d626605d861cc66b7bdc7dc/inst/extdata/nace2_de.csv",
}


@dataclass(frozen=True)
class Region:
    code: str
    level: int
    country: str  # NUTS country code (AT, BG, ...)
    latin: str
    national: str


# ---------------------------------------------------------------- reading sources

def read_nuts2021() -> dict[str, Region]:
    """NUTS 2021, target countries, all levels, from the code list derived from GISCO."""
    with (SOURCES / "nuts2021_regions.csv").open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["CNTR_CODE"] in COUNTRIES]
    # Names carry stray spaces (Bulgaria's national name ends in a no-break space).
    return {r["NUTS_ID"]: Region(r["NUTS_ID"], int(r["LEVL_CODE"]), r["CNTR_CODE"],
                                 r["NAME_LATN"].strip(), r["NUTS_NAME"].strip()) for r in rows}


def read_nuts_other() -> dict[str, Region]:
    """NUTS 2021 of the other countries of the GISCO list, all levels."""
    with (SOURCES / "nuts2021_regions.csv").open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["CNTR_CODE"] in OTHER_COUNTRIES]
    return {r["NUTS_ID"]: Region(r["NUTS_ID"], int(r["LEVL_CODE"]), r["CNTR_CODE"],
                                 r["NAME_LATN"].strip(), r["NUTS_NAME"].strip()) for r in rows}


def read_nuts2024(nuts2021: dict[str, Region]) -> dict[str, Region]:
    """NUTS 2024: Eurostat's list (levels 1-3, national names) + level 0 and Latin names of 2021."""
    with (SOURCES / "NUTS2021-NUTS2024.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.reader(f, delimiter=";") if r and r[0] in COUNTRIES]
    regions = {r.code: r for r in nuts2021.values() if r.level == 0}
    for country, code, label, level, *_ in rows:
        if EXTRA_REGIO.match(code):
            continue  # not regions on a map, and absent from the 2021 source: keep schemes alike
        old = nuts2021.get(code)
        latin = old.latin if old else label.strip()  # only new codes are DE (Latin == national)
        regions[code] = Region(code, int(level), country, latin, label.strip())
    return regions


def read_label_points() -> dict[str, tuple[float, float]]:
    """NUTS-2 label points (lon, lat) of the target countries."""
    data = json.loads((SOURCES / "NUTS_LB_2021_4326.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["NUTS_ID"]: tuple(f["geometry"]["coordinates"])
            for f in data["features"]
            if f["properties"]["LEVL_CODE"] == 2 and f["properties"]["CNTR_CODE"] in COUNTRIES}


def read_polygon_features() -> list[dict]:
    data = json.loads(POLYGONS.read_text(encoding="utf-8"))
    return sorted((f for f in data["features"] if f["properties"]["CNTR_CODE"] in COUNTRIES),
                  key=lambda f: f["properties"]["NUTS_ID"])


def read_nace() -> list[tuple[dict, dict]]:
    """(English row, German row) pairs; both files list the same codes in the same order."""
    def rows(name: str) -> list[dict]:
        with (SOURCES / name).open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    en, de = rows("nace2_en.csv"), rows("nace2_de.csv")
    if [r["nace2"] for r in en] != [r["nace2"] for r in de]:
        raise SystemExit("nace2_en.csv and nace2_de.csv list different codes")
    return list(zip(en, de, strict=True))


# ---------------------------------------------------------------- graph helpers

def new_graph() -> Graph:
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    g.bind("geo", WGS84)
    return g


def describe_dataset(g: Graph, name: str, title: str, files: list[str], gisco: bool) -> None:
    """A DCAT/PROV description of the file itself, carrying the attribution the sources ask for."""
    ds = ID[f"dataset/{name}"]
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal(title, lang="en")))
    g.add((ds, DCTERMS.license, EUROSTAT_LICENCE))
    g.add((ds, DCTERMS.rights, Literal(GISCO_CREDIT if gisco else EUROSTAT_CREDIT, lang="en")))
    g.add((ds, DCTERMS.publisher, Literal("Eurostat (European Commission)")))
    source = URIRef("https://ec.europa.eu/eurostat/web/gisco" if gisco
                    else "https://ec.europa.eu/eurostat/web/main/data")
    g.add((ds, DCTERMS.source, source))
    for file in files:
        entity = ID[f"source/{file}"]
        g.add((ds, PROV.wasDerivedFrom, entity))
        g.add((entity, RDF.type, PROV.Entity))
        g.add((entity, RDFS.label, Literal(f"data/reference/sources/{file}")))
        g.add((entity, DCTERMS.source, URIRef(ORIGINS[file])))


def decimal(x: float) -> Literal:
    return Literal(Decimal(repr(x)), datatype=XSD.decimal)


# ---------------------------------------------------------------- NUTS

def add_scheme(g: Graph, scheme: URIRef, label: str) -> None:
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, Literal(label, lang="en")))


def add_region(g: Graph, r: Region, scheme: URIRef) -> None:
    """prefLabel: the Latin name (in both files the 2021 one, so that the two files together
    keep one prefLabel per language); altLabel: the national name where it differs (the
    Cyrillic names of BG, and the 2024 renamings HU333 and ITF65)."""
    iso3, _, lang = COUNTRIES[r.country]
    node = NUTS[r.code]
    g.add((node, RDF.type, SKOS.Concept))
    g.add((node, RDF.type, CCG.Region))
    g.add((node, SKOS.inScheme, scheme))
    g.add((node, SKOS.notation, Literal(r.code)))
    g.add((node, SKOS.prefLabel, Literal(r.latin, lang=LATIN_TAG.get(r.country, lang))))
    if r.national != r.latin:
        g.add((node, SKOS.altLabel, Literal(r.national, lang=lang)))
    g.add((node, CCG.nutsLevel, Literal(r.level, datatype=XSD.integer)))
    g.add((node, CCG.country, COUNTRY[iso3]))
    if r.level == 0:
        g.add((node, SKOS.topConceptOf, scheme))
        g.add((scheme, SKOS.hasTopConcept, node))
    else:
        g.add((node, SKOS.broader, NUTS[r.code[:-1]]))


def add_points(g: Graph, regions: Iterable[Region], points: dict) -> None:
    for r in regions:
        if r.level == 2 and r.code in points:
            lon, lat = points[r.code]
            g.add((NUTS[r.code], WGS84.lat, decimal(lat)))
            g.add((NUTS[r.code], WGS84.long, decimal(lon)))


def nuts_graph(version: str, regions: dict[str, Region], points: dict,
               files: list[str]) -> Graph:
    g = new_graph()
    scheme = ID[f"scheme/nuts-{version}"]
    describe_dataset(g, f"nuts-{version}", f"NUTS {version}, AT BG CZ DE HR HU IT PL RO SI SK",
                     files, gisco=True)
    add_scheme(g, scheme, f"NUTS {version} (Nomenclature of territorial units for statistics)")
    for code in sorted(regions):
        if regions[code].level > 0 and code[:-1] not in regions:
            raise SystemExit(f"NUTS {version}: parent of {code} missing")
        add_region(g, regions[code], scheme)
    add_points(g, regions.values(), points)
    return g


def other_nuts_graph(regions: dict[str, Region]) -> Graph:
    """Regions of the other European countries: names (as GISCO writes them, untagged: many
    are in several languages), level, country and parent; no map data."""
    g = new_graph()
    scheme = ID["scheme/nuts-2021-other"]
    describe_dataset(g, "nuts-2021-other", "NUTS 2021, other European countries (EU, EFTA, "
                     "candidates, UK): regions only", ["nuts2021_regions.csv"], gisco=True)
    add_scheme(g, scheme, "NUTS 2021, other European countries")
    for code in sorted(regions):
        r = regions[code]
        node = NUTS[code]
        for triple in ((node, RDF.type, SKOS.Concept), (node, RDF.type, CCG.Region),
                       (node, SKOS.inScheme, scheme), (node, SKOS.notation, Literal(code)),
                       (node, SKOS.prefLabel, Literal(r.latin)),
                       (node, CCG.nutsLevel, Literal(r.level, datatype=XSD.integer)),
                       (node, CCG.country, COUNTRY[OTHER_COUNTRIES[r.country][0]])):
            g.add(triple)
        if r.national != r.latin:
            g.add((node, SKOS.altLabel, Literal(r.national)))
        if r.level == 0:
            g.add((node, SKOS.topConceptOf, scheme))
            g.add((scheme, SKOS.hasTopConcept, node))
        else:
            g.add((node, SKOS.broader, NUTS[code[:-1]]))
    return g


# ---------------------------------------------------------------- NACE

def clean_note(text: str) -> str | None:
    text = " ".join(text.split())
    return None if text in ("", "NA") else text


def nace_graph(pairs: list[tuple[dict, dict]]) -> Graph:
    g = new_graph()
    scheme = NACE_SCHEME
    describe_dataset(g, "nace2", "NACE Rev. 2, sections to classes, English and German labels",
                     ["nace2_en.csv", "nace2_de.csv"], gisco=False)
    add_scheme(g, scheme, "NACE Rev. 2 (Statistical classification of economic activities)")
    for en, de in sorted(pairs, key=lambda p: p[0]["nace2"]):
        node = nace(en["nace2"])
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, RDF.type, CCG.Industry))
        g.add((node, SKOS.inScheme, scheme))
        g.add((node, SKOS.notation, Literal(en["nace2"])))
        g.add((node, SKOS.prefLabel, Literal(en["NAME"].strip(), lang="en")))
        g.add((node, SKOS.prefLabel, Literal(de["NAME"].strip(), lang="de")))
        if en["Parent"] == "NA":
            g.add((node, SKOS.topConceptOf, scheme))
            g.add((scheme, SKOS.hasTopConcept, node))
        else:
            g.add((node, SKOS.broader, nace(en["Parent"])))
        note = clean_note(en["Include"])
        if note:
            g.add((node, SKOS.scopeNote, Literal(note, lang="en")))
    return g


# ---------------------------------------------------------------- countries

def countries_graph(nuts2021: dict[str, Region]) -> Graph:
    g = new_graph()
    describe_dataset(g, "countries", "Countries covered by ccgraph",
                     ["nuts2021_regions.csv"], gisco=True)
    for code, (iso3, english, lang) in sorted(COUNTRIES.items()):
        node = COUNTRY[iso3]
        g.add((node, RDF.type, CCG.Country))
        g.add((node, SKOS.prefLabel, Literal(english, lang="en")))
        g.add((node, SKOS.prefLabel, Literal(nuts2021[code].national, lang=lang)))
        g.add((node, SKOS.notation, Literal(code)))
        g.add((node, SKOS.notation, Literal(iso3)))
    add_other_countries(g)
    return g


def add_other_countries(g: Graph) -> None:
    """The other countries programmes name, marked as outside ccgraph's eleven."""
    named = {iso3: (code, english) for code, (iso3, english) in OTHER_COUNTRIES.items()}
    named.update({iso3: (None, english) for iso3, english in NON_NUTS_COUNTRIES.items()})
    for iso3, (code, english) in sorted(named.items()):
        node = COUNTRY[iso3]
        g.add((node, RDF.type, CCG.Country))
        g.add((node, SKOS.prefLabel, Literal(english, lang="en")))
        g.add((node, SKOS.notation, Literal(iso3)))
        if code:
            g.add((node, SKOS.notation, Literal(code)))


# ---------------------------------------------------------------- adjacency
# Pure Python on purpose: 125 polygons do not justify a GIS dependency. Coordinates are
# projected to kilometres (equirectangular around each pair's latitude), and two regions
# are adjacent when some boundary segment of one comes within the tolerance of a segment
# of the other. At 1:20M GISCO generalises shared borders identically, so neighbours
# mostly share vertices; the tolerance catches the few places where they do not.

Segment = tuple[float, float, float, float]
CELL_KM = 20.0


def rings(geometry: dict) -> Iterator[list]:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" \
        else geometry["coordinates"]
    for polygon in polygons:
        yield from polygon  # outer ring and holes: an enclave touches its host at a hole


def segments_km(geometry: dict) -> list[Segment]:
    out = []
    for ring in rings(geometry):
        pts = [(lon * 111.32 * math.cos(math.radians(lat)), lat * 110.57) for lon, lat in ring]
        out.extend((*a, *b) for a, b in itertools.pairwise(pts))
    return out


def bbox(segs: list[Segment], pad: float) -> tuple[float, float, float, float]:
    xs = [v for s in segs for v in (s[0], s[2])]
    ys = [v for s in segs for v in (s[1], s[3])]
    return min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad


def overlaps(a: tuple, b: tuple) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def point_segment(px: float, py: float, s: Segment) -> float:
    x1, y1, x2, y2 = s
    dx, dy = x2 - x1, y2 - y1
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - x1) * dx + (py - y1) * dy) / length2))
    return math.hypot(px - x1 - t * dx, py - y1 - t * dy)


def cross(o: tuple, a: tuple, b: tuple) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def segment_distance(s: Segment, t: Segment) -> float:
    p1, p2, q1, q2 = s[:2], s[2:], t[:2], t[2:]
    if (cross(p1, p2, q1) * cross(p1, p2, q2) < 0) and (cross(q1, q2, p1) * cross(q1, q2, p2) < 0):
        return 0.0  # proper crossing: no endpoint need be near the other segment
    return min(point_segment(*p1, t), point_segment(*p2, t),
               point_segment(*q1, s), point_segment(*q2, s))


def cells(s: Segment, pad: float) -> Iterator[tuple[int, int]]:
    x0, y0, x1, y1 = bbox([s], pad)
    for i in range(math.floor(x0 / CELL_KM), math.floor(x1 / CELL_KM) + 1):
        for j in range(math.floor(y0 / CELL_KM), math.floor(y1 / CELL_KM) + 1):
            yield i, j


def grid(segs: list[Segment], pad: float) -> dict[tuple[int, int], list[Segment]]:
    index: dict[tuple[int, int], list[Segment]] = defaultdict(list)
    for s in segs:
        for cell in cells(s, pad):
            index[cell].append(s)
    return index


def touches(a: list[Segment], b_grid: dict, tol: float) -> bool:
    return any(segment_distance(s, t) <= tol
               for s in a for cell in cells(s, 0.0) for t in b_grid.get(cell, ()))


def adjacent_pairs(features: list[dict], tol: float = ADJACENCY_TOLERANCE_KM) -> list[tuple]:
    segs = {f["properties"]["NUTS_ID"]: segments_km(f["geometry"]) for f in features}
    boxes = {code: bbox(s, tol) for code, s in segs.items()}
    grids = {code: grid(s, tol) for code, s in segs.items()}
    codes = sorted(segs)
    return [(a, b) for i, a in enumerate(codes) for b in codes[i + 1:]
            if overlaps(boxes[a], boxes[b]) and touches(segs[a], grids[b], tol)]


def adjacency_graph(pairs: list[tuple[str, str]]) -> Graph:
    g = new_graph()
    describe_dataset(g, "adjacency", "Adjacency of NUTS-2 regions (AT BG CZ DE HR HU IT PL RO SI "
                     f"SK), boundaries within {ADJACENCY_TOLERANCE_KM:g} km at 1:20M",
                     ["NUTS_RG_20M_2021_4326_LEVL_2.geojson"], gisco=True)
    for a, b in pairs:  # both directions, so queries need no UNION for a symmetric property
        g.add((NUTS[a], CCG.adjacentTo, NUTS[b]))
        g.add((NUTS[b], CCG.adjacentTo, NUTS[a]))
    return g


# ---------------------------------------------------------------- output

def write_turtle(g: Graph, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(g.serialize(format="turtle"), encoding="utf-8")


def write_map_layer(features: list[dict], path: Path) -> None:
    """Target-country NUTS-2 polygons, features unchanged, sorted, compact JSON."""
    collection = {"type": "FeatureCollection",
                  "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4326"}},
                  "features": features}
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")


def build(out: Path) -> dict[str, int]:
    n21 = read_nuts2021()
    n24 = read_nuts2024(n21)
    points = read_label_points()
    features = read_polygon_features()
    n21_csv, points_file = "nuts2021_regions.csv", "NUTS_LB_2021_4326.geojson"
    graphs = {
        "reference/nuts-2021.ttl": nuts_graph("2021", n21, points, [n21_csv, points_file]),
        "reference/nuts-2024.ttl": nuts_graph("2024", n24, points,
                                              ["NUTS2021-NUTS2024.csv", n21_csv, points_file]),
        "reference/nace2.ttl": nace_graph(read_nace()),
        "reference/countries.ttl": countries_graph(n21),
        "reference/nuts-2021-other.ttl": other_nuts_graph(read_nuts_other()),
        "reference/adjacency.ttl": adjacency_graph(adjacent_pairs(features)),
    }
    for name, g in graphs.items():
        write_turtle(g, out / name)
    write_map_layer(features, out / "geo" / "nuts2-central-europe.geojson")
    return {name: len(g) for name, g in graphs.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data",
                        help="directory that receives reference/ and geo/ (default: data/)")
    args = parser.parse_args(argv)
    for name, triples in build(args.out).items():
        print(f"{name}: {triples} triples")


if __name__ == "__main__":
    main()
