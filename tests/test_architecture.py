"""Imports point one way: core never imports flask; web never imports networkx,
owlready2 or pyoxigraph; only reason.py imports owlready2; only analytics/ imports networkx."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "ccgraph"


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


MODULES = sorted(SRC.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_import_direction(path):
    relative = path.relative_to(SRC)
    found = imports(path)
    in_web = relative.parts[0] == "web"
    if not in_web and relative.name != "server.py":
        assert "flask" not in found, "the core never imports flask"
    if in_web:
        assert not found & {"networkx", "owlready2", "pyoxigraph"}, found
    if relative.name != "reason.py":
        assert "owlready2" not in found
    if relative.parts[0] != "analytics":
        assert "networkx" not in found


def test_every_module_is_checked():
    assert len(MODULES) > 20
