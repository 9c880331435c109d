"""Imports point one way, and no module imports itself back through others.

Layers, lowest first; a module may import its own layer and the layers below it:

    base      namespaces, errors, config, rdfio, sparql_text, synthetic, __init__
    store     store/, provenance (the store's own bookkeeping), validate and shacl_fast
              (the shapes every write passes: the store checks updates with them)
    data      load, tables, bundle, backup, queries, reason, inference, synth,
              benchmarking, reference
    analytics analytics/
    read      read/ (one data function per resource kind, for the pages, the API and the CLI)
    service   web/, cli, server

Libraries: the core never imports flask (only web/ and server: read/ answers in plain data
and leaves links to the views); web/ and read/ never import networkx, owlready2 or
pyoxigraph; only reason.py imports owlready2; only analytics/ imports networkx.
Relative imports are resolved; nothing is exempt. `check` is run on the source tree and,
in its own tests, on planted trees, to show that it catches a cycle and a layer breach.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "ccgraph"

LAYERS = {
    "base": {"namespaces", "errors", "config", "rdfio", "sparql_text", "synthetic", ""},
    "store": {"store", "provenance", "validate", "shacl_fast"},
    "data": {"load", "tables", "bundle", "backup", "queries", "reason",
             "inference", "synth", "benchmarking", "reference"},
    "analytics": {"analytics"},
    "read": {"read"},
    "service": {"web", "cli", "server"},
}
ORDER = list(LAYERS)
FLASK_SIDE = {"web", "server"}


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> str:
    head = module.split(".")[1] if "." in module else ""
    found = [name for name, members in LAYERS.items() if head in members]
    if not found:
        raise AssertionError(f"{module} is in no layer: add it to LAYERS")
    return found[0]


def imports(root: Path, path: Path, known: set[str]) -> tuple[set[str], set[str]]:
    """(internal modules, top-level external packages) that `path` imports, anywhere in it."""
    module = module_name(root, path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    internal, external = set(), set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            for alias in node.names:
                (internal if alias.name.split(".")[0] == root.name else external).add(
                    alias.name if alias.name.split(".")[0] == root.name
                    else alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != root.name:
                external.add(target.split(".")[0])
                continue
            names = {f"{target}.{alias.name}" for alias in node.names} & known
            internal |= names or {target}
    return internal - {module}, external


def check(root: Path) -> list[str]:
    """Every cycle, layer breach and forbidden library import under `root`."""
    paths = {module_name(root, p): p for p in sorted(root.rglob("*.py"))}
    known = set(paths)
    graph, problems = nx.DiGraph(), []
    for module, path in paths.items():
        graph.add_node(module)
        internal, external = imports(root, path, known)
        for target in internal & known:
            graph.add_edge(module, target)
            if ORDER.index(layer(target)) > ORDER.index(layer(module)):
                problems.append(f"layer breach: {module} ({layer(module)}) imports "
                                f"{target} ({layer(target)})")
        problems += _library_rules(module, external)
    for cycle in nx.strongly_connected_components(graph):
        if len(cycle) > 1:
            problems.append(f"import cycle: {' -> '.join(sorted(cycle))}")
    return problems


def _library_rules(module: str, external: set[str]) -> list[str]:
    head = module.split(".")[1] if "." in module else ""
    out = []
    if "flask" in external and head not in FLASK_SIDE:
        out.append(f"{module}: the core never imports flask")
    banned = external & {"networkx", "owlready2", "pyoxigraph"}
    if head in ("web", "read") and banned:
        out.append(f"{module}: {head} imports {sorted(banned)}")
    if "owlready2" in external and module.rsplit(".", 1)[-1] != "reason":
        out.append(f"{module}: only reason.py imports owlready2")
    if "networkx" in external and head != "analytics":
        out.append(f"{module}: only analytics/ imports networkx")
    return out


def test_the_source_tree_keeps_its_layers_and_has_no_cycle():
    assert check(SRC) == []


def test_every_module_is_checked():
    assert len(list(SRC.rglob("*.py"))) > 20


def _plant(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "ccgraph"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_a_planted_cycle_is_caught(tmp_path):
    root = _plant(tmp_path, {"__init__.py": "", "load.py": "from . import tables\n",
                             "tables.py": "def f():\n    from .load import x\n"})
    assert check(root) == ["import cycle: ccgraph.load -> ccgraph.tables"]


def test_a_planted_read_module_may_not_reach_up_or_import_flask(tmp_path):
    root = _plant(tmp_path, {"__init__.py": "", "read/__init__.py": "",
                             "read/resource.py": "import flask\nfrom ..web import api\n",
                             "web/__init__.py": "", "web/api.py": "from ..read import resource\n"})
    problems = check(root)
    assert "ccgraph.read.resource: the core never imports flask" in problems
    assert "layer breach: ccgraph.read.resource (read) imports ccgraph.web.api (service)" \
        in problems
    assert "import cycle: ccgraph.read.resource -> ccgraph.web.api" in problems


def test_a_planted_layer_breach_and_library_import_are_caught(tmp_path):
    root = _plant(tmp_path, {"__init__.py": "", "store/__init__.py": "",
                             "store/base.py": "from ..analytics import engine\n",
                             "analytics/__init__.py": "", "analytics/engine.py": "",
                             "load.py": "import flask\n"})
    problems = check(root)
    assert "layer breach: ccgraph.store.base (store) imports ccgraph.analytics.engine " \
           "(analytics)" in problems
    assert "ccgraph.load: the core never imports flask" in problems


@pytest.mark.parametrize("module", ["ccgraph.web.pages", "ccgraph.store.base",
                                    "ccgraph.read.resource"])
def test_modules_are_assigned_a_layer(module):
    assert layer(module) in ORDER
