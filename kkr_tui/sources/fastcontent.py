"""Tokenise a page's content stream with regular expressions instead of byte by byte.

Word writes KL's PDFs with every word placed on its own (``BT 1 0 0 1 x y Tm [(…)] TJ
ET``), so a page holds thousands of operators, and pypdf reads every token of them
through ``read_object``: one ``read(1)`` and ``seek`` per decision, a regex search per
number or operator. On such PDFs that tokenising is over half of the extraction time.

Inside :func:`fast_parsing`, ``ContentStream._parse_content_stream`` is answered by a
tokeniser that walks the stream's bytes with precompiled patterns and builds the same
operation list: the same pypdf objects (``NumberObject``, ``FloatObject``,
``NameObject``, string objects from :mod:`.faststrings`, ``ArrayObject``), the same
operators, the same parsing budget. It covers what text pages are made of: numbers,
names, strings, arrays and dictionaries of those (Word tags every paragraph with
``/P <</MCID n>> BDC``) and operators. Anything else (a comment, a stream,
an inline image, ``true``/``false``/``null``, a name with ``#`` escapes or beyond
ASCII, a token long enough to meet pypdf's length limits, a spent budget) hands the
whole stream to pypdf's own parser, so its objects, warnings and errors stay pypdf's.
``tests/test_sources_fastcontent.py`` compares the two on real and generated streams.

All this is active only on the thread inside the block.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import BytesIO
from typing import Any, cast

from kkr_tui.sources import faststrings

_install_lock = threading.Lock()
_installed: bool | None = None

#: ``pypdf._utils.read_non_whitespace``'s whitespace, between top-level tokens.
_TOP_SPACE = re.compile(rb"[\x00\t\n\x0c\r ]*")
#: ``ArrayObject.read_from_stream`` skips ``bytes.isspace()`` and that set (adds \v).
_ARRAY_SPACE = re.compile(rb"[\x00\t\n\x0b\x0c\r ]*")
#: ``NameObject.delimiter_pattern``: where an operator or a name ends.
_DELIMITER = re.compile(rb"\s+|[\(\)<>\[\]{}/%]")
#: The bytes ``NumberObject.NumberPattern`` (``[^+-.0-9]``) does not stop at; ``+-.`` is a
#: range there, so a comma counts too.
_NUMBER_RUN = re.compile(rb"[+-.0-9]*")
#: A number pypdf reads without a warning: the integers and decimals ``int`` and
#: ``float`` accept as they are (``5``, ``-5``, ``+.5``, ``5.``).
_WELL_FORMED = re.compile(rb"[+-]?(?:\d+\.?\d*|\.\d+)")
#: ``IndirectPattern`` of pypdf: ``12 0 R`` (never valid in a content stream).
_INDIRECT = re.compile(rb"[+-]?(\d+)\s+(\d+)\s+R[^a-zA-Z]")
_OPERATOR_START = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'\"")
_NUMBER_START = frozenset(b"0123456789+-.")
#: Longest operator and name read here; pypdf's length limits lie beyond both.
_MAX_OPERATOR = 100
_MAX_NAME = 1000
#: How far pypdf looks ahead for a number before reading it another way.
_NUMBER_PEEK = 20
#: Deepest nesting of arrays and dictionaries read here. Deeper is hostile input whose
#: outcome turns on Python's recursion limit, so pypdf reads it as if never patched.
_MAX_DEPTH = 100


#: ``match`` of a pattern that may match nothing, so never returns None (typed so).
_Run = Callable[[bytes, int], "re.Match[bytes]"]
_top_space = cast(_Run, _TOP_SPACE.match)
_array_space = cast(_Run, _ARRAY_SPACE.match)
_number_run = cast(_Run, _NUMBER_RUN.match)


class _PypdfsTurn(Exception):
    """Something pypdf's own parser must read (and warn or fail about)."""


class _Tokens:
    """One content stream's bytes and the pypdf classes its objects are made of."""

    def __init__(
        self,
        data: bytes,
        forced_encoding: Any,
        budget: int,
        array_limit: int,
        dictionary_limit: int = 0,
    ) -> None:
        from pypdf.generic import (
            ArrayObject,
            DictionaryObject,
            FloatObject,
            NameObject,
            NumberObject,
        )
        from pypdf.generic._utils import create_string_object

        self.data = data
        self.size = len(data)
        self.forced_encoding = forced_encoding
        self.budget = budget
        self.array_limit = array_limit
        self.dictionary_limit = dictionary_limit
        self.depth = 0
        self.escapes = faststrings.escape_table() or {}  # {}: every escape is pypdf's
        self.array = ArrayObject
        self.dictionary = DictionaryObject
        self.floating = FloatObject
        self.name = NameObject
        self.number = NumberObject
        self.string = create_string_object

    def spend(self) -> None:
        self.budget -= 1
        if self.budget < 0:
            raise _PypdfsTurn("budget")

    def enter(self) -> None:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise _PypdfsTurn("deep nesting")

    def operations(self) -> list[tuple[Any, bytes]]:
        data, size = self.data, self.size
        space, delimiter = _top_space, _DELIMITER.search
        number_at, value_at = self.number_at, self.value
        operations: list[tuple[Any, bytes]] = []
        operands: list[Any] = []
        at = 0
        while True:
            at = space(data, at).end()
            if at >= size:
                return operations
            byte = data[at]
            if byte in _OPERATOR_START:
                found = delimiter(data, at)
                end = size if found is None else found.start()
                if end - at > _MAX_OPERATOR:
                    raise _PypdfsTurn("long operator")
                operator = data[at:end]
                if operator == b"BI":
                    raise _PypdfsTurn("inline image")
                self.budget -= 1
                if self.budget < 0:
                    raise _PypdfsTurn("budget")
                operations.append((operands, operator))
                operands = []
                at = end
            else:
                self.budget -= 1
                if self.budget < 0:
                    raise _PypdfsTurn("budget")
                value, at = number_at(at) if byte in _NUMBER_START else value_at(at, byte)
                operands.append(value)

    def value(self, at: int, byte: int) -> tuple[Any, int]:
        """The object starting at ``at`` (its first byte ``byte``) and where it ends."""
        if byte in _NUMBER_START:
            return self.number_at(at)
        if byte == 0x2F:  # "/"
            return self.name_at(at)
        if byte == 0x28:  # "("
            raw, end = faststrings.literal_bytes(self.data, at, self.escapes)
            return self.string(raw, self.forced_encoding), end
        if byte == 0x5B:  # "["
            return self.array_at(at)
        if byte == 0x3C:  # "<"
            if self.data[at + 1 : at + 2] == b"<":
                return self.dictionary_at(at)
            raw, end = faststrings.hex_bytes(self.data, at)
            return self.string(raw, self.forced_encoding), end
        raise _PypdfsTurn("other object")

    def number_at(self, at: int) -> tuple[Any, int]:
        """pypdf looks at the next 20 bytes: for ``12 0 R`` there, and for where the
        number ends (if not there, it reads the number another way)."""
        data = self.data
        end = _number_run(data, at).end()
        peek_end = at + _NUMBER_PEEK
        if end >= peek_end or end >= self.size:
            raise _PypdfsTurn("long number")
        if data.find(b"R", at, peek_end) >= 0 and _INDIRECT.match(data, at, peek_end):
            raise _PypdfsTurn("indirect reference")
        text = data[at:end]
        if _WELL_FORMED.fullmatch(text) is None:
            # pypdf warns about "1.2.3" or "1-2" when it builds the object; building it
            # here and then handing the stream back (a later comment, say) warned twice.
            raise _PypdfsTurn("malformed number")
        if b"." in text:
            return self.floating(text), end
        return self.number(text), end

    def name_at(self, at: int) -> tuple[Any, int]:
        found = _DELIMITER.search(self.data, at + 1)
        end = self.size if found is None else found.start()
        raw = self.data[at:end]
        if end - at > _MAX_NAME or b"#" in raw or not raw.isascii():
            raise _PypdfsTurn("unusual name")
        return self.name(raw.decode("ascii")), end

    def array_at(self, at: int) -> tuple[Any, int]:
        data, size = self.data, self.size
        space = _array_space
        array = self.array()
        remaining = self.array_limit
        self.enter()
        at += 1
        while True:
            at = space(data, at).end()
            if at >= size:
                self.depth -= 1
                return array, at  # pypdf ends an unterminated array at the end of data
            byte = data[at]
            if byte == 0x5D:  # "]"
                self.depth -= 1
                return array, at + 1
            remaining -= 1  # a comment or a null here is "other object" for pypdf
            if remaining < 0:
                raise _PypdfsTurn("array limit")
            self.spend()
            value, at = self.value(at, byte)
            array.append(value)

    def dictionary_at(self, at: int) -> tuple[Any, int]:
        """A dictionary of names to plain values, as Word's marked content has
        (``/P <</MCID 3>> BDC``); pypdf's own reading of one spends two of the budget
        an entry. A comment, a repeated key, a key that is not a name or a stream
        after it is pypdf's to read."""
        data, size = self.data, self.size
        space = _top_space
        entries: dict[Any, Any] = {}
        remaining = self.dictionary_limit
        self.enter()
        at += 2
        while True:
            at = space(data, at).end()
            if at >= size:
                raise _PypdfsTurn("unterminated dictionary")
            byte = data[at]
            if byte == 0x3E:  # ">": pypdf takes the byte after it for the second ">"
                at += 2
                if data.startswith(b"stream", space(data, at).end()):
                    raise _PypdfsTurn("a stream")
                dictionary = self.dictionary()
                dictionary.update(entries)
                self.depth -= 1
                return dictionary, at
            if byte != 0x2F:  # a key that is not a name (or a comment)
                raise _PypdfsTurn("unusual dictionary key")
            remaining -= 1
            self.budget -= 2
            if remaining < 0 or self.budget < 0:
                raise _PypdfsTurn("dictionary limit")
            key, at = self.name_at(at)
            at = space(data, at).end()
            if at >= size or key in entries:
                raise _PypdfsTurn("missing value or repeated key")
            entries[key], at = self.value(at, data[at])


def _wrap(original: Any) -> Any:
    from pypdf._configuration import get_configuration

    def _parse_content_stream(self: Any, stream: Any) -> None:
        if not faststrings.active() or type(stream) is not BytesIO:
            original(self, stream)
            return None
        config = get_configuration()
        tokens = _Tokens(
            stream.getvalue(),
            self.forced_encoding,
            config.stream_parsing_work_maximum_count,
            config.array_maximum_element_count,
            config.dictionary_maximum_element_count,
        )
        try:
            operations = tokens.operations()
        except Exception:  # noqa: BLE001 - _PypdfsTurn, or any surprise:
            original(self, stream)  # pypdf's result or error, never one of ours
            return None
        stream.seek(0, 2)
        self._operations.extend(operations)
        return None

    # Functions take attributes at run time; mypy does not know this one.
    _parse_content_stream.__wrapped__ = original  # type: ignore[attr-defined]
    return _parse_content_stream


def _install() -> bool:
    """Put the tokeniser where ``ContentStream`` looks for its parser, once."""
    global _installed
    with _install_lock:
        if _installed is None:
            _installed = _replace_parser()
        return _installed


def _replace_parser() -> bool:
    if not faststrings.pypdf_verified():  # it mirrors pypdf 7.1's private parser
        return False
    try:
        from pypdf._configuration import get_configuration
        from pypdf.generic import ContentStream
    except ImportError:
        return False
    config = get_configuration()
    original = ContentStream.__dict__.get("_parse_content_stream")
    if (
        not callable(original)
        or faststrings.escape_table() is None
        or not hasattr(config, "stream_parsing_work_maximum_count")
        or not hasattr(config, "array_maximum_element_count")
        or not hasattr(config, "dictionary_maximum_element_count")
    ):
        return False
    setattr(ContentStream, "_parse_content_stream", _wrap(original))  # noqa: B010 - a method
    return True


@contextmanager
def fast_parsing() -> Iterator[None]:
    """Within the block, this thread's pypdf tokenises content streams and reads their
    strings a slice at a time (the string readers of :mod:`.faststrings` included)."""
    _install()
    with faststrings.fast_strings():
        yield
