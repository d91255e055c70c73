"""Danish folding: the same fold on both sides makes æ/ø/å, ae/oe/aa and plain letters meet."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from store_factory import fill_store, make_meeting

from kkr_tui.search import SearchIndex
from kkr_tui.store import Store
from kkr_tui.textfold import fold, original_pattern, words


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("økonomi", "okonomi"),
        ("Økonomi", "oekonomi"),
        ("Århus", "Aarhus"),
        ("Århus", "arhus"),
        ("pædagog", "paedagog"),
        ("Æbleø", "aebleoe"),
        ("Café", "cafe"),
        ("Straße", "strasse"),
    ],
)
def test_spellings_fold_together(a: str, b: str) -> None:
    assert fold(a) == fold(b)


@pytest.mark.parametrize(("a", "b"), [("økonomi", "ekonomi"), ("får", "fir"), ("sø", "se")])
def test_different_words_stay_apart(a: str, b: str) -> None:
    assert fold(a) != fold(b)


def test_fold_keeps_word_boundaries() -> None:
    text = "Kommunernes økonomi – 2026/2027: Århus, Ærø og Sønderborg!"
    assert len(words(text)) == len(re.findall(r"\w+", text))
    assert words("SAG-2025-02162") == ["sag", "2025", "02162"]


def test_fold_is_idempotent() -> None:
    for text in ("Økonomi", "Aarhus", "pædagoguddannelsen", "Sundhedsreformen 2027"):
        assert fold(fold(text)) == fold(text)


_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def _fold_whole_text(text: str) -> str:
    """The fold as its docstring defines it, normalising the whole text at once."""
    text = text.casefold().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    return text.replace("aa", "a").replace("ae", "a").replace("oe", "o")


# Latin with its combining marks, Hebrew points (marks the fold keeps, which NFKD
# reorders across characters), ligatures, dashes and quotes, Greek, CJK.
_FOLD_ALPHABET = st.sampled_from(
    [chr(c) for c in range(0x20, 0x250)]
    + [chr(c) for c in range(0x300, 0x370)]
    + [chr(c) for c in range(0x591, 0x5C8)]
    + list("\ufb01\u2013\u201c\u1e9e\u2126\u00bd\u0391\u03ac\u4e00\u1ef3\u0f71\u0f72")
)


@given(st.text(_FOLD_ALPHABET, max_size=16))
def test_fold_char_by_char_equals_folding_the_whole_text(text: str) -> None:
    assert fold(text) == _fold_whole_text(text)


@pytest.mark.parametrize(
    "text", ["Café – “Økonomi” ½", "\u05d0\u05b8\u0591\u05b0", "e\u0301\u05b0\u0323", "ǽ"]
)
def test_fold_of_known_hard_cases(text: str) -> None:
    assert fold(text) == _fold_whole_text(text)


@pytest.mark.parametrize("original", ["økonomi", "Oekonomi", "ØKONOMI", "okonomi"])
def test_original_pattern_finds_every_spelling(original: str) -> None:
    assert re.fullmatch(original_pattern(fold("økonomi")), original, re.IGNORECASE)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "kkr.db")
    fill_store(
        s,
        [
            make_meeting(
                [
                    (
                        "3.1",
                        "Aftale om kommunernes økonomi",
                        "SAG-2025-00001",
                        {"Baggrund": "Økonomiaftalen for 2026 er indgået."},
                    ),
                    ("3.2", "Letbane i Århus", "SAG-2025-00002", {"Baggrund": "Etape 2."}),
                    (
                        "3.3",
                        "Dimensionering af pædagoguddannelsen",
                        "SAG-2025-00003",
                        {"Baggrund": "Flere studerende."},
                    ),
                    (
                        "3.4",
                        "Kommunal ekonomi-model",
                        "SAG-2025-00004",
                        {"Baggrund": "Et ord der ligner."},
                    ),
                    (
                        "3.5",
                        "Får og geder på fælleden",
                        "SAG-2025-00005",
                        {"Baggrund": "Naturpleje ved Ærø."},
                    ),
                ],
                source="danish.txt",
            )
        ],
    )
    yield s
    s.close()


def titles(store: Store, query: str) -> list[str]:
    index = SearchIndex(store)
    return [h.title for h in index.search(query)]


@pytest.mark.parametrize("query", ["okonomi", "oekonomi", "økonomi", "ØKONOMI"])
def test_oe_o_and_ø_all_find_økonomi(store: Store, query: str) -> None:
    found = titles(store, query)
    assert found[0] == "Aftale om kommunernes økonomi"
    assert "Letbane i Århus" not in found


@pytest.mark.parametrize("query", ["aarhus", "Århus", "arhus", "AARHUS"])
def test_aa_and_å_find_århus(store: Store, query: str) -> None:
    assert titles(store, query)[0] == "Letbane i Århus"


@pytest.mark.parametrize("query", ["pædagog", "paedagog", "pædagoguddannelsen", "paedagogud"])
def test_compound_prefix_finds_compound(store: Store, query: str) -> None:
    assert titles(store, query)[0] == "Dimensionering af pædagoguddannelsen"


@pytest.mark.parametrize("query", ["uddannelsen", "uddannelse"])
def test_compound_infix_finds_compound(store: Store, query: str) -> None:
    assert titles(store, query)[0] == "Dimensionering af pædagoguddannelsen"


def test_compound_part_inside_text(store: Store) -> None:
    assert titles(store, "aftalen")[0] == "Aftale om kommunernes økonomi"


def test_highlight_spans_point_at_original_spelling(store: Store) -> None:
    index = SearchIndex(store)
    hit = index.search("aero")[0]
    assert hit.title == "Får og geder på fælleden"
    assert [hit.snippet[a:b] for a, b in hit.highlights] == ["Ærø"]
    hit = index.search("okonomi")[0]
    assert [hit.title[a:b] for a, b in hit.title_highlights] == ["økonomi"]
