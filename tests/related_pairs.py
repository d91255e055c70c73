"""Labelled related / unrelated item pairs from the five samples, and how related.py does.

Items are named ``(council initial + date, number)``. :data:`RELATED` are the pairs a
reader of the documents calls the same topic; :data:`UNDECIDED` are pairs a reader
could argue either way, left out of the figures; every other pair of non-standing items
of different meetings is unrelated. ``python tests/related_pairs.py`` prints precision,
recall and every pair's score.
"""

from __future__ import annotations

import itertools
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

Key = tuple[str, str]

RELATED: tuple[tuple[Key, Key, str], ...] = (
    (("H2025-06-18", "3.3"), ("H2025-02-03", "3.2"), "sundhedsreformen, status"),
    (("H2025-06-18", "3.3"), ("M2025-06-18", "3.4"), "sundhedsreformen, status"),
    (("H2025-02-03", "3.2"), ("M2025-06-18", "3.4"), "sundhedsreformen, status"),
    (("H2025-06-18", "3.5"), ("M2025-06-18", "3.7"), "the yearly refugee quota"),
    (("H2025-06-18", "3.6"), ("M2025-06-18", "3.2"), "økonomiaftalen 2026"),
    (("H2025-06-18", "3.7"), ("M2025-06-18", "3.6"), "beskæftigelsesreformen"),
    (("H2025-02-03", "4.1"), ("H2025-06-18", "3.7"), "beskæftigelsesreformen"),
    (("H2025-02-03", "4.1"), ("M2025-06-18", "3.6"), "beskæftigelsesreformen"),
    (("H2025-02-03", "4.1"), ("H2021-04-19", "4.2"), "the new councils replace RAR"),
    (("H2025-06-18", "3.8"), ("M2025-06-18", "3.3"), "tværkommunal it-drift"),
    (("H2025-02-03", "3.7"), ("H2022-03-25", "3.2"), "dimensionering, pædagoger"),
    (("H2025-02-03", "3.7"), ("H2022-03-25", "3.3"), "dimensionering af uddannelser"),
    (("H2025-06-18", "3.4"), ("H2025-02-03", "3.4"), "the mobility strategy"),
    (("H2025-06-18", "3.4"), ("H2025-02-03", "3.3"), "the mobility analysis behind it"),
    (("H2021-04-19", "3.7"), ("H2022-03-25", "3.5"), "Erhvervshus Hovedstaden's results"),
    (("H2022-03-25", "3.1"), ("H2025-06-18", "3.1"), "the recruitment taskforce"),
    (("H2025-02-03", "3.5"), ("H2021-04-19", "3.3"), "KL's udspil on a connected Denmark"),
)
UNDECIDED: tuple[tuple[Key, Key], ...] = (
    (("H2021-04-19", "4.1"), ("H2022-03-25", "3.6")),  # EU office / Greater Copenhagen plan
    (("H2021-04-19", "4.1"), ("M2025-06-18", "3.1")),  # two EU offices
    (("H2022-03-25", "3.4"), ("H2025-06-18", "3.3")),  # sundhedsklynger 2022 / the reform
    (("H2022-03-25", "3.4"), ("H2025-02-03", "3.2")),
    (("H2022-03-25", "3.4"), ("M2025-06-18", "3.4")),
    (("H2025-02-03", "3.6"), ("M2025-06-18", "3.5")),  # climate cooperation
    (("H2021-04-19", "3.2"), ("H2025-02-03", "3.6")),  # klima VIP / Klimaalliancen
    (("H2021-04-19", "3.2"), ("M2025-06-18", "3.5")),
    (("H2022-03-25", "3.5"), ("H2022-03-25", "4.1")),
    (("H2021-04-19", "3.7"), ("H2022-03-25", "4.1")),  # Erhvervshus results / its board
    (("H2022-03-25", "3.5"), ("H2025-02-03", "2.1")),
)


@dataclass(frozen=True, slots=True)
class PairScore:
    a: Key
    b: Key
    titles: tuple[str, str]
    score: float
    related: bool


def _key(council: str, date: str | None) -> str:
    return council.removeprefix("KKR ")[0] + (date or "")


def score_pairs(store: object) -> list[PairScore]:
    """Every cross-meeting pair of non-standing items of the store, scored."""
    from kkr_tui.meetingwork.related import is_standing_title, topic_score

    items = {}
    for council in store.councils():  # type: ignore[attr-defined]
        for year in store.years(council):  # type: ignore[attr-defined]
            for meeting in store.meetings(council, year):  # type: ignore[attr-defined]
                detail = store.meeting(meeting.id)  # type: ignore[attr-defined]
                for item in detail.items:
                    if not is_standing_title(item.title):
                        items[(_key(council, meeting.meeting_date), item.number)] = (
                            item.id,
                            item.title,
                            meeting.id,
                        )
    related = {frozenset((a, b)) for a, b, _ in RELATED}
    undecided = {frozenset(p) for p in UNDECIDED}
    out = []
    for (ka, (ia, ta, ma)), (kb, (ib, tb, mb)) in itertools.combinations(sorted(items.items()), 2):
        pair = frozenset((ka, kb))
        if ma == mb or pair in undecided:
            continue
        score = topic_score(store, ia, ib)  # type: ignore[arg-type]
        out.append(PairScore(ka, kb, (ta, tb), score, pair in related))
    return out


def figures(pairs: list[PairScore], threshold: float) -> tuple[float, float, int, int]:
    """(precision, recall, related pairs, pairs above the threshold)."""
    above = [p for p in pairs if p.score >= threshold]
    hits = sum(p.related for p in above)
    related = sum(p.related for p in pairs)
    precision = hits / len(above) if above else 1.0
    return precision, hits / related if related else 1.0, related, len(above)


def main() -> None:
    from kkr_tui.ingest import ingest_paths
    from kkr_tui.meetingwork.related import THRESHOLD
    from kkr_tui.paths import sample_documents
    from kkr_tui.store import Store

    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "kkr.db") as store:
        ingest_paths(store, sample_documents())
        pairs = score_pairs(store)
    for p in sorted(pairs, key=lambda p: -p.score)[:40]:
        mark = "REL" if p.related else "   "
        print(
            f"{p.score:.3f} {mark} {p.a[0]} {p.a[1]} {p.titles[0][:34]:34} | "
            f"{p.b[0]} {p.b[1]} {p.titles[1][:34]}"
        )
    for p in pairs:
        if p.related and p.score < THRESHOLD:
            print(f"missed: {p.score:.3f} {p.titles[0]} | {p.titles[1]}")
    precision, recall, related, above = figures(pairs, THRESHOLD)
    print(
        f"{len(pairs)} pairs, {related} related; threshold {THRESHOLD}: {above} above, "
        f"precision {precision:.3f}, recall {recall:.3f}"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
