"""Sync uses httpx and httpcore through their public API only.

The stoppable connect once set a backend on httpx's private pool attribute and used
httpcore's private stream class, which tied kkr-tui to one release of each. This test
keeps it from coming back: no module of kkr_tui imports a private module or name of
httpx or httpcore (``httpcore._backends``, ``from httpx import _x``), and a module that
imports either reads or sets no underscored attribute of anything but itself
(``transport._pool``, ``getattr(pool, "_network_backend")``). The checker is tried on
the old code's patterns first, so the test cannot pass by finding nothing.
"""

from __future__ import annotations

import ast
from pathlib import Path

import kkr_tui

LIBRARIES = ("httpx", "httpcore")
PACKAGE = Path(kkr_tui.__file__).parent


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _library(module: str) -> bool:
    return module.split(".")[0] in LIBRARIES


def private_uses(source: str) -> list[str]:
    """Each private use of httpx/httpcore in ``source``, as ``line: what``."""
    tree = ast.parse(source)
    found: list[str] = []
    uses_library = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _library(alias.name):
                    uses_library = True
                    if any(_private(part) for part in alias.name.split(".")):
                        found.append(f"{node.lineno}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module and _library(node.module):
            uses_library = True
            if any(_private(part) for part in node.module.split(".")):
                found.append(f"{node.lineno}: from {node.module}")
            found += [f"{node.lineno}: {a.name}" for a in node.names if _private(a.name)]
    if not uses_library:
        return found
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            own = isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
            if not own:
                found.append(f"{node.lineno}: .{node.attr}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "setattr", "hasattr", "delattr")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and _private(node.args[1].value)
        ):
            found.append(f"{node.lineno}: {node.func.id}(…, {node.args[1].value!r})")
    return found


def test_the_checker_finds_the_private_hooks_sync_once_used() -> None:
    old = """
import httpcore
from httpcore._backends.sync import SyncStream
from httpx import _config

def hook(transport):
    pool = getattr(transport, "_pool", None)
    pool._network_backend = object()
    return SyncStream(transport._pool)

class Fine:
    def __init__(self):
        self._mine = 1
        self.__dict__
"""
    assert private_uses(old) == [
        "3: from httpcore._backends.sync",
        "4: _config",
        "7: getattr(…, '_pool')",
        "8: ._network_backend",
        "9: ._pool",
    ]


def test_no_module_of_kkr_tui_uses_private_httpx_or_httpcore() -> None:
    found = {
        str(path.relative_to(PACKAGE)): uses
        for path in sorted(PACKAGE.rglob("*.py"))
        if (uses := private_uses(path.read_text(encoding="utf-8")))
    }
    assert found == {}
