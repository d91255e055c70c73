"""What a search query asks for: its words and the filters typed with them.

Filters are words of the query (``council:midt year:2025 type:referat``, Danish keys
too), so the reader's one search line and ``kkr-tui search`` take the same queries.
The patterns for case numbers and item numbers live here as well: deciding whether a
query *is* a number is part of reading it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kkr_tui.textfold import fold

if TYPE_CHECKING:
    from kkr_tui.records import ItemRow
    from kkr_tui.store import Store

#: A case number, with or without its ``SAG-`` prefix: year and serial.
CASE_RE = re.compile(r"^(?:sag[-\s]?)?(\d{4})-(\d{5})$", re.IGNORECASE)
#: An item number such as ``3.4``.
NUMBER_RE = re.compile(r"^\d{1,2}\.\d{1,2}\.?$")
#: A word of text (letters and digits; punctuation splits).
TOKEN_RE = re.compile(r"[^\W_]+")
_FILTER_RE = re.compile(r"(?<!\S)(council|råd|raad|year|år|aar|type):(\S*)", re.IGNORECASE)
_DOC_TYPES = {
    "referat": "minutes",
    "minutes": "minutes",
    "dagsorden": "agenda",
    "agenda": "agenda",
}


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """The words of a query and the filters given with it."""

    text: str
    council: str | None = None
    year: int | None = None
    doc_type: str | None = None


def parse_query(query: str) -> ParsedQuery:
    """Split ``query`` into words and filters (``council:midt year:2025 type:referat``).

    Unknown type values and non-numeric years are ignored rather than matching nothing.
    """
    council = year = doc_type = None
    for match in _FILTER_RE.finditer(query):
        key, value = match.group(1).casefold(), match.group(2)
        if not value:
            continue
        if key in ("council", "råd", "raad"):
            council = value
        elif key in ("year", "år", "aar"):
            year = int(value) if value.isdigit() else year
        else:
            doc_type = _DOC_TYPES.get(value.casefold(), doc_type)
    text = " ".join(_FILTER_RE.sub(" ", query).split())
    return ParsedQuery(text, council, year, doc_type)


def council_key(name: str) -> str:
    """A council's name as a filter value is compared with it: folded, without "KKR "."""
    folded = fold(name)
    return folded[4:] if folded.startswith("kkr ") else folded


def resolve_councils(store: Store, value: str) -> list[str]:
    """Council names whose folded name (without "KKR ") starts with ``value``."""
    wanted = council_key(value)
    return [c for c in store.councils() if council_key(c).startswith(wanted)]


@dataclass(frozen=True, slots=True)
class Filters:
    """A query's filters as the store takes them (council names resolved)."""

    councils: list[str] | None = None
    year: int | None = None
    doc_type: str | None = None

    def __bool__(self) -> bool:
        return bool(self.councils) or self.year is not None or self.doc_type is not None

    def keeps(self, row: ItemRow) -> bool:
        """True if ``row`` passes every filter (for rows found without the FTS filters)."""
        return (
            (self.year is None or (row.meeting_date or "").startswith(str(self.year)))
            and (self.doc_type is None or row.doc_type == self.doc_type)
            and (self.councils is None or row.council in self.councils)
        )
