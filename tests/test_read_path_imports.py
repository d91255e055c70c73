"""A command imports only what it uses: which modules ``kkr-tui search``, ``--help`` and
``--version`` load, each in a fresh process.

Start-up is most of a one-off search's time (bench/README.md); a module loaded for
nothing is paid on every call. sqlite-utils (with click, dateutil and pluggy) only
ever created databases; the sync, ingest, reader and PDF stacks have their own commands;
ctypes is for giving a large vocabulary's memory back. (platformdirs is not on the list:
the language setting is read from the config file, whose folder it names.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from store_factory import corpus_meetings, fill_store

from kkr_tui.store import Store

_RUN = (
    "import contextlib, io, json, sys\n"
    "sys.argv = ['kkr-tui', *sys.argv[1:]]\n"
    "from kkr_tui.launch import main\n"
    "with contextlib.redirect_stdout(io.StringIO()):\n"
    "    try:\n"
    "        code = main()\n"
    "    except SystemExit as done:\n"
    "        code = done.code\n"
    "print(json.dumps([code, sorted(sys.modules)]))\n"
)

#: Never on the search path: what only other commands, or creating a database, use.
NOT_FOR_SEARCH = {
    "sqlite_utils",
    "click",
    "dateutil",
    "pluggy",
    "textual",
    "rich",
    "pypdf",
    "httpx",
    "selectolax",
    "ctypes",
    "uuid",
    "kkr_tui.app",
    "kkr_tui.ingest",
    "kkr_tui.parser",
    "kkr_tui.sources",
    "kkr_tui.sync.config",
    "kkr_tui.meetingwork.related",
}


def _modules(*args: str) -> tuple[int, set[str]]:
    out = subprocess.run(
        [sys.executable, "-c", _RUN, *args], capture_output=True, text=True, check=True
    )
    code, modules = json.loads(out.stdout.strip().splitlines()[-1])
    return code, set(modules)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("imports") / "kkr.db"
    with Store(path) as store:
        fill_store(store, corpus_meetings())
    return path


@pytest.mark.parametrize("query", ["okonomi", "SAG-2025-02162", "council:midt", "3.4"])
def test_search_imports_only_what_it_uses(db: Path, query: str) -> None:
    code, modules = _modules("search", query, "--db", str(db))
    assert code == 0
    assert "kkr_tui.search.index" in modules and "rapidfuzz" in modules, "it did search"
    loaded = {m for m in modules if m in NOT_FOR_SEARCH or m.split(".")[0] in NOT_FOR_SEARCH}
    loaded |= {m for m in modules for p in NOT_FOR_SEARCH if m.startswith(p + ".")}
    assert not loaded


def test_version_imports_nothing_but_the_package() -> None:
    code, modules = _modules("--version")
    assert code == 0
    ours = {m for m in modules if m.startswith("kkr_tui")}
    assert ours == {"kkr_tui", "kkr_tui.launch"}
    assert "argparse" not in modules


def test_help_imports_no_store_search_or_sync_work() -> None:
    code, modules = _modules("--help")
    assert code == 0
    ours = {m for m in modules if m.startswith("kkr_tui")}
    assert ours <= {"kkr_tui", "kkr_tui.launch", "kkr_tui.cli", "kkr_tui.output", "kkr_tui.i18n",
                    "kkr_tui.paths", "kkr_tui.sync", "kkr_tui.sync.command",
                    "kkr_tui.sync.councils"}  # fmt: skip
    assert not {"sqlite3", "dataclasses", "rapidfuzz"} & modules
