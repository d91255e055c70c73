"""TermList: the compact string list behind the search vocabulary behaves like a list."""

from __future__ import annotations

from bisect import bisect_left

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kkr_tui.search import termlist
from kkr_tui.search.termlist import TermList, TermListBuilder

words = st.lists(st.text(alphabet=st.characters(blacklist_characters="\n"), max_size=12))


@given(words)
def test_behaves_like_the_list_it_was_built_from(strings: list[str]) -> None:
    terms = TermList(strings)
    assert len(terms) == len(strings)
    assert list(terms) == strings
    assert [terms[i] for i in range(len(strings))] == strings
    if strings:
        assert terms[-1] == strings[-1]
    for lo in range(len(strings) + 1):
        assert terms[lo:] == strings[lo:]
        assert terms.span(lo, len(strings)) == strings[lo:]
    assert terms[::2] == strings[::2]


@given(st.lists(words, max_size=5))
def test_built_in_chunks_equals_built_at_once(chunks: list[list[str]]) -> None:
    whole = [s for chunk in chunks for s in chunk]
    assert TermList.from_chunks(chunks) == TermList(whole)
    assert list(TermList.from_chunks(chunks)) == whole


def test_index_at_maps_text_positions_back_to_strings() -> None:
    terms = TermList(["", "ab", "cde"])
    assert terms.text == b"\n\nab\ncde\n"
    owners = [terms.index_at(p) for p in range(len(terms.text))]
    assert owners == [-1, 0, 1, 1, 1, 2, 2, 2, 2]


def test_positions_are_bytes_of_utf8() -> None:
    """Offsets count UTF-8 bytes, so a term after one beyond ASCII is still found."""
    terms = TermList(["æble", "ø", "\U0001f600x", "ok"])
    assert terms.text == "\næble\nø\n\U0001f600x\nok\n".encode()
    assert list(terms) == ["æble", "ø", "\U0001f600x", "ok"]
    at = terms.find("ok")
    assert terms.index_at(at) == 3 and terms.starts_string(at)
    inside = terms.find("x")
    assert terms.index_at(inside) == 2 and not terms.starts_string(inside)
    assert terms.find("zz") == -1


def test_sorted_strings_can_be_bisected() -> None:
    strings = sorted(["okonomi", "okonomien", "kommune", "aarhus", "øresund", "å"])
    terms = TermList(strings)
    for probe in ["", "a", "okonomi", "okonomiz", "ø", "zzz", "å\U0010ffff", "\U0001f600"]:
        assert bisect_left(terms, probe) == bisect_left(strings, probe)
        assert terms.bisect(probe) == bisect_left(strings, probe)
        assert terms.bisect(probe, 2) == bisect_left(strings, probe, 2)


@given(st.lists(st.text(alphabet=st.characters(blacklist_characters="\n"), max_size=6)), st.text())
def test_bisecting_bytes_is_bisecting_strings(strings: list[str], probe: str) -> None:
    """UTF-8 bytes sort as their code points do, so no term need be decoded."""
    strings.sort()
    assert TermList(strings).bisect(probe) == bisect_left(strings, probe)


def test_out_of_range_and_newlines_are_refused() -> None:
    terms = TermList(["a"])
    with pytest.raises(IndexError):
        terms[1]
    with pytest.raises(IndexError):
        terms[-2]
    with pytest.raises(ValueError, match="newline"):
        TermList(["a\nb"])
    with pytest.raises(ValueError, match="newline"):
        TermListBuilder().add(["ok", "x\n"])


def test_offsets_widen_when_the_text_outgrows_four_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(termlist, "_SMALL_MAX", 10)
    builder = TermListBuilder()
    builder.add(["abc", "de"])
    builder.add(["fghij", "k"])
    terms = builder.finish()
    assert terms.starts.typecode == "Q"
    assert list(terms) == ["abc", "de", "fghij", "k"]


def test_memory_is_bytes_plus_four_bytes_a_string() -> None:
    terms = TermList(["x" * 9] * 1000)
    assert terms.nbytes() == 1 + 10 * 1000 + 4 * 1001
