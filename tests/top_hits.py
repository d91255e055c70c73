"""The labelled queries with their expected top hit, and how a search scores on them.

``search_top_queries.json`` holds queries over the sample documents (typos, folding,
dates, natural phrasing, case and item numbers, filters, title over body), each with the
hit a reader expects first: ``[file name, item number]``, or ``[file name, null]`` for
the meeting of that document (a case number every item of a meeting carries leads to
the meeting). Shared by ``tests/test_search_answers.py`` and ``bench/run.py``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

QUERIES_FILE = Path(__file__).resolve().parent / "search_top_queries.json"


@dataclass(frozen=True)
class Case:
    query: str
    file: str
    number: str | None
    kind: str


@dataclass(frozen=True)
class Score:
    hits_at_1: float
    mrr: float
    cases: int
    misses: tuple[tuple[str, int], ...]  # (query, rank; 0 = not in the top 10)


def load_cases(files: Iterable[str] | None = None) -> list[Case]:
    """The labelled queries (only those whose expected document is among ``files``)."""
    raw = json.loads(QUERIES_FILE.read_text(encoding="utf-8"))
    cases = [Case(c["query"], c["top"][0], c["top"][1], c["kind"]) for c in raw]
    if files is None:
        return cases
    present = set(files)
    return [c for c in cases if c.file in present]


def hit_key(store: Any, hit: Any) -> tuple[str, str | None]:
    """(file name, item number) of a hit; (file name, None) for a meeting hit."""
    name = Path(store.item(hit.item_id).source_path).name
    return (name, None) if hit.kind == "meeting" else (name, hit.number)


def score(store: Any, search: Any, cases: Sequence[Case]) -> Score:
    """hits@1 and mean reciprocal rank (over the top 10) of ``search(query)`` on ``cases``."""
    first = reciprocal = 0.0
    misses: list[tuple[str, int]] = []
    for case in cases:
        keys = [hit_key(store, h) for h in search(case.query)[:10]]
        want = (case.file, case.number)
        rank = keys.index(want) + 1 if want in keys else 0
        first += rank == 1
        reciprocal += 1 / rank if rank else 0.0
        if rank != 1:
            misses.append((case.query, rank))
    n = len(cases)
    return Score(round(first / n, 3), round(reciprocal / n, 3), n, tuple(misses))
