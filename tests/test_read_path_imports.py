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
    "import contextlib, io, sys\n"
    "sys.argv = ['kkr-tui', *sys.argv[1:]]\n"
    "from kkr_tui.launch import main\n"
    "with contextlib.redirect_stdout(io.StringIO()):\n"
    "    try:\n"
    "        code = main()\n"
    "    except SystemExit as done:\n"
    "        code = done.code\n"
    "modules = sorted(sys.modules)\n"
    "import json\n"
    "print(json.dumps([code, modules]))\n"
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
    # The folders are computed (kkr_tui.userdirs); platformdirs brings tempfile and shutil.
    "platformdirs",
    "tempfile",
    # argparse asks shutil for the terminal's width unless told (cli._Formatter).
    "shutil",
    # OpenSSL: only hashing a changed item's content needs it (store/notes.py).
    "hashlib",
    "_hashlib",
    "kkr_tui.app",
    "kkr_tui.ingest",
    "kkr_tui.parser",
    "kkr_tui.sources",
    # Only the search command's arguments are built, not sync's.
    "kkr_tui.sync",
    "kkr_tui.meetingwork",
    # Records are made by kkr_tui.record: dataclasses compiled ~45 classes' methods at
    # import and brought inspect, ast, dis and tokenize (~25 ms, bench/README.md).
    "dataclasses",
    "inspect",
    "ast",
    "dis",
    "tokenize",
    # A plain search line is read without argparse (cli._plain_search).
    "argparse",
    # Only citations clean their fields (wording.citation); only storing keeps versions.
    "kkr_tui.sanitize",
    "kkr_tui.store.versions",
}

#: Searches whose hits all have dates and that say nothing else: no message is asked
#: for, so neither gettext nor the catalogue is loaded (~4 ms).
NO_MESSAGES = ["okonomi", "sundhedsrefrom", "council:midt"]

#: Searches that rank no text, so they never load RapidFuzz (only re-ranking text
#: candidates and typo look-ups use it).
NO_TEXT_RANKING = ["SAG-2025-02162", "council:midt", "3.4", "council:midt year:2025"]


#: What the harness itself loads before the command runs.
_BARE_RUN = (
    "import contextlib, io, sys\nmodules = sorted(sys.modules)\n"
    "import json\nprint(json.dumps(modules))\n"
)


def _bare() -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", _BARE_RUN], capture_output=True, text=True, check=True
    )
    return set(json.loads(out.stdout))


def _modules(*args: str) -> tuple[int, set[str]]:
    out = subprocess.run(
        [sys.executable, "-c", _RUN, *args], capture_output=True, text=True, check=True
    )
    code, modules = json.loads(out.stdout.strip().splitlines()[-1])
    return code, set(modules)


_BARE = _bare()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("imports") / "kkr.db"
    with Store(path) as store:
        fill_store(store, corpus_meetings())
    return path


def _unwanted(modules: set[str], unwanted: set[str]) -> set[str]:
    return {m for m in modules for p in unwanted if m == p or m.startswith(p + ".")}


@pytest.mark.parametrize("query", ["okonomi", "sundhedsrefrom", *NO_TEXT_RANKING])
def test_search_imports_only_what_it_uses(db: Path, query: str) -> None:
    code, modules = _modules("search", query, "--db", str(db))
    assert code == 0
    assert "kkr_tui.search.index" in modules, "it did search"
    unwanted = NOT_FOR_SEARCH | ({"rapidfuzz"} if query in NO_TEXT_RANKING else set())
    unwanted |= {"gettext"} if query in NO_MESSAGES else set()
    assert not _unwanted(modules, unwanted)
    if query not in NO_TEXT_RANKING:
        assert "rapidfuzz" in modules, "it ranked text"


def test_version_imports_nothing_but_the_package() -> None:
    code, modules = _modules("--version")
    assert code == 0
    ours = {m for m in modules if m.startswith("kkr_tui")}
    assert ours == {"kkr_tui", "kkr_tui.launch"}
    assert "argparse" not in modules


#: What a bare ``python -c pass`` has not loaded and ``--help`` must not load either:
#: the help is read from a file laid out in advance (kkr_tui/quickhelp.py), in the
#: language of the environment or the config file, without parser or catalogue.
NOT_FOR_HELP = {
    "argparse", "gettext", "pathlib", "typing", "re", "json", "platformdirs", "tomllib",
    "sqlite3", "dataclasses", "rapidfuzz", "kkr_tui.cli", "kkr_tui.paths", "kkr_tui.output",
}  # fmt: skip


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_imports_nothing_but_its_text(flag: str) -> None:
    code, modules = _modules(flag)
    assert code == 0
    ours = {m for m in modules if m.startswith("kkr_tui")}
    assert ours == {"kkr_tui", "kkr_tui.launch", "kkr_tui.quickhelp", "kkr_tui.i18n",
                    "kkr_tui.userdirs"}  # fmt: skip
    assert not _unwanted(modules - _BARE, NOT_FOR_HELP)


def test_a_command_help_builds_only_that_command() -> None:
    code, modules = _modules("search", "--help")
    assert code == 0
    assert "argparse" in modules
    assert not _unwanted(modules, {"kkr_tui.sync", "kkr_tui.store", "kkr_tui.search"})


def test_a_one_off_search_gives_no_memory_back(db: Path) -> None:
    """Giving a large vocabulary's freed memory back (ctypes and an ``ldconfig``
    subprocess, ~15 ms at 100k items) is for the long-lived reader; a one-off search
    exits at once. The threshold is lowered so the small store counts as large."""
    prelude = "import kkr_tui.search.index as index\nindex.TRIM_AFTER_TERMS = 0\n"
    run = _RUN.replace(
        "from kkr_tui.launch import main\n", prelude + "from kkr_tui.launch import main\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", run, "search", "okonomi", "--db", str(db)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    code, modules = json.loads(out.stdout.strip().splitlines()[-1])
    assert code == 0
    assert "kkr_tui.search.index" in modules
    assert not _unwanted(set(modules), {"ctypes", "subprocess"})


def test_the_reader_s_index_still_gives_memory_back(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kkr_tui.search import SearchIndex, index

    asked: list[bool] = []
    monkeypatch.setattr(index, "TRIM_AFTER_TERMS", 0)
    monkeypatch.setattr(index, "release_free_memory", lambda: asked.append(True) or True)
    with Store(db, read_only=True) as store:
        SearchIndex(store).search("okonomi")
        assert asked == [True]
        SearchIndex(store, give_back_memory=False).search("okonomi")
        assert asked == [True]


_FORWARD_REFS = (
    "import sys, typing\n"
    "made = []\n"
    "init = typing.ForwardRef.__init__\n"
    "def spy(self, arg, *rest, **kw):\n"
    "    caller = sys._getframe(1)\n"
    "    while caller and caller.f_globals.get('__name__', '').startswith('typing'):\n"
    "        caller = caller.f_back\n"
    "    name = caller.f_globals.get('__name__', '') if caller else ''\n"
    "    if name.startswith('kkr_tui'):\n"
    "        made.append(f'{name}: {arg}')\n"
    "    init(self, arg, *rest, **kw)\n"
    "typing.ForwardRef.__init__ = spy\n"
)


def test_the_search_path_compiles_no_type_names(db: Path) -> None:
    """A ``Union`` (or ``Optional``) naming a type in quotes, evaluated when a module
    loads, compiles that name (~1 ms each): type aliases of the read path are for the
    type checker only (``if TYPE_CHECKING``), as in search/termlist.py."""
    run = _FORWARD_REFS + _RUN.replace(
        "print(json.dumps([code, modules]))", "print(json.dumps([code, made]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", run, "search", "okonomi", "--db", str(db)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    code, made = json.loads(out.stdout.strip().splitlines()[-1])
    assert code == 0
    assert made == []
