"""The sliced string readers give pypdf's own results, and the PDF layouts the same text.

:mod:`kkr_tui.sources.faststrings` replaces two of pypdf's readers while kkr-tui reads a
PDF; these tests hold it to the readers it replaces, on generated strings rich in the
cases that matter (escapes, octal codes, nesting, line breaks, unterminated strings,
bad hex digits): the same object, of the same type, with the stream left at the
same place, or the same error.
"""

from __future__ import annotations

import logging
from io import BytesIO
from pathlib import Path
from typing import Any

import pdf_factory
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kkr_tui.sources import faststrings, read_document

pypdf_structures = pytest.importorskip("pypdf.generic._data_structures")


@pytest.fixture(scope="module")
def readers() -> tuple[Any, Any]:
    assert faststrings._install(), (
        "pypdf not in faststrings.VERIFIED_PYPDF, or it has no string readers"
    )
    return (
        pypdf_structures.read_string_from_stream,
        pypdf_structures.read_hex_string_from_stream,
    )


def _outcome(reader: Any, data: bytes, fast: bool) -> tuple[Any, ...]:
    stream = BytesIO(data)
    logging.disable(logging.WARNING)
    try:
        if fast:
            with faststrings.fast_strings():
                value = reader(stream)
        else:
            value = reader.__wrapped__(stream)
    except Exception as error:  # noqa: BLE001 - the error itself is what is compared
        return ("error", type(error).__name__, str(error))
    finally:
        logging.disable(logging.NOTSET)
    original = getattr(value, "original_bytes", value)
    return (type(value).__name__, bytes(original), str(value), stream.tell())


_LITERAL_BYTES = st.lists(
    st.sampled_from([*b"()\\nrtbf()/01234567 89\n\r%<>aZ", 0x00, 0xE6, 0xFF]), max_size=24
).map(bytes)
_HEX_ALPHABET = list(b"0123456789abcdefABCDEF \n\r\t\x00\x0cg<")
_HEX_BYTES = st.lists(st.sampled_from(_HEX_ALPHABET), max_size=16).map(bytes)


@settings(max_examples=400)
@given(body=_LITERAL_BYTES, closed=st.booleans())
def test_literal_strings_read_as_pypdf_reads_them(readers, body: bytes, closed: bool) -> None:
    literal, _ = readers
    data = b"(" + body + (b")" if closed else b"") + b" Tj"
    assert _outcome(literal, data, fast=True) == _outcome(literal, data, fast=False)


@settings(max_examples=300)
@given(body=_HEX_BYTES, closed=st.booleans())
def test_hex_strings_read_as_pypdf_reads_them(readers, body: bytes, closed: bool) -> None:
    _, hexadecimal = readers
    data = b"<" + body + (b">" if closed else b"") + b" Tj"
    assert _outcome(hexadecimal, data, fast=True) == _outcome(hexadecimal, data, fast=False)


@pytest.mark.parametrize(
    "data",
    [
        b"(plain text) Tj",
        b"(a (nested) one) Tj",
        b"(\\(\\)\\\\\\r) Tj",
        b"(\\101\\7\\0779) Tj",  # octal of one, two and three digits
        b"(\\777 \\400 \\377) Tj",  # above 255 pypdf keeps the backslash
        b"(line\\\r\ncontinued\\\n\nhere) Tj",  # escaped line breaks, two bytes each
        b"(unknown \\q escape) Tj",
        b"(trailing backslash\\",
        b"(never closed",
        b"(\xfe\xff\x00K\x00K\x00R) Tj",  # UTF-16 with a byte order mark
    ],
)
def test_literal_string_cases(readers, data: bytes) -> None:
    literal, _ = readers
    assert _outcome(literal, data, fast=True) == _outcome(literal, data, fast=False)


@pytest.mark.parametrize("data", [b"<4B4B52> Tj", b"<4b 4\n b5>", b"<4G>", b"<>", b"<4B4B"])
def test_hex_string_cases(readers, data: bytes) -> None:
    _, hexadecimal = readers
    assert _outcome(hexadecimal, data, fast=True) == _outcome(hexadecimal, data, fast=False)


def test_outside_the_block_pypdf_reads_as_always(readers) -> None:
    literal, _ = readers
    stream = BytesIO(b"(text) Tj")
    assert not getattr(faststrings._local, "active", False)
    assert str(literal(stream)) == "text"


@pytest.mark.skipif(pdf_factory.unicode_font() is None, reason="needs a TTF with Danish letters")
def test_word_by_word_pdf_reads_like_the_line_by_line_one(tmp_path: Path) -> None:
    pages = list(pdf_factory.DANISH_PAGES)
    links = [["https://www.kl.dk/"], [], []]
    lines = pdf_factory.build_meeting_pdf(tmp_path / "lines.pdf", pages, links)
    by_line = read_document(lines)
    for layout in ("words", "tagged"):
        path = tmp_path / f"{layout}.pdf"
        pdf_factory.build_meeting_pdf(path, pages, links, layout=layout)
        assert path.read_bytes() != lines.read_bytes()
        by_word = read_document(path)
        assert [p.text for p in by_word.pages] == [p.text for p in by_line.pages]
        assert [p.links for p in by_word.pages] == [p.links for p in by_line.pages]
        assert "Økonomi og anlæg" in by_word.pages[1].text
