"""The parser's cheap pre-checks never change a result.

``remove_markers``, ``leading_marker`` and ``collapse_spaces`` test for a substring
before running their regex, and ``Line.stripped`` is computed once. Each must agree
with the plain regex or ``str.strip`` on any text, so a later change to a pattern
that breaks the shortcut's premise fails here, not silently in a parse.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kkr_tui.parser.blocks import build_blocks, paragraphs
from kkr_tui.parser.headings import PART_HEADING_MAX, part_heading
from kkr_tui.parser.joining import (
    MARKER_RE,
    _first_word,
    collapse_spaces,
    join_lines,
    join_stripped,
    join_unwrapped,
    leading_marker,
    remove_markers,
)
from kkr_tui.parser.lines import Line

FRAGMENTS = ["./.", "./…", "./..", ".", "/", "…", " ", "  ", "\t", "\u00a0", "a", "B", "-", "\n"]
texts = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=3), max_size=12).map("".join)
SETTINGS = settings(max_examples=300, deadline=None, derandomize=True)


@SETTINGS
@given(texts)
def test_remove_markers_agrees_with_the_marker_regex(text: str) -> None:
    assert remove_markers(text) == MARKER_RE.sub("", text)


@SETTINGS
@given(texts)
def test_leading_marker_agrees_with_matching_at_the_start(text: str) -> None:
    found, expected = leading_marker(text), MARKER_RE.match(text)
    assert (found and found.group(0)) == (expected and expected.group(0))


@SETTINGS
@given(texts)
def test_collapse_spaces_agrees_with_the_space_run_regex(text: str) -> None:
    assert collapse_spaces(text) == re.sub(r"[ ]{2,}", " ", text)


def test_markers_are_found_and_removed() -> None:
    assert remove_markers("./. Bilag 1  ./… Bilag 2") == "Bilag 1  Bilag 2"
    assert leading_marker("./. Bilag") is not None
    assert leading_marker("Se ./. Bilag") is None


@SETTINGS
@given(texts)
def test_line_stripped_is_the_stripped_text(text: str) -> None:
    assert Line(text, 1).stripped == text.strip()


line_texts = st.lists(
    st.sampled_from(
        ["", " ", "  ", "Proces", "Baggrund", "- punkt", "1. Første", "2) anden,", "./. Bilag"]
    )
    | st.lists(st.sampled_from(FRAGMENTS + ["Ord", "ord.", "ord,", "og", "- ", "•", "12."])).map(
        "".join
    ),
    max_size=14,
)


def _lines(texts: list[str]) -> list[Line]:
    return [
        Line(" " if not t.strip() else t, 1, False, not t.strip(), n) for n, t in enumerate(texts)
    ]


@SETTINGS
@given(line_texts)
def test_build_blocks_in_one_pass_equals_block_by_paragraph(texts: list[str]) -> None:
    """The single pass over a part's lines must forget everything at a blank line."""
    lines = _lines(texts)
    expected = tuple(
        block for group in paragraphs(lines) for block in build_blocks(group, heading_width=40)
    )
    assert build_blocks(lines, heading_width=40) == expected


@SETTINGS
@given(st.text(min_size=1, max_size=6))
def test_isspace_decides_blank_like_strip(raw: str) -> None:
    """page_lines tells a spaces-only line by ``isspace`` on non-empty text."""
    assert raw.isspace() == (not raw.strip())


@SETTINGS
@given(st.text(max_size=40))
def test_part_heading_rejects_every_line_longer_than_its_limit(text: str) -> None:
    """The item builder skips part_heading for lines longer than PART_HEADING_MAX."""
    if len(text.strip()) > PART_HEADING_MAX:
        assert part_heading(Line(text, 1)) is None


@SETTINGS
@given(
    st.lists(
        texts | st.sampled_from(["med-", "lemmerne ", "SOSU-", "www.kl.dk/a-", "b "]), max_size=8
    )
)
def test_join_stripped_agrees_with_join_lines(raws: list[str]) -> None:
    """Blocks hand their lines' cached stripped text to the joiner."""
    assert join_stripped(raws, [r.strip() for r in raws]) == join_lines(raws)


SPACES = ["\t", "\n", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\u00a0", "\u2028", "\u3000"]
NOT_SPACES = ["\u200b", "\ufeff", "\x1b", "-", "æ"]


@SETTINGS
@given(
    st.lists(st.sampled_from(FRAGMENTS + SPACES + NOT_SPACES) | st.text(max_size=3)).map("".join)
)
def test_first_word_agrees_with_the_non_space_regex(text: str) -> None:
    """The hyphen joiner reads the next line's first word by splitting, not by regex."""
    match = re.match(r"[^\s]+", text)
    assert _first_word(text) == (match.group(0) if match else "")


def test_line_compares_and_shows_like_a_plain_dataclass() -> None:
    line = Line("Tekst ", 3, True, False, 7)
    assert line == Line("Tekst ", 3, page_start=True, index=7)
    assert line != Line("Tekst ", 3, page_start=True, index=8)
    assert repr(line) == (
        "Line(text='Tekst ', page=3, page_start=True, blank=False, index=7, toc=False)"
    )


@SETTINGS
@given(
    st.lists(
        texts | st.sampled_from(["og ", "- og", "mobilitets -", "a- ", " - eller"]), max_size=8
    )
)
def test_join_unwrapped_agrees_with_join_lines_without_line_end_hyphens(raws: list[str]) -> None:
    """Blocks whose lines do not end in "-" skip the hyphen decisions."""
    raws = [r.rstrip("-") if n < len(raws) - 1 else r for n, r in enumerate(raws)]
    if any(r.endswith("-") for r in raws[:-1]):
        return  # stripping the hyphen left another one
    assert join_unwrapped([r.strip() for r in raws]) == join_lines(raws)
