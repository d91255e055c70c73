"""What a search query asks for: its words, the filters typed with them, and a date.

Filters are words of the query (``council:midt year:2025 type:referat``, Danish keys
too), so the reader's one search line and ``kkr-tui search`` take the same queries.
A filter value that can never match (``year:20x``, ``type:protokol``) is kept as a
problem to show, not ignored: a search that silently drops a filter answers another
question than the one asked. A date written as the documents and their readers write
it (``03.02.2025``, ``3. februar 2025``, ``februar 2025``, ``2025-02-03``) becomes a
:class:`DateRange` the search narrows to. The patterns for case numbers and item
numbers live here as well: deciding whether a query *is* a number is part of reading it.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from kkr_tui.record import record
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
#: Words a question is phrased with ("hvordan går det med …", "hvem sidder i …"): they
#: do not say what an item is about, so a query drops them when other words remain.
_STOP_TEXT = (
    "af alle alt anden at blev blive bliver da de dem den denne der deres det dette dig"
    " din disse dog du efter eller en end er et for fra gik gå går ham han hans har havde"
    " have hende hendes her hos hun hvad hvem hvilke hvilken hvis hvor hvordan hvorfor i"
    " ikke ind jeg jer jo kan kunne man mange med meget men mig min mine mit mod ned noget"
    " nogle nu når og også om op os over på sig sin sine sit skal skulle som sådan til ud"
    " under var vi vil ville vor være været"
)
STOP_WORDS = frozenset(fold(word) for word in _STOP_TEXT.split())
_FILTER_RE = re.compile(r"(?<!\S)(council|råd|raad|year|år|aar|type):(\S*)", re.IGNORECASE)
_DOC_TYPES = {
    "referat": "minutes",
    "minutes": "minutes",
    "dagsorden": "agenda",
    "agenda": "agenda",
}


#: The filter values ``type:`` takes, as the user writes them.
DOC_TYPE_VALUES = ("dagsorden", "referat")
#: Month names and their common abbreviations, as Danish dates write them.
MONTHS = {
    "januar": 1, "jan": 1, "februar": 2, "feb": 2, "marts": 3, "mar": 3, "april": 4,
    "apr": 4, "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE_RE = re.compile(
    r"(?<![\w.-])(?:"
    r"(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})"
    r"|(?P<nd>\d{1,2})[./-](?P<nm>\d{1,2})[./-](?P<ny>\d{4})"
    rf"|(?:(?P<wd>\d{{1,2}})\.?\s+)?(?P<wm>{_MONTH})\.?\s+(?P<wy>\d{{4}})"
    r")(?![\w-])",
    re.IGNORECASE,
)


@record
class DateRange:
    """Meeting dates a query names: one day or a whole month (ISO, inclusive)."""

    first: str
    last: str
    text: str

    def holds(self, iso: str | None) -> bool:
        """True if a meeting on ``iso`` falls in the range."""
        return iso is not None and self.first <= iso[:10] <= self.last

    @property
    def year(self) -> int:
        """The range's year (it never spans two)."""
        return int(self.first[:4])


@record
class ParsedQuery:
    """The words of a query, the filters given with it, and the date it names.

    ``bad`` lists the filters whose value can never match, as (key, value).
    """

    text: str
    council: str | None = None
    year: int | None = None
    doc_type: str | None = None
    dates: DateRange | None = None
    bad: tuple[tuple[str, str], ...] = ()


def _date_range(match: re.Match[str]) -> DateRange | None:
    """The range a date match names, or None when it is no real date (``31.02.2025``)."""
    g = match.groupdict()
    try:
        if g["iy"]:
            day = date(int(g["iy"]), int(g["im"]), int(g["id"]))
        elif g["ny"]:
            day = date(int(g["ny"]), int(g["nm"]), int(g["nd"]))
        else:
            year, month = int(g["wy"]), MONTHS[g["wm"].casefold()]
            if not g["wd"]:
                first = date(year, month, 1).isoformat()
                return DateRange(first, f"{first[:8]}31", match.group(0))
            day = date(year, month, int(g["wd"]))
    except ValueError:
        return None
    return DateRange(day.isoformat(), day.isoformat(), match.group(0))


def parse_query(query: str) -> ParsedQuery:
    """Split ``query`` into words, filters (``council:midt year:2025 type:referat``) and
    the first date it names (taken out of the words).

    A non-numeric year or an unknown type is a problem (``bad``), never ignored.
    """
    council = year = doc_type = None
    bad: list[tuple[str, str]] = []
    for match in _FILTER_RE.finditer(query):
        key, value = match.group(1).casefold(), match.group(2)
        if not value:
            continue
        if key in ("council", "råd", "raad"):
            council = value
        elif key in ("year", "år", "aar"):
            if value.isdigit():
                year = int(value)
            else:
                bad.append(("year", value))
        elif value.casefold() in _DOC_TYPES:
            doc_type = _DOC_TYPES[value.casefold()]
        else:
            bad.append(("type", value))
    text = " ".join(_FILTER_RE.sub(" ", query).split())
    dates = None
    for match in _DATE_RE.finditer(text):
        dates = _date_range(match)
        if dates is not None:
            text = " ".join((text[: match.start()] + " " + text[match.end() :]).split())
            break
    return ParsedQuery(text, council, year, doc_type, dates, tuple(bad))


def council_key(name: str) -> str:
    """A council's name as a filter value is compared with it: folded, without "KKR "."""
    folded = fold(name)
    return folded[4:] if folded.startswith("kkr ") else folded


def resolve_councils(store: Store, value: str) -> list[str]:
    """Council names whose folded name (without "KKR ") starts with ``value``."""
    wanted = council_key(value)
    return [c for c in store.councils() if council_key(c).startswith(wanted)]


@record
class Filters:
    """A query's filters as the store takes them (council names resolved)."""

    councils: list[str] | None = None
    year: int | None = None
    doc_type: str | None = None
    dates: tuple[str, str] | None = None

    def __bool__(self) -> bool:
        return bool(self.councils) or self.year is not None or self.doc_type is not None

    def keeps(self, row: ItemRow) -> bool:
        """True if ``row`` passes every filter (for rows found without the FTS filters)."""
        return (
            (self.year is None or (row.meeting_date or "").startswith(str(self.year)))
            and (self.doc_type is None or row.doc_type == self.doc_type)
            and (self.councils is None or row.council in self.councils)
        )
