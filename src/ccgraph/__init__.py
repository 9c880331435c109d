"""ccgraph: a knowledge graph of cluster-policy linkages in Central Europe."""

__version__ = "0.1.0"
