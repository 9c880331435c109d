"""In-process cost of the merged union graph (issue 16): the same query on raw pyoxigraph with
its own union default graph against ccgraph's dataset (merge graph as default, named graphs
listed). Synthetic 300k triples in one named graph; medians of 7 runs."""
import statistics
import time

import pyoxigraph as ox

N=300_000
g=ox.NamedNode("urn:g"); u=ox.NamedNode("urn:ccgraph:union")
s=ox.Store()
qs=[ox.Quad(ox.NamedNode(f"urn:s{i%30000}"), ox.NamedNode(f"urn:p{i%7}"), ox.Literal(str(i%1000)), g) for i in range(N)]
s.bulk_extend(qs)
raw=ox.Store(); raw.bulk_extend(qs)
t=time.perf_counter(); s.bulk_extend(ox.Quad(q.subject,q.predicate,q.object,u) for q in s.quads_for_pattern(None,None,None,g)); print("merge build s", round(time.perf_counter()-t,2))
Q={"point":"SELECT ?o WHERE { <urn:s7> <urn:p0> ?o }","group":"SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p","join":"SELECT (COUNT(*) AS ?n) WHERE { ?s <urn:p0> ?o . ?s <urn:p1> ?o2 }"}
for name,q in Q.items():
    for label,opts in (("raw oxigraph union, no merge",{"use_default_graph_as_union":True}),("merge graph",{"default_graph":[u],"named_graphs":[g]})):
        ts=[]
        for _ in range(7):
            t=time.perf_counter(); list((raw if "raw" in label else s).query(q,**opts)); ts.append(time.perf_counter()-t)
        print(name,label,round(statistics.median(ts)*1000,2),"ms")
