"""Which item a bilag belongs to: its title against the items' Bilag lists.

Agendas name their attachments by title only ("Bilag 3.1 Klimaplan for regionen",
"./. Notat om drikkevand"); the council page links the file with a title of its own
or just a file name. Pure and small: a bilag number ("bilag 3.1") found on both
sides settles it outright; otherwise both sides are folded to words (numbers like
``3.1`` kept whole) and the entry sharing the largest part of its words with the
bilag wins, if that part is large enough. No match leaves the bilag with its meeting only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import unquote, urlsplit

from kkr_tui.textfold import fold

#: Share of an entry's words the bilag must have (after dropping filler words).
MIN_SHARE = 0.6
_WORD = re.compile(r"\d+(?:[.-]\d+)*|[^\W\d_]+")
_NUMBER = re.compile(r"\bbilag\s*(\d+(?:[.-]\d+)+|\d+)")
_NUMBER_GAP = re.compile(r"(?<=\d) (?=\d)")
_FILLER = frozenset(
    {"bilag", "pdf", "og", "i", "til", "for", "af", "om", "med", "den", "det", "kkr"}
)


def words(text: str) -> set[str]:
    """The folded words of ``text``, numbers as one word (``3-1`` reads ``3.1``)."""
    found = {w.replace("-", ".") for w in _WORD.findall(fold(text))}
    return found - _FILLER


def bilag_number(text: str) -> str | None:
    """``3.1`` from "Bilag 3.1 …" or a file name ``bilag-3-1-…``, else None."""
    spaced = fold(text).replace("_", " ").replace("-", " ")
    found = _NUMBER.search(_NUMBER_GAP.sub(".", spaced))
    return found.group(1).strip(".") if found else None


def bilag_names(title: str, url: str) -> list[str]:
    """What a bilag is called: its link title and its file name."""
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    name = re.sub(r"\.pdf$", "", name, flags=re.IGNORECASE).replace("-", " ").replace("_", " ")
    return [title, name]


def match_item(names: Sequence[str], items: Sequence[tuple[str, Sequence[str]]]) -> str | None:
    """The number of the item whose Bilag list names this bilag, or None.

    ``items``: (item number, its Bilag list entries). Ties go to the first item.
    """
    numbers = {n for n in (bilag_number(name) for name in names) if n}
    for number, entries in items:
        if any(bilag_number(entry) in numbers for entry in entries):
            return number
    have = set().union(*(words(name) for name in names)) if names else set()
    best: tuple[float, str] | None = None
    for number, entries in items:
        for entry in entries:
            wanted = words(entry)
            if not wanted:
                continue
            share = len(wanted & have) / len(wanted)
            if share >= MIN_SHARE and (best is None or share > best[0]):
                best = (share, number)
    return best[1] if best else None
