"""The one-way pipeline, enforced: no Textual below the app, no SQL outside the store.

These rules keep the core usable headless (CLI, benchmarks, tests) and keep the
first frame of the app free of the slow database and PDF imports. Which package may
import which is import-linter's (contracts in pyproject.toml); what it cannot see is
here: SQL written as strings outside the store, and which modules a command or the
reader's first frame actually loads.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import kkr_tui

PACKAGE = Path(kkr_tui.__file__).resolve().parent
PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
SQL_RE = re.compile(
    r"\bSELECT\b|\bCREATE\s+(?:VIRTUAL\s+)?TABLE\b|\bINSERT\s+INTO\b|\bDELETE\s+FROM\b|\bPRAGMA\b"
)
DB_MODULES = {"sqlite3", "sqlite_utils"}


def _imported_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tempfile.gettempdir(),  # not the clone: `-c` puts the cwd first on sys.path
    ).stdout
    return set(out.split())


def test_the_import_contracts_hold() -> None:
    """The layers and forbidden imports of pyproject.toml's ``[tool.importlinter]``.

    import-linter follows every import statement, also those inside functions, and the
    chains through other modules: a lower layer reaching Textual through the CLI fails.
    In a process of its own: it configures logging with ``dictConfig``, which disables
    every logger that exists (pypdf's, the reader's) for the tests after it.
    """
    code = (
        "from importlinter.cli import lint_imports\n"
        f"raise SystemExit(lint_imports(config_filename={str(PYPROJECT)!r}, no_cache=True))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),  # the installed package under .ci/run, not the clone
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_contracts_name_every_layer_of_the_package() -> None:
    """A package the layers leave out would be outside every contract."""
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    layered = {
        name.strip()
        for contract in config["contracts"]
        if contract["type"] == "layers"
        for layer in contract["layers"]
        for name in layer.split("|")
    }
    packages = {f"kkr_tui.{p.name}" for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert packages <= layered, f"packages in no layer: {sorted(packages - layered)}"


def test_version_needs_no_heavy_imports() -> None:
    code = (
        "import contextlib, io\nfrom kkr_tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        main(['--version'])\n    except SystemExit:\n        pass"
    )
    loaded = _imported_after(code)
    assert not loaded & {"pypdf", "sqlite_utils", "rapidfuzz", "textual", "sqlite3"}


def _python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def _strings_and_imports(path: Path) -> tuple[list[tuple[int, str]], set[str]]:
    """String literals that are not docstrings, and top-level names of imported modules."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    strings = [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]
    return strings, _imports(path)


def test_the_first_frame_loads_no_store_or_sqlite() -> None:
    """The reader names Store methods through kkr_tui.app.db's stand-in, so importing the
    app loads neither the store nor SQLite (about 130 ms); its store thread does."""
    loaded = _imported_after("import kkr_tui.app.app")
    assert "kkr_tui.app.app" in loaded
    assert not loaded & {"kkr_tui.store", "sqlite3", "sqlite_utils", "pypdf", "rapidfuzz"}


def test_only_the_store_speaks_sql() -> None:
    offenders = []
    for path in _python_files(PACKAGE):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith(("store", "records")):
            continue
        strings, imported = _strings_and_imports(path)
        offenders += [f"{rel}: imports {name}" for name in sorted(imported & DB_MODULES)]
        offenders += [
            f"{rel}:{line}: {text[:60]!r}" for line, text in strings if SQL_RE.search(text)
        ]
    assert not offenders, "SQL outside kkr_tui/store:\n" + "\n".join(offenders)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_store_never_imports_meetingwork() -> None:
    """meetingwork builds on the store; the rows the store hands out live in records."""
    code = (
        "import tempfile, pathlib\nfrom kkr_tui.store import Store\n"
        "db = pathlib.Path(tempfile.mkdtemp()) / 'k.db'\n"
        "with Store(db) as s:\n    s.all_notes(); s.changed_items(); s.item_marks([1])"
    )
    loaded = _imported_after(code)
    assert "kkr_tui.store.notes" in loaded
    assert not {m for m in loaded if m.startswith("kkr_tui.meetingwork")}
