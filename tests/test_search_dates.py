"""A date range is asked of the full-text index as runs of item ids (store/reads.py
``date_runs``): the candidates must be exactly those of the range, newest first, however
the runs fall (one, several, merged over gaps) and after more documents are stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_factory import make_meeting

from kkr_tui.records import ItemRow
from kkr_tui.store import Store, reads

#: Meeting dates in the order they are stored: a month's documents are far apart in ids.
DATES = ["2025-03-10", "2025-02-03", "2024-02-20", "2025-02-24", "2025-04-01", "2025-02-11"]
FEBRUARY = ("2025-02-01", "2025-02-31")


def _save(store: Store, n: int, date: str, doc_type: str = "agenda") -> None:
    items = [(f"3.{i}", f"Fjernvarme {n}.{i}", None, {"Sagsfremstilling": "fjernvarme"})
             for i in range(1, 6)]  # fmt: skip
    store.save_document(
        make_meeting(items, date=date, doc_type=doc_type, source=f"{n}.txt"),
        path=f"/{n}-{doc_type}.txt",
        sha256=f"{n}-{doc_type}",
        parser_version="1",
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "dates.db")
    for n, date in enumerate(DATES):
        _save(store, n, date)
        _save(store, n, date, "minutes")
    return store


def _expected(store: Store, titles: bool, limit: int) -> list[tuple[int, str]]:
    every = store.search_candidates('"fjernvarme"', limit=10_000, titles=titles)
    rows = store.item_rows([i for i, _ in every])
    inside = [c for c in every if FEBRUARY[0] <= (rows[c[0]].meeting_date or "") <= FEBRUARY[1]]
    return inside[:limit]


@pytest.mark.parametrize(("gap", "most"), [(0, 16), (0, 2), (0, 1), (4096, 16)])
@pytest.mark.parametrize("title_gap", [0, 65_536])
@pytest.mark.parametrize("titles", [True, False])
@pytest.mark.parametrize("limit", [1, 7, 100])
def test_the_range_gives_its_own_items_newest_first(
    store: Store,
    gap: int,
    most: int,
    title_gap: int,
    titles: bool,
    limit: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """However the runs are merged (gaps checked by document) and however many runs
    one query looks in (the title index asks neighbouring runs at once)."""
    monkeypatch.setattr(reads, "DATE_RUN_GAP", gap)
    monkeypatch.setattr(reads, "MAX_DATE_RUNS", most)
    monkeypatch.setattr(reads, "TITLE_RUN_GAP", title_gap)
    found = store.search_candidates('"fjernvarme"', limit=limit, titles=titles, dates=FEBRUARY)
    assert found == _expected(store, titles, limit)
    assert len(found) == min(limit, 30)


def test_runs_follow_the_documents(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reads, "DATE_RUN_GAP", 1)
    found = reads.date_runs(store._conn, FEBRUARY)
    runs = found.runs
    assert len(runs) == 3  # three February meetings, each two documents in a row
    assert runs == sorted(runs, reverse=True)
    assert len(found.documents) == 6
    monkeypatch.setattr(reads, "MAX_DATE_RUNS", 2)
    merged = reads.date_runs(store._conn, FEBRUARY).runs
    assert len(merged) == 2 and merged[-1][0] == runs[-1][0] and merged[0][1] == runs[0][1]


def test_a_range_without_meetings_asks_nothing(store: Store) -> None:
    january = ("2019-01-01", "2019-01-31")
    found = reads.date_runs(store._conn, january)
    assert found.runs == [] and found.documents == ()
    assert store.search_candidates('"fjernvarme"', limit=10, dates=january) == []


def test_neighbouring_runs_are_one_title_query(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The title index is asked once for runs close together (its prefix merge is paid
    per query); the full index once per run."""
    monkeypatch.setattr(reads, "DATE_RUN_GAP", 1)
    asked: list[bool] = []
    real = reads._candidates

    def spy(*args: object) -> list[tuple[int, str]]:
        asked.append(bool(args[6]))
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(reads, "_candidates", spy)
    assert len(reads.date_runs(store._conn, FEBRUARY).runs) == 3
    store.search_candidates('"fjernvarme"*', limit=100, titles=True, dates=FEBRUARY)
    store.search_candidates('"fjernvarme"', limit=100, titles=False, dates=FEBRUARY)
    assert asked == [True, False, False, False]


def test_a_document_stored_later_is_found(store: Store) -> None:
    before = store.search_candidates('"fjernvarme"', limit=100, titles=False, dates=FEBRUARY)
    _save(store, 99, "2025-02-28")
    after = store.search_candidates('"fjernvarme"', limit=100, titles=False, dates=FEBRUARY)
    assert len(after) == len(before) + 5
    assert after == _expected(store, False, 100)


def _every_item_in_order(store: Store) -> list[ItemRow]:
    """Every item, newest meeting first, minutes before agenda, then in order (a
    document's items are stored in order, so by id): what a list of filters alone
    promises, worked out from the rows themselves."""
    rows = sorted(store.item_rows(list(range(1, 1000))).values(), key=lambda r: r.id)
    rows.sort(key=lambda r: r.doc_type != "minutes")
    rows.sort(key=lambda r: (r.meeting_date or "", r.meeting_id), reverse=True)  # stable
    return rows


@pytest.mark.parametrize("first", [1, 2, 8])
@pytest.mark.parametrize("limit", [1, 7, 12, 100])
@pytest.mark.parametrize(
    "filters",
    [
        {"dates": FEBRUARY},
        {"year": 2025},
        {"doc_type": "minutes"},
        {},
        {"dates": ("2019-01-01", "2019-01-31")},
    ],
)
def test_filters_alone_list_meetings_newest_first(
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    first: int,
    limit: int,
    filters: dict[str, object],
) -> None:
    """The meetings are read first and their items fetched a few meetings at a time:
    the same items in the same order as one query over every item, however many
    meetings a fetch takes."""
    monkeypatch.setattr(reads, "FILTERED_MEETINGS_FIRST", first)
    found = store.filtered_items(limit=limit, **filters)  # type: ignore[arg-type]
    first_day, last_day = filters.get("dates", ("", "9999"))  # type: ignore[misc]
    year, doc_type = filters.get("year"), filters.get("doc_type")
    expected = [
        r
        for r in _every_item_in_order(store)
        if first_day <= (r.meeting_date or "") <= last_day
        and (year is None or (r.meeting_date or "").startswith(str(year)))
        and (doc_type is None or r.doc_type == doc_type)
    ][:limit]
    assert expected or filters == {"dates": ("2019-01-01", "2019-01-31")}, "a real comparison"
    assert [r.id for r in found] == [r.id for r in expected]
