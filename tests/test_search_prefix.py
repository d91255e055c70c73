"""Short words on a full-text index without prefix indexes: completions named one by one.

New stores build ``items_fts`` without prefix indexes, so a ``"ko"*`` query there would
merge the doclist of every term starting with "ko". Search must name the most frequent
completions instead, and still find items that have the word only in their body.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from store_factory import make_meeting

from kkr_tui.search import SearchIndex, Vocabulary
from kkr_tui.search import vocabulary as search_mod
from kkr_tui.search.expand import MAX_PREFIX_TERMS, NARROW_PREFIX_TERMS, Word
from kkr_tui.search.expand import expand as _expand
from kkr_tui.store import Store


def _reference_completions(rows: dict[str, int], word: str, limit: int) -> list[str]:
    """The definition spelled out: the ``limit`` most frequent terms starting with
    ``word`` (alphabetical among equals), the word itself kept (last) if it is a term."""
    ranked = sorted((t for t in rows if t.startswith(word)), key=lambda t: (-rows[t], t))
    best = ranked[:limit]
    if best and word in rows and word not in best:
        best[-1] = word
    return best


_TERMS = st.dictionaries(
    st.text(alphabet="abk", min_size=1, max_size=5), st.integers(1, 4), max_size=60
)


@settings(max_examples=200, deadline=None)
@given(rows=_TERMS, word=st.text(alphabet="abk", min_size=1, max_size=3), limit=st.integers(1, 8))
def test_completions_by_scanning_equal_the_definition(
    rows: dict[str, int], word: str, limit: int
) -> None:
    vocab = Vocabulary.from_rows(sorted(rows.items()))
    expected = _reference_completions(rows, word, limit)
    assert vocab.completions(word, limit) == expected
    original = search_mod.SCAN_COMPLETIONS_ABOVE
    search_mod.SCAN_COMPLETIONS_ABOVE = 0
    try:
        assert vocab.completions(word, limit) == expected
    finally:
        search_mod.SCAN_COMPLETIONS_ABOVE = original


def test_completions_of_a_common_short_prefix_are_the_most_frequent() -> None:
    rows = {f"ko{i:04d}": 1 for i in range(5000)}
    rows.update({"kommune": 90, "kommunerne": 70, "koordinering": 70, "ko": 1, "kb": 99})
    vocab = Vocabulary.from_rows(sorted(rows.items()))
    assert vocab.completions("ko", 5) == ["kommune", "kommunerne", "koordinering", "ko", "ko0000"]
    assert vocab.completions("ko", 3) == ["kommune", "kommunerne", "ko"]
    assert vocab.completions("kx", 3) == []


def test_narrow_stage_of_a_short_prefix_names_its_most_frequent_completions() -> None:
    rows = {f"st{chr(97 + i)}": 1 for i in range(20)}
    rows.update({"stat": 50, "styrelse": 40, "strategi": 30})
    vocab = Vocabulary.from_rows(sorted(rows.items()))
    word = _expand(vocab, "st")
    narrow = word.match_expr(titles=False, wide=False)
    wide = word.match_expr(titles=False, wide=True)
    assert narrow is not None and wide is not None
    assert "*" not in narrow and "*" not in wide
    assert narrow.startswith('("stat" OR "styrelse" OR "strategi" OR ')
    assert narrow.count('"') == 2 * NARROW_PREFIX_TERMS
    assert wide.count('"') == 2 * min(MAX_PREFIX_TERMS, len(rows))
    assert word.match_expr(titles=True, wide=False) == '("st"*)'


@pytest.mark.parametrize("typed", ["ud", "udv", "bu", "bud"])
def test_full_index_gets_no_prefix_query_for_short_words(typed: str) -> None:
    vocab = Vocabulary.from_rows(
        sorted([("budget", 3), ("budgetter", 1), ("ud", 4), ("udvalg", 5), ("udvikling", 2)])
    )
    word = _expand(vocab, typed)
    for wide in (False, True):
        expr = word.match_expr(titles=False, wide=wide)
        assert expr is not None and "*" not in expr
    assert word.match_expr(titles=True, wide=False) == f'("{typed}"*)'


def test_one_letter_words_still_match_titles_only() -> None:
    word = _expand(Vocabulary.from_rows([("udvalg", 5)]), "u")
    assert word.match_expr(titles=False, wide=True) is None
    assert word.match_expr(titles=True, wide=False) == '("u"*)'


def _items_fts_sql(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT sql FROM sqlite_master WHERE name = 'items_fts'").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize(("query", "body_word"), [("ko", "Kontrakten"), ("kon", "kontrakten")])
def test_short_words_find_body_only_matches_without_prefix_queries(
    tmp_path: Path, query: str, body_word: str
) -> None:
    path = tmp_path / "new.db"
    with Store(path) as store:
        index = SearchIndex(store)
        meeting = make_meeting(
            [
                ("3.1", "Budget for næste år", None, {"Baggrund": f"{body_word} er fornyet."}),
                ("3.2", "Orientering fra formanden", None, {"Baggrund": "Intet nyt."}),
            ],
            date="2025-05-01",
        )
        store.save_document(meeting, path="/x.pdf", sha256="x", parser_version="1")
        matches: list[tuple[str, bool]] = []
        original = store.search_candidates

        def spy(match: str, **kwargs: object) -> list[tuple[int, str]]:
            matches.append((match, bool(kwargs.get("titles"))))
            return original(match, **kwargs)  # type: ignore[arg-type]

        store.search_candidates = spy  # type: ignore[method-assign]
        hits = index.search(query)
    assert "prefix" not in _items_fts_sql(path)
    assert [h.title for h in hits] == ["Budget for næste år"]
    full = [m for m, titles in matches if not titles]
    assert full, "the full index was never asked"
    assert not any("*" in m for m in full), full


def _every_alternative(word: Word, titles: bool, wide: bool) -> str | None:
    """Word.match_expr before alternatives a prefix alternative covers were left out:
    every alternative as it comes, repeats and all."""
    if titles:
        alts = [f'"{word.word}"*' if word.prefix else f'"{word.word}"']
        alts += [f'"{t}"*' for t in word.fuzzy]
    elif len(word.word) < 2:
        return None
    else:
        if wide or not word.completions:
            terms = word.completions or [word.word]
        elif word.term:
            terms = [word.word]
        else:
            terms = word.completions[:NARROW_PREFIX_TERMS]
        alts = [f'"{t}"' for t in terms] + [f'"{t}"' for t in word.fuzzy]
    if wide:
        alts += [f'"{t}"' for t in word.infix or ()]
    elif not (word.prefix or word.fuzzy):
        return None
    return "(" + " OR ".join(alts) + ")"


def test_a_typos_near_spellings_that_share_a_start_are_one_prefix() -> None:
    """``"sundhedsreform"*`` and ``"sundhedsreformen"*`` match nothing
    ``"sundhedsrefo"*`` does not: on the title index each would cost a prefix merge."""
    vocab = Vocabulary.from_rows(
        sorted([("sundhedsreform", 9), ("sundhedsrefo", 1), ("sundhedsreformen", 5), ("sund", 4)])
    )
    word = _expand(vocab, "sundhedsrefrom")
    assert set(word.fuzzy) >= {"sundhedsreform", "sundhedsrefo", "sundhedsreformen"}
    assert word.match_expr(titles=True, wide=False) == '("sundhedsrefrom" OR "sundhedsrefo"*)'
    full = word.match_expr(titles=False, wide=True)
    assert full is not None and full.count('"sundhedsreform"') == 1


@pytest.mark.parametrize(
    "query", ["sundhedsrefrom", "kommnue", "okonmoi", "borgre", "sundh", "uddannelsen", "reform"]
)
@pytest.mark.parametrize("titles", [True, False])
@pytest.mark.parametrize("wide", [False, True])
def test_leaving_out_covered_alternatives_keeps_the_rows(
    corpus_store: Store, query: str, titles: bool, wide: bool
) -> None:
    vocab = SearchIndex(corpus_store).vocabulary()
    word = _expand(vocab, query)
    word.widen(vocab)
    every, kept = _every_alternative(word, titles, wide), word.match_expr(titles, wide)
    assert (every is None) == (kept is None)
    if every is None or kept is None:
        return
    assert len(kept) <= len(every)
    found = corpus_store.search_candidates(kept, limit=100_000, titles=titles)
    assert found == corpus_store.search_candidates(every, limit=100_000, titles=titles)
