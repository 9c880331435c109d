"""The bundled reference data (data/reference/) as plain values, for code that needs
regions, their adjacency or NACE labels without a store (the synthetic generator).

The Turtle files are the one copy of these facts; nothing here restates them.

>>> nuts2_regions(["SK"])[0]
Region(code='SK01', name='Bratislavský kraj', lat=48.2998, long=17.1607)
>>> adjacency()["SK01"]
('AT11', 'AT12', 'HU22', 'SK02')
>>> nace_entry("29.10")
('29.1', 'Manufacture of motor vehicles')
>>> iso3(["AT", "SK"])
{'AT': 'AUT', 'SK': 'SVK'}
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from rdflib import Graph, Literal

from .config import PROJECT_ROOT
from .namespaces import CCG, COUNTRY, GEO, NUTS, SKOS, nace

__all__ = ["REFERENCE_DIR", "Region", "adjacency", "iso3", "nace_entry", "nuts2_regions"]

REFERENCE_DIR = PROJECT_ROOT / "data" / "reference"


@dataclass(frozen=True)
class Region:
    """A NUTS 2 region with the GISCO label point used to place it on a map."""

    code: str
    name: str
    lat: float
    long: float

    @property
    def country(self) -> str:
        return self.code[:2]


@cache
def _graph(name: str) -> Graph:
    return Graph().parse(REFERENCE_DIR / name)


def nuts2_regions(countries: Iterable[str]) -> tuple[Region, ...]:
    """The NUTS 2021 level-2 regions of `countries` (NUTS codes), by code."""
    g, wanted = _graph("nuts-2021.ttl"), set(countries)
    out = []
    for node in g.subjects(CCG.nutsLevel, Literal(2)):
        code = str(node)[len(str(NUTS)):]
        lat, long = g.value(node, GEO.lat), g.value(node, GEO.long)
        if code[:2] in wanted and lat is not None and long is not None:
            out.append(Region(code, str(g.value(node, SKOS.prefLabel)), float(lat), float(long)))
    return tuple(sorted(out, key=lambda r: r.code))


def adjacency() -> dict[str, tuple[str, ...]]:
    """NUTS 2 code -> the codes of the regions it borders (both directions)."""
    g, prefix = _graph("adjacency.ttl"), len(str(NUTS))
    out: dict[str, set[str]] = {}
    for a, b in g.subject_objects(CCG.adjacentTo):
        out.setdefault(str(a)[prefix:], set()).add(str(b)[prefix:])
    return {k: tuple(sorted(v)) for k, v in sorted(out.items())}


def nace_entry(code: str) -> tuple[str | None, str]:
    """(parent code or None, English label) of a NACE Rev. 2 code written with dots."""
    g = _graph("nace2.ttl")
    node = nace(code)
    label = next(str(x) for x in g.objects(node, SKOS.prefLabel) if x.language == "en")
    parent = g.value(node, SKOS.broader)
    return (str(g.value(parent, SKOS.notation)) if parent is not None else None), label



def iso3(countries: Iterable[str]) -> dict[str, str]:
    """NUTS country code -> ISO 3166-1 alpha-3 code (the EU country authority's IRI), as
    countries.ttl pairs them; a code it does not hold raises KeyError naming it."""
    g, prefix = _graph("countries.ttl"), len(str(COUNTRY))
    pairs = {str(code): str(node)[prefix:] for node, code in g.subject_objects(SKOS.notation)
             if len(str(code)) == 2}
    return {code: pairs[code] for code in countries}
