"""What a fresh database holds, kept between processes: the answer of
:func:`kkr_tui.store.safety.expected_objects` in the user's cache folder.

Why: every open checks the file's schema objects against those of a fresh database,
which :mod:`.safety` builds in memory by running the whole schema (about 70 tables,
FTS5 indexes and triggers): ~3.5 ms of CPU, paid by every one-off command and by the
reader's start, always with the same answer. The answer is the same as long as the
code that built it and SQLite are the same, so it is kept with what it came from:
the SQLite version (in the file's name) and the size and modification time of every
kkr-tui module loaded when it was built (the code that builds the schema is among them,
and a module it newly imports can only come through an edit of one of them; Python
trusts the same two numbers for its own ``.pyc`` files). Any difference, or a file that
cannot be read, builds the answer again; a cache that cannot be written is skipped.

The check stays as strict as it was: only its expected side is remembered, never
anything about a database. The file is trusted as the user's own files are (a program
that can write the user's cache folder can as well edit their config or the database);
the database, the file people copy and share, is still never trusted
(docs/RELIABILITY.md).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
from collections.abc import Callable

#: Bumped when the file's layout changes (an older file is then built again).
FORMAT = 1

Objects = dict[tuple[str, str], str]


def _package_key() -> str:
    """A short stable name for this copy of kkr-tui (FNV-1a of its folder), so several
    checkouts or installs sharing one cache folder do not overwrite each other's file."""
    folder = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    digest = 0xCBF29CE484222325
    for byte in folder.encode("utf-8", "surrogateescape"):
        digest = ((digest ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{digest:016x}"


def cache_file() -> str:
    """Where the answer is kept for this copy of kkr-tui and this SQLite."""
    from kkr_tui.userdirs import user_dir

    name = f"schema-objects-{_package_key()}-sqlite{sqlite3.sqlite_version}.json"
    return os.path.join(user_dir("cache"), name)


def _sources() -> list[list[object]]:
    """``[file, size, mtime_ns]`` of every kkr-tui module loaded now."""
    found: list[list[object]] = []
    for name, module in list(sys.modules.items()):
        if name != "kkr_tui" and not name.startswith("kkr_tui."):
            continue
        path = getattr(module, "__file__", None)
        if not path:
            continue
        try:
            stat = os.stat(path)
        except OSError:
            continue
        found.append([path, stat.st_size, stat.st_mtime_ns])
    return sorted(found)


def _unchanged(sources: object) -> bool:
    if not isinstance(sources, list) or not sources:
        return False
    for entry in sources:
        path, size, mtime = entry
        try:
            stat = os.stat(path)
        except OSError:
            return False
        if stat.st_size != size or stat.st_mtime_ns != mtime:
            return False
    return True


def _read(path: str) -> Objects | None:
    try:
        with open(path, encoding="utf-8") as file:
            kept = json.load(file)
        if kept.get("format") != FORMAT or not _unchanged(kept.get("sources")):
            return None
        return {(kind, name): sql for kind, name, sql in kept["objects"]}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _write(path: str, objects: Objects) -> None:
    kept = {
        "format": FORMAT,
        "sources": _sources(),
        "objects": sorted([kind, name, sql] for (kind, name), sql in objects.items()),
    }
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temporary, "w", encoding="utf-8") as file:
            json.dump(kept, file)
        os.replace(temporary, path)  # whole or not at all, for a process reading it now
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def expected(build: Callable[[], Objects]) -> Objects:
    """``build()``'s answer, from the cache file when what built it is unchanged."""
    path = cache_file()
    kept = _read(path)
    if kept is not None:
        return kept
    built = build()
    _write(path, built)
    return built
