"""Meeting facts: council, date, place, document type and participants.

Each fact is taken from the most reliable source present (STRUCTURE.md §15, §16,
"Complete documents"): the cover page first, then the running header, then the
sentences in which KKR approves its own agenda. Dates of the previous meeting (item
1.1) and of the next one ("Punkter til næste møde") are never taken.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from kkr_tui.model import COUNCILS, Participant
from kkr_tui.parser.headings import MONTH_RE, MONTHS
from kkr_tui.parser.lines import Line, RunningHeader, is_toc_line

_BASES = {c.split(" ", 1)[1]: c for c in COUNCILS}
_FOLDED_BASES = {
    unicodedata.normalize("NFKD", b.lower()).encode("ascii", "ignore").decode(): c
    for b, c in _BASES.items()
}
_FOLDED_BASES.update({b.lower().replace("æ", "ae"): c for b, c in _BASES.items()})

_KKR_NAME_RE = re.compile(r"\bKKR\s+([A-ZÆØÅ][a-zæøå]+)")
_RECOMMENDATION_RE = re.compile(r"Det\s+indstilles,?\s+at\s+KKR\s+([A-ZÆØÅ][a-zæøå]+)")
_TEXT_DATE = rf"(\d{{1,2}})\.\s*({MONTH_RE})\s+(\d{{4}})"
_TEXT_DATE_RE = re.compile(_TEXT_DATE, re.IGNORECASE)
_NUM_DATE_RE = re.compile(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4})")
_AGENDA_DATE_RE = re.compile(
    rf"dagsorden\w*\s+(?:til|for)\s+(?:det\s+)?m[øo]de\w*(?P<between>[^.]{{0,80}}?)\bden\s+{_TEXT_DATE}",
    re.IGNORECASE,
)
_THIS_MEETING_RE = re.compile(
    rf"(?P<before>\b\w+\s+)m[øo]det\s+i\s+KKR\s+\w+\s+den\s+{_TEXT_DATE}", re.IGNORECASE
)
_OTHER_MEETING_WORDS = ("næste", "sidste", "forrige", "tidligere", "seneste", "kommende")
_COVER_TYPE_RE = re.compile(r"^\s*(DAGSORDEN|REFERAT|Dagsorden|Referat)\b")
_FIELD_RE = re.compile(r"^\s*(Dato|Sted|Tid|Mødested|Mødedato)\s*:\s*(.*?)\s*$", re.IGNORECASE)
_TIME_RE = re.compile(r"\bkl\.?\s*(\d{1,2}[.:]\d{2})(?:\s*[-–]\s*(\d{1,2}[.:]\d{2}))?")
_PARTICIPANTS_RE = re.compile(
    r"^\s*(Deltagere|Deltagerfortegnelse|Deltagerliste|Til stede)\s*:?\s*$", re.IGNORECASE
)
_ABSENT_RE = re.compile(r"^\s*(Afbud|Fraværende|Afbud fra)\s*:?\s*(.*)$", re.IGNORECASE)
_SPACED_CAPS_RE = re.compile(r"(?:\S\s+){3,}\S")
_WIDE_GAP_RE = re.compile(r"\s{2,}")
_KKR_ANY_CASE_RE = re.compile(r"\bKKR\s+([A-ZÆØÅa-zæøå]+)", re.IGNORECASE)
_WHITESPACE_RE = re.compile(r"\s+")


@dataclass(slots=True)
class CoverFacts:
    """What the pages before the first section say about the meeting."""

    council: str | None = None
    date: str | None = None
    time: str | None = None
    place: str | None = None
    doc_type: str | None = None
    participants: list[Participant] = field(default_factory=list)


def canonical_council(name: str) -> str | None:
    """Map "Hovedstaden", "Hovedstadens", "HOVEDSTADEN" to "KKR Hovedstaden"."""
    key = unicodedata.normalize("NFC", name).strip().lower()
    for candidate in (key, key[:-1] if key.endswith("s") else key):
        if candidate in _FOLDED_BASES:
            return _FOLDED_BASES[candidate]
        folded = unicodedata.normalize("NFKD", candidate).encode("ascii", "ignore").decode()
        if folded in _FOLDED_BASES:
            return _FOLDED_BASES[folded]
    return None


def _iso(day: int, month: int, year: int) -> str | None:
    if not (1 <= day <= 31 and 1 <= month <= 12 and 1990 <= year <= 2100):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _text_date(match: re.Match[str], offset: int = 1) -> str | None:
    day, month, year = match.group(offset), match.group(offset + 1), match.group(offset + 2)
    return _iso(int(day), MONTHS.index(month.lower()) + 1, int(year))


def _collapse_spaced_caps(text: str) -> str:
    """``K K R  H O V E D S T A D E N`` -> ``KKR HOVEDSTADEN``."""
    stripped = text.strip()
    if _SPACED_CAPS_RE.fullmatch(stripped) and all(len(tok) == 1 for tok in stripped.split()):
        words = _WIDE_GAP_RE.split(stripped)
        return " ".join(w.replace(" ", "") for w in words)
    return stripped


def read_cover(front: list[Line]) -> CoverFacts:
    """Cover-page fields, council and participant list from the front matter."""
    facts = CoverFacts()
    in_participants = False
    absent = False
    list_page = 0
    for pos, line in enumerate(front):
        if line.blank:
            continue
        if line.page != list_page:
            # A participant list never runs on into the next page's text.
            in_participants = False
        text = line.stripped
        if line.toc or is_toc_line(text):
            in_participants = False
            continue
        collapsed = _collapse_spaced_caps(text)
        if facts.doc_type is None and _COVER_TYPE_RE.match(collapsed) and len(collapsed) < 40:
            facts.doc_type = "minutes" if collapsed.lower().startswith("referat") else "agenda"
        if facts.council is None:
            facts.council = _council_in_line(collapsed)
        field_match = _FIELD_RE.match(text)
        if field_match:
            in_participants = False
            name, value = field_match.group(1).lower(), field_match.group(2)
            if not value:
                # "Dato:" with its value on the next line, as some covers are set.
                value = next((ln.stripped for ln in front[pos + 1 : pos + 4] if not ln.blank), "")
            if name in ("dato", "mødedato"):
                facts.date = facts.date or _date_in(value)
                time = _TIME_RE.search(value)
                if time and facts.time is None:
                    facts.time = time.group(1).replace(".", ":")
            elif name in ("sted", "mødested") and value:
                facts.place = value
            elif name == "tid" and facts.time is None:
                time = _TIME_RE.search("kl. " + value) or _TIME_RE.search(value)
                facts.time = time.group(1).replace(".", ":") if time else value or None
            continue
        if _PARTICIPANTS_RE.match(text):
            in_participants, absent, list_page = True, False, line.page
            continue
        absent_match = _ABSENT_RE.match(text)
        if absent_match and (in_participants or pos > 0):
            in_participants, absent, list_page = True, True, line.page
            if absent_match.group(2):
                facts.participants.append(_participant(absent_match.group(2), True))
            continue
        if in_participants:
            facts.participants.append(_participant(text, absent))
    return facts


def _participant(text: str, absent: bool) -> Participant:
    name, _, detail = text.partition(",")
    return Participant(name.strip(" –-•"), detail.strip(), absent)


def _council_in_line(text: str) -> str | None:
    match = _KKR_ANY_CASE_RE.search(text)
    if match:
        return canonical_council(match.group(1))
    squeezed = _WHITESPACE_RE.sub("", text).lower()
    if squeezed.startswith("kkr"):
        return canonical_council(squeezed[3:])
    return None


def _date_in(value: str) -> str | None:
    match = _NUM_DATE_RE.search(value)
    if match:
        return _iso(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    match = _TEXT_DATE_RE.search(value)
    return _text_date(match) if match else None


def council_from(
    cover: CoverFacts,
    headers: list[RunningHeader],
    recommendations: Callable[[], str],
    body: Callable[[], str],
) -> str | None:
    """The council: cover, running header, then the most frequent ``KKR <Name>``.

    ``recommendations`` and ``body`` give the text of the Indstilling parts and of all
    parts; they are called only when cover and headers do not name the council, which
    is rare, so the whole meeting's text is not joined for nothing."""
    if cover.council:
        return cover.council
    votes = Counter(c for c in (canonical_council(h.council.split()[-1]) for h in headers) if c)
    if votes:
        return votes.most_common(1)[0][0]
    for pattern, text in ((_RECOMMENDATION_RE, recommendations), (_KKR_NAME_RE, body)):
        votes = Counter(
            c for c in (canonical_council(m.group(1)) for m in pattern.finditer(text())) if c
        )
        if votes:
            return votes.most_common(1)[0][0]
    return None


def date_from_headers(headers: list[RunningHeader]) -> str | None:
    votes = Counter(_iso(d, m, y) for (y, m, d) in (h.date for h in headers))
    votes.pop(None, None)
    return votes.most_common(1)[0][0] if votes else None


def date_from_agenda_approval(text: str) -> str | None:
    """ "godkender dagsordenen til mødet den 18. juni 2025" names this meeting."""
    votes: Counter[str] = Counter()
    for match in _AGENDA_DATE_RE.finditer(text):
        if any(word in match.group("between").lower() for word in _OTHER_MEETING_WORDS):
            continue
        iso = _text_date(match, 2)
        if iso:
            votes[iso] += 1
    return votes.most_common(1)[0][0] if votes else None


def date_from_body(text: str) -> str | None:
    """ "på mødet i KKR Hovedstaden den 25. marts 2022" when nothing better exists."""
    votes: Counter[str] = Counter()
    for match in _THIS_MEETING_RE.finditer(text):
        if any(word in match.group("before").lower() for word in _OTHER_MEETING_WORDS):
            continue
        iso = _text_date(match, 2)
        if iso:
            votes[iso] += 1
    return votes.most_common(1)[0][0] if votes else None
