"""The regex tokeniser builds pypdf's own operation list, or hands the stream to pypdf.

:mod:`kkr_tui.sources.fastcontent` replaces ``ContentStream._parse_content_stream``
while kkr-tui reads a PDF. These tests hold it to the parser it replaces: on the
content streams of generated meeting PDFs (both layouts) and on generated token soups
rich in what it must hand back (dictionaries, comments, inline images, ``#`` names,
indirect references, long tokens, unterminated strings and arrays), every operand must
be the same pypdf object, of the same type, in the same place, or the error the same.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pdf_factory
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kkr_tui.sources import fastcontent

pypdf = pytest.importorskip("pypdf")
from pypdf.generic import ContentStream  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def installed() -> None:
    assert fastcontent._install(), (
        "pypdf not in faststrings.VERIFIED_PYPDF, or it has no content-stream parser"
    )


def _canonical(value: Any) -> Any:
    """Type, text and original bytes of an operand, arrays element by element."""
    if isinstance(value, list):
        return (type(value).__name__, [_canonical(item) for item in value])
    if isinstance(value, dict):
        entries = [(_canonical(key), _canonical(item)) for key, item in value.items()]
        return (type(value).__name__, entries)
    original = getattr(value, "original_bytes", None)
    return (type(value).__name__, repr(value), None if original is None else bytes(original))


def _operations(data: bytes, fast: bool) -> Any:
    stream = ContentStream(None, None)
    stream.set_data(data)
    logging.disable(logging.WARNING)
    try:
        if fast:
            with fastcontent.fast_parsing():
                operations = stream.operations
        else:
            operations = stream.operations
        return [(_canonical(operands), operator) for operands, operator in operations]
    except Exception as error:  # noqa: BLE001 - the error itself is what is compared
        return ("error", type(error).__name__, str(error))
    finally:
        logging.disable(logging.NOTSET)


def _content_streams(path: Path) -> list[bytes]:
    streams = []
    for page in pypdf.PdfReader(str(path)).pages:
        contents = page.get_contents()
        if contents is not None:
            streams.append(contents.get_data())
    return streams


@pytest.mark.skipif(pdf_factory.unicode_font() is None, reason="needs a TTF with Danish letters")
@pytest.mark.parametrize("layout", ["lines", "words", "tagged"])
def test_meeting_pdf_streams_parse_as_pypdf_parses_them(tmp_path: Path, layout: str) -> None:
    path = pdf_factory.build_meeting_pdf(
        tmp_path / f"{layout}.pdf", list(pdf_factory.DANISH_PAGES), [[], [], []], layout=layout
    )
    streams = _content_streams(path)
    assert streams
    for data in streams:
        fast = _operations(data, fast=True)
        assert fast == _operations(data, fast=False)
        assert any(operator == b"Tj" or operator == b"TJ" for _, operator in fast)
        fastcontent._Tokens(data, None, 10**6, 10**6, 10**6).operations()  # never pypdf's turn
        assert (layout == "tagged") == any(operator == b"BDC" for _, operator in fast)


# fmt: off
_TOKENS = [
    b"BT", b"ET", b"Tj", b"TJ", b"Tf", b"Td", b"'", b'"', b"q", b"Q",
    b"1 0 0 1 72.5 700 Tm", b"12", b"-3.5", b".5", b"1.2.3", b"+-", b"-", b"0009",
    b"(a\\(b\\)c)", b"(x (y) z)", b"(\\101\\n)", b"(unterminated", b")",
    b"<4B4B>", b"<4b 4>", b"<4G>", b"<>", b"<<", b">>", b"<< /A 1 >>", b"<</MCID 0>>",
    b"/P <</MCID 12 >>BDC", b"<< /Lang (da-DK) /A [1 2] >>", b"<< /A 1 /A 2 >>", b"<< 1 2 >>",
    b"<< /A >>", b"<< /A 1 >x", b"<< /A << /B /C >> >>", b"stream\n", b"EMC",
    b"/F1", b"/F#201", b"/\xe6", b"/", b"[", b"]", b"[(a) -3 (b)]", b"[ 1 n ]", b"[ %c\n ]",
    b"%comment\n", b"true", b"false", b"null", b"BI", b"ID", b"EI", b"12 0 R ",
    b"{", b"}", b",", b"\x00", b"\x0b", b"\n", b"\r", b"\t", b" ",
    b"." * 25, b"9" * 25, b"A" * 120,
]
# fmt: on


@settings(max_examples=600, deadline=None)
@given(
    tokens=st.lists(st.sampled_from(_TOKENS), max_size=14),
    joined=st.sampled_from([b" ", b"", b"\n"]),
)
def test_token_soups_parse_as_pypdf_parses_them(tokens: list[bytes], joined: bytes) -> None:
    data = joined.join(tokens)
    assert _operations(data, fast=True) == _operations(data, fast=False)


@pytest.mark.parametrize(
    "data",
    [
        b"BT /F1 12 Tf 72 700 Td (Dagsorden) Tj ET",
        b"BT [(KKR) -250 (Sj\\346lland)] TJ ET",  # octal escape of a Danish letter
        b"BT <004B004B0052> Tj ET",
        b"BT (a) Tj % comment\n(b) Tj ET",  # comments go to pypdf
        b"q BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI Q",  # an inline image goes to pypdf
        b"/P <</MCID 0 >>BDC BT (a) Tj ET EMC",  # Word's tag on every paragraph
        b"/Artifact <</Attached [/Bottom ]/Type /Pagination /Subtype /Footer >>BDC EMC",
        b"/Span <</Lang (da-DK)/MCID 3 /ActualText <FEFF004B> >>BDC EMC",
        b"/P << /MCID 1 /MCID 2 >> BDC",  # a repeated key: pypdf warns
        b"/P << /MCID 1 % comment\n >> BDC",  # a comment in a dictionary goes to pypdf
        b"/P << /Length 3 >> stream\nabc",  # a stream goes to pypdf
        b"/P << /MCID >> BDC",  # a key without its value: pypdf warns
        b"/P << 1 2 >> BDC",  # keys that are not names: pypdf warns and skips them
        b"/P << /MCID 1 >x BDC",  # pypdf ends a dictionary at ">" and any byte after it
        b"/P << /MCID 1 BDC",  # never closed
        b"[(never closed) 12",  # pypdf ends the array at the end of the data
        b"12 0 R Do",  # no references in a content stream: pypdf's error
        b"0 0 0 RG 1 0 0 rg",  # "R" right after numbers, not a reference
        b"1,5 Tc",  # pypdf's number pattern takes a comma too
        b"1234567890123456789 Tz 12345678901234567890 Tz -1234567890.12345678 Tz",
        b"..................... Tz",
        b"BT 12",  # a number at the very end
        pytest.param(b"[" * 3000 + b"] TJ", id="arrays-nested-deeper-than-python-recurses"),
        pytest.param(b"/P " + b"<</A " * 3000 + b"BDC", id="dictionaries-nested-as-deep"),
        b"",
    ],
)
def test_stream_cases(data: bytes) -> None:
    assert _operations(data, fast=True) == _operations(data, fast=False)


@pytest.mark.parametrize(("budget", "spent"), [(9, True), (10, False)])
def test_the_parsing_budget_counts_as_pypdfs(budget: int, spent: bool) -> None:
    """pypdf's limit on parsing work stays pypdf's: 10 tokens pass a budget of 10, not 9."""
    from pypdf._configuration import apply_configuration

    data = b"BT /F1 12 Tf [(a) 3 (b)] TJ ET"  # 6 tokens, the array and its 3 elements
    with apply_configuration(stream_parsing_work_maximum_count=budget):
        fast, slow = _operations(data, fast=True), _operations(data, fast=False)
        tokens = fastcontent._Tokens(data, None, budget, 1000)
        if spent:
            with pytest.raises(fastcontent._PypdfsTurn):
                tokens.operations()
        else:
            assert len(tokens.operations()) == 4
    assert fast == slow
    assert (fast[0] == "error") is spent


def test_outside_the_block_pypdf_parses_as_always(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[bytes] = []
    monkeypatch.setattr(
        fastcontent._Tokens, "operations", lambda self: calls.append(self.data) or []
    )
    assert _operations(b"BT (a) Tj ET", fast=False) == [
        (("list", []), b"BT"),
        (("list", [("TextStringObject", "'a'", b"a")]), b"Tj"),
        (("list", []), b"ET"),
    ]
    assert calls == []
    assert _operations(b"BT (a) Tj ET", fast=True) == []
    assert calls == [b"BT (a) Tj ET"]


def test_an_unverified_pypdf_keeps_its_own_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pypdf release the comparison never ran on reads as it always does."""
    from pypdf.generic import _data_structures

    from kkr_tui.sources import faststrings

    monkeypatch.setattr(pypdf, "__version__", "7.2.0")
    parser = ContentStream.__dict__["_parse_content_stream"]
    literal = _data_structures.read_string_from_stream
    assert not faststrings.pypdf_verified()
    assert fastcontent._replace_parser() is False
    assert faststrings._replace_readers() is False
    assert ContentStream.__dict__["_parse_content_stream"] is parser
    assert _data_structures.read_string_from_stream is literal


@pytest.mark.parametrize(
    "data",
    [
        b"/P <</MCID 0 >>BDC q 0 0 595.32 841.92 re W* n BT /F1 11.04 Tf [(Dagsorden)] TJ ET Q EMC",
        b"/Artifact <</Attached [/Bottom ]/Type /Pagination /Subtype /Footer >>BDC EMC",
        b"/Span <</Lang (da-DK)/MCID 3 /ActualText <FEFF004B> >>BDC EMC",
    ],
)
def test_words_tagged_content_is_read_without_pypdf(data: bytes) -> None:
    """Word tags every paragraph; if those tags sent each stream to pypdf, the tokeniser
    would gain nothing on KL's PDFs."""
    tokens = fastcontent._Tokens(data, None, 1000, 1000, 1000)
    assert tokens.operations()[0][1] == b"BDC"
    assert _operations(data, fast=True) == _operations(data, fast=False)


@pytest.mark.parametrize(("budget", "spent"), [(6, True), (7, False)])
def test_a_dictionary_spends_two_an_entry(budget: int, spent: bool) -> None:
    from pypdf._configuration import apply_configuration

    data = b"/P <</MCID 0 /Lang (da)>> BDC"  # 3 tokens and 2 entries
    with apply_configuration(stream_parsing_work_maximum_count=budget):
        fast, slow = _operations(data, fast=True), _operations(data, fast=False)
    tokens = fastcontent._Tokens(data, None, budget, 1000, 1000)
    if spent:
        with pytest.raises(fastcontent._PypdfsTurn):
            tokens.operations()
    else:
        assert len(tokens.operations()) == 1
    assert fast == slow
    assert (fast[0] == "error") is spent


@pytest.mark.parametrize(("opening", "closing"), [(b"[", b"]"), (b"<</A ", b">>")])
def test_deep_nesting_is_pypdfs_to_read(opening: bytes, closing: bytes) -> None:
    """Past 100 levels the tokeniser stops, so how deep a stream may nest stays pypdf's."""
    deep = fastcontent._MAX_DEPTH
    fine = b"/P " + opening * deep + b"1" + closing * deep + b" BDC"
    assert len(fastcontent._Tokens(fine, None, 10**6, 10**6, 10**6).operations()) == 1
    too_deep = b"/P " + opening * (deep + 1) + b"1" + closing * (deep + 1) + b" BDC"
    with pytest.raises(fastcontent._PypdfsTurn):
        fastcontent._Tokens(too_deep, None, 10**6, 10**6, 10**6).operations()
    assert _operations(too_deep, fast=True) == _operations(too_deep, fast=False)
