"""A large store's search vocabulary saved to a file, read back in one go.

Rebuilding the vocabulary of a 1M-item store from the database takes about five
seconds (192 pages of 10k terms, then a sort), which a one-off ``kkr-tui search`` or
the first search after start-up would otherwise wait for; reading this file back
takes a fraction of that. It is a cache in the user cache folder: named by the store's
id and stamped with its content version (``Store.content_version``), written to a
temporary name and renamed, and ignored whenever anything in it does not match, so it
can never make a search see other terms than the database holds, and it is safe to
delete.

Layout (format 3): a JSON header padded to 4 kB, then the raw sections it lists, each
at an offset that is a multiple of 64 kB (what ``mmap`` needs of an offset, on every
platform): each term list's text (UTF-8) and offsets, the document counts, and the
shapes' group keys and starts (:mod:`.shapes`), in this machine's byte order. It is not
read but mapped (``mmap``): the term lists and counts are used where they lie in the
file, so opening it costs well under a millisecond at any size, and only the pages a
search touches are ever read. Older formats are not read: format 1 (three term lists,
one of them a second copy of most terms, read whole: ~0.1 s of CPU and ~40 MB more at
1M items) and format 2 (no shapes: a typo's first look-up would build them, ~1 s at
1M) are rebuilt and overwritten like a stale file.
"""

from __future__ import annotations

import json
import os
import sys
import time
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from kkr_tui.paths import cache_dir
from kkr_tui.search.shapes import Shapes
from kkr_tui.search.termlist import TermList

if TYPE_CHECKING:
    import mmap

    from kkr_tui.search.vocabulary import Counts

FORMAT = 3
#: Snapshots kept in the cache folder (one per database; ~97 MB each at 1M items).
KEEP_SNAPSHOTS = 3
#: Bytes kept for the JSON header at the start (padded with spaces).
_HEADER_MAX = 4096
#: Every section starts at a multiple of this: the largest allocation granularity
#: (Windows'; 4 kB elsewhere), so a section can be mapped on its own.
_ALIGN = 1 << 16
#: The term lists of a snapshot, in order.
_LISTS = ("terms", "frequent", "shapes")
#: Its other sections: the counts, the shapes' group keys and group starts.
_NUMBERS = ("docs", "keys", "groups")

#: The sorted terms, their document counts, the terms of several items by count, the
#: terms by kind and length.
Parts = tuple[TermList, "Counts", TermList, Shapes]


def snapshot_dir() -> Path:
    """Where the snapshots live."""
    return cache_dir() / "vocabulary"


def snapshot_path(store_id: str) -> Path:
    """The snapshot file of the store with this id (one per store, overwritten)."""
    safe = "".join(ch for ch in store_id if ch.isalnum())[:64] or "unknown"
    return snapshot_dir() / f"{safe}.bin"


def save(
    key: tuple[str, int],
    terms: TermList,
    docs: Counts,
    frequent: TermList,
    shapes: Shapes | None = None,
) -> bool:
    """Write the vocabulary of the store ``key`` = (id, content version); False if the
    cache folder cannot be written (the search works on without it). ``shapes`` are
    built here when not given.

    Sections are written one at a time straight from their buffers, so saving needs no
    memory beyond the vocabulary itself; the header, written last into the space kept
    for it, records where they lie.
    """
    if shapes is None:
        shapes = Shapes.build(terms, docs)
    lists = (("terms", terms), ("frequent", frequent), ("shapes", shapes.terms))
    numbers = (("docs", docs), ("keys", shapes.keys), ("groups", shapes.starts))
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
                    offset = _pad(out)
                    sections.append([name, "text", offset, out.write(termlist.text)])
                    offset = _pad(out)
                    kind = _typecode(termlist.starts)
                    sections.append([name, kind, offset, out.write(termlist.starts)])
                for name, values in numbers:
                    offset = _pad(out)
                    sections.append([name, _typecode(values), offset, out.write(values)])
                header = json.dumps(
                    {
                        "format": FORMAT,
                        "store": key[0],
                        "version": key[1],
                        "byteorder": sys.byteorder,
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


def _typecode(numbers: Counts) -> str:
    """The array typecode of ``numbers`` (an array, or a view cast to one)."""
    return numbers.format if isinstance(numbers, memoryview) else numbers.typecode


def _pad(out: BinaryIO) -> int:
    """Pad ``out`` to the next multiple of :data:`_ALIGN`; the offset reached."""
    position = out.tell()
    gap = -position % _ALIGN
    if gap:
        out.write(b"\0" * gap)
    return position + gap


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


def load(key: tuple[str, int]) -> Parts | None:
    """The saved vocabulary of the store ``key`` = (id, content version), or None when
    there is none for exactly that version (or the file is unreadable, of another
    format, truncated or damaged in its layout).

    The lists are maps of the file, valid for as long as they are used: a snapshot is
    only ever replaced by renaming a new file over it, never written in place."""
    import mmap  # only a large store has a snapshot to read

    try:
        with snapshot_path(key[0]).open("rb") as f:
            whole = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            return _read(f.fileno(), whole, key)
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def _read(fd: int, whole: mmap.mmap, key: tuple[str, int]) -> Parts | None:
    import mmap

    header = json.loads(whole[:_HEADER_MAX])
    if (
        header.get("format") != FORMAT
        or header.get("store") != key[0]
        or header.get("version") != key[1]
        or header.get("byteorder") != sys.byteorder
    ):
        return None
    lists: dict[str, TermList] = {}
    numbers: dict[str, Counts] = {}
    texts: dict[str, mmap.mmap | bytes] = {}
    end = _HEADER_MAX
    for name, kind, offset, size in header["sections"]:
        if not (end <= offset and offset + size <= len(whole)) or offset % _ALIGN:
            return None
        end = offset + size
        if kind == "text":
            # Its own map, so positions in it are positions in the text (mmap cannot
            # map nothing: an empty list's text is never empty, it holds a newline).
            texts[name] = mmap.mmap(fd, size, access=mmap.ACCESS_READ, offset=offset)
            continue
        values = memoryview(whole)[offset:end].cast(kind)
        if name in _NUMBERS:
            numbers[name] = values
            continue
        termlist = TermList.adopt(texts.pop(name), values)
        if len(termlist.starts) == 0 or termlist.starts[-1] != len(termlist.text):
            return None
        lists[name] = termlist
    if end != len(whole) or set(lists) != set(_LISTS) or set(numbers) != set(_NUMBERS):
        return None
    terms, frequent, by_shape = lists["terms"], lists["frequent"], lists["shapes"]
    docs, keys, groups = numbers["docs"], numbers["keys"], numbers["groups"]
    if (
        len(docs) != len(terms)
        or len(frequent) > len(terms)
        or len(by_shape) != len(terms)
        or len(keys) != len(groups)
        or (len(groups) > 0 and groups[-1] >= len(terms))
    ):
        return None
    return terms, docs, frequent, Shapes(by_shape, keys, groups)
