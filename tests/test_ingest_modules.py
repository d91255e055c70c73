"""ingest.py and ingest_pool.py do not import each other: the shared types have one owner.

``ingest_types`` holds what a run passes around; ``ingest_reader`` reads one file in a
child; ``ingest_pool`` runs several; ``ingest`` runs the whole thing and is the only one
that may import the other three. Read from the source (every import, also the lazy
ones inside functions and under TYPE_CHECKING), so a cycle cannot creep back in.
"""

from __future__ import annotations

import ast
from pathlib import Path

import kkr_tui

PACKAGE = Path(kkr_tui.__file__).parent
MODULES = ("ingest", "ingest_types", "ingest_reader", "ingest_pool")


def _imports(module: str) -> set[str]:
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name.removeprefix("kkr_tui.") for name in found if name.startswith("kkr_tui.")}


def test_each_ingest_module_imports_only_those_below_it() -> None:
    below = {
        "ingest_types": set(),
        "ingest_reader": {"ingest_types"},
        "ingest_pool": {"ingest_types", "ingest_reader"},
        "ingest": {"ingest_types", "ingest_reader", "ingest_pool"},
    }
    for module in MODULES:
        siblings = _imports(module) & set(MODULES)
        assert siblings <= below[module], (module, siblings - below[module])
