"""Related items: the same case or the same topic in other meetings and councils.

Topic is read from what the items say, not from lists of words: a "more like this"
over the full-text index.

1. The source item's *distinctive terms*: every word of its folded title (counted
   :data:`TITLE_TF` times) and body, weighted ``(1 + log tf) · log(N / df)`` — frequent
   in the item, rare in the archive. Words of the stored councils' names, numbers,
   words under :data:`MIN_LETTERS` letters and words in over :data:`MAX_DF_SHARE` of all
   items (boilerplate such as "indstilles"; at least :data:`MIN_DF_CAP`) are left out;
   so are words only this item holds (they cannot match another).
   The best :data:`TERMS` make the query.
2. ``Store.similar_items`` scores every item holding any of them by BM25 (title words
   count three times). Dividing by the source's own score gives how much of the
   source's profile the other item carries: ``a→b`` in 0‥1.
3. Relatedness is symmetric, so the same is done from each candidate back to the source
   (``b→a``) and the two are combined as their geometric mean: an item that mentions the
   source's topic in passing scores high one way and low the other.
4. The titles add :data:`TITLE_WEIGHT` of the score: the share of the rarer title's
   rarity weight that the two titles share ("Kommunefordeling af flygtninge for 2026" /
   "Landstallet for flygtninge 2026" share the rare "flygtninge").

Threshold :data:`THRESHOLD` = 0.24, chosen on the labelled pairs of the five samples
(``tests/related_pairs.py``; ``python tests/related_pairs.py`` prints the figures).
All 762 cross-meeting pairs of non-standing sample items were scored: 15 of the 17
related pairs score 0.241-1.00 (the refugee quota pair 0.76); the other two, "Nye
beskæftigelsesråd og beskæftigelsesreform" / "Politisk aftale om reform af
beskæftigelsesindsatsen" (0.06), share their topic only inside different compounds.
The highest unrelated pair scores 0.224 ("Status for udrulning af Sundhedsreformen" /
"Drøftelse af rammerne for det fremtidige tværkommunale samarbejde", which share
people's names and "sundhedsreformen" in the body), the next 0.216. 0.24 sits in the
gap: precision 1.00, recall 0.88 on the samples. The gap is narrow (0.224-0.241), so
expect the odd false friend or miss on a larger archive; both sides of the threshold
are ratios to the item's own score, so it does not depend on the archive's size.

A case number is evidence only when it is specific to the item: KL files every item of
a meeting under one case number (all of Midtjylland 18.06.2025 but two carry
SAG-2025-01937), so it counts only when at most :data:`CASE_SPECIFIC_MAX` items of its
document carry it, in both documents.

Standing items (approval of minutes, Siden sidst, Eventuelt, Punkter til næste møde)
recur in every meeting and are never related to anything: recognised by
:data:`STANDING_PATTERNS`, the titles of KL's template.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import TYPE_CHECKING, Literal

from kkr_tui.record import record
from kkr_tui.records import AtItem, ItemRef
from kkr_tui.textfold import fold

if TYPE_CHECKING:
    from kkr_tui.records import ItemRow
    from kkr_tui.store import Store

THRESHOLD = 0.24
TITLE_WEIGHT = 0.25
TERMS = 20
TITLE_TF = 3
MIN_LETTERS = 4
MAX_DF_SHARE = 0.25
#: Below this many items a share says little: a word is "too common" only above this.
MIN_DF_CAP = 5
CANDIDATES = 60
#: Candidates whose one-way score is below this are not worth the way back.
ONE_WAY_MIN = 0.05
CHECKED_BACK = 20
CASE_SPECIFIC_MAX = 2

#: Folded regexes of the standing titles of KL's template.
STANDING_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        r"^godkendelse af (referat|dagsorden)",
        r"^siden sidst$",
        r"^punkter til \w+ mode$",
        r"^eventuelt$",
        r"^mode i kkr\b.*\bden\b",
        r"^orientering fra (formand|formandskab)",
    )
)
_TOKEN_RE = re.compile(r"[a-z0-9]+")
_WORD_RE = re.compile(r"[^\W\d_]+")


@record
class RelatedItem(AtItem):
    """An item in another meeting that belongs to the same case or topic."""

    ref: ItemRef
    case_number: str | None
    reason: Literal["case", "topic"]
    score: float


def is_standing_title(title: str) -> bool:
    """True for the template's standing items (approval, news, next meeting, any other business)."""
    folded = " ".join(_WORD_RE.findall(fold(title)))
    return any(p.search(folded) for p in STANDING_PATTERNS)


class _Profiles:
    """Distinctive terms of items, computed once per :func:`related_items` call."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.total = max(1, store.item_count())
        self.council_words = {w for c in store.councils() for w in _TOKEN_RE.findall(fold(c))}
        self._terms: dict[int, list[str]] = {}
        self._titles: dict[int, dict[str, float]] = {}

    def _usable(self, word: str) -> bool:
        return len(word) >= MIN_LETTERS and not word.isdigit() and word not in self.council_words

    def load(self, item_ids: list[int]) -> None:
        missing = [i for i in item_ids if i not in self._terms]
        texts = self.store.folded_texts(missing)
        counts: dict[int, Counter[str]] = {}
        title_words: dict[int, set[str]] = {}
        for item_id, (title, body) in texts.items():
            tf: Counter[str] = Counter()
            words = [w for w in _TOKEN_RE.findall(title) if self._usable(w)]
            for word in words:
                tf[word] += TITLE_TF
            tf.update(w for w in _TOKEN_RE.findall(body) if self._usable(w))
            counts[item_id] = tf
            title_words[item_id] = set(words)
        vocabulary = sorted({w for tf in counts.values() for w in tf})
        df = self.store.term_counts(vocabulary) if vocabulary else {}
        limit = max(MAX_DF_SHARE * self.total, MIN_DF_CAP)
        for item_id, tf in counts.items():
            weights = {
                w: (1 + math.log(n)) * math.log(self.total / df[w])
                for w, n in tf.items()
                if 2 <= df.get(w, 0) <= limit
            }
            self._terms[item_id] = sorted(weights, key=lambda w: (-weights[w], w))[:TERMS]
            self._titles[item_id] = {
                w: math.log(self.total / df[w]) for w in title_words[item_id] if df.get(w, 0) >= 1
            }
        for item_id in missing:
            self._terms.setdefault(item_id, [])
            self._titles.setdefault(item_id, {})

    def terms(self, item_id: int) -> list[str]:
        self.load([item_id])
        return self._terms[item_id]

    def title_overlap(self, a: int, b: int) -> float:
        """Share of the lighter title's rarity weight that both titles hold."""
        self.load([a, b])
        ta, tb = self._titles[a], self._titles[b]
        lighter = min(sum(ta.values()), sum(tb.values()))
        if lighter <= 0:
            return 0.0
        return min(1.0, sum(ta[w] for w in ta.keys() & tb.keys()) / lighter)

    def one_way(self, source: int, other: int) -> float:
        """How much of ``source``'s profile ``other`` carries (0‥1)."""
        scores = dict(self.store.similar_items(self.terms(source), limit=2, among=[source, other]))
        own = scores.get(source, 0.0)
        return min(1.0, scores.get(other, 0.0) / own) if own > 0 else 0.0


def topic_score(store: Store, a: int, b: int) -> float:
    """0‥1: how much two items are about the same thing (see the module docstring)."""
    profiles = _Profiles(store)
    return _pair_score(profiles, a, b, profiles.one_way(a, b))


def _pair_score(profiles: _Profiles, a: int, b: int, forward: float) -> float:
    back = profiles.one_way(b, a)
    text = math.sqrt(max(0.0, forward) * max(0.0, back))
    return (1 - TITLE_WEIGHT) * text + TITLE_WEIGHT * profiles.title_overlap(a, b)


def related_items(store: Store, item_id: int, *, limit: int = 20) -> list[RelatedItem]:
    """Items of other meetings on the same specific case or the same topic, newest first.

    One entry per meeting and item number (the minutes' version when both documents are
    stored). Empty for standing items.
    """
    source = store.item_rows([item_id]).get(item_id)
    if source is None or is_standing_title(source.title):
        return []
    found: dict[int, tuple[str, float]] = {}
    share = store.case_number_share([item_id]).get(item_id, 0)
    if source.case_number and 0 < share <= CASE_SPECIFIC_MAX:
        rows = store.find_items_by_case_number(source.case_number)
        shares = store.case_number_share([r.id for r in rows])
        for row in rows:
            if 0 < shares.get(row.id, 0) <= CASE_SPECIFIC_MAX:
                found[row.id] = ("case", 1.0)
    profiles = _Profiles(store)
    terms = profiles.terms(item_id)
    scored = dict(store.similar_items(terms, limit=CANDIDATES)) if terms else {}
    own = scored.get(item_id, 0.0)
    rows_by_id = store.item_rows(list(scored)) if own > 0 else {}
    forward = {
        i: s / own
        for i, s in scored.items()
        if own > 0
        and i in rows_by_id
        and rows_by_id[i].meeting_id != source.meeting_id
        and s / own >= ONE_WAY_MIN
        and not is_standing_title(rows_by_id[i].title)
    }
    best = sorted(forward, key=lambda i: -forward[i])[:CHECKED_BACK]
    profiles.load(best + [item_id])
    for other in best:
        if other in found:
            continue
        score = _pair_score(profiles, item_id, other, min(1.0, forward[other]))
        if score >= THRESHOLD:
            found[other] = ("topic", round(score, 3))
    missing = [i for i in found if i not in rows_by_id]
    rows_by_id.update(store.item_rows(missing))
    return _one_per_meeting_item(source, found, rows_by_id)[:limit]


def _one_per_meeting_item(
    source: ItemRow, found: dict[int, tuple[str, float]], rows: dict[int, ItemRow]
) -> list[RelatedItem]:
    best: dict[tuple[int, str], RelatedItem] = {}
    for item_id, (reason, score) in found.items():
        row = rows.get(item_id)
        if row is None or row.meeting_id == source.meeting_id:
            continue
        candidate = RelatedItem(
            row.ref,
            row.case_number,
            # "case" or "topic": the only reasons found here (a str to mypy).
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
