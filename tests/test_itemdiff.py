"""The word diff of two versions of an item (``meetingwork/itemdiff.py``).

Properties: the spans of each side rebuild that side's words; whitespace (a PDF
re-typeset with other line and paragraph breaks, a word hyphenated at a line end) is
never a change; only the parts that differ are reported, removed words before added.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kkr_tui.meetingwork.itemdiff import (
    Span,
    hunks,
    item_diff,
    normalised,
    part_diff,
    tokens,
    word_diff,
)
from kkr_tui.records import PartVersion, text_digest

WORDS = st.sampled_from(
    [
        "KKR",
        "Hovedstaden",
        "godkender",
        "indstillingen",
        "og",
        "at",
        "i",
        "økonomi",
        "1.000",
        "kr.",
        "SAG-2025-02162",
        "sundhedsreformen",
        ",",
        ".",
        "–",
        "Æblerne",
        "Indenrigs-",
    ]
)
SPACE = st.sampled_from([" ", "  ", "\n", "\n\n", " \n "])


@st.composite
def texts(draw: st.DrawFn) -> str:
    words = draw(st.lists(WORDS, max_size=30))
    out = ""
    for index, word in enumerate(words):
        out += (draw(SPACE) if index else "") + word
    return out


def _keys(text: str) -> list[str]:
    return [t.key for t in tokens(text)]


def _side(spans: tuple[Span, ...], op: str) -> str:
    return "".join(s.text for s in spans if s.op in ("same", op))


@settings(max_examples=300, deadline=None)
@given(texts(), texts())
def test_the_spans_rebuild_both_versions(old: str, new: str) -> None:
    spans = word_diff(old, new)
    rebuilt = _side(spans, "added")
    if spans and spans[0].op == "removed":
        rebuilt = rebuilt.removeprefix(" ")
    assert rebuilt == normalised(new)  # exactly, whitespace normalised
    assert _keys(_side(spans, "removed")) == _keys(old)  # word for word
    assert all(s.text for s in spans)
    # Neighbouring spans never share an op (they would be one span).
    assert all(a.op != b.op for a, b in zip(spans, spans[1:], strict=False))


@settings(max_examples=200, deadline=None)
@given(texts(), st.data())
def test_reflowed_text_is_the_same(text: str, data: st.DataObject) -> None:
    """Any whitespace in place of any other: no change."""
    pieces = text.split()
    reflowed = ""
    for index, piece in enumerate(pieces):
        reflowed += (data.draw(SPACE) if index else "") + piece
    assert all(s.op == "same" for s in word_diff(text, reflowed))
    old = PartVersion("Sagsfremstilling", "Sagsfremstilling", text)
    new = PartVersion("Sagsfremstilling", "Sagsfremstilling", reflowed)
    assert part_diff(old, new).status == "unchanged"


def test_a_word_hyphenated_at_a_line_end_is_the_whole_word() -> None:
    old = "at kommunerne i regionen får"
    new = "at kommu-\nnerne i regionen får"
    assert all(s.op == "same" for s in word_diff(old, new))
    # A compound's hyphen before "og" reads the same broken at a line end or not.
    assert _keys("Indenrigs- og Sundhedsministeriet") == _keys("Indenrigs-\nog Sundhedsministeriet")
    assert normalised("Indenrigs-\nog Sundhedsministeriet") == "Indenrigs- og Sundhedsministeriet"


def test_a_changed_word_is_removed_then_added_in_place() -> None:
    old = "Det indstilles, at KKR Hovedstaden tager orienteringen til efterretning."
    new = "Det indstilles, at KKR Hovedstaden godkender orienteringen til efterretning."
    spans = word_diff(old, new)
    assert [(s.op, s.text) for s in spans] == [
        ("same", "Det indstilles, at KKR Hovedstaden"),
        ("removed", " tager"),
        ("added", " godkender"),
        ("same", " orienteringen til efterretning."),
    ]
    assert [s.words for s in spans] == [5, 1, 1, 3]


def test_danish_words_and_numbers_are_whole_tokens() -> None:
    assert _keys("Økonomi: 1.000 kr. (12,5 %) på SAG-2025-02162") == [
        "Økonomi",
        ":",
        "1.000",
        "kr",
        ".",
        "(",
        "12,5",
        "%",
        ")",
        "på",
        "SAG-2025-02162",
    ]
    spans = word_diff("budget på 1.000 kr.", "budget på 1.200 kr.")
    assert [s.text for s in spans if s.op != "same"] == [" 1.000", " 1.200"]


def test_only_differing_parts_are_reported_in_their_order() -> None:
    old = [
        PartVersion("Baggrund", "Baggrund", "Samme tekst."),
        PartVersion("Indstilling", "Indstilling", "Det indstilles, at KKR godkender."),
        PartVersion("Bilag", "Bilag", "Bilag 1"),
    ]
    new = [
        PartVersion("Baggrund", "Baggrund", "Samme\ntekst."),
        PartVersion("Indstilling", "Indstilling", "Det indstilles, at KKR tiltræder."),
        PartVersion("Beslutning", "Beslutning", "Godkendt."),
    ]
    diff = item_diff("Titel", old, "Titel", new)
    assert diff.title is None
    assert [(p.kind, p.status) for p in diff.parts] == [
        ("Baggrund", "unchanged"),
        ("Indstilling", "changed"),
        ("Bilag", "removed"),  # where it stood: after the Indstilling
        ("Beslutning", "added"),
    ]
    assert [p.kind for p in diff.changed_parts] == ["Indstilling", "Bilag", "Beslutning"]
    changed = diff.changed_parts[0]
    assert (changed.removed_words, changed.added_words) == (1, 1)
    assert diff.changed_parts[2].spans == (Span("added", "Godkendt.", 1),)
    without = item_diff("Titel", old, "Titel", new, keep_removed=False)
    assert [p.kind for p in without.changed_parts] == ["Indstilling", "Beslutning"]


def test_a_changed_title_is_a_word_diff() -> None:
    diff = item_diff("Strategi for mobilitet", [], "Strategi for grøn mobilitet", [])
    assert diff.title is not None
    assert [(s.op, s.text) for s in diff.title if s.op != "same"] == [("added", " grøn")]
    assert not diff.is_same
    assert item_diff("A  b", [], "A\nb", []).is_same


def test_a_part_kept_as_digest_only_says_whether_it_changed() -> None:
    text = "En meget lang sagsfremstilling."
    old = PartVersion("Sagsfremstilling", "Sagsfremstilling", None, text_digest(text))
    same = part_diff(old, PartVersion("Sagsfremstilling", "Sagsfremstilling", text + "\n"))
    assert (same.status, same.compared) == ("unchanged", False)
    other = part_diff(old, PartVersion("Sagsfremstilling", "Sagsfremstilling", "Andet."))
    assert (other.status, other.compared, other.spans) == ("changed", False, ())


def test_hunks_keep_context_and_cut_long_unchanged_stretches() -> None:
    words = [f"ord{i}" for i in range(60)]
    old = " ".join(words)
    changed = list(words)
    changed[5] = "NYT"
    changed[50] = "ANDET"
    spans = word_diff(old, " ".join(changed))
    found = hunks(spans, context=3)
    assert len(found) == 2
    first, second = found
    assert first.cut_before and first.cut_after and second.cut_before and second.cut_after
    assert "".join(s.text for s in first.spans) == "ord2 ord3 ord4 ord5 NYT ord6 ord7 ord8"
    assert (
        "".join(s.text for s in second.spans) == "ord47 ord48 ord49 ord50 ANDET ord51 ord52 ord53"
    )
    close = list(words)
    close[5], close[8] = "X", "Y"
    assert len(hunks(word_diff(old, " ".join(close)), context=3)) == 1
    start = hunks(word_diff("a b c", "z b c"), context=3)
    assert len(start) == 1 and not start[0].cut_before and not start[0].cut_after
    assert hunks(word_diff("a b", "a b")) == []


@settings(max_examples=200, deadline=None)
@given(texts(), texts())
def test_hunks_hold_every_change(old: str, new: str) -> None:
    spans = word_diff(old, new)
    changes = [s for s in spans if s.op != "same"]
    in_hunks = [s for h in hunks(spans, context=2) for s in h.spans if s.op != "same"]
    assert in_hunks == changes


@settings(max_examples=200, deadline=None)
@given(texts(), texts(), st.integers(min_value=1, max_value=40))
def test_long_texts_aligned_by_sentences_still_rebuild(old: str, new: str, bound: int) -> None:
    """Past MAX_WORD_PRODUCT the diff aligns sentences first (bounded time); the spans
    must still rebuild both versions. A small bound puts short texts on that path."""
    from unittest import mock

    from kkr_tui.meetingwork import itemdiff

    with mock.patch.object(itemdiff, "MAX_WORD_PRODUCT", bound):
        spans = word_diff(old, new)
    rebuilt = _side(spans, "added")
    if spans and spans[0].op == "removed":
        rebuilt = rebuilt.removeprefix(" ")
    assert rebuilt == normalised(new)
    assert _keys(_side(spans, "removed")) == _keys(old)


def test_a_sentence_changed_in_a_long_text_is_found_by_its_words() -> None:
    from unittest import mock

    from kkr_tui.meetingwork import itemdiff

    sentences = [f"Sætning nummer {i} om kommunernes økonomi." for i in range(50)]
    changed = list(sentences)
    changed[20] = "Sætning nummer 20 om regionernes økonomi."
    with mock.patch.object(itemdiff, "MAX_WORD_PRODUCT", 100):
        spans = word_diff(" ".join(sentences), "\n".join(changed))
    assert [(s.op, s.text) for s in spans if s.op != "same"] == [
        ("removed", " kommunernes"),
        ("added", " regionernes"),
    ]
