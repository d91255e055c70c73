"""Related items: the same case or a clearly similar title in other meetings and councils.

Why not just the case number: KKR documents often file every item of a meeting under
one case number (all twelve items of the 18.06.2025 agenda carry SAG-2025-02162), so a
shared case number is evidence only when it is specific to the item: at most
:data:`CASE_SPECIFIC_MAX` items of its document carry it, in both documents.

Titles: folded (:mod:`kkr_tui.textfold`), digits and years removed, small words and
council names dropped, then RapidFuzz ``token_set_ratio``. Threshold
:data:`TITLE_THRESHOLD` = 75, chosen from the data (``tests/test_related.py`` keeps it
honest):

- sample pairs that are truly related score 78-100: "Status for udrulning af
  Sundhedsreformen" / "Status implementering af sundhedsreformen" 82, "Dimensionering af
  pædagoguddannelsen …" / "… sygeplejerskeuddannelsen …" 81, the same title in another
  year 100, "Greater Copenhagen EU Office" / "Handlingsplan for Greater Copenhagen" 78;
- synthetic variations of every sample title (prefix "Status for", a suffix, a dropped
  word, a typo, a year) score 89 or more;
- unrelated sample pairs: 95 % below 48, 99 % below 67, the highest 73 ("Afrapportering
  på resultatkontrakt med Erhvervshus …" / "Erhvervshus Hovedstaden – resultater …",
  which a reader would call related: the threshold trades that recall for precision).

One more rule for short titles: two titles that share a long topic word making up half
the shorter one ("Landstal for flygtninge" / "Kommunefordeling af flygtninge", 69 by
token_set_ratio) score :data:`KEYWORD_SCORE`; words of procedure ("status",
"etablering", "udpegning" …) never count, which keeps "Etablering af sundhedsklynger"
away from "… om etablering og drift af Passagerråd".

Standing items ("Godkendelse af referat", "Siden sidst", "Eventuelt", "Møde i KKR … den
…") recur in every meeting and are never related to anything: they are recognised by
:data:`STANDING_PATTERNS`, or by recurrence, when the same normalised title is found in
at least :data:`STANDING_SHARE` of a council's meetings (and at least three).

Candidates come from the full-text index on title words (``Store.search_candidates``),
never from a scan of every item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rapidfuzz import fuzz

from kkr_tui.textfold import fold

if TYPE_CHECKING:
    from kkr_tui.records import ItemRow
    from kkr_tui.store import Store

TITLE_THRESHOLD = 75.0
CASE_SPECIFIC_MAX = 2
STANDING_SHARE = 0.6
CANDIDATE_LIMIT = 400
#: A long word shared by two short titles and making up much of the shorter one
#: ("Landstal for flygtninge" / "Kommunefordeling af flygtninge") scores this.
KEYWORD_SCORE = 80.0
KEY_WORD_LETTERS = 8
KEY_WORD_SHARE = 0.5
#: Words of procedure that say nothing about the topic; never a key word.
GENERIC_WORDS = frozenset(
    [
        "etablering",
        "udpegning",
        "udpegninger",
        "orientering",
        "drofte",
        "droftelse",
        "status",
        "implementering",
        "godkendelse",
        "handlingsplan",
        "samarbejde",
        "samarbejdet",
        "strategi",
        "afrapportering",
        "opfolgning",
        "proces",
        "forslag",
        "aftale",
    ]
)

#: Folded regexes of the standing titles of KL's template.
STANDING_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        r"^godkendelse af (referat|dagsorden)",
        r"^siden sidst$",
        r"^punkter til n\w+ mode$",
        r"^eventuelt$",
        r"^mode i kkr\b.*\bden\b",
        r"^orientering fra (formand|formandskab)",
    )
)

_STOP = frozenset(
    [
        "af",
        "for",
        "og",
        "til",
        "i",
        "om",
        "med",
        "pa",
        "det",
        "den",
        "de",
        "en",
        "et",
        "fra",
        "ved",
        "samt",
        "nyt",
        "ny",
        "nye",
        "kkr",
        "kl",
    ]
    + ["hovedstaden", "sjalland", "syddanmark", "midtjylland", "nordjylland"]
)
_WORD_RE = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class RelatedItem:
    """An item in another meeting that belongs to the same case or topic."""

    item_id: int
    council: str
    meeting_date: str | None
    doc_type: str
    number: str
    title: str
    case_number: str | None
    reason: Literal["case", "title"]
    score: float


def title_words(title: str) -> list[str]:
    """The content words of a title: folded, no digits, no small words or council names."""
    return [w for w in _WORD_RE.findall(fold(title)) if w not in _STOP and len(w) > 1]


def normalise_title(title: str) -> str:
    """A title as compared for relatedness."""
    return " ".join(title_words(title))


def title_similarity(a: str, b: str) -> float:
    """0-100: how alike two titles are (token_set_ratio on normalised titles)."""
    na, nb = normalise_title(a), normalise_title(b)
    if not na or not nb:
        return 0.0
    if len(na.split()) == 1 or len(nb.split()) == 1:
        return 100.0 if na == nb else 0.0
    score = fuzz.token_set_ratio(na, nb)
    if score < KEYWORD_SCORE and _share_key_word(na.split(), nb.split()):
        return KEYWORD_SCORE
    return score


def _share_key_word(a: list[str], b: list[str]) -> bool:
    shorter = a if sum(map(len, a)) <= sum(map(len, b)) else b
    letters = sum(map(len, shorter))
    shared = (set(a) & set(b)) - GENERIC_WORDS
    return any(len(w) >= KEY_WORD_LETTERS and len(w) >= KEY_WORD_SHARE * letters for w in shared)


def is_standing_title(title: str) -> bool:
    """True for the template's standing items (approval, news, next meeting, any other business)."""
    folded = " ".join(_WORD_RE.findall(fold(title)))
    return any(p.search(folded) for p in STANDING_PATTERNS)


def _match_expression(words: list[str]) -> str | None:
    quoted = [f'"{w}"' for w in dict.fromkeys(words) if len(w) >= 3]
    if not quoted:
        return None
    return "{title_folded} : (" + " OR ".join(quoted) + ")"


def related_items(store: Store, item_id: int, *, limit: int = 20) -> list[RelatedItem]:
    """Items of other meetings with the same specific case number or a similar title, newest first.

    One entry per meeting and item number (the minutes' version when both documents are
    stored). Empty for standing items.
    """
    source = store.item_rows([item_id]).get(item_id)
    if source is None:
        return []
    if is_standing_title(source.title):
        return []
    found: dict[int, tuple[str, float]] = {}
    share = store.case_number_share([item_id]).get(item_id, 0)
    if source.case_number and 0 < share <= CASE_SPECIFIC_MAX:
        rows = store.find_items_by_case_number(source.case_number)
        shares = store.case_number_share([r.id for r in rows])
        for row in rows:
            if 0 < shares.get(row.id, 0) <= CASE_SPECIFIC_MAX:
                found[row.id] = ("case", 100.0)
    rows_by_id: dict[int, ItemRow] = {}
    expression = _match_expression(title_words(source.title))
    if expression is not None:
        candidates = store.search_candidates(expression, limit=CANDIDATE_LIMIT)
        rows_by_id = store.item_rows([i for i, _ in candidates])
        same_title = 0
        wanted = normalise_title(source.title)
        for row in rows_by_id.values():
            if row.meeting_id == source.meeting_id or row.id in found:
                continue
            score = title_similarity(source.title, row.title)
            if score >= TITLE_THRESHOLD:
                found[row.id] = ("title", round(score, 1))
            if normalise_title(row.title) == wanted:
                same_title += 1
        if _recurs_everywhere(store, source, same_title):
            return []
    missing = [i for i in found if i not in rows_by_id]
    rows_by_id.update(store.item_rows(missing))
    return _one_per_meeting_item(source, found, rows_by_id)[:limit]


def _recurs_everywhere(store: Store, source: ItemRow, others_with_same_title: int) -> bool:
    meetings = store.meeting_counts().get(source.council, 0)
    occurrences = others_with_same_title + 1
    return meetings >= 3 and occurrences >= 3 and occurrences >= STANDING_SHARE * meetings


def _one_per_meeting_item(
    source: ItemRow, found: dict[int, tuple[str, float]], rows: dict[int, ItemRow]
) -> list[RelatedItem]:
    best: dict[tuple[int, str], RelatedItem] = {}
    for item_id, (reason, score) in found.items():
        row = rows.get(item_id)
        if row is None or row.meeting_id == source.meeting_id:
            continue
        candidate = RelatedItem(
            row.id,
            row.council,
            row.meeting_date,
            row.doc_type,
            row.number,
            row.title,
            row.case_number,
            reason,  # type: ignore[arg-type]
            score,
        )
        key = (row.meeting_id, row.number)
        kept = best.get(key)
        if kept is None or (kept.doc_type, kept.reason) < (row.doc_type, reason):
            best[key] = candidate
    return sorted(
        best.values(), key=lambda r: (r.meeting_date or "", r.council, r.number), reverse=True
    )
