"""A large store's search vocabulary saved to a file, read back in one go.

Rebuilding the vocabulary of a 1M-item store from the database takes about five
seconds (192 pages of 10k terms, then a sort), which a one-off ``kkr-tui search`` or
the first search after start-up would otherwise wait for; reading this file back
takes a fraction of that. It is a cache in the user cache folder: named by the store's
id and stamped with its content version (``Store.content_version``), written to a
temporary name and renamed, and ignored whenever anything in it does not match, so it
can never make a search see other terms than the database holds, and it is safe to
delete.

Layout: a JSON header padded to 4 kB, then the raw sections it lists: each term list's text
(UTF-8) and offsets, and the document counts, in this machine's byte order.
"""

from __future__ import annotations

import json
import os
import sys
import time
from array import array
from contextlib import suppress
from pathlib import Path
from typing import BinaryIO

from kkr_tui.paths import cache_dir
from kkr_tui.search.termlist import TermList

FORMAT = 1
#: Snapshots kept in the cache folder (one per database; ~90 MB each at 1M items).
KEEP_SNAPSHOTS = 3
#: Characters encoded at a time when saving.
_TEXT_SLICE = 1 << 20
#: Bytes kept for the JSON header at the start (padded with spaces).
_HEADER_MAX = 4096

Parts = tuple[TermList, "array[int]", tuple[TermList, ...]]


def snapshot_dir() -> Path:
    """Where the snapshots live."""
    return cache_dir() / "vocabulary"


def snapshot_path(store_id: str) -> Path:
    """The snapshot file of the store with this id (one per store, overwritten)."""
    safe = "".join(ch for ch in store_id if ch.isalnum())[:64] or "unknown"
    return snapshot_dir() / f"{safe}.bin"


def save(
    key: tuple[str, int], terms: TermList, docs: array[int], tiers: tuple[TermList, ...]
) -> bool:
    """Write the vocabulary of the store ``key`` = (id, content version); False if the
    cache folder cannot be written (the search works on without it).

    Sections are written one at a time (arrays straight from their buffers, texts a
    slice at a time), so saving needs almost no memory beyond the vocabulary itself;
    the header, written last into the space kept for it, records their sizes.
    """
    lists = (("terms", terms), *((f"tier{i}", t) for i, t in enumerate(tiers)))
    import tempfile  # only a large store's first load saves; every search may load

    path = snapshot_path(key[0])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".vocabulary-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(b" " * _HEADER_MAX)
                sections: list[list[object]] = []
                for name, termlist in lists:
                    sections.append([name, "text", _write_text(out, termlist.text)])
                    sections.append([name, termlist.starts.typecode, out.write(termlist.starts)])
                sections.append(["docs", docs.typecode, out.write(docs)])
                header = json.dumps(
                    {
                        "format": FORMAT,
                        "store": key[0],
                        "version": key[1],
                        "byteorder": sys.byteorder,
                        "tiers": len(tiers),
                        "sections": sections,
                    }
                ).encode()
                if len(header) >= _HEADER_MAX:
                    raise OSError("snapshot header too long")
                out.seek(0)
                out.write(header)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    prune(keep=path)
    return True


def prune(keep: Path) -> None:
    """Keep the cache small: the :data:`KEEP_SNAPSHOTS` most recently written snapshots
    (``keep`` always among them) and no temporary file older than an hour (left by a
    process killed while writing). Snapshots of deleted databases go this way too."""
    now = time.time()
    try:
        entries = [(p, p.stat().st_mtime) for p in keep.parent.iterdir()]
    except OSError:
        return
    snapshots = sorted(
        ((mtime, p) for p, mtime in entries if p.suffix == ".bin" and p != keep), reverse=True
    )
    stale = [p for _, p in snapshots[KEEP_SNAPSHOTS - 1 :]]
    stale += [p for p, mtime in entries if p.name.startswith(".vocabulary-") and now - mtime > 3600]
    for p in stale:
        with suppress(OSError):
            p.unlink()


def _write_text(out: BinaryIO, text: str) -> int:
    """Write ``text`` as UTF-8 a slice at a time (slices of a ``str`` never split a
    character), so saving never holds a whole term list's text as bytes; its size."""
    size = 0
    for start in range(0, len(text), _TEXT_SLICE):
        size += out.write(text[start : start + _TEXT_SLICE].encode("utf-8", "surrogatepass"))
    return size


def load(key: tuple[str, int]) -> Parts | None:
    """The saved vocabulary of the store ``key`` = (id, content version), or None when
    there is none for exactly that version (or the file is unreadable)."""
    try:
        with snapshot_path(key[0]).open("rb") as f:
            return _read(f, key)
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None


def _read(f: BinaryIO, key: tuple[str, int]) -> Parts | None:
    header = json.loads(f.read(_HEADER_MAX))
    if (
        header.get("format") != FORMAT
        or header.get("store") != key[0]
        or header.get("version") != key[1]
        or header.get("byteorder") != sys.byteorder
    ):
        return None
    lists: dict[str, TermList] = {}
    docs: array[int] | None = None
    texts: dict[str, str] = {}
    for name, kind, size in header["sections"]:
        data = f.read(size)
        if len(data) != size:
            return None
        if kind == "text":
            texts[name] = data.decode("utf-8", "surrogatepass")
            continue
        numbers = array(kind)
        numbers.frombytes(data)
        if name == "docs":
            docs = numbers
            continue
        termlist = TermList.adopt(texts.pop(name), numbers)
        if len(termlist.starts) == 0 or termlist.starts[-1] != len(termlist.text):
            return None
        lists[name] = termlist
    if f.read(1):
        return None
    terms = lists["terms"]
    tiers = tuple(lists[f"tier{i}"] for i in range(header["tiers"]))
    if docs is None or len(docs) != len(terms) or sum(map(len, tiers)) != len(terms):
        return None
    return terms, docs, tiers
