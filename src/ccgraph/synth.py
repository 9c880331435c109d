"""Illustrative synthetic population of clusters for demos, tests and benchmarks.

Nothing here describes a real cluster. Every generated resource carries
``ccg:synthetic true`` and ``dcterms:source <.../id/source/synthetic>``, and its
label reads as an example name ("Example Cluster 17 ..."), so synthetic facts can
be filtered out or recognised anywhere they end up.

The generator is seeded and deterministic: the same ``(clusters, seed)`` gives the
same triples in the same order on every run and platform (``random.Random`` with
an integer seed is stable across CPython versions). Triples are produced as
pre-encoded N-Triples terms so that ten million of them stream in minutes, not
hours; ``to_graph`` turns a small population into an rdflib Graph.

>>> pop = list(triples(clusters=3, seed=1))
>>> pop == list(triples(clusters=3, seed=1))
True
>>> any(p == "<https://w3id.org/ccgraph/ontology#synthetic>" for _, p, _ in pop)
True
"""

from __future__ import annotations

import io
import random
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TextIO

import click
from rdflib import Namespace

from .errors import BadRequest
from .namespaces import (
    CCG,
    COUNTRY,
    DCTERMS,
    ID,
    NACE,
    NUTS,
    QB,
    RDF,
    RDFS,
    SKOS,
    VCARD,
    XSD,
    nace,
)

# W3C Basic Geo (http, unlike rdflib's WGS); move to namespaces.py once it is there.
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")

__all__ = [
    "COUNTRIES", "SYNTHETIC_SOURCE", "Population", "clusters_for_triples", "synth_command",
    "to_graph", "triples", "write", "write_ntriples", "write_turtle",
]

SYNTHETIC_SOURCE = ID["source/synthetic"]

# Central European countries covered: NUTS code -> ISO 3166-1 alpha-3 (EU country authority).
COUNTRIES = {
    "AT": "AUT", "BG": "BGR", "CZ": "CZE", "DE": "DEU", "HR": "HRV", "HU": "HUN",
    "IT": "ITA", "PL": "POL", "RO": "ROU", "SI": "SVN", "SK": "SVK",
}

# NUTS 2021 level-2 regions of those countries: code|name|lat|long of the GISCO label
# point, and adjacency (shared boundary in GISCO NUTS_RG_20M_2021 level 2).
# Embedded so the generator, and the files it writes, never depend on a data
# download; the reference graph in data/reference/ is the authority for real use.
# Data source: GISCO - Eurostat (European Commission); boundaries (c) EuroGeographics.
_REGIONS = """
AT11|Burgenland|47.2361|16.2874
AT12|Niederösterreich|48.2589|15.7601
AT13|Wien|48.2028|16.3932
AT21|Kärnten|46.7161|14.4629
AT22|Steiermark|47.1818|15.5247
AT31|Oberösterreich|48.1430|13.9503
AT32|Salzburg|47.2823|13.0002
AT33|Tirol|47.1809|10.7635
AT34|Vorarlberg|47.2366|9.8851
BG31|Severozapaden|43.4201|23.8763
BG32|Severen tsentralen|43.2223|25.5930
BG33|Severoiztochen|43.3648|27.3512
BG34|Yugoiztochen|42.4799|26.5534
BG41|Yugozapaden|42.3235|23.3357
BG42|Yuzhen tsentralen|41.7421|25.1669
CZ01|Praha|50.0663|14.4630
CZ02|Střední Čechy|49.7423|14.4549
CZ03|Jihozápad|49.1276|13.9941
CZ04|Severozápad|50.3978|13.4304
CZ05|Severovýchod|50.2782|15.7801
CZ06|Jihovýchod|49.2407|16.1756
CZ07|Střední Morava|49.5390|17.4358
CZ08|Moravskoslezsko|49.8029|18.0098
DE11|Stuttgart|49.0149|9.6240
DE12|Karlsruhe|49.0144|8.6727
DE13|Freiburg|48.0237|8.2189
DE14|Tübingen|48.1316|9.5041
DE21|Oberbayern|48.1065|11.7436
DE22|Niederbayern|48.7009|12.8023
DE23|Oberpfalz|49.3959|12.1142
DE24|Oberfranken|50.0492|11.3830
DE25|Mittelfranken|49.3524|10.7811
DE26|Unterfranken|50.0119|9.9396
DE27|Schwaben|48.1680|10.5277
DE30|Berlin|52.5005|13.4022
DE40|Brandenburg|53.0836|12.1381
DE50|Bremen|53.1065|8.7877
DE60|Hamburg|53.5392|10.0100
DE71|Darmstadt|50.0613|8.7603
DE72|Gießen|50.7134|8.7915
DE73|Kassel|51.0515|9.4556
DE80|Mecklenburg-Vorpommern|53.7138|12.4675
DE91|Braunschweig|52.0498|10.3557
DE92|Hannover|52.3963|9.3691
DE93|Lüneburg|52.9952|10.0416
DE94|Weser-Ems|52.9118|7.7849
DEA1|Düsseldorf|51.4326|6.5988
DEA2|Köln|50.8283|6.8087
DEA3|Münster|51.9458|7.4022
DEA4|Detmold|51.9362|8.7809
DEA5|Arnsberg|51.3119|7.9928
DEB1|Koblenz|50.2543|7.5124
DEB2|Trier|49.9762|6.7030
DEB3|Rheinhessen-Pfalz|49.4587|7.9492
DEC0|Saarland|49.3922|6.9570
DED2|Dresden|51.1809|14.1267
DED4|Chemnitz|50.7323|12.8143
DED5|Leipzig|51.3583|12.6704
DEE0|Sachsen-Anhalt|52.0110|11.6996
DEF0|Schleswig-Holstein|54.0804|9.8212
DEG0|Thüringen|50.9044|11.0218
HR02|Panonska Hrvatska|45.5235|17.1251
HR03|Jadranska Hrvatska|44.4289|15.5424
HR05|Grad Zagreb|45.8301|16.0048
HR06|Sjeverna Hrvatska|46.1447|16.3735
HU11|Budapest|47.4819|19.1023
HU12|Pest|47.1995|19.0400
HU21|Közép-Dunántúl|47.2298|18.1148
HU22|Nyugat-Dunántúl|47.1895|16.9918
HU23|Dél-Dunántúl|46.3423|18.0211
HU31|Észak-Magyarország|47.9955|20.5247
HU32|Észak-Alföld|47.5817|21.3424
HU33|Dél-Alföld|46.5850|19.5165
ITC1|Piemonte|45.0634|7.9189
ITC2|Valle d’Aosta/Vallée d’Aoste|45.7281|7.3925
ITC3|Liguria|44.1573|8.1521
ITC4|Lombardia|45.6127|9.7730
ITF1|Abruzzo|42.2341|13.8714
ITF2|Molise|41.5949|14.5396
ITF3|Campania|41.0387|14.7373
ITF4|Puglia|41.0043|16.5847
ITF5|Basilicata|40.5157|16.0794
ITF6|Calabria|39.1604|16.3822
ITG1|Sicilia|37.5704|14.1658
ITG2|Sardegna|40.0775|9.0348
ITH1|Provincia Autonoma di Bolzano/Bozen|46.7053|11.4241
ITH2|Provincia Autonoma di Trento|46.1313|10.8590
ITH3|Veneto|45.6610|11.8546
ITH4|Friuli-Venezia Giulia|46.1665|13.0495
ITH5|Emilia-Romagna|44.5224|11.0296
ITI1|Toscana|43.4794|11.1306
ITI2|Umbria|42.9717|12.4893
ITI3|Marche|43.3477|13.1530
ITI4|Lazio|41.9898|12.7501
PL21|Małopolskie|49.8534|20.2690
PL22|Śląskie|50.3338|19.0098
PL41|Wielkopolskie|52.4977|16.6724
PL42|Zachodniopomorskie|53.5694|15.5715
PL43|Lubuskie|52.1704|15.3339
PL51|Dolnośląskie|51.0982|16.4117
PL52|Opolskie|50.6548|17.9145
PL61|Kujawsko-pomorskie|53.0800|18.5077
PL62|Warmińsko-mazurskie|53.8611|20.8301
PL63|Pomorskie|54.2886|18.0655
PL71|Łódzkie|51.6087|19.4079
PL72|Świętokrzyskie|50.7667|20.7865
PL81|Lubelskie|51.2295|22.8880
PL82|Podkarpackie|49.9638|22.1554
PL84|Podlaskie|53.2669|22.9446
PL91|Warszawski stołeczny|52.2328|21.1387
PL92|Mazowiecki regionalny|51.5285|21.2088
RO11|Nord-Vest|47.2250|23.3458
RO12|Centru|46.1860|24.8114
RO21|Nord-Est|47.0893|26.6947
RO22|Sud-Est|45.4531|26.9744
RO31|Sud-Muntenia|44.5192|25.3492
RO32|Bucureşti-Ilfov|44.5139|26.1440
RO41|Sud-Vest Oltenia|44.5996|23.6859
RO42|Vest|45.7133|21.9876
SI03|Vzhodna Slovenija|46.1724|15.2754
SI04|Zahodna Slovenija|46.1532|14.2228
SK01|Bratislavský kraj|48.2998|17.1607
SK02|Západné Slovensko|48.4057|18.0701
SK03|Stredné Slovensko|48.7960|19.3647
SK04|Východné Slovensko|48.9446|21.2527
"""
_ADJACENT = """
AT11 AT12 AT22 HU22 SI03 SK01
AT12 AT13 AT22 AT31 CZ03 CZ06 SK01 SK02
AT21 AT22 AT32 AT33 ITH3 ITH4 SI03 SI04
AT22 AT31 AT32 SI03
AT31 AT32 CZ03 DE21 DE22
AT32 AT33 DE21 ITH1
AT33 AT34 DE21 DE27 ITH1 ITH3
AT34 DE14 DE27
BG31 BG32 BG34 BG41 BG42 RO31 RO41
BG32 BG33 BG34 RO22 RO31
BG33 BG34 RO22
BG34 BG42
BG41 BG42
CZ01 CZ02
CZ02 CZ03 CZ04 CZ05 CZ06
CZ03 CZ04 CZ06 DE22 DE23
CZ04 CZ05 DE23 DE24 DED2 DED4
CZ05 CZ06 CZ07 DED2 PL51
CZ06 CZ07 SK02
CZ07 CZ08 PL51 PL52 SK02 SK03
CZ08 PL22 PL52 SK03
DE11 DE12 DE14 DE25 DE26 DE27
DE12 DE13 DE14 DE26 DE71 DEB3
DE13 DE14
DE14 DE27
DE21 DE22 DE23 DE25 DE27
DE22 DE23
DE23 DE24 DE25
DE24 DE25 DE26 DED4 DEG0
DE25 DE26 DE27
DE26 DE71 DE73 DEG0
DE30 DE40
DE40 DE80 DE93 DED2 DED5 DEE0 PL42 PL43
DE50 DE92 DE93 DE94
DE60 DE93 DEF0
DE71 DE72 DE73 DEB1 DEB3
DE72 DE73 DEA5 DEB1
DE73 DE91 DEA4 DEA5 DEG0
DE80 DE93 DEF0 PL42
DE91 DE92 DE93 DEA4 DEE0 DEG0
DE92 DE93 DE94 DEA4
DE93 DE94 DEE0 DEF0
DE94 DEA3 DEA4
DEA1 DEA2 DEA3 DEA5
DEA2 DEA5 DEB1 DEB2
DEA3 DEA4 DEA5
DEA4 DEA5
DEA5 DEB1
DEB1 DEB2 DEB3 DEC0
DEB2 DEC0
DEB3 DEC0
DED2 DED4 DED5 PL43 PL51
DED4 DED5 DEG0
DED5 DEE0 DEG0
DEE0 DEG0
HR02 HR03 HR06 HU23 HU33 SI03
HR03 SI03 SI04
HR05 HR06
HR06 HU22 HU23 SI03
HU11 HU12
HU12 HU21 HU31 HU32 HU33 SK02
HU21 HU22 HU23 HU33 SK02
HU22 HU23 SI03 SK01 SK02
HU23 HU33
HU31 HU32 SK02 SK03 SK04
HU32 HU33 RO11 SK04
HU33 RO11 RO42
ITC1 ITC2 ITC3 ITC4 ITH5
ITC3 ITH5 ITI1
ITC4 ITH1 ITH2 ITH3 ITH5
ITF1 ITF2 ITI3 ITI4
ITF2 ITF3 ITF4 ITI4
ITF3 ITF4 ITF5 ITI4
ITF4 ITF5
ITF5 ITF6
ITH1 ITH2 ITH3
ITH2 ITH3
ITH3 ITH4 ITH5
ITH4 SI04
ITH5 ITI1 ITI3
ITI1 ITI2 ITI3 ITI4
ITI2 ITI3 ITI4
ITI3 ITI4
PL21 PL22 PL72 PL82 SK03 SK04
PL22 PL52 PL71 PL72 SK03
PL41 PL42 PL43 PL51 PL52 PL61 PL63 PL71
PL42 PL43 PL63
PL43 PL51
PL51 PL52
PL52 PL71
PL61 PL62 PL63 PL71 PL92
PL62 PL63 PL84 PL92
PL71 PL72 PL92
PL72 PL81 PL82 PL92
PL81 PL82 PL84 PL92
PL82 SK04
PL84 PL92
PL91 PL92
RO11 RO12 RO21 RO42
RO12 RO21 RO22 RO31 RO41 RO42
RO21 RO22
RO22 RO31
RO31 RO32 RO41
RO41 RO42
SI03 SI04
SK01 SK02
SK02 SK03
SK03 SK04
"""

# NACE Rev. 2 divisions and groups the population uses: code|parent|label.
_NACE = """
A||Agriculture, forestry and fishing
C||Manufacturing
D||Electricity, gas, steam and air conditioning supply
E||Water supply; sewerage, waste management and remediation activities
H||Transportation and storage
I||Accommodation and food service activities
J||Information and communication
M||Professional, scientific and technical activities
R||Arts, entertainment and recreation
01|A|Crop and animal production, hunting and related service activities
01.1|01|Growing of non-perennial crops
02|A|Forestry and logging
10|C|Manufacture of food products
10.1|10|Processing and preserving of meat and production of meat products
10.5|10|Manufacture of dairy products
16|C|Manufacture of wood and of products of wood and cork, except furniture
16.2|16|Manufacture of products of wood, cork, straw and plaiting materials
20|C|Manufacture of chemicals and chemical products
20.1|20|Manufacture of basic chemicals, fertilisers and nitrogen compounds, plastics
21|C|Manufacture of basic pharmaceutical products and pharmaceutical preparations
21.1|21|Manufacture of basic pharmaceutical products
21.2|21|Manufacture of pharmaceutical preparations
22|C|Manufacture of rubber and plastic products
22.2|22|Manufacture of plastics products
24|C|Manufacture of basic metals
25|C|Manufacture of fabricated metal products, except machinery and equipment
25.6|25|Treatment and coating of metals; machining
26|C|Manufacture of computer, electronic and optical products
26.1|26|Manufacture of electronic components and boards
26.5|26|Manufacture of instruments and appliances for measuring, testing and navigation
27|C|Manufacture of electrical equipment
27.1|27|Manufacture of electric motors, generators, transformers and distribution apparatus
27.2|27|Manufacture of batteries and accumulators
28|C|Manufacture of machinery and equipment n.e.c.
28.1|28|Manufacture of general-purpose machinery
28.4|28|Manufacture of metal forming machinery and machine tools
29|C|Manufacture of motor vehicles, trailers and semi-trailers
29.1|29|Manufacture of motor vehicles
29.3|29|Manufacture of parts and accessories for motor vehicles
30|C|Manufacture of other transport equipment
30.3|30|Manufacture of air and spacecraft and related machinery
31|C|Manufacture of furniture
32|C|Other manufacturing
32.5|32|Manufacture of medical and dental instruments and supplies
35|D|Electricity, gas, steam and air conditioning supply
35.1|35|Electric power generation, transmission and distribution
38|E|Waste collection, treatment and disposal activities; materials recovery
38.3|38|Materials recovery
49|H|Land transport and transport via pipelines
52|H|Warehousing and support activities for transportation
52.1|52|Warehousing and storage
55|I|Accommodation
58|J|Publishing activities
58.2|58|Software publishing
62|J|Computer programming, consultancy and related activities
62.0|62|Computer programming, consultancy and related activities
63|J|Information service activities
71|M|Architectural and engineering activities; technical testing and analysis
71.1|71|Architectural and engineering activities and related technical consultancy
72|M|Scientific research and development
72.1|72|Research and experimental development on natural sciences and engineering
90|R|Creative, arts and entertainment activities
"""

# Emerging industries after the European Cluster Observatory's ten (2019 report),
# each with the NACE codes the population draws its clusters' sectors from.
_EMERGING = (
    ("advanced-packaging", "Advanced packaging", ("22.2", "20.1", "28.4", "16.2")),
    ("biopharmaceuticals", "Biopharmaceuticals", ("21.1", "21.2", "72.1", "20")),
    ("blue-growth", "Blue growth industries", ("30", "52.1", "35.1")),
    ("creative", "Creative industries", ("58", "90", "62.0")),
    ("digital", "Digital industries", ("62.0", "63", "58.2", "26.1")),
    ("environmental", "Environmental industries", ("38.3", "35.1", "71.1")),
    ("experience", "Experience industries", ("55", "90", "10.5")),
    ("logistics", "Logistical services", ("49", "52.1", "63")),
    ("medical-devices", "Medical devices", ("32.5", "26.5", "22.2", "72.1")),
    ("mobility", "Mobility technologies", ("29.1", "29.3", "27.2", "25.6", "22.2", "26.1")),
)

# Illustrative supplier -> customer links between NACE divisions, so the model's
# value-chain term has data to work on; marked synthetic like everything else.
_VALUE_CHAIN = (
    ("01", "10"), ("02", "16"), ("16", "31"), ("20", "21"), ("20", "22"), ("22", "29"),
    ("24", "25"), ("25", "28"), ("25", "29"), ("26", "29"), ("27", "29"), ("28", "29"),
    ("26", "62"), ("62", "63"), ("38", "24"), ("35", "38"), ("49", "52"), ("26", "32"),
    ("30", "52"), ("71", "28"), ("72", "21"), ("58", "63"), ("10", "55"), ("90", "55"),
)


# --- N-Triples term encoding -------------------------------------------------
# Terms are kept as their N-Triples text: formatting a string is an order of
# magnitude cheaper than building rdflib terms, and N-Triples needs no more.

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _iri(value: str) -> str:
    return f"<{value}>"


def _text(value: str, lang: str = "en") -> str:
    return f'"{value.translate(_ESCAPES)}"@{lang}'


def _typed(lexical: object, datatype: str) -> str:
    return f'"{lexical}"^^<{datatype}>'


def _day(d: date) -> str:
    return _typed(d.isoformat(), XSD.date)


A = _iri(RDF.type)
LABEL, PREF_LABEL, NOTATION, BROADER = (_iri(x) for x in (RDFS.label, SKOS.prefLabel,
                                                             SKOS.notation, SKOS.broader))
SOURCE = _iri(DCTERMS.source)
TRUE = _typed("true", XSD.boolean)
SYNTH_SOURCE = _iri(SYNTHETIC_SOURCE)


def _c(name: str) -> str:
    return _iri(CCG[name])


# --- the population ----------------------------------------------------------


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    lat: float
    long: float

    @property
    def country(self) -> str:
        return self.code[:2]


def _regions() -> tuple[Region, ...]:
    rows = (line.split("|") for line in _REGIONS.strip().splitlines())
    return tuple(Region(c, n, float(lat), float(lon)) for c, n, lat, lon in rows)


def _adjacency() -> dict[str, tuple[str, ...]]:
    adj: dict[str, set[str]] = {}
    for line in _ADJACENT.strip().splitlines():
        head, *rest = line.split()
        for other in rest:
            adj.setdefault(head, set()).add(other)
            adj.setdefault(other, set()).add(head)
    return {k: tuple(sorted(v)) for k, v in sorted(adj.items())}


REGIONS = _regions()
ADJACENT = _adjacency()


@dataclass
class Profile:
    """What is drawn up front for one cluster, so projects and events can pick partners."""

    region: Region
    theme: int                 # index into _EMERGING
    industries: tuple[str, ...]
    emerging: bool             # declares the emerging industry itself
    members: int
    first_org: int


@dataclass
class Instrument:
    iri: str
    scope: str                 # CrossBorder | Transnational | Interregional
    regions: tuple[str, ...]   # NUTS-2 codes, or NUTS-0 (country) codes
    industries: tuple[str, ...]
    start: date


@dataclass
class Population:
    """The drawn skeleton of a synthetic population; `emit()` yields its triples."""

    clusters: int
    seed: int
    reference: bool = False
    rng: random.Random = field(init=False)
    profiles: list[Profile] = field(init=False, default_factory=list)
    instruments: list[Instrument] = field(init=False, default_factory=list)
    by_region: dict[str, list[int]] = field(init=False, default_factory=dict)
    by_country: dict[str, list[int]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        if self.clusters < 1:
            raise BadRequest("clusters must be at least 1", clusters=self.clusters)
        self.rng = random.Random(self.seed)
        self._draw_profiles()
        self._draw_instruments()

    # sizes scale with the number of clusters
    @property
    def n_programmes(self) -> int:
        return max(3, self.clusters // 400)

    @property
    def n_instruments(self) -> int:
        return max(12, self.clusters // 100)

    @property
    def n_projects(self) -> int:
        return max(4, self.clusters // 4)

    @property
    def n_events(self) -> int:
        return max(2, self.clusters // 25)

    def _draw_profiles(self) -> None:
        rng = self.rng
        # Each region favours a few themes: this is what makes co-location
        # (Hidalgo-style proximity) measurable in the synthetic data.
        favoured = {r.code: rng.sample(range(len(_EMERGING)), 3) for r in REGIONS}
        next_org = 1
        for i in range(self.clusters):
            region = rng.choice(REGIONS)
            theme = (rng.choice(favoured[region.code]) if rng.random() < 0.7
                     else rng.randrange(len(_EMERGING)))
            codes = _EMERGING[theme][2]
            industries = tuple(sorted(rng.sample(codes, rng.randint(1, min(3, len(codes))))))
            members = rng.randint(6, 13)
            self.profiles.append(Profile(region, theme, industries, rng.random() < 0.5,
                                         members, next_org))
            self.by_region.setdefault(region.code, []).append(i)
            self.by_country.setdefault(region.country, []).append(i)
            next_org += members

    def _draw_instruments(self) -> None:
        """Calls with deliberately partial coverage: a few countries, one border area
        or some regions of one country, most of them open to a few sectors only, so
        that complementary pairs no call covers (the funding gaps) exist."""
        rng = self.rng
        borders = sorted((a, b) for a, bs in ADJACENT.items() for b in bs
                         if a < b and a[:2] != b[:2])
        for i in range(1, self.n_instruments + 1):
            scope = rng.choice(("CrossBorder", "Transnational", "Interregional"))
            regions = self._draw_area(scope, borders)
            industries = ()
            if rng.random() < 0.75:
                theme = _EMERGING[rng.randrange(len(_EMERGING))][2]
                industries = tuple(sorted({c.split(".")[0] for c in theme}))
            start = date(2014 + rng.randrange(12), 1 + rng.randrange(12), 1)
            self.instruments.append(Instrument(_iri(ID[f"instrument/synthetic-{i}"]), scope,
                                               regions, industries, start))

    def _draw_area(self, scope: str, borders: list[tuple[str, str]]) -> tuple[str, ...]:
        rng = self.rng
        if scope == "CrossBorder":
            a, b = rng.choice(borders)
            pair = {a[:2], b[:2]}
            return tuple(sorted({a, b} | {n for x in (a, b) for n in ADJACENT[x]
                                          if n[:2] in pair}))
        if scope == "Transnational":
            return tuple(sorted(rng.sample(sorted(COUNTRIES), rng.randint(2, 4))))
        country = rng.choice(sorted(COUNTRIES))
        own = [r.code for r in REGIONS if r.country == country]
        return tuple(sorted(rng.sample(own, rng.randint(min(2, len(own)), min(6, len(own))))))

    def eligible_groups(self, inst: Instrument) -> list[list[int]]:
        """The clusters an instrument covers, one list per eligible country or region."""
        index = self.by_country if len(inst.regions[0]) == 2 else self.by_region
        return [index[code] for code in inst.regions if index.get(code)]

    def emit(self) -> Iterator[tuple[str, str, str]]:
        """Every triple of the population, in a fixed order."""
        if self.reference:
            yield from _reference_triples()
        yield from _source_triples()
        yield from _indicator_triples()
        yield from _emerging_triples()
        yield from _value_chain_triples()
        yield from _policy_triples()
        yield from self._programme_triples()
        yield from self._instrument_triples()
        for i in range(self.clusters):
            yield from self._cluster_triples(i)
        for i in range(1, self.n_projects + 1):
            yield from self._project_triples(i)
        for i in range(1, self.n_events + 1):
            yield from self._event_triples(i)
        # Last, and with RNGs of their own: every resource above keeps its id and values.
        yield from _contact_point_triples()
        yield from _benchmark_triples(self.clusters, self.seed)

    # --- resources, one method per kind -------------------------------------------

    def _programme_triples(self) -> Iterator[tuple[str, str, str]]:
        for i in range(1, self.n_programmes + 1):
            s = _iri(ID[f"programme/synthetic-{i}"])
            yield from _header(s, "Programme", f"Example Programme {i}")
            yield s, _c("startDate"), _day(date(2014 + 7 * ((i - 1) % 2), 1, 1))

    def _instrument_triples(self) -> Iterator[tuple[str, str, str]]:
        rng = self.rng
        for i, inst in enumerate(self.instruments, start=1):
            s = inst.iri
            scope = {"CrossBorder": "cross-border", "Transnational": "transnational",
                     "Interregional": "interregional"}[inst.scope]
            yield from _header(s, "FundingInstrument", f"Example Instrument {i} ({scope} call)")
            programme = ID[f"programme/synthetic-{(i - 1) % self.n_programmes + 1}"]
            yield s, _c("partOfProgramme"), _iri(programme)
            yield s, _c("cooperationScope"), _c(inst.scope)
            for code in inst.regions:
                yield s, _c("eligibleRegion"), _iri(NUTS[code])
            for code in inst.industries:
                yield s, _c("eligibleIndustry"), _iri(nace(code))
            yield s, _c("budgetEUR"), _typed(rng.randrange(5, 200) * 100_000, XSD.decimal)
            yield s, _c("startDate"), _day(inst.start)
            yield s, _c("endDate"), _day(inst.start + timedelta(days=365 * 2 - 1))

    def _cluster_triples(self, i: int) -> Iterator[tuple[str, str, str]]:
        rng, p = self.rng, self.profiles[i]
        s = _cluster(i)
        theme = _EMERGING[p.theme]
        yield from _header(s, "Cluster", f"Example Cluster {i + 1} ({theme[1]}, {p.region.name})")
        yield s, _c("locatedIn"), _iri(NUTS[p.region.code])
        yield s, _c("country"), _iri(COUNTRY[COUNTRIES[p.region.country]])
        for code in p.industries:
            yield s, _c("activeIn"), _iri(nace(code))
        if p.emerging:
            yield s, _c("activeIn"), _emerging(theme[0])
        orgs = range(p.first_org, p.first_org + p.members)
        for k in orgs:
            yield s, _c("hasMember"), _organisation(k)
        label = _iri(ID[f"quality-label/synthetic-{i + 1}"]) if rng.random() < 0.3 else None
        if label:
            yield s, _c("holdsLabel"), label
        for k in orgs:
            yield from _organisation_triples(k, p.region)
        if label:
            yield from _quality_label_triples(label, i, rng)
        if rng.random() < 0.2:
            yield from _observation_triples(s, i, rng, p.members)

    def _project_triples(self, i: int) -> Iterator[tuple[str, str, str]]:
        rng = self.rng
        inst, partners = self._draw_consortium()
        s = _iri(ID[f"project/synthetic-{i}"])
        yield from _header(s, "Project", f"Example Project {i}")
        start = inst.start + timedelta(days=rng.randrange(365)) if inst else date(2020, 1, 1)
        if inst:
            yield s, _c("fundedBy"), inst.iri
        yield s, _c("budgetEUR"), _typed(rng.randrange(20, 500) * 10_000, XSD.decimal)
        yield s, _c("startDate"), _day(start)
        yield s, _c("endDate"), _day(start + timedelta(days=365 * rng.randint(1, 3)))
        yield s, _c("leadPartner"), _cluster(partners[0])
        for c in partners:
            yield s, _c("partner"), _cluster(c)
        lead = self.profiles[partners[0]]
        org = _organisation(lead.first_org + rng.randrange(lead.members))
        yield s, _c("associatedPartner"), org

    def _draw_consortium(self) -> tuple[Instrument | None, list[int]]:
        """An instrument and partners it could fund: eligible, from 2+ countries unless
        the scope is interregional. Without one, partners from anywhere, unfunded."""
        rng = self.rng
        for _ in range(5):
            inst = rng.choice(self.instruments)
            groups = self.eligible_groups(inst)
            if sum(map(len, groups)) < 2:
                continue
            lead = self._pick(groups)
            country = self.profiles[lead].region.country
            abroad = [g for g in groups if self.profiles[g[0]].region.country != country]
            if not abroad and inst.scope != "Interregional":
                continue
            seconds = (self._pick(abroad or groups) for _ in range(10))
            second = next((c for c in seconds if c != lead), None)
            others = [self._pick(groups) for _ in range(rng.randint(0, 4))]
            if second is not None:
                return inst, list(dict.fromkeys([lead, second, *others]))
        return None, rng.sample(range(self.clusters), min(2, self.clusters))

    def _pick(self, groups: list[list[int]]) -> int:
        """A cluster drawn uniformly from several groups without concatenating them:
        at 100k clusters, building the pool for every project made generation quadratic."""
        group = self.rng.choices(groups, weights=[len(g) for g in groups])[0]
        return self.rng.choice(group)

    def _event_triples(self, i: int) -> Iterator[tuple[str, str, str]]:
        rng = self.rng
        region = rng.choice(REGIONS)
        theme = _EMERGING[rng.randrange(len(_EMERGING))][1]
        s = _iri(ID[f"event/synthetic-{i}"])
        yield from _header(s, "Event", f"Example Event {i}: {theme} matchmaking, {region.name}")
        yield s, _c("startDate"), _day(date(2015, 1, 1) + timedelta(days=rng.randrange(3650)))
        yield s, _c("locatedIn"), _iri(NUTS[region.code])
        home = self.by_country.get(region.country, [])
        picks = rng.sample(home, min(len(home), rng.randint(2, 6)))
        picks += rng.sample(range(self.clusters), min(self.clusters, rng.randint(2, 6)))
        for c in dict.fromkeys(picks):
            yield s, _c("participant"), _cluster(c)


def _cluster(i: int) -> str:
    return _iri(ID[f"cluster/synthetic-{i + 1}"])


def _organisation(k: int) -> str:
    return _iri(ID[f"organisation/synthetic-{k}"])


def _organisation_triples(k: int, region: Region) -> Iterator[tuple[str, str, str]]:
    s = _organisation(k)
    yield from _header(s, "Organisation", f"Example Organisation {k}")
    yield s, _c("locatedIn"), _iri(NUTS[region.code])
    yield s, _c("country"), _iri(COUNTRY[COUNTRIES[region.country]])


def _emerging(slug: str) -> str:
    return _iri(ID[f"industry/synthetic-{slug}"])


def _header(s: str, cls: str, label: str) -> Iterator[tuple[str, str, str]]:
    yield s, A, _c(cls)
    yield s, LABEL, _text(label)
    yield s, PREF_LABEL, _text(label)
    yield s, _c("synthetic"), TRUE
    yield s, SOURCE, SYNTH_SOURCE


_LEVELS = ("Bronze", "Silver", "Gold")


def _quality_label_triples(s: str, i: int, rng: random.Random):
    level = rng.choices(_LEVELS, weights=(6, 3, 1))[0]
    yield from _header(s, "QualityLabel", f"Example ESCA {level} label {i + 1}")
    yield s, _c("labelLevel"), _c(f"ESCA{level}")
    awarded = date(2016 + rng.randrange(8), 1 + rng.randrange(12), 1)
    yield s, _c("awardedOn"), _day(awarded)
    yield s, _c("validUntil"), _day(awarded + timedelta(days=2 * 365))


MEMBERS_INDICATOR = _iri(ID["indicator/synthetic-members"])


def _observation_triples(cluster: str, i: int, rng: random.Random, members: int):
    """A benchmarking observation (issue 9): the cluster's member count in one year."""
    s = _iri(ID[f"observation/synthetic-{i + 1}-members"])
    yield s, A, _iri(QB.Observation)
    yield s, _c("refCluster"), cluster
    yield s, _c("indicator"), MEMBERS_INDICATOR
    yield s, _c("indicatorValue"), _typed(members, XSD.decimal)
    yield s, _c("refYear"), _typed(2015 + rng.randrange(9), XSD.gYear)
    yield s, _c("synthetic"), TRUE
    yield s, SOURCE, SYNTH_SOURCE


def _contact_point_triples():
    """Per country a national contact point and one for its first region (issue 9)."""
    for code, iso3 in sorted(COUNTRIES.items()):
        region = next(r for r in REGIONS if r.country == code)
        for slug, label, serves, target in (
                (code.lower(), f"Example contact point {code} (national)", "servesCountry",
                 COUNTRY[iso3]),
                (region.code.lower(), f"Example contact point {region.code} ({region.name})",
                 "servesRegion", NUTS[region.code])):
            s = _iri(ID[f"contact-point/synthetic-{slug}"])
            yield from _header(s, "ContactPoint", label)
            yield s, _c(serves), _iri(target)
            yield s, _iri(VCARD.fn), _typed(label, XSD.string)
            yield s, _iri(VCARD.hasEmail), _iri(f"mailto:contact-{slug}@example.org")


# Benchmarking indicators beyond the member count (issue 9): slug, label, unit, range,
# and the range values are drawn from (a second year drifts from the first).
_INDICATORS = (
    ("sme-share", "share of SME members", "percent", (0, 100), (40, 95)),
    ("rd-projects", "R&D projects per year", "projects per year", (0, None), (0, 12)),
    ("partnerships", "international partnerships", "partnerships", (0, None), (0, 20)),
)
_BENCHMARK_YEARS = (2023, 2024)


def _indicator_iri(slug: str) -> str:
    return _iri(ID[f"indicator/synthetic-{slug}"])


def _indicator_triples():
    yield from _header(MEMBERS_INDICATOR, "Indicator", "Example indicator: member organisations")
    yield MEMBERS_INDICATOR, _c("unit"), _typed("members", XSD.string)
    yield MEMBERS_INDICATOR, _c("minValue"), _typed(0, XSD.decimal)
    for slug, label, unit, (low, high), _draw in _INDICATORS:
        s = _indicator_iri(slug)
        yield from _header(s, "Indicator", f"Example indicator: {label}")
        yield s, _c("unit"), _typed(unit, XSD.string)
        yield s, _c("minValue"), _typed(low, XSD.decimal)
        if high is not None:
            yield s, _c("maxValue"), _typed(high, XSD.decimal)


def _benchmark_triples(clusters: int, seed: int) -> Iterator[tuple[str, str, str]]:
    """Two years of the three indicators for about a third of the clusters."""
    rng = random.Random(seed * 7919 + 9)  # its own stream: the population above is unchanged
    for i in range(clusters):
        if rng.random() >= 0.35:
            continue
        for slug, _label, _unit, (low, high), (lo, hi) in _INDICATORS:
            value = rng.randint(lo, hi)
            for year in _BENCHMARK_YEARS:
                value = max(low, value + rng.randint(-2, 2))
                value = min(high, value) if high is not None else value
                yield from _benchmark_observation(i, slug, year, value)


def _benchmark_observation(i: int, slug: str, year: int, value: int):
    s = _iri(ID[f"observation/synthetic-{i + 1}-{slug}-{year}"])
    yield s, A, _iri(QB.Observation)
    yield s, _c("refCluster"), _cluster(i)
    yield s, _c("indicator"), _indicator_iri(slug)
    yield s, _c("indicatorValue"), _typed(value, XSD.decimal)
    yield s, _c("refYear"), _typed(year, XSD.gYear)
    yield s, _c("synthetic"), TRUE
    yield s, SOURCE, SYNTH_SOURCE


def _source_triples():
    yield SYNTH_SOURCE, LABEL, _text("Synthetic example data generated by ccgraph synth")
    yield SYNTH_SOURCE, _c("synthetic"), TRUE


def _emerging_triples():
    for slug, name, codes in _EMERGING:
        s = _emerging(slug)
        yield from _header(s, "EmergingIndustry", f"Example emerging industry: {name}")
        for code in codes:
            yield s, _c("relatedIndustry"), _iri(nace(code))


def _value_chain_triples():
    for up, down in _VALUE_CHAIN:
        yield _iri(nace(up)), _c("valueChainLink"), _iri(nace(down))
    for up, down in _VALUE_CHAIN:
        s = _iri(ID[f"value-chain-link/synthetic-{up}-{down}"])
        yield from _header(s, "ValueChainLink", f"Example value-chain link {up} -> {down}")
        yield s, _c("fromIndustry"), _iri(nace(up))
        yield s, _c("toIndustry"), _iri(nace(down))


def _policy_triples():
    for cc in sorted(COUNTRIES):
        policy = _iri(ID[f"policy/synthetic-{cc.lower()}"])
        yield from _header(policy, "Policy", f"Example national cluster policy ({cc})")
        yield policy, _c("country"), _iri(COUNTRY[COUNTRIES[cc]])
        measure = _iri(ID[f"policy-measure/synthetic-{cc.lower()}"])
        yield from _header(measure, "PolicyMeasure", f"Example cluster cooperation measure ({cc})")
        yield measure, _c("implements"), policy
        yield measure, _c("country"), _iri(COUNTRY[COUNTRIES[cc]])


def _reference_triples():
    """A minimal stand-in for data/reference: regions with hierarchy, countries,
    adjacency and the NACE codes used, so a generated file can stand alone."""
    yield from _region_triples()
    for line in _NACE.strip().splitlines():
        code, parent, name = line.split("|")
        s = _iri(nace(code))
        yield s, A, _c("Industry")
        yield s, NOTATION, _typed(code, XSD.string)
        yield s, LABEL, _text(name)
        if parent:
            yield s, BROADER, _iri(nace(parent))


def _region_triples():
    for cc, iso in sorted(COUNTRIES.items()):
        yield _iri(COUNTRY[iso]), A, _c("Country")
        yield _iri(NUTS[cc]), A, _c("Region")
        yield _iri(NUTS[cc]), _c("nutsLevel"), _typed(0, XSD.integer)
        yield _iri(NUTS[cc]), _c("country"), _iri(COUNTRY[iso])
    for nuts1 in sorted({r.code[:3] for r in REGIONS}):
        yield from _region_core(nuts1, 1, nuts1[:2])
    for r in REGIONS:
        yield from _region_core(r.code, 2, r.code[:3])
        s = _iri(NUTS[r.code])
        yield s, LABEL, _text(r.name)
        yield s, _iri(GEO.lat), _typed(r.lat, XSD.decimal)
        yield s, _iri(GEO.long), _typed(r.long, XSD.decimal)
        for other in ADJACENT.get(r.code, ()):
            yield s, _c("adjacentTo"), _iri(NUTS[other])





def _region_core(code: str, level: int, parent: str):
    s = _iri(NUTS[code])
    yield s, A, _c("Region")
    yield s, _c("nutsLevel"), _typed(level, XSD.integer)
    yield s, BROADER, _iri(NUTS[parent])
    yield s, _c("country"), _iri(COUNTRY[COUNTRIES[code[:2]]])


# --- public API ----------------------------------------------------------------


def triples(clusters: int, seed: int = 42, reference: bool = False
            ) -> Iterator[tuple[str, str, str]]:
    """Yield the population's triples as N-Triples terms ``(s, p, o)``.

    ``reference=True`` adds a minimal copy of the regions (hierarchy, adjacency)
    and NACE codes used, for output that must stand alone without data/reference.

    >>> s, p, o = next(triples(clusters=1, seed=7))
    >>> s.startswith("<https://w3id.org/ccgraph/id/")
    True
    """
    return Population(clusters, seed, reference).emit()


def clusters_for_triples(target: int, seed: int = 42) -> int:
    """How many clusters give about `target` triples (measured on a 400-cluster sample).

    >>> clusters_for_triples(1_000_000) > 5_000
    True
    """
    if target < 1:
        raise BadRequest("the triple target must be positive", triples=target)
    sample = 400
    per_cluster = sum(1 for _ in triples(sample, seed)) / sample
    return max(1, round(target / per_cluster))


def write_ntriples(out: TextIO, stream: Iterable[tuple[str, str, str]]) -> int:
    """Write N-Triples; return the number of triples written."""
    n, buf = 0, []
    for s, p, o in stream:
        buf.append(f"{s} {p} {o} .\n")
        if len(buf) == 20_000:
            out.write("".join(buf))
            n, buf = n + len(buf), []
    out.write("".join(buf))
    return n + len(buf)


_TTL_PREFIXES = {
    "ccg": str(CCG), "country": str(COUNTRY), "dcterms": str(DCTERMS), "geo": str(GEO),
    "nace": str(NACE), "nuts": str(NUTS), "qb": str(QB), "rdfs": str(RDFS),
    "skos": str(SKOS), "vcard": str(VCARD), "xsd": str(XSD),
    **{kind.replace("-", ""): f"{ID}{kind}/" for kind in (
        "cluster", "organisation", "project", "instrument", "programme", "event",
        "quality-label", "observation", "industry", "value-chain-link", "policy", "indicator",
        "policy-measure", "source", "contact-point")},
}
# Longest namespace first, so "policy-measure/" wins over "policy/" style overlaps.
_BY_LENGTH = sorted(_TTL_PREFIXES.items(), key=lambda kv: -len(kv[1]))
_LOCAL = re.compile(r"[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


def _compact(term: str) -> str:
    """A Turtle spelling of an N-Triples term: prefixed names where they are legal."""
    if term.startswith("<"):
        iri = term[1:-1]
        for prefix, ns in _BY_LENGTH:
            if iri.startswith(ns) and _LOCAL.fullmatch(iri[len(ns):]):
                return f"{prefix}:{iri[len(ns):]}"
        return term
    if term == TRUE:
        return "true"
    lexical, sep, datatype = term.rpartition("^^")
    return f"{lexical}^^{_compact(datatype)}" if sep else term


def write_turtle(out: TextIO, stream: Iterable[tuple[str, str, str]]) -> int:
    """Write Turtle, one block per run of triples sharing a subject, in stream order.

    Deterministic for a deterministic stream, unlike serialisers that order by hash.
    """
    for prefix, ns in sorted(_TTL_PREFIXES.items()):
        out.write(f"@prefix {prefix}: <{ns}> .\n")
    n, subject, lines = 0, None, []
    for s, p, o in stream:
        if s != subject:
            _flush_block(out, subject, lines)
            subject, lines = s, []
        pred = "a" if p == A else _compact(p)
        lines.append(f"{pred} {_compact(o)}")
        n += 1
    _flush_block(out, subject, lines)
    return n


def _flush_block(out: TextIO, subject: str | None, lines: list[str]) -> None:
    if subject is not None:
        out.write(f"\n{_compact(subject)}\n    " + " ;\n    ".join(lines) + " .\n")


def write(out: TextIO, clusters: int, seed: int = 42, fmt: str = "nt",
          reference: bool = False) -> int:
    """Generate and write a population in `fmt` ("nt" or "ttl"); return the triple count."""
    writers = {"nt": write_ntriples, "ttl": write_turtle}
    if fmt not in writers:
        raise BadRequest(f"unknown format {fmt!r}; use nt or ttl", format=fmt)
    return writers[fmt](out, triples(clusters, seed, reference))


def to_graph(clusters: int, seed: int = 42, reference: bool = False):
    """The population as an rdflib Graph (for small populations: tests, examples).

    >>> len(to_graph(clusters=2, seed=1)) > 20
    True
    """
    from rdflib import Graph

    buf = io.StringIO()
    write_ntriples(buf, triples(clusters, seed, reference))
    return Graph().parse(data=buf.getvalue(), format="nt")


@click.command("synth")
@click.option("--clusters", type=click.IntRange(1, 5_000_000), default=None,
              help="Number of clusters (default 300).")
@click.option("--triples", "target", type=click.IntRange(1), default=None,
              help="Approximate number of triples instead of --clusters, e.g. 10000000.")
@click.option("--seed", type=int, default=42, show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              show_default=True, help="Output file; - for standard output.")
@click.option("--format", "fmt", type=click.Choice(["nt", "ttl"]), default=None,
              help="Default: from the --out suffix (.ttl), else nt.")
@click.option("--with-reference", is_flag=True,
              help="Add a minimal copy of the regions and NACE codes used.")
def synth_command(clusters, target, seed, out, fmt, with_reference):
    """Generate an illustrative, clearly synthetic population of clusters."""
    if clusters is not None and target is not None:
        raise click.UsageError("give --clusters or --triples, not both")
    n = clusters_for_triples(target, seed) if target else (clusters or 300)
    fmt = fmt or ("ttl" if out.endswith(".ttl") else "nt")
    started = time.perf_counter()
    with click.open_file(out, "w", encoding="utf-8", atomic=out != "-") as fh:
        count = write(fh, n, seed, fmt, with_reference)
    took = time.perf_counter() - started
    click.echo(f"{count} triples for {n} clusters (seed {seed}) in {took:.1f} s "
               f"({count / max(took, 1e-9):,.0f} triples/s)", err=True)
