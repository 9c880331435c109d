"""Partner recommendations and funding gaps, from the complementarity model."""

from __future__ import annotations

import bisect
import random

import networkx as nx

from ..errors import BadRequest
from . import model
from .common import bounded, describe, node_ref, require
from .funding import SCOPE_WORDS, common_instruments, coverage, fundable

__all__ = ["MAX_N", "candidates", "gaps", "partners"]

MAX_N = 100
MAX_CANDIDATES = 5000       # pre-filtered candidates scored per request
GAP_PAIR_BUDGET = 100_000   # cluster pairs scored by one gaps() call
_W = model.PARTNER_WEIGHTS


def candidates(G: nx.Graph, a: str) -> list[str]:
    """Clusters worth scoring against `a`: shared history, related or emerging
    industries, or the same or an adjacent NUTS-2 region. Sorted, `a` excluded."""
    ix = model.index(G)
    found: set[str] = set()
    for hub in ix.projects[a] | ix.events[a]:
        found.update(m for m in G[hub] if G.nodes[m]["kind"] == "cluster")
    for d in sorted({ix.division(i) for i in ix.industries[a]}):
        for related in ix.related_divisions(d):
            found.update(ix.by_division.get(related, ()))
    for e in ix.emerging[a]:
        found.update(ix.by_emerging.get(e, ()))
    home = ix.nuts2(G.nodes[a].get("region"))
    if home:
        near = [home, *(m for m in G[home] if G.edges[home, m]["rel"] == "adjacent_to")]
        for r in near:
            found.update(ix.by_nuts2.get(r, ()))
    found.discard(a)
    return sorted(found)[:MAX_CANDIDATES]


def partners(G: nx.Graph, cluster: str, n: int = 10,
             cross_border_only: bool = False) -> list[dict]:
    """The `n` best partners for `cluster`, with component scores and readable reasons.

    Score = 0.8 C + 0.1 funding + 0.1 trust (docs/complementarity.md), in [0, 1].

    >>> from ccgraph.analytics.examples import tiny_graph
    >>> best = partners(tiny_graph(), "urn:ex:c2", n=1)[0]
    >>> best["cluster"]["label"], best["score"] > 0.5
    ('Auto cluster HU', True)
    >>> print(best["reasons"][-1][:58])
    Auto cluster HU holds an ESCA Gold label, the highest of t
    """
    require(G, cluster, kinds=("cluster",))
    bounded("n", n, 1, MAX_N)
    if not isinstance(cross_border_only, bool):
        raise BadRequest("cross_border_only must be true or false")
    pool = [b for b in candidates(G, cluster)
            if not cross_border_only or _abroad(G, cluster, b)]
    scored = sorted(zip(model.totals_against(G, cluster, pool), pool, strict=True),
                    key=lambda cb: (-cb[0], cb[1]))
    return [_recommendation(G, cluster, b, model.pair_score(G, cluster, b), fits)
            for b, fits in _best(G, cluster, scored, n)]


def _abroad(G: nx.Graph, a: str, b: str) -> bool:
    ca, cb = G.nodes[a].get("country"), G.nodes[b].get("country")
    return bool(ca) and bool(cb) and ca != cb


def _best(G, a, scored, n):
    """Exact top n by the partner score, visiting candidates by C: funding and trust add
    at most 0.2, so once 0.8 C + 0.2 cannot reach the n-th best the rest cannot either."""
    top: list[tuple[float, str]] = []   # (-score, cluster), kept sorted, at most n
    for c, b in scored:
        if len(top) == n and _W["complementarity"] * c + 0.2 < -top[-1][0]:
            break
        bisect.insort(top, (-_partner_total(G, c, b, fundable(G, a, b)), b))
        del top[n:]
    return [(b, common_instruments(G, a, b)) for _score, b in top]


def _trust(G: nx.Graph, b: str) -> float:
    return G.nodes[b].get("label_level", 0) / 3


def _partner_total(G, complementarity: float, b: str, fits) -> float:
    """0.8 C + 0.1 [some instrument fits] + 0.1 trust; `fits` is a list or a bool."""
    return (_W["complementarity"] * complementarity + _W["funding"] * bool(fits)
            + _W["trust"] * _trust(G, b))


def _recommendation(G, a, b, ps: model.PairScore, fits: list) -> dict:
    components = {k: round(v, 6) for k, v in ps.components.items()}
    components.update(funding=float(bool(fits)), trust=round(_trust(G, b), 6))
    return {"cluster": node_ref(G, b), "score": round(_partner_total(G, ps.total, b, fits), 6),
            "complementarity": round(ps.total, 6), "components": components,
            "instruments": [node_ref(G, f[0]) for f in fits[:5]],
            "reasons": reasons(G, a, b, ps, fits)}


def reasons(G: nx.Graph, a: str, b: str, ps: model.PairScore, fits: list) -> list[str]:
    """One sentence per component that contributes, plus funding and trust, always shown."""
    ev, out = ps.evidence, []
    if ps.components["relatedness"] > 0:
        out.append(_relatedness_sentence(G, ps.components["relatedness"], *ev["relatedness"]))
    if ev["emerging"]:
        out.append(_emerging_sentence(G, *ev["emerging"]))
    if ps.components["cross_border"] > 0:
        out.append(_border_sentence(G, a, b, ev["cross_border"]))
    for key, verb, noun in (("projects", "were partners in", "project"),
                            ("events", "met at", "event")):
        if ev[key]:
            count = len(ev[key])
            things = f"{count} {noun}{'' if count == 1 else 's'}"
            names = listed([describe(G, x) for x in ev[key]], shown=3)
            out.append(f"They {verb} {'one ' + noun if count == 1 else things}: {names}.")
    out.append(_funding_sentence(G, fits))
    out.append(_trust_sentence(G, b))
    return out


def listed(names: list[str], shown: int = 3) -> str:
    """"A, B and C", or "A, B, C and 2 more" when there are more than `shown`."""
    if len(names) > shown:
        rest = len(names) - shown
        return f"{', '.join(names[:shown])} and {rest} more"
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


_LEVEL_PLACE = {1: "the first", 2: "the second", 3: "the highest"}
_LEVEL_SHARE = {1: "a third of it", 2: "two thirds of it", 3: "all of it"}


def _trust_sentence(G, b: str) -> str:
    """What the quality label adds, in words: the partner score gives a tenth of its
    weight to certified cluster management (ESCA Bronze, Silver, Gold)."""
    level = G.nodes[b].get("label_level", 0)
    name = describe(G, b)
    if not level:
        return (f"{name} holds no ESCA quality label, so it earns nothing from the tenth "
                "of the score that rewards certified cluster management.")
    return (f"{name} holds {model.LEVEL_NAMES[level]}, {_LEVEL_PLACE[level]} of the three "
            "levels: a tenth of the score rewards certified cluster management, and this "
            f"label earns {_LEVEL_SHARE[level]}.")


def _relatedness_sentence(G, strength, how, i, j) -> str:
    """Sourced relations name their source; the model's own assumptions say so."""
    i_name, j_name = describe(G, i), describe(G, j)
    if i_name == j_name and how != "ecosystem":  # two codes of one name: say it once
        return f"Both are active in {i_name}."
    if how == "ecosystem":
        return _ecosystem_sentence(G, i, j)
    text = {
        "same": f"Both are active in {i_name}.",
        "hierarchy": (f"Their sectors {i_name} and {j_name} are close in the NACE hierarchy "
                      "(an assumption of ccgraph's model: codes under one NACE heading "
                      "are related)."),
        "value_chain": (f"Their sectors {i_name} and {j_name} are linked along a value chain "
                        "(an illustrative link of the synthetic example data, not a sourced "
                        "fact)."),
        "colocation": (f"Regions specialised in {i_name} tend to specialise in {j_name} too "
                       "(an assumption of ccgraph's model, measured on the clusters in the "
                       "graph)."),
    }[how]
    return text


def _ecosystem_sentence(G, i: str, j: str) -> str:
    ix = model.index(G)
    shared = sorted(ix.ecosystems(i) & ix.ecosystems(j))
    names = " and ".join(describe(G, e) for e in shared[:2])
    sources = sorted({s for e in shared for s in G.nodes[e].get("sources", "").split()})
    cited = f" (source: {', '.join(sources)})" if sources else ""
    return (f"Their sectors {describe(G, i)} and {describe(G, j)} both belong to the "
            f"European Commission's industrial ecosystem {names}{cited}.")


def _emerging_sentence(G, kind, items) -> str:
    if kind == "shared":
        return "Both work in the emerging industry " + \
            ", ".join(describe(G, e) for e in items) + "."
    e, i = items
    return f"The emerging industry {describe(G, e)} draws on {describe(G, i)}."


def _border_sentence(G, a, b, ev) -> str:
    ra, rb = ev["regions"]
    if ra and ra == rb:
        return f"Both are in the same region, {describe(G, ra)}."
    where = f"{describe(G, ra)} and {describe(G, rb)}" if ra and rb else "their regions"
    if ev["different_countries"] and ev["near"]:
        return f"A cross-border pair in neighbouring regions: {where}."
    if ev["different_countries"]:
        return f"A transnational pair: {where} lie in different countries."
    return f"Close to each other: {where} are neighbours in one country."


def _funding_sentence(G, fits) -> str:
    if not fits:
        return "No instrument in the graph covers both with a fitting scope."
    inst = fits[0][0]
    scope = SCOPE_WORDS.get(coverage(G).scopes[inst], "unscoped")
    rest = len(fits) - 1
    more = f" and {rest} more instrument{'' if rest == 1 else 's'}" if rest else ""
    return f"{describe(G, inst)} ({scope}){more} could fund them together."


def gaps(G: nx.Graph, threshold: float = 0.5, limit: int = 20,
         budget: int = GAP_PAIR_BUDGET) -> dict:
    """Complementary cluster pairs (C >= threshold) that no common instrument covers,
    grouped by their pair of NUTS-2 regions: where funding does not follow potential.

    Work is bounded by `budget` scored pairs; a seeded sample of clusters is used when
    the pre-filtered pairs exceed it, and ``truncated`` says so.

    >>> from ccgraph.analytics.examples import tiny_graph
    >>> g = gaps(tiny_graph(), threshold=0.1)
    >>> [x["label"] for x in g["groups"][0]["regions"]]
    ['Nyugat-Dunántúl', 'Małopolskie']
    """
    bounded("threshold", threshold, 0.0, 1.0, integer=False)
    bounded("limit", limit, 1, MAX_N)
    bounded("budget", budget, 1, 10_000_000)
    ix = model.index(G)
    order = list(ix.clusters)
    random.Random(0).shuffle(order)  # a fair sample when the budget runs out
    found, scored, truncated = [], 0, False
    for a in order:
        others = [b for b in candidates(G, a) if b > a]  # each pair once
        if scored + len(others) > budget:
            others, truncated = others[:budget - scored], True
        scored += len(others)
        for total, b in zip(model.totals_against(G, a, others), others, strict=True):
            if total >= threshold and not fundable(G, a, b):
                found.append((total, a, b))
        if truncated:
            break
    return {"threshold": threshold, "pairs_scored": scored, "truncated": truncated,
            "groups": _group_by_regions(G, ix, found)[:limit]}


def _group_by_regions(G, ix, found) -> list[dict]:
    groups: dict[tuple[str, str], list] = {}
    for total, a, b in found:
        ra, rb = (ix.nuts2(G.nodes[x].get("region")) or "" for x in (a, b))
        key, pair = ((ra, rb), (a, b)) if ra <= rb else ((rb, ra), (b, a))
        groups.setdefault(key, []).append((total, *pair))
    out = []
    for (ra, rb), items in groups.items():
        items.sort(key=lambda t: (-t[0], t[1], t[2]))
        out.append({
            "regions": [node_ref(G, r) if r in G else {"id": r} for r in (ra, rb)],
            "pairs": len(items), "best_score": round(items[0][0], 6),
            "examples": [{"a": node_ref(G, x), "b": node_ref(G, y), "score": round(t, 6)}
                         for t, x, y in items[:5]],
            "reason": (f"{len(items)} complementary pair(s) between these regions, and no "
                       "instrument covers both ends with a fitting scope and sector."),
        })
    out.sort(key=lambda g: (-g["pairs"], -g["best_score"], g["regions"][0]["id"]))
    return out
