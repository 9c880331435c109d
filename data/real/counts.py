"""Count what data/real/ holds, as the table in docs/data-sources.md shows it.

    .venv/bin/python data/real/counts.py        # prints the Markdown table

tests/test_real_data.py checks that the guide's table is this script's output, so the
figures in the guide are always those of the files.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from rdflib import Graph, URIRef

from ccgraph.namespaces import CCG, COUNTRY, DCTERMS, RDF

HERE = Path(__file__).resolve().parent
OWN = "https://w3id.org/ccgraph/"


def real_graph() -> Graph:
    g = Graph()
    for path in sorted(HERE.glob("*.ttl")):
        g.parse(path)
    return g


def _is_page(term) -> bool:
    return isinstance(term, URIRef) and not str(term).startswith(OWN)


def counts(g: Graph) -> list[tuple[str, int]]:
    rows: list[tuple[str, int]] = []
    strands = Counter()
    for p in set(g.subjects(RDF.type, CCG.Programme)):
        strand = g.value(p, CCG.strand)
        if strand is not None:
            period = str(g.value(p, CCG.programmingPeriod) or "period not stated")
            strands[(str(strand).rsplit("Strand", 1)[-1], period)] += 1
    for (strand, period), n in sorted(strands.items()):
        rows.append((f"Interreg {strand} programmes, {period}", n))
    others = {i for i in g.subjects(RDF.type, CCG.FundingInstrument)
              if g.value(i, CCG.strand) is None}
    rows.append(("EU instruments for clusters (Euroclusters, I3, COSME, Horizon Europe)",
                 len(others)))
    areas = sum(1 for _ in g.triples((None, CCG.eligibleRegion, None)))
    rows.append(("eligible-area statements (programme or instrument, NUTS region)", areas))
    clusters = set(g.subjects(RDF.type, CCG.Cluster))
    by_country = Counter(str(g.value(c, CCG.country))[len(str(COUNTRY)):] for c in clusters)
    rows.append(("cluster organisations", len(clusters)))
    rows.extend((f"cluster organisations in {iso3}", n) for iso3, n in sorted(by_country.items()))
    orgs = set(g.subjects(RDF.type, CCG.Organisation)) - clusters
    rows.append(("other organisations (managing authorities, brokers)", len(orgs)))
    pages = set(g.subjects(RDF.type, CCG.WebPage))
    rows.append(("web pages cited", len(pages)))
    sourced = [t for t in g if t[1] not in (RDF.type,)
               and any(_is_page(s) for s in g.objects(t[0], DCTERMS.source))]
    rows.append(("statements about resources that cite a web page", len(sourced)))
    rows.append(("triples in all", len(g)))
    return rows


def table(rows: list[tuple[str, int]]) -> str:
    lines = ["| what | count |", "|---|---|"]
    lines += [f"| {what} | {n:,} |" for what, n in rows]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(table(counts(real_graph())))
