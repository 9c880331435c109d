"""The complementarity model: edge costs, industry relatedness and pair scores.

docs/complementarity.md gives the formulas and the literature; this module is
their implementation, and every number here is named there. Derived indexes are
memoised in ``G.graph`` (the projection is frozen, so they never go stale).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx

from ..namespaces import NACE

__all__ = [
    "HUB_PENALTY", "REL_STRENGTH", "WEIGHTS", "Index", "PairScore", "edge_cost",
    "index", "label_level", "pair_score", "pair_total", "path_score", "totals_against",
]

# Prior strength of each relation as evidence of complementarity, in (0, 1].
# Shared projects and value chains are direct evidence; eligibility and
# membership in a programme say little about the two ends themselves.
REL_STRENGTH: dict[str, float] = {
    "partner": 0.9, "value_chain": 0.8, "funded_by": 0.8, "adjacent_to": 0.75,
    "active_in": 0.7, "related_industry": 0.7, "member": 0.7, "participated": 0.6,
    "broader": 0.6, "located_in": 0.6, "implements": 0.5, "eligible_region": 0.5,
    "eligible_industry": 0.5, "part_of": 0.5,
}

# lambda in cost = -ln(strength) + lambda/2 (ln(1+deg u) + ln(1+deg v)): each node a
# path passes through multiplies its score by (1+deg)^-lambda, so a region hosting
# 100 clusters costs a factor 0.1 and a shared five-partner project only 0.41.
HUB_PENALTY = 0.5

# Weights of the symmetric complementarity score C(a, b); they sum to 1.
WEIGHTS: dict[str, float] = {
    "relatedness": 0.35, "emerging": 0.15, "cross_border": 0.2, "projects": 0.2,
    "events": 0.1,
}
# Partner ranking: 0.8 C + 0.1 funding + 0.1 trust (label level), all shown in reasons.
PARTNER_WEIGHTS = {"complementarity": 0.8, "funding": 0.1, "trust": 0.1}

LEVEL_NAMES = {0: "no quality label", 1: "an ESCA Bronze label", 2: "an ESCA Silver label",
               3: "an ESCA Gold label"}

# Relatedness of industries by the level of their lowest common NACE ancestor.
HIERARCHY_PROXIMITY = {1: 0.25, 2: 0.5, 3: 0.75}   # section, division, group
VALUE_CHAIN_PROXIMITY = 0.8
ECOSYSTEM_PROXIMITY = 0.6   # both sectors in one of the Commission's industrial ecosystems
EMERGING_RELATED = 0.5      # one end's emerging industry draws on the other's sector
MIN_SUPPORT = 3             # regions an industry must specialise in before phi counts


def edge_cost(rel: str, degree_u: int, degree_v: int) -> float:
    """Cost of an edge, so that the cheapest path is the most complementary one.

    >>> round(edge_cost("partner", 1, 1), 3)  # -ln 0.9 + 0.25 (ln 2 + ln 2)
    0.452
    """
    return -math.log(REL_STRENGTH[rel]) + HUB_PENALTY / 2 * (math.log1p(degree_u)
                                                             + math.log1p(degree_v))


def path_score(G: nx.Graph, path: list[str]) -> float:
    """Product of the steps' strengths and (1+deg)^-lambda for every inner node: in [0, 1].

    The endpoints' own degree is left out, so a well-connected cluster is not
    penalised for being the one asked about.
    """
    cost = sum(G.edges[u, v]["cost"] for u, v in itertools.pairwise(path))
    ends = HUB_PENALTY / 2 * (math.log1p(G.degree(path[0])) + math.log1p(G.degree(path[-1])))
    return min(1.0, math.exp(-(cost - ends)))


def label_level(value: str) -> int:
    """ESCA label level from an IRI or literal naming Bronze, Silver or Gold (else 0)."""
    name = value.rsplit("#", 1)[-1].rsplit("/", 1)[-1].lower()
    return next((lvl for lvl, word in ((3, "gold"), (2, "silver"), (1, "bronze"))
                 if word in name), 0)


@dataclass
class PairScore:
    """Components of C(a, b) with the evidence behind each, and the total."""

    components: dict[str, float]
    evidence: dict[str, object] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return sum(WEIGHTS[k] * v for k, v in self.components.items())


class Index:
    """What the model derives once per projection: memberships, hierarchy, phi."""

    def __init__(self, G: nx.Graph) -> None:
        self.G = G
        self.clusters = sorted(n for n, d in G.nodes(data=True) if d["kind"] == "cluster")
        self.industries: dict[str, frozenset[str]] = {}
        self.emerging: dict[str, frozenset[str]] = {}
        self.projects: dict[str, frozenset[str]] = {}
        self.events: dict[str, frozenset[str]] = {}
        for c in self.clusters:
            self._memberships(c)
        self._rel_memo: dict[tuple[str, str], tuple[float, str]] = {}
        self.profile_memo: dict[tuple[int, int], float] = {}    # see pair_total

    def _memberships(self, c: str) -> None:
        G, buckets = self.G, defaultdict(set)
        for m in G[c]:
            kind, rel = G.nodes[m]["kind"], G.edges[c, m]["rel"]
            if kind == "industry" and rel == "active_in":
                buckets["emerging" if G.nodes[m].get("emerging") else "industry"].add(m)
            elif kind == "project" and rel == "partner":
                buckets["project"].add(m)
            elif kind == "event" and rel == "participated":
                buckets["event"].add(m)
        self.industries[c] = frozenset(buckets["industry"])
        self.emerging[c] = frozenset(buckets["emerging"])
        self.projects[c] = frozenset(buckets["project"])
        self.events[c] = frozenset(buckets["event"])

    @cached_property
    def profile(self) -> dict[str, int]:
        """Cluster -> a small int naming what the non-history terms depend on."""
        ids: dict[tuple, int] = {}
        out = {}
        for c in self.clusters:
            data = self.G.nodes[c]
            key = (self.industries[c], self.emerging[c], data.get("region"), data.get("country"))
            out[c] = ids.setdefault(key, len(ids))
        return out

    # -- hierarchy (skos:broader) -------------------------------------------------
    def ancestors(self, node: str) -> tuple[str, ...]:
        """The node and its skos:broader chain, nearest first (memoised)."""
        memo = self._ancestors
        if node not in memo:
            up = [m for m in self.G[node] if self.G.edges[node, m]["rel"] == "broader"
                  and self.G.edges[node, m]["src"] == node]
            memo[node] = (node, *(self.ancestors(min(up)) if up else ()))
        return memo[node]

    @cached_property
    def _ancestors(self) -> dict[str, tuple[str, ...]]:
        return {}

    def depth(self, node: str) -> int:
        return len(self.ancestors(node))

    def division(self, industry: str) -> str:
        """The NACE division (depth 2) above an industry, or the industry itself."""
        chain = self.ancestors(industry)
        return chain[-2] if len(chain) >= 2 else chain[0]

    def nuts2(self, region: str | None) -> str | None:
        """The NUTS-2 region at or above `region` (adjacency is recorded at NUTS 2)."""
        if region is None:
            return None
        for r in self.ancestors(region):
            if self.G.nodes[r].get("level") == 2:
                return r
        return region

    # -- lookups for candidate pre-filtering -------------------------------------------
    @cached_property
    def by_division(self) -> dict[str, list[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for c in self.clusters:
            for i in self.industries[c]:
                out[self.division(i)].add(c)
        return {d: sorted(cs) for d, cs in out.items()}

    @cached_property
    def by_emerging(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for c in self.clusters:
            for e in self.emerging[c]:
                out[e].append(c)
        return dict(out)

    @cached_property
    def by_nuts2(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for c in self.clusters:
            r = self.nuts2(self.G.nodes[c].get("region"))
            if r:
                out[r].append(c)
        return dict(out)

    def related_divisions(self, division: str, floor: float = 0.5) -> list[str]:
        """Divisions at least `floor`-related to `division` (itself included)."""
        return [d for d in self.by_division if self.relatedness(division, d)[0] >= floor]

    @cached_property
    def ecosystem_members(self) -> dict[str, frozenset[str]]:
        """Industry -> the industrial ecosystems that name it (a sourced grouping: an
        industry node, not an emerging industry, linked by related_industry to NACE codes)."""
        out: dict[str, set[str]] = defaultdict(set)
        nace = str(NACE)
        for u, v, d in self.G.edges(data=True):
            if d["rel"] != "related_industry":
                continue
            eco, code = (u, v) if d["src"] == u else (v, u)
            data = self.G.nodes[eco]
            if data["kind"] == "industry" and not data.get("emerging") \
                    and not eco.startswith(nace) and code.startswith(nace):
                out[code].add(eco)
        return {k: frozenset(v) for k, v in out.items()}

    def ecosystems(self, industry: str) -> frozenset[str]:
        """The ecosystems that name `industry` or a NACE code above it."""
        members = self.ecosystem_members
        return frozenset().union(*(members.get(a, frozenset()) for a in self.ancestors(industry)))

    @cached_property
    def value_chain(self) -> frozenset[tuple[str, str]]:
        return frozenset((u, v) for u, v, d in self.G.edges(data=True) if d["rel"] == "value_chain")

    @cached_property
    def related_of_emerging(self) -> dict[str, frozenset[str]]:
        G = self.G
        return {e: frozenset(m for m in G[e] if G.edges[e, m]["rel"] == "related_industry")
                for e in {e for es in self.emerging.values() for e in es}}

    # -- co-location proximity (Hidalgo et al. 2007) -----------------------------------
    @cached_property
    def specialised(self) -> dict[str, frozenset[str]]:
        """Regions where each division has RCA >= 1 in cluster counts."""
        counts: Counter[tuple[str, str]] = Counter()
        for c in self.clusters:
            region = self.G.nodes[c].get("region")
            for d in {self.division(i) for i in self.industries[c]}:
                if region:
                    counts[region, d] += 1
        by_region, by_div, total = Counter(), Counter(), sum(counts.values())
        for (r, d), x in counts.items():
            by_region[r] += x
            by_div[d] += x
        out: dict[str, set[str]] = defaultdict(set)
        for (r, d), x in counts.items():
            if (x / by_region[r]) / (by_div[d] / total) >= 1:
                out[d].add(r)
        return {d: frozenset(rs) for d, rs in out.items()}

    def phi(self, d1: str, d2: str) -> float:
        """phi = min(P(d1|d2), P(d2|d1)) over regions specialised in each division."""
        r1, r2 = self.specialised.get(d1, frozenset()), self.specialised.get(d2, frozenset())
        if min(len(r1), len(r2)) < MIN_SUPPORT:
            return 0.0
        return len(r1 & r2) / max(len(r1), len(r2))

    # -- industry relatedness ------------------------------------------------------
    def relatedness(self, i: str, j: str) -> tuple[float, str]:
        """(strength, how) for two industries: hierarchy, value chain or co-location."""
        key = (i, j) if i <= j else (j, i)
        if key not in self._rel_memo:
            self._rel_memo[key] = self._relatedness(*key)
        return self._rel_memo[key]

    def _relatedness(self, i: str, j: str) -> tuple[float, str]:
        if i == j:
            return 1.0, "same"
        up_j = set(self.ancestors(j))
        lca = next((x for x in self.ancestors(i) if x in up_j), None)
        best = (HIERARCHY_PROXIMITY.get(self.depth(lca), 0.75) if lca else 0.0, "hierarchy")
        di, dj = self.division(i), self.division(j)
        if (di, dj) in self.value_chain or (dj, di) in self.value_chain:
            best = max(best, (VALUE_CHAIN_PROXIMITY, "value_chain"))
        if self.ecosystems(i) & self.ecosystems(j):
            best = max(best, (ECOSYSTEM_PROXIMITY, "ecosystem"))
        return max(best, (self.phi(di, dj), "colocation"))


def index(G: nx.Graph) -> Index:
    """The model's index of `G`, built on first use and kept in ``G.graph``."""
    if "_index" not in G.graph:
        G.graph["_index"] = Index(G)
    return G.graph["_index"]


def pair_score(G: nx.Graph, a: str, b: str) -> PairScore:
    """C(a, b) for two clusters: symmetric, each component and the total in [0, 1]."""
    ix = index(G)
    rel, rel_ev = _industry_term(ix, a, b)
    emerging, em_ev = _emerging_term(ix, a, b)
    border, border_ev = _cross_border_term(ix, a, b)
    projects, shared_p = _history_term(G, ix.projects[a], ix.projects[b])
    events, shared_e = _history_term(G, ix.events[a], ix.events[b])
    return PairScore(
        {"relatedness": rel, "emerging": emerging, "cross_border": border,
         "projects": projects, "events": events},
        {"relatedness": rel_ev, "emerging": em_ev, "cross_border": border_ev,
         "projects": shared_p, "events": shared_e})


def pair_total(G: nx.Graph, a: str, b: str) -> float:
    """``pair_score(G, a, b).total`` without the evidence (see `totals_against`)."""
    return totals_against(G, a, [b])[0]


def totals_against(G: nx.Graph, a: str, others: list[str]) -> list[float]:
    """C(a, b) for many b, fast enough to rank thousands of candidates.

    Everything but shared history depends only on the two clusters' profiles
    (sectors, emerging industries, region, country), so it is memoised per pair of
    profiles; history is computed only when a project or event is shared.
    """
    ix = index(G)
    profile, memo = ix.profile, ix.profile_memo
    pa, projects_a, events_a = profile[a], ix.projects[a], ix.events[a]
    out = []
    for b in others:
        key = (pa, profile[b])
        total = memo.get(key)
        if total is None:
            total = memo[key] = _profile_terms(ix, a, b)
        if not projects_a.isdisjoint(ix.projects[b]):
            total += WEIGHTS["projects"] * _history_term(G, projects_a, ix.projects[b])[0]
        if not events_a.isdisjoint(ix.events[b]):
            total += WEIGHTS["events"] * _history_term(G, events_a, ix.events[b])[0]
        out.append(total)
    return out


def _profile_terms(ix: Index, a: str, b: str) -> float:
    return (WEIGHTS["relatedness"] * _industry_term(ix, a, b)[0]
            + WEIGHTS["emerging"] * _emerging_term(ix, a, b)[0]
            + WEIGHTS["cross_border"] * _cross_border_term(ix, a, b)[0])


def _industry_term(ix: Index, a: str, b: str):
    best = (0.0, "", None, None)
    for i in sorted(ix.industries[a]):
        for j in sorted(ix.industries[b]):
            strength, how = ix.relatedness(i, j)
            if strength > best[0]:
                best = (strength, how, i, j)
    return best[0], best[1:]


def _emerging_term(ix: Index, a: str, b: str):
    shared = ix.emerging[a] & ix.emerging[b]
    if shared:
        return 1.0, ("shared", sorted(shared))
    for x, y in ((a, b), (b, a)):
        for e in sorted(ix.emerging[x]):
            drawn = _draws_on(ix, e, ix.industries[y])
            if drawn:
                return EMERGING_RELATED, ("draws_on", [e, drawn])
    return 0.0, None


def _draws_on(ix: Index, emerging: str, industries: frozenset[str]) -> str | None:
    related = ix.related_of_emerging.get(emerging, frozenset())
    for i in sorted(industries):
        chain = ix.ancestors(i)
        if related.intersection(chain) or any(i in ix.ancestors(r) for r in related):
            return i
    return None


def _cross_border_term(ix: Index, a: str, b: str):
    """0.5 for different countries + 0.5 for the same or adjacent NUTS-2 regions."""
    na, nb = ix.G.nodes[a], ix.G.nodes[b]
    ra, rb = ix.nuts2(na.get("region")), ix.nuts2(nb.get("region"))
    border = bool(na.get("country")) and na.get("country") != nb.get("country")
    near = ra is not None and (ra == rb or (rb is not None and ix.G.has_edge(ra, rb)
                                            and ix.G.edges[ra, rb]["rel"] == "adjacent_to"))
    return 0.5 * border + 0.5 * near, {"different_countries": border, "near": near,
                                       "regions": (ra, rb)}


def _history_term(G: nx.Graph, xs: frozenset[str], ys: frozenset[str]):
    """1 - exp(-AA), AA the Adamic-Adar sum over shared projects or events."""
    shared = sorted(xs & ys)
    aa = sum(1 / math.log(max(G.degree(z), 2)) for z in shared)
    return 1 - math.exp(-aa), shared
