"""Sanitising at ingest: what may never reach the store or the terminal."""

from __future__ import annotations

import unicodedata

from kkr_tui.sanitize import clean_line, clean_text


def test_escape_sequences_and_controls_are_removed() -> None:
    assert clean_text("a\x1b]0;pwned\x07b") == "ab"
    assert clean_text("\x1b[31mred\x1b[0m") == "red"
    assert clean_text("x\x00y\x7fz\x9b") == "xyz"
    assert clean_text("\u202eevil\u2066") == "evil"


def test_unterminated_escape_does_not_swallow_lines() -> None:
    assert clean_text("one\x1b]0;title\ntwo\nthree") == "one\ntwo\nthree"


def test_lines_tabs_and_nfc_kept() -> None:
    decomposed = unicodedata.normalize("NFD", "Århus økonomi")
    assert clean_text(decomposed + "\r\nnext\tcol\rlast") == "Århus økonomi\nnext\tcol\nlast"


def test_soft_hyphen_and_odd_spaces() -> None:
    assert clean_text("pæda\u00adgog\u00a0og\u2009x") == "pædagog og x"


def test_markup_like_text_is_left_alone() -> None:
    for text in ("[bold]x[/bold]", "[/]", "a\\[b]", "Bilag 3 [fortroligt]", "Æbleø [å]"):
        assert clean_text(text) == text


def test_clean_line_collapses_whitespace() -> None:
    assert clean_line("  a \n b\tc  ") == "a b c"


def test_arabic_letter_mark_and_tag_characters_are_removed() -> None:
    hidden = "".join(chr(0xE0000 + ord(c)) for c in "ignore this")
    text = f"Indstilling\u061c godkendt{hidden}\U000e0001\U000e007f."
    assert clean_text(text) == "Indstilling godkendt."
    assert clean_line(f"a\u061cb {hidden}c") == "ab c"
    assert clean_text("\U000e0080\U000e0100") == "\U000e0080\U000e0100"  # variation selectors stay
