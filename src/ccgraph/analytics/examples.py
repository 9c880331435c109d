"""A tiny, hand-made graph for docstring examples and tests.

Three clusters: an automotive cluster in Nyugat-Dunántúl (HU) and a battery
cluster across the border in Burgenland (AT), partners in one project and
covered by a cross-border call; and an ICT cluster in Malopolska (PL), reachable
only through a transnational call open to ICT. The projection is built by running
the projection's own SPARQL on an rdflib graph, so examples exercise the same path
as a real store.
"""

from __future__ import annotations

import networkx as nx
from rdflib import Graph

from . import projection

__all__ = ["TINY_TTL", "RdflibSelect", "tiny_graph"]

TINY_TTL = """
@prefix ccg: <https://w3id.org/ccgraph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <urn:ex:> .

ex:HU a ccg:Region ; ccg:nutsLevel 0 ; ccg:country ex:HUN ; skos:prefLabel "Hungary"@en .
ex:HU2 a ccg:Region ; ccg:nutsLevel 1 ; skos:broader ex:HU ; ccg:country ex:HUN ;
    skos:prefLabel "Dunántúl"@hu .
ex:HU22 a ccg:Region ; ccg:nutsLevel 2 ; skos:broader ex:HU2 ; ccg:country ex:HUN ;
    skos:prefLabel "Nyugat-Dunántúl"@hu ; ccg:adjacentTo ex:AT11 .
ex:AT1 a ccg:Region ; ccg:nutsLevel 1 ; ccg:country ex:AUT ; skos:prefLabel "Ostösterreich"@de .
ex:AT11 a ccg:Region ; ccg:nutsLevel 2 ; skos:broader ex:AT1 ; ccg:country ex:AUT ;
    skos:prefLabel "Burgenland"@de .
ex:PL a ccg:Region ; ccg:nutsLevel 0 ; ccg:country ex:POL ; skos:prefLabel "Poland"@en .
ex:PL21 a ccg:Region ; ccg:nutsLevel 2 ; skos:broader ex:PL ; ccg:country ex:POL ;
    skos:prefLabel "Małopolskie"@pl .

ex:C a ccg:Industry ; skos:prefLabel "Manufacturing"@en .
ex:J a ccg:Industry ; skos:prefLabel "Information and communication"@en .
ex:27 a ccg:Industry ; skos:broader ex:C ; skos:prefLabel "Electrical equipment"@en ;
    ccg:valueChainLink ex:29 .
ex:29 a ccg:Industry ; skos:broader ex:C ; skos:prefLabel "Motor vehicles"@en .
ex:62 a ccg:Industry ; skos:broader ex:J ; skos:prefLabel "Computer programming"@en .
ex:27.2 a ccg:Industry ; skos:broader ex:27 ; skos:prefLabel "Batteries"@en .
ex:29.1 a ccg:Industry ; skos:broader ex:29 ; skos:prefLabel "Motor vehicles (group)"@en .
ex:62.0 a ccg:Industry ; skos:broader ex:62 ; skos:prefLabel "Programming (group)"@en .
ex:emob a ccg:EmergingIndustry ; skos:prefLabel "Mobility technologies"@en ;
    ccg:relatedIndustry ex:29.1, ex:27.2 .

ex:c1 a ccg:Cluster ; skos:prefLabel "Auto cluster HU"@en ; ccg:locatedIn ex:HU22 ;
    ccg:activeIn ex:29.1, ex:emob ; ccg:holdsLabel ex:l1 .
ex:l1 a ccg:QualityLabel ; ccg:labelLevel ccg:ESCAGold .
ex:c2 a ccg:Cluster ; skos:prefLabel "Battery cluster AT"@en ; ccg:locatedIn ex:AT11 ;
    ccg:activeIn ex:27.2, ex:emob .
ex:c3 a ccg:Cluster ; skos:prefLabel "ICT cluster PL"@en ; ccg:locatedIn ex:PL21 ;
    ccg:activeIn ex:62.0 .

ex:p1 a ccg:Project ; skos:prefLabel "Joint project"@en ; ccg:partner ex:c1, ex:c2 ;
    ccg:fundedBy ex:i1 .
ex:i1 a ccg:FundingInstrument ; skos:prefLabel "Border call"@en ;
    ccg:cooperationScope ccg:CrossBorder ; ccg:eligibleRegion ex:HU22, ex:AT11 .
ex:i2 a ccg:FundingInstrument ; skos:prefLabel "Transnational ICT call"@en ;
    ccg:cooperationScope ccg:Transnational ; ccg:eligibleRegion ex:HU, ex:PL ;
    ccg:eligibleIndustry ex:62 .
ex:e1 a ccg:Event ; skos:prefLabel "Matchmaking day"@en ; ccg:participant ex:c1, ex:c3 ;
    ccg:locatedIn ex:PL21 .
"""


class RdflibSelect:
    """The slice of the store interface the projection uses, over an rdflib Graph."""

    generation = 0

    def __init__(self, graph: Graph) -> None:
        self.rdf = graph

    def select(self, text: str, bindings=None, values=None, **_options) -> list[dict]:
        if values:
            names = list(values)
            rows = " ".join("(" + " ".join(t.n3() for t in row) + ")"
                            for row in zip(*values.values(), strict=True))
            text += f"\nVALUES ({' '.join('?' + n for n in names)}) {{ {rows} }}"
        result = self.rdf.query(text, initBindings=bindings or {})
        return [{k: v for k, v in row.asdict().items() if v is not None} for row in result]


def tiny_graph() -> nx.Graph:
    """The projection of TINY_TTL.

    >>> G = tiny_graph()
    >>> sorted(n for n, d in G.nodes(data=True) if d["kind"] == "cluster")
    ['urn:ex:c1', 'urn:ex:c2', 'urn:ex:c3']
    """
    return projection.build(RdflibSelect(Graph().parse(data=TINY_TTL, format="turtle")))
