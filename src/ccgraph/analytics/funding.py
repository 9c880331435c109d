"""Which funding instruments cover both ends of a prospective cooperation.

An instrument covers an end when one of its eligible regions is the end's region
or broader than it (``skos:broader`` climbed from the end), and - for a cluster
end - when it names no eligible industry or one at, above or below a sector of
the cluster. Its cooperation scope must then fit the pair:

* cross-border: the ends are in different countries (adjacency is reported);
* transnational: the ends are in different countries;
* interregional: any two regions, the same country included.

A region end is also matched by an instrument whose area holds only parts of it (a
NUTS 2 region asked against a programme stated in NUTS 3 regions): the answer says
"part of this region is eligible" and names the parts. Each instrument's period gives
its status on the day asked (open, not yet started, closed); closed ones follow the
current ones, as history. Every reason names the pages its facts come from, and an
empty answer says why (`find`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from functools import cached_property

import networkx as nx

from ..errors import BadRequest
from . import model
from .common import describe, node_ref, place, require

__all__ = ["Coverage", "common_instruments", "coverage", "find", "fundable", "instruments",
           "status"]

SCOPE_WORDS = {"CrossBorder": "cross-border", "Transnational": "transnational",
               "Interregional": "interregional"}
MAX_RESULTS = 100


class Coverage:
    """Instrument eligibility, indexed once per projection."""

    def __init__(self, G: nx.Graph) -> None:
        self.G = G
        self.ix = model.index(G)
        self.by_region: dict[str, list[str]] = {}
        self.industries: dict[str, frozenset[str]] = {}
        # region -> instrument -> eligible regions strictly inside it
        self.parts: dict[str, dict[str, list[str]]] = defaultdict(dict)
        for n, d in G.nodes(data=True):
            if d["kind"] == "instrument":
                self._add(n)
        self._memo: dict[str, dict[str, str]] = {}
        self._by_cluster: dict[str, dict[str, str]] = {}
        self.fundable_memo: dict[tuple[int, int], bool] = {}

    def _add(self, inst: str) -> None:
        G, sectors = self.G, set()
        for m in G[inst]:
            rel = G.edges[inst, m]["rel"]
            if rel == "eligible_region":
                self.by_region.setdefault(m, []).append(inst)
                for above in self.ix.ancestors(m)[1:]:
                    self.parts[above].setdefault(inst, []).append(m)
            elif rel == "eligible_industry":
                sectors.add(m)
        self.industries[inst] = frozenset(sectors)

    def for_region(self, region: str) -> dict[str, str]:
        """Instruments covering a region -> the eligible region that covers it."""
        if region not in self._memo:
            found: dict[str, str] = {}
            for r in self.ix.ancestors(region):
                for inst in self.by_region.get(r, ()):
                    found.setdefault(inst, r)
            self._memo[region] = found
        return self._memo[region]

    def partly(self, region: str) -> dict[str, list[str]]:
        """Instruments whose area holds parts of `region` but not all of it -> those parts."""
        whole = self.for_region(region)
        return {i: sorted(p) for i, p in self.parts.get(region, {}).items() if i not in whole}

    def for_cluster(self, cluster: str) -> dict[str, str]:
        if cluster not in self._by_cluster:
            region = self.G.nodes[cluster].get("region")
            self._by_cluster[cluster] = {} if region is None else {
                i: r for i, r in self.for_region(region).items() if self.sector_fits(i, cluster)}
        return self._by_cluster[cluster]

    def sector_fits(self, inst: str, cluster: str) -> bool:
        wanted = self.industries[inst]
        if not wanted:
            return True
        for i in self.ix.industries[cluster]:
            if wanted.intersection(self.ix.ancestors(i)):
                return True
            if any(i in self.ix.ancestors(w) for w in wanted):
                return True
        return False

    @cached_property
    def scopes(self) -> dict[str, str]:
        return {n: d.get("scope", "") for n, d in self.G.nodes(data=True)
                if d["kind"] == "instrument"}


def coverage(G: nx.Graph) -> Coverage:
    if "_coverage" not in G.graph:
        G.graph["_coverage"] = Coverage(G)
    return G.graph["_coverage"]


def scope_rule(G: nx.Graph, scope: str, a: str, b: str) -> str | None:
    """The sentence saying why `scope` fits ends `a` and `b`, or None if it does not."""
    ca, cb = G.nodes[a].get("country"), G.nodes[b].get("country")
    abroad = bool(ca) and bool(cb) and ca != cb
    if scope in ("CrossBorder", "Transnational"):
        if not abroad:
            return None
        ix = model.index(G)
        ra, rb = (ix.nuts2(place(G, x)) for x in (a, b))
        adjacent = ra and rb and G.has_edge(ra, rb) and G.edges[ra, rb]["rel"] == "adjacent_to"
        border = " in adjacent regions" if adjacent else ""
        return f"its {SCOPE_WORDS[scope]} scope fits: the ends are in different countries{border}"
    if scope == "Interregional":
        return "its interregional scope fits any two regions, in one country or several"
    return "it states no cooperation scope, so none is required"


def _end_coverage(cov: Coverage, end: str) -> dict[str, str]:
    return cov.for_cluster(end) if cov.G.nodes[end]["kind"] == "cluster" \
        else cov.for_region(end)


_NEEDS_ABROAD = frozenset({"CrossBorder", "Transnational"})


def fundable(G: nx.Graph, a: str, b: str) -> bool:
    """Whether `common_instruments(G, a, b)` is non-empty, without building sentences.

    For two clusters the answer depends only on their profiles (region, country,
    sectors), so it is memoised per pair of profiles.
    """
    cov = coverage(G)
    clusters = G.nodes[a]["kind"] == G.nodes[b]["kind"] == "cluster"
    key = (cov.ix.profile[a], cov.ix.profile[b]) if clusters else None
    if key is not None and key in cov.fundable_memo:
        return cov.fundable_memo[key]
    left, right = _end_coverage(cov, a), _end_coverage(cov, b)
    if len(left) > len(right):
        left, right = right, left
    ca, cb = G.nodes[a].get("country"), G.nodes[b].get("country")
    abroad = bool(ca) and bool(cb) and ca != cb
    scopes = cov.scopes
    found = any(inst in right and (abroad or scopes[inst] not in _NEEDS_ABROAD)
                for inst in left)
    if key is not None:
        cov.fundable_memo[key] = found
    return found


def common_instruments(G: nx.Graph, a: str, b: str) -> list[tuple[str, str, str, str]]:
    """(instrument, eligible region for a, for b, scope rule) for each fitting instrument."""
    cov = coverage(G)
    left, right = _end_coverage(cov, a), _end_coverage(cov, b)
    out = []
    for inst in sorted(left.keys() & right.keys()):
        rule = scope_rule(G, cov.scopes[inst], a, b)
        if rule is not None:
            out.append((inst, left[inst], right[inst], rule))
    return out


_PERIOD = re.compile(r"^(\d{4})-(\d{4})$")


def _span(data: dict) -> tuple[list[str], list[str]]:
    """Start and end days stated; else the first and last day of a programming period
    such as "2021-2027" (the convention of data/real/README.md)."""
    starts, ends = data.get("start", "").split(), data.get("end", "").split()
    period = _PERIOD.match(data.get("period") or "")
    if period and not starts:
        starts = [f"{period.group(1)}-01-01"]
    if period and not ends:
        ends = [f"{period.group(2)}-12-31"]
    return starts, ends


def status(G: nx.Graph, inst: str, on: dt.date) -> str:
    """open, not yet started, closed, or unknown (no period stated) on the day `on`."""
    starts, ends = _span(G.nodes[inst])
    if not starts and not ends:
        return "unknown"
    if starts and on < dt.date.fromisoformat(min(starts)):
        return "not yet started"
    if ends and on > dt.date.fromisoformat(max(ends)):
        return "closed"
    return "open"


_STATUS_ORDER = {"open": 0, "not yet started": 1, "unknown": 2, "closed": 3}
_SCOPE_ORDER = {"CrossBorder": 0, "Transnational": 1, "Interregional": 2}


def instruments(G: nx.Graph, a: str, b: str, on: dt.date | None = None) -> list[dict]:
    """Instruments whose eligibility covers both clusters (or both regions) and whose
    scope fits the pair, each with its status on `on` (default today), its reasons with
    their sources and a path through the graph; current ones first, closed ones last.

    >>> from ccgraph.analytics.examples import tiny_graph
    >>> G = tiny_graph()
    >>> [r["instrument"]["label"] for r in instruments(G, "urn:ex:c1", "urn:ex:c2")]
    ['Border call']
    >>> instruments(G, "urn:ex:c1", "urn:ex:c3")
    []
    """
    _check_ends(G, a, b)
    on = on or dt.date.today()
    found = [_result(G, a, b, on, *match) for match in _matches(G, a, b)]
    # current before closed; within each, the most specific scope first (a cross-border
    # programme is made for the pair, an EU-wide one for everyone)
    found.sort(key=lambda r: (_STATUS_ORDER[r["status"]], _SCOPE_ORDER.get(r["scope"], 3),
                              r["instrument"]["label"]))
    return found[:MAX_RESULTS]


def find(G: nx.Graph, a: str, b: str, on: dt.date | None = None) -> dict:
    """The finder's whole answer: the instruments, and when there is none, why not.

    >>> from ccgraph.analytics.examples import tiny_graph
    >>> answer = find(tiny_graph(), "urn:ex:AT11", "urn:ex:PL21")
    >>> answer["instruments"], answer["explanation"]["reason"]
    ([], 'no_common_area')
    """
    on = on or dt.date.today()
    found = instruments(G, a, b, on)
    return {"a": node_ref(G, a), "b": node_ref(G, b), "on": on.isoformat(),
            "instruments": found, "explanation": None if found else _why_none(G, a, b, on)}


def _check_ends(G: nx.Graph, a: str, b: str) -> None:
    for end in (a, b):
        require(G, end, kinds=("cluster", "region"))
    if (G.nodes[a]["kind"] == "cluster") != (G.nodes[b]["kind"] == "cluster"):
        raise BadRequest("give two clusters or two regions, not one of each", a=a, b=b)
    if a == b:
        raise BadRequest("the two ends are the same: choose two different clusters or regions",
                         a=a, b=b)


def _matches(G: nx.Graph, a: str, b: str) -> list[tuple]:
    """(instrument, regions eligible for a, for b, whole a?, whole b?, scope rule)."""
    cov = coverage(G)
    out = [(inst, [ra], [rb], True, True, rule)
           for inst, ra, rb, rule in common_instruments(G, a, b)]
    if G.nodes[a]["kind"] != "region":
        return out
    seen = {m[0] for m in out}
    full_a, full_b = cov.for_region(a), cov.for_region(b)
    part_a, part_b = cov.partly(a), cov.partly(b)
    for inst in sorted((full_a.keys() | part_a.keys()) & (full_b.keys() | part_b.keys()) - seen):
        rule = scope_rule(G, cov.scopes[inst], a, b)
        if rule is not None:
            out.append((inst, [full_a[inst]] if inst in full_a else part_a[inst],
                        [full_b[inst]] if inst in full_b else part_b[inst],
                        inst in full_a, inst in full_b, rule))
    return out


def _sources(G: nx.Graph, n: str) -> list[str]:
    return G.nodes[n].get("sources", "").split()


def _result(G: nx.Graph, a: str, b: str, on: dt.date, inst: str, ra: list[str],
            rb: list[str], whole_a: bool, whole_b: bool, rule: str) -> dict:
    path = [*_climb(G, a, ra[0]), inst, *reversed(_climb(G, b, rb[0]))]
    sources = _sources(G, inst)
    reasons = [{"text": _area_reason(G, inst, a, ra, whole_a), "sources": sources},
               {"text": _area_reason(G, inst, b, rb, whole_b), "sources": sources},
               {"text": rule[0].upper() + rule[1:] + ".", "sources": sources}]
    sector = _sector_reason(G, inst, a, b)
    if sector:
        reasons.append({"text": sector, "sources": sources})
    data = G.nodes[inst]
    state = status(G, inst, on)
    reasons.append({"text": _status_sentence(G, inst, state, on), "sources": sources})
    return {"instrument": node_ref(G, inst), "scope": coverage(G).scopes[inst] or None,
            "status": state, "period": _period(data),
            "budget_eur": [float(x) for x in data.get("budgets", "").split()],
            "sources": sources, "partial": not (whole_a and whole_b),
            "eligible_a": [node_ref(G, r) for r in ra], "eligible_b": [node_ref(G, r) for r in rb],
            "rule": " ".join(r["text"] for r in reasons), "reasons": reasons,
            "path": [node_ref(G, n) for n in path]}


def _period(data: dict) -> dict:
    starts, ends = _span(data)
    return {"label": data.get("period"), "start": min(starts) if starts else None,
            "end": max(ends) if ends else None}


def _names(G: nx.Graph, nodes: list[str]) -> str:
    labels = [describe(G, n) for n in nodes]
    if len(labels) <= 6:
        return ", ".join(labels[:-1]) + (" and " if len(labels) > 1 else "") + labels[-1]
    return ", ".join(labels[:5]) + f" and {len(labels) - 5} more"


def _area_reason(G: nx.Graph, inst: str, end: str, eligible: list[str], whole: bool) -> str:
    name, what = describe(G, inst), describe(G, end)
    if not whole:
        return (f"Part of {what} is eligible for {name}: {_names(G, eligible)}.")
    if eligible[0] == end:
        return f"{what} is in the eligible area of {name}."
    return f"{what} lies in {describe(G, eligible[0])}, which is in the eligible area of {name}."


def _sector_reason(G: nx.Graph, inst: str, a: str, b: str) -> str | None:
    """Claim a sector fit only where the instrument names sectors and it was checked."""
    sectors = sorted(coverage(G).industries[inst])
    if not sectors:
        return None
    names = _names(G, sectors)
    if G.nodes[a]["kind"] == "cluster":
        return (f"{describe(G, inst)} is limited to {names}; the sectors of both clusters "
                "were checked and fall within them.")
    return (f"{describe(G, inst)} is limited to {names}: partners from these regions must "
            "work in them (not checked for regions).")


def _status_sentence(G: nx.Graph, inst: str, state: str, on: dt.date) -> str:
    data, day = G.nodes[inst], on.isoformat()
    period = _period(data)
    span = f"{period['start']} to {period['end']}"
    return {"open": f"Its period ({span}) includes {day}: it is current.",
            "not yet started": f"Its period ({span}) starts after {day}: not yet open.",
            "closed": f"Its period ({span}) ended before {day}: shown as history, it no "
                      "longer funds new projects.",
            "unknown": "Its period is not stated: check with the programme."}[state]


def _why_none(G: nx.Graph, a: str, b: str, on: dt.date) -> dict:
    """Why no instrument fits: the instruments that cover one end, and what the other lacks."""
    cov = coverage(G)
    ends = {}
    for end in (a, b):
        covering = set(_end_coverage(cov, end))
        if G.nodes[end]["kind"] == "region":
            covering |= set(cov.partly(end))
        ends[end] = covering
    only_a, only_b, both = ends[a] - ends[b], ends[b] - ends[a], ends[a] & ends[b]
    na, nb = describe(G, a), describe(G, b)
    if both:
        reason = "scope"
        text = (f"{_count(len(both))} cover both {na} and {nb}, but their cooperation scope "
                "needs partners in two countries, and both ends are in the same country.")
    elif not ends[a] and not ends[b]:
        reason = "no_area"
        text = f"No programme or instrument in ccgraph covers {na} or {nb}."
    else:
        reason = "no_common_area"
        parts = [f"No programme or instrument covers both {na} and {nb}."]
        for end, only, other in ((a, only_a, b), (b, only_b, a)):
            if only:
                parts.append(f"{_count(len(only))} cover {describe(G, end)}, but "
                             f"{describe(G, other)} lies outside their areas.")
            else:
                parts.append(f"Nothing in ccgraph covers {describe(G, end)}.")
        text = " ".join(parts)
    return {"reason": reason, "text": text,
            "covering_a": _refs_by_status(G, only_a | both, on),
            "covering_b": _refs_by_status(G, only_b | both, on)}


def _count(n: int) -> str:
    return f"{n} programme{'s' if n != 1 else ''} or instrument{'s' if n != 1 else ''}"


def _refs_by_status(G: nx.Graph, insts: set[str], on: dt.date) -> list[dict]:
    rows = [{**node_ref(G, i), "status": status(G, i, on)} for i in insts]
    rows.sort(key=lambda r: (_STATUS_ORDER[r["status"]], r["label"]))
    return rows[:MAX_RESULTS]


def _climb(G: nx.Graph, end: str, eligible: str) -> list[str]:
    """end [-> its region] -> broader ... -> the eligible region."""
    ix = model.index(G)
    region = place(G, end)
    chain = list(ix.ancestors(region))
    if eligible in chain:
        chain = chain[: chain.index(eligible) + 1]
    else:  # an eligible part inside the end's region: walk down to it
        down = list(ix.ancestors(eligible))
        chain = list(reversed(down[: down.index(region) + 1]))
    return [end, *chain] if region != end else chain
