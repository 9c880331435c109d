"""Which funding instruments cover both ends of a prospective cooperation.

An instrument covers an end when one of its eligible regions is the end's region
or broader than it (``skos:broader`` climbed from the end), and - for a cluster
end - when it names no eligible industry or one at, above or below a sector of
the cluster. Its cooperation scope must then fit the pair:

* cross-border: the ends are in different countries (adjacency is reported);
* transnational: the ends are in different countries;
* interregional: any two regions, the same country included.
"""

from __future__ import annotations

from functools import cached_property

import networkx as nx

from ..errors import BadRequest
from . import model
from .common import describe, node_ref, place, require

__all__ = ["Coverage", "common_instruments", "coverage", "fundable", "instruments"]

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


def instruments(G: nx.Graph, a: str, b: str) -> list[dict]:
    """Instruments whose eligibility covers both clusters (or both regions) and whose
    scope fits the pair, each with the rule that matched and a path through the graph.

    >>> from ccgraph.analytics.examples import tiny_graph
    >>> G = tiny_graph()
    >>> [r["instrument"]["label"] for r in instruments(G, "urn:ex:c1", "urn:ex:c2")]
    ['Border call']
    >>> instruments(G, "urn:ex:c1", "urn:ex:c3")
    []
    """
    for end in (a, b):
        require(G, end, kinds=("cluster", "region"))
    if (G.nodes[a]["kind"] == "cluster") != (G.nodes[b]["kind"] == "cluster"):
        raise BadRequest("give two clusters or two regions", a=a, b=b)
    return [_result(G, a, b, *match) for match in common_instruments(G, a, b)[:MAX_RESULTS]]


def _result(G: nx.Graph, a: str, b: str, inst: str, ra: str, rb: str, rule: str) -> dict:
    path = [*_climb(G, a, ra), inst, *reversed(_climb(G, b, rb))]
    sentence = (f"{describe(G, inst)} is eligible in {describe(G, ra)}, which covers "
                f"{describe(G, a)}, and in {describe(G, rb)}, which covers {describe(G, b)}; "
                f"{rule}.")
    sectors = coverage(G).industries[inst]
    if sectors:
        sentence += " Its eligible sectors include theirs."
    return {"instrument": node_ref(G, inst), "scope": coverage(G).scopes[inst] or None,
            "rule": sentence, "path": [node_ref(G, n) for n in path]}


def _climb(G: nx.Graph, end: str, eligible: str) -> list[str]:
    """end [-> its region] -> broader ... -> the eligible region."""
    ix = model.index(G)
    region = place(G, end)
    chain = list(ix.ancestors(region))
    chain = chain[: chain.index(eligible) + 1]
    return [end, *chain] if region != end else chain
