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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TextIO

from . import reference
from .errors import BadRequest
from .namespaces import (
    CCG,
    COUNTRY,
    DCTERMS,
    GEO,
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
from .reference import Region

__all__ = [
    "COUNTRIES", "SYNTHETIC_SOURCE", "Population", "clusters_for_triples",
    "to_graph", "triples", "write", "write_ntriples", "write_turtle",
]

SYNTHETIC_SOURCE = ID["source/synthetic"]

# Central European countries covered: NUTS code -> ISO 3166-1 alpha-3 (EU country authority),
# paired as data/reference/countries.ttl pairs them.
COUNTRIES = reference.iso3(("AT", "BG", "CZ", "DE", "HR", "HU", "IT", "PL", "RO", "SI", "SK"))

# NACE Rev. 2 sections, divisions and groups the population uses (their labels and
# parents come from data/reference/nace2.ttl).
_NACE_CODES = (
    "A", "C", "D", "E", "H", "I", "J", "M", "R", "01",
    "01.1", "02", "10", "10.1", "10.5", "16", "16.2", "20", "20.1", "21",
    "21.1", "21.2", "22", "22.2", "24", "25", "25.6", "26", "26.1", "26.5",
    "27", "27.1", "27.2", "28", "28.1", "28.4", "29", "29.1", "29.3", "30",
    "30.3", "31", "32", "32.5", "35", "35.1", "38", "38.3", "49", "52",
    "52.1", "55", "58", "58.2", "62", "62.0", "63", "71", "71.1", "72",
    "72.1", "90",
)

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


# From data/reference (the one copy of these facts): regions, label points, adjacency.
REGIONS = reference.nuts2_regions(COUNTRIES)
ADJACENT = {code: tuple(n for n in near if n[:2] in COUNTRIES)
            for code, near in reference.adjacency().items() if code[:2] in COUNTRIES}


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
    for code in _NACE_CODES:
        parent, name = reference.nace_entry(code)
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
